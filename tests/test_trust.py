"""Issue 8 ("trust what is on screen") with AppTest on the fixture warehouse: the language switch
keeps code widgets, headline indicators follow the territory, the province and benchmark
comparison tables, empty results offer a reset, the comparison vocabulary is validated.

Expected figures come from the fixture DuckDB file (SQL) or are written out here, never from
the app's query functions.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.test_pages import Downloads, all_text, app, db, sql, url_values  # noqa: F401  (db fixture)

ROOT = Path(__file__).resolve().parent.parent


def test_language_switch_keeps_every_code_widget(db):
    at = app({"kind": ["university", "company"], "seg": ["packaging"]})
    at.switch_page("app_pages/map.py").run()
    at.radio(key="map_choropleth").set_value("count").run()
    at.segmented_control(key="lang").set_value("en").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="f_kind").value == ["university", "company"]
    assert at.multiselect(key="f_seg").value == ["packaging"]
    assert at.radio(key="map_choropleth").value == "count"
    assert at.radio(key="map_choropleth").label == "Colour the municipalities by"
    assert sorted(url_values(at, "kind")) == ["company", "university"]
    assert url_values(at, "seg") == ["packaging"] and url_values(at, "lang") == ["en"]
    at.segmented_control(key="lang").set_value("it").run()
    assert at.radio(key="map_choropleth").value == "count"
    assert at.multiselect(key="f_kind").value == ["university", "company"]
    assert "lang" not in at.query_params


def test_language_switch_keeps_the_benchmark_metric(db):
    at = app()
    at.switch_page("app_pages/benchmarks.py").run()
    options = at.selectbox(key="bm_metric").options
    assert len(options) >= 2
    other = at.selectbox(key="bm_metric").value
    choice = [m for m in ("members", "founding_year", "turnover") if m != other][0]
    at.selectbox(key="bm_metric").set_value(choice).run()
    at.segmented_control(key="lang").set_value("en").run()
    assert at.selectbox(key="bm_metric").value == choice


def test_province_indicators_follow_the_province_filter(db):
    at = app({"prov": "CR"})
    rows = sql(db, "SELECT year, value FROM mart.indicators WHERE entity = 'Provincia di Cremona' "
                   "ORDER BY year")
    assert rows == [(2016, 70.0), (2023, 70.0)]
    labels = [m.label for m in at.metric]
    assert "Imprese — Provincia di Cremona (2023)" in labels, labels
    assert not any("Lombardia" in x or "Italia" in x for x in labels), labels
    card = next(m for m in at.metric if m.label.startswith("Imprese — Provincia di Cremona"))
    assert card.value == "70"
    assert card.delta == "invariato rispetto al 2016"  # never "±0"
    assert "Indicatori pubblicati per la Provincia di Cremona" in all_text(at)


def test_a_province_without_figures_says_so(db):
    at = app({"prov": "BS"})
    assert sql(db, "SELECT count(*) FROM mart.indicators WHERE entity = 'Provincia di Brescia'")[0][0] == 0
    assert "Nessun indicatore pubblicato per la provincia di Brescia" in all_text(at)
    assert any("Lombardia" in m.label for m in at.metric)


def test_missing_year_and_old_figures_are_marked(db):
    at = app({"prov": "LO"})
    labels = [m.label for m in at.metric]
    assert "Addetti — Provincia di Lodi (anno non indicato)" in labels, labels
    build_year = int(sql(db, "SELECT strftime(max(finished), '%Y') FROM meta.load_runs")[0][0])
    old = [x for x in labels if "(2015" in x]
    assert len(old) == 1
    if build_year - 2015 > 5:
        assert "dato di oltre 5 anni fa" in old[0]
    assert not any("—)" in x or "None" in x for x in labels), labels


def test_cards_are_grouped_by_comparable_scope(db):
    at = app({"lang": "en"})
    # Lombardia turnover has two comparable groups in the fixture: each shows its own scope
    scopes = {r[0] for r in sql(db, "SELECT DISTINCT scope FROM mart.indicators "
                                    "WHERE entity = 'Lombardia' AND metric = 'turnover'")}
    captions = [c.value for c in at.caption]
    for scope in scopes:
        plain = scope.split(" (")[0]
        assert any("Scope as stated by the source" in c and plain.replace(" ", " ") in c.replace("\\", "")
                   for c in captions), (scope, captions)


def test_province_comparison_table_and_download(db, monkeypatch):
    downloads = Downloads(monkeypatch)
    at = app()
    reg = next(d for d in at.dataframe if "Cremona" in d.value.columns)
    table = reg.value.set_index(reg.value.columns[0])
    names = dict(sql(db, "SELECT province, name FROM mart.provinces"))
    assert list(table.columns) == [names[p] for p in ("CR", "LO", "MI", "BG", "MB")]
    for code in ("CR", "LO", "MB"):
        name = names[code]
        n = sql(db, "SELECT count(DISTINCT group_id) FROM mart.organisations WHERE province = ?", [code])[0][0]
        assert table.loc["Organizzazioni", name] == str(n)
    pub = next(d for d in at.dataframe if "Cremona" in d.value.columns and d is not reg)
    assert (pub.value == "non pubblicato").any().any()
    data = downloads.get("beautyvalley_province_indicators").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(data)))
    expected = sql(db, "SELECT count(*) FROM mart.indicators WHERE entity IN ('Provincia di Cremona', "
                       "'Provincia di Lodi', 'Provincia di Milano', 'Provincia di Bergamo', "
                       "'Provincia di Monza e Brianza')")[0][0]
    assert len(rows) == expected
    assert all(r["source_url"].startswith("https://") and r["build_id"] for r in rows)
    reg_rows = list(csv.DictReader(io.StringIO(downloads.get("beautyvalley_province_comparison").decode())))
    assert [r["province"] for r in reg_rows] == ["CR", "LO", "MI", "BG", "MB"]
    assert all(r["build_id"] and r["source_urls"] for r in reg_rows)


def test_benchmark_comparison_table(db, monkeypatch):
    downloads = Downloads(monkeypatch)
    at = app()
    at.switch_page("app_pages/benchmarks.py").run()
    table = next(m.value for m in at.markdown if m.value.startswith("| Misura |"))
    lines = table.splitlines()
    header = [c.strip() for c in lines[0].strip("|").split(" | ")]
    assert header[1] == "Polo Tecnologico della Cosmesi — dati pubblicati dal Polo"
    assert header[2] == "Cluster Cosmetico Lombardo — conteggi del registro"
    rows = {r.split(" | ")[0].strip("| *"): [c.strip(" |") for c in r.split(" | ")[1:]] for r in lines[2:]}
    founders = sql(db, "SELECT count(DISTINCT group_id) FROM mart.organisations WHERE cluster_role = 'founder'")[0][0]
    sites = sql(db, "SELECT count(*) FROM mart.organisations WHERE province IN ('CR','LO','MI','BG')")[0][0]
    assert rows["Membri fondatori"][1] == str(founders)
    assert rows["Sedi nelle province di Cremona, Lodi, Milano e Bergamo"][1] == str(sites)
    # Lombardia's exports (fixture group regional_cosmetics_exports): 3.5 bn in 2022 with its source
    lomb = header.index("Lombardia") - 1
    cell = rows["Esportazioni cosmetiche del territorio"][lomb]
    assert cell.startswith("3,5\u00a0mld\u00a0€ (2022)") and "https://example.org/fixture/ind5" in cell
    assert "non pubblicato" in rows["Fatturato delle imprese associate"]
    data = downloads.get("beautyvalley_benchmark_comparison").decode("utf-8")
    out = list(csv.DictReader(io.StringIO(data)))
    assert {"source_url", "build_id", "years_apart_flag"} <= set(out[0])


def test_comparison_flags_cells_more_than_three_years_older():
    import pandas as pd

    from beautyvalley import charts
    cells = pd.DataFrame({"measure": ["a", "a", "a", "b"], "year": [2023, 2019, None, 2010]})
    assert charts.comparison_flags(cells, 3).tolist() == [False, True, False, False]


def test_empty_result_offers_reset(db):
    at = app({"q": "zzzz-no-such-name"})
    assert "Azzera filtri" in [b.label for b in at.button]
    next(b for b in at.button if b.label == "Azzera filtri").click().run()
    assert at.text_input(key="f_q").value == ""
    assert at.multiselect(key="f_prov").value == ["CR", "LO", "MI", "BG"]
    assert "q" not in at.query_params


def test_measures_vocabulary_is_validated(tmp_path):
    from etl.sources import measures
    df = measures.load(ROOT / "data" / "measures.csv")
    assert df["label_it"].str.len().min() > 0 and df["label_en"].str.len().min() > 0
    groups = [g for gs in df["comparable_groups"] for g in gs]
    assert len(groups) == len(set(groups))
    text = (ROOT / "data" / "measures.csv").read_text(encoding="utf-8")
    bad = tmp_path / "m.csv"
    lines = text.splitlines()
    bad.write_text("\n".join([lines[0], lines[1], lines[1].replace("members,1", "members_again,99")]) + "\n",
                   encoding="utf-8")
    with pytest.raises(measures.MeasuresError, match="already maps onto"):
        measures.load(bad)
