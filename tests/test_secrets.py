"""No secret is committed: every tracked file is scanned for secret-looking values (sign-in secrets with a
real-looking value, private keys, well-known token formats), the real secrets file is git-ignored, and the
desk's durable folder (var/) is never tracked. The detector itself is tested on values it must catch."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# key = "value" where the key names a secret and the value is not an obvious placeholder
ASSIGNED = re.compile(r"""(?im)^\s*["']?(cookie_secret|client_secret|secret_key|api_key|password|token)["']?\s*[=:]\s*["']([^"'\n]{8,})["']""")
PATTERNS = [
    re.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    re.compile(r"\bAKIA[0-9A-Z]{16}\b"),                       # AWS access key id
    re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),                  # Google API key
    re.compile(r"\bGOCSPX-[0-9A-Za-z_-]{20,}\b"),              # Google OAuth client secret
    re.compile(r"\bgh[pousr]_[0-9A-Za-z]{36,}\b"),             # GitHub token
    re.compile(r"\bxox[abprs]-[0-9A-Za-z-]{10,}\b"),           # Slack token
    re.compile(r"\bsk-[A-Za-z0-9]{32,}\b"),                    # API secret keys of several services
]
PLACEHOLDER = re.compile(r"<|REPLACE|example|change[-_ ]?me|\{|\$", re.I)


def findings(text: str) -> list[str]:
    out = [m.group(0) for p in PATTERNS for m in p.finditer(text)]
    out += [m.group(0) for m in ASSIGNED.finditer(text) if not PLACEHOLDER.search(m.group(2))]
    return out


def tracked_files() -> list[Path]:
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    return [ROOT / n.decode() for n in names if n]


@pytest.mark.parametrize("text", [
    # built by concatenation, so this file itself holds no secret-looking line
    "cookie_" + 'secret = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"',
    "[auth]\nclient_" + 'secret = "s3cr3t-value-from-provider"',
    "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIE...",
    "key: AKIA" + "ABCDEFGHIJKLMNOP",
    "GOCSPX-" + "abcdefghijklmnopqrstuvwx",
])
def test_the_detector_catches_secret_looking_values(text):
    assert findings(text)


@pytest.mark.parametrize("text", ['cookie_secret = "<REPLACE: 64 random hex characters>"',
                                  'client_secret = f"{secrets.token_hex(16)}"', "password = None"])
def test_the_detector_lets_placeholders_through(text):
    assert not findings(text)


def test_no_secret_looking_value_is_committed():
    found = {}
    for path in tracked_files():
        try:
            text = path.read_bytes().decode("utf-8", errors="ignore")
        except (FileNotFoundError, IsADirectoryError):
            continue
        if f := findings(text):
            found[str(path.relative_to(ROOT))] = f
    assert not found, found


def test_secrets_file_and_var_folder_are_ignored_and_untracked():
    tracked = {str(p.relative_to(ROOT)) for p in tracked_files()}
    assert ".streamlit/secrets.toml" not in tracked
    assert not any(t.startswith("var/") for t in tracked)
    for probe in (".streamlit/secrets.toml", "var/staff.toml", "var/desk.sqlite3", "var/uploads/x.csv"):
        r = subprocess.run(["git", "check-ignore", "-q", probe], cwd=ROOT)
        assert r.returncode == 0, f"{probe} is not git-ignored"
    assert (ROOT / ".streamlit" / "secrets.toml.example").is_file()
