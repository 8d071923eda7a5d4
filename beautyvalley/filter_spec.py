"""The filters and the page-level URL parameters, each declared once (no Streamlit, no queries).

One `Dim` per filter dimension holds everything the app needs to know about it: the `Filters` field,
the URL parameter, the sidebar widget's session-state key, the SQL predicate over the organisation
site `o` (bound to the parameter `$<field>`), the widget's texts, the citation wording, whether URL
values are comma-split, and whether it is a list of codes or a text. `DIMS` is the ordered list;
every function below (and filters.py's widget loop, queries' `ORG_WHERE` prelude) loops over it.

Adding a filter: one `Dim(...)` line in DIMS (its predicate reads `o.<column>` and `$<field>`), its
texts in i18n (label, placeholder, describe), and its codes in filters.CHOICES (code -> labels for
the widget, the URL check and the citation words). The recipe is in the README ("Filters and queries").

`Param` declares a page's own URL parameter the same way (finder_view: cap/q/near/km; view_state:
org/mode/view/ent/metric): name, session-state key, list or single value, default, the check that
turns a URL value into a clean state value (or drops it), and how the state goes back into the URL.

Pure functions: tested without Streamlit (tests/test_filter_spec.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, make_dataclass
from typing import Any
from urllib.parse import urlencode

from etl import vocab

DEFAULT_LANG = "it"  # i18n.DEFAULT_LANG (filter_spec imports nothing of the dashboard; the vocabularies come from etl.vocab)
DEFAULT_PROVINCES: tuple[str, ...] = ("CR", "LO", "MI", "BG")
KIND_VOCABULARY: tuple[str, ...] = vocab.KINDS  # data/vocabularies.csv
STATUS_VOCABULARY: tuple[str, ...] = vocab.STATUSES
DEFAULT_STATUSES: tuple[str, ...] = ("active",)  # maps and KPIs show active sites unless asked
MAX_NAME_CHARS = 100
ALL = "all"  # ?prov=all / ?status=all: no restriction where the default restricts

Notice = tuple[str, dict[str, str]]


@dataclass(frozen=True)
class Dim:
    """One filter dimension. `sql` is a predicate over `o` (mart.organisations) using `$<field>`."""

    field: str
    param: str  # URL parameter
    key: str  # session-state / widget key
    sql: str
    label_key: str  # sidebar label
    describe_key: str  # citation words, with {value}
    kind: str = "list"  # "list" of codes | "text"
    default: tuple[str, ...] | str = ()
    comma_split: bool = True  # ?prov=CR,LO (codes never contain commas)
    placeholder_key: str = "sidebar.any"
    help_key: str | None = None
    section_key: str | None = None  # a sidebar subheader drawn before this widget
    describe_all_key: str | None = None  # words when the list is empty (= every value)
    always_described: bool = False  # in the citation even at its default
    show_code: bool = False  # widget shows "label (code)"

    @property
    def empty(self) -> tuple[str, ...] | str:
        return "" if self.kind == "text" else ()


def _in_list(column: str, fld: str) -> str:
    return f"len(${fld}::VARCHAR[]) = 0 OR list_contains(${fld}::VARCHAR[], {column})"


def _overlaps(column: str, fld: str) -> str:
    return f"len(${fld}::VARCHAR[]) = 0 OR list_has_any({column}, ${fld}::VARCHAR[])"


DIMS: tuple[Dim, ...] = (
    Dim("provinces", "prov", "f_prov", _in_list("o.province", "provinces"), "sidebar.provinces",
        "describe.provinces", default=DEFAULT_PROVINCES, placeholder_key="sidebar.all_lombardy",
        help_key="sidebar.provinces_help", section_key="sidebar.territory",
        describe_all_key="describe.all_provinces", always_described=True, show_code=True),
    Dim("comuni", "comune", "f_comune", _in_list("o.comune_code", "comuni"), "sidebar.comuni",
        "describe.comuni", placeholder_key="sidebar.all_comuni"),
    Dim("kinds", "kind", "f_kind", _in_list("o.kind", "kinds"), "sidebar.kind", "describe.kinds",
        section_key="sidebar.activity"),
    Dim("segments", "seg", "f_seg", _overlaps("o.segments", "segments"), "sidebar.segment", "describe.segments"),
    Dim("specialties", "spec", "f_spec", _overlaps("o.specialties", "specialties"), "sidebar.specialty",
        "describe.specialties", comma_split=False),
    Dim("statuses", "status", "f_status", _in_list("coalesce(o.status, 'active')", "statuses"), "sidebar.status",
        "describe.statuses", default=DEFAULT_STATUSES, placeholder_key="sidebar.any_status",
        help_key="sidebar.status_help", describe_all_key="describe.all_statuses"),
    Dim("name", "q", "f_q", "$name = '' OR strpos(lower(strip_accents(o.name)), lower(strip_accents($name))) > 0",
        "sidebar.name", "describe.name", kind="text", default="", comma_split=False,
        placeholder_key="sidebar.name_placeholder"),
)
BY_FIELD: dict[str, Dim] = {d.field: d for d in DIMS}

# The one organisation filter: every dimension's predicate, AND-ed. Empty list = no restriction.
ORG_WHERE = "\n    AND ".join(f"({d.sql})" for d in DIMS)


def clean_text(value: Any) -> str:
    """Name search text: no control characters, trimmed, bounded length."""
    value = re.sub(r"[\x00-\x1f\x7f]", " ", str(value or "")).strip()
    return value[:MAX_NAME_CHARS]


def at_default(d: Dim, value: Any) -> bool:
    return value == d.default if d.kind == "text" else tuple(value) == tuple(d.default)


def _normalise(d: Dim, value: Any) -> tuple[str, ...] | str:
    if d.kind == "text":
        return clean_text(value)
    return tuple(value or ())


class _FilterMethods:
    """Methods of Filters (the fields come from DIMS)."""

    def sql_params(self) -> dict[str, Any]:
        """Named parameters for ORG_WHERE (lists stay lists, never SQL text)."""
        return {d.field: (getattr(self, d.field) if d.kind == "text" else list(getattr(self, d.field)))
                for d in DIMS}

    def key(self) -> tuple[tuple[str, Any], ...]:
        """Hashable form of the filter values (cache key; the language is not part of it)."""
        return tuple((d.field, getattr(self, d.field)) for d in DIMS)

    def query_params(self) -> dict[str, str | list[str]]:
        """The URL parameters that reproduce this view (defaults left out)."""
        out: dict[str, str | list[str]] = {}
        if self.lang != DEFAULT_LANG:
            out[LANG_PARAM] = self.lang
        for d in DIMS:
            value = getattr(self, d.field)
            if at_default(d, value):
                continue
            out[d.param] = value if d.kind == "text" else (list(value) if value else ALL)
        return out

    def query_string(self) -> str:
        return urlencode(self.query_params(), doseq=True)


LANG_PARAM = "lang"

# Filters: one frozen field per Dim (its default), plus the language (not a filter: compare=False).
Filters = make_dataclass(
    "Filters",
    [(d.field, str if d.kind == "text" else tuple[str, ...], field(default=d.default)) for d in DIMS]
    + [("lang", str, field(default=DEFAULT_LANG, compare=False))],
    bases=(_FilterMethods,),
    frozen=True,
)
Filters.__module__ = __name__
Filters.__doc__ = "The filters of one view (frozen, hashable; fields from DIMS, defaults = the sidebar's)."


def from_state(state: Mapping[str, Any], lang: str = DEFAULT_LANG) -> Filters:
    """Filters from the widgets' session state (missing key = the dimension's default)."""
    return Filters(**{d.field: _normalise(d, state.get(d.key, d.default)) for d in DIMS}, lang=lang)


def default_state() -> dict[str, Any]:
    """The widgets' values of the default view ("Reset filters")."""
    return {d.key: (d.default if d.kind == "text" else list(d.default)) for d in DIMS}


# --------------------------------------------------------------------------- URL -> state

def url_values(get_all: Callable[[str], Sequence[str]], param: str, comma_split: bool) -> list[str] | None:
    """The distinct non-empty values of a URL parameter (None when absent); comma-split if asked."""
    raw = list(get_all(param))
    if not raw:
        return None
    values = [p.strip() for v in raw for p in v.split(",")] if comma_split else raw
    return list(dict.fromkeys(v for v in values if v))


def parse_url(get_all: Callable[[str], Sequence[str]], allowed: Callable[[Dim, dict[str, Any]], Iterable[str]],
              skip: Iterable[str] = ()) -> tuple[dict[str, Any], list[Notice]]:
    """The widgets' values read from the URL and a notice per invalid value.

    `get_all(param)` gives the URL values ([] when absent); `allowed(dim, state_so_far)` the valid codes
    of a list dimension (called only when needed; comuni depend on the provinces read before). Lists:
    absent = the default, `all` = every value (where the default restricts), only invalid values = the
    default. `skip`: URL parameters owned by the page (the finder's q), read as absent."""
    skip = set(skip)
    state: dict[str, Any] = {}
    notices: list[Notice] = []
    for d in DIMS:
        values = None if d.param in skip else url_values(get_all, d.param, d.comma_split)
        if d.kind == "text":
            state[d.key] = clean_text(values[0] if values else "")
            continue
        if values is None:
            chosen = list(d.default)
        elif values == [ALL] and d.default:
            state[d.key] = []
            continue
        else:
            ok = set(allowed(d, state))
            bad = [v for v in values if v not in ok]
            if bad:
                notices.append(("notice.invalid_values", {"param": d.param, "value": ", ".join(bad)}))
            chosen = [v for v in values if v in ok] or list(d.default)
        if chosen and d.default:  # the default itself is kept only where it exists (e.g. a small warehouse)
            ok = set(allowed(d, state))
            chosen = [v for v in chosen if v in ok]
        state[d.key] = chosen
    return state, notices


# --------------------------------------------------------------------------- filters in words

def describe(f: Filters, t: Callable[..., str], label: Callable[[Dim, str], str]) -> str:
    """The filters in words, e.g. 'Province: Cremona, Lodi; tipo: azienda; nome contiene «x»'.

    `t(key, **kw)` translates; `label(dim, code)` is a code's words."""
    parts = []
    for d in DIMS:
        value = getattr(f, d.field)
        if at_default(d, value) and not d.always_described:
            continue
        if not value:
            if d.describe_all_key:
                parts.append(t(d.describe_all_key))
            continue
        words = value if d.kind == "text" else ", ".join(label(d, c) for c in value)
        parts.append(t(d.describe_key, value=words))
    return "; ".join(parts)


# --------------------------------------------------------------------------- page-level URL parameters

@dataclass(frozen=True)
class Param:
    """A page's own URL parameter.

    `check(value, ctx)` turns one URL value into the state value, or None (dropped: a notice when
    `notify`); for a list parameter it checks each value. `ctx` holds the option look-ups the caller
    passes (codes, existence checks). `to_url(state value)` gives the URL value ("" / None / [] = left
    out). `touched`: a session flag that must be set for the value to go into the URL (and that is set
    when the URL gives a value). `keep_empty`: a list whose values were all invalid is still set ([])."""

    name: str
    key: str
    check: Callable[[str, Mapping[str, Any]], Any]
    kind: str = "text"  # "text" (first non-empty value) | "list" (repeatable)
    default: Any = None
    to_url: Callable[[Any], Any] = str
    comma_split: bool = False
    notify: bool = True
    touched: str | None = None
    keep_empty: bool = False


def parse_params(specs: Sequence[Param], get_all: Callable[[str], Sequence[str]],
                 ctx: Mapping[str, Any]) -> tuple[dict[str, Any], list[Notice]]:
    """Session-state values of `specs` read from the URL, and the notices of the values dropped."""
    state: dict[str, Any] = {}
    notices: list[Notice] = []
    for p in specs:
        values = url_values(get_all, p.name, p.comma_split)
        if not values:
            continue
        if p.kind == "list":
            ok = [v for v in values if p.check(v, ctx) is not None]
            bad = [v for v in values if v not in ok]
            value = ok if (ok or p.keep_empty) else None
        else:
            value = p.check(values[0], ctx)
            bad = [] if value is not None else [values[0]]
        if bad and p.notify:
            notices.append(("notice.invalid_values", {"param": p.name, "value": ", ".join(bad)}))
        if value is not None:
            state[p.key] = value
            if p.touched:
                state[p.touched] = True
    return state, notices


def params_to_url(specs: Sequence[Param], state: Mapping[str, Any]) -> dict[str, Any]:
    """The URL parameters of `specs` that reproduce `state` (defaults and empty values left out)."""
    out: dict[str, Any] = {}
    for p in specs:
        value = state.get(p.key)
        if value is None or (p.touched and not state.get(p.touched)):
            continue
        if p.default is not None and value == p.default:
            continue
        url = p.to_url(value)
        if url not in (None, "", []):
            out[p.name] = url
    return out
