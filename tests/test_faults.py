"""Faults: a build that crashes or is killed never damages the warehouse in service, and readers
keep working during a rebuild and see the new build afterwards.

* a simulated crash at every stage of the build (the ETL's BEAUTYVALLEY_BUILD_FAIL_AT hook);
* SIGKILL while the build is paused at every stage (BEAUTYVALLEY_BUILD_PAUSE_AT), and SIGKILL,
  SIGTERM or SIGINT after 0.5 / 1 / 2 / 4 s of a build with a SYNTHETIC 100,000-row inbox;
* a read-only DuckDB connection opened before a rebuild answers during and after it; a new
  connection (and the dashboard's warehouse module) sees the new build;
* the running dashboard answers during a rebuild and shows the new data after it (browser).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "hostile"))
sys.path.insert(0, str(HERE.parent / "bench"))
import harness  # noqa: E402
import synthetic  # noqa: E402

from etl.build import STAGES  # noqa: E402

pytestmark = pytest.mark.timeout(900)


def build_id(db: Path) -> str:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT build_id FROM meta.load_runs").fetchone()[0]


def org_count(db: Path) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT count(*) FROM mart.organisations").fetchone()[0]


def temp_files(db: Path) -> list[Path]:
    return [p for p in db.parent.iterdir() if p.name.startswith(f".{db.name}.tmp-")]


def start_build(db: Path, inbox: Path, *extra: str, **env) -> subprocess.Popen:
    return subprocess.Popen([harness.PYTHON, "-m", "etl", "build", "--db", str(db), "--inbox", str(inbox),
                             "--quiet", *extra], cwd=harness.REPO, env=harness.etl_env(**env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace")


@pytest.fixture(scope="module")
def big_inbox(tmp_path_factory) -> Path:
    inbox = tmp_path_factory.mktemp("synthetic-inbox")
    synthetic.write_registry(inbox / "SYNTHETIC_registry_100k.csv", 100_000, seed=7)
    return inbox


@pytest.fixture
def served(fixture_db, tmp_path) -> tuple[Path, str, int]:
    """A warehouse in service (a copy of the fixture warehouse): path, build id, sha256."""
    db = harness.copy_warehouse(Path(fixture_db), tmp_path / "served" / "beautyvalley.duckdb")
    return db, build_id(db), harness.sha256(db)


def assert_intact(db: Path, old_build: str, old_sha: str):
    assert db.exists()
    assert harness.sha256(db) == old_sha, "the warehouse in service was modified"
    assert build_id(db) == old_build
    assert org_count(db) > 0


# --------------------------------------------------------------------------- crashes

@pytest.mark.parametrize("stage", STAGES)
def test_crash_at_stage_keeps_old_warehouse(served, tmp_path, stage):
    db, old_build, old_sha = served
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    r = harness.run_etl("build", "--db", db, "--inbox", inbox, "--quiet",
                        env=harness.etl_env(BEAUTYVALLEY_BUILD_FAIL_AT=stage))
    assert r.returncode != 0
    assert stage in r.stderr
    assert_intact(db, old_build, old_sha)
    assert temp_files(db) == [], "a crashed build left its temporary file"


@pytest.mark.parametrize("stage", STAGES)
def test_sigkill_while_paused_at_stage(served, tmp_path, stage):
    db, old_build, old_sha = served
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    proc = start_build(db, inbox, BEAUTYVALLEY_BUILD_PAUSE_AT=f"{stage}:120")
    try:
        # every stage before the paused one takes a few seconds at most on this data
        deadline = time.monotonic() + 60
        while not temp_files(db) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        time.sleep(8)
        assert proc.poll() is None, f"build ended before the kill: {proc.stderr.read()[-2000:]}"
    finally:
        proc.kill()
        proc.wait(30)
    assert_intact(db, old_build, old_sha)
    # the killed build's temporary file is never promoted, and the next build cleans it up
    r = harness.run_etl("build", "--db", db, "--inbox", inbox, "--quiet")
    assert r.returncode == 0, r.stderr[-2000:]
    assert build_id(db) != old_build
    assert temp_files(db) == []


@pytest.mark.parametrize("sig,after", [
    (signal.SIGKILL, 0.5), (signal.SIGKILL, 1.0), (signal.SIGKILL, 2.0), (signal.SIGKILL, 4.0),
    (signal.SIGTERM, 1.0), (signal.SIGINT, 2.0),
], ids=lambda v: v.name if isinstance(v, signal.Signals) else f"{v}s")
def test_kill_after_seconds(served, big_inbox, sig, after):
    db, old_build, old_sha = served
    proc = start_build(db, big_inbox)
    time.sleep(after)
    finished_first = proc.poll() is not None
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    if finished_first:
        pytest.fail(f"the build finished in under {after} s; the kill tested nothing")
    # either it died (old warehouse intact) or it had already promoted a complete new one
    if harness.sha256(db) == old_sha:
        assert_intact(db, old_build, old_sha)
    else:
        assert build_id(db) != old_build and org_count(db) > 100_000 * 0.9
    if sig != signal.SIGKILL:
        assert temp_files(db) == [], "an interrupted build left its temporary file"
        assert harness.TRACEBACK not in err or sig == signal.SIGINT


# --------------------------------------------------------------------------- readers during a rebuild

def test_open_reader_survives_rebuild_and_new_connection_sees_new_build(served, tmp_path):
    db, old_build, _ = served
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    reader = duckdb.connect(str(db), read_only=True)
    n_old = reader.execute("SELECT count(*) FROM mart.organisations").fetchone()[0]
    proc = start_build(db, inbox, BEAUTYVALLEY_BUILD_PAUSE_AT="checks:3")
    answers, failures = 0, []
    while proc.poll() is None:
        try:
            got = reader.execute("SELECT (SELECT build_id FROM meta.load_runs), count(*) "
                                 "FROM mart.organisations").fetchone()
            assert got == (old_build, n_old)
            answers += 1
        except Exception as exc:  # noqa: BLE001 - any failure is the finding
            failures.append(repr(exc))
        time.sleep(0.05)
    assert proc.returncode == 0, proc.stderr.read()[-2000:]
    assert not failures, failures[:3]
    assert answers >= 20  # it really answered during the build
    # the old connection still answers, with the old data
    assert reader.execute("SELECT build_id FROM meta.load_runs").fetchone()[0] == old_build
    # a new process sees the new build
    out = subprocess.run([harness.PYTHON, "-c", "import duckdb,sys; print(duckdb.connect(sys.argv[1], "
                          "read_only=True).execute('SELECT build_id FROM meta.load_runs').fetchone()[0])",
                          str(db)], capture_output=True, text=True, timeout=60)
    new_build = out.stdout.strip()
    assert new_build and new_build != old_build
    reader.close()
    # and so does a new connection in this process once the old one is closed
    assert build_id(db) == new_build


def test_dashboard_warehouse_module_follows_the_rebuild(served, tmp_path, monkeypatch):
    """beautyvalley.warehouse: the connection for the new build key reads the new file, even
    though a connection to the old file was open in the same process (DuckDB instance cache)."""
    from beautyvalley import warehouse
    db, old_build, _ = served
    monkeypatch.setenv(warehouse.ENV_VAR, str(db))
    old_key = warehouse.build_key()
    con = warehouse.connection(old_key)
    assert con.execute("SELECT build_id FROM meta.load_runs").fetchone()[0] == old_build
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    r = harness.run_etl("build", "--db", db, "--inbox", inbox, "--quiet")
    assert r.returncode == 0, r.stderr[-2000:]
    new_key = warehouse.build_key()
    assert new_key != old_key
    got = warehouse.read_df(new_key, "SELECT build_id FROM meta.load_runs")["build_id"].iloc[0]
    assert got == build_id(db) != old_build


@pytest.mark.browser
def test_dashboard_answers_during_rebuild_and_shows_new_data(served, tmp_path):
    db, old_build, _ = served
    from tests import fixtures
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for f in fixtures.FIXTURE_INBOX.iterdir():
        (inbox / f.name).write_bytes(f.read_bytes())
    # the same fixture inputs plus three SYNTHETIC organisations in Crema
    (inbox / "SYNTHETIC_new_members.csv").write_text(
        "Ragione sociale;Comune;Provincia;Fonte\n" + "".join(
            f"SYNTHETIC Nuovo Socio {i} Srl;Crema;CR;https://example.invalid/synthetic\n" for i in range(3)),
        encoding="utf-8")
    with harness.streamlit_server(db, tmp_path / "streamlit.log", timeout=180) as base:
        context = harness.shared_browser().new_context()
        page = context.new_page()
        page.set_default_timeout(120_000)

        def count_on_explore() -> int:
            page.goto(base + "/explore?q=Nuovo+Socio")
            page.wait_for_selector("[data-testid=stDataFrame]")
            time.sleep(1.0)
            text = page.locator("[data-testid=stMarkdownContainer]").filter(
                has_text="sedi corrispondono").first.inner_text()
            return int(text.split()[0].replace(".", ""))

        before = count_on_explore()
        proc = start_build(db, inbox, "--registry", str(fixtures.FIXTURE_REGISTRY),
                           "--indicators", str(fixtures.FIXTURE_INDICATORS),
                           BEAUTYVALLEY_BUILD_PAUSE_AT="checks:6")
        # A read counts as "during" only if the old file was still in place when it finished: the build keeps
        # running for a moment after the swap (it counts rows, prints), and a read then may see the new data.
        old_inode = os.stat(db).st_ino
        during = []
        while proc.poll() is None:
            n = count_on_explore()
            if os.stat(db).st_ino == old_inode:
                during.append(n)
        assert proc.returncode == 0, proc.stderr.read()[-2000:]
        assert before == 0
        assert during and all(n == before for n in during), during
        after = count_on_explore()
        assert page.locator("[data-testid=stException]").count() == 0
        context.close()
    assert after == 3
