"""Public corrections: checks on submit, the per-session rate limit, accept (the value reaches the
warehouse with its source and survives every rebuild), reject with a reason, verbatim storage, staff list."""
from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb
import pytest

from beautyvalley.desk import corrections, publishing, staff
from etl import corrections as etl_corrections
from etl.build import build_warehouse
from tests.desk_helpers import ADMIN, EDITOR, make_desk

HOSTILE = "<img src=x onerror=alert(1)> =HYPERLINK(\"http://x\") '; DROP TABLE corrections;--"


@pytest.fixture
def desk(tmp_path, fixture_db, monkeypatch):
    return make_desk(tmp_path, fixture_db, monkeypatch)


def q(db: Path, sql: str, params=None):
    link = Path(db).with_name(f".q-{os.getpid()}-{time.monotonic_ns()}")
    os.link(db, link)
    try:
        with duckdb.connect(str(link), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()
    finally:
        link.unlink()


def a_site(cfg):
    return q(cfg.db, "SELECT org_id, employees FROM mart.organisations WHERE employees IS NOT NULL ORDER BY org_id")[0]


def codes(res):
    return [c for c, _ in res.problems]


def test_submit_checks_value_source_email_and_site(desk):
    cfg, store = desk
    org, _ = a_site(cfg)
    assert codes(corrections.submit(cfg, store, "s1", org, "employees", "250")) == ["correction.source_required"]
    assert codes(corrections.submit(cfg, store, "s1", org, "employees", "molti", "https://example.org/x")) == \
        ["correction.bad_value"]
    assert codes(corrections.submit(cfg, store, "s1", org, "website", "https://example.org", "javascript:alert(1)")) == \
        ["correction.bad_source"]
    assert codes(corrections.submit(cfg, store, "s1", org, "name", "X", None, "not-an-email")) == ["correction.bad_email"]
    assert codes(corrections.submit(cfg, store, "s1", "no-such-site", "name", "X")) == ["correction.unknown_site"]
    assert codes(corrections.submit(cfg, store, "s1", org, "org_id", "X")) == ["correction.bad_value"]
    assert store.corrections() == []
    ok = corrections.submit(cfg, store, "s2", org, "name", HOSTILE, None, "visitor@example.org")
    assert ok.ok
    c = store.corrections()[0]
    assert c["proposed_value"] == HOSTILE and c["email"] == "visitor@example.org" and c["status"] == "pending"


def test_rate_limit_per_session(desk):
    cfg, store = desk
    org, _ = a_site(cfg)
    results = [corrections.submit(cfg, store, "sess-a", org, "address", f"Via {i}", per_session=3).ok for i in range(5)]
    assert results == [True, True, True, False, False]
    assert codes(corrections.submit(cfg, store, "sess-a", org, "address", "Via 9", per_session=3)) == \
        ["correction.rate_limited"]
    assert corrections.submit(cfg, store, "sess-b", org, "address", "Via 1", per_session=3).ok  # another session
    assert len(store.corrections()) == 4
    # the global cap stops a flood from many sessions
    assert not corrections.submit(cfg, store, "sess-c", org, "address", "Via 2", per_hour_all=4).ok


def test_accept_reaches_the_warehouse_with_its_source_and_survives_rebuilds(desk):
    cfg, store = desk
    org, old = a_site(cfg)
    new = old + 17
    url = "https://example.org/synthetic/annual-report"
    r = corrections.submit(cfg, store, "s", org, "employees", str(new), url, "who@example.org")
    with pytest.raises(publishing.Forbidden):
        corrections.accept(cfg, store, r.correction_id, "x@example.org", None)
    build_id = corrections.accept(cfg, store, r.correction_id, EDITOR, "editor")
    row = q(cfg.db, "SELECT employees, employees_year, source_urls, source_files FROM mart.organisations WHERE org_id = ?",
            [org])[0]
    assert row[0] == new and row[1] is None and url in row[2] and etl_corrections.LABEL in row[3]
    assert q(cfg.db, "SELECT build_id FROM meta.load_runs")[0][0] == build_id
    assert q(cfg.db, "SELECT correction_id, applied, reviewer FROM meta.corrections") == [(str(r.correction_id), True, EDITOR)]
    # the curated file has the reviewer and the source, never the e-mail
    text = cfg.corrections_csv.read_text(encoding="utf-8")
    assert url in text and EDITOR in text and "who@example.org" not in text
    # every later build loads it: a plain rebuild (as `make build` does) keeps the value
    build_warehouse(cfg.db, cfg.inbox, registry=cfg.registry, indicators_csv=cfg.indicators)
    assert q(cfg.db, "SELECT employees FROM mart.organisations WHERE org_id = ?", [org])[0][0] == new
    n_in, n_loaded, n_rej = q(cfg.db, "SELECT rows_in, rows_loaded, rows_rejected FROM meta.load_files "
                                      "WHERE role = 'corrections'")[0]
    assert (n_in, n_loaded, n_rej) == (1, 1, 0)
    with pytest.raises(ValueError, match="not_pending"):
        corrections.accept(cfg, store, r.correction_id, ADMIN, "admin")
    assert [e["action"] for e in store.audit_log()][0] == "correction_accepted"


def test_counts_follow_a_corrected_kind(desk):
    cfg, store = desk
    org, prov = q(cfg.db, "SELECT org_id, province FROM mart.organisations WHERE kind = 'company' AND province IS NOT NULL "
                          "ORDER BY org_id")[0]
    before = q(cfg.db, "SELECT n_company, n_testing_lab FROM mart.provinces WHERE province = ?", [prov])[0]
    r = corrections.submit(cfg, store, "s", org, "kind", "laboratorio di analisi")
    assert r.ok, r.problems
    corrections.accept(cfg, store, r.correction_id, EDITOR, "editor")
    after = q(cfg.db, "SELECT n_company, n_testing_lab FROM mart.provinces WHERE province = ?", [prov])[0]
    assert after == (before[0] - 1, before[1] + 1)


def test_reject_needs_a_reason_and_is_kept(desk):
    cfg, store = desk
    org, _ = a_site(cfg)
    r = corrections.submit(cfg, store, "s", org, "address", "Via Falsa 1")
    with pytest.raises(ValueError, match="reason_required"):
        corrections.reject(cfg, store, r.correction_id, EDITOR, "editor", "  ")
    corrections.reject(cfg, store, r.correction_id, EDITOR, "editor", "no source")
    c = store.corrections()[0]
    assert (c["status"], c["reviewer"], c["reason"]) == ("rejected", EDITOR, "no source")
    assert corrections.queue(store, "editor") == []
    assert [x["id"] for x in corrections.queue(store, "admin", None)] == [r.correction_id]
    with pytest.raises(publishing.Forbidden):
        corrections.queue(store, None)
    assert not cfg.corrections_csv.exists()


def test_a_correction_for_a_vanished_site_is_reported_not_applied(desk):
    cfg, _ = desk
    etl_corrections.write_rows(cfg.corrections_csv, [
        {"correction_id": "7", "org_id": "gone-site", "field": "name", "value": "X", "source_url": "",
         "reviewer": EDITOR, "reviewed_at": "2026-12-01T00:00:00Z"}])
    build_warehouse(cfg.db, cfg.inbox, registry=cfg.registry, indicators_csv=cfg.indicators)
    assert q(cfg.db, "SELECT rows_in, rows_loaded, rows_rejected FROM meta.load_files WHERE role = 'corrections'") == [(1, 0, 1)]
    assert q(cfg.db, "SELECT line, reason FROM staging.rejected_rows WHERE file = ?", [etl_corrections.LABEL]) == \
        [(2, "no site with org_id 'gone-site' in this build")]


def test_staff_list(tmp_path, desk):
    cfg, store = desk
    f = tmp_path / "staff.toml"
    f.write_text('[staff]\n"Ada@Example.org" = "admin"\n"x@example.org" = "owner"\n', encoding="utf-8")
    assert staff.role_for(f, " ada@EXAMPLE.org ") == "admin"
    assert staff.role_for(f, "x@example.org") is None  # unknown role ignored
    assert staff.role_for(f, None) is None and staff.role_for(tmp_path / "missing.toml", "ada@example.org") is None
    f.write_text("[staff\nbroken", encoding="utf-8")
    assert staff.load(f) == {}  # fails closed
    with pytest.raises(PermissionError):
        staff.set_role(cfg.staff_file, store, EDITOR, "editor", "new@example.org", "editor")
    staff.set_role(cfg.staff_file, store, ADMIN, "admin", "New@Example.org", "editor")
    assert staff.role_for(cfg.staff_file, "new@example.org") == "editor"
    staff.set_role(cfg.staff_file, store, ADMIN, "admin", "new@example.org", None)
    assert staff.role_for(cfg.staff_file, "new@example.org") is None
    assert [e["action"] for e in store.audit_log()][:2] == ["staff_changed", "staff_changed"]
