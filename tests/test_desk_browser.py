"""Real sign-in round trip: a local OpenID Connect provider (oidc-provider-mock, started on a free port),
`streamlit run tests/desk_login_app.py` with a generated secrets file, headless Chromium. The visitor
clicks "Sign in", the provider's page lists the predefined users, a click returns to the app with st.user
set: the allow-listed user gets her role from current_staff(), another user gets none."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "hostile"))
import harness
import playwright.sync_api  # noqa: F401  (a missing playwright must fail, never skip)

from beautyvalley.desk import demo, staff

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]
TIMEOUT_MS = 90_000


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    with demo.oidc_provider(log=log) as base:
        yield base


@pytest.fixture(scope="module")
def app(provider, fixture_db, tmp_path_factory):
    d = tmp_path_factory.mktemp("signin")
    staff.save(d / "staff.toml", {"ada@example.org": "admin"})
    port = harness.free_port()
    secrets = demo.write_secrets(d / "secrets.toml", f"http://127.0.0.1:{port}", provider)
    log = d / "streamlit.log"
    with harness.streamlit_server(Path(fixture_db), log, port=port, script="tests/desk_login_app.py",
                                  extra_args=("--secrets.files", str(secrets)),
                                  extra_env={"BEAUTYVALLEY_STAFF": str(d / "staff.toml")}) as base:
        yield base
    assert harness.TRACEBACK not in log.read_text(errors="replace")


def sign_in(app: str, provider: str, who: str) -> tuple[str, str]:
    if not Path(harness.CHROMIUM).exists():
        pytest.fail(f"{harness.CHROMIUM} missing: `make test` installs Debian's chromium")
    ctx = harness.shared_browser().new_context()
    try:
        page = ctx.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(app + "/")
        page.wait_for_selector("text=access: signed_out")
        page.get_by_role("button", name="Sign in").wait_for()
        before = page.locator("body").inner_text()
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(provider + "/**")
        users = page.locator("form[aria-labelledby=heading-auth-predefined] button").all_inner_texts()
        assert [u.strip() for u in users] == [u["sub"] for u in demo.DEMO_USERS]
        page.get_by_role("button", name=who, exact=True).click()
        page.wait_for_url(app + "/**")
        page.wait_for_selector("text=email:")
        return before, page.locator("body").inner_text()
    finally:
        ctx.close()


def test_allow_listed_user_signs_in_and_gets_the_role(app, provider):
    before, after = sign_in(app, provider, "ada")
    assert "role: None" in before
    assert "access: admin" in after and "role: admin" in after and "email: ada@example.org" in after


def test_user_not_on_the_list_is_signed_in_but_not_authorised(app, provider):
    _, after = sign_in(app, provider, "eve")
    assert "email: eve@example.org" in after and "access: not_authorised" in after and "role: None" in after
