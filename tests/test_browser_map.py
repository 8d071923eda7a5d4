"""Issue 13 in a real browser (1400×900 and 390×844): place names drawn over the map, the card
visible without scrolling, the copied link reproduces the card and the map view in a new
context, the XLSX opens with openpyxl with the right types and no formula, phone layout.

Screenshots go to tests/artifacts/issue13_*.png (docs/ holds the README's copies).
"""
from __future__ import annotations

import io
import math
import re
import sys
import time
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "hostile"))
import harness

from tests.test_browser import NAV_TIMEOUT_MS, Watched, deck_canvas_drawn

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PUBLIC = "https://beautyvalley.test.example/"
DESKTOP, PHONE = {"width": 1400, "height": 900}, {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def chromium():
    return harness.shared_browser()


@pytest.fixture(scope="module")
def server(fixture_db, tmp_path_factory, chromium):
    log = tmp_path_factory.mktemp("streamlit13") / "streamlit.log"
    with harness.streamlit_server(Path(fixture_db), log, timeout=180,
                                  extra_env={"BEAUTYVALLEY_PUBLIC_URL": PUBLIC}) as base:
        yield base
    assert harness.TRACEBACK not in log.read_text(errors="replace")


def watched_at(chromium, server, viewport) -> Watched:
    w = Watched(chromium, server)
    w.context.close()
    w.context = chromium.new_context(viewport=viewport, accept_downloads=True, locale="it-IT",
                                     permissions=["clipboard-read", "clipboard-write"])
    w.page = w.context.new_page()
    w.page.set_default_timeout(NAV_TIMEOUT_MS)
    w.page.on("request", w._request)
    w.page.on("console", w._console)
    w.page.on("pageerror", lambda exc: w.errors.append(f"pageerror: {exc}"))
    return w


def a_site(db: Path):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT org_id, name FROM mart.organisations WHERE province = 'CR' AND "
                           "status IS DISTINCT FROM 'closed' AND lat IS NOT NULL ORDER BY org_id LIMIT 1"
                           ).fetchone()


def a_lone_site(db: Path):
    """(org_id, name, lat, lon, comune_code, comune) of the active valley site placed at its own address
    (not spread around a comune centre) that is farthest from every other located site."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("""
            SELECT a.org_id, a.name, a.lat, a.lon, a.comune_code, a.comune
            FROM mart.organisations a, mart.organisations b
            WHERE a.location_precision = 'address' AND a.status = 'active'
              AND a.province IN ('CR', 'LO', 'MI', 'BG') AND a.lat IS NOT NULL
              AND b.org_id <> a.org_id AND b.lat IS NOT NULL
            GROUP BY ALL ORDER BY min(abs(a.lat - b.lat) + abs(a.lon - b.lon)) DESC, a.org_id LIMIT 1
        """).fetchone()


def world_px(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """Web Mercator pixel coordinates at `zoom` (deck.gl's 512-pixel world), written out here."""
    size = 512 * 2 ** zoom
    y = (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2 * size
    return (lon + 180) / 360 * size, y


def pixel_of(w: Watched, view: tuple[float, float, float], lat: float, lon: float) -> tuple[float, float]:
    """Where (lat, lon) is on the page when the map's canvas shows `view` (its centre at the canvas' centre)."""
    box = w.page.locator("[data-testid=stDeckGlJsonChart] canvas").first.bounding_box()
    (cx, cy), (px, py) = world_px(view[0], view[1], view[2]), world_px(lat, lon, view[2])
    return box["x"] + box["width"] / 2 + px - cx, box["y"] + box["height"] / 2 + py - cy


def hover(w: Watched, x: float, y: float) -> str:
    """Move the mouse to (x, y) as a user does and return the map tooltip's text ('' when none)."""
    w.page.mouse.move(x - 25, y - 25)
    w.page.mouse.move(x, y, steps=5)
    time.sleep(0.8)
    tip = w.page.locator("[data-testid=stDeckGlJsonChart] .deck-tooltip").first
    return tip.inner_text() if tip.count() and tip.is_visible() else ""


def wait_map(w: Watched):
    w.page.locator("[data-testid=stDeckGlJsonChart] canvas").first.wait_for(state="visible")
    deadline = time.monotonic() + 60
    while not deck_canvas_drawn(w) and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(2)


def map_at(chromium, server, viewport, path: str = "/map") -> Watched:
    """A fresh browser at `viewport` on a map page (`path` with its query), once the deck is drawn."""
    w = watched_at(chromium, server, viewport)
    w.open(path)
    wait_map(w)
    return w


def in_viewport(w: Watched, locator) -> bool:
    box = locator.bounding_box()
    vp = w.page.viewport_size
    return bool(box) and box["y"] >= 0 and box["y"] + min(box["height"], 60) <= vp["height"]


def shot(w: Watched, name: str):
    ARTIFACTS.mkdir(exist_ok=True)
    w.page.screenshot(path=str(ARTIFACTS / f"issue13_{name}.png"))


def copied_link(w: Watched) -> str:
    w.page.locator("[data-testid=stPopover] button:visible", has_text="Copia link").first.click()
    code = w.page.locator("[data-testid=stPopoverBody] [data-testid=stCode] code").first
    code.wait_for(state="visible")
    return code.inner_text().strip()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_click_shows_the_card_in_view_and_link_reproduces_card_and_view(chromium, server, fixture_db, viewport):
    org_id, name, lat, lon, _code, _comune = a_lone_site(fixture_db)
    view = (round(lat + 0.02, 4), round(lon + 0.04, 4), 10.5)  # the site off-centre: the projection matters
    view_param = f"{view[0]:.4f}%2C{view[1]:.4f}%2C{view[2]:.2f}"
    # choropleth off: with the 549-comune choropleth, headless Chromium's software WebGL takes 0.5-1.5 s
    # to pick on pointer-down (measured on this 2-core machine), beyond deck.gl's 250 ms tap limit, so a
    # press is not a click there; with the sites alone it takes ~12 ms
    tag = "desktop" if viewport is DESKTOP else "phone"
    w = map_at(chromium, server, viewport, f"/map?mode=off&view={view[0]},{view[1]},{view[2]}")
    assert w.page.locator(".st-key-bv_card h3").count() == 0  # nothing selected yet
    # the user scrolls the map to the top of the screen (the card's place, above the map on a phone and
    # beside the map's controls on a desktop, is then out of view) and clicks the site
    w.page.locator("[data-testid=stDeckGlJsonChart] canvas").first.evaluate("e => e.scrollIntoView()")
    time.sleep(1)
    x, y = pixel_of(w, view, lat, lon)
    assert name in hover(w, x, y)
    assert not in_viewport(w, w.page.locator(".st-key-bv_card").first)  # the hint's place is out of view
    w.page.mouse.click(x, y, delay=80)
    title = w.page.locator(".st-key-bv_card h3", has_text=name)
    title.wait_for(state="visible")
    w.wait_idle()
    time.sleep(1)
    # without any scrolling by the test: the card's title is inside the screen
    assert in_viewport(w, title), ("the card is out of view", title.bounding_box())
    shot(w, f"card_{tag}")
    link = copied_link(w)
    assert link.startswith(PUBLIC + "map?") and "localhost" not in link and "127.0.0.1" not in link
    assert f"org={org_id}" in link and "mode=off" in link and f"view={view_param}" in link
    w.assert_clean()
    w.close()
    # the same link in a fresh context (public address replaced by the test server's)
    other = map_at(chromium, server, viewport, "/" + link[len(PUBLIC):])
    other.page.locator(".st-key-bv_card h3", has_text=name).wait_for(state="visible")
    assert other.page.locator("[data-testid=stMain] input[type=radio]:checked").evaluate(
        "e => e.closest('label').innerText") == "nessuno"
    # the same view: the site is under the pixel computed from the link's view, and nowhere near it
    other.page.locator("[data-testid=stDeckGlJsonChart] canvas").first.scroll_into_view_if_needed()
    time.sleep(1)
    x, y = pixel_of(other, view, lat, lon)
    assert name in hover(other, x, y)
    assert name not in hover(other, x + 40, y + 40)
    assert f"view={view_param}" in copied_link(other)
    other.assert_clean()
    other.close()


def test_card_gives_the_brief_of_its_comune(chromium, server, fixture_db):
    from pypdf import PdfReader

    org_id, name, _lat, _lon, code, comune = a_lone_site(fixture_db)
    w = watched_at(chromium, server, DESKTOP)
    w.open(f"/map?org={org_id}")
    w.page.locator(".st-key-bv_card h3", has_text=name).wait_for(state="visible")
    button = w.page.locator(".st-key-bv_card [data-testid=stDownloadButton] button",
                            has_text=f"Scheda di {comune} (PDF)").first
    with w.page.expect_download(timeout=NAV_TIMEOUT_MS) as dl:
        button.click()
    assert dl.value.suggested_filename.startswith(f"beautyvalley_brief_{code}_it_")
    reader = PdfReader(str(dl.value.path()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    with duckdb.connect(str(fixture_db), read_only=True) as con:
        province = con.execute("SELECT province FROM mart.comuni WHERE comune_code = ?", [code]).fetchone()[0]
        n = con.execute("SELECT count(DISTINCT group_id) FROM mart.organisations WHERE comune_code = ? "
                        "AND status = 'active'", [code]).fetchone()[0]
    assert text.splitlines()[0] == f"Scheda territoriale: {comune} ({province})" and len(reader.pages) <= 2
    assert re.search(rf"^Organizzazioni\n{n}\n", text, re.M), text[:400]
    assert f"comune={code}" in text and "localhost" not in text
    w.assert_clean()
    w.close()


def test_place_names_are_drawn_over_the_map(chromium, server):
    w = map_at(chromium, server, DESKTOP)
    canvas = w.page.locator("[data-testid=stDeckGlJsonChart] canvas").first
    from PIL import Image
    with_names = Image.open(io.BytesIO(canvas.screenshot())).convert("L")
    # text pixels: dark glyph cores (the map's own lines and fills are lighter than 60)
    dark = sum(1 for p in with_names.getdata() if p < 60)
    shot(w, "map_desktop")
    w.page.locator("[data-testid=stMain] label", has_text="nessuno").click()
    w.wait_idle()
    time.sleep(2)
    assert dark > 400, dark
    w.assert_clean()
    w.close()


def test_phone_layout_map_fits_and_filters_control_visible(chromium, server):
    w = map_at(chromium, server, PHONE)
    chart = w.page.locator("[data-testid=stDeckGlJsonChart]").first
    box = chart.bounding_box()
    assert box["height"] <= PHONE["height"] * 0.75, box
    toggle = w.page.locator("[data-testid=stExpandSidebarButton]").first
    assert toggle.is_visible()
    assert toggle.evaluate("e => getComputedStyle(e, '::after').content") == '"Filtri"'
    assert toggle.bounding_box()["width"] >= 50
    shot(w, "map_phone")
    w.assert_clean()
    w.close()


def test_xlsx_download_has_types_and_no_formula(chromium, server, fixture_db):
    from openpyxl import load_workbook
    w = watched_at(chromium, server, DESKTOP)
    w.open("/explore?prov=LO&prov=BG")
    button = w.page.locator("[data-testid=stDownloadButton] button", has_text="XLSX").first
    button.wait_for(state="visible")
    with w.page.expect_download() as dl:
        button.click()
    fname = dl.value.suggested_filename
    assert fname.startswith("beautyvalley_organisations_LO-BG_") and fname.endswith(".xlsx")
    wb = load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))  # the temp file has no .xlsx suffix
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2)]
    with duckdb.connect(str(fixture_db), read_only=True) as con:
        codes = dict(con.execute("SELECT org_id, comune_code FROM mart.organisations "
                                 "WHERE province IN ('LO','BG')").fetchall())
    assert rows and all(r["comune_code"].value == codes[r["org_id"].value] for r in rows)
    assert all(r["comune_code"].data_type == "s" for r in rows if r["comune_code"].value)
    assert any(r["source_date"].is_date for r in rows)
    assert list(wb.sheetnames[1:]) == ["Fonti", "Dizionario"]
    assert not [c.coordinate for s in wb.worksheets for row in s.iter_rows() for c in row if c.data_type == "f"]
    w.assert_clean()
    w.close()
