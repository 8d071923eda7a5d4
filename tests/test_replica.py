"""Issue 15 target 4: the dashboard served from the Parquet export through a DuckDB file of views.

The fixture warehouse is exported (`python -m etl export`), the view file is built (`python -m etl
replica`), and every page runs with AppTest against it. Expected numbers are computed here from the
original warehouse file and, separately, from the Parquet files themselves, never by the app's queries.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.replica import EXTRA_TABLES, ReplicaError, build_views, check_base, read_manifest, view_locations
from tests.test_pages import BEAUTY_VALLEY, PAGES, all_text, app

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ), timeout=300)


@pytest.fixture(scope="module")
def replica(fixture_db, tmp_path_factory) -> tuple[Path, Path]:
    """(Parquet export folder, view file) of the fixture warehouse, made by the two commands."""
    base = tmp_path_factory.mktemp("replica")
    pq, views = base / "export", base / "views.duckdb"
    r = _cli("export", "--parquet", str(pq), "--db", str(fixture_db))
    assert r.returncode == 0, r.stderr
    r = _cli("replica", "--parquet", str(pq), "--out", str(views))
    assert r.returncode == 0, r.stderr
    return pq, views


def q(path: Path, query: str, params=None):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(query, params or []).fetchall()


COLUMNS = """SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns
             WHERE table_schema IN ('mart', 'meta', 'staging') ORDER BY ALL"""


def test_the_view_file_holds_views_over_every_exported_table_with_the_same_types(fixture_db, replica):
    pq, views = replica
    manifest = json.loads((pq / "manifest.json").read_text(encoding="utf-8"))
    listed = {(t["schema"], t["table"]) for t in manifest["tables"]}
    marts = {(s, t) for s, t in q(fixture_db, "SELECT table_schema, table_name FROM information_schema.tables "
                                              "WHERE table_schema = 'mart'")}
    assert marts <= listed and ("staging", "comuni") in listed and ("meta", "load_runs") in listed
    in_views = {(s, t) for s, t in q(views, "SELECT schema_name, view_name FROM duckdb_views() WHERE NOT internal")}
    tables = {(s, t) for s, t in q(views, "SELECT schema_name, table_name FROM duckdb_tables()")}
    assert in_views == {x for x in listed if x[0] != "meta"}
    assert tables == {x for x in listed if x[0] == "meta"}  # only the small meta tables are copied
    original = [r for r in q(fixture_db, COLUMNS) if (r[0], r[1]) in listed]
    assert q(views, COLUMNS) == original  # same columns, same order, same types (no HUGEINT lost to DOUBLE)
    for schema, table in listed:
        n = q(fixture_db, f"SELECT count(*) FROM {schema}.{table}")[0][0]
        assert q(views, f"SELECT count(*) FROM {schema}.{table}")[0][0] == n, (schema, table)
    # the views read the export's files by absolute path: nothing depends on the working directory
    sql_text = " ".join(r[0] for r in q(views, "SELECT sql FROM duckdb_views() WHERE NOT internal"))
    assert str(pq.resolve() / "organisations.parquet") in sql_text


def test_the_export_covers_every_table_the_dashboard_reads():
    read = set()
    for f in (ROOT / "beautyvalley" / "sql").rglob("*.sql"):
        read |= set(re.findall(r"\b(meta|staging|raw)\.([a-z_]+)", f.read_text(encoding="utf-8")))
    assert read, "no table outside mart found: the pattern is wrong"
    assert read <= {(s, t) for s, names in EXTRA_TABLES.items() for t in names}


def _run(page: str, lang: str = "it"):
    at = app({"lang": lang})
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py").run()
    return at


def _headline(at) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in at.metric]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_views_with_the_same_headline_numbers(fixture_db, replica, monkeypatch, page):
    _, views = replica
    monkeypatch.setenv("BEAUTYVALLEY_DB", str(fixture_db))
    original = _run(page)
    assert not original.exception
    monkeypatch.setenv("BEAUTYVALLEY_DB", str(views))
    served = _run(page)
    assert not served.exception, [e.value for e in served.exception]
    assert not served.error, [e.value for e in served.error]
    assert len(served.title) == 1 and served.title[0].value == original.title[0].value
    assert _headline(served) == _headline(original)
    frames, expected = [d.value for d in served.dataframe], [d.value for d in original.dataframe]
    assert len(frames) == len(expected)
    for got, want in zip(frames, expected):
        pd.testing.assert_frame_equal(got, want)
    assert all_text(served) == all_text(original)
    decks = [d.proto.json for d in served.get("deck_gl_json_chart")]
    assert decks == [d.proto.json for d in original.get("deck_gl_json_chart")]  # the map's layers and points
    assert _headline(served) or frames or decks or page == "competences", "nothing to compare on this page"


def test_overview_numbers_and_build_id_on_the_views_match_the_parquet_and_the_warehouse(fixture_db, replica,
                                                                                         monkeypatch):
    pq, views = replica
    orgs = str(pq / "organisations.parquet")
    from_parquet = duckdb.sql("SELECT count(DISTINCT group_id) FROM read_parquet(?) WHERE list_contains(?, province)",
                              params=[orgs, list(BEAUTY_VALLEY)]).fetchall()[0][0]
    from_file = q(fixture_db, "SELECT count(DISTINCT group_id) FROM mart.organisations "
                              "WHERE list_contains(?, province)", [list(BEAUTY_VALLEY)])[0][0]
    assert from_parquet == from_file > 0
    monkeypatch.setenv("BEAUTYVALLEY_DB", str(views))
    at = _run("overview")
    assert dict(_headline(at))["Organizzazioni"] == str(from_file)
    at = app({"prov": ["CR"], "lang": "en"})
    at.switch_page("app_pages/explore.py").run()
    build_id = q(fixture_db, "SELECT build_id FROM meta.load_runs")[0][0]
    assert build_id.replace("-", "\\-") in all_text(at)  # the citation names the original build


def test_rebuilding_the_view_file_changes_its_build_key(replica, tmp_path):
    from beautyvalley.warehouse import build_key

    pq, _ = replica
    out = tmp_path / "v.duckdb"
    build_views(pq, out)
    before = build_key(out)
    build_views(pq, out)
    assert build_key(out) != before  # a new file (os.replace): the dashboard's caches move to it
    assert not list(tmp_path.glob(".*tmp*"))


def test_object_storage_locations_are_the_export_names_under_the_prefix(replica):
    pq, _ = replica
    tables = read_manifest(pq)
    where = view_locations(pq, tables, "s3://bucket/beauty-valley/2026-12-01")
    assert where["mart.organisations"] == "s3://bucket/beauty-valley/2026-12-01/organisations.parquet"
    assert where["staging.comuni"] == "s3://bucket/beauty-valley/2026-12-01/staging/comuni.parquet"
    assert check_base("https://example.org/export/") == "https://example.org/export/"
    for bad in ("s3://bucket/x'); DROP TABLE t; --", "file:///etc/", "/local/path", "s3://b/../x", "s3://b/a b"):
        with pytest.raises(ReplicaError):
            check_base(bad)


def test_a_bad_prefix_on_the_command_line_exits_2_and_writes_nothing(replica, tmp_path):
    pq, _ = replica
    r = _cli("replica", "--parquet", str(pq), "--out", str(tmp_path / "v.duckdb"), "--base", "s3://b/x'); --")
    assert r.returncode == 2 and "--base" in r.stderr
    assert not list(tmp_path.iterdir())


def _hostile_export(pq: Path, tmp_path: Path, **change) -> Path:
    manifest = json.loads((pq / "manifest.json").read_text(encoding="utf-8"))
    manifest["tables"][0].update(change)
    bad = tmp_path / "bad"
    bad.mkdir(exist_ok=True)
    for t in manifest["tables"]:
        (bad / t["file"]).parent.mkdir(parents=True, exist_ok=True)
        (bad / t["file"]).write_bytes((pq / t["file"]).read_bytes()) if (pq / t["file"]).is_file() else None
    (bad / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return bad


@pytest.mark.parametrize("change", [
    {"table": "x; DROP TABLE mart.organisations"},
    {"schema": "main", "table": "secrets"},
    {"file": "../../etc/passwd"},
    {"table": "no_such_table", "file": "no_such_table.parquet"},
    {"columns": [["code", "HUGEINT"]]},  # the Parquet file does not hold the warehouse's columns and types
])
def test_names_outside_the_exported_table_list_are_refused(replica, tmp_path, change):
    pq, _ = replica
    bad = _hostile_export(pq, tmp_path, **change)
    r = _cli("replica", "--parquet", str(bad), "--out", str(tmp_path / "v.duckdb"))
    assert r.returncode == 2, r.stdout + r.stderr
    assert not (tmp_path / "v.duckdb").exists()


def test_replica_of_a_folder_without_export_fails_cleanly(tmp_path):
    r = _cli("replica", "--parquet", str(tmp_path), "--out", str(tmp_path / "v.duckdb"))
    assert r.returncode == 2 and "manifest" in r.stderr
