"""Downloads: CSV (UTF-8), CSV for Excel (Italian), GeoJSON, data dictionary, citation.

Every export carries each row's source_urls and the warehouse build (id and date); file
names carry the build date. Text cells that a spreadsheet would run as a formula
(leading =, +, -, @, tab or CR) get a ' prefix; numbers are left alone.
"""

from __future__ import annotations

import json
import math
from typing import Any, Iterable

import pandas as pd

from beautyvalley import i18n, l10n

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = " | "
BUILD_COLUMNS = ("build_id", "build_date")


def neutralise(value: Any) -> Any:
    """Prefix a text cell that starts like a spreadsheet formula with '; leave others alone."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _is_list(value: Any) -> bool:
    return isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and not isinstance(value, str)
                                                and getattr(value, "ndim", 0) == 1)


def _join(value: Any) -> Any:
    if _is_list(value):
        items = value.tolist() if hasattr(value, "tolist") else list(value)
        return LIST_SEPARATOR.join(str(v) for v in items if v is not None)
    return value


def tabular(df: pd.DataFrame, build: dict[str, Any]) -> pd.DataFrame:
    """The rows as exported: lists joined with ' | ', text neutralised, build columns added."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype).startswith(("string", "str")):
            out[col] = out[col].map(lambda v: neutralise(_join(v)))
    out["build_id"] = neutralise(str(build.get("build_id", "")))
    out["build_date"] = str(build.get("date", ""))
    return out


def to_csv(df: pd.DataFrame, build: dict[str, Any]) -> bytes:
    """Plain CSV: UTF-8, comma separator, decimal point."""
    # CRLF (RFC 4180): a carriage return inside a value is then quoted, so it cannot split a row
    return tabular(df, build).to_csv(index=False, lineterminator="\r\n").encode("utf-8")


_EXCEL = l10n.formatter("it")  # the Excel CSV is the Italian one: decimal comma


def to_excel_csv(df: pd.DataFrame, build: dict[str, Any]) -> bytes:
    """CSV for Excel (Italian): ';' separator, decimal comma, UTF-8 with BOM."""
    out = tabular(df, build)
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].astype(object).map(_EXCEL.plain)
    text = out.to_csv(index=False, sep=";", lineterminator="\r\n")
    return "\ufeff".encode("utf-8") + text.encode("utf-8")


def _json_value(value: Any) -> Any:
    if _is_list(value):
        return [_json_value(v) for v in (value.tolist() if hasattr(value, "tolist") else value)]
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return _json_value(value.item())
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def to_geojson(df: pd.DataFrame, build: dict[str, Any]) -> bytes:
    """GeoJSON FeatureCollection of the rows with a position; properties keep source_urls."""
    features = []
    props_cols = [c for c in df.columns if c not in ("lat", "lon")]
    for row in df.to_dict("records"):
        lat, lon = _json_value(row.get("lat")), _json_value(row.get("lon"))
        if lat is None or lon is None:
            continue
        props = {c: _json_value(row.get(c)) for c in props_cols}
        props["build_id"] = build.get("build_id")
        props["build_date"] = build.get("date")
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
                "properties": props,
            }
        )
    doc = {
        "type": "FeatureCollection",
        "metadata": {
            "title": "Beauty Valley organisations",
            "build_id": build.get("build_id"),
            "build_date": build.get("date"),
            "note": "Positions with location_precision 'comune' are the comune centroid.",
        },
        "features": features,
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def data_dictionary(columns: Iterable[str], lang: str) -> pd.DataFrame:
    """column, header, meaning for the exported columns, in `lang`."""
    cols = list(columns) + [c for c in BUILD_COLUMNS if c not in columns]
    return pd.DataFrame(
        {
            "column": cols,
            "header": [i18n.column_label(c, lang) for c in cols],
            "meaning": [i18n.column_help(c, lang) for c in cols],
        }
    )


def data_dictionary_csv(columns: Iterable[str], lang: str) -> bytes:
    return data_dictionary(columns, lang).to_csv(index=False, lineterminator="\n").encode("utf-8")


def file_name(stem: str, build: dict[str, Any], ext: str) -> str:
    """beautyvalley_<stem>_<build date>.<ext>"""
    date = str(build.get("date") or "undated")
    return f"beautyvalley_{stem}_{date}.{ext}"


def citation(build: dict[str, Any], filters_in_words: str, link: str, lang: str) -> str:
    """A suggested citation naming the build, the filters in words and the reproducing link."""
    return i18n.t(
        "cite.text",
        lang=lang,
        build_id=build.get("build_id", ""),
        date=build.get("date", ""),
        filters=filters_in_words,
        link=link,
    )
