"""Duplicates: rows with the same partita IVA, or the same normalised name in the same comune, are one
organisation site. Sites are the connected components of those two relations (label propagation)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .vectorised import name_keys


def add_name_keys(rows: pd.DataFrame) -> pd.Series:
    return name_keys(rows["name"])


def site_keys(rows: pd.DataFrame) -> pd.Series:
    """Where a company's site is: its comune, plus the folded address for a local unit (two units of one
    company may share a comune; a unit without an address is the company's site in that comune)."""
    comune = rows["comune_code"].fillna("")
    if "site_role" not in rows or not (rows["site_role"] == "local_unit").any():
        return comune
    ul = (rows["site_role"] == "local_unit").to_numpy()
    addr = name_keys(rows["address"].where(ul)).where(ul, "")
    return comune.str.cat(addr.fillna(""), sep="\x1f").str.rstrip("\x1f")


def site_labels(rows: pd.DataFrame) -> np.ndarray:
    """A label per row; rows sharing a label are one site: same company (partita IVA, or normalised name)
    at the same place (`site_key`: comune, and address for local units). A head office and a local unit of
    one company in different comuni are two sites, so the head office never moves to a plant's town.
    Needs columns vat, name_key, comune_code (and site_key)."""
    n = len(rows)
    label = np.arange(n, dtype=np.int64)
    if n == 0:
        return label
    # keys as integer pairs (company code, place code): no per-row key strings for a million-row file
    place = rows["site_key"] if "site_key" in rows else rows["comune_code"].fillna("")
    place_code = pd.factorize(place.to_numpy(dtype=object))[0].astype(np.int64)
    vat = rows["vat"]
    vat_code = pd.factorize(vat.to_numpy(dtype=object))[0].astype(np.int64)
    placed = rows["comune_code"].notna().to_numpy() & (rows["name_key"].fillna("") != "").to_numpy()
    name_code = np.where(placed, pd.factorize(rows["name_key"].fillna("").to_numpy(dtype=object))[0], -1)
    return labels_from_codes(place_code, [np.where(vat.notna().to_numpy(), vat_code, -1), name_code])


def labels_from_codes(place_code: np.ndarray, companies: list[np.ndarray]) -> np.ndarray:
    """site_labels on integer codes: place_code per row (>= 0), and per company key a code per row (-1: the
    row has no such key). Rows with the same company code at the same place are one site; sites are the
    connected components (label: the lowest row position of the component)."""
    n = len(place_code)
    label = np.arange(n, dtype=np.int64)
    if n == 0:
        return label
    n_place = int(place_code.max()) + 1
    keys = []  # (rows with the key, their dense key code, number of codes)
    for c in companies:
        rows = np.flatnonzero(c >= 0)
        if len(rows):
            k, uniq = pd.factorize(c[rows] * n_place + place_code[rows])
            keys.append((rows, k, len(uniq)))
    for _ in range(50):
        before = label.copy()
        for rows, k, n_keys in keys:
            mins = np.full(n_keys, n, dtype=np.int64)
            np.minimum.at(mins, k, label[rows])  # the lowest label of each key
            label[rows] = np.minimum(label[rows], mins[k])
        # follow chains: label of my label
        label = label[label]
        if np.array_equal(before, label):
            break
    return label
