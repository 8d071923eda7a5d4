"""Duplicates: rows with the same partita IVA, or the same normalised name in the same comune, are one
organisation site. Sites are the connected components of those two relations (label propagation)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .vectorised import name_keys


def add_name_keys(rows: pd.DataFrame) -> pd.Series:
    return name_keys(rows["name"])


def site_labels(rows: pd.DataFrame) -> np.ndarray:
    """A label per row; rows sharing a label are one site. Needs columns vat, name_key, comune_code."""
    n = len(rows)
    label = np.arange(n, dtype=np.int64)
    if n == 0:
        return label
    keys = []
    vat = rows["vat"]
    if vat.notna().any():
        keys.append(pd.Series(pd.factorize(vat)[0]).where(vat.notna().to_numpy(), -1).to_numpy())
    placed = rows["comune_code"].notna().to_numpy() & (rows["name_key"].fillna("") != "").to_numpy()
    nk = (rows["name_key"].fillna("") + "\x1f" + rows["comune_code"].fillna("")).to_numpy(dtype=object)
    keys.append(np.where(placed, pd.factorize(nk)[0], -1))
    for _ in range(50):
        before = label.copy()
        for k in keys:
            m = k >= 0
            if not m.any():
                continue
            mins = pd.Series(label[m]).groupby(k[m]).transform("min").to_numpy()
            label[m] = np.minimum(label[m], mins)
        # follow chains: label of my label
        label = label[label]
        if np.array_equal(before, label):
            break
    return label
