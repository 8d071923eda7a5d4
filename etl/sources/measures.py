"""The comparison vocabulary (`data/measures.csv`): canonical measures with Italian and English
labels and descriptions, the comparable groups of data/indicators.csv that map onto each, and the
registry count (if any) that the Cluster Cosmetico Lombardo's registry column shows for it."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .curated import checked_rows, read_rows

COLUMNS = ["measure", "order", "label_it", "label_en", "description_it", "description_en",
           "comparable_groups", "registry"]
REGISTRY_COUNTS = {"members_by_kind", "member_companies", "founding_members", "sites_four_provinces"}
REQUIRED = ["measure", "order", "label_it", "label_en", "description_it", "description_en"]


class MeasuresError(Exception):
    pass


def load(path: Path) -> pd.DataFrame:
    rows = read_rows(path, COLUMNS, MeasuresError)
    seen_groups: dict[str, str] = {}
    for i, r in checked_rows(path, rows, REQUIRED, "measure", "measure", MeasuresError):
        if r["registry"] and r["registry"] not in REGISTRY_COUNTS:
            raise MeasuresError(f"{path.name} line {i}: registry {r['registry']!r} is not one of "
                                f"{', '.join(sorted(REGISTRY_COUNTS))}")
        for g in filter(None, r["comparable_groups"].split("|")):
            if g in seen_groups:  # a group maps onto one measure only
                raise MeasuresError(f"{path.name} line {i}: comparable group {g!r} already maps onto "
                                    f"{seen_groups[g]!r}")
            seen_groups[g] = r["measure"]
    df = pd.DataFrame(rows)
    df["order"] = df["order"].astype(int)
    df["comparable_groups"] = df["comparable_groups"].map(lambda v: [g for g in v.split("|") if g])
    df["registry"] = df["registry"].replace("", None)
    return df
