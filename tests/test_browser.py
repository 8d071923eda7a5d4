"""Real-browser tests: the dashboard served by `streamlit run dashboard.py` on a free localhost
port against the fixture warehouse, driven by Playwright in Debian's headless Chromium.

Every page: no exception box, no "Traceback", its main element visible, no console error, no
request to any host but localhost, a screenshot in tests/artifacts/<page>.png.
Flows: a filter changes a KPI; English labels after the language switch; a copied link
reproduces the view; the CSV download has as many rows as the table says; a hostile name is
shown as text; SQL in a URL parameter gives a notice and drops nothing.
"""
from __future__ import annotations

import csv
import io
import re
import sys
import time
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "hostile"))
import harness
import playwright.sync_api  # noqa: F401  (a missing playwright must fail, never skip)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# url paths of st.navigation in dashboard.py; the default page (overview) is served at "/"
PAGES = {
    "overview": "/",
    "map": "/map",
    "sectors": "/sectors",
    "benchmarks": "/benchmarks",
    "explore": "/explore",
    "sources": "/sources",
}
HOSTILE_NAME = "<img src=x onerror=alert(1)>"
SQL_PARAM = "MI';DROP TABLE mart.organisations;--"
NAV_TIMEOUT_MS = 120_000
# Streamlit's own frontend first probes <page>/_stcore/{health,host-config} when a page is
# opened by its URL path, gets 404 and falls back to the root: not an app error.
STREAMLIT_PROBE_404 = re.compile(r"/[A-Za-z0-9_-]+/_stcore/(health|host-config)$")


@pytest.fixture(scope="session")
def chromium():
    if not Path(harness.CHROMIUM).exists():
        pytest.fail(f"{harness.CHROMIUM} missing: `make test` installs Debian's chromium")
    return harness.shared_browser()


@pytest.fixture(scope="session")
def server(fixture_db, tmp_path_factory, chromium):
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    with harness.streamlit_server(Path(fixture_db), log, timeout=180) as base:
        # warm-up: the first session of a fresh server compiles the pages and fills caches
        ctx = chromium.new_context()
        page = ctx.new_page()
        page.goto(base + "/", timeout=NAV_TIMEOUT_MS)
        page.wait_for_selector("[data-testid=stMetric]", timeout=NAV_TIMEOUT_MS)
        ctx.close()
        yield base
    text = log.read_text(errors="replace")
    assert harness.TRACEBACK not in text, text[-4000:]


class Watched:
    """A page with everything it does recorded: outside requests, console errors, dialogs."""

    def __init__(self, browser, base: str):
        self.base = base
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                           accept_downloads=True, locale="it-IT")
        self.page = self.context.new_page()
        self.page.set_default_timeout(NAV_TIMEOUT_MS)
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", self._request)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("dialog", self._dialog)

    def _request(self, req):
        if not harness.is_local(req.url):
            self.outside.append(req.url)

    def _console(self, msg):
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "") or ""
        if "404" in msg.text and STREAMLIT_PROBE_404.search(url):
            return
        self.errors.append(f"console: {msg.text} ({url})")

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: str):
        self.page.goto(self.base + path, timeout=NAV_TIMEOUT_MS)
        self.wait_idle()

    def wait_idle(self, settle: float = 1.0, timeout: float = 120.0):
        """Wait until the script has run and stays idle for `settle` seconds."""
        page = self.page
        page.wait_for_selector("[data-testid=stMainBlockContainer] [data-testid=stElementContainer]",
                               timeout=timeout * 1000)
        deadline = time.monotonic() + timeout
        quiet_since = None
        while time.monotonic() < deadline:
            state = page.locator("[data-testid=stApp]").get_attribute("data-test-script-state")
            busy = state in ("running", "rerunRequested") or \
                page.locator("[data-testid=stStatusWidget]").count() > 0
            if busy:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= settle:
                return
            time.sleep(0.1)
        raise TimeoutError("the app did not become idle")

    def body_text(self) -> str:
        return self.page.locator("body").inner_text()

    def assert_clean(self):
        assert self.page.locator("[data-testid=stException]").count() == 0, self.body_text()[:3000]
        assert "Traceback" not in self.body_text()
        assert not self.errors, self.errors
        assert not self.outside, self.outside
        assert not self.dialogs, self.dialogs

    def screenshot(self, name: str):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def close(self):
        self.context.close()


@pytest.fixture
def watched(chromium, server):
    w = Watched(chromium, server)
    yield w
    w.close()


def metric_value(w: Watched, label: str) -> str:
    m = w.page.locator("[data-testid=stMetric]").filter(
        has=w.page.locator("[data-testid=stMetricLabel]", has_text=re.compile("^" + re.escape(label) + "$")))
    return m.first.locator("[data-testid=stMetricValue]").inner_text().strip()


def shown_count(w: Watched) -> int:
    """The row count the explore page states above its table ("**N** sedi …" / "**N** sites …")."""
    text = w.page.locator("[data-testid=stMarkdownContainer]").filter(
        has_text=re.compile(r"(sed[ei] corrispond|sites? match)")).first.inner_text()
    m = re.match(r"\s*([\d.,]+)", text)
    assert m, text
    return int(re.sub(r"[.,]", "", m.group(1)))


def sidebar_tags(w: Watched, timeout: float = 30.0) -> list[str]:
    """The province tags of the sidebar multiselect. On a loaded machine the widget can be read in the
    middle of a rerender, with no tag drawn yet: wait until the same non-empty list is read twice."""
    deadline = time.monotonic() + timeout
    previous: list[str] | None = None
    while True:
        tags = w.page.locator("[data-testid=stSidebar] [data-tag]").evaluate_all(
            "els => els.map(e => e.getAttribute('aria-label'))")
        if (tags and tags == previous) or time.monotonic() > deadline:
            return tags
        previous = tags
        time.sleep(0.3)


def province_tags(w: Watched) -> list[str]:
    """The sidebar tags that name a province ("Cremona (CR)"); the status filter's "attivo" and the
    other filters' tags are left out."""
    return [tag for tag in sidebar_tags(w) if re.fullmatch(r".+ \([A-Z]{2}\)", tag or "")]


def remove_province(w: Watched, label: str):
    w.page.locator(f'[data-testid=stSidebar] button[aria-label="Remove {label}"]').click()
    w.wait_idle()


def deck_canvas_drawn(w: Watched) -> bool:
    """The deck.gl canvas exists, has a size, and is not one flat colour."""
    canvas = w.page.locator("[data-testid=stDeckGlJsonChart] canvas").first
    canvas.wait_for(state="visible")
    box = canvas.bounding_box()
    if not box or box["width"] < 100 or box["height"] < 100:
        return False
    png = canvas.screenshot()
    from PIL import Image  # pillow comes with streamlit
    img = Image.open(io.BytesIO(png)).convert("RGB").resize((64, 64))
    return len({img.tobytes()[i:i + 3] for i in range(0, 64 * 64 * 3, 3)}) > 8


# --------------------------------------------------------------------------- every page

MAIN_ELEMENT = {
    "overview": ["[data-testid=stPlotlyChart] .js-plotly-plot", "[data-testid=stMetric]"],
    "map": ["[data-testid=stDeckGlJsonChart] canvas"],
    "sectors": ["[data-testid=stPlotlyChart] .js-plotly-plot"],
    "benchmarks": ["[data-testid=stPlotlyChart] .js-plotly-plot"],
    "explore": ["[data-testid=stDataFrame]", "[data-testid=stDownloadButton]"],
    "sources": ["[data-testid=stDataFrame], [data-testid=stTable]"],
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_cleanly(watched: Watched, name: str):
    watched.open(PAGES[name])
    for selector in MAIN_ELEMENT[name]:
        watched.page.locator(selector).first.wait_for(state="visible", timeout=NAV_TIMEOUT_MS)
    if name == "map":
        deadline = time.monotonic() + 60
        while not deck_canvas_drawn(watched) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert deck_canvas_drawn(watched), "the deck.gl canvas stays blank"
    time.sleep(1.0)  # late console errors (basemap fetches, icons)
    watched.screenshot(name)
    watched.assert_clean()


# --------------------------------------------------------------------------- flows

def test_filter_change_changes_kpi(watched: Watched):
    watched.open("/")
    before = metric_value(watched, "Organizzazioni")
    remove_province(watched, "Milano (MI)")
    after = metric_value(watched, "Organizzazioni")
    assert "Milano (MI)" not in sidebar_tags(watched)
    assert after != before, (before, after)
    assert "prov=" in watched.page.url  # the filter is mirrored in the URL
    watched.assert_clean()


def test_language_switch_shows_english(watched: Watched):
    watched.open("/")
    assert watched.page.locator("h1", has_text="Panoramica").count() >= 1
    employees_it = metric_value(watched, "Addetti noti")
    watched.page.locator("[data-testid=stSidebar] [role=radio]", has_text="English").click()
    watched.wait_idle()
    text = watched.body_text()
    assert "Beauty Valley overview" in text
    assert "Provinces" in text and "Language" in text
    assert "Panoramica della Beauty Valley" not in text
    assert "lang=en" in watched.page.url
    assert watched.page.locator("[data-testid=stMetricLabel]", has_text="Organisations").count() >= 1
    employees_en = metric_value(watched, "Known employees")
    digits = re.sub(r"\D", "", employees_it)
    assert digits and re.sub(r"\D", "", employees_en) == digits
    if len(digits) > 3:  # thousands separator: 1.234 in Italian, 1,234 in English
        assert "." in employees_it and "," in employees_en, (employees_it, employees_en)
    watched.assert_clean()


def test_link_reproduces_view(watched: Watched, chromium, server):
    watched.open("/explore")
    for label in ("Lodi (LO)", "Milano (MI)", "Bergamo (BG)"):
        remove_province(watched, label)
    count = shown_count(watched)
    tags = province_tags(watched)
    url = watched.page.url
    assert tags == ["Cremona (CR)"]
    assert "prov=CR" in url
    other = Watched(chromium, server)
    try:
        other.page.goto(url, timeout=NAV_TIMEOUT_MS)
        other.wait_idle()
        assert province_tags(other) == tags
        assert shown_count(other) == count
        other.assert_clean()
    finally:
        other.close()


def test_csv_download_has_the_shown_rows(watched: Watched, fixture_db):
    watched.open("/explore")
    n = shown_count(watched)
    button = watched.page.locator("[data-testid=stDownloadButton] button", has_text="CSV (UTF-8)").first
    with watched.page.expect_download(timeout=NAV_TIMEOUT_MS) as dl:
        button.click()
    data = Path(dl.value.path()).read_bytes().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert len(rows) == n
    assert {"name", "source_urls", "build_id"} <= set(rows[0])
    # the default view (CR, LO, MI, BG) independently from the warehouse
    with duckdb.connect(str(fixture_db), read_only=True) as con:
        expected = con.execute("SELECT count(*) FROM mart.organisations "
                               "WHERE province IN ('CR', 'LO', 'MI', 'BG')").fetchone()[0]
    assert n == expected
    watched.assert_clean()



def test_brief_downloads_from_the_overview(watched: Watched, fixture_db):
    from pypdf import PdfReader

    watched.open("/")
    button = watched.page.locator("[data-testid=stDownloadButton] button",
                                  has_text="Scarica la scheda (PDF)").first
    with watched.page.expect_download(timeout=NAV_TIMEOUT_MS) as dl:
        button.click()
    assert dl.value.suggested_filename.startswith("beautyvalley_brief_CR-LO-MI-BG_it_")
    path = Path(dl.value.path())
    assert path.read_bytes().startswith(b"%PDF-")
    reader = PdfReader(str(path))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert text.startswith("Scheda territoriale: Cremona, Lodi, Milano, Bergamo") and len(reader.pages) <= 2
    with duckdb.connect(str(fixture_db), read_only=True) as con:
        build_id = con.execute("SELECT build_id FROM meta.load_runs ORDER BY finished DESC NULLS LAST "
                               "LIMIT 1").fetchone()[0]
        n = con.execute("SELECT count(DISTINCT group_id) FROM mart.organisations "
                        "WHERE province IN ('CR', 'LO', 'MI', 'BG')").fetchone()[0]
    assert f"Build {build_id}" in text and f"Organizzazioni {n} Anno:" in text
    assert "Link alla stessa vista: https://" in text  # the public address (BEAUTYVALLEY_PUBLIC_URL), never localhost
    assert "localhost" not in text
    watched.assert_clean()

def test_hostile_name_is_shown_as_text(watched: Watched):
    watched.open("/explore")
    box = watched.page.locator("[data-testid=stSidebar]").get_by_label("Cerca per nome")
    box.fill("onerror")
    box.press("Enter")
    watched.wait_idle()
    assert shown_count(watched) >= 1
    # the table's accessible cells (and the filter description) carry the name as text
    found = watched.page.evaluate(
        "name => Array.from(document.querySelectorAll('body *')).some("
        "e => e.childElementCount === 0 && (e.textContent || '').includes(name))", HOSTILE_NAME)
    assert found, "the hostile name is not shown as text anywhere"
    assert watched.page.locator("img[src='x']").count() == 0
    assert not watched.dialogs
    watched.screenshot("hostile_name")
    watched.assert_clean()


@pytest.mark.parametrize("param", ["prov", "province"])
def test_sql_in_url_parameter_gives_a_notice(watched: Watched, fixture_db, param):
    from urllib.parse import quote
    with duckdb.connect(str(fixture_db), read_only=True) as con:
        before = con.execute("SELECT count(*) FROM mart.organisations").fetchone()[0]
    watched.open(f"/?{param}={quote(SQL_PARAM)}")
    alert = watched.page.locator("[data-testid=stAlert], [data-testid=stAlertContainer]")
    assert alert.count() >= 1, watched.body_text()[:2000]
    assert param in alert.first.inner_text()
    assert province_tags(watched) == ["Cremona (CR)", "Lodi (LO)", "Milano (MI)", "Bergamo (BG)"]
    watched.assert_clean()
    with duckdb.connect(str(fixture_db), read_only=True) as con:
        after = con.execute("SELECT count(*) FROM mart.organisations").fetchone()[0]
    assert after == before
