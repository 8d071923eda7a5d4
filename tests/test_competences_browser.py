"""Browser test of the competence finder (app_pages/competences.py): map drawn with the ring, results
table, CSV rows = shown rows; screenshots in Italian, English and at 390x844 (tests/artifacts/)."""
from __future__ import annotations

import csv
import io
import re
import time
from pathlib import Path

import pytest

from tests.test_browser import NAV_TIMEOUT_MS, Watched, chromium, deck_canvas_drawn, server  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]
SEARCH = "/competences?q=trucco&near=019035&km=20"


def shown_rows(w: Watched) -> int:
    """The count the page states above the results ("N organizzazioni entro …" / "N organisations within …")."""
    text = w.page.locator("h3").filter(has_text=re.compile(r"organi[sz]{1}(zazion|ation)")).first.inner_text()
    return int(re.match(r"\s*(\d+)", text).group(1))


def wait_map(w: Watched) -> None:
    deadline = time.monotonic() + 60
    while not deck_canvas_drawn(w) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert deck_canvas_drawn(w), "the deck.gl canvas stays blank"


@pytest.mark.parametrize("lang, heading", [("it", "Competenze: chi sa fare cosa"), ("en", "Capabilities: who can do what")])
def test_finder_draws_map_table_and_downloads_the_shown_rows(chromium, server, lang, heading):
    w = Watched(chromium, server)
    try:
        w.open(SEARCH + ("&lang=en" if lang == "en" else ""))
        assert heading in w.body_text()
        w.page.locator("[data-testid=stDataFrame]").first.wait_for(state="visible", timeout=NAV_TIMEOUT_MS)
        wait_map(w)
        n = shown_rows(w)
        assert n >= 2
        grid_rows = w.page.locator("[data-testid=stDataFrame]").first.locator("[role=grid], table").first \
            .get_attribute("aria-rowcount")
        if grid_rows is not None:  # header row included
            assert int(grid_rows) - 1 == n
        with w.page.expect_download(timeout=NAV_TIMEOUT_MS) as dl:
            w.page.locator("[data-testid=stDownloadButton] button").first.click()
        rows = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text(encoding="utf-8"))))
        assert len(rows) == n
        assert all(r["source_urls"] and "make_up" in r["capability_codes"] for r in rows)
        time.sleep(1.0)
        w.screenshot(f"competences_{lang}")
        w.assert_clean()
    finally:
        w.close()


def test_finder_on_a_phone_screen(chromium, server):
    w = Watched(chromium, server)
    try:
        w.page.set_viewport_size({"width": 390, "height": 844})
        w.open(SEARCH)
        w.page.locator("[data-testid=stDataFrame]").first.wait_for(state="visible", timeout=NAV_TIMEOUT_MS)
        wait_map(w)
        width = w.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 2, f"the page scrolls sideways ({width} px)"
        w.screenshot("competences_390x844")
        w.assert_clean()
    finally:
        w.close()
