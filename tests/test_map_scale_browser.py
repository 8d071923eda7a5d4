"""Issue 15, target 3, in a real browser: on a SYNTHETIC warehouse above a low threshold
($BEAUTYVALLEY_MAP_MAX_SITES) the map draws counts per comune and says why; a click on a comune's circle
(at the pixel computed from the view, as tests/test_browser_map.py does) narrows the filters to that comune,
whose single sites are then drawn. Screenshots of the aggregated map (IT, EN, phone) go to
tests/artifacts/issue15_*.png (docs/ holds the README's copies).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "hostile"))
import harness

from tests.test_browser import deck_canvas_drawn
from tests.test_browser_map import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    PUBLIC,
    chromium,  # noqa: F401  (the fixture)
    copied_link,
    hover,
    map_at,
    pixel_of,
)
from tests.test_map_scale import THRESHOLD, VALLEY, synthetic_warehouse

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def synthetic_db(fixture_db, tmp_path_factory) -> Path:
    return synthetic_warehouse(Path(fixture_db), tmp_path_factory.mktemp("scale-browser") / "synthetic_2k.duckdb",
                               2_000)


@pytest.fixture(scope="module")
def server(synthetic_db, tmp_path_factory, chromium):
    log = tmp_path_factory.mktemp("streamlit15") / "streamlit.log"
    with harness.streamlit_server(synthetic_db, log, timeout=180,
                                  extra_env={"BEAUTYVALLEY_PUBLIC_URL": PUBLIC,
                                             "BEAUTYVALLEY_MAP_MAX_SITES": str(THRESHOLD)}) as base:
        yield base
    assert harness.TRACEBACK not in log.read_text(errors="replace")


def lone_comune(db: Path):
    """(comune_code, name, province, lat, lon, sites) of the default provinces' comune with at least 5 active
    sites whose centroid is farthest from every other comune with active sites there: its circle overlaps none."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("""
            WITH n AS (
              SELECT c.comune_code, c.name, c.province, c.lat, c.lon, count(*) AS sites
              FROM mart.organisations AS o JOIN mart.comuni AS c USING (comune_code)
              WHERE list_contains(?, o.province) AND coalesce(o.status, 'active') = 'active'
              GROUP BY ALL)
            SELECT a.comune_code, a.name, a.province, a.lat, a.lon, a.sites
            FROM n AS a, n AS b
            WHERE a.sites >= 5 AND b.comune_code <> a.comune_code
            GROUP BY ALL ORDER BY min(abs(a.lat - b.lat) + abs(a.lon - b.lon)) DESC, a.comune_code LIMIT 1
        """, [list(VALLEY)]).fetchone()


def view_of(link: str) -> tuple[float, float, float]:
    lat, lon, zoom = parse_qs(urlsplit(link).query)["view"][0].split(",")
    return float(lat), float(lon), float(zoom)


def test_click_on_a_comune_count_draws_its_single_sites(chromium, server, synthetic_db):
    code, name, province, lat, lon, n = lone_comune(synthetic_db)
    view = (round(lat + 0.02, 4), round(lon + 0.04, 4), 10.0)  # the circle off-centre: the projection matters
    # choropleth off: picking with the comuni polygons is too slow in software WebGL (tests/test_browser_map.py)
    w = map_at(chromium, server, DESKTOP, f"/map?mode=off&view={view[0]},{view[1]},{view[2]}")
    assert deck_canvas_drawn(w)
    body = w.body_text()
    assert "numero di sedi per comune" in body and f"più di {THRESHOLD}" in body
    w.page.locator("[data-testid=stDeckGlJsonChart] canvas").first.evaluate("e => e.scrollIntoView()")
    time.sleep(1)
    x, y = pixel_of(w, view, lat, lon)
    tip = hover(w, x, y)
    assert tip.startswith(f"{name} ({province})") and f"Sedi: {n:,}".replace(",", ".") in tip, tip
    w.page.mouse.click(x, y, delay=80)
    w.wait_idle()
    w.page.wait_for_function("code => new URL(location.href).searchParams.getAll('comune').includes(code)",
                             arg=code, timeout=60_000)
    w.wait_idle(settle=2)
    body = w.body_text()
    assert "numero di sedi per comune" not in body  # single sites now
    assert w.page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]", has_text=name).count() >= 1
    time.sleep(2)
    assert deck_canvas_drawn(w)
    # the app fitted the view to the comune's sites: the view of its share link; the sites sit around the
    # centroid (spread within 900 m), so the pixel of the centroid shows one of them, not a count
    fitted = view_of(copied_link(w))
    w.page.keyboard.press("Escape")
    w.page.locator("[data-testid=stDeckGlJsonChart] canvas").first.evaluate("e => e.scrollIntoView()")
    time.sleep(1)
    x, y = pixel_of(w, fitted, lat, lon)
    tip = hover(w, x, y)
    with duckdb.connect(str(synthetic_db), read_only=True) as con:
        names = {r[0] for r in con.execute("SELECT name FROM mart.organisations WHERE comune_code = ?",
                                           [code]).fetchall()}
    assert tip.split("\n")[0] in names and f"Comune: {name} ({province})" in tip, tip
    assert "Sedi:" not in tip
    w.assert_clean()
    w.close()


@pytest.mark.parametrize(("viewport", "lang", "tag"), [(DESKTOP, "it", "it"), (DESKTOP, "en", "en"),
                                                       (PHONE, "it", "phone_it")])
def test_aggregated_map_is_drawn_with_its_note(chromium, server, viewport, lang, tag):
    w = map_at(chromium, server, viewport, "/map" + ("?lang=en" if lang == "en" else ""))
    assert deck_canvas_drawn(w)
    note = "number of sites per comune" if lang == "en" else "numero di sedi per comune"
    assert note in w.body_text()
    ARTIFACTS.mkdir(exist_ok=True)
    w.page.locator("[data-testid=stDeckGlJsonChart]").first.scroll_into_view_if_needed()
    time.sleep(1)
    w.page.screenshot(path=str(ARTIFACTS / f"issue15_map_aggregated_{tag}.png"))
    w.assert_clean()
    w.close()
