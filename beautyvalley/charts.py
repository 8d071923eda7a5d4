"""Plotly chart builders for the dashboard pages.

Every builder is a pure function: plain pandas DataFrames and a ``labels`` dict of
already-translated strings in, a ``plotly.graph_objects.Figure`` out. Nothing here
imports Streamlit or the translations module; the page translates and passes labels.

Common label keys (all optional unless a docstring says otherwise; a missing key
falls back to a neutral default or to the raw code):

* ``title``            figure title (none when absent)
* ``x_title``          x axis title
* ``y_title``          y axis title
* ``n``                name of the count shown on hover ("Organisations")

Numbers in text labels, hovers and axes come from the required ``fmt`` keyword, a
:class:`beautyvalley.l10n.Formatter` (``fmt(value, unit) -> str``, and
``fmt.plotly_separators`` for plotly's own numbers); no builder has a default language.

Strings that come from data (entity names, scopes, source URLs, organisation names)
are HTML-escaped before they reach plotly text or hover templates, so markup in the
data is shown as text and never interpreted.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from beautyvalley.l10n import Formatter

# Fill colours: a sequential blue scale for counts and a distinct warm grey-pink for
# cells where a value chain link is missing.
EMPTY_CELL_COLOUR = "#f4d6d2"
EMPTY_CELL_TEXT_COLOUR = "#8a2b1f"
COUNT_SCALE = [[0.0, "#dbe9f6"], [0.5, "#6baed6"], [1.0, "#08306b"]]
BAR_COLOUR = "#2c6e9b"
# Colours per comparable group in benchmark charts (cycled).
GROUP_COLOURS = [
    "#2c6e9b", "#d9822b", "#5b8c3a", "#8e5ea2", "#b8474b",
    "#3f8f8f", "#7a6a53", "#c9a227", "#5f6fb0", "#9c4f6b",
]

# --------------------------------------------------------------------------- formatting
def _esc(value: object) -> str:
    """Escape a data string for plotly text/hover (plotly decodes the entities back)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=False)


def _label(labels: Mapping[str, str] | None, key: str, default: str = "") -> str:
    if not labels:
        return default
    value = labels.get(key)
    return default if value is None else str(value)


def _code_label(labels: Mapping[str, str] | None, prefix: str, code: object) -> str:
    """Translated label of a code (``labels[f"{prefix}_{code}"]``), else the code itself."""
    return _label(labels, f"{prefix}_{code}", str(code))


def _layout(fig: go.Figure, labels: Mapping[str, str] | None, fmt: Formatter, **kwargs) -> go.Figure:
    title = _label(labels, "title")
    fig.update_layout(
        template="plotly_white",
        separators=fmt.plotly_separators,
        title={"text": _esc(title)} if title else None,
        margin={"l": 10, "r": 10, "t": 50 if title else 20, "b": 10},
        **kwargs,
    )
    return fig


# --------------------------------------------------------------------------- overview
def province_bar(
    df: pd.DataFrame,
    x: str = "province",
    y: str = "n_organisations",
    labels: Mapping[str, str] | None = None,
    *,
    fmt: Formatter,
) -> go.Figure:
    """Bar chart of organisations per province.

    ``df[x]`` holds the category (province code or name, already in display form),
    ``df[y]`` the count. Bars keep the row order of ``df``. Each bar carries its
    formatted count as text and on hover.

    Label keys: ``title``, ``x_title`` (e.g. "Provincia"), ``y_title`` and ``n``
    (e.g. "Organisations"; ``n`` defaults to ``y_title``).
    """
    counts = [fmt(v, "count") for v in df[y]]
    names = [_esc(v) for v in df[x]]
    n_label = _esc(_label(labels, "n", _label(labels, "y_title", y)))
    fig = go.Figure(
        go.Bar(
            x=names,
            y=df[y].tolist(),
            text=counts,
            textposition="outside",
            cliponaxis=False,
            customdata=counts,
            marker_color=BAR_COLOUR,
            hovertemplate="<b>%{x}</b><br>" + n_label + ": %{customdata}<extra></extra>",
        )
    )
    _layout(fig, labels, fmt, showlegend=False)
    fig.update_xaxes(title_text=_esc(_label(labels, "x_title")), type="category")
    fig.update_yaxes(title_text=_esc(_label(labels, "y_title")), rangemode="tozero")
    return fig


def sparkline(
    df: pd.DataFrame,
    *,
    unit: str = "",
    fmt: Formatter,
    height: int = 60,
    colour: str = BAR_COLOUR,
) -> go.Figure:
    """A tiny line of an indicator's values by year (``df`` columns ``year``, ``value``).

    Rows without a year or value are dropped; points are sorted by year and the last
    one is marked. No axes, no legend; hover shows "year: value" formatted for
    ``fmt``/``unit``. Needs no labels.
    """
    data = df[["year", "value"]].dropna().sort_values("year")
    years = [int(v) for v in data["year"]]
    values = [float(v) for v in data["value"]]
    shown = [fmt(v, unit) for v in values]
    fig = go.Figure(
        go.Scatter(
            x=years,
            y=values,
            mode="lines+markers",
            line={"color": colour, "width": 2},
            marker={"size": [0] * (len(values) - 1) + [6] if values else [], "color": colour},
            customdata=shown,
            hovertemplate="%{x}: %{customdata}<extra></extra>",
        )
    )
    fig.update_layout(
        template="plotly_white",
        separators=fmt.plotly_separators,
        height=height,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        showlegend=False,
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


# --------------------------------------------------------------------------- sectors
def segment_treemap(df: pd.DataFrame, labels: Mapping[str, str] | None = None, *, fmt: Formatter) -> go.Figure:
    """Treemap segment → specialty (``df`` columns ``segment``, ``specialty``, ``n``).

    ``n`` is the number of organisations with that segment and specialty; a segment's
    box is the sum of its specialties (an organisation with two specialties counts in
    both). An empty/missing specialty is shown as ``labels["no_specialty"]``.

    Label keys: ``title``, ``root`` (name of the whole, e.g. "All organisations";
    default "Total"), ``n`` (hover name of the count), ``no_specialty``,
    ``segment_<code>`` (display name of each segment code; default the code).
    """
    no_spec = _label(labels, "no_specialty", "—")
    data = df[["segment", "specialty", "n"]].copy()
    data["specialty"] = data["specialty"].where(data["specialty"].notna() & (data["specialty"] != ""), no_spec)
    data = data.groupby(["segment", "specialty"], as_index=False, sort=True)["n"].sum()
    data = data[data["n"] > 0]
    root_id = "__root__"
    ids, parents, names, values = [root_id], [""], [_esc(_label(labels, "root", "Total"))], [int(data["n"].sum())]
    for segment, group in data.groupby("segment", sort=True):
        seg_id = f"seg:{segment}"
        ids.append(seg_id)
        parents.append(root_id)
        names.append(_esc(_code_label(labels, "segment", segment)))
        values.append(int(group["n"].sum()))
        for row in group.itertuples(index=False):
            ids.append(f"{seg_id}/{row.specialty}")
            parents.append(seg_id)
            names.append(_esc(row.specialty))
            values.append(int(row.n))
    n_label = _esc(_label(labels, "n", "n"))
    fig = go.Figure(
        go.Treemap(
            ids=ids,
            parents=parents,
            labels=names,
            values=values,
            branchvalues="total",
            hovertemplate="<b>%{label}</b><br>" + n_label + ": %{value}<extra></extra>",
            textinfo="label+value",
        )
    )
    return _layout(fig, labels, fmt)


def province_segment_bars(
    df: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    *,
    barmode: str = "stack",
    provinces: Sequence[str] | None = None,
    segments: Sequence[str] | None = None,
    fmt: Formatter,
) -> go.Figure:
    """Province × segment bars (``df`` columns ``province``, ``segment``, ``n``).

    One trace per segment (legend = segments), x = province. ``barmode`` is "stack"
    or "group". ``provinces``/``segments`` fix the order and make every listed one
    appear (missing combinations are 0); by default the sorted values of ``df``.

    Label keys: ``title``, ``x_title``, ``y_title``, ``n`` (hover name of the count),
    ``segment_<code>``, ``province_<code>`` (display names; default the code).
    """
    provinces = list(provinces) if provinces is not None else sorted(df["province"].dropna().unique())
    segments = list(segments) if segments is not None else sorted(df["segment"].dropna().unique())
    table = completeness_table(df, segments, provinces)
    x = [_esc(_code_label(labels, "province", p)) for p in provinces]
    n_label = _esc(_label(labels, "n", "n"))
    fig = go.Figure()
    for i, segment in enumerate(segments):
        name = _esc(_code_label(labels, "segment", segment))
        fig.add_trace(
            go.Bar(
                x=x,
                y=table.loc[segment].tolist(),
                name=name,
                marker_color=GROUP_COLOURS[i % len(GROUP_COLOURS)],
                hovertemplate="<b>%{x}</b><br>" + name + "<br>" + n_label + ": %{y}<extra></extra>",
            )
        )
    _layout(fig, labels, fmt, barmode="group" if barmode == "group" else "stack", legend={"traceorder": "normal"})
    fig.update_xaxes(title_text=_esc(_label(labels, "x_title")), type="category")
    fig.update_yaxes(title_text=_esc(_label(labels, "y_title")), rangemode="tozero")
    return fig


def completeness_table(df: pd.DataFrame, segments: Iterable[str], provinces: Iterable[str]) -> pd.DataFrame:
    """Pivot of organisations: rows = ``segments``, columns = ``provinces``, cells = n.

    ``df`` has columns ``segment``, ``province``, ``n`` (duplicate pairs are summed).
    Every listed segment and province appears, in the given order, with 0 where
    ``df`` has no row; pairs outside the lists are ignored. Cells are ints.
    """
    segments = list(segments)
    provinces = list(provinces)
    data = df[df["segment"].isin(segments) & df["province"].isin(provinces)]
    sums = data.groupby(["segment", "province"])["n"].sum()
    table = pd.DataFrame(0, index=pd.Index(segments, name="segment"), columns=pd.Index(provinces, name="province"))
    for (segment, province), n in sums.items():
        table.loc[segment, province] = int(n)
    return table.astype(int)


def completeness_matrix(
    df: pd.DataFrame,
    segments: Sequence[str],
    provinces: Sequence[str],
    labels: Mapping[str, str] | None = None,
    *,
    fmt: Formatter,
) -> go.Figure:
    """Value-chain completeness matrix: heatmap, rows segments, columns provinces.

    Cells hold the number of organisations (from :func:`completeness_table`, so every
    segment and province appears even when all zero). Empty cells are drawn by a
    separate heatmap trace (``name="empty"``) in :data:`EMPTY_CELL_COLOUR` with the
    text ``labels["empty_cell"]`` (default "0 —"); filled cells are in the second
    trace (``name="count"``) on a blue scale with their count as text.

    Label keys: ``title``, ``x_title``, ``y_title``, ``n`` (hover name of the count),
    ``empty_cell`` (cell text for zero), ``empty_hover`` (hover text for zero, e.g.
    "no organisation"), ``segment_<code>``, ``province_<code>``.
    """
    segments = list(segments)
    provinces = list(provinces)
    table = completeness_table(df, segments, provinces)
    ys = [_esc(_code_label(labels, "segment", s)) for s in segments]
    xs = [_esc(_code_label(labels, "province", p)) for p in provinces]
    values = table.to_numpy()
    empty_text = _esc(_label(labels, "empty_cell", "0 —"))
    empty_hover = _esc(_label(labels, "empty_hover", "0"))
    n_label = _esc(_label(labels, "n", "n"))
    empty_z = [[1 if v == 0 else None for v in row] for row in values]
    empty_txt = [[empty_text if v == 0 else "" for v in row] for row in values]
    count_z = [[int(v) if v > 0 else None for v in row] for row in values]
    count_txt = [[str(int(v)) if v > 0 else "" for v in row] for row in values]
    zmax = max(1, int(values.max()) if values.size else 1)
    fig = go.Figure()
    # two layers of the same grid: the empty cells (flat colour, "0 —") and the counts (colour scale)
    for name, z, text, hover, style in (
        ("empty", empty_z, empty_txt, empty_hover,
         {"textfont": {"color": EMPTY_CELL_TEXT_COLOUR}, "showscale": False,
          "colorscale": [[0, EMPTY_CELL_COLOUR], [1, EMPTY_CELL_COLOUR]]}),
        ("count", count_z, count_txt, n_label + ": %{z}",
         {"colorscale": COUNT_SCALE, "zmin": 1, "zmax": zmax, "colorbar": {"title": {"text": n_label}}}),
    ):
        fig.add_trace(go.Heatmap(name=name, x=xs, y=ys, z=z, text=text, texttemplate="%{text}", xgap=2, ygap=2,
                                 hovertemplate="<b>%{y}</b> · %{x}<br>" + hover + "<extra></extra>", **style))
    _layout(fig, labels, fmt, height=max(250, 40 * len(segments) + 120))
    fig.update_xaxes(title_text=_esc(_label(labels, "x_title")), type="category", side="top")
    fig.update_yaxes(title_text=_esc(_label(labels, "y_title")), type="category", autorange="reversed")
    return fig


# --------------------------------------------------------------------------- benchmarks
def _group_key(row: pd.Series) -> str:
    """Comparable group of an indicator row; without one the row is its own group."""
    for column in ("comparable_group", "scope"):
        value = row.get(column)
        if value is not None and not pd.isna(value) and str(value).strip():
            return str(value)
    return f"__alone__:{row.get('entity')}:{row.get('metric')}:{row.name}"


def _year_text(year: object, labels: Mapping[str, str] | None) -> str:
    if year is None or pd.isna(year):
        return _label(labels, "year_unknown", "n.d.")
    return str(int(year))


def _source_lines(rows: pd.DataFrame, fmt: Formatter) -> str:
    lines = []
    for row in rows.itertuples(index=False):
        value = fmt(row.value, getattr(row, "unit", ""))
        urls = [u.strip() for u in _esc(getattr(row, "source_url", "")).split(" | ") if u.strip()]
        date = _esc(getattr(row, "source_date", ""))
        lines.append(f"{value} — " + "<br>   ".join(urls) + (f" ({date})" if date else ""))
    return "<br>".join(lines)


def _aggregate_points(df: pd.DataFrame, fmt: Formatter, labels: Mapping[str, str] | None) -> pd.DataFrame:
    """One point per (facet, entity, year): median value, min/max range, every source."""
    records = []
    keys = ["_facet", "entity", "_year"]
    for (facet, entity, year), rows in df.groupby(keys, sort=False, dropna=False):
        values = rows["value"].astype(float)
        unit = rows["unit"].iloc[0] if "unit" in rows else ""
        low, high, mid = float(values.min()), float(values.max()), float(values.median())
        if low == high:
            shown = fmt(low, unit)
        else:
            shown = f"{fmt(low, unit)} – {fmt(high, unit)}"
        year_txt = _year_text(None if year == -1 else year, labels)
        records.append(
            {
                "_facet": facet,
                "entity": entity,
                "_year": year,
                "year_text": year_txt,
                "value": mid,
                "low": low,
                "high": high,
                "n_sources": len(rows),
                "text": f"{shown} ({year_txt})",
                "sources": _source_lines(rows, fmt),
            }
        )
    return pd.DataFrame.from_records(records)


def _prepare_indicators(df: pd.DataFrame) -> pd.DataFrame:
    data = df[df["value"].notna()].copy()
    if "unit" not in data:
        data["unit"] = ""
    data["unit"] = data["unit"].fillna("")
    data["_group"] = pd.Series([_group_key(row) for _, row in data.iterrows()], index=data.index, dtype=object)
    # Different units are never comparable either: they go to their own facet.
    data["_facet"] = data["_group"].astype(str) + "\x1f" + data["unit"].astype(str)
    data["_year"] = data["year"].astype("Float64").fillna(-1).astype(int)
    return data


def _shorten(text: str, max_chars: int) -> str:
    return text if len(text) <= max_chars else text[: max_chars - 1].rstrip() + "…"


def _facet_title(rows: pd.DataFrame, labels: Mapping[str, str] | None, max_chars: int = 90) -> tuple[str, str]:
    """(short title, full scope text) of a facet, both HTML-escaped.

    The short title is the first scope, cut to ``max_chars`` with "…" and "(+n)"
    when the facet's rows state several scopes; the full text goes to the hover.
    """
    scopes = [str(s) for s in rows.get("scope", pd.Series(dtype=object)).dropna().unique() if str(s).strip()]
    group = rows["_group"].iloc[0]
    if not scopes:
        scopes = [] if group.startswith("__alone__") else [group]
    prefix = _label(labels, "scope", "")
    prefix = f"{prefix}: " if prefix else ""
    if not scopes:
        return "", ""
    short = _shorten(scopes[0], max_chars) + (f" (+{len(scopes) - 1})" if len(scopes) > 1 else "")
    return _esc(prefix + short), _esc("; ".join(scopes))


def _left_align_titles(fig: go.Figure) -> None:
    for annotation in fig.layout.annotations:
        annotation.update(x=0, xanchor="left", font={"size": 12})


def benchmark_bar(df: pd.DataFrame, labels: Mapping[str, str] | None = None, *, fmt: Formatter,
                  latest_only: bool = True) -> go.Figure:
    """Bar chart of ONE metric (rows of ``mart.indicators`` with a single ``metric``).

    * Rows are split into facets (stacked subplots, each with its own x axis and a
      colour of its own) by ``comparable_group`` — falling back to ``scope``, and a
      row with neither is a facet of its own — and by ``unit``. Figures of different
      scopes are therefore never on one axis. Facet titles show the scope.
    * Horizontal bars, one per entity (``latest_only=True``: its latest year within
      the facet; ``False``: one bar per entity and year, labelled "entity (year)").
    * Bar text is the formatted value and its year, e.g. "€8.8B (2022)".
    * When several sources give the same entity/metric/year in one facet the bar is
      at their median, an error bar spans min–max, the text shows the range, and the
      hover lists every value with its source URL and date.
    * One trace per facet, ``trace.meta = {"comparable_group": ..., "unit": ...}``.

    Label keys: ``title``, ``x_title`` (value axis), ``scope`` (prefix of facet
    titles, e.g. "Scope"), ``sources`` (hover heading, e.g. "Sources"),
    ``year_unknown`` (text for a missing year, default "n.d.").
    """
    data = _prepare_indicators(df)
    facets = list(dict.fromkeys(data["_facet"]))
    if not facets:
        fig = go.Figure()
        _layout(fig, labels, fmt)
        return fig
    points = _aggregate_points(data, fmt, labels)
    facet_texts = [_facet_title(data[data["_facet"] == f], labels) for f in facets]
    titles = [short for short, _ in facet_texts]
    sizes = []
    for facet in facets:
        p = points[points["_facet"] == facet]
        sizes.append(p["entity"].nunique() if latest_only else len(p))
    fig = make_subplots(
        rows=len(facets),
        cols=1,
        subplot_titles=titles,
        row_heights=[max(s, 1) for s in sizes],
        vertical_spacing=min(0.12, 0.35 / len(facets)) if len(facets) > 1 else 0.0,
    )
    sources_label = _esc(_label(labels, "sources", "Sources"))
    for i, facet in enumerate(facets, start=1):
        p = points[points["_facet"] == facet]
        if latest_only:
            p = p.sort_values("_year").groupby("entity", sort=False).tail(1)
            y = [_esc(e) for e in p["entity"]]
        else:
            p = p.sort_values(["entity", "_year"])
            y = [f"{_esc(e)} ({t})" for e, t in zip(p["entity"], p["year_text"])]
        p = p.assign(_y=y).sort_values("value")
        group, unit = facet.split("\x1f", 1)
        ranged = bool((p["high"] > p["low"]).any())
        colour = GROUP_COLOURS[(i - 1) % len(GROUP_COLOURS)]
        fig.add_trace(
            go.Bar(
                x=p["value"].tolist(),
                y=p["_y"].tolist(),
                orientation="h",
                name=titles[i - 1],
                meta={"comparable_group": None if group.startswith("__alone__") else group, "unit": unit},
                text=p["text"].tolist(),
                textposition="outside",
                cliponaxis=False,
                marker_color=colour,
                error_x=(
                    {
                        "type": "data",
                        "symmetric": False,
                        "array": (p["high"] - p["value"]).tolist(),
                        "arrayminus": (p["value"] - p["low"]).tolist(),
                        "color": "#333333",
                    }
                    if ranged
                    else None
                ),
                customdata=[(t, src, facet_texts[i - 1][1]) for t, src in zip(p["text"], p["sources"])],
                hovertemplate="<b>%{y}</b><br>%{customdata[0]}<br><i>%{customdata[2]}</i><br>"
                + sources_label
                + ":<br>%{customdata[1]}<extra></extra>",
                showlegend=False,
            ),
            row=i,
            col=1,
        )
        top = float(p["high"].max()) if len(p) else 1.0
        fig.update_xaxes(range=[0, top * 1.45 if top > 0 else 1], row=i, col=1)
        fig.update_yaxes(type="category", row=i, col=1)
    height = 90 * len(facets) + 34 * sum(max(s, 1) for s in sizes) + 40
    _layout(fig, labels, fmt, height=height, bargap=0.25)
    _left_align_titles(fig)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=True)
    if _label(labels, "x_title"):
        fig.update_xaxes(title_text=_esc(_label(labels, "x_title")), row=len(facets), col=1)
    return fig


def benchmark_bars(
    df: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    *,
    fmt: Formatter,
    latest_only: bool = True,
    metric_labels: Mapping[str, str] | None = None,
) -> dict[str, go.Figure]:
    """One :func:`benchmark_bar` figure per metric, as ``{metric: Figure}``.

    Metrics keep their order of first appearance in ``df``. Each figure's title is
    ``metric_labels[metric]`` if given, else ``labels["metric_<metric>"]``, else the
    metric code. Other label keys as :func:`benchmark_bar`.
    """
    out: dict[str, go.Figure] = {}
    for metric in dict.fromkeys(df["metric"]):
        rows = df[df["metric"] == metric]
        title = (metric_labels or {}).get(metric) or _code_label(labels, "metric", metric)
        out[metric] = benchmark_bar(
            rows, {**(labels or {}), "title": title}, fmt=fmt, latest_only=latest_only
        )
    return out


def nice_ticks(low: float, high: float, n: int = 5) -> list[float]:
    """About ``n`` round tick values (1, 2, 2.5 or 5 × 10^k steps) covering [low, high]."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return []
    if high == low:
        return [low]
    raw = (high - low) / max(n - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 10))
    return ticks


def time_series(
    df: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    *,
    fmt: Formatter,
) -> go.Figure:
    """Lines of indicator values by year, one per entity that has 2+ distinct years.

    ``df`` holds rows of ``mart.indicators`` (normally one metric). Facets (stacked
    subplots with their own y axes) split by metric, comparable group (or scope) and
    unit, exactly as :func:`benchmark_bar`, so different scopes never share an axis.
    Rows without a year are left out. Where sources disagree for one year the point
    is the median with a min–max error bar and the hover lists every source.
    Traces are named after the entity; ``trace.meta`` holds metric, comparable_group
    and unit. With no entity having two years the figure has no traces and shows
    ``labels["no_series"]`` as an annotation.

    Label keys: ``title``, ``y_title``, ``sources``, ``scope``, ``no_series``,
    ``metric_<metric>`` (facet title prefix when several metrics are present).
    """
    data = df[df["year"].notna() & df["value"].notna()]
    series = []
    if len(data):
        data = _prepare_indicators(data)
        data["_facet"] = data["metric"].astype(str) + "\x1f" + data["_facet"]
        points = _aggregate_points(data, fmt, labels)
        for (facet, entity), p in points.groupby(["_facet", "entity"], sort=False):
            if p["_year"].nunique() >= 2:
                series.append((facet, entity, p.sort_values("_year")))
    if not series:
        fig = go.Figure()
        _layout(fig, labels, fmt)
        fig.add_annotation(
            text=_esc(_label(labels, "no_series", "")), showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5
        )
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return fig
    facets = list(dict.fromkeys(f for f, _, _ in series))
    several_metrics = len({f.split("\x1f", 1)[0] for f in facets}) > 1
    titles, scope_texts = [], {}
    for facet in facets:
        title, scope_texts[facet] = _facet_title(data[data["_facet"] == facet], labels)
        if several_metrics:
            metric = facet.split("\x1f", 1)[0]
            title = f"{_esc(_code_label(labels, 'metric', metric))} — {title}"
        titles.append(title)
    fig = make_subplots(rows=len(facets), cols=1, subplot_titles=titles, vertical_spacing=0.12 if len(facets) > 1 else 0.0)
    sources_label = _esc(_label(labels, "sources", "Sources"))
    entity_colour = {e: GROUP_COLOURS[k % len(GROUP_COLOURS)] for k, e in enumerate(dict.fromkeys(e for _, e, _ in series))}
    in_legend: set[str] = set()
    ranges: dict[int, list[float]] = {}
    for facet, entity, p in series:
        metric, group, unit = facet.split("\x1f", 2)
        row = facets.index(facet) + 1
        ranges.setdefault(row, []).extend([float(p["low"].min()), float(p["high"].max())])
        ranged = bool((p["high"] > p["low"]).any())
        fig.add_trace(
            go.Scatter(
                x=p["_year"].tolist(),
                y=p["value"].tolist(),
                mode="lines+markers",
                name=_esc(entity),
                legendgroup=_esc(entity),
                showlegend=entity not in in_legend,
                line={"color": entity_colour[entity]},
                marker={"color": entity_colour[entity]},
                meta={
                    "metric": metric,
                    "comparable_group": None if group.startswith("__alone__") else group,
                    "unit": unit,
                },
                error_y=(
                    {
                        "type": "data",
                        "symmetric": False,
                        "array": (p["high"] - p["value"]).tolist(),
                        "arrayminus": (p["value"] - p["low"]).tolist(),
                    }
                    if ranged
                    else None
                ),
                customdata=[(t, src, scope_texts[facet]) for t, src in zip(p["text"], p["sources"])],
                hovertemplate="<b>"
                + _esc(entity)
                + "</b><br>%{customdata[0]}<br><i>%{customdata[2]}</i><br>"
                + sources_label
                + ":<br>%{customdata[1]}<extra></extra>",
            ),
            row=row,
            col=1,
        )
        in_legend.add(entity)
    for row, values in ranges.items():
        unit = facets[row - 1].split("\x1f", 2)[2]
        ticks = nice_ticks(min(values), max(values))
        fig.update_yaxes(tickvals=ticks, ticktext=[fmt(t, unit) for t in ticks], row=row, col=1)
    _layout(fig, labels, fmt, height=max(260, 240 * len(facets)))
    _left_align_titles(fig)
    fig.update_xaxes(tickformat="d", dtick=1)
    if _label(labels, "y_title"):
        fig.update_yaxes(title_text=_esc(_label(labels, "y_title")))
    return fig


# --------------------------------------------------------------------------------------
# Benchmarks comparison table (issue 8): rows = canonical measures, columns = clusters/territories

REGISTRY_COLUMN = "__registry__"  # the Lombard cluster's registry-count column


def comparison_columns(ind: pd.DataFrame, lombard_cluster: str, polo: str) -> list[str]:
    """Column order: the Polo, the Lombard cluster (registry, then published), other clusters,
    then territories (Lombardia first)."""
    clusters = sorted(set(ind.loc[ind["entity_type"] == "cluster", "entity"]) | {lombard_cluster, polo})
    regions = sorted(set(ind.loc[ind["entity_type"] == "region", "entity"]),
                     key=lambda e: (e != "Lombardia", e))
    front = [polo, REGISTRY_COLUMN, lombard_cluster]
    return front + [c for c in clusters if c not in front] + regions


def comparison_flags(cells: pd.DataFrame, years_apart: int) -> pd.Series:
    """True for a cell whose year is more than `years_apart` years before the newest dated cell
    of its row (so it should not be read as a like-for-like comparison with it)."""
    newest = cells.groupby("measure")["year"].transform("max")
    return ((newest - cells["year"]) > years_apart).fillna(False).astype(bool)
