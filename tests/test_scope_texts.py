"""Issue 8: scope and note texts in the interface language; every comparable group described in
both languages.

The curated files are read here with the csv module (not through the ETL); expected texts are
written out or read from the fixture DuckDB file, never from the app's query functions.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from beautyvalley import brief, i18n
from beautyvalley.filters import Filters
from tests.test_pages import all_text, app, db, sql  # noqa: F401  (db fixture)

ROOT = Path(__file__).resolve().parent.parent
CHECKED_EN = re.compile(r"\[checked (\d{4}-\d\d-\d\d) against stored page\]")
CHECKED_IT = re.compile(r"\[verificato il (\d{4}-\d\d-\d\d) sulla pagina archiviata\]")
ORIG = re.compile(r"^orig: \S+ \S+\.")


def _rows(name: str) -> list[dict[str, str]]:
    with open(ROOT / "data" / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_comparable_group_has_both_descriptions():
    groups = {r["comparable_group"] for r in _rows("indicators.csv")}
    described = {r["comparable_group"]: r for r in _rows("comparable_groups.csv")}
    assert groups, "indicators.csv has no comparable groups"
    missing = sorted(g for g in groups
                     if not (described.get(g, {}).get("description_it", "").strip()
                             and described.get(g, {}).get("description_en", "").strip()))
    assert not missing, f"comparable groups without both descriptions: {missing}"
    unused = sorted(set(described) - groups)
    assert not unused, f"descriptions of groups no indicator uses: {unused}"
    same = sorted(g for g, r in described.items() if r["description_it"] == r["description_en"])
    assert not same, f"Italian description equals the English one: {same}"


def test_every_indicator_has_its_italian_scope_and_note():
    rows = _rows("indicators.csv")
    assert len(rows) > 400
    for r in rows:
        rid = r["indicator_id"]
        assert r["scope_it"].strip(), f"{rid}: scope_it is empty"
        assert bool(r["note"].strip()) == bool(r["note_it"].strip()), f"{rid}: note and note_it disagree"
        # the "[checked …]" marker is translated, with the same date
        assert CHECKED_EN.findall(r["note"]) == CHECKED_IT.findall(r["note_it"]), rid
        # the original value and unit are kept verbatim
        orig = ORIG.match(r["note"])
        if orig:
            assert r["note_it"].startswith(orig.group(0)), rid
    translated = sum(r["scope_it"] != r["scope"] for r in rows)
    assert translated > 0.9 * len(rows)  # a few scopes are proper names, the same in both languages


def test_comparable_groups_file_is_validated(tmp_path):
    from etl.sources import comparable_groups

    df = comparable_groups.load(ROOT / "data" / "comparable_groups.csv")
    assert len(df) == len(_rows("comparable_groups.csv"))
    bad = tmp_path / "comparable_groups.csv"
    bad.write_text("comparable_group,description_it,description_en\ng1,Qualcosa,\n", encoding="utf-8")
    with pytest.raises(comparable_groups.ComparableGroupsError, match="description_en is empty"):
        comparable_groups.load(bad)
    bad.write_text("comparable_group,description_it,description_en\ng1,A,B\ng1,C,D\n", encoding="utf-8")
    with pytest.raises(comparable_groups.ComparableGroupsError, match="repeated"):
        comparable_groups.load(bad)


def test_in_language_picks_the_language_and_marks_english_fallbacks():
    df = pd.DataFrame({"scope": ["whole chain", "members only", None], "scope_it": ["intera filiera", None, None],
                       "note": ["n1", "n2", None], "note_it": ["nota 1", "", None], "value": [1, 2, 3]})
    it = i18n.in_language(df, "it")
    assert list(it.columns) == ["scope", "note", "value"]
    assert it["scope"].tolist()[:2] == ["intera filiera", "members only (in inglese)"]
    assert it["note"].tolist()[:2] == ["nota 1", "n2 (in inglese)"]
    assert pd.isna(it["scope"].iloc[2]) and pd.isna(it["note"].iloc[2])  # nothing to show, no marker
    en = i18n.in_language(df, "en")
    assert en["scope"].tolist()[:2] == ["whole chain", "members only"]
    assert en["note"].tolist()[:2] == ["n1", "n2"]
    assert "scope_it" in df.columns  # the input is not changed


def test_the_warehouse_carries_the_italian_texts_and_group_descriptions(db):
    assert sql(db, "SELECT scope_it, note_it FROM mart.indicators WHERE indicator_id = 'fx-lom-turnover-2021'") \
        == [("industria cosmetica lombarda (fixture sintetica)", "Fixture sintetica")]
    assert sql(db, "SELECT scope_it FROM mart.indicators WHERE indicator_id = 'fx-lo-employees-undated'") == [(None,)]
    n = sql(db, "SELECT count(*), count(description_it), count(description_en) FROM mart.comparable_groups")[0]
    assert n == (len(_rows("comparable_groups.csv")),) * 3


def _captions(at) -> str:
    return "\n".join(c.value for c in at.caption).replace("\\", "")


def test_italian_overview_shows_the_italian_scope(db):
    at = app()
    text = _captions(at)
    assert "industria cosmetica lombarda (fixture sintetica)" in text, text
    assert "Lombard cosmetics industry (synthetic fixture)" not in text


def test_english_overview_shows_the_english_scope(db):
    at = app({"lang": "en"})
    text = _captions(at)
    assert "Lombard cosmetics industry (synthetic fixture)" in text, text
    assert "industria cosmetica lombarda" not in text
    assert "(in inglese)" not in text


def test_a_missing_italian_scope_shows_the_english_one_marked(db):
    at = app({"prov": "LO"})
    text = _captions(at)
    assert "Cosmetics employees in the province of Lodi (synthetic fixture) (in inglese)" in text, text
    assert "esportazioni cosmetiche delle imprese della provincia di Lodi (fixture sintetica)" in text


def test_overview_cards_describe_their_comparable_group(db, tmp_path):
    # a real group of data/comparable_groups.csv on a fixture figure: its description is on the card
    real = {r["comparable_group"]: r for r in _rows("comparable_groups.csv")}["regional_cosmetics_exports"]
    assert sql(db, "SELECT count(*) FROM mart.indicators WHERE comparable_group = 'regional_cosmetics_exports' "
                   "AND entity = 'Lombardia'")[0][0] == 1
    assert real["description_it"] in _captions(app())
    assert real["description_en"] in _captions(app({"lang": "en"}))


def test_brief_benchmarks_in_the_brief_language(db):
    it_rows, _ = brief.benchmarks(Filters(provinces=()), "it")
    en_rows, _ = brief.benchmarks(Filters(provinces=()), "en")
    assert "industria cosmetica lombarda (fixture sintetica)" in {r["scope"] for r in it_rows}
    assert "Lombard cosmetics industry (synthetic fixture)" in {r["scope"] for r in en_rows}
    assert not any("fixture sintetica" in r["scope"] for r in en_rows)
