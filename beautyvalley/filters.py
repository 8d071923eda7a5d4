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

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from beautyvalley import finder_view, i18n, queries, view_state
from beautyvalley.formatting import md_escape
from etl import vocab

DEFAULT_PROVINCES: tuple[str, ...] = ("CR", "LO", "MI", "BG")
KIND_VOCABULARY: tuple[str, ...] = vocab.KINDS  # data/vocabularies.csv
STATUS_VOCABULARY: tuple[str, ...] = vocab.STATUSES
DEFAULT_STATUSES: tuple[str, ...] = ("active",)  # maps and KPIs show active sites unless asked
MAX_NAME_CHARS = 100

# filter field -> (URL parameter, session_state/widget key)
FIELDS: dict[str, tuple[str, str]] = {
    "provinces": ("prov", "f_prov"),
    "comuni": ("comune", "f_comune"),
    "kinds": ("kind", "f_kind"),
    "segments": ("seg", "f_seg"),
    "specialties": ("spec", "f_spec"),
    "name": ("q", "f_q"),
    "statuses": ("status", "f_status"),
}
LANG_PARAM = "lang"
LANG_KEY = i18n.STATE_KEY
_INIT_FLAG = "_bv_filters_initialised"
_NOTICES = "_bv_filter_notices"
_NOTICE_STATE = "_bv_notice_state"
_COMMA_SPLIT = {"prov", "comune", "kind", "seg", "status"}  # codes never contain commas
# Widgets whose options are codes shown through a translated format_func. Streamlit identifies a
# keyed widget by its key alone and keeps the *formatted* option strings in the browser, so after
# a language switch the browser would send back labels of the old language, which match no
# option, and the choice would be dropped at the next interaction (issue 8). The language switch
# therefore re-writes these keys (same codes), which makes Streamlit send the value again in the
# new language. Pages add their own keys with code_widget().
CODE_WIDGET_KEYS: tuple[str, ...] = tuple(key for _, key in FIELDS.values())
_PAGE_CODE_WIDGETS = "_bv_code_widgets"


@dataclass(frozen=True)
class Filters:
    provinces: tuple[str, ...] = DEFAULT_PROVINCES
    comuni: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    specialties: tuple[str, ...] = ()
    name: str = ""
    statuses: tuple[str, ...] = DEFAULT_STATUSES  # () = every status
    lang: str = field(default=i18n.DEFAULT_LANG, compare=False)

    def sql_params(self) -> dict[str, Any]:
        """Named parameters for queries.ORG_WHERE (lists stay lists, never SQL text)."""
        return {
            "provinces": list(self.provinces),
            "comuni": list(self.comuni),
            "kinds": list(self.kinds),
            "segments": list(self.segments),
            "specialties": list(self.specialties),
            "name": self.name,
            "statuses": list(self.statuses),
        }

    def query_params(self) -> dict[str, str | list[str]]:
        """The URL parameters that reproduce this view (defaults left out)."""
        out: dict[str, str | list[str]] = {}
        if self.lang != i18n.DEFAULT_LANG:
            out[LANG_PARAM] = self.lang
        if tuple(self.provinces) != DEFAULT_PROVINCES:
            out["prov"] = list(self.provinces) if self.provinces else "all"
        for fld in ("comuni", "kinds", "segments", "specialties"):
            values = getattr(self, fld)
            if values:
                out[FIELDS[fld][0]] = list(values)
        if self.name:
            out["q"] = self.name
        if tuple(self.statuses) != DEFAULT_STATUSES:
            out["status"] = list(self.statuses) if self.statuses else "all"
        return out

    def query_string(self) -> str:
        return urlencode(self.query_params(), doseq=True)


# --------------------------------------------------------------------------------------
# Options the widgets (and URL validation) accept


def province_options() -> list[str]:
    return queries.provinces()["province"].tolist()


def kind_options() -> list[str]:
    return sorted(set(KIND_VOCABULARY) | set(queries.kinds()))


def segment_options() -> list[str]:
    return queries.segments()["segment"].tolist()


def comune_options(provinces: tuple[str, ...] | list[str]) -> list[str]:
    return queries.comuni_options(tuple(provinces))["comune_code"].tolist()


def _clean_text(value: str) -> str:
    """Name search text: no control characters, trimmed, bounded length."""
    value = re.sub(r"[\x00-\x1f\x7f]", " ", value).strip()
    return value[:MAX_NAME_CHARS]


def _url_values(param: str) -> list[str] | None:
    if param not in st.query_params:
        return None
    values = list(st.query_params.get_all(param))
    if param in _COMMA_SPLIT:
        values = [p.strip() for v in values for p in v.split(",")]
    seen: list[str] = []
    for v in values:
        if v and v not in seen:
            seen.append(v)
    return seen


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
    notices: list[tuple[str, dict[str, str]]] = []

    def keep(param: str, values: list[str], allowed: list[str]) -> list[str]:
        ok = [v for v in values if v in allowed]
        bad = [v for v in values if v not in allowed]
        if bad:
            notices.append(("notice.invalid_values", {"param": param, "value": ", ".join(bad)}))
        return ok

    provs = _url_values("prov")
    if provs is None:
        provinces = list(DEFAULT_PROVINCES)
    elif provs == ["all"]:
        provinces = []
    else:
        provinces = keep("prov", provs, province_options())
        if not provinces:
            provinces = list(DEFAULT_PROVINCES)
    provinces = [p for p in provinces if p in province_options()]
    st.session_state[FIELDS["provinces"][1]] = provinces

    for fld, allowed in (
        ("comuni", lambda: comune_options(provinces)),
        ("kinds", kind_options),
        ("segments", segment_options),
        ("specialties", queries.specialties),
    ):
        param, key = FIELDS[fld]
        values = _url_values(param)
        st.session_state[key] = keep(param, values, allowed()) if values else []

    st.session_state[FIELDS["statuses"][1]] = _statuses_from_url(keep)

    raw_q = "" if finder_view.owns_param(page, "q") else st.query_params.get("q", "")
    st.session_state[FIELDS["name"][1]] = _clean_text(raw_q or "")

    view_state.init_from_url(lambda org: queries.org_card(org) is not None,
                             lambda: queries.indicators()["entity"].dropna().unique().tolist(),
                             lambda: queries.indicators()["metric"].dropna().unique().tolist())
    known = {p for p, _ in FIELDS.values()} | {LANG_PARAM} | set(view_state.PARAMS)
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


def _statuses_from_url(keep: Callable[[str, list[str], list[str]], list[str]]) -> list[str]:
    """?status=closed,planned; ?status=all = every status; absent or only invalid values: active."""
    values = _url_values("status")
    if values is None:
        return list(DEFAULT_STATUSES)
    if values == ["all"]:
        return []
    return keep("status", values, list(STATUS_VOCABULARY)) or list(DEFAULT_STATUSES)


# --------------------------------------------------------------------------------------
# 2. Sidebar widgets


def _state_filters() -> Filters:
    ss = st.session_state
    return Filters(
        provinces=tuple(ss.get(FIELDS["provinces"][1], DEFAULT_PROVINCES)),
        comuni=tuple(ss.get(FIELDS["comuni"][1], ())),
        kinds=tuple(ss.get(FIELDS["kinds"][1], ())),
        segments=tuple(ss.get(FIELDS["segments"][1], ())),
        specialties=tuple(ss.get(FIELDS["specialties"][1], ())),
        name=_clean_text(ss.get(FIELDS["name"][1], "") or ""),
        statuses=tuple(ss.get(FIELDS["statuses"][1], DEFAULT_STATUSES)),
        lang=language(),
    )


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
    """The shared sidebar: territory, kind, segment, specialty, name. Returns the Filters."""
    t = i18n.t
    lang = language()
    prov_df = queries.provinces()
    prov_names = dict(zip(prov_df["province"], prov_df["name"]))
    st.subheader(t("sidebar.territory"))
    st.multiselect(
        t("sidebar.provinces"),
        options=prov_df["province"].tolist(),
        format_func=lambda p: f"{prov_names.get(p, p)} ({p})",
        key=FIELDS["provinces"][1],
        persist_state="session",
        help=t("sidebar.provinces_help"),
        placeholder=t("sidebar.all_lombardy"),
    )
    chosen = tuple(st.session_state[FIELDS["provinces"][1]])
    com_df = queries.comuni_options(chosen)
    com_names = dict(zip(com_df["comune_code"], com_df["name"] + " (" + com_df["province"] + ")"))
    ckey = FIELDS["comuni"][1]
    # a comune outside the chosen provinces would make the widget fail: drop it quietly
    st.session_state[ckey] = [c for c in st.session_state.get(ckey, []) if c in com_names]
    st.multiselect(
        t("sidebar.comuni"),
        options=list(com_names),
        format_func=lambda c: com_names.get(c, c),
        key=ckey,
        persist_state="session",
        placeholder=t("sidebar.all_comuni"),
    )
    st.subheader(t("sidebar.activity"))
    st.multiselect(
        t("sidebar.kind"),
        options=kind_options(),
        format_func=lambda k: i18n.kind_label(k, lang),
        key=FIELDS["kinds"][1],
        persist_state="session",
        placeholder=t("sidebar.any"),
    )
    seg_df = queries.segments()
    seg_labels = dict(zip(seg_df["segment"], seg_df[f"label_{lang}"]))
    st.multiselect(
        t("sidebar.segment"),
        options=seg_df["segment"].tolist(),
        format_func=lambda s: seg_labels.get(s) or s,
        key=FIELDS["segments"][1],
        persist_state="session",
        placeholder=t("sidebar.any"),
    )
    st.multiselect(
        t("sidebar.specialty"),
        options=queries.specialties(),
        key=FIELDS["specialties"][1],
        persist_state="session",
        placeholder=t("sidebar.any"),
    )
    render_status_filter(lang)
    st.text_input(
        t("sidebar.name"),
        key=FIELDS["name"][1],
        persist_state="session",
        max_chars=MAX_NAME_CHARS,
        placeholder=t("sidebar.name_placeholder"),
    )
    return current()


def _reset_filters() -> None:
    ss = st.session_state
    ss[FIELDS["provinces"][1]] = list(DEFAULT_PROVINCES)
    for fld in ("comuni", "kinds", "segments", "specialties"):
        ss[FIELDS[fld][1]] = []
    ss[FIELDS["name"][1]] = ""
    ss[FIELDS["statuses"][1]] = list(DEFAULT_STATUSES)


def empty_result(message_key: str = "common.no_rows", key: str = "reset_filters") -> None:
    """An empty result: say so and offer "Azzera filtri / Reset filters" (back to the defaults)."""
    st.info(i18n.t(message_key))
    st.button(i18n.t("common.reset_filters"), key=key, on_click=_reset_filters)


def render_status_filter(lang: str) -> None:
    """Active / closed / planned sites; empty = all (the default shows active sites only)."""
    st.multiselect(
        i18n.t("sidebar.status"),
        options=list(STATUS_VOCABULARY),
        format_func=lambda s: i18n.t(f"status.{s}", lang=lang),
        key=FIELDS["statuses"][1],
        persist_state="session",
        placeholder=i18n.t("sidebar.any_status"),
        help=i18n.t("sidebar.status_help"),
    )


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
    t: Callable[..., str] = lambda key, **kw: i18n.t(key, lang=lang, **kw)  # noqa: E731
    prov_df = queries.provinces()
    prov_names = dict(zip(prov_df["province"], prov_df["name"]))
    parts = []
    if f.provinces:
        parts.append(t("describe.provinces", value=", ".join(prov_names.get(p, p) for p in f.provinces)))
    else:
        parts.append(t("describe.all_provinces"))
    if f.comuni:
        com_df = queries.comuni_options(tuple(f.provinces))
        names = dict(zip(com_df["comune_code"], com_df["name"]))
        parts.append(t("describe.comuni", value=", ".join(names.get(c, c) for c in f.comuni)))
    if f.kinds:
        parts.append(t("describe.kinds", value=", ".join(i18n.kind_label(k, lang) for k in f.kinds)))
    if f.segments:
        seg_df = queries.segments()
        labels = dict(zip(seg_df["segment"], seg_df[f"label_{lang}"]))
        parts.append(t("describe.segments", value=", ".join(labels.get(s) or s for s in f.segments)))
    if f.specialties:
        parts.append(t("describe.specialties", value=", ".join(f.specialties)))
    if f.name:
        parts.append(t("describe.name", value=f.name))
    if tuple(f.statuses) != DEFAULT_STATUSES:
        parts.append(t("describe.statuses", value=", ".join(t(f"status.{s}") for s in f.statuses))
                     if f.statuses else t("describe.all_statuses"))
    return "; ".join(parts)
