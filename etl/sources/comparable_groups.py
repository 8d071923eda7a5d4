"""The comparable-group vocabulary (`data/comparable_groups.csv`): what each `comparable_group` code
of data/indicators.csv measures, described in Italian and English (definitions only, never figures)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .segments import read_rows

COLUMNS = ["comparable_group", "description_it", "description_en"]


class ComparableGroupsError(Exception):
    pass


def load(path: Path) -> pd.DataFrame:
    rows = read_rows(path, COLUMNS, ComparableGroupsError)
    seen: set[str] = set()
    for i, r in enumerate(rows, start=2):
        for c in COLUMNS:
            if not (r[c] or "").strip():
                raise ComparableGroupsError(f"{path.name} line {i}: {c} is empty")
        if r["comparable_group"] in seen:
            raise ComparableGroupsError(f"{path.name} line {i}: comparable group {r['comparable_group']!r} repeated")
        seen.add(r["comparable_group"])
    return pd.DataFrame(rows, columns=COLUMNS)
