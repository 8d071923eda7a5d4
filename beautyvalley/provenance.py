"""The organisation card's per-field provenance (issue 9), as plain functions of query results.

Values stay plain text (shown in a dataframe, never as Markdown/HTML); numbers follow the language.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from beautyvalley import i18n

FIELD_KEYS = {"employees": "employees", "employees_class": "employees_class", "revenue_eur": "revenue_eur",
              "founded": "founded", "ateco": "ateco", "vat": "vat", "comune": "comune_code"}


def _value(field: str, value: Any, lang: str) -> str:
    if value is None or value != value:
        return ""
    if field in ("employees", "revenue_eur"):
        try:
            v = float(value)
        except (TypeError, ValueError):
            return str(value)
        return i18n.fmt_int(v, lang) if field == "employees" else i18n.fmt_eur(v, lang)
    return str(value)


def provenance_table(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Rows of mart.field_provenance for one site -> the card's table: field, value, year, source, and
    whether it is the value shown or another value seen. Column names are translated labels."""
    t = lambda key: i18n.t(key, lang=lang)  # noqa: E731
    rows = []
    for r in df.itertuples(index=False):
        rows.append({
            t("prov.field"): i18n.column_label(FIELD_KEYS.get(r.field, r.field), lang),
            t("prov.value"): _value(r.field, r.value, lang),
            t("prov.year"): i18n.fmt_year(r.year),
            t("prov.source"): f"{r.source}" + (f" ({r.file}, {t('prov.line')} {r.line})" if r.source != r.file else
                                             f" ({t('prov.line')} {r.line})"),
            t("prov.role"): t("prov.shown") if r.shown else t("prov.other"),
        })
    return pd.DataFrame(rows, columns=[t(k) for k in ("prov.field", "prov.value", "prov.year", "prov.source", "prov.role")])


def status_line(info: dict[str, Any] | None, lang: str) -> str:
    """'Stato: chiuso · classe addetti 250 e oltre (da 250, dato aziendale)'."""
    if not info:
        return ""
    parts = [i18n.t("prov.status", lang=lang, status=i18n.t(f"status.{info['status']}", lang=lang))]
    if info.get("employees_class"):
        lo, hi = info.get("employees_min"), info.get("employees_max")
        rng = (i18n.t("prov.range_open", lang=lang, lo=i18n.fmt_int(lo, lang)) if hi is None or hi != hi
               else i18n.t("prov.range", lang=lang, lo=i18n.fmt_int(lo, lang), hi=i18n.fmt_int(hi, lang))) \
            if lo is not None and lo == lo else i18n.t("prov.range_unknown", lang=lang)
        parts.append(i18n.t("prov.class", lang=lang, label=str(info["employees_class"]), range=rng))
    return " · ".join(parts)
