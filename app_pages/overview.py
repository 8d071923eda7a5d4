"""Overview (Panoramica): metric cards with coverage, provinces, headline indicators."""

from functools import partial

import pandas as pd
import streamlit as st

from beautyvalley import charts, export, filters, i18n, queries
from beautyvalley.formatting import md_escape, source_line

t = i18n.t
f = filters.current()
lang = f.lang
build = queries.build_info()

st.title(t("overview.title"))
st.caption(t("overview.intro", filters=md_escape(filters.describe(f))))

ov = queries.overview(f)


def _class_and_status_note() -> str:
    """Head-count classes reported apart (never summed); which statuses the figures cover."""
    cc = queries.class_coverage(f)
    out = ""
    if cc["companies_class_only"]:
        out += " · " + t("overview.class_known", n=i18n.fmt_int(cc["companies_class_only"]))
    if tuple(f.statuses) == filters.DEFAULT_STATUSES:
        out += " · " + t("overview.active_only", n=i18n.fmt_int(cc["sites_hidden_by_status"]))
    return out

cards = [*st.columns(3), *st.columns(3)]  # two rows of three: values such as "118,7 mln €" fit
cards[0].metric(t("overview.organisations"), i18n.fmt_int(ov["organisations"]),
                help=t("overview.organisations_help", sites=i18n.fmt_int(ov["sites"])))
cards[1].metric(t("overview.companies"), i18n.fmt_int(ov["companies"]))
cards[2].metric(t("overview.research"), i18n.fmt_int(ov["research"]),
                help=t("overview.research_help"))
cards[3].metric(t("overview.employees"), i18n.fmt_int(ov["employees"]),
                help=t("overview.sum_help"))
cards[4].metric(t("overview.revenue"), i18n.fmt_eur(ov["revenue_eur"]),
                help=t("overview.sum_help"))
cards[5].metric(t("overview.density"), i18n.fmt_number(ov["per_100k"], decimals=1),
                help=t("overview.density_help", population=i18n.fmt_int(ov["population"])))
st.caption(
    t("overview.coverage_employees", known=i18n.fmt_int(ov["companies_with_employees"]),
      total=i18n.fmt_int(ov["companies"]))
    + " · "
    + t("overview.coverage_revenue", known=i18n.fmt_int(ov["companies_with_revenue"]),
        total=i18n.fmt_int(ov["companies"]))
    + (" · " + i18n.tn("overview.groups_not_added", ov["groups_not_added"])
       if ov["groups_not_added"] else "")
    + _class_and_status_note()
    + " · "
    + t("overview.figure_years", emp_from=i18n.fmt_year(ov["employees_year_min"]),
        emp_to=i18n.fmt_year(ov["employees_year_max"]),
        rev_from=i18n.fmt_year(ov["revenue_year_min"]),
        rev_to=i18n.fmt_year(ov["revenue_year_max"]))
)

st.subheader(t("overview.by_province"))
prov = queries.by_province(f)
if prov.empty:
    filters.empty_result(key="reset_filters_0")
else:
    per_prov = (prov.groupby(["province", "province_name"], as_index=False)["organisations"].sum()
                .sort_values("organisations", ascending=False))
    per_prov["label"] = per_prov["province_name"].fillna(per_prov["province"])
    fig = charts.province_bar(
        per_prov, x="label", y="organisations",
        labels={"x_title": t("common.province"), "y_title": t("overview.organisations"),
                "n": t("overview.organisations")},
        fmt=i18n.formatter(lang),
    )
    st.plotly_chart(fig, width="stretch")
    st.caption(t("overview.province_source") + " "
               + t("common.registry_build", date=i18n.fmt_date(queries.build_info()["date"])))

st.subheader(t("overview.indicators"))
case, entities, latest = queries.territory_indicators(f)
prov_names = dict(zip(queries.provinces()["province"], queries.provinces()["name"]))
st.caption(t(f"overview.ind_{case}", entity=", ".join(entities),
             province=prov_names.get(f.provinces[0], "") if f.provinces else ""))
build_year = int(str(build["date"])[:4]) if str(build.get("date") or "")[:4].isdigit() else None


def _year_text(year) -> str:
    if year is None or pd.isna(year):
        return t("overview.year_not_given")
    text = i18n.fmt_year(year)
    if build_year and build_year - int(year) > queries.OLD_FIGURE_YEARS:
        text += " · " + t("overview.old_figure", n=queries.OLD_FIGURE_YEARS)
    return text


def _delta(row) -> str | None:
    """Change vs the previous year of the same comparable group (latest_values groups so)."""
    if row.previous_value is None or pd.isna(row.previous_value):
        return None
    diff = row.value - row.previous_value
    if diff == 0:
        return t("overview.no_change", year=i18n.fmt_year(row.previous_year))
    return t("overview.change", change=i18n.fmt_change(diff, row.unit),
             year=i18n.fmt_year(row.previous_year))


if latest.empty:
    st.info(t("overview.no_indicators"))
else:
    # one block per comparable group: figures in a block share one scope and can be compared
    group_texts = queries.comparable_groups()
    for group, rows in latest.groupby("comparable_group", sort=False):
        with st.container(border=True):
            first = rows.iloc[0]
            st.markdown(f"**{md_escape(i18n.metric_label(first['metric']))}**")
            if group in group_texts:
                st.caption(md_escape(t("scopetext.group", description=group_texts[group])))
            if first["scope"]:
                st.caption(md_escape(t("overview.group_scope", scope=first["scope"])))
            cols = st.columns(3)
            for i, row in enumerate(rows.itertuples(index=False)):
                with cols[i % 3]:
                    st.metric(
                        f"{i18n.metric_label(row.metric)} — {row.entity} ({_year_text(row.year)})",
                        i18n.fmt_value(row.value, row.unit) if row.low == row.high
                        else f"{i18n.fmt_value(row.low, row.unit)} – {i18n.fmt_value(row.high, row.unit)}",
                        delta=_delta(row),
                        delta_color="off" if _delta(row) and row.value == row.previous_value else "normal",
                        chart_data=row.series if len(row.series) >= 2 else None,
                    )
                    st.caption((t("common.sources") if len(row.sources) > 1 else t("common.source")) + ": "
                               + " · ".join(source_line([u], d) for u, d in row.sources))

# ---- province comparison: the table an official asks for first
st.subheader(t("overview.compare"))
st.caption(t("overview.compare_note"))
registry, published = queries.province_comparison(f)
names = [prov_names.get(p, p) for p in registry["province"]]
reg_rows = [
    (t("overview.organisations"), [i18n.fmt_int(v) for v in registry["organisations"]]),
    (t("overview.companies"), [i18n.fmt_int(v) for v in registry["companies"]]),
    (t("overview.research"), [i18n.fmt_int(v) for v in registry["research"]]),
    (t("overview.compare_employees"),
     [f"{i18n.fmt_int(e)} ({i18n.fmt_int(k)}/{i18n.fmt_int(n)})" for e, k, n in
      zip(registry["employees"], registry["companies_with_employees"], registry["companies"])]),
    (t("overview.compare_per_100k"), [i18n.fmt_number(v, decimals=1) for v in registry["per_100k"]]),
]
st.markdown("**" + t("overview.compare_registry") + "**")
reg_table = pd.DataFrame([[label, *vals] for label, vals in reg_rows],
                         columns=[t("overview.compare_measure"), *names])
st.dataframe(reg_table, hide_index=True, width="stretch")
reg_export = registry[["province", "organisations", "companies", "research", "employees",
                       "companies_with_employees", "per_100k", "population"]].assign(
    source_urls=t("overview.province_source"), registry_build_date=build["date"])
st.download_button(t("overview.compare_csv"), partial(export.to_csv, reg_export, build),
                   file_name=export.file_name("province_comparison", build, "csv"),
                   mime="text/csv", key="dl_prov_compare", on_click="ignore")
st.markdown("**" + t("overview.compare_published") + "**")
if published.empty:
    st.info(t("overview.compare_none_published"))
else:
    pub = published.assign(
        measure=[f"{i18n.metric_label(m)} ({_year_text(y)})"
                 for m, y in zip(published["metric"], published["year"])],
        cell=[i18n.fmt_value(v, u) for v, u in zip(published["value"], published["unit"])],
    )
    wide = (pub.groupby(["metric", "comparable_group", "year", "measure", "province"], dropna=False)["cell"]
            .agg(" / ".join).unstack("province"))
    wide = (wide.reindex(columns=list(queries.COMPARISON_PROVINCES)).astype(object)
            .fillna(t("overview.not_published")))
    wide = wide.reset_index().sort_values(["metric", "comparable_group", "year"])
    shown = wide[["measure", *queries.COMPARISON_PROVINCES]]
    shown.columns = [t("overview.compare_measure"), *names]
    st.dataframe(shown, hide_index=True, width="stretch")
    st.download_button(
        t("overview.compare_published_csv"),
        partial(export.to_csv, published[["province", "entity", "metric", "year", "value", "unit",
                                          "scope", "comparable_group", "source_url", "source_date"]],
                build),
        file_name=export.file_name("province_indicators", build, "csv"),
        mime="text/csv", key="dl_prov_indicators", on_click="ignore")

# --- territory brief (PDF): built only when the button is pressed ----------------------
from beautyvalley import brief_ui  # noqa: E402

brief_ui.brief_button(f, lang, label=t("brief.download"), help=t("brief.download_help"), key="dl_brief",
                      base_url=filters.permalink(f))
