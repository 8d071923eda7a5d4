"""Translations (Italian, English); number/date formatting is in beautyvalley.l10n.

Every label, caption, tooltip and column header on screen is a message of the gettext catalogues
beautyvalley/locales/<lang>/LC_MESSAGES/beautyvalley.po (msgid = a dotted key such as "overview.title"),
read with Babel once per language and process. `t("key")` uses the language chosen in the sidebar
(st.session_state["lang"]); pass lang= to force one. No gettext.install: one process serves sessions
in both languages. Texts not yet moved into the catalogues wait in TEXTS_PENDING (below); the
maintenance commands are in beautyvalley.i18n_tools (README, Architecture: "where a label lives").
tests/test_i18n.py fails when a message lacks a language or a placeholder, or code calls an unknown key.
"""

from __future__ import annotations

import functools
import gettext
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from babel.messages.pofile import read_po

from beautyvalley import l10n

DEFAULT_LANG = "it"
LANGS: tuple[str, ...] = ("it", "en")
LANGUAGE_NAMES = {"it": "Italiano", "en": "English"}
STATE_KEY = "lang"
LOCALES = Path(__file__).resolve().parent / "locales"
DOMAIN = "beautyvalley"

# Texts added after the move to the catalogues, in the shape {key: {"it": ..., "en": ...}} (plus
# "it_one"/"en_one" for the singular of a tn() text), one contiguous block per engineer. t() reads
# them before the catalogues; `python -m beautyvalley.i18n_tools absorb` moves them into the .po files.
TEXTS_PENDING: dict[str, dict[str, str]] = {}


def current_language() -> str:
    """The language of the running Streamlit session (DEFAULT_LANG outside a session)."""
    try:
        import streamlit as st
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        if get_script_run_ctx() is None:
            return DEFAULT_LANG
        lang = st.session_state.get(STATE_KEY, DEFAULT_LANG)
    except Exception:  # pragma: no cover - streamlit missing or no session
        return DEFAULT_LANG
    return lang if lang in LANGS else DEFAULT_LANG


class Catalogue(NamedTuple):
    texts: dict[str, str | tuple[str, ...]]  # key -> text, or (singular, plural) for a plural message
    plural: Callable[[int], int]  # n -> index of the form (the catalogue's Plural-Forms)


@functools.cache
def catalogue(lang: str) -> Catalogue:
    """The messages of `lang`, read from its .po file once per process."""
    with (LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as f:
        cat = read_po(f, locale=lang, domain=DOMAIN)
    texts = {m.id[0] if isinstance(m.id, tuple) else m.id: m.string for m in cat if m.id}
    return Catalogue(texts, gettext.c2py(cat.plural_expr))


def reload() -> None:
    """Forget the catalogues read so far (after i18n_tools rewrote them)."""
    catalogue.cache_clear()


def _forms(key: str, lang: str) -> str | tuple[str, ...] | None:
    """The text (or the plural forms) of `key` in `lang`: TEXTS_PENDING first, then the catalogue."""
    pending = TEXTS_PENDING.get(key)
    if pending is not None:
        one = pending.get(f"{lang}_one")
        return pending.get(lang, "") if one is None else (one, pending.get(lang, ""))
    return catalogue(lang).texts.get(key) if lang in LANGS else None


def _text(key: str, lang: str) -> str:
    """The (plural) text of `key` in `lang`, else in DEFAULT_LANG, else '' (unknown or untranslated)."""
    for candidate in (lang, DEFAULT_LANG):
        forms = _forms(key, candidate)
        text = forms[-1] if isinstance(forms, tuple) else forms
        if text:
            return text
    return ""


def t(key: str, lang: str | None = None, **kwargs: Any) -> str:
    """The text of `key` in `lang` (default: the session's), with {placeholders} filled.

    An unknown key returns the key itself (the app never crashes on a missing text; the
    i18n test catches it).
    """
    text = _text(key, lang or current_language()) or key
    return text.format(**kwargs) if kwargs else text


def tn(key: str, count: Any, lang: str | None = None, **kwargs: Any) -> str:
    """`t(key)` for a count: the form the catalogue's plural rule picks for `count` (e.g. "1 sede"
    rather than "1 sedi"; a fractional count takes the last form), with {n} filled by the count in
    the language's format. A key without plural forms is `t(key)`."""
    lang = lang or current_language()
    kwargs["n"] = fmt_int(count, lang)
    forms = _forms(key, lang)
    if isinstance(forms, tuple) and not l10n.is_missing(count):
        value = float(count)
        index = catalogue(lang).plural(int(value)) if value.is_integer() else len(forms) - 1
        if forms[index]:
            return forms[index].format(**kwargs)
    return t(key, lang=lang, **kwargs)


def has(key: str) -> bool:
    """Whether `key` is a message (of any language's catalogue, or pending)."""
    return key in TEXTS_PENDING or any(key in catalogue(lang).texts for lang in LANGS)


def all_keys() -> set[str]:
    """Every message key: the catalogues' and TEXTS_PENDING's."""
    return set(TEXTS_PENDING).union(*(catalogue(lang).texts for lang in LANGS))


def entries() -> dict[str, dict[str, str]]:
    """Every message in the shape the old TEXTS dict had, {key: {lang: text, "<lang>_one": singular}}
    (catalogues, then TEXTS_PENDING over them): for tests and tools."""
    out: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        for key, text in catalogue(lang).texts.items():
            entry = out.setdefault(key, {})
            if isinstance(text, tuple):
                entry[f"{lang}_one"], entry[lang] = text[0], text[-1]
            else:
                entry[lang] = text
    out.update((key, dict(entry)) for key, entry in TEXTS_PENDING.items())
    return out


def kind_label(kind: str, lang: str | None = None) -> str:
    key = f"kind.{kind}"
    return t(key, lang) if has(key) else str(kind).replace("_", " ")


def metric_label(metric: str, lang: str | None = None) -> str:
    key = f"metric.{metric}"
    return t(key, lang) if has(key) else str(metric).replace("_", " ").capitalize()


CODED_FIELDS = ("site_type", "location_precision", "figure_scope", "cluster_role")


def code_label(field: str, code: Any, lang: str | None = None) -> Any:
    """Translated value of a coded field (site_type, location_precision, ...); others as is."""
    if field == "kind" and isinstance(code, str):
        return kind_label(code, lang)
    key = f"{field}.{code}"
    return t(key, lang) if isinstance(code, str) and has(key) else code


def _blank(value: Any) -> bool:
    return l10n.is_missing(value) or (isinstance(value, str) and not value.strip())


# Data texts kept in both languages: `<column>` (English) and `<column>_it` (Italian) in mart.indicators
LOCALIZED_TEXT_COLUMNS = ("scope", "note")


def in_language(df: Any, lang: str | None = None, columns: tuple[str, ...] = LOCALIZED_TEXT_COLUMNS) -> Any:
    """A copy of `df` whose `scope`/`note` hold the text of `lang`, without the `*_it` columns.

    Italian comes from `<column>_it`; where it is missing the English text is shown with the
    "(in inglese)" marker (never silently). English is the `<column>` text itself."""
    lang = lang or current_language()
    out = df.copy()
    for c in columns:
        it = f"{c}_it"
        if it not in out.columns:
            continue
        if lang == "it" and c in out.columns:
            out[c] = [en if _blank(en) else t("scopetext.in_english", "it", text=en) if _blank(v) else v
                      for v, en in zip(out[it], out[c])]
        out = out.drop(columns=it)
    return out


def column_label(column: str, lang: str | None = None) -> str:
    key = f"col.{column}"
    return t(key, lang) if has(key) else column


def etl_message(code: str | None, params: str | None, english: str | None, lang: str | None = None) -> str | None:
    """An ETL message (staging.load_issues / staging.rejected_rows, a desk check) in `lang`: the text
    `etl.<code>` filled with its JSON `params` (etl/messages.py declares the codes), or the English
    message for a row without a code, a code without a text or params that do not fit."""
    if not isinstance(code, str) or not code:
        return english
    text = _text(f"etl.{code}", lang or current_language())
    if not text:
        return english
    try:
        values = json.loads(params) if isinstance(params, str) and params else {}
        lang = lang or current_language()
        values = {k: _etl_number(v, lang) for k, v in values.items()}
        return text.format(**values) if values else text
    except (ValueError, KeyError, IndexError, TypeError):
        return english


_ETL_NUMBER = re.compile(r"-?\d{1,3}(?:,\d{3})*(?:\.(\d+))?")  # a number as the ETL writes it ('1,234.5')


def _etl_number(value, lang: str):
    """A param the ETL wrote as an English number ('1,234.5') in the language's format; other text as is."""
    m = _ETL_NUMBER.fullmatch(value) if isinstance(value, str) else None
    if not m:
        return value
    return fmt_number(float(value.replace(",", "")), lang, decimals=len(m.group(1) or ""))


def etl_messages(frame, text_col: str, lang: str | None = None) -> list:
    """`etl_message` for every row of a frame with `code`, `params` and the English `text_col` (once per
    distinct message); a frame without codes keeps its English text."""
    if "code" not in frame.columns:
        return list(frame[text_col])
    lang = lang or current_language()
    seen: dict = {}
    out = []
    for code, params, english in zip(frame["code"], frame["params"], frame[text_col]):
        key = (code, params, english)
        if key not in seen:
            seen[key] = etl_message(code, params, english, lang)
        out.append(seen[key])
    return out


def column_help(column: str, lang: str | None = None) -> str:
    key = f"coldesc.{column}"
    return t(key, lang) if has(key) else ""


# --------------------------------------------------------------------------------------
# Numbers and dates: thin wrappers over beautyvalley.l10n (the one formatting layer) that
# default to the session's language. New code should take a Formatter (formatter()).


def formatter(lang: str | None = None) -> l10n.Formatter:
    """The Formatter of `lang` (default: the session's language)."""
    return l10n.formatter(lang or current_language())


def fmt_number(value: Any, lang: str | None = None, decimals: int = 0) -> str:
    return formatter(lang).number(value, decimals)


def fmt_int(value: Any, lang: str | None = None) -> str:
    return formatter(lang).int(value)


def fmt_eur(value: Any, lang: str | None = None) -> str:
    return formatter(lang).eur(value)


def fmt_percent(value: Any, lang: str | None = None, decimals: int = 1) -> str:
    return formatter(lang).percent(value, decimals)


def fmt_value(value: Any, unit: str | None, lang: str | None = None) -> str:
    return formatter(lang).value(value, unit)


def fmt_change(diff: Any, unit: str | None, lang: str | None = None) -> str:
    return formatter(lang).change(diff, unit)


def fmt_year(value: Any) -> str:
    return formatter(DEFAULT_LANG).year(value)


def fmt_date(value: Any, lang: str | None = None) -> str:
    return formatter(lang).date(value)
