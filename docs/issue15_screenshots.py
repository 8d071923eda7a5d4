"""README screenshots (issue 15): the map at scale, counts per comune, in Italian and English, and at
phone width.

    python docs/issue15_screenshots.py BASE_URL OUT_DIR
    e.g. BASE_URL http://127.0.0.1:8501 of `streamlit run dashboard.py` on a SYNTHETIC warehouse
    (bench/synthetic.py, 100,000 rows, `python -m etl build --db X --inbox DIR`)
"""
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "hostile")]
import harness  # noqa: E402

from tests.test_browser_map import wait_map, watched_at  # noqa: E402

base, out = sys.argv[1], sys.argv[2]
b = harness.shared_browser()
DESK, PHONE = {"width": 1400, "height": 1150}, {"width": 390, "height": 844}
for viewport, lang, name in ((DESK, "it", "issue15_map_aggregated_it"), (DESK, "en", "issue15_map_aggregated_en"),
                             (PHONE, "it", "issue15_map_aggregated_phone_it"),
                             (PHONE, "en", "issue15_map_aggregated_phone_en")):
    w = watched_at(b, base, viewport)
    w.open("/map" + ("?lang=en" if lang == "en" else ""))
    wait_map(w)
    w.page.locator("[data-testid=stDeckGlJsonChart]").first.evaluate("e => e.scrollIntoView({block: 'end'})")
    time.sleep(1.5)
    w.page.screenshot(path=f"{out}/{name}.png")
    print(name, "errors", w.errors)
    w.close()
