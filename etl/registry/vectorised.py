"""Column-at-a-time versions of the hot value parsers (pyarrow compute kernels), for million-row exports.

Each function matches its scalar twin in `values.py` (tests compare them); values outside the fast
patterns fall back to the scalar parser, so behaviour is the same and only speed differs.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .values import UNKNOWN_TOKENS, _LEGAL_RE, parse_number

_UNKNOWN = pa.array(sorted(UNKNOWN_TOKENS))


def _arrow(series: pd.Series) -> pa.Array:
    if isinstance(series.dtype, pd.ArrowDtype):  # already Arrow (columnar reader): no Python objects
        arr = series.array.__arrow_array__()
        arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
        return arr.cast(pa.large_string())
    return pa.array(series.to_numpy(dtype=object), type=pa.large_string(), from_pandas=True)


def factorize(series: pd.Series) -> tuple[np.ndarray, list]:
    """(codes, distinct values) with missing values as one distinct None, like
    pd.factorize(..., use_na_sentinel=False) in order of first appearance; an Arrow-backed column is
    encoded by Arrow (no Python string per row, only one per distinct value)."""
    if isinstance(series.dtype, pd.ArrowDtype):
        enc = _arrow(series).dictionary_encode(null_encoding="encode")
        return enc.indices.to_numpy(zero_copy_only=False), enc.dictionary.to_pylist()
    codes, uniq = pd.factorize(series.to_numpy(dtype=object), use_na_sentinel=False)
    return codes, [None if isinstance(v, float) and v != v else v for v in uniq]


def _to_object(arr: pa.Array, index) -> pd.Series:
    return pd.Series(arr.to_numpy(zero_copy_only=False), index=index, dtype=object)


def distinct(series: pd.Series) -> tuple[pd.Series, np.ndarray] | None:
    """(the distinct non-missing values as an Arrow-backed Series, each row's position among them, -1 when
    missing) when the column repeats its values (at most half as many distinct values as rows), else None:
    a kernel then runs once per distinct value instead of once per row."""
    a = _arrow(series)
    enc = a.dictionary_encode()
    if 2 * len(enc.dictionary) > len(a):
        return None
    return (pd.Series(enc.dictionary, dtype=pd.ArrowDtype(pa.large_string())),
            enc.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64))


def _per_row(values: np.ndarray, codes: np.ndarray, missing) -> np.ndarray:
    """Per-distinct results back to rows (code -1: `missing`)."""
    out = np.empty(len(values) + 1, dtype=values.dtype)
    out[:-1] = values
    out[-1] = missing
    return out[codes]


def clean_texts(series: pd.Series) -> pd.Series:
    """Trim, collapse inner white space, 'unknown' tokens (n.d., -, …) to None. Twin of values.clean_text."""
    d = distinct(series)
    if d is not None:
        uniq, codes = d
        return pd.Series(_per_row(_clean_texts(uniq).to_numpy(dtype=object), codes, None), index=series.index,
                         dtype=object)
    return _clean_texts(series)


def _clean_texts(series: pd.Series) -> pd.Series:
    a = _arrow(series)
    # runs of white space to one space: only the values with a tab, newline or two spaces change (plain
    # substring searches find them; the regular expression runs on those alone)
    runs = None
    for ws in ("  ", "\t", "\n", "\r", "\f"):
        m = pc.match_substring(a, ws)
        runs = m if runs is None else pc.or_(runs, m)
    runs = pc.fill_null(runs, False)
    if pc.any(runs).as_py():
        a = pc.replace_with_mask(a, runs, pc.replace_substring_regex(pc.filter(a, runs), r"\s+", " "))
    a = pc.utf8_trim_whitespace(a)
    unknown = pc.is_in(pc.utf8_lower(a), value_set=_UNKNOWN)
    a = pc.if_else(pc.fill_null(unknown, False), pa.scalar(None, a.type), a)
    return _to_object(a, series.index)


def string_lengths(series: pd.Series) -> np.ndarray:
    return pc.fill_null(pc.utf8_length(_arrow(series)), 0).to_numpy(zero_copy_only=False)


_FAST_NUMBER = [
    (r"^-?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$", [(r"\.", ""), (",", ".")]),  # 1.234.567,89 / 80.000.000 / 1.234
    (r"^-?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$", [(",", "")]),  # 1,234,567.89 / 1,234
    (r"^-?\d+,\d+$", [(",", ".")]),  # 12,5
    (r"^-?\d+(\.\d+)?$", []),  # 12 / 12.5
]


_COORDINATE = [(r"^-?\d+[.,]\d+$", [(",", ".")])]  # 45.364 / 45,364: always a decimal


def parse_numbers(series: pd.Series, *, coordinate: bool = False) -> tuple[pd.Series, pd.Series]:
    """(float64 values, messages); twin of values.parse_number."""
    d = distinct(series)
    if d is not None:
        uniq, codes = d
        vals, msgs = _parse_numbers(uniq, coordinate)
        return (pd.Series(_per_row(vals.to_numpy(dtype=float), codes, np.nan), index=series.index),
                pd.Series(_per_row(msgs.to_numpy(dtype=object), codes, None), index=series.index, dtype=object))
    return _parse_numbers(series, coordinate)


def _parse_numbers(series: pd.Series, coordinate: bool) -> tuple[pd.Series, pd.Series]:
    a = pc.replace_substring_regex(_arrow(series), r"[\s\x{00a0}\x{202f}€]", "")
    values = np.full(len(a), np.nan)
    done = np.zeros(len(a), dtype=bool)
    for pattern, replacements in (_COORDINATE if coordinate else []) + _FAST_NUMBER:
        m = pc.fill_null(pc.match_substring_regex(a, pattern), False).to_numpy(zero_copy_only=False) & ~done
        if not m.any():
            continue
        sub = pc.filter(a, pa.array(m))
        for old, new in replacements:
            sub = pc.replace_substring_regex(sub, old, new)
        values[m] = pc.cast(sub, pa.float64()).to_numpy(zero_copy_only=False)
        done |= m
    msgs = np.full(len(a), None, dtype=object)
    rest = ~done & pc.is_valid(a).to_numpy(zero_copy_only=False)
    if rest.any():
        raw = pc.filter(_arrow(series), pa.array(rest)).to_numpy(zero_copy_only=False)  # only the unsettled rows
        codes, uniq = pd.factorize(raw, use_na_sentinel=True)
        parsed = [parse_number(u, coordinate=coordinate) for u in uniq]
        vals = np.array([p[0] if p[0] is not None else np.nan for p in parsed], dtype=float)
        ms = np.array([p[1] for p in parsed], dtype=object)
        values[rest] = vals[codes]
        msgs[rest] = ms[codes]
    return pd.Series(values, index=series.index), pd.Series(msgs, index=series.index, dtype=object)


def name_keys(series: pd.Series) -> pd.Series:
    """Twin of values.name_key: case folded, accents stripped, punctuation to spaces, legal forms removed."""
    return _to_object(name_key_array(series), series.index)


def name_key_array(series: pd.Series) -> pa.Array:
    """name_keys as an Arrow array (no Python string per row)."""
    a = pc.replace_substring_regex(_arrow(series).fill_null(""), r"[’‘´`']", " ")
    a = pc.utf8_normalize(a, "NFKD")
    a = pc.replace_substring_regex(a, r"[^\x00-\x7f]", "")
    a = pc.ascii_lower(a)
    a = pc.utf8_trim_whitespace(squeeze_non_alnum(a))
    a = pc.replace_substring_regex(pc.utf8_replace_slice(a, start=0, stop=0, replacement=" "), _LEGAL_RE.pattern, "")
    return pc.utf8_trim_whitespace(a)  # the legal forms go with the space before them: no run of spaces is left


_ALNUM = np.zeros(256, dtype=bool)
_ALNUM[np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789", dtype=np.uint8)] = True


def squeeze_non_alnum(arr: pa.Array) -> pa.Array:
    """Every run of characters other than a-z, 0-9 to one space, on the bytes of an ASCII string array
    without nulls (regex twin: replace_substring_regex(arr, '[^a-z0-9]+', ' '))."""
    arr = arr.cast(pa.large_string())
    n = len(arr)
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset:arr.offset + n + 1]
    if n == 0 or offsets[-1] == offsets[0]:
        return arr
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
    rel = offsets - offsets[0]
    alnum = _ALNUM[data]
    run_start = np.empty_like(alnum)  # the byte before is alphanumeric, or there is none in the string
    run_start[0] = True
    run_start[1:] = alnum[:-1]
    run_start[rel[:-1][rel[:-1] < len(data)]] = True
    keep = alnum | run_start  # of a run of other characters only the first byte stays (as a space)
    new = np.where(alnum, data, np.uint8(32))[keep]
    ends = np.concatenate(([0], np.cumsum(keep, dtype=np.int64)))[rel]
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(ends), pa.py_buffer(new))


def _fixed_width_digits(arr: pa.Array, width: int) -> np.ndarray:
    """(len, width) uint8 digits of an Arrow string array whose values are all `width` ASCII digits."""
    arr = arr.cast(pa.large_string())
    if len(arr) == 0:
        return np.zeros((0, width), dtype=np.uint8)
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset:arr.offset + len(arr) + 1]
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)
    return (data[offsets[0]:offsets[0] + width * len(arr)].reshape(len(arr), width) - ord("0")).astype(np.uint8)


def luhn_valid(digits: np.ndarray) -> np.ndarray:
    """Luhn check over each row of a (n, k) digit matrix (twin of stdnum.luhn.checksum == 0)."""
    d = digits[:, ::-1].astype(np.int16)
    doubled = d[:, 1::2] * 2
    total = d[:, ::2].sum(axis=1) + (doubled - 9 * (doubled > 9)).sum(axis=1)
    return total % 10 == 0


def iva_valid(digits: np.ndarray) -> np.ndarray:
    """stdnum.it.iva.validate's rules on an (n, 11) digit matrix: first seven digits not all zero, office
    code (digits 8-10) 001-100, 120, 121, 888 or 999, Luhn checksum."""
    office = digits[:, 7].astype(np.int16) * 100 + digits[:, 8] * 10 + digits[:, 9]
    ok_office = ((office >= 1) & (office <= 100)) | np.isin(office, [120, 121, 888, 999])
    return digits[:, :7].any(axis=1) & ok_office & luhn_valid(digits)


def _scalar_rest(series: pd.Series, rest: np.ndarray, fn, values: np.ndarray, msgs: np.ndarray
                 ) -> tuple[pd.Series, pd.Series]:
    """The rows a column kernel did not settle go to the scalar twin fn(value) -> (value, message), once per
    distinct value; returns (values, messages) as object Series."""
    if rest.any():
        codes, uniq = pd.factorize(series.to_numpy(dtype=object)[rest], use_na_sentinel=True)
        parsed = [fn(u) for u in uniq]
        pv = np.empty(len(parsed), dtype=object)
        pv[:] = [p[0] for p in parsed]
        pm = np.empty(len(parsed), dtype=object)
        pm[:] = [p[1] for p in parsed]
        values[rest], msgs[rest] = pv[codes], pm[codes]
    return pd.Series(values, index=series.index, dtype=object), pd.Series(msgs, index=series.index, dtype=object)


_VAT_FAST = r"^(IT)?[0-9]{1,11}$"


def parse_vats(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(partite IVA, messages); twin of values.parse_vat. The pre-check settles the values that are up to 11
    digits (after the separators and the IT prefix) with a valid checksum; every other value (invalid
    checksums, codici fiscali, unknown tokens, odd characters) goes to parse_vat, once per distinct value."""
    from .values import parse_vat

    n = len(series)
    a = pc.replace_substring_regex(pc.ascii_upper(_arrow(series)), r"[\t\n\f\r .\-/]", "")
    fast = pc.fill_null(pc.match_substring_regex(a, _VAT_FAST), False).to_numpy(zero_copy_only=False)
    vats = np.full(n, None, dtype=object)
    msgs = np.full(n, None, dtype=object)
    settled = np.zeros(n, dtype=bool)
    idx = np.flatnonzero(fast)
    if len(idx):
        sub = pc.utf8_lpad(pc.replace_substring_regex(pc.filter(a, pa.array(fast)), r"^IT", ""), width=11, padding="0")
        ok = iva_valid(_fixed_width_digits(sub, 11))
        vats[idx[ok]] = pc.filter(sub, pa.array(ok)).to_numpy(zero_copy_only=False)
        settled[idx[ok]] = True
    return _scalar_rest(series, ~settled & pc.is_valid(a).to_numpy(zero_copy_only=False), parse_vat, vats, msgs)


# ASCII-only shapes of values.parse_url (its character classes are wider: anything these do not match goes
# to parse_url itself)
_URL_PATH = r"(/[!#-;=?-~]*)?"
_HTTP_FAST = r"^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+\.?(:[0-9]+)?" + _URL_PATH + "$"
_WWW_FAST = r"^[Ww][Ww][Ww]\.[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+" + _URL_PATH + "$"


def parse_urls_column(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(web addresses, messages); twin of values.parse_url. Plain http(s):// and www. addresses are settled by
    two regular expressions on the Arrow column; the rest goes to parse_url once per distinct value."""
    from .values import parse_url

    n = len(series)
    a = pc.utf8_trim(_arrow(series), characters=" \t\n\r\f\v")
    http = pc.fill_null(pc.match_substring_regex(a, _HTTP_FAST), False)
    www = pc.fill_null(pc.match_substring_regex(a, _WWW_FAST), False)
    a = pc.if_else(www, pc.binary_join_element_wise(pa.scalar("https://", a.type), a, pa.scalar("", a.type)), a)
    settled = pc.or_(http, www).to_numpy(zero_copy_only=False)
    urls = np.full(n, None, dtype=object)
    msgs = np.full(n, None, dtype=object)
    if settled.any():
        urls[settled] = pc.filter(a, pa.array(settled)).to_numpy(zero_copy_only=False)
    return _scalar_rest(series, ~settled & pc.is_valid(a).to_numpy(zero_copy_only=False), parse_url, urls, msgs)
