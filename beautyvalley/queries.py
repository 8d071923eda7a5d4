"""Every SQL statement the pages run, parameterised, returning small DataFrames.

Rules kept here:
- SQL text is constant. User choices travel only as named parameters ($provinces, $name, ...);
  nothing typed by a user is ever formatted into SQL.
- Pages read only the public `mart` tables (plus `meta` and the staging quality tables on
  the Sources page).
- One statement per file in beautyvalley/sql/ (`<name>.sql`, a comment saying what it returns,
  then the statement). A query of the filtered sites is declared `filtered=True`: it reads the
  table `f`, which the prelude sql/filtered.sql defines with filter_spec.ORG_WHERE.
- `@warehouse_query(file, filtered=...)` (and its one-line form `frame_query`, for a query whose
  result is the DataFrame as it is) is the only cache: each query has its own bounded cache
  (ttl, max_entries) keyed by the warehouse build key and its arguments (the Filters by their
  values, not the language), so a rebuilt warehouse shows new data without restarting the app.
  The decorated function receives the statement's DataFrame and shapes it (inside the cache).
- The pandas logic over indicator rows lives in beautyvalley/indicators.py (pure).

Counting conventions (shown to users in captions):
- "organisations" = distinct group_id (an organisation with sites in two provinces counts
  once per province it is present in); "sites" = rows of mart.organisations.
- employees / revenue sums count a site-level figure per site and a company/group figure
  once per organisation (group_id), so group totals repeated on each site are not added up.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from beautyvalley import i18n, warehouse
from beautyvalley import indicators as ind
from beautyvalley.filter_spec import ORG_WHERE, Filters
from beautyvalley.indicators import (  # noqa: F401  (the pages read these as queries.X)
    BENCHMARK_ENTITY_TYPES,
    COMPARISON_PROVINCES,
    FOUR_PROVINCES,
    HEADLINE_ENTITIES,
    HEADLINE_METRICS,
    LOMBARD_CLUSTER,
    OLD_FIGURE_YEARS,
    YEARS_APART,
)

CACHE = {"ttl": 3600, "max_entries": 64, "show_spinner": False}
SQL_DIR = Path(__file__).resolve().parent / "sql"
_ORG_WHERE_MARKER = "/* filter_spec.ORG_WHERE */ TRUE"
QUERIES: list[Callable[..., Any]] = []  # every decorated query (tests check their caches)


# --------------------------------------------------------------------------------------
# The query layer


def sql_file(name: str) -> str:
    """The text of beautyvalley/sql/<name> (constant SQL: never formatted with values)."""
    return (SQL_DIR / name).read_text(encoding="utf-8")


def _body(text: str) -> str:
    """The statement without its leading comment lines."""
    lines = text.splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("--")):
        lines.pop(0)
    return "\n".join(lines)


def filtered_statement(text: str) -> str:
    """`WITH f AS (<sql/filtered.sql with ORG_WHERE>)` before a statement over `f` (its own CTEs follow)."""
    prelude = sql_file("filtered.sql")
    assert _ORG_WHERE_MARKER in prelude, "sql/filtered.sql lost its ORG_WHERE marker"
    head = "WITH f AS (\n" + prelude.replace(_ORG_WHERE_MARKER, ORG_WHERE) + "\n)"
    body = _body(text)
    if body[:5].upper() == "WITH ":
        return head + ",\n" + body[5:]
    return head + "\n" + body


def _plain(value: Any, annotation: Any) -> Any:
    """A hashable argument: sequences as tuples, ids annotated `str` as text."""
    if isinstance(value, (list, tuple)):
        return tuple(value)
    if annotation == "str" and value is not None:
        return str(value)
    return value


def _declare(name: str, filtered: bool, shape: Callable[..., Any], params: list[inspect.Parameter]) -> Any:
    """The public query: cached per build key and arguments, shaping the statement's DataFrame."""
    statement = filtered_statement(sql_file(name)) if filtered else sql_file(name)
    names = [p.name for p in params]

    def run(key: warehouse.BuildKey, filter_key: tuple | None, args: tuple) -> Any:
        bound = {k: list(v) if isinstance(v, tuple) else v for k, v in (*(filter_key or ()), *zip(names, args))}
        return shape(warehouse.read_df(key, statement, bound or None), *args)

    # st.cache_data tells caches apart by qualified name and source: one name per query and text
    digest = hashlib.sha256((statement + inspect.getsource(shape)).encode()).hexdigest()[:12]
    run.__qualname__ = run.__name__ = f"{shape.__name__}[{name}:{digest}]"
    cached = st.cache_data(**CACHE)(run)
    lead = [inspect.Parameter("f", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation="Filters")] if filtered else []
    signature = inspect.Signature([*lead, *params])

    @functools.wraps(shape)
    def query(*args: Any, **kwargs: Any) -> Any:
        call = signature.bind(*args, **kwargs)
        call.apply_defaults()
        rest = tuple(_plain(call.arguments[p.name], p.annotation) for p in params)
        return cached(warehouse.build_key(), call.arguments["f"].key() if filtered else None, rest)

    query.__signature__ = signature  # type: ignore[attr-defined]
    query.uncached = run  # type: ignore[attr-defined]  # bench/run.py times the statement itself
    query.cached = cached  # type: ignore[attr-defined]
    QUERIES.append(query)
    return query


def warehouse_query(name: str, *, filtered: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a query: the statement in sql/<name>, its result shaped by the decorated function.

    The decorated function's parameters after the DataFrame are the statement's `$name` parameters
    (lists bound as lists). With `filtered=True` the caller passes the Filters first: the statement
    reads the filtered sites `f` and gets every filter parameter. Callers call it without the
    DataFrame: `overview(f)`, `org_card(org_id)`. The result is cached per build key and arguments."""

    def decorate(shape: Callable[..., Any]) -> Callable[..., Any]:
        return _declare(name, filtered, shape, list(inspect.signature(shape).parameters.values())[1:])

    return decorate


def _as_is(df: pd.DataFrame, *args: Any) -> pd.DataFrame:
    return df


def frame_query(name: str, doc: str, *params: str, filtered: bool = False) -> Callable[..., pd.DataFrame]:
    """A query whose result is the statement's DataFrame as it is, declared in one line:
    `provinces = frame_query("provinces.sql", "<docstring>", *params)`; `params`: its `$name`
    parameters in call order (lists as lists, other values as text)."""
    query = _declare(name, filtered, _as_is, [
        inspect.Parameter(p, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation="str") for p in params])
    query.__name__ = query.__qualname__ = name.removesuffix(".sql")
    query.__doc__ = doc
    return query


# --------------------------------------------------------------------------------------
# Build information


_build_runs = frame_query("build_info.sql", "The newest build run recorded in the warehouse.")


def build_info() -> dict[str, Any]:
    """run_id, build_id, date (YYYY-MM-DD), status of the build behind the open warehouse."""
    df = _build_runs()
    info: dict[str, Any] = {"run_id": None, "build_id": None, "finished": None, "status": None}
    if len(df):
        row = df.iloc[0]
        info.update({c: (None if pd.isna(row[c]) else row[c]) for c in df.columns})
    finished = info.get("finished") or info.get("started")
    if finished is not None:
        info["date"] = pd.Timestamp(finished).strftime("%Y-%m-%d")
    else:  # no run recorded: fall back to the file's own time
        info["date"] = pd.Timestamp(warehouse.build_key().mtime_ns, unit="ns").strftime("%Y-%m-%d")
    info["build_id"] = str(info.get("build_id") or info.get("run_id") or "unknown")
    info["run_id"] = None if info.get("run_id") is None else str(info["run_id"])
    return info


# --------------------------------------------------------------------------------------
# Filter options (sidebar)


provinces = frame_query("provinces.sql", "Lombardy's provinces: province, name, population, n_organisations.")


comuni_options = frame_query("comuni_options.sql", "Comuni of the chosen provinces that host at least one organisation.",
                             "provinces")


@warehouse_query("kinds.sql")
def kinds(df: pd.DataFrame) -> list[str]:
    return df["kind"].tolist()


segments = frame_query("segments.sql", "The value-chain segments with their labels in both languages.")


@warehouse_query("specialties.sql")
def specialties(df: pd.DataFrame) -> list[str]:
    return [s for s in df["s"].tolist() if isinstance(s, str) and s]


# --------------------------------------------------------------------------------------
# Organisations


@warehouse_query("organisations.sql", filtered=True)
def organisations(df: pd.DataFrame, max_rows: int | None = None) -> pd.DataFrame:
    """The filtered organisation sites (the columns the pages and downloads show), ordered by name;
    the first `max_rows` of them (None: every one)."""
    return df


def organisations_all(f: Filters) -> pd.DataFrame:
    """Every filtered site, like organisations(f), read without the cache: a download at a million
    sites is built when its button is pressed and is too large to keep in memory (issue 15)."""
    return organisations.uncached(warehouse.build_key(), f.key(), (None,))


@warehouse_query("site_count.sql", filtered=True)
def site_count(df: pd.DataFrame) -> int:
    """The number of filtered sites."""
    return int(df["sites"].iloc[0])


def _none_for_na(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (None if pd.isna(v) else v) for k, v in row.items()}


@warehouse_query("overview.sql", filtered=True)
def overview(df: pd.DataFrame) -> dict[str, Any]:
    """Metric-card numbers for the filtered territory, with their coverage."""
    out = _none_for_na(df.iloc[0].to_dict())
    pop = out.get("population")
    out["per_100k"] = (out["organisations"] / pop * 100_000) if pop else None
    return out


by_province = frame_query("by_province.sql", "Organisations per province and kind.", filtered=True)


def _first_row(df: pd.DataFrame) -> dict[str, Any] | None:
    return None if df.empty else df.iloc[0].to_dict()


@warehouse_query("org_card.sql")
def org_card(df: pd.DataFrame, org_id: str) -> dict[str, Any] | None:
    """Every field of one site, or None."""
    return _first_row(df)


group_sites = frame_query("group_sites.sql", "The other sites of the same organisation.", "group_id", "org_id")


# --------------------------------------------------------------------------------------
# Map geography


comuni_layer = frame_query("comuni_layer.sql",
                           "Comuni of the chosen provinces with filtered site counts and sites per 10,000 people.", filtered=True)


provinces_layer = frame_query("provinces_layer.sql", "Province polygons (GeoJSON text) for the map's borders.")


map_comune_counts = frame_query("map_comune_counts.sql",
                                "The filtered sites per comune: centroid, sites, located, approximate, most frequent kind "
                                "(a row with comune_code NULL for sites without a comune).", filtered=True)


map_sites = frame_query("map_sites.sql", "The filtered sites with the columns the map draws (maps.points_data).",
                        filtered=True)


# --------------------------------------------------------------------------------------
# Sectors


segment_specialties = frame_query("segment_specialties.sql",
                                  "Organisations per segment and specialty (specialty NULL = none stated).", filtered=True)


segment_province = frame_query("segment_province.sql",
                               "Every segment x chosen province, with 0 where the territory lacks that link.", filtered=True)


ateco_in_use = frame_query("ateco_in_use.sql",
                           "ATECO classes of the filtered organisations with their ISTAT titles.", filtered=True)


# --------------------------------------------------------------------------------------
# Indicators (the pandas logic: beautyvalley/indicators.py)


_indicators = frame_query("indicators.sql", "Rows of mart.indicators of the entities and metrics (empty = all).",
                          "entities", "metrics")


def indicators(entities: tuple | list = (), metrics: tuple | list = (), lang: str | None = None) -> pd.DataFrame:
    """Rows of mart.indicators, optionally restricted to entities and metrics; scope and note in
    `lang` (default: the session's; i18n.in_language)."""
    return i18n.in_language(_indicators(tuple(entities), tuple(metrics)), lang)


_comparable_groups = frame_query("comparable_groups.sql", "mart.comparable_groups (both languages).")


def comparable_groups(lang: str | None = None) -> dict[str, str]:
    """comparable_group code -> what it measures, in `lang` (data/comparable_groups.csv)."""
    lang = lang or i18n.current_language()
    df = _comparable_groups()
    return dict(zip(df["comparable_group"], df[f"description_{lang}"]))


def headline_indicators() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(latest, series) for the territory's headline indicators (Lombardia, Italia).

    latest: one row per entity, metric and comparable_group with the newest value and year,
    the previous value/year in the same comparable group, and the newest value's source.
    """
    series = indicators(HEADLINE_ENTITIES, HEADLINE_METRICS)
    return ind.order_headline(ind.latest_values(series)), series


def province_entity(province: str) -> str | None:
    """The indicator entity of a province code ('CR' -> 'Provincia di Cremona')."""
    df = provinces()
    return ind.province_entity(province, dict(zip(df["province"], df["name"])))


def territory_indicators(f: Filters) -> tuple[str, tuple[str, ...], pd.DataFrame]:
    """(case, entities, latest) of the headline indicators for the selected territory.

    case: indicators.territory_case. latest as latest_values(), ordered by comparable group for one
    province, as headline_indicators() for the region.
    """
    series = pd.DataFrame()
    entity = province_entity(f.provinces[0]) if len(f.provinces) == 1 else None
    if entity:
        series = indicators((entity,))
    case = ind.territory_case(f.provinces, bool(len(series)))
    if case == "province":
        return case, (entity,), ind.order_by_group(ind.latest_values(series))
    latest, _series = headline_indicators()
    return case, HEADLINE_ENTITIES, latest


def province_comparison(f: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(registry, published) for COMPARISON_PROVINCES under the non-territorial filters.

    registry: one row per province with overview() counts. published: every indicator of the
    provinces, one row per (metric, comparable group, year) and one value column per province.
    """
    registry = pd.DataFrame([{"province": p, **overview(replace(f, provinces=(p,), comuni=()))}
                             for p in COMPARISON_PROVINCES])
    entities = {province_entity(p): p for p in COMPARISON_PROVINCES}
    rows = indicators(tuple(e for e in entities if e))
    return registry, rows.assign(province=rows["entity"].map(entities))


measures = frame_query("measures.sql", "The canonical comparison measures (data/measures.csv).")


_comparison = frame_query("comparison.sql", "Newest figure per (measure, entity), scope in both languages.")


def comparison(lang: str | None = None) -> pd.DataFrame:
    """Newest published figure per (canonical measure, entity), with its year, scope (in `lang`) and source."""
    return i18n.in_language(_comparison(), lang)


@warehouse_query("registry_kinds.sql")
def _registry_kinds(df: pd.DataFrame) -> dict[str, int]:
    return dict(zip(df["kind"], df["n"].astype(int)))


@warehouse_query("registry_counts.sql")
def _registry_counts(df: pd.DataFrame, provinces: tuple[str, ...]) -> dict[str, int]:
    return {k: int(v) for k, v in df.iloc[0].to_dict().items()}


def registry_counts() -> dict[str, Any]:
    """What the registry itself states about the Lombard cluster: members (and by kind), member
    companies, founding members (cluster_role), sites in the four Beauty Valley provinces."""
    return {**_registry_counts(FOUR_PROVINCES), "kinds": _registry_kinds()}


# --------------------------------------------------------------------------------------
# Sources and quality


source_counts = frame_query("source_counts.sql",
                            "Every source URL with the number of organisation / indicator rows citing it.")


load_files = frame_query("load_files.sql", "Files read by the build run (all runs when run_id is None).", "run_id")


load_runs = frame_query("load_runs.sql", "Every build run, newest first.")


@warehouse_query("coverage.sql", filtered=True)
def coverage(df: pd.DataFrame) -> dict[str, int]:
    """How many of the filtered sites have each field."""
    return {k: int(v) for k, v in df.iloc[0].items()}


rejected_rows = frame_query("rejected_rows.sql", "Rows the build rejected, field by field.")


load_issues = frame_query("load_issues.sql", "Warnings and errors the build recorded.")


# ---------------------------------------------------------------- issue 9: head-count classes, provenance


@warehouse_query("class_coverage.sql", filtered=True)
def class_coverage(df: pd.DataFrame) -> dict[str, Any]:
    """Companies with a head-count class but no number (reported apart, never summed), and inactive sites hidden."""
    return df.iloc[0].to_dict()


field_provenance = frame_query("field_provenance.sql",
                               "Per-field provenance of one site: value, source, year, shown or another value seen.", "org_id")


@warehouse_query("org_status.sql")
def org_status(df: pd.DataFrame, org_id: str) -> dict[str, Any] | None:
    """Status (active/closed/planned) and head-count class of one site."""
    return _first_row(df)
