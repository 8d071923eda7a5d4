"""The ETL's message codes: one declaration per message, CODE -> English template.

Every row of staging.load_issues and staging.rejected_rows (and of a desk check) carries, beside its
English `message`/`reason`, a stable `code` and its `params` (a JSON object of the placeholders as they
appear in the English text), so the app can show `t("etl." + code, **params)` in the user's language
(beautyvalley/locales/*/beautyvalley.po hold `etl.<code>` with the same placeholders; tests/test_i18n.py
and tests/test_etl_messages.py check).

A template is a `str.format` pattern; `{x!r}` is a quoted value (as Python's repr writes it). The ETL's
own messages are written with `text(code, **params)`; messages written by the value parsers
(etl/registry/values.py, places.py, etl/sources/classification.py) are recognised by `describe`, which
matches the templates (so the English text stays byte for byte what the parser wrote). A message that
matches no template keeps a NULL code: the app then shows the English text.
"""
from __future__ import annotations

import json
import re
import string
from functools import cache

import numpy as np
import pandas as pd

MESSAGES: dict[str, str] = {
    # validation.py
    "value_too_long": "value too long ({length} characters; at most {limit})",
    "name_empty": "name is empty",
    "source_url_missing": "no http(s) source URL: every registry row needs the page that states it",
    "out_of_range": "{value} is outside the plausible range {lo}–{hi}",
    "not_whole_number": "not a whole number",
    "unknown_segment": "unknown segment(s) {segments}; dropped",
    "not_in_vocabulary": "not one of {allowed}; dropped",
    "source_date_invalid": "not a date (YYYY-MM-DD, YYYY-MM or YYYY); dropped",
    "source_date_future": "date in the future; dropped",
    "coordinates_one_missing": "only one of latitude/longitude given; dropped",
    "coordinates_swapped": "latitude and longitude look swapped; dropped, the site is placed at its comune centroid",
    "coordinates_outside_italy": "coordinates outside Italy; dropped, the site is placed at its comune centroid",
    "coordinates_outside_comune": ("coordinates are {km} km outside the comune; dropped, the site is placed at its "
                                   "comune centroid"),
    # values.py (parsers)
    "vat_personal_cf_dropped": ("a personal codice fiscale is not stored (it encodes a person's birth date and "
                                "place); dropped"),
    "vat_checksum_dropped": "{value!r} is not a valid partita IVA (checksum or length); dropped",
    "website_invalid_dropped": "{value!r} is not a web address (http:// or https://); dropped",
    "url_invalid": "{value!r} is not a web address (http:// or https://)",
    "kind_unknown": "kind {value!r} is not in the vocabulary ({allowed})",
    "not_a_number": "{value!r} is not a number",
    "number_mixed_separators": "{value!r} mixes separators in an unreadable way",
    "not_a_year": "{value!r} is not a year",
    "year_future": "year {year} is in the future",
    "year_too_early": "year {year} is before {lo}",
    "status_unknown": ("status {value!r} is not one of active, closed, planned (or cessata, inattiva, "
                       "in liquidazione, fallita); dropped"),
    "sede_ul_unknown": "{value!r} is neither a head office (SEDE, SE) nor a local unit (UL); dropped",
    "employee_class_bounds": "class {value!r}: lower bound above upper bound",
    "employee_class_letter": ("class letter {value!r}: its range depends on the export's legend; the label is "
                              "kept, the range left empty"),
    # places.py
    "province_unknown": "province {value!r} is not an Italian province code or name",
    "comune_missing": "comune missing: the row cannot be placed",
    "province_contradicts_comune": "province {province} contradicts comune {value!r}, which is in {where}",
    "province_contradicts_former_comune": "province {province} contradicts comune {value!r}, a former comune ({where})",
    "comune_approximate": "comune {value!r} matched approximately to {match} (score {score})",
    "comune_not_in_province_suggest": "comune {value!r} is not a comune of province {province} (closest: {closest})",
    "comune_not_in_province": "comune {value!r} is not a comune of province {province}",
    "comune_ambiguous": "comune {value!r} is ambiguous without a province: {where}",
    "unknown_comune_suggest": "comune {value!r} is not an Italian comune (closest: {closest})",
    "unknown_comune": "comune {value!r} is not an Italian comune",
    "comune_merged": "comune {value!r} ({province}) no longer exists: merged into {successor} in {year}; placed there",
    "comune_successor_ambiguous": ("comune {value!r} no longer exists and its successor is not unique: {names}; "
                                   "give the province or the current comune"),
    # classification.py (ATECO)
    "ateco_not_a_code": "{value!r} is not an ATECO code",
    "ateco_several": "ATECO {edition} code {code} maps to several 2025 codes ({targets}); kept as given",
    "ateco_no_2025": "ATECO {edition} code {code} has no 2025 correspondence; kept as given",
    "ateco_unknown": "{value!r} is not a code of ATECO 2007, 2022 or 2025",
    # corrections.py (public corrections)
    "correction_field_not_allowed": "field {field!r} cannot be corrected (allowed: {allowed})",
    "correction_empty": "empty value",
    "correction_too_long": "value longer than {limit} characters",
    "correction_unknown_site": "no site with org_id {org_id!r} in this build",
    "correction_needs_source": "a figure needs a source URL",
    # reading.py (file-level notes) and build.py (file-level rows)
    "header_below_title": "header found on line {line}; lines above it were skipped",
    "no_data_rows": "no data rows below the header",
    "workbook_macros": "the workbook contains macros; they were ignored (only cell values are read)",
    "merged_cells_filled": "{n} cell(s) filled from a value merged over several rows",
    "sheet_used": "sheet {sheet!r} used (of {n} sheets)",
    "columns_not_loaded": "{n} column(s) not recognised and not loaded: {columns}",
    "extra_cells": "{n} row(s) have more cells than the header (lines {lines}); extra cells ignored",
    "mixed_encodings": ("mixed encodings: {n} line(s) are not UTF-8 and were read as {encoding} (lines {lines}); "
                        "the other lines as UTF-8"),
    "layout_totals": "totals row: skipped, not an organisation",
    "layout_notes": "notes row: skipped, not an organisation",
    "layout_section": "section row: skipped, not an organisation",
    # indicators.py (data/indicators.csv)
    "field_empty": "{field} is empty",
    "indicator_duplicate": "duplicate indicator_id",
    "indicator_unit": "unit must be one of {allowed}",
    "no_url": "no http(s) URL",
    "file_unreadable": "file could not be read: {error}",
}

_QUOTED = r"(?:'[^'\\]*(?:\\.[^'\\]*)*'|\"[^\"\\]*(?:\\.[^\"\\]*)*\")"  # repr of a str


def placeholders(code: str) -> list[str]:
    """The placeholder names of a code's template, in order."""
    return [f for _, f, _, _ in string.Formatter().parse(MESSAGES[code]) if f]


def text(code: str, /, **params) -> str:
    """The English message of `code` (what the `message`/`reason` column holds)."""
    return MESSAGES[code].format(**params)


def rendered(code: str, /, **params) -> dict[str, str]:
    """The params as they appear in the English text ({x!r} quoted, format specs applied)."""
    out = {}
    for _, f, spec, conv in string.Formatter().parse(MESSAGES[code]):
        if f:
            v = params[f]
            out[f] = repr(v) if conv == "r" else format(v, spec or "")
    return out


@cache
def _patterns() -> list[tuple[str, str, str, re.Pattern]]:
    """(code, literal head, literal tail, anchored pattern) per template, in declaration order (a
    '(closest: …)' variant is declared before its plain template); head and tail are a cheap pre-test."""
    out = []
    for code, tpl in MESSAGES.items():
        parts = list(string.Formatter().parse(tpl))
        rx = ""
        for lit, f, _, conv in parts:
            rx += re.escape(lit)
            if f:
                rx += f"(?P<{f}>{_QUOTED})" if conv == "r" else f"(?P<{f}>.+?)"
        head = parts[0][0]
        tail = parts[-1][0] if parts[-1][1] is None else ""
        out.append((code, head, tail, re.compile(rx + r"\Z", re.S)))
    return out


_to_json = json.JSONEncoder(ensure_ascii=False).encode  # one encoder (json.dumps with options builds one a call)


@cache
def _candidates(first: str, last: str) -> list[tuple[str, str, str, re.Pattern]]:
    """The templates a message beginning with `first` and ending with `last` may match (in order)."""
    return [p for p in _patterns() if (not p[1] or p[1][0] == first) and (not p[2] or p[2][-1] == last)]


def describe(message) -> tuple[str | None, str | None]:
    """(code, params as JSON) of an English message; (None, None) when no template matches."""
    if not isinstance(message, str) or not message:
        return None, None
    for code, head, tail, rx in _candidates(message[0], message[-1]):
        if message.startswith(head) and message.endswith(tail):
            m = rx.match(message)
            if m:
                return code, _to_json(m.groupdict())
    return None, None


def with_codes(frame: pd.DataFrame, text_col: str) -> pd.DataFrame:
    """`frame` with `code` and `params` filled from its English `text_col` (once per distinct message;
    rows that already have a code keep it)."""
    frame = frame.copy()
    if "code" not in frame.columns:
        frame["code"] = None
        frame["params"] = None
    todo = frame["code"].isna().to_numpy() & frame[text_col].notna().to_numpy()
    if todo.any():
        idx, uniq = pd.factorize(frame.loc[todo, text_col])
        found = [describe(m) for m in uniq]
        frame.loc[todo, "code"] = np.array([f[0] for f in found], dtype=object)[idx]
        frame.loc[todo, "params"] = np.array([f[1] for f in found], dtype=object)[idx]
    for c in ("code", "params"):
        frame[c] = pd.Series([v if isinstance(v, str) else None for v in frame[c]], index=frame.index, dtype=object)
    return frame
