"""Issue 8 in Chromium: the language switch keeps every filter and widget choice, and no path
out of the app (table toolbars, download buttons) yields a spreadsheet formula.

Same server and helpers as tests/test_browser.py (the fixture warehouse, which holds the
synthetic hostile names `<img src=x onerror=…>` and `=HYPERLINK(…)`).
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import duckdb
import pytest

from tests.test_browser import (  # noqa: F401  (fixtures)
    NAV_TIMEOUT_MS,
    PAGES,
    Watched,
    chromium,
    server,
    sidebar_tags,
    watched,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
KINDS = ("company", "university")
SEGMENTS = ("contract_manufacturer", "packaging", "brand")
# download buttons each page offers at least (the fixture warehouse, default filters)
EXPECTED_DOWNLOADS = {"overview": 2, "benchmarks": 1, "explore": 6}


def expected_sites(db: Path, provinces, kinds, segments) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT count(*) FROM mart.organisations WHERE list_contains(?, province) "
            "AND list_contains(?, kind) AND list_has_any(segments, ?)",
            [list(provinces), list(kinds), list(segments)]).fetchone()[0]


def map_counts(w: Watched) -> tuple[int, int]:
    """(sites on the map, sites matching) from the map caption, in either language."""
    text = w.page.locator("[data-testid=stCaptionContainer]").filter(
        has_text=re.compile(r"(Sulla mappa|of .* sites on the map)")).first.inner_text()
    nums = [int(re.sub(r"\D", "", n)) for n in re.findall(r"\d[\d.,]*", text)]
    return nums[0], nums[1]


def url_state(w: Watched) -> dict[str, list[str]]:
    q = parse_qs(urlparse(w.page.url).query)
    return {k: sorted(v) for k, v in q.items() if k != "lang"}


def checked_radio(w: Watched) -> str:
    return w.page.locator("[data-testid=stMain] [role=radiogroup] input[type=radio]:checked") \
        .evaluate_all("els => els.map(e => e.closest('label').innerText.trim())")


def switch_language(w: Watched, name: str):
    w.page.locator("[data-testid=stSidebar] [role=radio]", has_text=name).click()
    w.wait_idle()


def test_language_switch_keeps_filters_and_widget_choices(watched: Watched, fixture_db):
    # filters of every kind come in with a link; the map's radio is set by a click
    qs = "&".join([*(f"kind={k}" for k in KINDS), *(f"seg={s}" for s in SEGMENTS),
                   "prov=CR", "prov=LO", "prov=MI"])
    watched.open("/map?" + qs)
    watched.page.locator("[data-testid=stMain] label", has_text="numero di sedi").click()
    watched.wait_idle()
    expected = expected_sites(fixture_db, ("CR", "LO", "MI"), KINDS, SEGMENTS)
    assert expected >= 2  # the filters leave something to lose
    assert map_counts(watched)[1] == expected
    tags_it = sidebar_tags(watched)
    state = url_state(watched)
    assert state["kind"] == sorted(KINDS) and state["seg"] == sorted(SEGMENTS)
    watched.screenshot("trust_map_it")

    switch_language(watched, "English")
    assert "lang=en" in watched.page.url
    assert checked_radio(watched) == ["number of sites"]
    # interact after the switch: this is where labels of the old language were dropped
    watched.page.locator('[data-testid=stSidebar] button[aria-label="Remove Milano (MI)"]').click()
    watched.wait_idle()
    expected_en = expected_sites(fixture_db, ("CR", "LO"), KINDS, SEGMENTS)
    assert map_counts(watched)[1] == expected_en
    state_en = url_state(watched)
    assert state_en["kind"] == sorted(KINDS) and state_en["seg"] == sorted(SEGMENTS)
    assert state_en["prov"] == ["CR", "LO"]
    assert checked_radio(watched) == ["number of sites"]
    tags_en = sidebar_tags(watched)
    assert "Company" in " ".join(tags_en) and "University" in " ".join(tags_en), tags_en
    assert len(tags_en) == len(tags_it) - 1
    watched.screenshot("trust_map_en")

    switch_language(watched, "Italiano")
    watched.page.locator("[data-testid=stMain] label", has_text="nessuno").click()
    watched.wait_idle()
    assert "lang=" not in watched.page.url
    state_back = url_state(watched)
    # the map mode is in the URL too (issue 13): it follows the radio just clicked
    assert state_back.pop("mode", None) == ["off"]
    assert state_back == {k: v for k, v in state_en.items() if k != "mode"}
    assert map_counts(watched)[1] == expected_en
    assert checked_radio(watched) == ["nessuno"]
    tags_back = " ".join(sidebar_tags(watched))
    assert "Impresa" in tags_back and "Università" in tags_back and "Packaging" in tags_back, tags_back
    watched.assert_clean()


def _cells(data: bytes, name: str) -> list[str]:
    if name.endswith((".geojson", ".json", ".pdf")):
        return []  # not a spreadsheet (the PDF brief is checked by test_brief.py)
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook
        wb = load_workbook(io.BytesIO(data))
        cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"], name
        # a text cell may start like a formula only when its format is Text ('@'): never evaluated
        return [str(c.value) for c in cells if isinstance(c.value, str) and c.number_format != "@"]
    text = data.decode("utf-8-sig")
    sep = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    return [c for row in csv.reader(io.StringIO(text), delimiter=sep) for c in row]


@pytest.mark.parametrize("name", list(PAGES))
def test_no_download_yields_a_formula(watched: Watched, name: str):
    watched.open(PAGES[name])
    # the table toolbar's own "Download as CSV" is switched off (client.disableDataExport)
    tables = watched.page.locator("[data-testid=stDataFrame]")
    for i in range(tables.count()):
        if not tables.nth(i).is_visible():
            continue  # e.g. inside a closed expander: no toolbar can be reached
        tables.nth(i).hover()
        assert watched.page.locator("[data-testid=stElementToolbar] button[aria-label*='ownload']") \
            .count() == 0, f"{name}: a table toolbar offers a download"
    if name in EXPECTED_DOWNLOADS:  # the page has run to its end
        watched.page.locator("[data-testid=stDownloadButton] button").nth(
            EXPECTED_DOWNLOADS[name] - 1).wait_for(state="attached", timeout=NAV_TIMEOUT_MS)
    for summary in watched.page.locator("[data-testid=stExpander] summary").all():
        summary.click()  # buttons inside expanders too
    watched.wait_idle()
    # a button with help= also has a hidden twin (the tooltip target): click the visible ones
    buttons = [b for b in watched.page.locator("[data-testid=stDownloadButton] button").all()
               if b.is_visible()]
    checked = 0
    for button in buttons:
        with watched.page.expect_download(timeout=NAV_TIMEOUT_MS) as dl:
            button.click()
        data = Path(dl.value.path()).read_bytes()
        fname = dl.value.suggested_filename
        cells = _cells(data, fname)
        bad = [c for c in cells if c.startswith(FORMULA_START)]
        assert not bad, (fname, bad[:5])
        if fname.endswith(".csv") and "dictionary" not in fname:
            header = next(csv.reader(io.StringIO(data.decode("utf-8-sig").split("\r\n")[0],),
                                     delimiter=";" if b";" in data.split(b"\n")[0] else ","))
            assert "build_id" in header, (fname, header)
            assert any("source" in h for h in header), (fname, header)
        checked += 1
    assert checked >= EXPECTED_DOWNLOADS.get(name, 0), (name, checked)
    watched.assert_clean()
