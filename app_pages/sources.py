"""Sources & quality (Fonti e qualità): sources, the build, coverage, rejected rows, warnings."""

import streamlit as st

from beautyvalley import filters, i18n, queries

t = i18n.t
f = filters.current()
build = queries.build_info()

st.title(t("sources.title"))

st.subheader(t("sources.build"))
st.markdown(t("sources.build_line", build_id=build["build_id"], run_id=build["run_id"] or "—",
              date=i18n.fmt_date(build["date"]), status=build.get("status") or "—"))
runs = queries.load_runs()
if len(runs):
    with st.expander(t("sources.versions")):
        st.code(str(runs["package_versions"].iloc[0] or ""), language="json")
files = queries.load_files(build["run_id"])
st.dataframe(
    files, hide_index=True, width="stretch",
    column_config={c: i18n.column_label(c) for c in files.columns},
)
if len(files):
    st.caption(t("sources.rows_total",
                 rows_in=i18n.fmt_int(files["rows_in"].sum()),
                 loaded=i18n.fmt_int(files["rows_loaded"].sum()),
                 merged=i18n.fmt_int(files["rows_merged"].sum()),
                 rejected=i18n.fmt_int(files["rows_rejected"].sum())))

st.subheader(t("sources.coverage"))
cov = queries.coverage(f)
total = cov.pop("sites")
st.caption(t("sources.coverage_note", n=i18n.fmt_int(total)))
cov_rows = [
    {t("sources.field"): t(f"sources.cov_{k}"), t("sources.known"): v,
     t("sources.share"): i18n.fmt_percent(100.0 * v / total if total else None)}
    for k, v in cov.items()
]
st.dataframe(cov_rows, hide_index=True, width="stretch")

st.subheader(t("sources.sources"))
src = queries.source_counts()
src["dataset"] = src["dataset"].map(lambda d: t(f"sources.ds_{d}"))
st.dataframe(
    src, hide_index=True, width="stretch",
    column_config={"source_url": st.column_config.LinkColumn(t("col.source_url")),
                   "dataset": t("sources.dataset"), "rows": t("sources.rows")},
)
st.caption(i18n.tn("sources.n_sources", src["source_url"].nunique()))
st.caption(t("sources.licences"))



def _in_language(frame, text_col: str):
    """The ETL's rows with their message in the interface language (`etl.<code>`; English without a code)."""
    return frame.assign(**{text_col: i18n.etl_messages(frame, text_col)}).drop(columns=["code", "params"],
                                                                             errors="ignore")


st.subheader(t("sources.rejected"))
rej = _in_language(queries.rejected_rows(), "reason")
st.caption(i18n.tn("sources.rejected_note", len(rej)))
st.dataframe(rej, hide_index=True, width="stretch",
             column_config={c: i18n.column_label(c) for c in rej.columns})

st.subheader(t("sources.issues"))
iss = _in_language(queries.load_issues(), "message")
st.caption(i18n.tn("sources.issues_note", len(iss)))
st.dataframe(iss, hide_index=True, width="stretch",
             column_config={c: i18n.column_label(c) for c in iss.columns})
