"""Map (Mappa): organisations by kind, comuni choropleth, province borders, selection card."""

import streamlit as st

from beautyvalley import filters, i18n, maps, provenance, queries
from beautyvalley.desk import correction_form
from beautyvalley.formatting import (
    as_list, card_rows, html_escape, md_escape, selected_org_id, source_line,
)

t = i18n.t
f = filters.current()
lang = f.lang

st.title(t("map.title"))
points = queries.organisations(f)
comuni = queries.comuni_layer(f)
provinces = queries.provinces_layer()
if points.empty:
    filters.empty_result()

c1, c2 = st.columns([3, 1])
mode = c1.radio(
    t("map.choropleth"), options=["density", "count", "off"], horizontal=True,
    key=filters.code_widget("map_choropleth"), persist_state="session",
    format_func=lambda m: t(f"map.choropleth_{m}", lang=lang),
)
basemap = c2.toggle(t("map.basemap"), value=False, key="map_basemap",
                   persist_state="session", help=t("map.basemap_help"))

kind_names = {k: i18n.kind_label(k) for k in filters.kind_options()}
seg = queries.segments()
labels = {
    **{f"kind_{k}": v for k, v in kind_names.items()},
    **{f"segment_{s}": (lab or s) for s, lab in zip(seg["segment"], seg[f"label_{lang}"])},
    "segments": t("col.segments"), "comune": t("col.comune"), "website": t("col.website"),
    "employees": t("col.employees"), "approximate_location": t("map.approximate_short"),
    "organisations": t("map.sites_here"), "per_10000": t("map.choropleth_density"),
    "population": t("map.population"),
}
choropleth = None if mode == "off" else mode
deck = maps.build_deck(
    points, comuni, provinces,
    choropleth=choropleth,
    basemap=basemap,
    labels=labels,
    fmt=i18n.formatter(lang),
    map_style=maps.BLANK_STYLE,
)
event = st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", key="org_map",
                        height=620)

def _swatches(rows):
    """Legend as HTML: colour swatch + label; every label is escaped."""
    return (
        "<div style='display:flex;flex-wrap:wrap;gap:12px;font-size:0.85rem'>"
        + "".join(
            f"<span><span style='display:inline-block;width:12px;height:12px;border-radius:6px;"
            f"background:{html_escape(colour)};margin-right:4px'></span>{html_escape(label)}</span>"
            for label, colour in rows
        )
        + "</div>"
    )


present = set(points["kind"].dropna())
st.html(_swatches([(label, colour) for kind, label, colour in maps.kind_legend(labels)
                   if kind in present]))
if choropleth is not None:
    st.html("<div style='font-size:0.8rem'>" + html_escape(t(f"map.choropleth_{mode}")) + "</div>"
            + _swatches(maps.choropleth_legend(points, comuni, choropleth, fmt=i18n.formatter(lang))))
on_map = points.dropna(subset=["lat", "lon"])
approx = int((on_map["location_precision"] == "comune").sum())
st.caption(
    t("map.location_note", shown=i18n.fmt_int(len(on_map)), total=i18n.fmt_int(len(points)),
      approx=i18n.fmt_int(approx), missing=i18n.fmt_int(len(points) - len(on_map)))
)
if tuple(f.statuses) == filters.DEFAULT_STATUSES:
    st.caption(t("map.active_only"))
st.caption(t("map.sources_note") + " " + t("common.registry_build", date=i18n.fmt_date(queries.build_info()["date"])))

def _provenance_section(org_id: str) -> None:
    """Status, head-count class and per-field provenance (value shown, source, year, other values seen)."""
    st.caption(md_escape(provenance.status_line(queries.org_status(org_id), lang)))
    prov = queries.field_provenance(org_id)
    st.markdown("**" + t("prov.title") + "**")
    if prov.empty:
        st.caption(t("prov.single_source"))
    else:
        st.dataframe(provenance.provenance_table(prov, lang), hide_index=True, width="stretch")


# ---- selection -> organisation card
selected_id = selected_org_id(event)
if selected_id is None:
    st.info(t("map.select_hint"))
else:
    card = queries.org_card(selected_id)
    if card is None:
        st.warning(t("map.not_found"))
    else:
        st.subheader(md_escape(card["name"]))
        seg = queries.segments()
        rows = card_rows(card, lang, dict(zip(seg["segment"], seg[f"label_{lang}"])))
        st.dataframe(rows, hide_index=True, width="stretch", height=35 * (len(rows) + 1) + 3,
                     column_config={"field": t("map.field"), "value": t("map.value")})
        st.markdown(t("common.sources") + ": " + source_line(as_list(card["source_urls"]),
                                                            card["source_date"]))
        _provenance_section(card["org_id"])
        correction_form.render(card["org_id"], lang)
        others = queries.group_sites(card["group_id"], card["org_id"])
        st.markdown("**" + t("map.other_sites") + "**")
        if others.empty:
            st.caption(t("map.no_other_sites"))
        else:
            st.dataframe(others.rename(columns=lambda c: i18n.column_label(c)), hide_index=True,
                         width="stretch")
