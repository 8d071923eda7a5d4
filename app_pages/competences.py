"""Competences (Competenze / Capabilities): who in the valley can do X near Y, and what is missing near Y."""

from functools import partial

import streamlit as st

from beautyvalley import capabilities as bc
from beautyvalley import export, filters, finder_view, i18n, queries
from beautyvalley.formatting import md_escape

t = i18n.t
f = filters.current()
lang = f.lang
fmt = i18n.formatter(lang)
build = queries.build_info()
fv = finder_view

st.title(t("cp.title"))
st.caption(t("cp.intro"))
vocab = fv.vocabulary()
places = fv.places()
place_names = dict(zip(places["comune_code"], places["name"] + " (" + places["province"].fillna("") + ")"))
cap_labels = dict(zip(vocab["code"], vocab[f"label_{lang}"]))
seg = queries.segments()
seg_labels = dict(zip(seg["segment"], seg[f"label_{lang}"]))

ss = st.session_state
ss.setdefault(fv.KM_KEY, fv.DEFAULT_KM)
c1, c2 = st.columns(2)
c1.text_input(t("cp.search"), key=fv.Q_KEY, max_chars=fv.MAX_Q_CHARS, placeholder=t("cp.search_placeholder"),
              help=t("cp.search_help"))
c2.multiselect(t("cp.picker"), options=vocab["code"].tolist(), key=filters.code_widget(fv.CAPS_KEY),
               format_func=lambda c: cap_labels.get(c, c), placeholder=t("cp.picker_placeholder"))
c3, c4 = st.columns(2)
c3.selectbox(t("cp.near"), options=list(place_names), key=fv.NEAR_KEY, index=None,
             format_func=lambda c: place_names.get(c, c), placeholder=t("cp.near_placeholder"),
             help=t("cp.near_help"))
c4.slider(t("cp.km"), min_value=fv.MIN_KM, max_value=fv.MAX_KM, step=1, key=fv.KM_KEY, help=t("cp.km_help"))
if f.kinds or f.segments:
    st.caption(t("cp.sidebar_applies"))

q, picked, near, km = ss.get(fv.Q_KEY) or "", list(ss.get(fv.CAPS_KEY) or []), ss.get(fv.NEAR_KEY), ss[fv.KM_KEY]
place = None
if near:
    row = places[places["comune_code"] == near]
    place = row.iloc[0].to_dict() if len(row) else None
wanted = fv.matches(q, picked, vocab, lang)

if wanted.empty:
    st.info(t("cp.nothing_asked") if not q.strip() else t("cp.no_capability", q=q))
else:
    st.markdown(t("cp.looking_for") + " " + md_escape(", ".join(
        f"{cap_labels.get(c, c)} («{m}»)" if m != cap_labels.get(c) else cap_labels.get(c, c)
        for c, m in zip(wanted["code"], wanted["matched"]))))
    codes = list(bc.expand(wanted["code"], vocab))
    box = bc.bounding_box(place, km) if place is not None else None
    sites = fv.sites(codes, box, f.kinds, f.segments)
    found = bc.find(sites, place, km if place is not None else None, wanted, vocab)
    where = (t("cp.within", km=fmt.int(km), place=place_names.get(near, near)) if place is not None
             else t("cp.anywhere"))
    st.subheader(i18n.tn("cp.count", len(found), where=where))
    if place is not None:
        st.caption(t("cp.straight_line"))
    if found.empty:
        st.info(t("cp.no_results"))
    else:
        table = fv.result_table(found, vocab, lang, lambda k: i18n.kind_label(k, lang), t("cp.about"))
        st.dataframe(
            table.drop(columns=["org_id"]), hide_index=True, width="stretch", key="cp_results",
            column_config={
                "name": t("cp.col_name"), "kind": t("cp.col_kind"),
                "capabilities": st.column_config.ListColumn(t("cp.col_capabilities")),
                "matched": st.column_config.ListColumn(t("cp.col_matched")),
                "distance_km": st.column_config.NumberColumn(t("cp.col_distance"), format="localized"),
                "location": st.column_config.Column(t("cp.col_location"), help=t("cp.about_help")),
                "comune": t("cp.col_comune"),
                "source_urls": st.column_config.ListColumn(t("cp.col_sources")),
            },
        )
        st.download_button(
            t("cp.csv"), partial(export.to_csv, fv.export_frame(found, vocab), build),
            file_name=export.file_name("capabilities_finder", build, "csv"), mime="text/csv",
            key="cp_dl_csv", on_click="ignore", help=t("cp.csv_help"))
    labels = {**{f"kind_{k}": i18n.kind_label(k, lang) for k in filters.kind_options()},
              "comune": t("col.comune"), "approximate_location": t("map.approximate_short")}
    deck = fv.finder_deck(found, place, km, queries.provinces_layer(), labels,
                          place_names.get(near, "") if near else "", fmt=fmt)
    st.pydeck_chart(deck, key="cp_map", height=480)
    st.caption(t("cp.map_note"))

st.subheader(t("cp.gaps_title"))
if place is None:
    st.info(t("cp.gaps_pick_place"))
else:
    gap = bc.gaps(place, km, fv.sites((), None, f.kinds, ()), vocab, f.segments)
    st.caption(t("cp.gaps_note", km=fmt.int(km), place=place_names.get(near, near)))
    if gap.empty:
        st.success(t("cp.gaps_none"))
    else:
        shown = fv.gaps_table(gap, lang, lambda s: seg_labels.get(s) or s)
        st.dataframe(
            shown.drop(columns=["code"]), hide_index=True, width="stretch", key="cp_gaps",
            column_config={
                "capability": t("cp.col_capability"), "segment": t("cp.col_segment"),
                "nearest_name": t("cp.col_nearest"), "nearest_comune": t("cp.col_comune"),
                "nearest_km": st.column_config.NumberColumn(t("cp.col_nearest_km"), format="localized"),
            },
        )
st.caption(t("cp.sources_note") + " " + t("common.registry_build", date=i18n.fmt_date(build["date"])))
