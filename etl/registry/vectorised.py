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


def _to_object(arr: pa.Array, index) -> pd.Series:
    return pd.Series(arr.to_numpy(zero_copy_only=False), index=index, dtype=object)


def clean_texts(series: pd.Series) -> pd.Series:
    """Trim, collapse inner white space, 'unknown' tokens (n.d., -, …) to None. Twin of values.clean_text."""
    a = _arrow(series)
    a = pc.utf8_trim_whitespace(pc.replace_substring_regex(a, r"\s+", " "))
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
        raw = series.to_numpy(dtype=object)
        codes, uniq = pd.factorize(raw[rest], use_na_sentinel=True)
        parsed = [parse_number(u, coordinate=coordinate) for u in uniq]
        vals = np.array([p[0] if p[0] is not None else np.nan for p in parsed], dtype=float)
        ms = np.array([p[1] for p in parsed], dtype=object)
        values[rest] = vals[codes]
        msgs[rest] = ms[codes]
    return pd.Series(values, index=series.index), pd.Series(msgs, index=series.index, dtype=object)


def name_keys(series: pd.Series) -> pd.Series:
    """Twin of values.name_key: case folded, accents stripped, punctuation to spaces, legal forms removed."""
    a = pc.replace_substring_regex(_arrow(series).fill_null(""), r"[’‘´`']", " ")
    a = pc.utf8_normalize(a, "NFKD")
    a = pc.replace_substring_regex(a, r"[^\x00-\x7f]", "")
    a = pc.ascii_lower(a)
    a = pc.replace_substring_regex(a, r"[^a-z0-9]+", " ")
    a = pc.utf8_trim_whitespace(a)
    a = pc.replace_substring_regex(pc.utf8_replace_slice(a, start=0, stop=0, replacement=" "), _LEGAL_RE.pattern, "")
    a = pc.utf8_trim_whitespace(pc.replace_substring_regex(a, r"\s+", " "))
    return _to_object(a, series.index)
