"""Staff desk preview, publish and undo: the diff against the warehouse in service, atomic publish with
audit, undo, two concurrent publishers, a kill during publish, append-only stores across rebuilds and
restarts. Expected values come from the sample files and independent SQL on the warehouses."""
from __future__ import annotations

import csv
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from beautyvalley.desk import publishing, uploads
from beautyvalley.desk.store import Store
from tests.desk_helpers import ADMIN, EDITOR, SAMPLES, desk_env, make_desk

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def desk(tmp_path, fixture_db, monkeypatch):
    return make_desk(tmp_path, fixture_db, monkeypatch)


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def q(db: Path, sql: str, params=None):
    link = Path(db).with_name(f".q-{os.getpid()}-{time.monotonic_ns()}")
    os.link(db, link)  # a fresh path: never a cached DuckDB instance of an older build
    try:
        with duckdb.connect(str(link), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()
    finally:
        link.unlink()


def stored(cfg, store, name="nuovi_soci.csv", who=EDITOR):
    data = (SAMPLES / name).read_bytes()
    chk = uploads.check_upload(data, name, cfg)
    assert chk.ok
    return uploads.store_upload(cfg, store, data, chk, who)


def sample_names(name: str) -> list[str]:
    with open(SAMPLES / name, encoding="utf-8") as f:
        return [r["Ragione Sociale"] for r in csv.DictReader(f, delimiter=";")]


def test_preview_lists_new_merged_changed_and_nothing_published(desk):
    cfg, store = desk
    before = sha(cfg.db)
    up = stored(cfg, store)
    p = publishing.preview(cfg, up, "editor")
    assert p.build_ok and sha(cfg.db) == before  # nothing published
    omega, beta, rejected = sample_names("nuovi_soci.csv")
    assert list(p.new_sites["name"]) == [omega]
    beta_id = q(cfg.db, "SELECT org_id FROM mart.organisations WHERE name LIKE 'Fixture Beta%' AND comune = 'Lodi'")[0][0]
    assert list(p.merged_sites["org_id"]) == [beta_id]
    old_emp = q(cfg.db, "SELECT employees FROM mart.organisations WHERE org_id = ?", [beta_id])[0][0]
    row = p.changed[(p.changed["org_id"] == beta_id) & (p.changed["field"] == "employees")].iloc[0]
    assert (row["old"], row["new"]) == (old_emp, 130) and old_emp != 130
    assert p.file in list(row["source_files"])
    assert p.disappeared.empty
    assert p.counts == {"rows_in": 3, "rows_loaded": 1, "rows_merged": 1, "rows_rejected": 1, "warnings": 0,
                        "error": None}
    assert rejected not in set(p.new_sites["name"])
    assert not any(cfg.inbox.glob("nuovi_soci*"))  # the inbox is untouched


def test_preview_reports_sites_that_would_disappear(desk):
    """A served warehouse that has a site the new build does not (here: built with an extra file)."""
    cfg, store = desk
    up = stored(cfg, store, "altri_soci.csv")
    publishing.publish(cfg, store, up, EDITOR, "editor")
    (cfg.inbox / up.inbox_name).unlink()  # someone removed the file at the shell
    p = publishing.preview(cfg, stored(cfg, store), "editor")
    assert list(p.disappeared["name"]) == sample_names("altri_soci.csv")


def test_publish_then_undo(desk):
    cfg, store = desk
    before, before_id = sha(cfg.db), publishing.served_build_id(cfg.db)
    up = stored(cfg, store)
    res = publishing.publish(cfg, store, up, EDITOR, "editor")
    assert res.ok and res.previous_build_id == before_id and res.build_id != before_id
    omega = sample_names("nuovi_soci.csv")[0]
    assert q(cfg.db, "SELECT count(*) FROM mart.organisations WHERE name = ?", [omega])[0][0] == 1
    lf = q(cfg.db, "SELECT rows_in, rows_loaded, rows_merged, rows_rejected, sha256 FROM meta.load_files WHERE file = ?",
           [f"inbox/{up.inbox_name}"])
    assert lf == [(3, 1, 1, 1, hashlib.sha256((SAMPLES / "nuovi_soci.csv").read_bytes()).hexdigest())]
    entry = next(e for e in store.audit_log() if e["action"] == "published")
    assert entry["actor"] == EDITOR and entry["sha256"] == up.sha256 and entry["build_id"] == res.build_id
    assert (entry["counts"]["rows_in"], entry["counts"]["rows_loaded"], entry["counts"]["rows_merged"],
            entry["counts"]["rows_rejected"]) == lf[0][:4]
    assert (cfg.inbox / up.inbox_name).read_bytes() == (SAMPLES / "nuovi_soci.csv").read_bytes()
    # an editor may not undo; an admin may
    with pytest.raises(publishing.Forbidden):
        publishing.undo(cfg, store, EDITOR, "editor")
    u = publishing.undo(cfg, store, ADMIN, "admin")
    assert u.restored_build_id == before_id and not u.rebuilt
    assert sha(cfg.db) == before  # exactly the previous build
    assert not (cfg.inbox / up.inbox_name).exists()
    assert up.path.exists()  # the upload itself is kept
    assert q(cfg.db, "SELECT count(*) FROM mart.organisations WHERE name = ?", [omega])[0][0] == 0
    with pytest.raises(publishing.NothingToUndo):
        publishing.undo(cfg, store, ADMIN, "admin")


def test_roles_are_checked_by_every_action(desk):
    cfg, store = desk
    up = stored(cfg, store)
    for role in (None, "visitor", ""):
        with pytest.raises(publishing.Forbidden):
            publishing.preview(cfg, up, role)
        with pytest.raises(publishing.Forbidden):
            publishing.publish(cfg, store, up, "x@example.org", role)
    assert not [e for e in store.audit_log() if e["action"].startswith("publish")]


def test_a_failed_build_keeps_the_previous_warehouse_and_takes_the_file_out(desk, monkeypatch):
    cfg, store = desk
    before = sha(cfg.db)
    up = stored(cfg, store)
    monkeypatch.setenv("BEAUTYVALLEY_BUILD_FAIL_AT", "checks")
    with pytest.raises(RuntimeError):
        publishing.publish(cfg, store, up, EDITOR, "editor")
    assert sha(cfg.db) == before and not (cfg.inbox / up.inbox_name).exists() and up.path.exists()
    assert [e["action"] for e in store.audit_log()][:2] == ["publish_failed", "publish_started"]


def _cli(cfg, *args, **env):
    return subprocess.Popen([sys.executable, "-m", "beautyvalley.desk", *args], cwd=ROOT,
                            env=desk_env(cfg, **env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def test_two_publishers_are_serialised_and_neither_upload_is_lost(desk):
    cfg, store = desk
    a = _cli(cfg, "publish", str(SAMPLES / "nuovi_soci.csv"), "--as", EDITOR, BEAUTYVALLEY_BUILD_PAUSE_AT="marts:3")
    b = _cli(cfg, "publish", str(SAMPLES / "altri_soci.csv"), "--as", ADMIN, BEAUTYVALLEY_BUILD_PAUSE_AT="marts:3")
    for p in (a, b):
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, (out, err[-3000:])
    log = list(reversed(Store(cfg.store_path).audit_log()))
    pub = [e for e in log if e["action"] in ("publish_started", "published")]
    # started, published, started, published: the second waited for the first
    assert [e["action"] for e in pub] == ["publish_started", "published"] * 2
    assert pub[1]["at"] < pub[2]["at"]
    assert pub[2]["detail"]["previous_build_id"] == pub[1]["build_id"]
    files = {r[0] for r in q(cfg.db, "SELECT file FROM meta.load_files")}
    assert {f"inbox/{pub[0]['file']}", f"inbox/{pub[2]['file']}"} <= files
    names = {r[0] for r in q(cfg.db, "SELECT name FROM mart.organisations")}
    assert sample_names("nuovi_soci.csv")[0] in names and sample_names("altri_soci.csv")[0] in names


def test_a_kill_during_publish_leaves_the_previous_build_the_upload_and_the_audit_entry(desk):
    cfg, store = desk
    before = sha(cfg.db)
    p = _cli(cfg, "publish", str(SAMPLES / "nuovi_soci.csv"), "--as", EDITOR, BEAUTYVALLEY_BUILD_PAUSE_AT="marts:120")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until the build is under way (its temp file exists)
        if any(e["action"] == "publish_started" for e in store.audit_log()) and \
                list(cfg.db.parent.glob(f".{cfg.db.name}.tmp-*")):
            break
        time.sleep(0.2)
    else:
        pytest.fail("the publish never started")
    os.killpg(p.pid, signal.SIGKILL)
    p.wait(30)
    data = (SAMPLES / "nuovi_soci.csv").read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    assert sha(cfg.db) == before
    assert (cfg.uploads / f"{digest}.csv").read_bytes() == data
    log = store.audit_log()
    assert [e["action"] for e in log][:2] == ["publish_started", "upload"] and log[0]["sha256"] == digest
    # the next publisher closes the interrupted one, then publishes normally
    res = publishing.publish(cfg, store, stored(cfg, store, "altri_soci.csv"), ADMIN, "admin")
    assert res.ok
    actions = [e["action"] for e in reversed(store.audit_log())]
    assert actions.index("publish_interrupted") < actions.index("published")
    assert not (cfg.inbox / log[0]["file"]).exists()
    files = {r[0] for r in q(cfg.db, "SELECT file FROM meta.load_files")}
    assert f"inbox/{log[0]['file']}" not in files


def test_stores_are_append_only_and_survive_rebuilds_and_restarts(desk):
    cfg, store = desk
    up = stored(cfg, store)
    publishing.publish(cfg, store, up, EDITOR, "editor")
    store.add_correction({"org_id": "x", "field": "name", "proposed_value": "y", "source_url": None, "email": None,
                          "session_id": "s"})
    snapshot = (store.audit_log(), store.uploads(), store.corrections())
    publishing.undo(cfg, store, ADMIN, "admin")
    from etl.build import build_warehouse

    build_warehouse(cfg.db, cfg.inbox, registry=cfg.registry, indicators_csv=cfg.indicators)
    again = Store(cfg.store_path)  # a restart: a new process would open the same file
    log = again.audit_log()
    assert log[-len(snapshot[0]):] == snapshot[0] and again.uploads() == snapshot[1]
    assert again.corrections() == snapshot[2]
    con = sqlite3.connect(cfg.store_path)
    for table in ("audit", "uploads", "corrections"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute(f"UPDATE {table} SET id = id + 1000")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute(f"DELETE FROM {table}")
    con.close()
    assert Store(cfg.store_path).audit_log() == log
