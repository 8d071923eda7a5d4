"""Downloads: CSV (UTF-8), XLSX (openpyxl), GeoJSON, data dictionary, citation.

Every export carries each row's source_urls and the warehouse build (id and date); file
names carry the build id, the build date and a short slug of the filters. The XLSX replaces
the former "CSV for Excel": a spreadsheet opening a CSV drops the leading zero of ISTAT codes. Text cells that a spreadsheet would run as a formula
(leading =, +, -, @, tab or CR) get a ' prefix; numbers are left alone.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
from typing import Any, Iterable

import pandas as pd

from beautyvalley import i18n

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


def filter_slug(f: Any) -> str:
    """A short slug of the filters from their codes (province, comune, kind, segment, status);
    the name filter as at most 20 ASCII letters/digits. '' for the default view."""
    if f is None:
        return ""
    parts: list[str] = []
    provinces = tuple(getattr(f, "provinces", ()))
    default_prov = getattr(type(f), "__dataclass_fields__", {}).get("provinces")
    if default_prov is None or provinces != default_prov.default:
        parts.append("-".join(provinces) if provinces else "all")
    for attr in ("comuni", "kinds", "segments", "specialties"):
        values = getattr(f, attr, ())
        if values:
            parts.append("-".join(str(v) for v in values[:4]) + ("-more" if len(values) > 4 else ""))
    name = getattr(f, "name", "")
    if name:
        parts.append("q-" + name)
    statuses = getattr(f, "statuses", None)
    default_st = getattr(type(f), "__dataclass_fields__", {}).get("statuses")
    if statuses is not None and default_st is not None and tuple(statuses) != default_st.default:
        parts.append("-".join(statuses) if statuses else "allstatus")
    slug = re.sub(r"[^A-Za-z0-9_-]+", "", "_".join(re.sub(r"[^A-Za-z0-9-]+", "", p) for p in parts))
    return slug[:48].strip("_-")


def file_name(stem: str, build: dict[str, Any], ext: str, f: Any = None) -> str:
    """beautyvalley_<stem>[_<filter slug>]_<build id>_<build date>.<ext> (ASCII only)."""
    date = str(build.get("date") or "undated")
    build_id = re.sub(r"[^A-Za-z0-9-]+", "", str(build.get("build_id") or "nobuild"))[:32] or "nobuild"
    slug = filter_slug(f)
    return "_".join(p for p in ("beautyvalley", stem, slug, build_id, date) if p) + "." + ext


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


# --------------------------------------------------------------------------------------
# XLSX (openpyxl): typed cells, dates with their precision, hyperlinks, Sources and
# Dictionary sheets. Every text cell is written as a string cell: none can be evaluated.

TEXT_CODE_COLUMNS = frozenset({"comune_code", "ateco", "vat", "org_id", "group_id", "province"})
DATE_COLUMNS = ("source_date", "checked", "build_date")
URL_COLUMNS = frozenset({"website", "source_url", "source_urls"})
UNITS = {"revenue_eur": "EUR", "employees": "persone / persons", "employees_min": "persone / persons",
         "employees_max": "persone / persons", "lat": "° WGS84", "lon": "° WGS84"}
_DATE_FORMATS = {"day": "yyyy-mm-dd", "month": "yyyy-mm", "year": "yyyy"}
_XLSX_CODED = ("kind", *i18n.CODED_FIELDS, "status")


def partial_date(value: Any) -> tuple[Any, str | None]:
    """'2024-05-17' -> (date, 'day'); '2024-05' -> (date(2024,5,1), 'month'); '2024' -> (.., 'year').

    Anything else (empty, text) -> (value unchanged, None)."""
    if isinstance(value, (dt.date, pd.Timestamp)):
        return (value.date() if isinstance(value, pd.Timestamp) else value), "day"
    text = str(value).strip() if value is not None and not (isinstance(value, float) and math.isnan(value)) else ""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if not m:
        return (value if text else None), None
    year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return value, None
    return date, ("day" if m[3] else "month" if m[2] else "year")


def _cell_value(value: Any) -> Any:
    value = _json_value(value)
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value if v is not None)
    return value


def _put(ws, row: int, col: int, value: Any, *, text: bool = False):
    """Write one cell; text is always a string cell (never a formula), codes keep their zeros."""
    cell = ws.cell(row=row, column=col)
    if value is None:
        return cell
    if text or isinstance(value, str):
        cell.value = str(value)
        cell.data_type = "s"  # openpyxl would take a leading '=' as a formula
        cell.number_format = "@"
    else:  # numbers and dates keep their type
        cell.value = value
    return cell


def _link(cell, url: Any) -> None:
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        cell.hyperlink = url
        cell.style = "Hyperlink"
        cell.number_format = "@"


def _dictionary_rows(df: pd.DataFrame, columns: list[str], lang: str) -> list[list[Any]]:
    """column, header, type, unit, meaning, code labels; plus one row per date precision column."""
    rows = []
    for col in columns:
        if col in DATE_COLUMNS:
            kind = "date"
        elif col in TEXT_CODE_COLUMNS:
            kind = "text (code)"
        elif col in df.columns and pd.api.types.is_numeric_dtype(df[col]) and not pd.api.types.is_bool_dtype(df[col]):
            kind = "number"
        elif col in URL_COLUMNS:
            kind = "text (URL)"
        else:
            kind = "text"
        codes = ""
        if col in _XLSX_CODED and col in df.columns:
            seen = sorted({str(v) for v in df[col].dropna()})
            if col == "status":
                codes = "; ".join(f"{c} = {i18n.t(f'status.{c}', lang=lang) if i18n.has(f'status.{c}') else c}"
                                  for c in seen)
            else:
                codes = "; ".join(f"{c} = {i18n.code_label(col, c, lang)}" for c in seen)
        rows.append([col, i18n.column_label(col, lang), kind, UNITS.get(col, ""), i18n.column_help(col, lang), codes])
        if col in DATE_COLUMNS:
            rows.append([col + "_precision", i18n.t("xlsx.precision_header", lang=lang, column=col), "text (code)",
                         "", i18n.t("xlsx.precision_help", lang=lang), i18n.t("xlsx.precision_codes", lang=lang)])
    return rows


def to_xlsx(df: pd.DataFrame, build: dict[str, Any], lang: str, *, sheet: str = "data",
            citation_text: str = "", link: str = "") -> bytes:
    """A real workbook: data sheet, "Fonti / Sources" (one row per row and source URL) and
    "Dizionario / Dictionary" (types, units, labels of every code). Codes as text, dates as
    dates with a <column>_precision column, numbers as numbers, URLs as hyperlinks."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    t = lambda key, **kw: i18n.t(key, lang=lang, **kw)  # noqa: E731
    data = df.copy()
    data["build_id"] = str(build.get("build_id", ""))
    data["build_date"] = str(build.get("date", ""))
    columns: list[str] = []
    for col in data.columns:
        if col in ("lat", "lon") and col not in df.columns:
            continue
        columns.append(col)
        if col in DATE_COLUMNS:
            columns.append(col + "_precision")

    wb = Workbook()
    ws = wb.active
    ws.title = t(f"xlsx.sheet_{sheet}")[:31]
    bold = Font(bold=True)
    for j, col in enumerate(columns, start=1):
        _put(ws, 1, j, col).font = bold
    records = data.to_dict("records")
    for i, rec in enumerate(records, start=2):
        for j, col in enumerate(columns, start=1):
            if col.endswith("_precision") and col[: -len("_precision")] in DATE_COLUMNS:
                _put(ws, i, j, partial_date(rec.get(col[: -len("_precision")]))[1], text=True)
                continue
            value = rec.get(col)
            if col in DATE_COLUMNS:
                date, precision = partial_date(value)
                cell = _put(ws, i, j, date, text=precision is None and date is not None)
                if precision:
                    cell.number_format = _DATE_FORMATS[precision]
                continue
            value = _cell_value(value)
            if col in TEXT_CODE_COLUMNS and value is not None:
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                cell = _put(ws, i, j, str(value), text=True)
            else:
                cell = _put(ws, i, j, value)
            if col in URL_COLUMNS and isinstance(value, str):
                _link(cell, value.split(LIST_SEPARATOR)[0])
    ws.freeze_panes = "A2"

    # Sources sheet: build, citation, then one row per (row, source URL)
    src = wb.create_sheet(t("xlsx.sheet_sources")[:31])
    head = [(t("xlsx.build"), str(build.get("build_id", ""))), (t("xlsx.build_date"), partial_date(build.get("date"))[0]),
            (t("xlsx.citation"), citation_text), (t("xlsx.link"), link), (t("xlsx.licences"), t("sources.licences"))]
    for i, (key, value) in enumerate(head, start=1):
        _put(src, i, 1, key, text=True).font = bold
        cell = _put(src, i, 2, value, text=isinstance(value, str))
        if key == t("xlsx.build_date") and value is not None:
            cell.number_format = "yyyy-mm-dd"
        if key == t("xlsx.link"):
            _link(cell, value)
    start = len(head) + 2
    id_col = "org_id" if "org_id" in data.columns else None
    name_col = "name" if "name" in data.columns else ("entity" if "entity" in data.columns else None)
    url_col = "source_urls" if "source_urls" in data.columns else ("source_url" if "source_url" in data.columns else None)
    headers = [c for c in (id_col, name_col) if c] + ["source_url", "source_date", "source_date_precision"]
    for j, h in enumerate(headers, start=1):
        _put(src, start, j, h, text=True).font = bold
    r = start + 1
    for rec in records:
        urls = _json_value(rec.get(url_col)) if url_col else None
        if isinstance(urls, str):
            urls = [u.strip() for u in urls.split(LIST_SEPARATOR)]
        date, precision = partial_date(rec.get("source_date"))
        for url in urls or [None]:
            values = [rec.get(c) for c in (id_col, name_col) if c]
            for j, v in enumerate(values, start=1):
                _put(src, r, j, _cell_value(v), text=True)
            cell = _put(src, r, len(values) + 1, url, text=True)
            _link(cell, url)
            dcell = _put(src, r, len(values) + 2, date, text=precision is None and date is not None)
            if precision:
                dcell.number_format = _DATE_FORMATS[precision]
            _put(src, r, len(values) + 3, precision, text=True)
            r += 1

    # Dictionary sheet
    dic = wb.create_sheet(t("xlsx.sheet_dictionary")[:31])
    dheaders = ["column", "header", "type", "unit", "meaning", "codes"]
    for j, h in enumerate(dheaders, start=1):
        _put(dic, 1, j, t(f"xlsx.dict_{h}"), text=True).font = bold
    data_cols = [c for c in columns if not c.endswith("_precision") or c[: -len("_precision")] not in DATE_COLUMNS]
    for i, row in enumerate(_dictionary_rows(data, data_cols, lang), start=2):
        for j, v in enumerate(row, start=1):
            _put(dic, i, j, v or None, text=True)

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------------------
# Citations: publisher, data licence and access date from configuration; text, BibTeX, CSL-JSON

PUBLISHER_ENV, LICENCE_ENV = "BEAUTYVALLEY_PUBLISHER", "BEAUTYVALLEY_DATA_LICENCE"
DEFAULT_PUBLISHER = "Beauty Valley"
# what data/README.md "Licences to credit" states; set $BEAUTYVALLEY_DATA_LICENCE for the compilation's own
DEFAULT_LICENCE = "CC BY 4.0 (ISTAT/Openpolis geography, ISTAT ATECO); facts belong to the cited pages"


def publication() -> dict[str, str]:
    import os
    return {"publisher": os.environ.get(PUBLISHER_ENV, "").strip() or DEFAULT_PUBLISHER,
            "licence": os.environ.get(LICENCE_ENV, "").strip() or DEFAULT_LICENCE}


def citation_full(build: dict[str, Any], filters_in_words: str, link: str, lang: str,
                  accessed: dt.date | None = None) -> str:
    """The citation with publisher, licence, build, selection, link and access date."""
    accessed = accessed or dt.date.today()
    fmt = i18n.formatter(lang)
    pub = publication()
    return i18n.t("cite.full", lang=lang, publisher=pub["publisher"], licence=pub["licence"],
                  year=str(build.get("date") or "")[:4] or "n.d.", build_id=build.get("build_id", ""),
                  date=fmt.date(build.get("date")), filters=filters_in_words, link=link,
                  accessed=fmt.date(accessed.isoformat()))


def _bib_escape(text: str) -> str:
    return re.sub(r"([{}\\\\%&$#_^~])", r"\\\1", str(text))


def citation_bibtex(build: dict[str, Any], filters_in_words: str, link: str,
                    accessed: dt.date | None = None) -> str:
    accessed = accessed or dt.date.today()
    pub = publication()
    key = "beautyvalley_" + re.sub(r"[^A-Za-z0-9]", "", str(build.get("build_id", "")))[:24]
    fields = {
        "title": f"Beauty Valley: open map of the Lombard cosmetics cluster (build {build.get('build_id', '')})",
        "author": "{" + pub["publisher"] + "}", "publisher": pub["publisher"],
        "year": str(build.get("date") or "")[:4], "date": str(build.get("date") or ""),
        "version": str(build.get("build_id", "")), "url": link, "urldate": accessed.isoformat(),
        "note": f"Selection: {filters_in_words}. Data licence: {pub['licence']}",
    }
    body = ",\n".join(
        f"  {k} = {{{v if k in ('url', 'author') else _bib_escape(v)}}}" for k, v in fields.items())
    return f"@dataset{{{key},\n{body}\n}}\n"


def citation_csl(build: dict[str, Any], filters_in_words: str, link: str,
                 accessed: dt.date | None = None) -> str:
    accessed = accessed or dt.date.today()
    pub = publication()
    date = partial_date(build.get("date"))[0]
    item = {
        "id": "beautyvalley-" + str(build.get("build_id", "")), "type": "dataset",
        "title": "Beauty Valley: open map of the Lombard cosmetics cluster",
        "author": [{"literal": pub["publisher"]}], "publisher": pub["publisher"],
        "version": str(build.get("build_id", "")), "URL": link,
        "issued": {"date-parts": [[date.year, date.month, date.day]]} if isinstance(date, dt.date) else {},
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
        "note": f"Selection: {filters_in_words}. Data licence: {pub['licence']}",
    }
    return json.dumps([item], ensure_ascii=False, indent=1)
