"""Checks on the curated inputs in data/: every row sourced, in its vocabularies, placed, unique, plausible."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from etl import paths
from etl.registry.reading import read_table
from etl.registry.validation import CLUSTER_ROLES, FIGURE_SCOPES, SITE_TYPES, validate
from etl.registry.values import KINDS, name_key, parse_urls
from etl.sources import indicators as ind_source
from etl.sources.segments import CODES as SEGMENTS


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


ORGS = _rows(paths.REGISTRY_CSV)
INDS = _rows(paths.INDICATORS_CSV)


def _year_of(date_text: str) -> int | None:
    return int(date_text[:4]) if date_text and date_text[:4].isdigit() else None


def test_every_row_has_http_sources():
    for rows, name in ((ORGS, "organisations"), (INDS, "indicators")):
        for i, r in enumerate(rows, start=2):
            parts = [p.strip() for p in r["source_url"].split(" | ")]
            assert parts and all(p.startswith(("http://", "https://")) for p in parts), f"{name}.csv line {i}"
            assert parse_urls(r["source_url"])[0], f"{name}.csv line {i}"


def test_organisation_vocabularies():
    for i, r in enumerate(ORGS, start=2):
        assert r["kind"] in KINDS, (i, r["kind"])
        assert all(s in SEGMENTS for s in r["segment"].split("|") if s), (i, r["segment"])
        assert r["site_type"] == "" or r["site_type"] in SITE_TYPES, (i, r["site_type"])
        assert r["figure_scope"] == "" or r["figure_scope"] in FIGURE_SCOPES, (i, r["figure_scope"])
        assert r["cluster_role"] == "" or r["cluster_role"] in CLUSTER_ROLES, (i, r["cluster_role"])
        if r["employees"] or r["revenue_meur"]:
            assert r["figure_scope"], f"line {i}: a figure needs its scope (site, company or group)"


def test_registry_passes_the_etl_validation_without_rejections_or_warnings(geo_inputs):
    v = validate(read_table(paths.REGISTRY_CSV), geo_inputs.ctx, role="registry")
    assert v.rejected.empty, v.rejected.to_string()
    assert v.issues.empty, v.issues.to_string()
    placed = v.rows[v.rows["comune_code"].notna()]
    # every comune resolves to an ISTAT code in the stated province
    provs = geo_inputs.geo.comuni.set_index("comune_code")["province"]
    for r in placed.itertuples():
        stated = ORGS[r.line - 2]["province"]
        assert provs[r.comune_code] == stated, (r.line, stated)


def test_org_ids_unique_and_no_two_rows_are_the_same_site(geo_inputs):
    ids = [r["org_id"] for r in ORGS]
    assert len(ids) == len(set(ids))
    seen = {}
    for i, r in enumerate(ORGS, start=2):
        if not r["comune"]:
            continue
        key = (name_key(r["name"]), r["comune"].lower(), r["province"])
        assert key not in seen, f"lines {seen.get(key)} and {i} are the same site"
        seen[key] = i


@pytest.mark.parametrize("field", ["founded", "employees_year", "revenue_year"])
def test_organisation_years_plausible_and_not_after_their_source(field):
    for i, r in enumerate(ORGS, start=2):
        if not r[field]:
            continue
        y = int(r[field])
        assert 1800 <= y <= 2030, (i, y)
        sy = _year_of(r["source_date"])
        if sy:
            assert y <= sy, f"line {i}: {field} {y} after source date {r['source_date']}"


def test_indicators_vocabularies_years_and_ids():
    assert list(INDS[0].keys()) == ind_source.COLUMNS
    ids = [r["indicator_id"] for r in INDS]
    assert len(ids) == len(set(ids))
    for i, r in enumerate(INDS, start=2):
        assert r["unit"] in ind_source.UNITS, (i, r["unit"])
        assert r["comparable_group"], i
        float(r["value"])
        if r["year"]:
            y = int(r["year"])
            assert 1800 <= y <= 2030, (i, y)
            sy = _year_of(r["source_date"])
            assert sy is None or y <= sy, (i, y, r["source_date"])
            assert r["year_basis"] in ind_source.YEAR_BASES, (i, r["year_basis"])


def test_indicators_load_without_rejections():
    _, valid, rejected, issues = ind_source.load(paths.INDICATORS_CSV)
    assert rejected.empty, rejected.to_string()
    assert len(valid) == len(INDS)


def test_founders_present_with_their_source_versions():
    founders = [r for r in ORGS if r["cluster_role"] == "founder"]
    assert len(founders) >= 5
    for r in founders:
        assert r["cluster_role_source"] in {"A", "B", "A|B"}, r["name"]
