"""Sign-in plumbing with AppTest (no browser): `current_staff()` from `st.user` and the allow-list, for an
anonymous visitor, a signed-in user not on the list, staff, an unverified e-mail, and no [auth] at all."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit import config as st_config
from streamlit.runtime.secrets import secrets_singleton
from streamlit.testing.v1 import AppTest

from beautyvalley.desk import demo, staff

SCRIPT = str(Path(__file__).resolve().parent / "desk_login_app.py")


@pytest.fixture
def signin(tmp_path, monkeypatch):
    """[auth] configured through a generated secrets file (as `make demo-staff` does); an allow-list."""
    secrets = demo.write_secrets(tmp_path / "secrets.toml", "http://127.0.0.1:1", "http://127.0.0.1:2")
    old = st_config.get_option("secrets.files")
    st_config.set_option("secrets.files", [str(secrets)])
    secrets_singleton._reset()
    staff.save(tmp_path / "staff.toml", {"ada@example.org": "admin", "bea@example.org": "editor"})
    monkeypatch.setenv("BEAUTYVALLEY_STAFF", str(tmp_path / "staff.toml"))
    yield
    st_config.set_option("secrets.files", old)
    secrets_singleton._reset()


def run(user: dict | None) -> str:
    at = AppTest.from_file(SCRIPT, default_timeout=60)
    if user is not None:
        at.user = user
    at.run()
    assert not at.exception, at.exception
    return "\n".join(m.value for m in at.markdown)


def test_anonymous_gets_no_role(signin):
    out = run({"is_logged_in": False})
    assert "access: `signed_out`" in out and "role: `None`" in out
    # AppTest's default user has an e-mail but is not signed in: still nobody
    assert "role: `None`" in run(None)


def test_signed_in_but_not_on_the_list(signin):
    out = run({"is_logged_in": True, "email": "eve@example.org", "email_verified": True})
    assert "access: `not_authorised`" in out and "role: `None`" in out


@pytest.mark.parametrize("email,role", [("ada@example.org", "admin"), ("Bea@Example.ORG", "editor")])
def test_staff_get_their_role(signin, email, role):
    out = run({"is_logged_in": True, "email": email, "email_verified": True})
    assert f"access: `{role}`" in out and f"role: `{role}`" in out


def test_an_unverified_email_is_not_trusted(signin):
    out = run({"is_logged_in": True, "email": "ada@example.org", "email_verified": False})
    assert "role: `None`" in out and "access: `signed_out`" in out


def test_without_auth_configured_nobody_is_staff(tmp_path, monkeypatch):
    old = st_config.get_option("secrets.files")
    st_config.set_option("secrets.files", [str(tmp_path / "none.toml")])
    secrets_singleton._reset()
    staff.save(tmp_path / "staff.toml", {"ada@example.org": "admin"})
    monkeypatch.setenv("BEAUTYVALLEY_STAFF", str(tmp_path / "staff.toml"))
    try:
        out = run({"is_logged_in": True, "email": "ada@example.org"})
    finally:
        st_config.set_option("secrets.files", old)
        secrets_singleton._reset()
    assert "access: `not_configured`" in out and "role: `None`" in out
