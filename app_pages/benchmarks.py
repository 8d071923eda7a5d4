"""Benchmarks (Confronti): the Lombard system vs Cosmetic Valley vs Beauty Cluster, by scope."""

import streamlit as st

from beautyvalley import charts, filters, i18n, queries, warehouse
from beautyvalley.formatting import first_url, md_escape, source_line

t = i18n.t
lang = i18n.current_language()

st.title(t("benchmarks.title"))
st.caption(t("benchmarks.intro"))

ind = queries.indicators()
entities = sorted(ind["entity"].dropna().unique().tolist())
default = sorted(ind.loc[ind["entity_type"].isin(queries.BENCHMARK_ENTITY_TYPES), "entity"]
                 .dropna().unique().tolist())
if "bm_entities" not in st.session_state:
    st.session_state["bm_entities"] = default
chosen = st.multiselect(t("benchmarks.entities"), options=entities,
                        key=filters.code_widget("bm_entities"), placeholder=t("sidebar.any"))

shared = queries.shared_metrics(ind[ind["entity"].isin(chosen)])
if shared.empty:
    st.info(t("benchmarks.none_shared"))
    st.stop()

metrics = list(dict.fromkeys(shared.sort_values("metric")["metric"]))
first = "turnover" if "turnover" in metrics else metrics[0]
if st.session_state.get("bm_metric") not in metrics:
    st.session_state["bm_metric"] = first
metric = st.selectbox(t("benchmarks.metric"), options=metrics, key=filters.code_widget("bm_metric"),
                      format_func=lambda m: i18n.metric_label(m))

rows = shared[shared["metric"] == metric]
labels = {"title": i18n.metric_label(metric), "scope": t("benchmarks.scope"),
          "sources": t("common.sources"), "year_unknown": t("common.year_unknown"),
          "no_series": t("benchmarks.no_series"), "x_title": t("benchmarks.value")}


@st.cache_data(ttl=3600, max_entries=32, show_spinner=False)
def figures(build: object, entities: tuple, metric: str, lang: str, labels: tuple) -> tuple[dict, dict]:
    """Bar and time-series figures of one metric (plotly builds many facets slowly: cached
    per warehouse build, entities, metric and language)."""
    data = queries.shared_metrics(queries.indicators(entities))
    data = data[data["metric"] == metric]
    fmt = i18n.formatter(lang)
    return (charts.benchmark_bar(data, dict(labels), lang=lang, fmt=fmt).to_dict(),
            charts.time_series(data, dict(labels), lang=lang, fmt=fmt).to_dict())


bar_fig, series_fig = figures(warehouse.build_key(), tuple(sorted(chosen)), metric, lang,
                              tuple(sorted(labels.items())))
st.plotly_chart(bar_fig, width="stretch")
st.caption(t("benchmarks.scope_note"))

with st.expander(t("benchmarks.sources_of", metric=i18n.metric_label(metric)), expanded=False):
    for r in rows.sort_values(["entity", "year"]).itertuples(index=False):
        st.markdown(
            f"- **{md_escape(r.entity)}** {md_escape(i18n.fmt_year(r.year))}: "
            f"{md_escape(i18n.fmt_value(r.value, r.unit))} — {md_escape(r.scope or '')} — "
            + source_line([r.source_url], r.source_date)
        )

disagree = queries.disagreements(rows)
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
table = shared.assign(
    metric_label=shared["metric"].map(lambda m: i18n.metric_label(m)),
    value_text=[i18n.fmt_value(v, u) for v, u in zip(shared["value"], shared["unit"])],
)[["entity", "metric_label", "value_text", "unit", "year", "scope", "comparable_group",
   "source_url", "source_date"]]
st.dataframe(
    table.assign(source_url=table["source_url"].map(first_url)),  # a link column takes one URL
    hide_index=True, width="stretch",
    column_config={
        "entity": t("col.entity"), "metric_label": t("col.metric"), "value_text": t("col.value"),
        "unit": t("col.unit"), "year": st.column_config.NumberColumn(t("col.year"), format="%d"),
        "scope": t("col.scope"), "comparable_group": t("col.comparable_group"),
        "source_url": st.column_config.LinkColumn(t("col.source_url")),
        "source_date": t("col.source_date"),
    },
)
st.caption(t("benchmarks.table_note", n=i18n.fmt_int(len(table))))
