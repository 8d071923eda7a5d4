"""Issue 15, target 3: the map at scale (AppTest on SYNTHETIC warehouses).

Above the threshold (maps.MAX_SITES, lowered here with $BEAUTYVALLEY_MAP_MAX_SITES) the map draws one
circle per comune with its count and sends no single site; below it the sites as before. The SYNTHETIC
warehouses are copies of the fixture warehouse with sites added to mart.organisations in code (names
"SYNTHETIC Sede …", source example.invalid), placed on the centroids of real comuni of mart.comuni.
Expected counts are computed here with SQL on the file, never with the app's queries.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from beautyvalley import i18n

ROOT = Path(__file__).resolve().parent.parent
THRESHOLD = 500  # the test threshold ($BEAUTYVALLEY_MAP_MAX_SITES)
VALLEY = ("CR", "LO", "MI", "BG")  # the default province filter
SOURCE = "https://example.invalid/synthetic-map-test"


def synthetic_warehouse(src: Path, dst: Path, n: int) -> Path:
    """A copy of `src` with `n` SYNTHETIC active sites added, spread unevenly over every Lombard comune of
    mart.comuni (site i goes to the comune at rank floor(m * u^2) in the order of md5(comune_code),
    u = (i * 0.618…) mod 1: many sites in a few comuni scattered over the region, one or none in many), at
    its centroid, kinds in a fixed cycle. Deterministic."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    with duckdb.connect(str(dst)) as con:
        con.execute("""
            INSERT INTO mart.organisations BY NAME
            WITH c AS (SELECT row_number() OVER (ORDER BY md5(comune_code)) - 1 AS k, count(*) OVER () AS m, *
                       FROM mart.comuni WHERE lat IS NOT NULL),
                 s AS (SELECT i, ((i * 0.6180339887) % 1.0) AS u FROM range($n) AS r(i))
            SELECT 'syn-' || lpad(i::VARCHAR, 6, '0') AS org_id, 'syn-' || lpad(i::VARCHAR, 6, '0') AS group_id,
                   'SYNTHETIC Sede ' || i AS name,
                   ['company', 'company', 'company', 'testing_lab', 'university'][1 + i % 5] AS kind,
                   ['formulation'] AS segments, c.comune_code, c.name AS comune, c.province,
                   'Lombardia' AS region, c.lat, c.lon, 'comune' AS location_precision, 'active' AS status,
                   [$source] AS source_urls, '2026-12-01' AS source_date
            FROM s JOIN c ON c.k = floor(c.m * s.u * s.u)::BIGINT
        """, {"n": n, "source": SOURCE})
    return dst


@pytest.fixture(scope="module")
def wh_2k(fixture_db, tmp_path_factory) -> Path:
    return synthetic_warehouse(Path(fixture_db), tmp_path_factory.mktemp("scale") / "synthetic_2k.duckdb", 2_000)


@pytest.fixture(scope="module")
def wh_20k(fixture_db, tmp_path_factory) -> Path:
    return synthetic_warehouse(Path(fixture_db), tmp_path_factory.mktemp("scale") / "synthetic_20k.duckdb", 20_000)


def sql(db: Path, query: str, params=None):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query, params or []).fetchall()


def map_page(db: Path, monkeypatch, query_params: dict | None = None, threshold: int = THRESHOLD) -> AppTest:
    monkeypatch.setenv("BEAUTYVALLEY_DB", str(db))
    monkeypatch.setenv("BEAUTYVALLEY_MAP_MAX_SITES", str(threshold))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params.update(query_params or {})
    at.run()
    at.switch_page("app_pages/map.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def deck_json(at: AppTest) -> str:
    return at.get("deck_gl_json_chart")[0].proto.json


def layers(at: AppTest) -> dict[str, dict]:
    return {layer["id"]: layer for layer in json.loads(deck_json(at))["layers"]}


def texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in (*at.info, *at.caption, *at.markdown))


# per comune, the active sites of the default provinces with a comune on the map: what the circles must count
PER_COMUNE = """
    SELECT o.comune_code, count(*) FROM mart.organisations AS o JOIN mart.comuni AS c USING (comune_code)
    WHERE list_contains(?, o.province) AND coalesce(o.status, 'active') = 'active' AND c.lat IS NOT NULL
    GROUP BY ALL
"""


def test_above_the_threshold_the_map_draws_counts_per_comune_that_add_up(wh_2k, monkeypatch):
    at = map_page(wh_2k, monkeypatch)
    spec = layers(at)
    assert "comune-counts" in spec and "organisations" not in spec  # no single site is sent
    records = spec["comune-counts"]["data"]
    expected = dict(sql(wh_2k, PER_COMUNE, [list(VALLEY)]))
    assert sum(r["sites"] for r in records) == sum(expected.values()) > THRESHOLD
    assert {r["comune_code"]: r["sites"] for r in records} == expected
    assert "SYNTHETIC Sede" not in deck_json(at)  # no site name travels to the browser
    # the tooltip names the comune, its count and its most frequent kind, with the Italian number format
    code, n = max(expected.items(), key=lambda kv: (kv[1], kv[0]))
    name, prov = sql(wh_2k, "SELECT name, province FROM mart.comuni WHERE comune_code = ?", [code])[0]
    kind, kn = sql(wh_2k, "SELECT kind, count(*) FROM mart.organisations WHERE comune_code = ? AND "
                          "coalesce(status, 'active') = 'active' GROUP BY kind ORDER BY 2 DESC, 1 LIMIT 1", [code])[0]
    tip = next(r["tooltip"] for r in records if r["comune_code"] == code).split("\n")
    assert tip[0] == f"{name} ({prov})" and tip[1] == f"Sedi: {n:,}".replace(",", ".")
    assert tip[2] == f"Tipo più frequente: {i18n.kind_label(kind, 'it')} ({kn:,})".replace(",", ".")
    total = sum(expected.values())
    note = " ".join(i.value for i in at.info)
    assert f"{total:,}".replace(",", ".") in note and str(THRESHOLD) in note and "cerchio" in note


def test_the_note_and_tooltips_follow_the_language(wh_2k, monkeypatch):
    at = map_page(wh_2k, monkeypatch, {"lang": "en"})
    total = sum(n for _, n in sql(wh_2k, PER_COMUNE, [list(VALLEY)]))
    note = " ".join(i.value for i in at.info)
    assert f"{total:,}" in note and "per comune" in note and "click a circle" in note
    records = layers(at)["comune-counts"]["data"]
    assert all(r["tooltip"].split("\n")[1].startswith("Sites: ") for r in records)


def test_below_the_threshold_the_single_sites_are_drawn(wh_2k, monkeypatch):
    # the comune with the most SYNTHETIC sites: fewer than the threshold on its own
    code, n = sql(wh_2k, "SELECT comune_code, count(*) FROM mart.organisations WHERE org_id LIKE 'syn-%' "
                         "GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT 1")[0]
    province = sql(wh_2k, "SELECT province FROM mart.comuni WHERE comune_code = ?", [code])[0][0]
    assert 10 < n < THRESHOLD
    at = map_page(wh_2k, monkeypatch, {"prov": province, "comune": code})
    spec = layers(at)
    assert "organisations" in spec and "comune-counts" not in spec
    expected = {r[0] for r in sql(wh_2k, "SELECT org_id FROM mart.organisations WHERE comune_code = ? AND "
                                         "coalesce(status, 'active') = 'active' AND lat IS NOT NULL", [code])}
    assert {r["org_id"] for r in spec["organisations"]["data"]} == expected
    assert not at.info or all("cerchio" not in i.value for i in at.info)


def test_the_default_threshold_draws_these_sites_one_by_one(wh_2k, monkeypatch):
    # 2,000 SYNTHETIC sites + the fixture's, about 1,000 in the default provinces: under maps.MAX_SITES
    from beautyvalley import maps
    total = sum(n for _, n in sql(wh_2k, PER_COMUNE, [list(VALLEY)]))
    assert total < maps.MAX_SITES
    monkeypatch.delenv("BEAUTYVALLEY_MAP_MAX_SITES", raising=False)
    at = map_page(wh_2k, monkeypatch, threshold=maps.MAX_SITES)
    assert "organisations" in layers(at) and "comune-counts" not in layers(at)


def test_the_counts_payload_stays_bounded_when_the_sites_grow(wh_2k, wh_20k, monkeypatch):
    sizes = {}
    for label, db in (("2k", wh_2k), ("20k", wh_20k)):
        at = map_page(db, monkeypatch, {"prov": "all"})  # every comune of Lombardy: the largest map
        spec = layers(at)
        assert "organisations" not in spec
        n = sql(db, "SELECT count(*) FROM mart.organisations WHERE coalesce(status, 'active') = 'active' "
                    "AND comune_code IS NOT NULL")[0][0]
        assert sum(r["sites"] for r in spec["comune-counts"]["data"]) == n
        sizes[label] = (len(json.dumps(spec["comune-counts"], separators=(",", ":"))), len(deck_json(at)), n)
    (agg2, deck2, n2), (agg20, deck20, n20) = sizes["2k"], sizes["20k"]
    assert deck20 < 1.5 * deck2, sizes  # the whole map too
    assert n20 > 8 * n2
    assert agg20 < 1.5 * agg2, sizes  # ten times the sites, about the same bytes (one record per comune)
    assert deck20 < 2_000_000 and agg20 < 500_000, sizes
