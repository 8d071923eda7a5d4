"""AppTest tests of the dashboard pages on the fixture warehouse.

Expected numbers are computed here straight from the fixture DuckDB file (SQL or pandas),
never from the app's own query functions.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import duckdb
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["overview", "map", "sectors", "benchmarks", "explore", "sources", "competences"]
HOSTILE = "<img src=x onerror=alert(1)>"
FORMULA_PREFIX = "=HYPERLINK("
BEAUTY_VALLEY = ("CR", "LO", "MI", "BG")


@pytest.fixture()
def db(fixture_db, monkeypatch) -> Path:
    monkeypatch.setenv("BEAUTYVALLEY_DB", str(fixture_db))
    return fixture_db


def sql(db: Path, query: str, params=None):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query, params or []).fetchall()


def app(query_params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if query_params:
        at.query_params.update(query_params)
    return at.run()


def url_values(at: AppTest, param: str) -> list[str]:
    """The values of a URL parameter after the run (AppTest gives one value as a str)."""
    value = at.query_params.get(param)
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def metric(at: AppTest, label: str) -> str:
    for m in at.metric:
        if m.label == label:
            return m.value
    raise AssertionError(f"no metric {label!r} in {[m.label for m in at.metric]}")


def all_text(at: AppTest) -> str:
    parts = [e.value for e in (*at.markdown, *at.caption, *at.warning, *at.info, *at.title,
                               *at.subheader)]
    return "\n".join(str(p) for p in parts)


def n_groups(db: Path, provinces=BEAUTY_VALLEY, kind: str | None = None) -> int:
    q = "SELECT count(DISTINCT group_id) FROM mart.organisations WHERE list_contains(?, province)"
    params = [list(provinces)]
    if kind:
        q += " AND kind = ?"
        params.append(kind)
    return sql(db, q, params)[0][0]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(db, page):
    at = app()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert len(at.title) == 1 and at.title[0].value


def test_overview_counts_match_the_warehouse_and_change_with_a_filter(db):
    at = app()
    assert metric(at, "Organizzazioni") == str(n_groups(db))
    assert metric(at, "Imprese") == str(n_groups(db, kind="company"))
    at.multiselect(key="f_kind").set_value(["university"]).run()
    expected = n_groups(db, kind="university")
    assert expected != n_groups(db)
    assert metric(at, "Organizzazioni") == str(expected)


def test_employee_coverage_is_stated(db):
    at = app()
    known = sql(db, "SELECT count(DISTINCT group_id) FROM mart.organisations WHERE kind='company' "
                    "AND employees IS NOT NULL AND coalesce(figure_scope, 'company') <> 'group' "
                    "AND list_contains(?, province)", [list(BEAUTY_VALLEY)])[0][0]
    total = n_groups(db, kind="company")
    assert f"Addetti noti per {known} imprese su {total}" in all_text(at)


def test_province_filter_changes_numbers(db):
    at = app()
    at.multiselect(key="f_prov").set_value(["MB"]).run()
    assert metric(at, "Organizzazioni") == str(n_groups(db, provinces=["MB"]))
    assert url_values(at, "prov") == ["MB"]


def test_language_switch_changes_labels(db):
    at = app()
    assert at.title[0].value == "Panoramica della Beauty Valley"
    at.segmented_control(key="lang").set_value("en").run()
    assert at.title[0].value == "Beauty Valley overview"
    assert any(m.label == "Organisations" for m in at.metric)
    assert url_values(at, "lang") == ["en"]


def test_lang_query_parameter_selects_english(db):
    at = app({"lang": "en"})
    assert at.title[0].value == "Beauty Valley overview"
    assert at.multiselect(key="f_prov").label == "Provinces"


def test_number_format_follows_language(db):
    # revenue of the Beauty Valley companies is in the tens of millions: '… mln €' vs '€…M'
    it = metric(app(), "Fatturato noto")
    en = metric(app({"lang": "en"}), "Known revenue")
    assert it.endswith("\u00a0mln\u00a0€") and "," in it
    assert en.startswith("€") and en.endswith("M") and "." in en


def plotly_specs(at: AppTest) -> list[dict]:
    """The figures the page sent to st.plotly_chart (plotly JSON)."""
    import json

    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


@pytest.mark.parametrize(("lang", "separators"), [("it", ",."), ("en", ".,")])
def test_sectors_figures_use_the_language_separators(db, lang, separators):
    # plotly's layout.separators is "decimal then thousands": '.,' writes 1,234.5 (English)
    at = app({"lang": lang})
    at.switch_page("app_pages/sectors.py").run()
    specs = plotly_specs(at)
    assert len(specs) == 3  # treemap, province x segment bars, completeness matrix
    assert [spec["layout"].get("separators") for spec in specs] == [separators] * 3


def test_url_with_filters_reproduces_the_view(db):
    at = app({"prov": ["MI", "BG"], "kind": ["company"], "q": "alfa"})
    assert at.multiselect(key="f_prov").value == ["MI", "BG"]
    assert at.multiselect(key="f_kind").value == ["company"]
    assert at.text_input(key="f_q").value == "alfa"
    expected = sql(db, "SELECT count(DISTINCT group_id) FROM mart.organisations WHERE "
                       "province IN ('MI','BG') AND kind='company' AND lower(name) LIKE '%alfa%'")[0][0]
    assert metric(at, "Organizzazioni") == str(expected)
    assert not at.warning


def test_comma_separated_and_all_province_values(db):
    at = app({"prov": "CR,LO"})
    assert at.multiselect(key="f_prov").value == ["CR", "LO"]
    at = app({"prov": "all"})
    assert at.multiselect(key="f_prov").value == []
    total = sql(db, "SELECT count(DISTINCT group_id) FROM mart.organisations")[0][0]
    assert metric(at, "Organizzazioni") == str(total)


def test_invalid_url_values_are_ignored_with_a_notice(db):
    at = app({"prov": ["ZZ", "MI"], "kind": ["alien"], "lang": "xx", "bogus": "1"})
    assert not at.exception
    assert at.multiselect(key="f_prov").value == ["MI"]
    assert at.multiselect(key="f_kind").value == []
    notice = " ".join(w.value for w in at.warning)
    assert "ZZ" in notice and "alien" in notice and "xx" in notice and "bogus" in notice
    assert at.title[0].value == "Panoramica della Beauty Valley"


def test_filters_survive_page_changes_and_stay_in_the_url(db):
    at = app()
    at.multiselect(key="f_kind").set_value(["company"]).run()
    at.switch_page("app_pages/sectors.py").run()
    assert at.multiselect(key="f_kind").value == ["company"]
    assert url_values(at, "kind") == ["company"]
    at.switch_page("app_pages/overview.py").run()
    assert metric(at, "Organizzazioni") == str(n_groups(db, kind="company"))


class Downloads:
    """Records the deferred download callables the page registers, by file name."""

    def __init__(self, monkeypatch):
        self.files: dict[str, object] = {}
        original = MediaFileManager.add_deferred

        def spy(mgr, data_callable, mimetype, coordinates, file_name=None, **kw):
            self.files[file_name] = data_callable
            return original(mgr, data_callable, mimetype, coordinates, file_name=file_name, **kw)

        monkeypatch.setattr(MediaFileManager, "add_deferred", spy)

    def get(self, prefix: str) -> bytes:
        names = [n for n in self.files if n and n.startswith(prefix)]
        assert len(names) == 1, (prefix, list(self.files))
        data = self.files[names[0]]()
        return data if isinstance(data, bytes) else data.encode("utf-8")


def test_csv_download_contains_exactly_the_filtered_rows(db, monkeypatch):
    downloads = Downloads(monkeypatch)
    at = app({"prov": ["LO", "BG"], "kind": ["company"]})
    at.switch_page("app_pages/explore.py").run()
    assert not at.exception
    db_rows = sql(db, "SELECT org_id, source_urls FROM mart.organisations WHERE "
                      "province IN ('LO','BG') AND kind='company'")
    expected = {r[0] for r in db_rows}
    sources = {r[0]: " | ".join(r[1]) for r in db_rows}
    build_date = sql(db, "SELECT strftime(max(finished), '%Y-%m-%d') FROM meta.load_runs")[0][0]
    build_id = sql(db, "SELECT build_id FROM meta.load_runs ORDER BY finished DESC LIMIT 1")[0][0]
    name = f"beautyvalley_organisations_LO-BG_company_{build_id}_{build_date}.csv"
    assert name in downloads.files, list(downloads.files)
    rows = list(csv.DictReader(io.StringIO(downloads.get(name).decode("utf-8"))))
    assert {r["org_id"] for r in rows} == expected
    assert len(rows) == len(expected)
    assert all(r["build_date"] == build_date for r in rows)
    assert {r["org_id"]: r["source_urls"] for r in rows} == sources
    # the hostile formula name is neutralised, the <img> name is kept as plain text
    names = {r["name"] for r in rows}
    assert not any(n.startswith(("=", "+", "@")) for n in names)
    assert any(n.startswith("'" + FORMULA_PREFIX) for n in names)

    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(downloads.get(name[:-3] + "xlsx")))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    xrows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2)]
    assert {r["org_id"].value for r in xrows} == expected
    codes = dict(sql(db, "SELECT org_id, comune_code FROM mart.organisations WHERE province IN ('LO','BG')"))
    assert all(r["comune_code"].value == codes[r["org_id"].value] and r["comune_code"].data_type == "s"
               for r in xrows)
    assert any(r["comune_code"].value.startswith("0") for r in xrows)  # Lodi/Bergamo: 098…, 016…
    assert all(c.data_type != "f" for w in wb.worksheets for row in w.iter_rows() for c in row)


def test_row_count_is_shown(db):
    at = app({"prov": "all"})
    at.switch_page("app_pages/explore.py").run()
    total = sql(db, "SELECT count(*) FROM mart.organisations")[0][0]
    assert f"**{total}** sedi" in all_text(at)


def test_hostile_name_is_escaped_on_screen(db):
    at = app({"prov": "all", "q": HOSTILE})
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception
        text = all_text(at)
        assert HOSTILE not in text, page
        for h in at.get("html") if hasattr(at, "get") else []:
            assert HOSTILE not in h.proto.body
    at.switch_page("app_pages/explore.py").run()
    assert "\\<img src\\=x onerror\\=alert\\(1\\)\\>" in all_text(at)


def test_how_to_cite_names_build_filters_and_link(db):
    at = app({"prov": ["CR"], "kind": ["company"], "lang": "en"})
    at.switch_page("app_pages/explore.py").run()
    build_id = sql(db, "SELECT build_id FROM meta.load_runs")[0][0]
    code = [c.value for c in at.code]
    assert any("prov=CR" in c and "kind=company" in c and "lang=en" in c for c in code)
    text = all_text(at)
    assert build_id.replace("-", "\\-") in text
    assert "Cremona" in text and "Company" in text


def test_sources_page_lists_rejected_rows_and_files(db):
    at = app()
    at.switch_page("app_pages/sources.py").run()
    n_rej = sql(db, "SELECT count(*) FROM staging.rejected_rows")[0][0]
    frames = [d.value for d in at.dataframe]
    assert any(len(f) == n_rej and "reason" in f.columns for f in frames)
    sha = sql(db, "SELECT sha256 FROM meta.load_files")[0][0]
    assert any("sha256" in f.columns and sha in set(f["sha256"]) for f in frames)


def test_sectors_matrix_marks_empty_cells(db):
    at = app()
    at.switch_page("app_pages/sectors.py").run()
    present = {(s, p) for s, p in sql(db, "SELECT DISTINCT unnest(segments), province FROM "
                                          "mart.organisations WHERE province IN ('CR','LO','MI','BG')")}
    n_seg = sql(db, "SELECT count(*) FROM mart.segments")[0][0]
    gaps = n_seg * 4 - len(present)
    assert gaps > 0
    assert f"{gaps} celle vuote su {n_seg * 4}" in all_text(at)


# ---- screen helpers used by the pages (AppTest cannot see inside pydeck selection events)

def test_md_escape_shows_markup_as_text():
    from beautyvalley.formatting import md_escape

    escaped = md_escape(HOSTILE)
    assert "<" not in escaped.replace("\\<", "") and ">" not in escaped.replace("\\>", "")
    assert md_escape("[x](javascript:alert(1))").startswith("\\[x\\]\\(")
    assert md_escape("**bold**") == "\\*\\*bold\\*\\*"


def test_source_links_accept_only_plain_http_urls():
    from beautyvalley.formatting import md_link, safe_url

    assert safe_url("https://a.example/x?y=1") == "https://a.example/x?y=1"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("https://a.example/<img>") is None
    assert md_link("javascript:alert(1)") == "javascript\\:alert\\(1\\)"


def test_selected_org_id_reads_the_pydeck_selection():
    from types import SimpleNamespace

    from beautyvalley.formatting import selected_org_id

    event = SimpleNamespace(selection={"indices": {"comuni": [3], "organisations": [1]},
                                       "objects": {"comuni": [{"name": "Crema"}],
                                                   "organisations": [{"org_id": "fx-alfa-crema"}]}})
    assert selected_org_id(event) == "fx-alfa-crema"
    assert selected_org_id(SimpleNamespace(selection={"indices": {}, "objects": {}})) is None
    assert selected_org_id(None) is None


def test_organisation_card_has_every_field_and_keeps_names_as_text(db):
    from beautyvalley import queries
    from beautyvalley.formatting import card_rows

    org_id = sql(db, "SELECT org_id FROM mart.organisations WHERE name = ?", [HOSTILE])[0][0]
    card = queries.org_card(org_id)
    rows = card_rows(card, "en", {"brand": "Brands"})
    fields = {r["field"]: r["value"] for r in rows}
    assert fields["Name"] == HOSTILE  # plain text in a dataframe cell, never rendered as HTML
    assert fields["Kind"] == "Company"
    assert fields["Segments"] == "Brands"
    assert len(rows) == len(card) - 1  # every field except source_urls (shown as links)


def test_group_sites_lists_the_other_sites(db):
    from beautyvalley import queries

    group = sql(db, "SELECT group_id FROM mart.organisations GROUP BY 1 HAVING count(*) > 1 LIMIT 1")[0][0]
    ids = [r[0] for r in sql(db, "SELECT org_id FROM mart.organisations WHERE group_id = ? ORDER BY 1", [group])]
    others = queries.group_sites(group, ids[0])
    assert sorted(others["org_id"]) == ids[1:]


def test_missing_warehouse_is_built_first(fixture_db, tmp_path, monkeypatch):
    import shutil

    import etl.build

    target = tmp_path / "sub" / "beautyvalley.duckdb"
    calls = []

    def fake_build(db_path, inbox=None, progress=False, **kw):  # stands in for the ETL
        calls.append(Path(db_path))
        shutil.copy(fixture_db, db_path)

    monkeypatch.setattr(etl.build, "build_warehouse", fake_build)
    monkeypatch.setenv("BEAUTYVALLEY_DB", str(target))
    at = app()
    assert calls == [target]
    assert not at.exception
    assert metric(at, "Organizzazioni") == str(n_groups(fixture_db))
    app()  # a second session finds the file and does not build again
    assert calls == [target]


def test_a_failing_build_is_reported_not_raised(tmp_path, monkeypatch):
    import etl.build

    def broken(db_path, inbox=None, progress=False, **kw):
        raise RuntimeError("inbox unreadable")

    monkeypatch.setattr(etl.build, "build_warehouse", broken)
    monkeypatch.setenv("BEAUTYVALLEY_DB", str(tmp_path / "none.duckdb"))
    at = app()
    assert at.error and "python -m etl build" in at.error[0].value
    assert not at.title


def test_headline_indicators_show_latest_value_range_and_change(db):
    at = app({"lang": "en"})
    rows = sql(db, "SELECT year, value FROM mart.indicators WHERE entity='Lombardia' AND metric='turnover' "
                   "ORDER BY year")
    last_year = max(y for y, _ in rows)
    latest = sorted(v for y, v in rows if y == last_year)
    prev_year = max(y for y, _ in rows if y < last_year)
    cards = [m for m in at.metric if m.label.startswith(f"Turnover — Lombardia ({last_year})")]
    assert len(cards) == 1
    card = cards[0]
    from beautyvalley import i18n
    if len(latest) > 1:  # sources disagree: the range is shown
        assert card.value == f"{i18n.fmt_eur(latest[0], 'en')} – {i18n.fmt_eur(latest[-1], 'en')}"
    else:
        assert card.value == i18n.fmt_eur(latest[0], "en")
    assert f"vs {prev_year}" in card.delta


@pytest.mark.parametrize("page", PAGES)
def test_every_page_names_its_sources(db, page):
    at = app()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py").run()
    text = all_text(at) + "\n".join(e.label for e in at.expander)
    assert re.search(r"\bfont[ei]\b", text, re.I), page
    build_date = sql(db, "SELECT strftime(max(finished), '%Y-%m-%d') FROM meta.load_runs")[0][0]
    if page in ("overview", "map", "sectors"):
        year = build_date[:4]
        assert "magazzino costruito il" in text and year in text
