"""The data desk page (app_pages/staff.py) and the public correction form with AppTest: what an anonymous
visitor, a signed-in user not on the list, an editor and an admin get at /staff; the navigation entry;
sign-in not configured; a correction submitted through the form, stored verbatim, then accepted on the
desk (it reaches the served warehouse). Expected values are read from the store / warehouse files."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from streamlit import config as st_config
from streamlit.runtime.secrets import secrets_singleton
from streamlit.testing.v1 import AppTest

from beautyvalley import i18n, warehouse
from beautyvalley.desk import config as desk_config
from beautyvalley.desk import demo, messages
from tests.desk_helpers import ADMIN, EDITOR, make_desk

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "<img src=x onerror=alert(1)> **bold** [link](javascript:alert(1))"


def _secrets(path: Path | None):
    st_config.set_option("secrets.files", [str(path)])
    secrets_singleton._reset()


@pytest.fixture
def desk(tmp_path, fixture_db, monkeypatch):
    """A desk over a copy of the fixture warehouse; sign-in configured; the app serves that copy."""
    cfg, store = make_desk(tmp_path, fixture_db, monkeypatch)
    monkeypatch.setenv("BEAUTYVALLEY_DB", str(cfg.db))
    monkeypatch.setenv("BEAUTYVALLEY_STAFF", str(cfg.staff_file))
    monkeypatch.setattr(desk_config, "from_env", lambda: cfg)  # same folders, fixture registry
    old = st_config.get_option("secrets.files")
    _secrets(demo.write_secrets(tmp_path / "secrets.toml", "http://127.0.0.1:1", "http://127.0.0.1:2"))
    yield cfg, store
    st_config.set_option("secrets.files", old)
    secrets_singleton._reset()


def run_desk(user: dict | None, lang: str = "it") -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    if user is not None:
        at.user = user
    at.session_state["lang"] = lang
    at.switch_page("app_pages/staff.py")
    at.run()
    assert not at.exception, at.exception
    return at


def signed_in(email: str) -> dict:
    return {"is_logged_in": True, "email": email, "email_verified": True}


def plain(markdown: str) -> str:
    """Markdown as the browser shows it: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.markdown, *at.caption, *at.info, *at.error, *at.success, *at.title,
                                *at.subheader)]
    return plain("\n".join(map(str, parts)))


def has_staff_controls(at: AppTest) -> bool:
    uploaders = at.get("file_uploader")
    subheads = [s.value for s in at.subheader]
    return bool(uploaders) or i18n.t("staff.corrections_header", "it") in subheads or \
        i18n.t("staff.audit_header", "it") in subheads


def test_anonymous_visitor_gets_a_sign_in_prompt_and_no_desk(desk):
    at = run_desk({"is_logged_in": False})
    assert messages.text("auth.sign_in", "it") in texts(at)
    assert [b.label for b in at.button] == [i18n.t("staff.sign_in", "it")]
    assert not has_staff_controls(at)


def test_signed_in_user_not_on_the_list_is_not_authorised(desk):
    at = run_desk(signed_in("eve@example.org"), lang="en")
    assert messages.text("auth.not_authorised", "en") in texts(at)
    assert not has_staff_controls(at)
    assert [b.label for b in at.button] == [i18n.t("staff.sign_out", "en")]


@pytest.mark.parametrize("email,role", [(EDITOR, "editor"), (ADMIN, "admin")])
def test_staff_get_the_desk(desk, email, role):
    at = run_desk(signed_in(email))
    assert at.get("file_uploader"), "no upload control"
    subheads = [s.value for s in at.subheader]
    for key in ("staff.upload_header", "staff.corrections_header", "staff.audit_header"):
        assert i18n.t(key, "it") in subheads
    assert "20 MB" in texts(at)  # the stated limit (config.MAX_UPLOAD_BYTES = 20 MiB)
    labels = [b.label for b in at.button]
    assert (i18n.t("staff.undo_button", "it") in labels) == (role == "admin")


def test_removal_from_the_list_takes_effect_at_the_next_run(desk):
    cfg, _ = desk
    at = run_desk(signed_in(EDITOR))
    assert at.get("file_uploader")
    cfg.staff_file.write_text('[staff]\n"ada@example.org" = "admin"\n')
    at.run()
    assert not at.get("file_uploader") and messages.text("auth.not_authorised", "it") in texts(at)


def test_without_sign_in_configured_the_page_says_how_to_enable_it(desk, tmp_path):
    _secrets(tmp_path / "missing.toml")
    at = run_desk(signed_in(ADMIN))
    assert messages.text("auth.not_configured", "it").split(".")[0] in texts(at)
    assert not has_staff_controls(at) and not at.button


@pytest.mark.parametrize("user,listed", [({"is_logged_in": False}, False), (signed_in("eve@example.org"), False),
                                         (signed_in(EDITOR), True), (signed_in(ADMIN), True)])
def test_navigation_lists_the_desk_only_for_staff(desk, monkeypatch, user, listed):
    import streamlit as st

    seen: dict[str, str] = {}
    real_page = st.Page

    def recording_page(page, **kw):  # the app's own st.Page call, recorded
        seen[kw.get("url_path") or str(page)] = kw.get("visibility", "visible")
        return real_page(page, **kw)

    monkeypatch.setattr(st, "Page", recording_page)
    run_desk(user)
    assert seen["staff"] == ("visible" if listed else "hidden")
    assert seen["map"] == "visible"


def _form_app(org_id: str, lang: str) -> AppTest:
    def script(org_id, lang):
        from beautyvalley.desk import correction_form

        correction_form.render(org_id, lang)

    at = AppTest.from_function(script, default_timeout=60, args=(org_id, lang))
    return at.run()


def _an_org(db: Path) -> tuple[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT org_id, employees FROM mart.organisations WHERE employees IS NOT NULL "
                           "ORDER BY org_id LIMIT 1").fetchone()


def _fill(at: AppTest, field: str, value: str, source: str = "", email: str = "") -> AppTest:
    at.selectbox[0].set_value(field)
    at.text_input[0].input(value)
    at.text_input[1].input(source)
    at.text_input[2].input(email)
    return at.button[0].click().run()


def test_public_correction_is_stored_verbatim_and_a_figure_needs_a_source(desk):
    cfg, store = desk
    org, _ = _an_org(cfg.db)
    at = _form_app(org, "en")
    assert at.expander[0].label == i18n.t("suggest.open", "en")
    at = _fill(at, "employees", "77")
    assert messages.text("correction.source_required", "en") in plain(at.error[0].value)
    assert store.corrections() == []
    at = _fill(at, "name", HOSTILE)
    assert not at.exception and at.success
    rows = store.corrections("pending")
    assert [(r["org_id"], r["field"], r["proposed_value"]) for r in rows] == [(org, "name", HOSTILE)]
    # nothing the visitor typed comes back as markup
    assert "<img" not in "".join(m.value for m in at.markdown)


def test_correction_form_is_rate_limited_per_session(desk):
    cfg, store = desk
    org, _ = _an_org(cfg.db)
    at = _form_app(org, "it")
    for i in range(desk_config.CORRECTIONS_PER_SESSION):
        at = _fill(at, "name", f"Nome {i}")
        assert at.success, i
    at = _fill(at, "name", "one too many")
    assert messages.text("correction.rate_limited", "it") in plain(at.error[0].value)
    assert len(store.corrections()) == desk_config.CORRECTIONS_PER_SESSION


def test_staff_accept_a_correction_on_the_desk_and_it_is_served(desk):
    cfg, store = desk
    org, employees = _an_org(cfg.db)
    new = employees + 11
    _fill(_form_app(org, "it"), "employees", str(new), "https://example.org/fixture/annual-report")
    [c] = store.corrections("pending")
    at = run_desk(signed_in(EDITOR))
    assert str(c["id"]) in texts(at)
    at.button(key=f"staff_accept_{c['id']}").click().run()
    assert not at.exception, at.exception
    assert [r["status"] for r in store.corrections()] == ["accepted"]
    assert store.corrections()[0]["reviewer"] == EDITOR
    # the app process still holds a connection to the old file: DuckDB would hand back that instance by path,
    # so read through the app's connection registry, which reopens when the file changed
    con = warehouse.connection(warehouse.build_key(cfg.db))
    assert con.execute("SELECT employees FROM mart.organisations WHERE org_id = ?", [org]).fetchone()[0] == new
    assert "correction_accepted" in [r["action"] for r in store.audit_log()]
    assert cfg.corrections_csv.exists() and "https://example.org/fixture/annual-report" in cfg.corrections_csv.read_text()


def test_staff_reject_needs_a_reason(desk):
    cfg, store = desk
    org, _ = _an_org(cfg.db)
    _fill(_form_app(org, "it"), "name", "Altro nome")
    [c] = store.corrections("pending")
    at = run_desk(signed_in(ADMIN))
    at.button(key=f"staff_reject_{c['id']}").click().run()
    assert messages.text("correction.reason_required", "it") in texts(at)
    at.text_input(key=f"staff_reason_{c['id']}").input("no source")
    at.button(key=f"staff_reject_{c['id']}").click().run()
    [r] = store.corrections()
    assert (r["status"], r["reason"], r["reviewer"]) == ("rejected", "no source", ADMIN)


def test_queue_shows_correction_text_escaped(desk):
    from beautyvalley.desk import corrections

    cfg, store = desk
    org, _ = _an_org(cfg.db)
    assert corrections.submit(cfg, store, "s-hostile", org, "name", HOSTILE).ok
    at = run_desk(signed_in(EDITOR))
    shown = [m.value for m in at.markdown if "onerror" in m.value]
    assert shown, "the proposed value is not on the desk"
    assert all(re.search(r"(?<!\\)<img", m) is None and "\\<img" in m for m in shown), shown  # escaped
    assert HOSTILE in plain(shown[0])
