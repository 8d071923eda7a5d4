"""How the desk's preview tables show coded values: as words of the interface language.

The stores, the warehouse and widget state keep the codes (`company`, `site_type`); only what is drawn is translated.
"""
from __future__ import annotations

import pandas as pd

from beautyvalley import i18n


def labelled(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy of `df` with the kind column in words and, in the "changed" table (field, old, new), the field's
    column label and, for coded fields, the old and new values in words."""
    df = df.copy()
    if "kind" in df.columns:
        df["kind"] = [i18n.code_label("kind", k, lang) for k in df["kind"]]
    if {"field", "old", "new"} <= set(df.columns):
        for col in ("old", "new"):
            df[col] = [i18n.code_label(f, v, lang) for f, v in zip(df["field"], df[col], strict=True)]
        df["field"] = [i18n.column_label(f, lang) for f in df["field"]]
    return df
