"""TEMPORARY: a tiny warehouse with the contract's tables, written with SQL inserts.

Used by the dashboard tests until the lead's tests/fixtures.py (built by the real ETL)
exists; then this file is deleted. SYNTHETIC TEST DATA: names and numbers are invented
for tests only and never reach the default warehouse.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest


def _square(lon: float, lat: float, d: float = 0.05) -> str:
    ring = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


PROVINCES = [  # code, name, population, lon, lat
    ("CR", "Cremona", 350000, 9.9, 45.2),
    ("LO", "Lodi", 230000, 9.5, 45.3),
    ("MI", "Milano", 3200000, 9.2, 45.5),
    ("BG", "Bergamo", 1100000, 9.7, 45.7),
    ("MB", "Monza e della Brianza", 870000, 9.3, 45.6),
    ("PV", "Pavia", 530000, 9.0, 45.1),
]
COMUNI = [  # code, name, province, population, lon, lat
    ("019035", "Crema", "CR", 34000, 9.69, 45.36),
    ("019036", "Cremona", "CR", 71000, 10.02, 45.13),
    ("098031", "Lodi", "LO", 45000, 9.50, 45.31),
    ("015146", "Milano", "MI", 1370000, 9.19, 45.46),
    ("015002", "Agrate Brianza XX", "MI", 15000, 9.35, 45.57),
    ("016024", "Bergamo", "BG", 120000, 9.67, 45.69),
    ("108001", "Agrate Brianza", "MB", 15600, 9.35, 45.58),
    ("018110", "Pavia", "PV", 71000, 9.16, 45.19),
    ("019999", "Vuoto", "CR", 1000, 9.80, 45.25),
]
SEGMENTS = [
    ("raw_materials", "Materie prime", "Raw materials", ["20.59"]),
    ("manufacturing", "Produzione", "Manufacturing", ["20.42"]),
    ("packaging", "Packaging", "Packaging", ["22.22"]),
    ("brand", "Marchi", "Brands", ["20.42"]),
    ("research", "Ricerca", "Research", ["72.19"]),
]
# org_id, group_id, name, kind, segments, specialties, ateco, comune_code, province,
# precision, employees, emp_year, revenue_eur, rev_year, scope, founded, website, sources
ORGS = [
    ("alfa-crema", "alfa", "Alfa Cosmetici", "company", ["manufacturing"], ["make-up"], "20.42",
     "019035", "CR", "address", 120, 2023, 25e6, 2023, "company", 1990, "https://alfa.example",
     ["https://src.example/alfa"]),
    ("alfa-lodi", "alfa", "Alfa Cosmetici", "company", ["manufacturing", "packaging"], ["make-up"],
     "20.42", "098031", "LO", "comune", 400, 2023, 80e6, 2023, "group", 1990, "https://alfa.example",
     ["https://src.example/alfa", "https://src.example/alfa-lodi"]),
    ("alfa-milano", "alfa", "Alfa Cosmetici", "company", ["brand"], ["make-up"], "20.42",
     "015146", "MI", "comune", 400, 2023, 80e6, 2023, "group", 1990, "https://alfa.example",
     ["https://src.example/alfa"]),
    ("beta-crema", "beta", "Beta Packaging", "company", ["packaging"], ["glass"], "22.22",
     "019035", "CR", "comune", None, None, None, None, None, None, None,
     ["https://src.example/beta"]),
    ("gamma-milano", "gamma", "Gamma Lab", "testing_lab", ["research"], ["safety testing"], "72.19",
     "015146", "MI", "comune", 30, 2022, None, None, "company", 2005, "https://gamma.example",
     ["https://src.example/gamma"]),
    ("unimi", "unimi", "Università degli Studi di Milano", "university", ["research"], [], None,
     "015146", "MI", "address", None, None, None, None, None, 1924, "https://www.unimi.it",
     ["https://src.example/unimi"]),
    ("delta-bergamo", "delta", "Delta Beauty", "company", ["brand"], ["skin care"], "20.42",
     "016024", "BG", "comune", 60, 2024, 12.5e6, 2024, "company", 2001, "https://delta.example",
     ["https://src.example/delta"]),
    ("xss-bergamo", "xss", "<img src=x onerror=alert(1)>", "company", ["raw_materials"],
     ["fragrance"], None, "016024", "BG", "comune", None, None, None, None, None, None, None,
     ["https://src.example/xss"]),
    ("formula-lodi", "formula", '=HYPERLINK("http://example.com","x")', "company", ["raw_materials"],
     ["fragrance"], None, "098031", "LO", "comune", 5, 2023, None, None, "company", None, None,
     ["https://src.example/formula"]),
    ("epsilon-agrate", "epsilon", "Epsilon Contract", "company", ["manufacturing"], ["skin care"],
     "20.42", "108001", "MB", "address", 900, 2023, 300e6, 2023, "company", 1972,
     "https://epsilon.example", ["https://src.example/epsilon"]),
    ("zeta-pavia", "zeta", "Zeta Chimica", "company", ["raw_materials"], [], "20.59", "018110", "PV",
     "comune", None, None, None, None, None, None, None, ["https://src.example/zeta"]),
    ("assoc-milano", "assoc", "Associazione Cosmetica", "association", [], [], None, "015146", "MI",
     "comune", None, None, None, None, None, 1967, None, ["https://src.example/assoc"]),
    ("nowhere", "nowhere", "Nowhere Srl", "company", ["brand"], [], None, None, "MI", "unknown",
     None, None, None, None, None, None, None, ["https://src.example/nowhere"]),
]
INDICATORS = [  # entity, entity_type, metric, value, unit, year, scope, group, source
    ("Lombardia", "region", "turnover", 8.8e9, "EUR", 2022, "Lombardy industry", "ind_turnover", "https://ind.example/l22"),
    ("Lombardia", "region", "turnover", 10.0e9, "EUR", 2023, "Lombardy industry", "ind_turnover", "https://ind.example/l23"),
    ("Lombardia", "region", "share_of_national_turnover", 55.0, "percent", 2023, "share", "share_turnover", "https://ind.example/ls23"),
    ("Italia", "country", "turnover", 13.3e9, "EUR", 2022, "Italian industry", "ind_turnover", "https://ind.example/i22"),
    ("Italia", "country", "turnover", 15.0e9, "EUR", 2023, "Italian industry", "ind_turnover", "https://ind.example/i23"),
    ("Italia", "country", "turnover", 16.0e9, "EUR", 2023, "Italian industry", "ind_turnover", "https://other.example/i23"),
    ("Italia", "country", "exports", 6.0e9, "EUR", 2023, "Italian industry", "ind_exports", "https://ind.example/ie23"),
    ("Cosmetic Valley", "cluster", "turnover", 30.0e9, "EUR", 2023, "whole ecosystem", "eco_turnover", "https://cv.example/t"),
    ("Cosmetic Valley", "cluster", "members", 550, "count", 2023, "members only", "members", "https://cv.example/m"),
    ("Beauty Cluster Barcelona", "cluster", "members", 120, "count", 2022, "members only", "members", "https://bcb.example/m"),
    ("Beauty Cluster Barcelona", "cluster", "turnover", 5.0e9, "EUR", 2022, "members only", "member_turnover", "https://bcb.example/t"),
    ("Centre-Val de Loire", "region", "employees", 13000, "count", 2021, "regional industry", "reg_employees", "https://cvl.example/e"),
    ("Provincia di Cremona", "province", "companies", 45, "count", 2022, "province", "prov_companies", "https://cr.example/c"),
]


def make_warehouse(path: Path) -> Path:
    path = Path(path)
    if path.exists():
        path.unlink()
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA mart; CREATE SCHEMA meta; CREATE SCHEMA staging;")
    con.execute("""CREATE TABLE mart.provinces (province VARCHAR, name VARCHAR, region VARCHAR,
        population BIGINT, area_km2 DOUBLE, lat DOUBLE, lon DOUBLE, geometry VARCHAR,
        n_organisations INTEGER)""")
    for code, name, pop, lon, lat in PROVINCES:
        n = sum(1 for o in ORGS if o[8] == code)
        con.execute("INSERT INTO mart.provinces VALUES (?, ?, 'Lombardia', ?, 1000, ?, ?, ?, ?)",
                    [code, name, pop, lat, lon, _square(lon, lat, 0.2), n])
    con.execute("""CREATE TABLE mart.comuni (comune_code VARCHAR, name VARCHAR, province VARCHAR,
        province_name VARCHAR, region VARCHAR, population BIGINT, area_km2 DOUBLE, lat DOUBLE,
        lon DOUBLE, geometry VARCHAR, n_organisations INTEGER)""")
    pnames = {p[0]: p[1] for p in PROVINCES}
    for code, name, prov, pop, lon, lat in COMUNI:
        n = sum(1 for o in ORGS if o[7] == code)
        con.execute("INSERT INTO mart.comuni VALUES (?, ?, ?, ?, 'Lombardia', ?, 20, ?, ?, ?, ?)",
                    [code, name, prov, pnames[prov], pop, lat, lon, _square(lon, lat), n])
    con.execute("""CREATE TABLE mart.segments (segment VARCHAR, label_it VARCHAR, label_en VARCHAR,
        description_it VARCHAR, description_en VARCHAR, ateco_classes VARCHAR[])""")
    for seg, it, en, classes in SEGMENTS:
        con.execute("INSERT INTO mart.segments VALUES (?, ?, ?, '', '', ?)", [seg, it, en, classes])
    con.execute("CREATE TABLE mart.ateco (code VARCHAR, title_it VARCHAR, level INTEGER, n_organisations INTEGER)")
    for code, title in [("20.42", "Fabbricazione di prodotti per toletta"), ("22.22", "Imballaggi in plastica"),
                        ("72.19", "Ricerca e sviluppo"), ("20.59", "Altri prodotti chimici")]:
        con.execute("INSERT INTO mart.ateco VALUES (?, ?, 4, 0)", [code, title])
    con.execute("""CREATE TABLE mart.organisations (org_id VARCHAR, group_id VARCHAR, name VARCHAR,
        kind VARCHAR, segments VARCHAR[], specialties VARCHAR[], ateco VARCHAR, comune_code VARCHAR,
        comune VARCHAR, province VARCHAR, region VARCHAR, lat DOUBLE, lon DOUBLE,
        location_precision VARCHAR, address VARCHAR, site_type VARCHAR, employees INTEGER,
        employees_year INTEGER, revenue_eur DOUBLE, revenue_year INTEGER, figure_scope VARCHAR,
        founded INTEGER, website VARCHAR, vat VARCHAR, cluster_role VARCHAR, source_urls VARCHAR[],
        source_files VARCHAR[], source_date VARCHAR, note VARCHAR)""")
    com = {c[0]: c for c in COMUNI}
    for (org_id, group_id, name, kind, segs, specs, ateco, ccode, prov, prec, emp, emp_y, rev,
         rev_y, scope, founded, web, srcs) in ORGS:
        c = com.get(ccode)
        lat = lon = None
        if c:
            lon, lat = c[4], c[5]
        con.execute(
            "INSERT INTO mart.organisations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'Lombardia', ?, ?, ?, "
            "NULL, 'hq', ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ['organisations.csv'], '2024-05-01', NULL)",
            [org_id, group_id, name, kind, segs, specs, ateco, ccode, c[1] if c else None, prov,
             lat, lon, prec, emp, emp_y, rev, rev_y, scope, founded, web, srcs],
        )
    con.execute("""CREATE TABLE mart.indicators (indicator_id VARCHAR, entity VARCHAR,
        entity_type VARCHAR, metric VARCHAR, value DOUBLE, unit VARCHAR, year INTEGER,
        year_basis VARCHAR, scope VARCHAR, comparable_group VARCHAR, source_url VARCHAR,
        source_date VARCHAR, note VARCHAR)""")
    for i, (ent, etype, metric, value, unit, year, scope, group, src) in enumerate(INDICATORS):
        con.execute("INSERT INTO mart.indicators VALUES (?, ?, ?, ?, ?, ?, ?, 'stated', ?, ?, ?, '2024-01-01', NULL)",
                    [f"ind-{i}", ent, etype, metric, value, unit, year, scope, group, src])
    con.execute("""CREATE TABLE meta.load_runs (run_id VARCHAR, build_id VARCHAR, started TIMESTAMP,
        finished TIMESTAMP, status VARCHAR, package_versions VARCHAR)""")
    con.execute("INSERT INTO meta.load_runs VALUES ('run-1', 'b-test01', TIMESTAMP '2026-11-20 10:00:00', "
                "TIMESTAMP '2026-11-20 10:01:00', 'ok', '{}')")
    con.execute("""CREATE TABLE meta.load_files (run_id VARCHAR, file VARCHAR, role VARCHAR,
        sha256 VARCHAR, encoding VARCHAR, delimiter VARCHAR, sheet VARCHAR, rows_in INTEGER,
        rows_loaded INTEGER, rows_merged INTEGER, rows_rejected INTEGER, warnings INTEGER, error VARCHAR)""")
    con.execute("INSERT INTO meta.load_files VALUES ('run-1', 'organisations.csv', 'registry', "
                "'abc123', 'utf-8', ',', NULL, 15, 13, 0, 2, 1, NULL)")
    con.execute("CREATE TABLE staging.rejected_rows (file VARCHAR, line INTEGER, field VARCHAR, value VARCHAR, reason VARCHAR)")
    con.execute("INSERT INTO staging.rejected_rows VALUES ('organisations.csv', 7, 'province', 'ZZ', 'unknown province'), "
                "('organisations.csv', 9, 'website', 'javascript:alert(1)', 'not an http(s) URL')")
    con.execute("CREATE TABLE staging.load_issues (file VARCHAR, line INTEGER, field VARCHAR, value VARCHAR, severity VARCHAR, message VARCHAR)")
    con.execute("INSERT INTO staging.load_issues VALUES ('organisations.csv', 4, 'employees', '400', 'warning', 'group figure')")
    con.close()
    return path


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> Path:
    return make_warehouse(tmp_path_factory.mktemp("wh") / "beautyvalley.duckdb")
