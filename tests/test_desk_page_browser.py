"""The data desk end to end in headless Chromium, signed in through a real local OpenID Connect provider
(oidc-provider-mock): an anonymous browser gets no desk; ada (admin) uploads a SYNTHETIC member list
(tests/samples/desk/nuovi_soci.csv), changes one column mapping, previews, publishes, finds the new
organisation on the map, undoes and sees it gone; a correction from the public is accepted on the desk and
survives a later rebuild. Screenshots (Italian, English, 390×844) go to tests/artifacts/desk_*.png.
Expected values come from the sample files and from SQL on the served warehouse file."""
from __future__ import annotations

import csv
import re
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "hostile"))
import harness
import playwright.sync_api  # noqa: F401  (a missing playwright must fail, never skip)

from beautyvalley import i18n
from beautyvalley.desk import corrections, demo, messages, staff
from beautyvalley.desk.config import DeskConfig
from beautyvalley.desk.store import Store
from tests.desk_helpers import SAMPLES
from tests.fixtures import FIXTURE_INBOX, FIXTURE_INDICATORS, FIXTURE_REGISTRY
from tests.test_browser import ARTIFACTS, Watched, chromium  # noqa: F401  (chromium: the fixture)
from tests.test_desk_publish import q

pytestmark = [pytest.mark.browser, pytest.mark.timeout(1200)]
OMEGA = "Fixture Omega Profumi (synthetic) S.r.l."
SIGMA = "Fixture Sigma Flaconi (synthetic) S.r.l."
ADA = "ada@example.org"


def it(key: str) -> str:
    return i18n.t(key, "it")


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    with demo.oidc_provider(log=tmp_path_factory.mktemp("oidc") / "provider.log") as base:
        yield base


@pytest.fixture(scope="module")
def desk(provider, fixture_db, tmp_path_factory):
    """The dashboard over a copy of the fixture warehouse, with its own durable folder and inbox."""
    d = tmp_path_factory.mktemp("desk")
    var, inbox, db = d / "var", d / "inbox", d / "served.duckdb"
    inbox.mkdir()
    for p in FIXTURE_INBOX.iterdir():
        shutil.copy2(p, inbox / p.name)
    shutil.copyfile(fixture_db, db)
    cfg = DeskConfig(var=var, db=db, inbox=inbox, staff_file=var / "staff.toml", registry=FIXTURE_REGISTRY,
                     indicators=FIXTURE_INDICATORS).ensure()
    staff.save(cfg.staff_file, {ADA: "admin"})
    port = harness.free_port()
    secrets = demo.write_secrets(d / "secrets.toml", f"http://127.0.0.1:{port}", provider)
    log = d / "streamlit.log"
    env = {"BEAUTYVALLEY_VAR": str(var), "BEAUTYVALLEY_INBOX": str(inbox), "BEAUTYVALLEY_STAFF": str(cfg.staff_file),
           "BEAUTYVALLEY_REGISTRY": str(FIXTURE_REGISTRY), "BEAUTYVALLEY_INDICATORS": str(FIXTURE_INDICATORS)}
    with harness.streamlit_server(db, log, port=port, extra_args=("--secrets.files", str(secrets)),
                                  extra_env=env) as base:
        yield base, cfg
    assert harness.TRACEBACK not in log.read_text(errors="replace"), log.read_text(errors="replace")[-4000:]


def nav_links(w: Watched) -> list[str]:
    return [s.strip() for s in w.page.locator("[data-testid=stSidebarNav] a").all_inner_texts()]


def has_text(w: Watched, text: str) -> bool:
    """`text` is somewhere on the page as text (data grids keep their cells in an accessible table)."""
    return w.page.evaluate("t => (document.body.textContent || '').includes(t)", text)


def click(w: Watched, name: str):
    w.page.get_by_role("button", name=name, exact=True).first.click()
    w.wait_idle()


def choose(w: Watched, label: str, option: str):
    """Pick `option` in the selectbox labelled `label` (Streamlit's selectbox is a combobox + listbox)."""
    box = w.page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.press_sequentially(option.strip("()")[:8])  # long option lists are virtual: filter first
    w.page.get_by_role("listbox", name=label).get_by_role("option", name=option, exact=True).click()


def sign_in(w: Watched, provider: str, who: str):
    w.open("/staff")
    click_btn = w.page.get_by_role("button", name=it("staff.sign_in"), exact=True)
    click_btn.click()
    w.page.wait_for_url(provider + "/**")
    w.page.get_by_role("button", name=who, exact=True).click()
    w.page.wait_for_url(re.compile(r"^http://127\.0\.0\.1:\d+/"))
    w.wait_idle()
    # the provider's own sign-in page (a test tool) loads a CDN stylesheet and has no favicon: not the app's
    w.errors.clear()
    w.outside.clear()


def sites_on_map_note(w: Watched) -> str:
    return w.page.locator("[data-testid=stCaptionContainer]").filter(has_text=re.compile(r"Sulla mappa \d")).first.inner_text()


def sample_rows(name: str) -> list[dict]:
    with open(SAMPLES / name, encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter=";"))


def test_anonymous_browser_gets_no_desk(chromium, desk):
    base, _ = desk
    w = Watched(chromium, base)
    try:
        w.open("/staff")
        assert has_text(w, messages.text("auth.sign_in", "it"))
        assert w.page.locator("input[type=file]").count() == 0
        assert not has_text(w, it("staff.corrections_header")) and not has_text(w, it("staff.audit_header"))
        assert it("page.staff") not in nav_links(w) and it("page.map") in nav_links(w)
        w.screenshot("desk_anonymous_it")
        w.assert_clean()
    finally:
        w.screenshot("desk_last_state")
        w.close()


def test_signed_in_user_not_on_the_list_is_not_authorised(chromium, desk, provider):
    base, _ = desk
    w = Watched(chromium, base)
    try:
        sign_in(w, provider, "eve")
        w.open("/staff")
        assert has_text(w, messages.text("auth.not_authorised", "it"))
        assert w.page.locator("input[type=file]").count() == 0
        assert it("page.staff") not in nav_links(w)
    finally:
        w.screenshot("desk_last_state")
        w.close()


def test_upload_map_preview_publish_find_undo(chromium, desk, provider):
    base, cfg = desk
    w = Watched(chromium, base)
    try:
        sign_in(w, provider, "ada")
        w.open("/staff")
        assert it("page.staff") in nav_links(w)
        w.page.locator("input[type=file]").set_input_files(str(SAMPLES / "nuovi_soci.csv"))
        w.wait_idle()
        assert has_text(w, it("staff.check_header")) and has_text(w, "20 MB")
        rows = sample_rows("nuovi_soci.csv")
        omega = next(r for r in rows if r["Ragione Sociale"] == OMEGA)
        assert int(omega["Addetti"]) > 0
        # change one column mapping: the head count column is ignored for this file
        choose(w, it("staff.col_header"), "Addetti")
        choose(w, it("staff.col_target"), it("staff.ignored"))
        click(w, it("staff.mapping_save"))
        saved = list(cfg.uploads.glob("*.mapping.toml"))
        assert len(saved) == 1 and '"addetti" = "ignore"' in saved[0].read_text()
        click(w, it("staff.preview_button"))
        assert has_text(w, it("staff.new_sites")) and has_text(w, OMEGA)
        w.screenshot("desk_preview_it")
        click(w, it("staff.publish_button"))
        assert has_text(w, "Pubblicato")
        [(emp,)] = q(cfg.db, "SELECT employees FROM mart.organisations WHERE name = ?", [OMEGA])
        assert emp is None  # the ignored column did not load

        w.open("/map?q=Omega")
        assert re.search(r"Sulla mappa 1 sedi su 1\b", sites_on_map_note(w)), sites_on_map_note(w)
        w.screenshot("desk_map_after_publish")

        w.open("/staff")
        click(w, it("staff.undo_button"))
        assert has_text(w, "Annullato")
        assert q(cfg.db, "SELECT count(*) FROM mart.organisations WHERE name = ?", [OMEGA]) == [(0,)]
        w.open("/map?q=Omega")
        assert has_text(w, it("common.no_rows"))
        w.assert_clean()
    finally:
        w.screenshot("desk_last_state")
        w.close()


def test_public_correction_accepted_survives_a_rebuild(chromium, desk, provider):
    base, cfg = desk
    store = Store(cfg.store_path)
    [(org, employees)] = q(cfg.db, "SELECT org_id, employees FROM mart.organisations WHERE employees IS NOT NULL "
                                   "ORDER BY org_id LIMIT 1")
    new = employees + 7
    src = "https://example.org/fixture/bilancio"
    res = corrections.submit(cfg, store, "browser-test-session", org, "employees", str(new), src)
    assert res.ok, res.problems
    w = Watched(chromium, base)
    try:
        sign_in(w, provider, "ada")
        w.open("/staff")
        assert has_text(w, f"n. {res.correction_id}") and has_text(w, src)
        w.page.get_by_role("button", name=it("staff.accept"), exact=True).first.click()
        w.wait_idle()
        assert has_text(w, "accettata")
        assert q(cfg.db, "SELECT employees FROM mart.organisations WHERE org_id = ?", [org]) == [(new,)]
        # a later publish rebuilds the warehouse: the accepted value is still served
        w.page.locator("input[type=file]").set_input_files(str(SAMPLES / "altri_soci.csv"))
        w.wait_idle()
        click(w, it("staff.preview_button"))
        click(w, it("staff.publish_button"))
        assert has_text(w, "Pubblicato")
        assert q(cfg.db, "SELECT count(*) FROM mart.organisations WHERE name = ?", [SIGMA]) == [(1,)]
        assert q(cfg.db, "SELECT employees FROM mart.organisations WHERE org_id = ?", [org]) == [(new,)]
        w.screenshot("desk_staff_it")
        w.open("/staff?lang=en")
        assert has_text(w, i18n.t("staff.audit_header", "en"))
        w.screenshot("desk_staff_en")
        w.page.set_viewport_size({"width": 390, "height": 844})
        w.open("/staff")
        w.screenshot("desk_staff_390x844")
        w.assert_clean()
    finally:
        w.screenshot("desk_last_state")
        w.close()
