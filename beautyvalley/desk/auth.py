"""Sign-in, the only Streamlit part of the desk: Streamlit's own OpenID Connect (`st.login`, `st.user`).

Configured in `.streamlit/secrets.toml` (never committed; template `.streamlit/secrets.toml.example`):

    [auth]
    redirect_uri = "http://localhost:8501/oauth2callback"
    cookie_secret = "<long random string>"
    client_id = "..."
    client_secret = "..."
    server_metadata_url = "https://<provider>/.well-known/openid-configuration"

(Streamlit 1.67 reads exactly these keys, `streamlit/auth_util.py` `validate_auth_credentials`; it needs
`authlib` >= 1.3.2, pinned in requirements.txt.) `current_staff()` checks `st.user` on the server on
every call, then the allow-list file (staff.py): no cached decision, no client-side state.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from . import config as cfgmod
from . import staff

REQUIRED = ("client_id", "client_secret", "server_metadata_url")


def auth_configured() -> bool:
    """True when secrets.toml has an [auth] section Streamlit can sign in with. Never raises."""
    try:
        from streamlit.runtime.secrets import secrets_singleton

        if not secrets_singleton.load_if_toml_exists():
            return False
        section = secrets_singleton.get("auth")
    except Exception:  # noqa: BLE001 - unreadable secrets = not configured
        return False
    if not section or "redirect_uri" not in section or "cookie_secret" not in section:
        return False
    if all(k in section for k in REQUIRED):
        return True
    return any(hasattr(v, "get") and all(k in v for k in REQUIRED) for v in section.values())


def signed_in_email() -> str | None:
    """The e-mail of the signed-in user, or None (not signed in, or the provider says it is unverified)."""
    try:
        user = st.user
        if user.get("is_logged_in") is not True:
            return None
        if user.get("email_verified") is False:
            return None
        email = user.get("email")
    except Exception:  # noqa: BLE001 - no auth section: nobody is signed in
        return None
    return staff.normalise_email(email) or None


def current_staff(staff_file: Path | None = None) -> str | None:
    """The signed-in user's role ('editor' or 'admin'), or None. Checked on every call."""
    if not auth_configured():
        return None
    email = signed_in_email()
    if email is None:
        return None
    return staff.role_for(staff_file or cfgmod.from_env().staff_file, email)


def access(staff_file: Path | None = None) -> str:
    """What the desk page should show: 'not_configured', 'signed_out', 'not_authorised', or the role."""
    if not auth_configured():
        return "not_configured"
    if signed_in_email() is None:
        return "signed_out"
    return current_staff(staff_file) or "not_authorised"


def login(provider: str | None = None) -> None:
    st.login(provider) if provider else st.login()


def logout() -> None:
    st.logout()


def session_id() -> str:
    """This browser session's id (the key of the corrections rate limit)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        raise RuntimeError("session_id() called outside a Streamlit script run")
    return ctx.session_id
