"""The cosmetics value chain (`data/segments.csv`): segment codes, labels and typical ATECO classes."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..registry.values import fold
from . import classification
from .curated import read_rows

COLUMNS = ["segment", "label_it", "label_en", "description_it", "description_en", "ateco_classes"]
CODES = ["brand", "contract_manufacturer", "ingredients", "packaging", "machinery", "testing_services",
         "distribution", "services"]


class SegmentsError(Exception):
    pass


def load(path: Path) -> pd.DataFrame:
    rows = read_rows(path, COLUMNS, SegmentsError)
    for i, r in enumerate(rows, start=2):
        if r["segment"] not in CODES:
            raise SegmentsError(f"{path.name} line {i}: segment {r['segment']!r} is not one of {', '.join(CODES)}")
        for c in r["ateco_classes"].split("|"):
            if classification.title(c) is None:
                raise SegmentsError(f"{path.name} line {i}: ATECO class {c!r} is unknown")
    df = pd.DataFrame(rows)
    df["ateco_classes"] = df["ateco_classes"].str.split("|")
    return df


def vocabulary(df: pd.DataFrame) -> dict[str, str]:
    """Folded code / Italian label / English label -> segment code."""
    out: dict[str, str] = {}
    for r in df.itertuples():
        for v in (r.segment, r.segment.replace("_", " "), r.label_it, r.label_en):
            out[fold(v)] = r.segment
    return out
