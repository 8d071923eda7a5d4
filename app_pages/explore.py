"""Explore & download (Esplora e scarica): filtered table, exports, indicators, how to cite."""

from functools import partial

import streamlit as st

from beautyvalley import capability_labels, export, filters, i18n, queries
from beautyvalley.formatting import as_list, first_url, md_escape

t = i18n.t
f = filters.current()
lang = f.lang
build = queries.build_info()

# issue 15: the table draws the first TABLE_ROWS sites (a million rows would take seconds to send and
# draw); the downloads, built when their button is pressed, hold every filtered site
TABLE_ROWS = 1_000

st.title(t("explore.title"))
n_sites = queries.site_count(f)
orgs = queries.organisations(f, max_rows=TABLE_ROWS)
st.markdown(i18n.tn("explore.count", n_sites, filters=md_escape(filters.describe(f))))
if orgs.empty:
    filters.empty_result()

SHOWN = ["name", "kind", "segments", "specialties", "comune", "province", "site_type",
         "employees", "employees_year", "revenue_eur", "revenue_year", "figure_scope", "founded",
         "website", "ateco", "cluster_role", "location_precision", "source_urls", "source_date"]
view = orgs[SHOWN].copy()
for col in ("kind", *i18n.CODED_FIELDS):
    if col in view.columns:
        view[col] = view[col].map(lambda v, c=col: i18n.code_label(c, v, lang))
view["specialties"] = capability_labels.labels(orgs["org_id"], lang)  # issue 12: capabilities, not tags
orgs = capability_labels.with_export_columns(orgs)  # exports: codes and both labels
view.insert(1, "source", [next(iter(as_list(u)), None) for u in orgs["source_urls"]])
if n_sites > len(view):
    st.caption(t("explore.first_rows", shown=i18n.fmt_int(len(view)), total=i18n.fmt_int(n_sites)))
st.dataframe(
    view, hide_index=True, width="stretch", height=420,
    column_config={
        **{c: st.column_config.Column(i18n.column_label(c), help=i18n.column_help(c) or None)
           for c in SHOWN},
        "segments": st.column_config.ListColumn(i18n.column_label("segments")),
        "specialties": st.column_config.ListColumn(t("cp.col_capabilities")),
        "source_urls": st.column_config.ListColumn(i18n.column_label("source_urls")),
        "website": st.column_config.LinkColumn(i18n.column_label("website")),
        "source": st.column_config.LinkColumn(t("common.source"), help=t("explore.source_help")),
        "employees": st.column_config.NumberColumn(i18n.column_label("employees"), format="localized"),
        "revenue_eur": st.column_config.NumberColumn(i18n.column_label("revenue_eur"), format="localized"),
        "employees_year": st.column_config.NumberColumn(i18n.column_label("employees_year"), format="%d"),
        "revenue_year": st.column_config.NumberColumn(i18n.column_label("revenue_year"), format="%d"),
        "founded": st.column_config.NumberColumn(i18n.column_label("founded"), format="%d"),
    },
)

st.subheader(t("explore.download"))
# files are generated only when a button is clicked (deferred download)
st.caption(t("explore.download_note", date=i18n.fmt_date(build["date"]), build_id=build["build_id"]))
d1, d2, d3, d4 = st.columns(4)
link = filters.permalink(f)
citation_text = export.citation(build, filters.describe(f), link, lang)


def _every_row(writer, *args, **kwargs):
    """A download of every filtered site (not only the rows in the table), read when it is pressed."""
    return writer(capability_labels.with_export_columns(queries.organisations_all(f)), *args, **kwargs)


d1.download_button(t("xlsx.button"), partial(_every_row, export.to_xlsx, build, lang, sheet="organisations",
                                             citation_text=citation_text, link=link),
                   file_name=export.file_name("organisations", build, "xlsx", f),
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   key="dl_xlsx", on_click="ignore", help=t("xlsx.button_help"), type="primary")
d2.download_button(t("explore.csv"), partial(_every_row, export.to_csv, build),
                   file_name=export.file_name("organisations", build, "csv", f),
                   mime="text/csv", key="dl_csv", on_click="ignore", help=t("xlsx.csv_help"))
d3.download_button(t("explore.geojson"), partial(_every_row, export.to_geojson, build),
                   file_name=export.file_name("organisations", build, "geojson", f),
                   mime="application/geo+json", key="dl_geojson", on_click="ignore",
                   help=t("explore.geojson_help"))
d4.download_button(t("explore.dictionary"), partial(export.data_dictionary_csv, list(orgs.columns), lang),
                   file_name=export.file_name("data_dictionary_" + lang, build, "csv"),
                   mime="text/csv", key="dl_dict", on_click="ignore")

with st.container(border=True):
    st.markdown("**" + t("explore.cite") + "**")
    st.markdown(md_escape(citation_text))
    st.code(link, language=None)

st.subheader(t("explore.indicators"))
ind = queries.indicators()
c1, c2 = st.columns(2)
ents = c1.multiselect(t("benchmarks.entities"), sorted(ind["entity"].dropna().unique()),
                      key="ex_ind_entities", placeholder=t("sidebar.any"))
mets = c2.multiselect(t("benchmarks.metric"), sorted(ind["metric"].dropna().unique()),
                      key=filters.code_widget("ex_ind_metrics"), placeholder=t("sidebar.any"),
                      format_func=lambda m: i18n.metric_label(m, lang))
ind_f = queries.indicators(ents, mets)
st.caption(i18n.tn("explore.ind_count", len(ind_f)))
st.dataframe(
    ind_f.assign(source_url=ind_f["source_url"].map(first_url)),  # a link column takes one URL; exports keep all
    hide_index=True, width="stretch", height=320,
    column_config={
        **{c: i18n.column_label(c) for c in ind_f.columns},
        "source_url": st.column_config.LinkColumn(i18n.column_label("source_url")),
        "year": st.column_config.NumberColumn(i18n.column_label("year"), format="%d"),
    },
)
e1, e2 = st.columns(2)
e1.download_button(t("xlsx.ind_button"), partial(export.to_xlsx, ind_f, build, lang, sheet="indicators",
                                                 citation_text=citation_text, link=link),
                   file_name=export.file_name("indicators", build, "xlsx"),
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   key="dl_ind_xlsx", on_click="ignore", help=t("xlsx.button_help"))
e2.download_button(t("explore.ind_csv"), partial(export.to_csv, ind_f, build),
                   file_name=export.file_name("indicators", build, "csv"), mime="text/csv",
                   key="dl_ind_csv", on_click="ignore", help=t("xlsx.csv_help"))
