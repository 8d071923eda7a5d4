"""Benchmarks (Confronti): the Lombard system vs Cosmetic Valley vs Beauty Cluster, by scope."""

from functools import partial

import pandas as pd
import streamlit as st

from beautyvalley import charts, export, filters, i18n, indicators, queries, warehouse
from beautyvalley.formatting import first_url, md_escape, md_link, source_line

t = i18n.t
lang = i18n.current_language()

st.title(t("benchmarks.title"))
st.caption(t("benchmarks.intro"))

# ---- the comparison table first: one row per canonical measure, one column per cluster/territory
POLO = "Polo Tecnologico della Cosmesi"
build = queries.build_info()
st.subheader(t("benchmarks.compare"))
st.caption(t("benchmarks.compare_note", years=queries.YEARS_APART))
meas = queries.measures()
cells = queries.comparison()
cells = cells.assign(flag=charts.comparison_flags(cells, queries.YEARS_APART))
reg = queries.registry_counts()
columns = charts.comparison_columns(queries.indicators(), queries.LOMBARD_CLUSTER, POLO)


def _col_title(c: str) -> str:
    if c == charts.REGISTRY_COLUMN:
        return t("benchmarks.col_registry", cluster=queries.LOMBARD_CLUSTER)
    if c == POLO:
        return t("benchmarks.col_polo", polo=POLO)
    return c


def _cell(row) -> str:
    year = t("overview.year_not_given") if pd.isna(row.year) else i18n.fmt_year(row.year)
    text = f"{md_escape(i18n.fmt_value(row.value, row.unit))} ({md_escape(year)})"
    url = first_url(row.source_url)
    if url:
        text += " " + md_link(url, t("common.source").lower())
    if row.flag:
        text += " ⚠"
    return text


def _registry_code(m) -> str | None:
    return m.registry if isinstance(m.registry, str) and m.registry else None


def _registry_cell(code) -> str:
    if code is None:
        return "—"
    n = reg[code]
    text = md_escape(i18n.fmt_int(n))
    if code == "members_by_kind" and reg["kinds"]:
        text += " (" + md_escape(", ".join(f"{i18n.kind_label(k)} {i18n.fmt_int(v)}"
                                           for k, v in reg["kinds"].items())) + ")"
    return text


by_key = {(r.measure, r.entity): r for r in cells.itertuples(index=False)}
header = "| " + t("overview.compare_measure") + " | " + " | ".join(md_escape(_col_title(c)) for c in columns) + " |"
lines = [header, "|" + "---|" * (len(columns) + 1)]
for m in meas.itertuples(index=False):
    row = [f"**{md_escape(getattr(m, 'label_' + lang))}**"]
    for c in columns:
        if c == charts.REGISTRY_COLUMN:
            row.append(_registry_cell(_registry_code(m)))
        elif (m.measure, c) in by_key:
            row.append(_cell(by_key[(m.measure, c)]))
        else:
            row.append(md_escape(t("overview.not_published")))
    lines.append("| " + " | ".join(row) + " |")
st.markdown("\n".join(lines))
st.caption(t("benchmarks.compare_legend", years=queries.YEARS_APART) + " "
           + t("common.registry_build", date=i18n.fmt_date(build["date"])))
with st.expander(t("benchmarks.measures_defined")):
    for m in meas.itertuples(index=False):
        st.markdown(f"- **{md_escape(getattr(m, 'label_' + lang))}**: "
                    f"{md_escape(getattr(m, 'description_' + lang))}")
export_cells = cells.merge(meas[["measure", f"label_{lang}"]], on="measure", how="left").rename(
    columns={f"label_{lang}": "measure_label", "flag": "years_apart_flag"})
registry_rows = pd.DataFrame([
    {"measure": m.measure, "measure_label": getattr(m, "label_" + lang),
     "entity": t("benchmarks.col_registry", cluster=queries.LOMBARD_CLUSTER), "entity_type": "registry",
     "value": reg[_registry_code(m)], "unit": "count", "year": None, "scope": t("benchmarks.registry_scope"),
     "comparable_group": None, "source_url": t("overview.province_source"), "source_date": build["date"],
     "years_apart_flag": False}
    for m in meas.itertuples(index=False) if _registry_code(m)])
st.download_button(
    t("benchmarks.compare_csv"),
    partial(export.to_csv, pd.concat([export_cells, registry_rows], ignore_index=True), build),
    file_name=export.file_name("benchmark_comparison", build, "csv"), mime="text/csv",
    key="dl_bm_compare", on_click="ignore")
st.divider()

ind = queries.indicators()
entities = sorted(ind["entity"].dropna().unique().tolist())
default = sorted(ind.loc[ind["entity_type"].isin(queries.BENCHMARK_ENTITY_TYPES), "entity"]
                 .dropna().unique().tolist())
if "bm_entities" not in st.session_state:
    st.session_state["bm_entities"] = default
chosen = st.multiselect(t("benchmarks.entities"), options=entities,
                        key=filters.code_widget("bm_entities"), placeholder=t("sidebar.any"))

shared = indicators.shared_metrics(ind[ind["entity"].isin(chosen)])
if shared.empty:
    st.info(t("benchmarks.none_shared"))
    st.stop()

metrics = list(dict.fromkeys(shared.sort_values("metric")["metric"]))
first = "turnover" if "turnover" in metrics else metrics[0]
if st.session_state.get("bm_metric") not in metrics:
    st.session_state["bm_metric"] = first
metric = st.selectbox(t("benchmarks.metric"), options=metrics, key=filters.code_widget("bm_metric"),
                      format_func=lambda m: i18n.metric_label(m, lang))

rows = shared[shared["metric"] == metric]
labels = {"title": i18n.metric_label(metric), "scope": t("benchmarks.scope"),
          "sources": t("common.sources"), "year_unknown": t("common.year_unknown"),
          "no_series": t("benchmarks.no_series"), "x_title": t("benchmarks.value")}


@st.cache_data(ttl=3600, max_entries=32, show_spinner=False)
def figures(build: object, entities: tuple, metric: str, lang: str, labels: tuple) -> tuple[dict | None, dict]:
    """Bar and time-series figures of one metric (plotly builds many facets slowly: cached
    per warehouse build, entities, metric and language)."""
    data = indicators.shared_metrics(queries.indicators(entities, lang=lang))
    data = data[data["metric"] == metric]
    fmt = i18n.formatter(lang)
    # a panel with a single bar compares nothing (and fills the width whatever its value): those
    # figures stay in the tables only
    panel = data["comparable_group"].fillna(data["scope"]).fillna("") + "|" + data["unit"].fillna("")
    paired = data[panel.map(panel.value_counts()) >= 2]
    bar = charts.benchmark_bar(paired, dict(labels), fmt=fmt).to_dict() if len(paired) else None
    return bar, charts.time_series(data, dict(labels), fmt=fmt).to_dict()


bar_fig, series_fig = figures(warehouse.build_key(), tuple(sorted(chosen)), metric, lang,
                              tuple(sorted(labels.items())))
if bar_fig is None:
    st.info(t("benchmarks.single_values"))
else:
    st.plotly_chart(bar_fig, width="stretch")
st.caption(t("benchmarks.scope_note"))

with st.expander(t("benchmarks.sources_of", metric=i18n.metric_label(metric)), expanded=False):
    for r in rows.sort_values(["entity", "year"]).itertuples(index=False):
        st.markdown(
            f"- **{md_escape(r.entity)}** {md_escape(i18n.fmt_year(r.year))}: "
            f"{md_escape(i18n.fmt_value(r.value, r.unit))} — {md_escape(r.scope or '')} — "
            + source_line([r.source_url], r.source_date)
        )

disagree = indicators.disagreements(rows)
if not disagree.empty:
    st.warning(t("benchmarks.disagree"))
    for d in disagree.itertuples(index=False):
        unit = rows["unit"].iloc[0]
        st.markdown(
            f"- **{md_escape(d.entity)}** {md_escape(i18n.fmt_year(d.year))}: "
            f"{md_escape(i18n.fmt_value(d.low, unit))} – {md_escape(i18n.fmt_value(d.high, unit))}"
            f" ({t('benchmarks.n_sources', n=d.n_sources)}): " + source_line(d.sources)
        )

st.subheader(t("benchmarks.series"))
st.plotly_chart(series_fig, width="stretch")

st.subheader(t("benchmarks.table"))
# no raw codes on screen: the comparable group is shown as its canonical measure (data/measures.csv),
# else as its own description (data/comparable_groups.csv); the unit is already in the formatted value
measure_of = {**queries.comparable_groups(lang),
              **{g: getattr(m, "label_" + lang) for m in meas.itertuples(index=False) for g in m.comparable_groups}}
table = shared.assign(
    metric_label=shared["metric"].map(lambda m: i18n.metric_label(m, lang)),
    value_text=[i18n.fmt_value(v, u) for v, u in zip(shared["value"], shared["unit"])],
    comparable_group=shared["comparable_group"].map(lambda g: measure_of.get(g, "")),
)[["entity", "metric_label", "value_text", "year", "scope", "comparable_group",
   "source_url", "source_date"]]
st.dataframe(
    table.assign(source_url=table["source_url"].map(first_url)),  # a link column takes one URL
    hide_index=True, width="stretch",
    column_config={
        "entity": t("col.entity"), "metric_label": t("col.metric"), "value_text": t("col.value"),
        "year": st.column_config.NumberColumn(t("col.year"), format="%d"),
        "scope": t("col.scope"), "comparable_group": t("benchmarks.measure"),
        "source_url": st.column_config.LinkColumn(t("col.source_url")),
        "source_date": t("col.source_date"),
    },
)
st.caption(t("benchmarks.table_note", n=i18n.fmt_int(len(table))))
