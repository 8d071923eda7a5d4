"""The view beyond the filters, in the URL (issue 13): selected organisation, map mode,
map centre and zoom, benchmark comparison entities and metric.

One place for these parameters: ``filters.sync_url`` and ``filters.permalink`` add
:func:`query_params` to the filter parameters, ``filters.init_from_url`` calls
:func:`init_from_url` once per session. Every value read from the URL is checked
(codes against their options, numbers against their range); a bad one is dropped.

Also the public address of the app (``BEAUTYVALLEY_PUBLIC_URL``) used by links and
citations: never ``localhost``.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Mapping
from typing import Any

import streamlit as st

from beautyvalley.filter_spec import Param, params_to_url, parse_params

ORG_PARAM, MODE_PARAM, VIEW_PARAM, ENT_PARAM, METRIC_PARAM = "org", "mode", "view", "ent", "metric"
PARAMS = (ORG_PARAM, MODE_PARAM, VIEW_PARAM, ENT_PARAM, METRIC_PARAM)
MAP_MODES = ("density", "count", "off")
DEFAULT_MODE = "density"
# session-state keys (the map page and the benchmarks page use the same ones)
ORG_KEY = "_bv_view_org"
VIEW_KEY = "_bv_view_map"  # (lat, lon, zoom) or None
MODE_KEY = "map_choropleth"
ENT_KEY = "bm_entities"
METRIC_KEY = "bm_metric"
_INIT = "_bv_view_initialised"

PUBLIC_URL_ENV = "BEAUTYVALLEY_PUBLIC_URL"
PUBLIC_URL_FALLBACK = "https://beautyvalley.example/"  # never localhost; set the variable in production


def public_url() -> str:
    """The app's public address from $BEAUTYVALLEY_PUBLIC_URL (with a trailing slash)."""
    url = (os.environ.get(PUBLIC_URL_ENV) or "").strip() or PUBLIC_URL_FALLBACK
    return url.rstrip("/") + "/"


def page_url(page_path: str = "") -> str:
    """The public address of a page (its url_path, e.g. 'map')."""
    return public_url() + page_path.strip("/")


def parse_view(text: str) -> tuple[float, float, float] | None:
    """'45.3600,9.6900,10.5' -> (lat, lon, zoom) when every number is in range, else None."""
    parts = str(text or "").split(",")
    if len(parts) != 3:
        return None
    try:
        lat, lon, zoom = (float(p) for p in parts)
    except ValueError:
        return None
    if not all(math.isfinite(v) for v in (lat, lon, zoom)):
        return None
    if not (-85 <= lat <= 85 and -180 <= lon <= 180 and 3 <= zoom <= 16):
        return None
    return lat, lon, zoom


def format_view(view: tuple[float, float, float]) -> str:
    lat, lon, zoom = view
    return f"{lat:.4f},{lon:.4f},{zoom:.2f}"


def _org_id(value: str, ctx: Mapping[str, Any]) -> str | None:
    org = value.strip()[:200]
    return org if org and ctx["org_exists"](org) else None


# One declaration per URL parameter (filter_spec.Param). Bad values are dropped without a notice.
URL_PARAMS: tuple[Param, ...] = (
    Param(ORG_PARAM, ORG_KEY, _org_id, notify=False),
    Param(MODE_PARAM, MODE_KEY, lambda v, ctx: v if v in MAP_MODES else None, default=DEFAULT_MODE,
          notify=False, to_url=lambda m: m if m in MAP_MODES else None),
    Param(VIEW_PARAM, VIEW_KEY, lambda v, ctx: parse_view(v), notify=False, to_url=format_view),
    Param(ENT_PARAM, ENT_KEY, lambda v, ctx: v if v in ctx["entities"]() else None, kind="list", notify=False,
          touched="_bv_view_ent_touched", to_url=list),
    Param(METRIC_PARAM, METRIC_KEY, lambda v, ctx: v if v in ctx["metrics"]() else None, notify=False,
          touched="_bv_view_metric_touched"),
)
assert tuple(p.name for p in URL_PARAMS) == PARAMS


def init_from_url(org_exists, entity_options, metric_options) -> None:
    """Seed the view's session state from the URL once per session.

    ``org_exists(org_id) -> bool``, ``entity_options() -> list``, ``metric_options() -> list``
    check the values (callables: only called when the parameter is present)."""
    ss = st.session_state
    if ss.get(_INIT):
        return
    ctx = {"org_exists": org_exists, "entities": functools.cache(lambda: set(entity_options())),
           "metrics": functools.cache(lambda: set(metric_options()))}
    state, _dropped = parse_params(URL_PARAMS, st.query_params.get_all, ctx)
    ss.update(state)
    ss[_INIT] = True


def query_params() -> dict[str, Any]:
    """The view's URL parameters from session state (defaults left out)."""
    return params_to_url(URL_PARAMS, st.session_state)


def mark_touched(which: str) -> None:
    """on_change of the comparison widgets: from now on their choice goes into the URL."""
    st.session_state[f"_bv_view_{which}_touched"] = True


def select_org(org_id: str | None) -> None:
    if org_id:
        st.session_state[ORG_KEY] = org_id
    else:
        st.session_state.pop(ORG_KEY, None)


def selected_org() -> str | None:
    return st.session_state.get(ORG_KEY)


def map_view() -> tuple[float, float, float] | None:
    return st.session_state.get(VIEW_KEY)


def set_map_view(view: tuple[float, float, float] | None) -> None:
    if view is None:
        st.session_state.pop(VIEW_KEY, None)
    else:
        st.session_state[VIEW_KEY] = (round(view[0], 4), round(view[1], 4), round(view[2], 2))


EFFECTIVE_VIEW_KEY = "_bv_view_effective"  # the map's view this run (for the link)


def set_effective_view(view: tuple[float, float, float] | None) -> None:
    st.session_state[EFFECTIVE_VIEW_KEY] = view


def render_share(link_for, citation_for) -> None:
    """The "Copia link / Copy link" control of every page: a popover with the link (st.code
    has a copy button) and the citation as text, BibTeX and CSL-JSON.

    ``link_for(extra_params) -> str`` and ``citation_for(link) -> (text, bibtex, csl)``."""
    from beautyvalley import i18n

    t = i18n.t
    extra = {}
    view = st.session_state.get(EFFECTIVE_VIEW_KEY) if st.session_state.get("_bv_on_map_page") else None
    if view:
        extra[VIEW_PARAM] = format_view(view)
    link = link_for(extra)
    with st.popover(t("share.button"), help=t("share.help"), key="bv_share"):
        st.caption(t("share.copy_hint"))
        st.code(link, language=None, wrap_lines=True)
        text, bibtex, csl = citation_for(link)
        st.markdown("**" + t("share.citation") + "**")
        st.code(text, language=None, wrap_lines=True)
        tab1, tab2 = st.tabs(["BibTeX", "CSL-JSON"])
        tab1.code(bibtex, language="bibtex")
        tab2.code(csl, language="json")
