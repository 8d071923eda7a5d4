"""Capabilities (mart.organisation_capabilities) in the interface language, wherever a page used to show
the registry's English specialty tags: the Sectors treemap, the organisation card, the Explore table;
and the export columns carrying the codes and both labels. Small helpers, one call each at the page.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from beautyvalley import capabilities as bc
from beautyvalley import finder_view, queries, warehouse

EXPORT_COLUMNS = ("capability_codes", "capabilities_it", "capabilities_en")


@st.cache_data(**finder_view.CACHE)
def _org_codes(key: warehouse.BuildKey) -> dict[str, list[str]]:
    df = warehouse.read_df(key, bc.sql("org_capability_codes"))
    order = {c: i for i, c in enumerate(finder_view.vocabulary()["code"])}
    return {o: sorted(cs, key=lambda c: order.get(c, len(order))) for o, cs in zip(df["org_id"], df["capabilities"])}


def org_codes(org_ids: Iterable[Any]) -> list[list[str]]:
    """The capability codes of each site, in vocabulary order ([] for none)."""
    codes = _org_codes(warehouse.build_key())
    return [list(codes.get(str(o), [])) for o in org_ids]


def label_map(lang: str) -> dict[str, str]:
    vocab = finder_view.vocabulary()
    return dict(zip(vocab["code"], vocab[f"label_{lang}"]))


def labels(org_ids: Iterable[Any], lang: str) -> list[list[str]]:
    """The capability labels of each site in `lang`."""
    lab = label_map(lang)
    return [[lab.get(c, c) for c in cs] for cs in org_codes(org_ids)]


def with_export_columns(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of organisation rows (with org_id) plus capability_codes, capabilities_it, capabilities_en."""
    out = df.copy()
    codes = org_codes(out["org_id"])
    out["capability_codes"] = codes
    for lang in ("it", "en"):
        lab = label_map(lang)
        out[f"capabilities_{lang}"] = [[lab.get(c, c) for c in cs] for cs in codes]
    return out


def on_card(card: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The card with its specialty tags replaced by the site's capabilities in `lang`."""
    out = dict(card)
    if "specialties" in out:
        out["specialties"] = labels([out.get("org_id")], lang)[0]
    return out


@queries.warehouse_query("segment_capabilities.sql", filtered=True)
def _segment_capabilities(df: pd.DataFrame) -> pd.DataFrame:
    return df


def treemap_rows(f, lang: str) -> pd.DataFrame:
    """Organisations per segment and capability (label in `lang`) for charts.segment_treemap:
    columns segment, specialty (the capability label; None = no capability), n."""
    df = _segment_capabilities(f)
    lab = label_map(lang)
    return pd.DataFrame({"segment": df["segment"],
                         "specialty": [lab.get(c, c) if isinstance(c, str) else None for c in df["capability"]],
                         "n": df["organisations"]})
