"""Overview (Panoramica): metric cards with coverage, provinces, headline indicators."""

import streamlit as st

from beautyvalley import charts, filters, i18n, queries
from beautyvalley.formatting import md_escape, source_line

t = i18n.t
f = filters.current()
lang = f.lang

st.title(t("overview.title"))
st.caption(t("overview.intro", filters=md_escape(filters.describe(f))))

ov = queries.overview(f)
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
    + (" · " + t("overview.groups_not_added", n=i18n.fmt_int(ov["groups_not_added"]))
       if ov["groups_not_added"] else "")
    + " · "
    + t("overview.figure_years", emp_from=i18n.fmt_year(ov["employees_year_min"]),
        emp_to=i18n.fmt_year(ov["employees_year_max"]),
        rev_from=i18n.fmt_year(ov["revenue_year_min"]),
        rev_to=i18n.fmt_year(ov["revenue_year_max"]))
)

st.subheader(t("overview.by_province"))
prov = queries.by_province(f)
if prov.empty:
    st.info(t("common.no_rows"))
else:
    per_prov = (prov.groupby(["province", "province_name"], as_index=False)["organisations"].sum()
                .sort_values("organisations", ascending=False))
    per_prov["label"] = per_prov["province_name"].fillna(per_prov["province"])
    fig = charts.province_bar(
        per_prov, x="label", y="organisations",
        labels={"x_title": t("common.province"), "y_title": t("overview.organisations"),
                "n": t("overview.organisations")},
        lang=lang, fmt=i18n.formatter(lang),
    )
    st.plotly_chart(fig, width="stretch")
    st.caption(t("overview.province_source") + " "
               + t("common.registry_build", date=i18n.fmt_date(queries.build_info()["date"])))

st.subheader(t("overview.indicators"))
latest, _series = queries.headline_indicators()
if latest.empty:
    st.info(t("overview.no_indicators"))
else:
    cols = st.columns(3)
    for i, row in enumerate(latest.itertuples(index=False)):
        delta = None
        if row.previous_value is not None and row.previous_value == row.previous_value:
            delta = t("overview.change", change=i18n.fmt_change(row.value - row.previous_value,
                                                                 row.unit),
                      year=i18n.fmt_year(row.previous_year))
        with cols[i % 3].container(border=True):
            st.metric(
                f"{i18n.metric_label(row.metric)} — {row.entity} ({i18n.fmt_year(row.year)})",
                i18n.fmt_value(row.value, row.unit) if row.low == row.high
                else f"{i18n.fmt_value(row.low, row.unit)} – {i18n.fmt_value(row.high, row.unit)}",
                delta=delta,
                help=t("overview.scope", scope=row.scope or "—"),
                chart_data=row.series if len(row.series) >= 2 else None,
            )
            st.caption(t("common.sources" if len(row.sources) > 1 else "common.source") + ": "
                       + " · ".join(source_line([u], d) for u, d in row.sources))

# --- territory brief (PDF): built only when the button is pressed ----------------------
from functools import partial  # noqa: E402

from beautyvalley import brief  # noqa: E402

st.download_button(
    t("brief.download"),
    partial(brief.build_brief, f, lang, base_url=filters.permalink(f)),
    file_name=brief.file_name(f, lang),
    mime="application/pdf",
    key="dl_brief",
    on_click="ignore",
    help=t("brief.download_help"),
    icon=":material/picture_as_pdf:",
)
