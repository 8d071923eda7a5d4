"""The indicator logic of the pages in pandas: newest values, shared metrics, disagreements, ordering.

Pure functions of DataFrames (rows of mart.indicators as queries.indicators returns them), no
Streamlit and no warehouse: tested on small frames without the app (tests/test_indicators.py).
queries.py runs the SQL and calls these; the pages call them on rows they already hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

HEADLINE_ENTITIES = ("Lombardia", "Italia")
HEADLINE_METRICS = (
    "turnover", "exports", "share_of_national_turnover", "share_of_national_exports",
    "export_share_of_turnover", "companies", "employees",
)
BENCHMARK_ENTITY_TYPES = ("cluster", "region", "country")
PROVINCE_ENTITY_PREFIX = "Provincia di "  # how data/indicators.csv names a province
# data/indicators.csv names Monza's province as its sources do, not as ISTAT ("Monza e della Brianza")
PROVINCE_ENTITY_NAMES = {"MB": "Monza e Brianza"}
COMPARISON_PROVINCES = ("CR", "LO", "MI", "BG", "MB")
OLD_FIGURE_YEARS = 5  # a figure older than this (years before the build) is marked as old
LOMBARD_CLUSTER = "Cluster Cosmetico Lombardo"
FOUR_PROVINCES = ("CR", "LO", "MI", "BG")
YEARS_APART = 3  # cells of one comparison row whose years are further apart are flagged


def province_entity(province: str, names: Mapping[str, str]) -> str | None:
    """The indicator entity of a province code ('CR' -> 'Provincia di Cremona'); `names`: code -> name."""
    names = {**names, **PROVINCE_ENTITY_NAMES}
    return PROVINCE_ENTITY_PREFIX + names[province] if province in names else None


def territory_case(provinces: Sequence[str], province_has_figures: bool) -> str:
    """Which headline figures a territory shows: "province" (one province chosen, with published
    figures), "province_none" (one, none published: the region's), "several" (several: the region's),
    "region" (all Lombardy)."""
    if len(provinces) == 1:
        return "province" if province_has_figures else "province_none"
    return "several" if provinces else "region"


def order_headline(latest: pd.DataFrame) -> pd.DataFrame:
    """Metric order of HEADLINE_METRICS, then Lombardia before Italia, newest first."""
    if latest.empty:
        return latest
    latest = latest.assign(
        _m=latest["metric"].map(HEADLINE_METRICS.index),
        _e=latest["entity"].map(HEADLINE_ENTITIES.index),
    ).sort_values(["_m", "_e", "year"], ascending=[True, True, False])
    return latest.drop(columns=["_m", "_e"]).reset_index(drop=True)


def order_by_group(latest: pd.DataFrame) -> pd.DataFrame:
    """By comparable group, then entity, newest first."""
    if latest.empty:
        return latest
    return latest.sort_values(["comparable_group", "entity", "year"],
                              ascending=[True, True, False]).reset_index(drop=True)


def latest_values(series: pd.DataFrame) -> pd.DataFrame:
    """Newest value per (entity, metric, comparable_group) with the previous one to compare."""
    cols = [
        "entity", "metric", "comparable_group", "unit", "scope", "value", "year",
        "previous_value", "previous_year", "source_url", "source_date", "n_years",
        "low", "high", "sources", "series",
    ]
    if series.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    keys = ["entity", "metric", "comparable_group"]
    s = series.dropna(subset=["value"]).copy()
    s["comparable_group"] = s["comparable_group"].fillna("")
    for (entity, metric, group), g in s.groupby(keys, sort=True, dropna=False):
        g = g.sort_values(["year", "source_date"], na_position="first")
        dated = g.dropna(subset=["year"])
        last = (dated if len(dated) else g).iloc[-1]
        prev = dated[dated["year"] < last["year"]] if len(dated) else dated
        prev_row = prev.iloc[-1] if len(prev) else None
        # every figure of the newest year: sources may disagree -> show the range
        same = dated[dated["year"] == last["year"]] if len(dated) else g.iloc[[-1]]
        rows.append(
            {
                "entity": entity, "metric": metric, "comparable_group": group,
                "unit": last["unit"], "scope": last["scope"], "value": last["value"],
                "year": last["year"],
                "previous_value": None if prev_row is None else prev_row["value"],
                "previous_year": None if prev_row is None else prev_row["year"],
                "source_url": last["source_url"], "source_date": last["source_date"],
                "n_years": int(dated["year"].nunique()),
                "low": same["value"].min(), "high": same["value"].max(),
                "sources": [(u, d) for u, d in zip(same["source_url"], same["source_date"])],
                # one point per year (median where sources disagree) for the sparkline
                "series": dated.groupby("year")["value"].median().tolist(),
            }
        )
    return pd.DataFrame(rows, columns=cols)


def shared_metrics(ind: pd.DataFrame, min_entities: int = 2) -> pd.DataFrame:
    """Indicator rows of the metrics that at least `min_entities` entities report."""
    if ind.empty:
        return ind
    n = ind.groupby("metric")["entity"].nunique()
    keep = n[n >= min_entities].index
    return ind[ind["metric"].isin(keep)].reset_index(drop=True)


def disagreements(ind: pd.DataFrame) -> pd.DataFrame:
    """Entity/metric/year/group combinations where sources give different values: the range."""
    cols = ["entity", "metric", "year", "comparable_group", "low", "high", "n_sources", "sources"]
    if ind.empty:
        return pd.DataFrame(columns=cols)
    d = ind.dropna(subset=["value"]).copy()
    d["comparable_group"] = d["comparable_group"].fillna("")
    d["year_key"] = d["year"].fillna(-1)
    out = []
    for (entity, metric, year, group), g in d.groupby(
        ["entity", "metric", "year_key", "comparable_group"], sort=True
    ):
        if g["value"].nunique() > 1:
            out.append(
                {
                    "entity": entity, "metric": metric,
                    "year": None if year == -1 else year, "comparable_group": group,
                    "low": g["value"].min(), "high": g["value"].max(),
                    "n_sources": int(g["source_url"].nunique()),
                    "sources": sorted(set(g["source_url"].dropna())),
                }
            )
    return pd.DataFrame(out, columns=cols)
