"""README screenshots (issue 13): map, card (after a real click), phone view, in Italian and English.

    python docs/issue13_screenshots.py BASE_URL WAREHOUSE OUT_DIR
    e.g. BASE_URL http://127.0.0.1:8501 of `streamlit run dashboard.py` on WAREHOUSE (python -m etl build)
"""
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "hostile")]
import duckdb  # noqa: E402
import harness  # noqa: E402

from tests.test_browser_map import hover, pixel_of, wait_map, watched_at  # noqa: E402

base, db, out = sys.argv[1], sys.argv[2], sys.argv[3]
with duckdb.connect(db, read_only=True) as con:
    row = con.execute("""SELECT org_id, name, lat, lon FROM mart.organisations o WHERE province = 'CR'
        AND status = 'active' AND lat IS NOT NULL AND (SELECT count(*) FROM mart.organisations p
        WHERE p.comune_code = o.comune_code AND p.lat IS NOT NULL AND p.status = 'active') = 1
        ORDER BY coalesce(employees, 0) DESC, org_id LIMIT 1""").fetchone()
print(row)
org_id, name, lat, lon = row
b = harness.shared_browser()
DESK, PHONE = {"width": 1400, "height": 900}, {"width": 390, "height": 844}


def opened(viewport, path):
    """A new context at `viewport` on `path`, the map drawn, the page scrolled to its top."""
    w = watched_at(b, base, viewport)
    w.open(path)
    wait_map(w)
    w.page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
    time.sleep(1)
    return w


for lang in ("it", "en"):
    lp = "" if lang == "it" else "&lang=en"
    w = opened(DESK, f"/map?mode=density{lp}")
    w.page.screenshot(path=f"{out}/issue13_map_desktop_{lang}.png")
    w.close()
    view = (round(lat + 0.01, 4), round(lon + 0.03, 4), 11.0)
    w = opened(DESK, f"/map?prov=CR&view={view[0]},{view[1]},{view[2]}{lp}")
    x, y = pixel_of(w, view, lat, lon)
    print(lang, "hover:", hover(w, x, y)[:60])
    for _attempt in range(5):  # software WebGL under load can take longer than deck.gl's tap limit
        w.page.mouse.click(x, y, delay=80)
        try:
            w.page.locator(".st-key-bv_card h3").first.wait_for(state="visible", timeout=15000)
            break
        except Exception:  # noqa: BLE001 - retried
            pass
    w.wait_idle()
    time.sleep(2)
    w.page.mouse.move(5, 5)
    time.sleep(0.5)
    w.page.screenshot(path=f"{out}/issue13_card_desktop_{lang}.png")
    w.close()
    w = opened(PHONE, f"/map?org={org_id}&prov=CR&view={view[0]},{view[1]},{view[2]}{lp}")
    w.page.screenshot(path=f"{out}/issue13_map_phone_{lang}.png")
    w.close()
print("errors", w.errors)
