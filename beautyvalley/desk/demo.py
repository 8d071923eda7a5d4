"""A local OpenID Connect provider (`oidc-provider-mock`, dev dependency) for the tests and the demo.

    python -m beautyvalley.desk.demo [--port 8501] [--script dashboard.py]   (what `make demo-staff` runs)

starts the provider on a free localhost port with two predefined users, writes a secrets file and an
allow-list into var/demo/ (git-ignored; the cookie secret is random for each run), and runs
`streamlit run` with `--secrets.files` pointing at that file. The demo's durable folder, warehouse and
inbox are var/demo/ too, so nothing done in the demo touches data/. The provider's sign-in page lists the
users: `ada` (ada@example.org, admin on the demo list) and `eve` (eve@example.org, not on the list).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from etl import paths

DEMO_USERS = [
    {"sub": "ada", "email": "ada@example.org", "email_verified": True, "name": "Ada (demo admin)"},
    {"sub": "eve", "email": "eve@example.org", "email_verified": True, "name": "Eve (not on the list)"},
]
DEMO_STAFF = {"ada@example.org": "admin"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, timeout: float) -> None:
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except Exception as e:  # noqa: BLE001 - not up yet
            last = e
        time.sleep(0.2)
    raise TimeoutError(f"{url} not up after {timeout}s: {last}")


def stop_process_group(proc: subprocess.Popen, grace: float = 10) -> None:
    """SIGTERM the process group of `proc` (started with start_new_session=True), SIGKILL it after `grace` s."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(grace)


@contextlib.contextmanager
def oidc_provider(users: list[dict] = DEMO_USERS, port: int | None = None, log: Path | None = None):
    """Run oidc-provider-mock on 127.0.0.1:<port>; yield its base URL; stop it at the end."""
    port = port or free_port()
    cmd = [sys.executable, "-W", "ignore", "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port),
           *[a for u in users for a in ("--user-claims", json.dumps(u))]]
    if log:
        Path(log).parent.mkdir(parents=True, exist_ok=True)
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - open for the provider's lifetime
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + "/.well-known/openid-configuration", 60)
        yield base
    finally:
        stop_process_group(proc)
        if log:
            out.close()


def write_secrets(path: Path, app_base: str, provider_base: str) -> Path:
    """A secrets.toml for a local run: fresh random cookie secret, the provider's metadata URL."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (
        "# generated for a local demo/test run; never commit\n[auth]\n"
        f'redirect_uri = "{app_base}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "beautyvalley-local"\n'
        f'client_secret = "{secrets.token_hex(16)}"\n'
        f'server_metadata_url = "{provider_base}/.well-known/openid-configuration"\n'
    )
    path.write_text(text, encoding="utf-8")
    os.chmod(path, 0o600)
    return path


def main(argv: list[str] | None = None) -> int:
    from . import staff

    # SIGTERM (and Ctrl+C) unwind normally, so the provider is stopped too
    signal.signal(signal.SIGTERM, lambda signum, frame: (_ for _ in ()).throw(SystemExit(128 + signum)))
    p = argparse.ArgumentParser(prog="python -m beautyvalley.desk.demo")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--script", default="dashboard.py")
    args = p.parse_args(argv)
    demo = paths.ROOT / "var" / "demo"
    app_base = f"http://localhost:{args.port}"
    with oidc_provider(log=demo / "oidc-provider.log") as provider:
        secrets_file = write_secrets(demo / "secrets.toml", app_base, provider)
        staff.save(demo / "staff.toml", DEMO_STAFF)
        # the demo has its own durable folder, warehouse and inbox: publishing there never touches data/
        env = dict(os.environ, BEAUTYVALLEY_VAR=str(demo), BEAUTYVALLEY_STAFF=str(demo / "staff.toml"),
                   BEAUTYVALLEY_DB=str(demo / "beautyvalley.duckdb"), BEAUTYVALLEY_INBOX=str(demo / "inbox"))
        print(f">> local OIDC provider: {provider} (users: ada = admin, eve = not on the list)")
        print(f">> dashboard: {app_base}  (Ctrl+C stops both)")
        cmd = [sys.executable, "-m", "streamlit", "run", args.script, "--server.port", str(args.port),
               "--server.address", "localhost", "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--secrets.files", str(secrets_file)]
        try:
            return subprocess.call(cmd, cwd=paths.ROOT, env=env)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    sys.exit(main())
