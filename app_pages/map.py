"""Map (Mappa): organisations by kind, comuni choropleth, province borders, selection card."""

import dataclasses

import streamlit as st

import pydeck as pdk

from beautyvalley import brief_ui, capability_labels, filters, i18n, maps, provenance, queries, view_state
from beautyvalley import card as human_card
from beautyvalley.formatting import card_rows, html_escape, md_escape, selected_org_id
from beautyvalley.desk import correction_form

t = i18n.t
f = filters.current()
lang = f.lang

st.title(t("map.title"))
# issue 15: counted per comune in DuckDB first; the sites themselves only when they are few enough to draw
counts = queries.map_comune_counts(f)
n_total, n_located, n_approx = (int(counts[c].sum()) for c in ("sites", "located", "approximate"))
aggregated = maps.aggregated(n_located)
points = queries.map_sites(f) if not aggregated else None
comuni = queries.comuni_layer(f)
provinces = queries.provinces_layer()
if n_total == 0:
    filters.empty_result()

# phone: the map fits the screen, the card comes first (CSS on this page's own keyed containers)
st.html("""<style>
@media (max-width: 640px) {
  .st-key-bv_map_row [data-testid=stHorizontalBlock] { flex-direction: column-reverse; }
  .st-key-bv_map_row [data-testid=stHorizontalBlock] [data-testid=stHorizontalBlock] { flex-direction: row; }
  .st-key-bv_map_area iframe, .st-key-bv_map_area [data-testid=stDeckGlJsonChart] { max-height: 58vh; }
}
.st-key-bv_card { scroll-margin-top: 4rem; }  /* below Streamlit's fixed header when scrolled to */
.st-key-bv_card_scroll { display: none; }
</style>""")

row = st.container(key="bv_map_row")
map_col, card_col = row.columns([3, 2], gap="medium")  # on a phone the card comes first (CSS above)
c1, c2, c3 = map_col.columns([3, 2, 2])
mode = c1.radio(
    t("map.choropleth"), options=list(view_state.MAP_MODES), horizontal=True,
    key=filters.code_widget(view_state.MODE_KEY), persist_state="session",
    format_func=lambda m: t(f"map.choropleth_{m}", lang=lang),
)
basemap = c2.toggle(t("map.basemap"), value=False, key="map_basemap",
                   persist_state="session", help=t("map.basemap_help"))
if c3.button(t("map.fit"), help=t("map.fit_help"), key="map_fit"):
    view_state.set_map_view(None)
    st.session_state["_bv_map_fit_nonce"] = st.session_state.get("_bv_map_fit_nonce", 0) + 1

kind_names = {k: i18n.kind_label(k) for k in filters.kind_options()}
seg = queries.segments()
labels = {
    **{f"kind_{k}": v for k, v in kind_names.items()},
    **{f"segment_{s}": (lab or s) for s, lab in zip(seg["segment"], seg[f"label_{lang}"])},
    "segments": t("col.segments"), "comune": t("col.comune"), "website": t("col.website"),
    "employees": t("col.employees"), "approximate_location": t("map.approximate_short"),
    "organisations": t("map.sites_here"), "per_10000": t("map.choropleth_density"),
    "population": t("map.population"),
    "aggregate_sites": t("map.aggregate_sites"), "aggregate_kind": t("map.aggregate_kind"),
    "aggregate_click": t("map.aggregate_click"),
    **{f"scope_{sc}": i18n.code_label("figure_scope", sc, lang) for sc in ("site", "company", "group")},
}
choropleth = None if mode == "off" else mode
# the view: from the link (view=lat,lon,zoom) until "fit to results" or a filter change, else the fit
fitted = maps.view_state((counts if aggregated else points).dropna(subset=["lat", "lon"]), provinces)
fp = f.query_string()
if st.session_state.get("_bv_map_view_fp") not in (None, fp):
    view_state.set_map_view(None)  # the filters changed: fit the new selection
st.session_state["_bv_map_view_fp"] = fp
linked = view_state.map_view()
view = (pdk.ViewState(latitude=linked[0], longitude=linked[1], zoom=linked[2]) if linked
        else fitted)
# "fit to results" must change the initial view for the chart to move back to it
view.zoom = round(float(view.zoom) + 0.001 * (st.session_state.get("_bv_map_fit_nonce", 0) % 2), 3)
view_state.set_effective_view((float(view.latitude), float(view.longitude), float(view.zoom)))
deck = maps.build_deck(
    points if points is not None else counts.iloc[0:0], comuni, provinces,
    aggregates=counts if aggregated else None,
    choropleth=choropleth,
    basemap=basemap,
    labels=labels,
    fmt=i18n.formatter(lang),
    map_style=maps.BLANK_STYLE,
    view=view,
)


def _narrow_to_clicked_comune() -> None:
    """A click on a comune's count narrows the filters to that comune (its sites are then drawn)."""
    code = maps.selected_comune(st.session_state.get("org_map"))
    if code:
        province = counts.loc[counts["comune_code"] == code, "province"]
        filters.narrow_to_comune(code, province.iloc[0] if len(province) else None)


with map_col.container(key="bv_map_area"):
    if aggregated:
        st.info(t("map.aggregated_note", n=i18n.fmt_int(n_located), limit=i18n.fmt_int(maps.max_sites())))
    event = st.pydeck_chart(deck, on_select=_narrow_to_clicked_comune, selection_mode="single-object",
                            key="org_map", height=540)
    st.caption(t("map.zoom_note") + " " + t("map.place_names_note"))
if basemap:
    if maps.basemap_reachable():
        st.caption(t("map.basemap_maybe"))
    else:
        st.warning(t("map.basemap_unreachable"))

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


present = set((counts if aggregated else points)["kind"].dropna())
st.html(_swatches([(label, colour) for kind, label, colour in maps.kind_legend(labels)
                   if kind in present]))
if choropleth is not None:
    st.html("<div style='font-size:0.8rem'>" + html_escape(t(f"map.choropleth_{mode}")) + "</div>"
            + _swatches(maps.choropleth_legend(points, comuni, choropleth, fmt=i18n.formatter(lang))))
st.caption(
    t("map.location_note", shown=i18n.fmt_int(n_located), total=i18n.fmt_int(n_total),
      approx=i18n.fmt_int(n_approx), missing=i18n.fmt_int(n_total - n_located))
)
if aggregated:
    st.caption(t("map.aggregated_legend"))
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


def _correction_slot(card: dict) -> None:
    """The one place for the "suggest a correction" call (staff desk, issue 11): a single
    function call with card["org_id"] goes here."""
    correction_form.render(card["org_id"], lang)


def _comune_brief_button(card: dict) -> None:
    """Issue 14: the territory brief of the card's comune (the sidebar's other filters apply),
    built only when pressed, like the Overview's."""
    if not card.get("comune_code") or not card.get("province"):
        return  # a site without a comune has no comune brief
    fc = dataclasses.replace(f, provinces=(card["province"],), comuni=(card["comune_code"],))
    brief_ui.brief_button(fc, lang, label=t("card.brief", comune=md_escape(card.get("comune") or card["comune_code"])),
                          help=t("card.brief_help"), key="dl_card_brief", base_url=view_state.page_url("map"))


_SCROLL_TO_CARD = """<script>
(() => {  // selection __N__
  let tries = 0;
  const go = () => {
    const title = document.querySelector('.st-key-bv_card h3');
    if (!title) { if (tries++ < 30) setTimeout(go, 100); return; }
    const top = title.getBoundingClientRect().top;
    if (top < 48 || top > window.innerHeight - 80) {
      document.querySelector('.st-key-bv_card').scrollIntoView({block: 'start'});
    }
  };
  setTimeout(go, 100);
})();
</script>"""


# ---- selection -> organisation card (beside the map; first on a phone)
clicked = selected_org_id(event)
if clicked != st.session_state.get("_bv_map_last_click"):  # a new click, not the same selection again
    st.session_state["_bv_map_last_click"] = clicked
    if clicked:
        view_state.select_org(clicked)
        st.session_state["_bv_card_shown"] = st.session_state.get("_bv_card_shown", 0) + 1
selected_id = view_state.selected_org()
with card_col.container(key="bv_card"):
    if selected_id is None:
        st.info(t("map.select_hint"))
    else:
        card = queries.org_card(selected_id)
        card = capability_labels.on_card(card, lang) if card is not None else None  # issue 12
        if card is None:
            st.warning(t("map.not_found"))
        else:
            seg = queries.segments()
            seg_labels = dict(zip(seg["segment"], seg[f"label_{lang}"]))
            with st.container(border=True):
                st.subheader(md_escape(card["name"]))
                for label, value in human_card.human_lines(card, lang, seg_labels):
                    st.markdown(f"**{md_escape(label)}:** {value}")
                st.markdown(f"**{md_escape(t('card.sources'))}:** "
                            + human_card.sources_markdown(card["source_urls"], card["source_date"], lang))
                _comune_brief_button(card)
                _correction_slot(card)
                if st.button(t("card.close"), key="card_close"):
                    view_state.select_org(None)
                    st.rerun()
            with st.expander(t("card.details")):
                rows = card_rows(card, lang, seg_labels)
                st.dataframe(rows, hide_index=True, width="stretch", height=35 * (len(rows) + 1) + 3,
                             column_config={"field": t("map.field"), "value": t("map.value")})
                _provenance_section(card["org_id"])
                others = queries.group_sites(card["group_id"], card["org_id"])
                st.markdown("**" + t("map.other_sites") + "**")
                if others.empty:
                    st.caption(t("map.no_other_sites"))
                else:
                    st.dataframe(others.rename(columns=lambda c: i18n.column_label(c)), hide_index=True,
                                 width="stretch")

# after a click the card is scrolled into view when it is not (on a phone it sits above the map,
# out of sight once the user has scrolled down to the map). The script changes only with a new
# selection (a counter, never data), so a rerun for another reason does not scroll.
if selected_id is not None and st.session_state.get("_bv_card_shown"):
    with st.container(key="bv_card_scroll"):
        st.html(_SCROLL_TO_CARD.replace("__N__", str(int(st.session_state["_bv_card_shown"]))),
                unsafe_allow_javascript=True)
