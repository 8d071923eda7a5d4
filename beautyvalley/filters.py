"""Filter state: the one place that links st.session_state, the sidebar and st.query_params.

Flow of one script run (dashboard.py):
  1. init_from_url()   first run of a session only: read ?lang=&prov=&comune=&kind=&seg=&spec=&q=,
                       keep the valid values, collect a notice for every invalid one.
  2. render_sidebar()  draws the shared widgets (keys below) and returns the Filters.
  3. sync_url()        writes the current state back to the URL, so a copied link reproduces
                       the view (page switches drop query parameters; this restores them).
Pages call current() to get the same frozen Filters.

URL format: lists are repeated parameters (?prov=CR&prov=LO) or comma-separated (?prov=CR,LO);
?prov=all means every Lombard province; defaults are left out of the URL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from beautyvalley import filter_spec, finder_view, i18n, queries, view_state
from beautyvalley.filter_spec import (  # noqa: F401  (re-exported: pages and tests use filters.X)
    DEFAULT_PROVINCES,
    DEFAULT_STATUSES,
    DIMS,
    KIND_VOCABULARY,
    LANG_PARAM,
    MAX_NAME_CHARS,
    STATUS_VOCABULARY,
    Dim,
    Filters,
)
from beautyvalley.formatting import md_escape

# filter field -> (URL parameter, session_state/widget key)
FIELDS: dict[str, tuple[str, str]] = {d.field: (d.param, d.key) for d in DIMS}
LANG_KEY = i18n.STATE_KEY
_INIT_FLAG = "_bv_filters_initialised"
_NOTICES = "_bv_filter_notices"
_NOTICE_STATE = "_bv_notice_state"
# Widgets whose options are codes shown through a translated format_func. Streamlit identifies a
# keyed widget by its key alone and keeps the *formatted* option strings in the browser, so after
# a language switch the browser would send back labels of the old language, which match no
# option, and the choice would be dropped at the next interaction (issue 8). The language switch
# therefore re-writes these keys (same codes), which makes Streamlit send the value again in the
# new language. Pages add their own keys with code_widget().
CODE_WIDGET_KEYS: tuple[str, ...] = tuple(d.key for d in DIMS)
_PAGE_CODE_WIDGETS = "_bv_code_widgets"


# --------------------------------------------------------------------------------------
# Options the widgets (and URL validation and the citation words) accept: per list dimension,
# code -> (label, widget label) in `lang`, given the widgets' state so far (comuni depend on the
# provinces chosen). A new Dim whose codes need no look-up falls back to the codes themselves.


def province_options() -> list[str]:
    return queries.provinces()["province"].tolist()


def kind_options() -> list[str]:
    return sorted(set(KIND_VOCABULARY) | set(queries.kinds()))


def segment_options() -> list[str]:
    return queries.segments()["segment"].tolist()


def comune_options(provinces: tuple[str, ...] | list[str]) -> list[str]:
    return queries.comuni_options(tuple(provinces))["comune_code"].tolist()


def _province_choices(lang: str, state: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    df = queries.provinces()
    return {p: (n, f"{n} ({p})") for p, n in zip(df["province"], df["name"])}


def _comune_choices(lang: str, state: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    df = queries.comuni_options(tuple(state.get(filter_spec.BY_FIELD["provinces"].key, ())))
    return {c: (n, f"{n} ({p})") for c, n, p in zip(df["comune_code"], df["name"], df["province"])}


def _segment_choices(lang: str, state: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    df = queries.segments()
    return {s: ((lab or s),) * 2 for s, lab in zip(df["segment"], df[f"label_{lang}"])}


def _labelled(codes: list[str], label: Callable[[str], str]) -> dict[str, tuple[str, str]]:
    return {c: (label(c),) * 2 for c in codes}


CHOICES: dict[str, Callable[[str, Mapping[str, Any]], dict[str, tuple[str, str]]]] = {
    "provinces": _province_choices,
    "comuni": _comune_choices,
    "kinds": lambda lang, state: _labelled(kind_options(), lambda k: i18n.kind_label(k, lang)),
    "segments": _segment_choices,
    "specialties": lambda lang, state: _labelled(queries.specialties(), str),
    "statuses": lambda lang, state: _labelled(list(STATUS_VOCABULARY),
                                              lambda s: i18n.t(f"status.{s}", lang=lang)),
}


def choices(d: Dim, lang: str, state: Mapping[str, Any] | None = None) -> dict[str, tuple[str, str]]:
    """code -> (label, widget label) of a list dimension."""
    return CHOICES[d.field](lang, state if state is not None else {})


def _clean_text(value: str) -> str:
    """Name search text: no control characters, trimmed, bounded length."""
    return filter_spec.clean_text(value)


# --------------------------------------------------------------------------------------
# 1. URL -> session state (first run of a session)


def init_language() -> str:
    """Language from the URL (?lang=en) on the first run, then from the sidebar switch."""
    if LANG_KEY not in st.session_state:
        raw = st.query_params.get(LANG_PARAM, i18n.DEFAULT_LANG)
        lang = raw if raw in i18n.LANGS else i18n.DEFAULT_LANG
        st.session_state[LANG_KEY] = lang
        if raw not in i18n.LANGS:
            _add_notice(("notice.invalid_lang", {"value": raw}))
    return language()


def language() -> str:
    lang = st.session_state.get(LANG_KEY, i18n.DEFAULT_LANG)
    return lang if lang in i18n.LANGS else i18n.DEFAULT_LANG


def _add_notice(notice: tuple[str, dict[str, str]]) -> None:
    st.session_state.setdefault(_NOTICES, []).append(notice)


def init_from_url(page: str = "") -> None:
    """Seed the filter widgets from the URL once per session; invalid values become notices.
    `page`: the url_path of the page opened (the competence finder owns cap, q, near, km)."""
    if st.session_state.get(_INIT_FLAG):
        return
    lang = language()
    skip = [p for p in st.query_params if finder_view.owns_param(page, p)]
    state, notices = filter_spec.parse_url(st.query_params.get_all, lambda d, so_far: choices(d, lang, so_far),
                                           skip=skip)
    st.session_state.update(state)

    view_state.init_from_url(lambda org: queries.org_card(org) is not None,
                             lambda: queries.indicators()["entity"].dropna().unique().tolist(),
                             lambda: queries.indicators()["metric"].dropna().unique().tolist())
    known = {d.param for d in DIMS} | {LANG_PARAM} | set(view_state.PARAMS)
    known |= _init_page_from_url(page, notices)
    for param in st.query_params:
        if param not in known:
            notices.append(("notice.unknown_param", {"param": param, "value": ""}))

    for n in notices:
        _add_notice(n)
    st.session_state[_INIT_FLAG] = True
    st.session_state[_NOTICE_STATE] = _state_filters()


def _init_page_from_url(page: str, notices: list) -> set[str]:
    """The competence finder's own URL parameters (finder_view): seed its widgets; the params it owns."""
    if page != finder_view.PAGE:
        return set()
    state, bad = finder_view.parse_url(
        st.query_params.get_all, finder_view.vocabulary()["code"].tolist(),
        lambda code: code in set(finder_view.places()["comune_code"]))
    st.session_state.update(state)
    notices.extend(bad)
    return set(finder_view.PARAMS)


# --------------------------------------------------------------------------------------
# 2. Sidebar widgets


def _state_filters() -> Filters:
    return filter_spec.from_state(st.session_state, lang=language())


def current() -> Filters:
    """The filters of this run, as chosen in the sidebar."""
    return _state_filters()


def code_widget(key: str) -> str:
    """Register a page widget whose state is a code (or codes) shown through a translated
    format_func, so that a language switch keeps its choice; returns the key."""
    keys = st.session_state.setdefault(_PAGE_CODE_WIDGETS, [])
    if key not in keys:
        keys.append(key)
    return key


def _keep_choices_on_language_switch() -> None:
    """on_change of the language switch: write every code widget's value back unchanged, so
    Streamlit re-sends it to the browser formatted in the new language."""
    ss = st.session_state
    for key in (*CODE_WIDGET_KEYS, *ss.get(_PAGE_CODE_WIDGETS, [])):
        if key in ss:
            value = ss[key]
            ss[key] = list(value) if isinstance(value, (list, tuple)) else value


def render_language_switch() -> None:
    t = i18n.t
    st.segmented_control(
        t("sidebar.language"),
        options=list(i18n.LANGS),
        format_func=lambda code: i18n.LANGUAGE_NAMES[code],
        key=LANG_KEY,
        persist_state="session",
        selection_mode="single",
        required=True,
        on_change=_keep_choices_on_language_switch,
    )


def render_sidebar() -> Filters:
    """The shared sidebar: one widget per Dim (territory, activity, status, name). Returns the Filters."""
    t = i18n.t
    lang = language()
    ss = st.session_state
    for d in DIMS:
        if d.section_key:
            st.subheader(t(d.section_key))
        common = {"key": d.key, "persist_state": "session", "placeholder": t(d.placeholder_key),
                  "help": t(d.help_key) if d.help_key else None}
        if d.kind == "text":
            st.text_input(t(d.label_key), max_chars=MAX_NAME_CHARS, **common)
            continue
        opts = choices(d, lang, ss)
        # a value no longer offered (a comune outside the chosen provinces) would make the widget fail: drop it
        if d.key in ss and any(v not in opts for v in ss[d.key]):
            ss[d.key] = [v for v in ss[d.key] if v in opts]
        st.multiselect(t(d.label_key), options=list(opts),
                       format_func=lambda c, o=opts: o[c][1] if c in o else c, **common)
    return current()


def narrow_to_comune(code: str, province: str | None = None) -> None:
    """Filter to one comune (a click on the map's count of a comune; call it from a widget callback,
    before the sidebar is drawn): the comune filter becomes [code], and its province joins the province
    filter when that filter names other provinces only."""
    ss = st.session_state
    provinces = list(current().provinces)
    if provinces and province and province not in provinces:
        ss[filter_spec.BY_FIELD["provinces"].key] = [*provinces, province]
    ss[filter_spec.BY_FIELD["comuni"].key] = [code]


def _reset_filters() -> None:
    st.session_state.update(filter_spec.default_state())


def empty_result(message_key: str = "common.no_rows", key: str = "reset_filters") -> None:
    """An empty result: say so and offer "Azzera filtri / Reset filters" (back to the defaults)."""
    st.info(i18n.t(message_key))
    st.button(i18n.t("common.reset_filters"), key=key, on_click=_reset_filters)


def show_notices() -> None:
    """Show the URL notices of this session until the user changes a filter."""
    notices = st.session_state.get(_NOTICES) or []
    if not notices:
        return
    if st.session_state.get(_NOTICE_STATE) != current():
        st.session_state[_NOTICES] = []
        return
    lines = [i18n.t(key, **kw) for key, kw in notices]
    st.warning(i18n.t("notice.header") + "\n\n" + "\n".join(f"- {md_escape(x)}" for x in lines))


# --------------------------------------------------------------------------------------
# 3. Session state -> URL


def sync_url(f: Filters | None = None, page: str = "") -> None:
    """Make the URL reproduce the current view (only touches the URL when it differs); on the
    competence finder (`page`) its own parameters replace the name filter's q."""
    f = f or current()
    params = f.query_params()
    if page == finder_view.PAGE:
        params = {k: v for k, v in params.items() if not finder_view.owns_param(page, k)}
        params.update(finder_view.query_params(st.session_state))
    params.update(view_state.query_params())
    wanted = {k: (v if isinstance(v, list) else [v]) for k, v in params.items()}
    have = {k: st.query_params.get_all(k) for k in st.query_params}
    if have != wanted:
        st.query_params.from_dict(params)


def permalink(f: Filters | None = None, base_url: str | None = None,
              extra: dict[str, str] | None = None) -> str:
    """The link that reproduces the view: this page's public address ($BEAUTYVALLEY_PUBLIC_URL,
    never localhost) plus the filter and view parameters (view_state)."""
    from urllib.parse import urlsplit

    f = f or current()
    if base_url is None:
        try:
            path = urlsplit(st.context.url or "").path
        except Exception:  # pragma: no cover - outside a script run  # noqa: BLE001
            path = ""
        base_url = view_state.page_url(path)
    base = base_url.split("?")[0]
    qs = urlencode({**f.query_params(), **view_state.query_params(), **(extra or {})}, doseq=True)
    return base + ("?" + qs if qs else "")


# --------------------------------------------------------------------------------------
# Filters in words (citation, captions)


def describe(f: Filters, lang: str | None = None) -> str:
    """The filters in words, e.g. 'Province: Cremona, Lodi; tipo: azienda; nome contiene «x»'."""
    lang = lang or f.lang
    state = {filter_spec.BY_FIELD["provinces"].key: f.provinces}
    cache: dict[str, dict[str, tuple[str, str]]] = {}

    def label(d: Dim, code: str) -> str:
        if d.field not in cache:
            cache[d.field] = choices(d, lang, state)
        return cache[d.field].get(code, (code,))[0]

    return filter_spec.describe(f, lambda key, **kw: i18n.t(key, lang=lang, **kw), label)
