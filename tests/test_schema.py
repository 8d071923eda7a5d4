"""The schema files (etl/schema/*.toml): the warehouse matches them, data/README.md documents them, their
tests become build checks that catch violations and block the promotion, and their DDL carries the
constraints."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from etl import schema, vocab
from etl.build import BuildError
from etl.sqlfiles import create_from_frames
from tests.fixtures import build_fixture_warehouse

ROOT = Path(__file__).resolve().parent.parent
PUBLIC = "table_schema IN ('mart', 'meta') OR (table_schema = 'staging' AND table_name IN ('rejected_rows', 'load_issues'))"


def columns_of(db) -> dict[str, list[tuple[str, str]]]:
    with duckdb.connect(str(db), read_only=True) as c:
        rows = c.execute(f"""SELECT table_schema || '.' || table_name, column_name, data_type
            FROM information_schema.columns WHERE {PUBLIC} ORDER BY 1, ordinal_position""").fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for t, col, ty in rows:
        out.setdefault(t, []).append((col, ty))
    return out


def test_every_public_table_has_a_schema_file_with_its_exact_columns_and_types(fixture_db):
    built = columns_of(fixture_db)
    declared = {name: [(c.name, c.type) for c in t.columns] for name, t in schema.tables().items()}
    assert sorted(built) == sorted(declared)
    for name in built:
        assert built[name] == declared[name], name


def test_every_column_has_both_descriptions():
    for t in schema.tables().values():
        assert t.description_it and t.description_en, t.name
        for c in t.columns:
            assert c.description_it.strip() and c.description_en.strip(), f"{t.name}.{c.name}"
            assert c.description_it != c.description_en, f"{t.name}.{c.name}: the Italian text repeats the English one"


def test_data_dictionary_is_the_one_generated_from_the_schema_files():
    """data/README.md's dictionary is `python -m etl docs`'s output: edit a schema file, regenerate."""
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert schema.with_dictionary(text) == text, "data/README.md is out of date: run `python -m etl docs`"
    for name, t in schema.tables().items():
        start = text.index(f"### {name}\n")
        section = text[start:text.find("\n### ", start + 1)]
        for c in t.columns:
            assert f"| {c.name} | {c.type} |" in section, f"{name}.{c.name}"


def test_docs_check_fails_when_the_readme_is_out_of_date(tmp_path, monkeypatch):
    from etl import __main__ as cli
    from etl import paths

    data = tmp_path / "data"
    data.mkdir()
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    (data / "README.md").write_text(readme.replace("| org_id | VARCHAR |", "| org_id | INTEGER |", 1), encoding="utf-8")
    monkeypatch.setattr(paths, "DATA_DIR", data)
    assert cli.main(["docs", "--check"]) == 1
    assert cli.main(["docs"]) == 0
    assert (data / "README.md").read_text(encoding="utf-8") == readme


def test_each_kind_of_check_counts_the_rows_that_break_it():
    """Hand-made rows with known violations: 2 repeats of one id, 1 NULL, 1 unknown kind, 1 negative figure."""
    con = duckdb.connect()
    con.execute("CREATE SCHEMA staging")
    con.execute("CREATE SCHEMA mart")
    create_from_frames(con, "staging.vocabularies", "staging/stg_vocabularies.sql", raw_vocabularies=vocab.frame())
    con.execute("""CREATE TABLE mart.t AS SELECT * FROM (VALUES
        ('a', 'company', 1), ('a', 'university', 2), ('a', 'spaceship', -3), (NULL, NULL, 4))
        v(id, kind, employees)""")
    table = schema.Table(name="mart.t", description_en="test", description_it="prova", columns=(
        schema.Column(name="id", type="VARCHAR", description_en="id", description_it="id", tests=("unique", "not_null")),
        schema.Column(name="kind", type="VARCHAR", description_en="kind", description_it="tipo", accepted_values="kind")),
        tests=(schema.Test(expression="employees >= 0", description_en="non-negative", description_it="non negativo"),))
    got = {what.split(": ", 1)[1]: con.execute(q, p).fetchone()[0] for what, q, p in schema.check_queries(table)}
    assert got == {"unique": 2, "not_null": 1, "accepted_values kind": 1,
                   "non-negative (employees >= 0)": 1}


def test_a_failing_schema_test_keeps_the_previous_warehouse(tmp_path, monkeypatch):
    db = build_fixture_warehouse(tmp_path / "w.duckdb")
    before = db.read_bytes()
    with duckdb.connect(str(db), read_only=True) as c:
        org_id = c.execute("SELECT min(org_id) FROM mart.organisations").fetchone()[0]
        n = c.execute("SELECT count(*) FROM mart.organisations WHERE org_id = ?", [org_id]).fetchone()[0]
    files = tmp_path / "schema"
    shutil.copytree(schema.SCHEMA_DIR, files)
    org = files / "mart.organisations.toml"
    org.write_text(org.read_text(encoding="utf-8") + f'''
[[tests]]
expression = "org_id <> '{org_id}'"
description_en = "a test this build breaks"
description_it = "un test che questa build non supera"
''', encoding="utf-8")
    monkeypatch.setattr(schema, "SCHEMA_DIR", files)
    schema.tables.cache_clear()
    try:
        with pytest.raises(BuildError, match=f"a test this build breaks .*: {n} row"):
            build_fixture_warehouse(db)
    finally:
        schema.tables.cache_clear()
    assert db.read_bytes() == before
    assert not list(tmp_path.glob(".w.duckdb.tmp-*"))


def test_ddl_from_the_schema_carries_the_primary_key_and_the_accounting_check():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA meta")
    schema.create_table(con, "meta.load_runs")
    schema.create_table(con, "meta.load_files")
    con.execute("INSERT INTO meta.load_runs (run_id, build_id, started, finished, status) "
                "VALUES ('r', 'r', now(), now(), 'ok')")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO meta.load_runs (run_id, build_id, started, finished, status) "
                    "VALUES ('r', 'r', now(), now(), 'ok')")
    con.execute("INSERT INTO meta.load_files (run_id, file, rows_in, rows_loaded, rows_merged, rows_rejected, "
                "rows_skipped) VALUES ('r', 'a.csv', 5, 3, 1, 1, 0)")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO meta.load_files (run_id, file, rows_in, rows_loaded, rows_merged, rows_rejected, "
                    "rows_skipped) VALUES ('r', 'b.csv', 5, 3, 1, 0, 0)")
    # an unreadable file (error set) is exempt from the identity
    con.execute("INSERT INTO meta.load_files (run_id, file, error, rows_in, rows_loaded, rows_merged, "
                "rows_rejected, rows_skipped) VALUES ('r', 'c.csv', 'unreadable', 0, 0, 0, 0, 0)")


def test_a_table_built_by_sql_has_no_ddl():
    with pytest.raises(schema.SchemaError):
        schema.ddl("mart.organisations")


def test_schema_file_with_an_unknown_test_or_vocabulary_is_refused(tmp_path):
    bad = tmp_path / "mart.x.toml"
    base = '''table = "mart.x"
description_en = "x"
description_it = "x"
[[columns]]
name = "a"
type = "VARCHAR"
description_en = "a"
description_it = "a"
'''
    bad.write_text(base + 'tests = ["uniqe"]\n', encoding="utf-8")
    with pytest.raises(schema.SchemaError, match="unknown test 'uniqe'"):
        schema.read(bad)
    bad.write_text(base + 'accepted_values = "colour"\n', encoding="utf-8")
    with pytest.raises(schema.SchemaError, match="not a vocabulary"):
        schema.read(bad)
    bad.write_text(base.replace('name = "a"', 'name = "a; DROP TABLE x"'), encoding="utf-8")
    with pytest.raises(schema.SchemaError, match="not a plain identifier"):
        schema.read(bad)
