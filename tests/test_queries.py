"""Query functions against the fixture warehouse, checked with independent SQL / pandas."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from beautyvalley import indicators, queries, warehouse
from beautyvalley.filters import Filters

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def db(fixture_db, monkeypatch):
    monkeypatch.setenv("BEAUTYVALLEY_DB", str(fixture_db))
    return fixture_db


def frame(db, sql, params=None) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).df()


def test_organisations_follow_every_filter(db):
    orgs = frame(db, "SELECT * FROM mart.organisations")
    cases = [
        (Filters(), orgs["province"].isin(["CR", "LO", "MI", "BG"])),
        (Filters(provinces=()), pd.Series(True, index=orgs.index)),
        (Filters(kinds=("company",)), orgs["province"].isin(["CR", "LO", "MI", "BG"]) & (orgs["kind"] == "company")),
        (Filters(provinces=(), segments=("packaging", "brand")),
         orgs["segments"].map(lambda s: bool({"packaging", "brand"} & set(s)))),
        (Filters(provinces=(), specialties=("make-up",)), orgs["specialties"].map(lambda s: "make-up" in list(s))),
        (Filters(provinces=(), name="ALFA"), orgs["name"].str.lower().str.contains("alfa", regex=False)),
    ]
    for f, mask in cases:
        got = set(queries.organisations(f)["org_id"])
        assert got == set(orgs.loc[mask.fillna(False).astype(bool), "org_id"]), f
        assert got  # every case selects something in the fixture


def test_comune_filter(db):
    code = frame(db, "SELECT comune_code FROM mart.organisations WHERE comune = 'Crema' LIMIT 1").iloc[0, 0]
    got = queries.organisations(Filters(comuni=(code,)))
    expected = frame(db, "SELECT org_id FROM mart.organisations WHERE comune_code = ?", [code])
    assert set(got["org_id"]) == set(expected["org_id"]) and len(got) >= 2


def test_user_text_is_a_parameter_not_sql(db):
    for text in ["x' OR '1'='1", "'; DROP TABLE mart.organisations; --", "%", "_", "<img src=x onerror=alert(1)>"]:
        got = queries.organisations(Filters(provinces=(), name=text))
        orgs = frame(db, "SELECT org_id, name FROM mart.organisations")
        assert set(got["org_id"]) == set(orgs.loc[orgs["name"].str.lower().str.contains(text.lower(), regex=False), "org_id"])
    assert frame(db, "SELECT count(*) AS n FROM mart.organisations").iloc[0, 0] > 0


def test_queries_module_never_builds_sql_from_values():
    src = (ROOT / "beautyvalley" / "queries.py").read_text()
    assert ".format(" not in src and "% (" not in src
    for fstring in re.findall(r'f"""(.*?)"""|f"([^"]*)"', src, flags=re.S):
        text = "".join(fstring)
        assert not re.search(r"\b(SELECT|WHERE|FROM)\b", text), text


def test_overview_numbers(db):
    o = frame(db, "SELECT * FROM mart.organisations WHERE province IN ('CR','LO','MI','BG')")
    ov = queries.overview(Filters())
    assert ov["sites"] == len(o)
    assert ov["organisations"] == o["group_id"].nunique()
    assert ov["companies"] == o.loc[o["kind"] == "company", "group_id"].nunique()
    assert ov["research"] == o.loc[o["kind"].isin(["university", "research_centre", "testing_lab"]), "group_id"].nunique()
    comp = o[o["kind"] == "company"]
    scope = o["figure_scope"].fillna("company")
    added = comp.loc[comp["employees"].notna() & (scope[comp.index] != "group"), "group_id"].nunique()
    assert ov["companies_with_employees"] == added
    is_comp = o["kind"] == "company"
    site = o[is_comp & (scope == "site") & o["employees"].notna()]["employees"].sum()
    company = o[is_comp & (scope == "company") & o["employees"].notna()].groupby("group_id")["employees"].max().sum()
    assert ov["employees"] == site + company  # group-wide (worldwide) head counts are never added
    # fixture: "Fixture Gamma Brand" (MI) has only a group-wide head count (6,500)
    assert ov["groups_not_added"] == 1
    assert ov["employees"] < 6500
    pop = frame(db, "SELECT sum(population) FROM mart.provinces WHERE province IN ('CR','LO','MI','BG')").iloc[0, 0]
    assert ov["population"] == pop
    assert ov["per_100k"] == pytest.approx(ov["organisations"] / pop * 100_000)


def test_completeness_matrix_has_every_segment_and_province_with_zeros(db):
    m = queries.segment_province(Filters())
    segs = frame(db, "SELECT segment FROM mart.segments")["segment"]
    assert set(m["segment"]) == set(segs)
    assert set(m["province"]) == {"CR", "LO", "MI", "BG"}
    assert len(m) == len(segs) * 4
    o = frame(db, "SELECT group_id, province, unnest(segments) AS segment FROM mart.organisations "
                  "WHERE province IN ('CR','LO','MI','BG')")
    expected = o.groupby(["segment", "province"])["group_id"].nunique()
    for row in m.itertuples(index=False):
        assert row.organisations == expected.get((row.segment, row.province), 0)
    assert (m["organisations"] == 0).any()


def test_latest_values_and_previous(db):
    latest, series = queries.headline_indicators()
    ind = frame(db, "SELECT * FROM mart.indicators WHERE entity IN ('Lombardia','Italia')")
    row = latest[(latest["entity"] == "Italia") & (latest["metric"] == "turnover")].iloc[0]
    it = ind[(ind["entity"] == "Italia") & (ind["metric"] == "turnover")].sort_values("year")
    assert row["year"] == it["year"].max() and row["value"] == it.iloc[-1]["value"]
    assert row["previous_year"] == it["year"].iloc[-2] and row["previous_value"] == it.iloc[-2]["value"]


def test_disagreements_give_the_range_and_every_source(db):
    ind = queries.indicators()
    d = indicators.disagreements(ind)
    raw = frame(db, "SELECT entity, metric, year, comparable_group, min(value) lo, max(value) hi, "
                    "list(DISTINCT source_url ORDER BY source_url) src FROM mart.indicators "
                    "GROUP BY ALL HAVING count(DISTINCT value) > 1")
    assert len(d) == len(raw) > 0
    for r in raw.itertuples(index=False):
        hit = d[(d["entity"] == r.entity) & (d["metric"] == r.metric) & (d["year"] == r.year)].iloc[0]
        assert (hit["low"], hit["high"]) == (r.lo, r.hi)
        assert hit["sources"] == list(r.src)


def test_a_replaced_warehouse_file_is_picked_up_without_restart(db, tmp_path, monkeypatch):
    path = tmp_path / "wh.duckdb"
    shutil.copy(db, path)
    monkeypatch.setenv("BEAUTYVALLEY_DB", str(path))
    before = len(queries.organisations(Filters(provinces=())))
    key_before = warehouse.build_key()
    new = tmp_path / "new.duckdb"
    shutil.copy(db, new)
    with duckdb.connect(str(new)) as con:
        con.execute("DELETE FROM mart.organisations WHERE kind <> 'company'")
    os.replace(new, path)  # what the ETL does
    assert warehouse.build_key() != key_before
    after = queries.organisations(Filters(provinces=()))
    expected = frame(path, "SELECT count(*) FROM mart.organisations").iloc[0, 0]
    assert len(after) == expected < before


def test_build_info_comes_from_load_runs(db):
    info = queries.build_info()
    runs = frame(db, "SELECT run_id, build_id, finished FROM meta.load_runs")
    assert info["run_id"] == str(runs["run_id"].iloc[0])
    assert info["build_id"] == str(runs["build_id"].iloc[0])
    assert info["date"] == pd.Timestamp(runs["finished"].iloc[0]).strftime("%Y-%m-%d")


def test_caches_are_bounded():
    src = (ROOT / "beautyvalley" / "queries.py").read_text()
    assert queries.CACHE["ttl"] > 0 and queries.CACHE["max_entries"] > 0
    # one cache, in the query layer's decorator; every query goes through it
    assert src.count("st.cache_data(") == 1 and "st.cache_data(**CACHE)(run)" in src
    here = [q for q in queries.QUERIES if q.__module__ == "beautyvalley.queries"]
    declared = re.findall(r"^@warehouse_query\(|^\w+ = frame_query\(", src, flags=re.M)
    assert len(declared) == len(here) >= 15
    for q in queries.QUERIES:
        info = q.cached._info
        assert (info.ttl, info.max_entries) == (queries.CACHE["ttl"], queries.CACHE["max_entries"]), q.__name__


def test_every_query_has_its_own_sql_file_and_cache():
    names = [q.cached._info.func.__qualname__ for q in queries.QUERIES]
    assert len(set(names)) == len(names)  # st.cache_data keys a cache by the function's qualified name
    used = set(re.findall(r'(?:@warehouse_query|= frame_query)\(\s*"([^"]+)"', (ROOT / "beautyvalley" / "queries.py").read_text()))
    assert len(used) >= 15
    assert used <= {p.name for p in (ROOT / "beautyvalley" / "sql").glob("*.sql")}


def test_the_filtered_prelude_carries_every_filter_predicate():
    stmt = queries.filtered_statement("-- a comment\nWITH n AS (SELECT 1) SELECT * FROM f, n")
    assert stmt.startswith("WITH f AS (") and "/* filter_spec.ORG_WHERE */" not in stmt
    assert ",\nn AS (SELECT 1) SELECT * FROM f, n" in stmt and "a comment" not in stmt
    for name in ("provinces", "comuni", "kinds", "segments", "specialties", "name", "statuses"):
        assert f"${name}" in stmt, name


def test_a_filtered_query_is_cached_by_the_filter_values_not_the_language(db):
    a = queries.overview(Filters(kinds=("company",), lang="it"))
    before = queries.overview.cached._info  # same cache object either way
    b = queries.overview(Filters(kinds=("company",), lang="en"))
    assert a == b and before is queries.overview.cached._info
    assert queries.overview(Filters(kinds=("university",)))["companies"] == 0


def test_a_query_on_a_connection_closed_by_a_swap_is_retried(db, tmp_path, monkeypatch):
    path = tmp_path / "wh.duckdb"
    shutil.copy(db, path)
    monkeypatch.setenv("BEAUTYVALLEY_DB", str(path))
    key = warehouse.build_key()
    warehouse.connection(key).close()  # what another session's swap does to this one
    n = warehouse.read_df(key, "SELECT count(*) AS n FROM mart.organisations")["n"].iloc[0]
    assert n == frame(path, "SELECT count(*) FROM mart.organisations").iloc[0, 0]
