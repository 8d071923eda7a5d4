"""The controlled vocabularies' one home (data/vocabularies.csv, etl/vocab.py): what it accepts, and that
every reader (validation, the warehouse, filters, map colours, the texts) agrees with it."""
from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from etl import paths, vocab

ROOT = Path(__file__).resolve().parent.parent
HEADER = "vocabulary,code,sort_order,label_key,colour,groups\n"


def csv_rows() -> list[dict]:
    with open(ROOT / "data" / "vocabularies.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_codes_come_in_the_files_order_per_vocabulary():
    rows = csv_rows()
    for v in vocab.VOCABULARIES:
        mine = sorted((r for r in rows if r["vocabulary"] == v), key=lambda r: int(r["sort_order"]))
        assert vocab.codes(v) == tuple(r["code"] for r in mine), v
    research = tuple(r["code"] for r in rows if r["vocabulary"] == "kind" and "research" in r["groups"].split("|"))
    assert research == vocab.RESEARCH_KINDS


def test_the_warehouse_carries_the_vocabularies(fixture_db):
    with duckdb.connect(str(fixture_db), read_only=True) as c:
        got = c.execute("SELECT vocabulary, code, sort_order, label_key, colour, groups FROM mart.vocabularies"
                        ).fetchall()
    want = [(r["vocabulary"], r["code"], int(r["sort_order"]), r["label_key"] or None, r["colour"] or None,
             [g for g in r["groups"].split("|") if g]) for r in csv_rows()]
    assert sorted(got) == sorted(want)


def test_the_comuni_mart_has_one_count_column_per_kind(fixture_db):
    with duckdb.connect(str(fixture_db), read_only=True) as c:
        cols = [r[0] for r in c.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                                        "'mart' AND table_name = 'comuni' ORDER BY ordinal_position").fetchall()]
        by_kind = dict(c.execute("SELECT kind, count(*) FROM mart.organisations WHERE comune_code IN "
                                 "(SELECT comune_code FROM mart.comuni) GROUP BY kind").fetchall())
        sums = c.execute("SELECT " + ", ".join(f"sum(n_{k})" for k in vocab.KINDS) + " FROM mart.comuni").fetchone()
    assert [c for c in cols if c.startswith("n_") and c != "n_organisations"] == [f"n_{k}" for k in vocab.KINDS]
    assert dict(zip(vocab.KINDS, sums)) == {k: by_kind.get(k, 0) for k in vocab.KINDS}


def test_the_registry_parser_and_validation_use_the_same_codes():
    """etl/registry reads its codes from etl.vocab: the parser and validation accept exactly the vocabulary."""
    from etl.registry import validation, values

    assert tuple(values.KINDS) == vocab.KINDS
    assert set(validation.SITE_TYPES) == set(vocab.SITE_TYPES)
    assert set(validation.FIGURE_SCOPES) == set(vocab.FIGURE_SCOPES)
    assert set(validation.CLUSTER_ROLES) == set(vocab.CLUSTER_ROLES)
    assert set(values._STATUS_LOOKUP.values()) == set(vocab.STATUSES)


def test_the_app_reads_kinds_statuses_and_colours_from_it():
    from beautyvalley import filters, maps

    assert filters.KIND_VOCABULARY == vocab.KINDS
    assert filters.STATUS_VOCABULARY == vocab.STATUSES
    assert maps.KINDS == vocab.KINDS
    hexes = {r["code"]: r["colour"] for r in csv_rows() if r["vocabulary"] == "kind"}
    rgb = {k: (int(h[1:3], 16), int(h[3:5], 16), int(h[5:7], 16)) for k, h in hexes.items()}
    assert rgb == maps.KIND_COLOURS
    assert len(set(maps.KIND_COLOURS.values())) == len(vocab.KINDS)


def test_every_label_key_has_a_text_in_both_languages():
    from beautyvalley import i18n

    for t in vocab.read():
        if t.label_key:
            for lang in ("it", "en"):
                assert i18n.t(t.label_key, lang) != t.label_key, (t.label_key, lang)


@pytest.mark.parametrize("line, message", [
    ("kind,company,1,kind.company,#0072b2,\nkind,company,2,,#000000,\n", "repeated"),
    ("kind,spaceship,1,,,\n", "has no colour"),
    ("kind,company,1,,blue,\n", "not #rrggbb"),
    ("colour,red,1,,,\n", "vocabulary 'colour' is not one of"),
    ("status,Active,1,,,\n", "not snake_case"),
    ("status,active,first,,,\n", "not a whole number"),
])
def test_a_bad_vocabulary_file_is_refused_with_its_line(tmp_path, line, message):
    p = tmp_path / "vocabularies.csv"
    p.write_text(HEADER + line, encoding="utf-8")
    with pytest.raises(vocab.VocabularyError, match=message) as e:
        vocab.read(p)
    assert "line" in str(e.value)


def test_the_default_file_is_the_data_folders():
    assert paths.VOCABULARIES_CSV == ROOT / "data" / "vocabularies.csv"
