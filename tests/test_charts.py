"""Behaviour of the plotly chart builders (beautyvalley.charts).

Synthetic data built here, expected values worked out by hand or with plain pandas.
"""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from beautyvalley import charts
from beautyvalley.l10n import Formatter

HOSTILE = "<img src=x onerror=alert(1)>"

IT, EN = Formatter("it"), Formatter("en")


def indicator(entity, metric, value, year, group, *, unit="EUR", scope=None, url="https://example.org/a", date="2024"):
    return {
        "entity": entity,
        "entity_type": "region",
        "metric": metric,
        "value": value,
        "unit": unit,
        "year": year,
        "year_basis": "stated",
        "scope": scope if scope is not None else f"scope of {group}",
        "comparable_group": group,
        "source_url": url,
        "source_date": date,
        "note": "",
    }


# --------------------------------------------------------------------------- formatting
# (the formatting contract itself is tests/test_l10n.py)
class Marked(Formatter):
    """A Formatter whose values are recognisable in the figure."""

    def value(self, value, unit=None):
        return f"<<{value:g}>>"


def test_custom_formatter_is_used_for_bar_text():
    df = pd.DataFrame({"entity": ["A"], "metric": ["m"], "value": [5.0], "unit": ["count"], "year": [2020],
                       "scope": ["s"], "comparable_group": ["g"], "source_url": ["u"], "source_date": ["d"]})
    fig = charts.benchmark_bar(df, {}, fmt=Marked("en"))
    assert fig.data[0].text[0] == "<<5>> (2020)"


# --------------------------------------------------------------------------- overview
def test_province_bar_counts_and_language_formatting():
    df = pd.DataFrame({"province": ["MI", "CR", "LO"], "n_organisations": [1234, 7, 0]})
    fig = charts.province_bar(df, "province", "n_organisations", {"y_title": "Organizzazioni"}, fmt=IT)
    bar = fig.data[0]
    assert list(bar.x) == ["MI", "CR", "LO"]
    assert list(bar.y) == [1234, 7, 0]
    assert list(bar.customdata) == ["1.234", "7", "0"]
    assert "%{customdata}" in bar.hovertemplate and "Organizzazioni" in bar.hovertemplate
    en = charts.province_bar(df, "province", "n_organisations", {}, fmt=EN)
    assert list(en.data[0].text) == ["1,234", "7", "0"]


def test_province_bar_escapes_names():
    df = pd.DataFrame({"province": [HOSTILE], "n_organisations": [1]})
    fig = charts.province_bar(df, labels={}, fmt=IT)
    assert "<img" not in fig.to_json()
    assert fig.data[0].x[0] == "&lt;img src=x onerror=alert(1)&gt;"


def test_sparkline_sorted_by_year_without_missing():
    df = pd.DataFrame({"year": [2022, 2020, None, 2021], "value": [3.0, 1.0, 9.0, None]})
    fig = charts.sparkline(df, fmt=IT)
    assert list(fig.data[0].x) == [2020, 2022]
    assert list(fig.data[0].y) == [1.0, 3.0]
    assert fig.layout.xaxis.visible is False and fig.layout.height == 60


# --------------------------------------------------------------------------- sectors
def test_segment_treemap_parents_sum_children():
    df = pd.DataFrame(
        {
            "segment": ["formulation", "formulation", "formulation", "packaging"],
            "specialty": ["skin care", "make-up", None, "glass"],
            "n": [5, 3, 2, 4],
        }
    )
    fig = charts.segment_treemap(df, {"root": "Tutte", "segment_formulation": "Formulazione", "no_specialty": "(nessuna)"}, fmt=IT)
    tm = fig.data[0]
    values = dict(zip(tm.ids, tm.values))
    names = dict(zip(tm.ids, tm.labels))
    assert values["seg:formulation"] == 5 + 3 + 2
    assert values["seg:packaging"] == 4
    assert values["__root__"] == 14
    assert names["seg:formulation"] == "Formulazione"
    assert names["seg:packaging"] == "packaging"  # no label: the code
    assert "(nessuna)" in tm.labels
    assert tm.branchvalues == "total"


def test_province_segment_bars_has_every_segment_and_province():
    df = pd.DataFrame({"province": ["MI", "MI", "CR"], "segment": ["a", "b", "a"], "n": [4, 1, 2]})
    fig = charts.province_segment_bars(df, {}, provinces=["MI", "CR", "LO"], segments=["a", "b", "c"], barmode="group", fmt=IT)
    by_name = {t.name: list(t.y) for t in fig.data}
    assert by_name == {"a": [4, 2, 0], "b": [1, 0, 0], "c": [0, 0, 0]}
    assert fig.layout.barmode == "group"


def test_completeness_table_fills_every_pair_with_zeros():
    df = pd.DataFrame(
        {
            "segment": ["raw", "raw", "formulation", "packaging", "other"],
            "province": ["MI", "MI", "CR", "XX", "MI"],
            "n": [2, 3, 1, 9, 7],
        }
    )
    table = charts.completeness_table(df, ["raw", "formulation", "packaging", "logistics"], ["MI", "CR", "LO", "BG"])
    assert list(table.index) == ["raw", "formulation", "packaging", "logistics"]
    assert list(table.columns) == ["MI", "CR", "LO", "BG"]
    assert table.loc["raw", "MI"] == 5  # duplicates summed
    assert table.loc["formulation", "CR"] == 1
    assert table.loc["packaging"].sum() == 0  # XX is not a listed province
    assert table.loc["logistics"].sum() == 0
    assert table["LO"].sum() == 0 and table["BG"].sum() == 0
    assert int(table.to_numpy().sum()) == 6
    assert table.shape == (4, 4)


def test_completeness_matrix_marks_empty_cells():
    df = pd.DataFrame({"segment": ["raw", "formulation"], "province": ["MI", "CR"], "n": [3, 1]})
    segments, provinces = ["raw", "formulation", "logistics"], ["MI", "CR", "LO"]
    fig = charts.completeness_matrix(df, segments, provinces, {"empty_cell": "—", "segment_raw": "Materie prime"}, fmt=IT)
    empty = next(t for t in fig.data if t.name == "empty")
    count = next(t for t in fig.data if t.name == "count")
    assert list(empty.y) == ["Materie prime", "formulation", "logistics"]
    assert list(empty.x) == provinces
    # Zero cells (7 of 9) carry the marker text and a value in the "empty" trace only.
    zero_cells = {(i, j) for i in range(3) for j in range(3)} - {(0, 0), (1, 1)}
    for i in range(3):
        for j in range(3):
            if (i, j) in zero_cells:
                assert empty.text[i][j] == "—"
                assert empty.z[i][j] is not None
                assert count.z[i][j] is None
            else:
                assert empty.z[i][j] is None
                assert empty.text[i][j] == ""
    assert count.z[0][0] == 3 and count.text[0][0] == "3"
    assert count.z[1][1] == 1
    # The empty colour is distinct from every colour of the count scale.
    empty_colours = {c for _, c in empty.colorscale}
    count_colours = {c for _, c in count.colorscale}
    assert empty_colours and not (empty_colours & count_colours)


def test_completeness_matrix_all_zero_still_draws_every_cell():
    df = pd.DataFrame({"segment": [], "province": [], "n": []})
    fig = charts.completeness_matrix(df, ["a", "b"], ["MI"], {}, fmt=IT)
    empty = next(t for t in fig.data if t.name == "empty")
    assert [row[0] for row in empty.text] == ["0 —", "0 —"]


# --------------------------------------------------------------------------- benchmarks
def benchmark_frame():
    return pd.DataFrame(
        [
            indicator("Lombardia", "turnover", 8.8e9, 2022, "industry", url="https://src.example/a", date="2023-09"),
            indicator("Lombardia", "turnover", 9.2e9, 2022, "industry", url="https://src.example/b", date="2023-10"),
            indicator("Lombardia", "turnover", 8.1e9, 2021, "industry"),
            indicator("Italia", "turnover", 13.0e9, 2022, "industry"),
            indicator("Cosmetic Valley", "turnover", 30e9, 2023, "cluster_members", scope="members only"),
            indicator("Beauty Cluster", "members", 140, None, "cluster_count", unit="count"),
        ]
    )


def test_benchmark_bars_one_figure_per_metric():
    figs = charts.benchmark_bars(benchmark_frame(), {"metric_turnover": "Fatturato"}, fmt=IT)
    assert list(figs) == ["turnover", "members"]
    assert figs["turnover"].layout.title.text == "Fatturato"
    assert all(isinstance(f, go.Figure) for f in figs.values())


def test_benchmark_scopes_are_separate_facets():
    fig = charts.benchmark_bars(benchmark_frame(), {}, fmt=IT)["turnover"]
    groups = [t.meta["comparable_group"] for t in fig.data]
    assert sorted(groups) == ["cluster_members", "industry"]
    # Each comparable group on its own axis: never drawn on one scale.
    assert len({t.xaxis for t in fig.data}) == 2
    members = next(t for t in fig.data if t.meta["comparable_group"] == "cluster_members")
    assert list(members.y) == ["Cosmetic Valley"]
    titles = [a.text for a in fig.layout.annotations]
    assert any("members only" in t for t in titles)


def test_long_scopes_are_shortened_in_titles_and_full_on_hover():
    long_scope = "Lombard cosmetics firms " * 10
    df = pd.DataFrame([indicator("Lombardia", "turnover", 1e9, 2022, "g", scope=long_scope.strip())])
    fig = charts.benchmark_bar(df, {"scope": "Ambito"}, fmt=IT)
    title = fig.layout.annotations[0].text
    assert title.startswith("Ambito: Lombard cosmetics firms") and title.endswith("…")
    assert len(title) <= len("Ambito: ") + 90
    assert fig.data[0].customdata[0][2] == long_scope.strip()


def test_benchmark_bar_text_carries_year_and_range_of_sources():
    fig = charts.benchmark_bars(benchmark_frame(), {"sources": "Fonti"}, fmt=EN)["turnover"]
    industry = next(t for t in fig.data if t.meta["comparable_group"] == "industry")
    bars = dict(zip(industry.y, zip(industry.x, industry.text, industry.customdata)))
    # Latest year per entity: Lombardia 2022 (two sources) not 2021.
    value, text, (_, sources, scope) = bars["Lombardia"]
    assert scope == "scope of industry"  # full scope on hover
    assert text == "€8.8B – €9.2B (2022)"
    assert value == pytest.approx((8.8e9 + 9.2e9) / 2)
    assert "https://src.example/a" in sources and "https://src.example/b" in sources
    assert "2023-09" in sources and "2023-10" in sources
    assert bars["Italia"][1] == "€13B (2022)"
    # Error bar spans exactly min..max around the bar.
    i = list(industry.y).index("Lombardia")
    assert industry.error_x.array[i] == pytest.approx(9.2e9 - value)
    assert industry.error_x.arrayminus[i] == pytest.approx(value - 8.8e9)
    assert "Fonti" in industry.hovertemplate


def test_benchmark_bar_unknown_year_and_all_years_mode():
    figs = charts.benchmark_bars(benchmark_frame(), {"year_unknown": "anno n.d."}, fmt=IT)
    assert figs["members"].data[0].text[0] == "140 (anno n.d.)"
    all_years = charts.benchmark_bars(benchmark_frame(), {}, latest_only=False, fmt=IT)["turnover"]
    industry = next(t for t in all_years.data if t.meta["comparable_group"] == "industry")
    assert set(industry.y) == {"Lombardia (2021)", "Lombardia (2022)", "Italia (2022)"}


def test_benchmark_rows_without_group_are_not_pooled():
    df = pd.DataFrame(
        [
            indicator("A", "employees", 10, 2020, None, unit="count", scope=""),
            indicator("B", "employees", 20, 2020, None, unit="count", scope=""),
        ]
    )
    fig = charts.benchmark_bar(df, {}, fmt=IT)
    assert len(fig.data) == 2


def test_benchmark_escapes_entity_and_source():
    df = pd.DataFrame([indicator(HOSTILE, "members", 3, 2020, "g", unit="count", url="https://x/<script>")])
    fig = charts.benchmark_bar(df, {}, fmt=IT)
    dumped = fig.to_json()
    assert "<img" not in dumped and "<script>" not in dumped


def test_time_series_only_entities_with_two_years():
    df = benchmark_frame()
    df = pd.concat([df, pd.DataFrame([indicator("Cosmetic Valley", "turnover", 28e9, 2021, "cluster_members")])])
    fig = charts.time_series(df[df["metric"] == "turnover"], {}, fmt=IT)
    names = sorted(t.name for t in fig.data)
    assert names == ["Cosmetic Valley", "Lombardia"]  # Italia has one year only
    lomb = next(t for t in fig.data if t.name == "Lombardia")
    assert list(lomb.x) == [2021, 2022]
    assert lomb.y[1] == pytest.approx(9.0e9)  # median of the two 2022 sources
    cv = next(t for t in fig.data if t.name == "Cosmetic Valley")
    assert lomb.yaxis != cv.yaxis  # different comparable groups, different axes


def test_time_series_without_series_has_no_traces():
    df = pd.DataFrame([indicator("A", "turnover", 1, 2020, "g")])
    fig = charts.time_series(df, {"no_series": "Nessuna serie"}, fmt=IT)
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text == "Nessuna serie"


def test_figures_serialise():
    # Every builder's output must be valid plotly JSON (what st.plotly_chart sends).
    df = benchmark_frame()
    for fig in [*charts.benchmark_bars(df, {}, fmt=IT).values(), charts.time_series(df, {}, fmt=IT)]:
        assert json.loads(fig.to_json())["data"] is not None


def test_plotly_separators_follow_language():
    df = pd.DataFrame({"segment": ["a"], "province": ["MI"], "n": [1]})
    assert charts.completeness_matrix(df, ["a"], ["MI"], {}, fmt=IT).layout.separators == ",."
    assert charts.completeness_matrix(df, ["a"], ["MI"], {}, fmt=EN).layout.separators == ".,"
    assert charts.sparkline(pd.DataFrame({"year": [2020], "value": [1]}), fmt=IT).layout.separators == ",."


def test_nice_ticks_cover_range_with_round_steps():
    assert charts.nice_ticks(0, 10) == [0, 2.5, 5, 7.5, 10]
    ticks = charts.nice_ticks(3.7e9, 7.0e9)
    assert ticks[0] <= 3.7e9 and ticks[-1] >= 7.0e9
    steps = {round(b - a) for a, b in zip(ticks, ticks[1:])}
    assert steps == {1_000_000_000}


def test_time_series_axis_labels_localised_and_one_legend_entry_per_entity():
    df = pd.DataFrame(
        [
            indicator("Lombardia", "exports", 4e9, 2021, "g1"),
            indicator("Lombardia", "exports", 6e9, 2023, "g1"),
            indicator("Lombardia", "exports", 3e9, 2015, "g2"),
            indicator("Lombardia", "exports", 3.4e9, 2017, "g2"),
        ]
    )
    fig = charts.time_series(df, {}, fmt=IT)
    assert len(fig.data) == 2
    assert [t.showlegend for t in fig.data] == [True, False]
    assert fig.data[0].line.color == fig.data[1].line.color
    assert "5\u00a0mld\u00a0€" in fig.layout.yaxis.ticktext
    assert all(t.endswith("\u00a0mld\u00a0€") for t in fig.layout.yaxis.ticktext)


def test_province_segment_bars_distinct_colours_for_many_segments():
    segments = [f"s{i}" for i in range(8)]
    df = pd.DataFrame({"province": ["MI"] * 8, "segment": segments, "n": [1] * 8})
    fig = charts.province_segment_bars(df, {}, segments=segments, fmt=IT)
    assert len({t.marker.color for t in fig.data}) == 8


def test_several_source_urls_each_on_their_own_hover_line():
    df = pd.DataFrame([indicator("A", "members", 3, 2020, "g", unit="count",
                                 url="https://one.example/x | https://two.example/y")])
    sources = charts.benchmark_bar(df, {}, fmt=IT).data[0].customdata[0][1]
    assert "https://one.example/x<br>" in sources and "https://two.example/y" in sources
    assert " | " not in sources


INDICATOR_COLUMNS = ["entity", "entity_type", "metric", "value", "unit", "year", "year_basis", "scope",
                     "comparable_group", "source_url", "source_date", "note"]


@pytest.mark.parametrize(
    "build",
    [
        lambda: charts.province_bar(pd.DataFrame(columns=["province", "n_organisations"]), labels={}, fmt=IT),
        lambda: charts.sparkline(pd.DataFrame(columns=["year", "value"]), fmt=IT),
        lambda: charts.segment_treemap(pd.DataFrame(columns=["segment", "specialty", "n"]), {}, fmt=IT),
        lambda: charts.province_segment_bars(pd.DataFrame(columns=["province", "segment", "n"]), {}, fmt=IT),
        lambda: charts.completeness_matrix(pd.DataFrame(columns=["segment", "province", "n"]), [], [], {}, fmt=IT),
        lambda: charts.benchmark_bar(pd.DataFrame(columns=INDICATOR_COLUMNS), {}, fmt=IT),
        lambda: charts.time_series(pd.DataFrame(columns=INDICATOR_COLUMNS), {}, fmt=IT),
    ],
    ids=["province_bar", "sparkline", "treemap", "province_segment_bars", "matrix", "benchmark", "time_series"],
)
def test_empty_inputs_give_a_figure_not_an_exception(build):
    # A filter can leave nothing: the page must still draw.
    fig = build()
    assert isinstance(fig, go.Figure)
    json.loads(fig.to_json())


def test_every_builder_requires_a_formatter_and_has_no_language_default():
    import inspect

    from beautyvalley import maps

    builders = [charts.province_bar, charts.sparkline, charts.segment_treemap, charts.province_segment_bars,
                charts.completeness_matrix, charts.benchmark_bar, charts.benchmark_bars, charts.time_series,
                maps.tooltip_fields, maps.choropleth_legend, maps.points_data, maps.build_deck]
    for builder in builders:
        params = inspect.signature(builder).parameters
        assert "lang" not in params, builder.__name__
        fmt = params["fmt"]
        assert fmt.kind is inspect.Parameter.KEYWORD_ONLY and fmt.default is inspect.Parameter.empty, builder.__name__
    with pytest.raises(TypeError):
        charts.province_bar(pd.DataFrame({"province": ["MI"], "n_organisations": [1]}))
