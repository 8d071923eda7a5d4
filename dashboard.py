"""Beauty Valley dashboard: entry point (`streamlit run dashboard.py`).

Opens the warehouse (building it first if missing), sets the language, draws the shared
sidebar and mirrors the filters in the URL, then runs the selected page from app_pages/ (not "pages/": a folder with that name
switches Streamlit to its legacy multipage mode, which bypasses st.navigation and this file).
"""

from __future__ import annotations

import streamlit as st

from beautyvalley import export, filters, i18n, queries, view_state, warehouse
from beautyvalley.desk import auth as desk_auth

# no page or page_icon icons: material-icon favicons are fetched from fonts.gstatic.com
# (the app must make no outside request) and emoji need a font headless browsers lack
st.set_page_config(page_title="Beauty Valley", layout="wide")

lang = filters.init_language()
t = i18n.t

try:
    warehouse.build_if_missing(message=t("app.building", path=str(warehouse.db_path())))
except Exception as exc:  # the app cannot work without a warehouse: say why and stop
    st.error(t("app.build_failed", path=str(warehouse.db_path())))
    st.exception(exc)
    st.stop()

PAGES = [
    st.Page("app_pages/overview.py", title=t("page.overview"), url_path="overview", default=True),
    st.Page("app_pages/map.py", title=t("page.map"), url_path="map"),
    st.Page("app_pages/sectors.py", title=t("page.sectors"), url_path="sectors"),
    st.Page("app_pages/benchmarks.py", title=t("page.benchmarks"), url_path="benchmarks"),
    st.Page("app_pages/explore.py", title=t("page.explore"), url_path="explore"),
    st.Page("app_pages/competences.py", title=t("page.competences"), url_path="competences"),
    st.Page("app_pages/sources.py", title=t("page.sources"), url_path="sources"),
    # issue 11: the desk is reachable at /staff by anyone (it shows a sign-in prompt) but listed only for staff
    st.Page("app_pages/staff.py", title=t("page.staff"), url_path="staff",
            visibility="visible" if desk_auth.current_staff() else "hidden"),
]
page = st.navigation(PAGES)
filters.init_from_url(page.url_path)  # after navigation: the page decides who owns ?q=

with st.sidebar:
    filters.render_language_switch()
    current = filters.render_sidebar()
    build = queries.build_info()
    st.caption(t("sidebar.build", build_id=build["build_id"], date=i18n.fmt_date(build["date"])))

filters.sync_url(current, page.url_path)
filters.show_notices()
# a visible, worded "Filtri / Filters" control when the sidebar is collapsed (phone), not a bare "»"
st.html("<style>[data-testid=stExpandSidebarButton]{width:auto;padding:0 .6rem;gap:.3rem;"
        "border:1px solid rgba(49,51,63,.3);border-radius:.5rem;background:#fff}"
        "[data-testid=stExpandSidebarButton]::after{content:'" + t("share.filters_button").replace("'", "") +
        "';font-weight:600;font-size:.95rem}</style>")
st.session_state["_bv_on_map_page"] = page.url_path == "map"
share_slot = st.container(key="bv_share_row")  # filled after the page ran: it knows the map's view
page.run()
with share_slot:
    view_state.render_share(
        lambda extra: filters.permalink(current, extra=extra),
        lambda link: (export.citation_full(build, filters.describe(current), link, lang),
                      export.citation_bibtex(build, filters.describe(current), link),
                      export.citation_csl(build, filters.describe(current), link)),
    )
