"""Sectors (Settori): value chain segment -> specialty, province x segment, completeness, ATECO."""

import streamlit as st

from beautyvalley import capability_labels, charts, filters, i18n, queries

t = i18n.t
f = filters.current()
lang = f.lang
fmt = i18n.formatter(lang)

st.title(t("sectors.title"))
st.caption(t("sectors.intro") + " "
           + t("common.registry_build", date=i18n.fmt_date(queries.build_info()["date"])))

seg = queries.segments()
seg_labels = {f"segment_{s}": (lab or s) for s, lab in zip(seg["segment"], seg[f"label_{lang}"])}
prov = queries.provinces()
prov_labels = {f"province_{p}": n for p, n in zip(prov["province"], prov["name"])}
common = {**seg_labels, **prov_labels, "n": t("overview.organisations"),
          "x_title": t("common.province"), "y_title": t("overview.organisations")}

st.subheader(t("sectors.treemap"))
spec = capability_labels.treemap_rows(f, lang)  # capabilities in the interface language (issue 12)
if spec.empty:
    filters.empty_result(key="reset_filters_0")
else:
    st.plotly_chart(
        charts.segment_treemap(spec, {**common, "root": t("sectors.all"),
                                      "no_specialty": t("sectors.no_specialty")}, fmt=fmt),
        width="stretch",
    )
    st.caption(t("sectors.treemap_note"))

matrix = queries.segment_province(f).rename(columns={"organisations": "n"})
segments = seg["segment"].tolist()
provinces = list(dict.fromkeys(matrix["province"].tolist()))

st.subheader(t("sectors.bars"))
st.plotly_chart(
    charts.province_segment_bars(matrix, common, provinces=provinces, segments=segments, fmt=fmt),
    width="stretch",
)

st.subheader(t("sectors.matrix"))
st.caption(t("sectors.matrix_note"))
st.plotly_chart(
    charts.completeness_matrix(matrix, segments, provinces,
                               {**common, "y_title": t("sectors.segment"),
                                "empty_cell": t("sectors.empty_cell"),
                                "empty_hover": t("sectors.empty_hover")}, fmt=fmt),
    width="stretch",
)
table = charts.completeness_table(matrix, segments, provinces)
shown = table.map(lambda n: t("sectors.empty_cell") if n == 0 else str(n))
shown.index = [seg_labels.get(f"segment_{s}", s) for s in shown.index]
shown.columns = [prov_labels.get(f"province_{p}", p) for p in shown.columns]
gaps = int((table == 0).sum().sum())
st.caption(t("sectors.gaps", gaps=i18n.fmt_int(gaps), cells=i18n.fmt_int(table.size)))
with st.expander(t("sectors.matrix_table")):
    st.dataframe(shown, width="stretch")

st.subheader(t("sectors.ateco"))
ateco = queries.ateco_in_use(f)
if ateco.empty:
    filters.empty_result(key="reset_filters_1")
else:
    st.dataframe(
        ateco.rename(columns={"code": t("sectors.ateco_code"), "title_it": t("sectors.ateco_title"),
                              "organisations": t("overview.organisations")}),
        hide_index=True, width="stretch",
    )
st.caption(t("sectors.sources_note"))
