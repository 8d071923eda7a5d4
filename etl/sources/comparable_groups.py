"""The comparable-group vocabulary (`data/comparable_groups.csv`): what each `comparable_group` code
of data/indicators.csv measures, described in Italian and English (definitions only, never figures)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .curated import checked_rows, read_rows

COLUMNS = ["comparable_group", "description_it", "description_en"]


class ComparableGroupsError(Exception):
    pass


def load(path: Path) -> pd.DataFrame:
    rows = read_rows(path, COLUMNS, ComparableGroupsError)
    checked_rows(path, rows, COLUMNS, "comparable_group", "comparable group", ComparableGroupsError)
    return pd.DataFrame(rows, columns=COLUMNS)
