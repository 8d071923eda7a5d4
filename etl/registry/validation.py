"""Validation of registry rows: errors reject a row, warnings keep it (the field is blanked or corrected).

Works column by column on the distinct values of each field, so a million-row export costs about as
many parser calls as it has distinct values.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely
from pyproj import Transformer

from .. import vocab as vocabularies
from ..messages import text as msg_text, with_codes

from ..sources import classification
from .places import PlaceIndex
from .reading import RawTable
from .vectorised import _arrow, clean_texts, factorize, parse_numbers, parse_urls_column, parse_vats, string_lengths
from .values import (clean_text, parse_employee_class, parse_kind, parse_number, parse_sede_ul, parse_status,
                     parse_urls, parse_year, split_list, fold)

MAX_FIELD_LEN = 2000
MAX_EMPLOYEES = 1_000_000
MAX_REVENUE_EUR = 1e12
ITALY_BBOX = (35.2, 47.2, 6.5, 18.6)  # lat min, lat max, lon min, lon max
MAX_OUTSIDE_KM = 2.0
SITE_TYPES = set(vocabularies.SITE_TYPES)  # data/vocabularies.csv
FIGURE_SCOPES = set(vocabularies.FIGURE_SCOPES)
CLUSTER_ROLES = set(vocabularies.CLUSTER_ROLES)
TEXT_FIELDS = ["org_id", "group_id", "address", "note", "checked", "cluster_role_source"]
_TO_3035 = Transformer.from_crs(4326, 3035, always_xy=True)


@dataclass
class Context:
    places: PlaceIndex
    polygons: gpd.GeoSeries  # comune_code -> polygon (WGS84)
    segments: dict[str, str]  # folded code/label -> segment code
    today: date = field(default_factory=date.today)


@dataclass
class Validated:
    rows: pd.DataFrame  # typed rows that passed (one per input row, before merging)
    rejected: pd.DataFrame  # file, line, field, value, reason, code, params
    issues: pd.DataFrame  # file, line, field, value, severity, message, code, params
    history: pd.DataFrame | None = None  # file, line, field, year, value: earlier years (AIDA 'Anno - 1', 'Anno - 2')

    @property
    def rejected_lines(self) -> int:
        return int(self.rejected["line"].nunique()) if len(self.rejected) else 0


ISSUE_COLS = ["file", "line", "field", "value", "severity", "message", "code", "params"]
REJECT_COLS = ["file", "line", "field", "value", "reason", "code", "params"]


class _Collector:
    def __init__(self, file: str, lines: np.ndarray):
        self.file, self.lines = file, lines
        self.parts: list[pd.DataFrame] = []

    def add(self, mask, field_name: str, values, messages, severity: str):
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        vals = [_short(v) for v in pd.Series(values).to_numpy(dtype=object)[mask]] if not isinstance(values, str) else values
        msgs = pd.Series(messages).to_numpy(dtype=object)[mask] if not isinstance(messages, str) else messages
        self.parts.append(pd.DataFrame({
            "file": self.file, "line": self.lines[mask], "field": field_name,
            "value": vals, "severity": severity, "message": msgs,
        }))

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(columns=ISSUE_COLS)
        return with_codes(pd.concat(self.parts, ignore_index=True), "message")  # code, params (etl/messages.py)


def _series(values) -> pd.Series:
    """A column as read: a list of str/None, or an Arrow array from the columnar CSV reader (kept as
    Arrow, so a million-row file does not hold one Python string per cell for every column at once)."""
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return pd.Series(values, dtype=pd.ArrowDtype(pa.string()))
    return pd.Series(values, dtype=object)


def _omap(series: pd.Series, fn) -> pd.Series:
    """Series.map that keeps None as None (pandas 3 would infer a str dtype and turn None into NaN)."""
    return pd.Series([fn(v) for v in series.to_numpy(dtype=object)], index=series.index, dtype=object)


def _map_unique(series: pd.Series, fn, dtype: str | None = None) -> tuple[pd.Series, pd.Series]:
    """Apply fn(value) -> (parsed, message) once per distinct value; `dtype` (e.g. 'Int64') types the parsed
    values once per distinct value instead of once per row."""
    codes, uniq = factorize(series)
    results = [fn(v) for v in uniq]
    msgs = np.array([r[1] for r in results], dtype=object)
    if dtype is not None:
        typed = pd.array([r[0] for r in results], dtype=dtype)
        parsed_rows = pd.Series(typed.take(codes) if len(codes) else typed[:0], index=series.index)
    else:
        parsed = np.empty(len(results), dtype=object)
        parsed[:] = [r[0] for r in results]
        parsed_rows = pd.Series(parsed[codes], index=series.index, dtype=object)
    return parsed_rows, pd.Series(msgs[codes], index=series.index, dtype=object)


def _dropped(msgs: pd.Series) -> pd.Series:
    """'…' -> '…; dropped' on the rows with a message (no Python call per row)."""
    m = msgs.notna().to_numpy()
    out = msgs.copy()
    if m.any():
        out[m] = msgs[m].to_numpy(dtype=object) + "; dropped"
    return out


def _short(v) -> str | None:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    s = str(v)
    return s if len(s) <= 200 else s[:200] + f"… ({len(s):,} characters)"


def validate(table: RawTable, ctx: Context, *, role: str = "inbox", label: str | None = None) -> Validated:
    """role: 'registry' (the curated file: a source URL is required, an unknown comune is allowed
    and kept off the map) or 'inbox' (a user's export: the comune is required)."""
    file = label or table.path.name
    n = table.n_rows
    lines = np.asarray(table.lines, dtype=np.int64)
    cols = {f: _series(v) for f, v in table.columns.items()}
    absent = pd.Series(np.full(n, None, dtype=object), dtype=object)  # one all-missing column for every absent field
    col = lambda f: cols.get(f, absent)  # noqa: E731
    errors = _Collector(file, lines)
    warns = _Collector(file, lines)
    out = pd.DataFrame({"file": file, "line": lines})

    # Oversized values reject the row (e.g. a 10 MB line); they are shown truncated.
    too_long = np.zeros(n, dtype=bool)
    for f, s in cols.items():
        m = string_lengths(s) > MAX_FIELD_LEN
        if m.any():
            errors.add(m, f, s, _omap(s, lambda v: msg_text("value_too_long", length=f"{len(v):,}", limit=f"{MAX_FIELD_LEN:,}")
                                                 if isinstance(v, str) else None), "error")
            too_long |= m
    any_too_long = too_long.any()

    def safe(f):
        c = col(f)
        return _omap(c.mask(too_long), lambda v: None if isinstance(v, float) and v != v else v) if any_too_long else c

    name = clean_texts(safe("name"))
    errors.add(name.isna().to_numpy() & ~too_long, "name", col("name"), msg_text("name_empty"), "error")
    out["name"] = name

    # Place
    comune_raw, prov_raw = safe("comune"), safe("province")
    comune_txt, prov_txt = clean_texts(comune_raw), clean_texts(prov_raw)
    # one resolve per distinct comune/province pair (a dictionary lookup on the folded name; rapidfuzz only
    # for the names it misses), the pairs encoded by Arrow
    pairs = pc.binary_join_element_wise(pc.fill_null(_arrow(comune_txt), ""), pc.fill_null(_arrow(prov_txt), ""),
                                        pa.scalar("\x1f", pa.large_string())).dictionary_encode()
    codes_, uniq = pairs.indices.to_numpy(zero_copy_only=False), pairs.dictionary.to_pylist()
    resolved = [ctx.places.resolve(*((x or None) for x in k.split("\x1f"))) for k in uniq]
    take = lambda attr: pd.Series(np.array([getattr(r, attr) for r in resolved] + [None], dtype=object)[codes_],  # noqa: E731
                                  index=comune_raw.index, dtype=object)
    code, perr, pwarn = take("code"), take("error"), take("warning")
    missing = comune_txt.isna().to_numpy()
    allow_unplaced = role == "registry"
    err_mask = perr.notna().to_numpy() & ~too_long & ~(missing & allow_unplaced)
    if err_mask.any():
        shown = np.full(n, None, dtype=object)  # 'comune / province' as written, on the rejected rows only
        idx = np.flatnonzero(err_mask)
        shown[idx] = [" / ".join(x for x in (c, p) if x) or None
                      for c, p in zip(comune_txt.to_numpy()[idx], prov_txt.to_numpy()[idx])]
        errors.add(err_mask, "comune", shown, perr, "error")
    warns.add(pwarn.notna().to_numpy(), "comune", comune_raw, pwarn, "warning")
    out["comune_code"] = code

    kind, kerr = _map_unique(safe("kind"), parse_kind)
    errors.add(kerr.notna().to_numpy(), "kind", col("kind"), kerr, "error")
    out["kind"] = kind

    if role == "registry":
        src_missing = _omap(safe("source_url"), lambda v: not parse_urls(v)[0]).to_numpy() & ~too_long
        errors.add(src_missing, "source_url", col("source_url"),
                   msg_text("source_url_missing"), "error")

    # Warnings: the value is blanked or corrected, the row kept.
    def number(field_name, lo, hi, integer=False, scale=1.0, target=None, raw=None):
        vals, msg = parse_numbers(safe(field_name) if raw is None else raw)
        vals = vals * scale * table.units.get(field_name, (1.0, ""))[0]
        bad_range = vals.notna() & ((vals < lo) | (vals > hi))
        frac = vals.notna() & integer & (vals % 1 != 0)
        msg = msg.copy()
        if bad_range.any():
            msg[bad_range] = [msg_text("out_of_range", value=f"{v:,.0f}", lo=f"{lo:,.0f}", hi=f"{hi:,.0f}") for v in vals[bad_range]]
        msg[frac & msg.isna()] = msg_text("not_whole_number")
        warns.add(msg.notna().to_numpy(), field_name, col(field_name), msg, "warning")
        vals = vals.mask(msg.notna())
        out[target or field_name] = vals

    # Head-count classes ('10-49', '250 e oltre', '250+') are ranges, never a number: from a class column,
    # or from a class written in the employees column.
    emp_raw = safe("employees")
    none4 = tuple(pd.Series([None] * n, dtype=object) for _ in range(4))
    emp_cls = _employee_classes(emp_raw) if _may_be_class(emp_raw) else none4
    is_class = emp_cls[2].notna().to_numpy()
    if is_class.any():
        emp_raw = emp_raw.mask(pd.Series(is_class, index=emp_raw.index))
    number("employees", 0, MAX_EMPLOYEES, integer=True, raw=emp_raw)
    if "self_employed" in cols:  # Registro Imprese DIP + IND = addetti
        number("self_employed", 0, MAX_EMPLOYEES, integer=True, target="_ind")
        both = out["employees"].notna() | out["_ind"].notna()
        out["employees"] = (out["employees"].fillna(0) + out["_ind"].fillna(0)).where(both)
        out = out.drop(columns="_ind")
    cls = _employee_classes(safe("employees_class")) if "employees_class" in cols else none4
    lo_, hi_, label_, cmsg = (cls[k].where(cls[2].notna(), emp_cls[k]) for k in range(4))
    warns.add(cmsg.notna().to_numpy(), "employees_class", col("employees_class") if "employees_class" in cols else col("employees"),
              cmsg, "warning")
    out["employees_min"] = pd.array(lo_, dtype="Int64")
    out["employees_max"] = pd.array(hi_, dtype="Int64")
    out["employees_class"] = label_
    number("revenue_eur", 0, MAX_REVENUE_EUR)
    if "revenue_meur" in cols:
        number("revenue_meur", 0, MAX_REVENUE_EUR, scale=1e6, target="_rev_m")
        out["revenue_eur"] = out["revenue_eur"].fillna(out["_rev_m"])
        out = out.drop(columns="_rev_m")

    for f in ("founded", "employees_year", "revenue_year", "last_year"):
        parsed, msg = _map_unique(safe(f), lambda v: parse_year(v, hi=ctx.today.year), dtype="Int64")
        warns.add(msg.notna().to_numpy(), f, col(f), msg, "warning")
        out[f] = parsed
    # a year in the header ('Dipendenti 2025') dates the column's figures
    for sp in table.specs.values():
        y = {"employees": "employees_year", "revenue_eur": "revenue_year"}.get(sp.field)
        if sp.year and y:
            fill = out[y].isna() & (out[sp.field].notna() | (out["employees_class"].notna() if sp.field == "employees"
                                                            else False))
            out.loc[fill, y] = sp.year
    # AIDA: figures of 'Ultimo anno disp.' take the year of the file's 'Ultimo anno disp.' column
    for f, y in (("employees", "employees_year"), ("revenue_eur", "revenue_year")):
        fill = out[y].isna() & out[f].notna() & out["last_year"].notna()
        out.loc[fill, y] = out.loc[fill, "last_year"]
    history = []
    for f in sorted(c for c in cols if c.startswith(("revenue_eur_y", "employees_y")) and c[-1].isdigit()):
        base = f.rsplit("_y", 1)[0]
        k = int(f.rsplit("_y", 1)[1])
        number(f, 0, MAX_EMPLOYEES if base == "employees" else MAX_REVENUE_EUR, integer=base == "employees")
        year = out["last_year"] - k
        ok = out[f].notna()
        history.append(pd.DataFrame({"file": file, "line": out["line"][ok], "field": base,
                                     "year": year[ok].astype("Int64"), "value": out[f][ok]}))
        out = out.drop(columns=f)
    out = out.drop(columns="last_year")
    vat_raw = safe("vat")
    if "tax_code" in cols:  # a company's codice fiscale is usually its partita IVA: used when no VAT is given
        tc = safe("tax_code")
        use_tc = clean_texts(vat_raw).isna() & tc.fillna("").astype(str).str.fullmatch(r"\s*\d{8,11}\s*")
        vat_raw = vat_raw.where(~use_tc, tc) if use_tc.any() else vat_raw
    vat, vmsg = parse_vats(vat_raw)
    warns.add(vmsg.notna().to_numpy(), "vat", col("vat"), _dropped(vmsg), "warning")
    out["vat"] = vat

    def ateco_fn(v):
        t = clean_text(v)
        if t is None:
            return None, None
        r = classification.to_2025(t)
        return r.code, r.warning
    at, amsg = _map_unique(safe("ateco"), ateco_fn)
    warns.add(amsg.notna().to_numpy(), "ateco", col("ateco"), amsg, "warning")
    out["ateco"] = at

    web, wmsg = parse_urls_column(safe("website"))
    warns.add(wmsg.notna().to_numpy(), "website", col("website"), _dropped(wmsg), "warning")
    out["website"] = web

    src, smsg = _map_unique(safe("source_url"), lambda v: (lambda r: (r[0] or [], "; ".join(r[1]) or None))(parse_urls(v)))
    warns.add(smsg.notna().to_numpy(), "source_url", col("source_url"), smsg, "warning")
    out["source_urls"] = src

    def seg_fn(v):
        codes, bad = [], []
        for p in split_list(v):
            c = ctx.segments.get(fold(p))
            (codes if c else bad).append(c or p)
        return list(dict.fromkeys(codes)), (msg_text("unknown_segment", segments=", ".join(map(repr, bad))) if bad else None)
    seg, segmsg = _map_unique(safe("segment"), seg_fn)
    warns.add(segmsg.notna().to_numpy(), "segment", col("segment"), segmsg, "warning")
    out["segments"] = seg
    out["specialties"] = _map_unique(safe("specialties"), lambda v: (split_list(v), None))[0]

    def vocab(field_name, allowed):
        if field_name not in cols:  # no such column: every value missing, nothing to check
            out[field_name] = pd.Series(np.full(n, None, dtype=object), dtype=object)
            return
        vals = _map_unique(safe(field_name), lambda v: ((lambda t: t.lower().replace(" ", "_") if t else None)(clean_text(v)), None))[0]
        bad = vals.notna() & ~vals.isin(allowed)
        warns.add(bad.to_numpy(), field_name, col(field_name),
                  msg_text("not_in_vocabulary", allowed=", ".join(sorted(allowed))), "warning")
        out[field_name] = vals.mask(bad)
    vocab("site_type", SITE_TYPES)
    vocab("figure_scope", FIGURE_SCOPES)
    # SEDE/UL: a local unit is its own site of the company; the Chambers' head count of a UL row is the
    # whole company's (figure_scope company)
    role_, rmsg = _map_unique(safe("sede_ul"), parse_sede_ul) if "sede_ul" in cols else none4[:2]
    warns.add(rmsg.notna().to_numpy(), "sede_ul", col("sede_ul"), rmsg, "warning")
    out["site_role"] = role_
    is_ul = (role_ == "local_unit").to_numpy()
    out.loc[is_ul & out["site_type"].isna().to_numpy(), "site_type"] = "local_unit"
    out.loc[(role_ == "hq").to_numpy() & out["site_type"].isna().to_numpy(), "site_type"] = "hq"
    has_fig = (out["employees"].notna() | out["employees_class"].notna()).to_numpy()
    out.loc[is_ul & has_fig, "figure_scope"] = "company"
    st, stmsg = _map_unique(safe("status"), parse_status) if "status" in cols else none4[:2]
    warns.add(stmsg.notna().to_numpy(), "status", col("status"), stmsg, "warning")
    closed_name = _closed_by_name(safe("name"))
    out["status"] = st.where(st.notna() | ~closed_name, "closed")  # empty = active (the site SQL says so)
    vocab("cluster_role", CLUSTER_ROLES)

    sd = clean_texts(safe("source_date"))
    bad_sd, future_sd = _source_date_checks(sd, ctx.today.year)
    warns.add(bad_sd.to_numpy(), "source_date", col("source_date"), msg_text("source_date_invalid"), "warning")
    warns.add(future_sd.to_numpy(), "source_date", col("source_date"), msg_text("source_date_future"), "warning")
    out["source_date"] = sd.mask(bad_sd | future_sd)

    for f in TEXT_FIELDS:
        out[f] = clean_texts(safe(f))

    _coordinates(out, safe("lat"), safe("lon"), col, ctx, warns)

    err = errors.frame()
    issues = pd.concat([err, warns.frame()], ignore_index=True)
    rejected_lines = set(err["line"]) if len(errors.parts) else set()
    rejected = err.rename(columns={"message": "reason"})[REJECT_COLS]
    keep = ~out["line"].isin(rejected_lines)
    hist = pd.concat(history, ignore_index=True) if history else pd.DataFrame(columns=["file", "line", "field", "year", "value"])
    hist = hist[~hist["line"].isin(rejected_lines)].reset_index(drop=True)
    return Validated(rows=out[keep].reset_index(drop=True), rejected=rejected, issues=issues, history=hist)


def _source_date_checks(sd: pd.Series, this_year: int) -> tuple[pd.Series, pd.Series]:
    """(not a date, in the future) for cleaned source dates, on the Arrow column (no Python call per row):
    a date is YYYY, YYYY-MM or YYYY-MM-DD; in the future when its year is after this year."""
    a = _arrow(sd)
    if not pc.all(pc.fill_null(pc.string_is_ascii(a), True)).as_py():
        return _source_date_checks_scalar(sd, this_year)  # Unicode digits: Python's \d is the reference
    valid = pc.is_valid(a)
    shaped = pc.fill_null(pc.match_substring_regex(a, r"^\d{4}(-\d{2}(-\d{2})?)?$"), False)
    bad = pc.and_(valid, pc.invert(shaped))
    year = pc.cast(pc.utf8_slice_codeunits(pc.if_else(shaped, a, pa.scalar(None, a.type)), 0, 4), pa.int64())
    future = pc.fill_null(pc.greater(year, this_year), False)
    as_series = lambda m: pd.Series(m.to_numpy(zero_copy_only=False), index=sd.index)  # noqa: E731
    return as_series(bad), as_series(future)


def _source_date_checks_scalar(sd: pd.Series, this_year: int) -> tuple[pd.Series, pd.Series]:
    """Scalar twin of _source_date_checks (Python's re, one call per row): the tests' reference."""
    bad = sd.notna() & ~sd.fillna("").str.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?")
    future = sd.notna() & ~bad & (sd.fillna("").str[:4].map(lambda y: y.isdigit() and int(y) > this_year))
    return bad.astype(bool), future.astype(bool)


def _may_be_class(series: pd.Series) -> bool:
    """Cheap column test before the per-value class parser: any value with a range mark, an open-range
    word or a lone letter? (Plain numbers never are classes.)"""
    a = _arrow(series)
    m = pc.match_substring_regex(a, r"(?i)[-–+<>≤≥]|oltre|più|piu|fino|over|more|up to|^\s*da\s|^\s*[a-f]\s*$| a \d|\d a ")
    return bool(pc.any(pc.fill_null(m, False)).as_py())


def _closed_by_name(series: pd.Series) -> pd.Series:
    """'Alfa S.r.l. in liquidazione' -> True; column twin of values.status_from_name (on the Arrow column:
    no Python string per row)."""
    a = _arrow(series)
    # the pattern needs one of the two words: the regular expression runs only on the names that have one
    maybe = pc.fill_null(pc.or_(pc.match_substring(a, "liquidazione", ignore_case=True),
                                pc.match_substring(a, "fallimento", ignore_case=True)), False)
    out = np.zeros(len(a), dtype=bool)
    idx = np.flatnonzero(maybe.to_numpy(zero_copy_only=False))
    if len(idx):
        sub = pc.replace_substring_regex(pc.filter(a, maybe), r"\s+", " ")
        out[idx] = pc.fill_null(pc.match_substring_regex(sub, _CLOSED_NAME), False).to_numpy(zero_copy_only=False)
    return pd.Series(out, index=series.index)


_CLOSED_NAME = r"(?i)(^|[^a-z])in (liquidazione|fallimento)([^a-z]|$)|(^|[^a-z])fallimento([^a-z]|$)"


def _closed_by_name_regex(series: pd.Series) -> pd.Series:
    """_closed_by_name without the word pre-filter (the regular expression on every row): its reference in tests."""
    a = pc.replace_substring_regex(_arrow(series), r"\s+", " ")
    m = pc.fill_null(pc.match_substring_regex(a, _CLOSED_NAME), False)
    return pd.Series(m.to_numpy(zero_copy_only=False), index=series.index)


def _employee_classes(series: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """(min, max, label, message) per row, computed once per distinct value."""
    codes, uniq = factorize(series)
    res = [parse_employee_class(v) for v in uniq]
    cols = []
    for k in range(4):
        arr = np.empty(len(res) + 1, dtype=object)
        arr[:-1] = [r[k] for r in res]
        arr[-1] = None
        cols.append(pd.Series(arr[codes] if len(codes) else [], index=series.index, dtype=object))
    return tuple(cols)


def _coordinates(out: pd.DataFrame, lat_raw, lon_raw, col, ctx: Context, warns: _Collector) -> None:
    if not (lat_raw.notna().any() or lon_raw.notna().any()):  # no coordinates in the file: nothing to parse
        out["lat"] = out["lon"] = pd.Series(np.full(len(out), np.nan), index=out.index)
        return
    lat, lat_msg = parse_numbers(lat_raw, coordinate=True)
    lon, lon_msg = parse_numbers(lon_raw, coordinate=True)
    warns.add(lat_msg.notna().to_numpy(), "lat", col("lat"), lat_msg, "warning")
    warns.add(lon_msg.notna().to_numpy(), "lon", col("lon"), lon_msg, "warning")
    lat, lon = lat.astype("float64"), lon.astype("float64")
    both = lat.notna() & lon.notna()
    one = lat.notna() ^ lon.notna()
    warns.add(one.to_numpy(), "lat", col("lat"), msg_text("coordinates_one_missing"), "warning")
    la0, la1, lo0, lo1 = ITALY_BBOX
    inside = both & lat.between(la0, la1) & lon.between(lo0, lo1)
    swapped = both & ~inside & lon.between(la0, la1) & lat.between(lo0, lo1)
    outside = both & ~inside & ~swapped
    if not (lat.notna() | lon.notna()).any():  # no coordinates in the file: nothing to check
        out["lat"] = lat
        out["lon"] = lon
        return
    pair = pd.Series([f"{a}, {b}" for a, b in zip(lat_raw, lon_raw)], index=lat.index, dtype=object)  # as written
    warns.add(swapped.to_numpy(), "lat", pair, msg_text("coordinates_swapped"), "warning")
    warns.add(outside.to_numpy(), "lat", pair, msg_text("coordinates_outside_italy"), "warning")
    ok = inside & out["comune_code"].notna()
    if ok.any():
        idx = np.flatnonzero(ok.to_numpy())
        codes = out["comune_code"].to_numpy()[idx]
        uniq = pd.unique(codes)
        polys = gpd.GeoSeries(ctx.polygons.reindex(uniq).to_numpy(), crs=ctx.polygons.crs).to_crs(3035)
        poly_of = dict(zip(uniq, polys.to_numpy()))
        x, y = _TO_3035.transform(lon.to_numpy()[idx], lat.to_numpy()[idx])
        pts = shapely.points(x, y)
        dist_km = shapely.distance(pts, np.array([poly_of[c] for c in codes], dtype=object)) / 1000
        far = np.zeros(len(out), dtype=bool)
        far[idx] = np.nan_to_num(dist_km, nan=np.inf) > MAX_OUTSIDE_KM
        dist_full = np.full(len(out), np.nan)
        dist_full[idx] = dist_km
        msgs = pd.Series([msg_text("coordinates_outside_comune", km=f"{d:,.1f}") for d in dist_full])
        warns.add(far, "lat", pair, msgs, "warning")
        ok = ok & ~far
    out["lat"] = lat.where(ok)
    out["lon"] = lon.where(ok)
