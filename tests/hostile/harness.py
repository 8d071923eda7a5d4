"""Shared plumbing for the hostile, fault and browser tests (and bench/): run the real ETL
and the real dashboard as subprocesses, hash files, find free ports. No assertions here."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from beautyvalley.desk.demo import stop_process_group
from etl.registry.reading import sha256_of

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable  # the venv's python when run by `make test`
TRACEBACK = "Traceback (most recent call last)"


def etl_env(**extra: str) -> dict:
    env = dict(os.environ)
    env.update({"COLUMNS": "250", "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1",
                "TERM": "dumb", "PYTHONUTF8": "1"})
    env.update(extra)
    return env


def run_etl(*args: str, timeout: float = 300, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m etl <args>` from the repo root; text output decoded leniently."""
    return subprocess.run([PYTHON, "-m", "etl", *map(str, args)], cwd=REPO, capture_output=True,
                          timeout=timeout, env=env or etl_env(), text=True, encoding="utf-8",
                          errors="replace")


def build(db: Path, inbox: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    if inbox is None:
        inbox = db.parent / "empty-inbox"
        inbox.mkdir(parents=True, exist_ok=True)
    return run_etl("build", "--db", db, "--inbox", inbox, timeout=timeout)


def sha256(path: Path) -> str:
    return sha256_of(path)


def copy_warehouse(src: Path, dst: Path) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    return dst


def base_warehouse(request, tmp_path_factory) -> Path:
    """The lead's deterministic fixture warehouse (tests/conftest.py `fixture_db`) when it
    exists, else one built here by the real ETL with an empty inbox."""
    try:
        return Path(request.getfixturevalue("fixture_db"))
    except Exception as exc:  # FixtureLookupError until conftest.py provides it
        if exc.__class__.__name__ != "FixtureLookupError":
            raise
    d = tmp_path_factory.mktemp("base-warehouse")
    db = d / "base.duckdb"
    r = build(db)
    if r.returncode != 0 or not db.exists():
        raise RuntimeError(f"could not build a base warehouse: rc={r.returncode}\n{r.stderr[-3000:]}")
    return db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except Exception as exc:  # not up yet  # noqa: BLE001
            last = exc
        time.sleep(0.3)
    raise TimeoutError(f"{url} not healthy after {timeout}s: {last}")


@contextlib.contextmanager
def streamlit_server(db: Path, log: Path, port: int | None = None, timeout: float = 120,
                     extra_env: dict | None = None, script: str = "dashboard.py",
                     extra_args: tuple[str, ...] = ()):
    """Start `streamlit run <script>` (default dashboard.py) on a free localhost port against warehouse
    `db`; yield its base URL; stop it (SIGTERM, then SIGKILL) at the end."""
    port = port or free_port()
    env = dict(os.environ)
    env.update({"BEAUTYVALLEY_DB": str(db), "PYTHONUNBUFFERED": "1"})
    env.update(extra_env or {})
    cmd = [PYTHON, "-m", "streamlit", "run", script, "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *extra_args]
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_http(base + "/_stcore/health", timeout)
            yield base
        finally:
            stop_process_group(proc)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-default-apps", "--disable-domain-reliability"]


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def is_local(url: str) -> bool:
    from urllib.parse import urlparse
    u = urlparse(url)
    if u.scheme in ("data", "blob", "about", "chrome", "chrome-extension", "devtools"):
        return True
    return (u.hostname or "") in ("127.0.0.1", "localhost", "::1")


_PLAYWRIGHT = None
_BROWSER = None


def shared_browser():
    """One Playwright driver and one headless Chromium per test process (Playwright's sync API
    allows only one driver per thread), shared by every test module; closed at exit."""
    global _PLAYWRIGHT, _BROWSER
    if _BROWSER is None or not _BROWSER.is_connected():
        import atexit

        from playwright.sync_api import sync_playwright
        if _PLAYWRIGHT is None:
            _PLAYWRIGHT = sync_playwright().start()
            atexit.register(_stop_browser)
        _BROWSER = launch_chromium(_PLAYWRIGHT)
    return _BROWSER


def _stop_browser():
    global _PLAYWRIGHT, _BROWSER
    try:
        if _BROWSER is not None:
            _BROWSER.close()
        if _PLAYWRIGHT is not None:
            _PLAYWRIGHT.stop()
    except Exception:  # noqa: BLE001 - best effort at interpreter exit
        pass
    _PLAYWRIGHT = _BROWSER = None
