"""Every SQL statement the pages run, parameterised, returning small DataFrames.

Rules kept here:
- SQL text is constant. User choices travel only as named parameters ($provinces, $name, ...);
  nothing typed by a user is ever formatted into SQL.
- Pages read only the public `mart` tables (plus `meta` and the staging quality tables on
  the Sources page).
- Every result is cached with a bounded cache (ttl, max_entries) keyed by the warehouse
  build key, so a rebuilt warehouse shows new data without restarting the app.

Counting conventions (shown to users in captions):
- "organisations" = distinct group_id (an organisation with sites in two provinces counts
  once per province it is present in); "sites" = rows of mart.organisations.
- employees / revenue sums count a site-level figure per site and a company/group figure
  once per organisation (group_id), so group totals repeated on each site are not added up.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from beautyvalley import i18n, warehouse
from etl import vocab

if TYPE_CHECKING:  # pragma: no cover
    from beautyvalley.filters import Filters

CACHE = {"ttl": 3600, "max_entries": 64, "show_spinner": False}

RESEARCH_KINDS = vocab.RESEARCH_KINDS  # data/vocabularies.csv, group "research"
HEADLINE_ENTITIES = ("Lombardia", "Italia")
HEADLINE_METRICS = (
    "turnover", "exports", "share_of_national_turnover", "share_of_national_exports",
    "export_share_of_turnover", "companies", "employees",
)
BENCHMARK_ENTITY_TYPES = ("cluster", "region", "country")

# --------------------------------------------------------------------------------------
# The one organisation filter. Empty list = no restriction on that dimension.
ORG_WHERE = """
    (len($provinces::VARCHAR[]) = 0 OR list_contains($provinces::VARCHAR[], o.province))
    AND (len($comuni::VARCHAR[]) = 0 OR list_contains($comuni::VARCHAR[], o.comune_code))
    AND (len($kinds::VARCHAR[]) = 0 OR list_contains($kinds::VARCHAR[], o.kind))
    AND (len($segments::VARCHAR[]) = 0 OR list_has_any(o.segments, $segments::VARCHAR[]))
    AND (len($specialties::VARCHAR[]) = 0
         OR list_has_any(o.specialties, $specialties::VARCHAR[]))
    AND ($name = '' OR strpos(lower(strip_accents(o.name)), lower(strip_accents($name))) > 0)
    AND (len($statuses::VARCHAR[]) = 0 OR list_contains($statuses::VARCHAR[], coalesce(o.status, 'active')))
"""
FILTERED = "WITH f AS (SELECT o.* FROM mart.organisations o WHERE " + ORG_WHERE + ")\n"

# Population of the selected territory: chosen comuni, else chosen provinces, else Lombardy.
TERRITORY_POPULATION = """
    SELECT CASE
      WHEN len($comuni::VARCHAR[]) > 0 THEN
        (SELECT sum(population) FROM mart.comuni
          WHERE list_contains($comuni::VARCHAR[], comune_code))
      WHEN len($provinces::VARCHAR[]) > 0 THEN
        (SELECT sum(population) FROM mart.provinces
          WHERE list_contains($provinces::VARCHAR[], province))
      ELSE (SELECT sum(population) FROM mart.provinces)
    END
"""


def _key() -> warehouse.BuildKey:
    return warehouse.build_key()


def _fp(f: Filters) -> tuple[tuple[str, Any], ...]:
    """Hashable form of the filter parameters (cache key)."""
    return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in f.sql_params().items())


def _params(fp: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in fp}


# --------------------------------------------------------------------------------------
# Build information


@st.cache_data(**CACHE)
def _build_info(key: warehouse.BuildKey) -> dict[str, Any]:
    df = warehouse.read_df(
        key,
        "SELECT run_id, build_id, started, finished, status FROM meta.load_runs "
        "ORDER BY coalesce(finished, started) DESC NULLS LAST LIMIT 1",
    )
    info: dict[str, Any] = {"run_id": None, "build_id": None, "finished": None, "status": None}
    if len(df):
        row = df.iloc[0]
        info.update({c: (None if pd.isna(row[c]) else row[c]) for c in df.columns})
    finished = info.get("finished") or info.get("started")
    if finished is not None:
        info["date"] = pd.Timestamp(finished).strftime("%Y-%m-%d")
    else:  # no run recorded: fall back to the file's own time
        info["date"] = pd.Timestamp(key.mtime_ns, unit="ns").strftime("%Y-%m-%d")
    info["build_id"] = str(info.get("build_id") or info.get("run_id") or "unknown")
    info["run_id"] = None if info.get("run_id") is None else str(info["run_id"])
    return info


def build_info() -> dict[str, Any]:
    """run_id, build_id, date (YYYY-MM-DD), status of the build behind the open warehouse."""
    return _build_info(_key())


# --------------------------------------------------------------------------------------
# Filter options (sidebar)


@st.cache_data(**CACHE)
def _provinces(key: warehouse.BuildKey) -> pd.DataFrame:
    return warehouse.read_df(
        key,
        "SELECT province, name, population, n_organisations FROM mart.provinces ORDER BY name",
    )


def provinces() -> pd.DataFrame:
    """Lombardy's provinces: province, name, population, n_organisations."""
    return _provinces(_key())


@st.cache_data(**CACHE)
def _comuni_options(key: warehouse.BuildKey, provs: tuple[str, ...]) -> pd.DataFrame:
    return warehouse.read_df(
        key,
        """SELECT DISTINCT c.comune_code, c.name, c.province
           FROM mart.comuni c JOIN mart.organisations o ON o.comune_code = c.comune_code
           WHERE len($provinces::VARCHAR[]) = 0 OR list_contains($provinces::VARCHAR[], c.province)
           ORDER BY c.name, c.province""",
        {"provinces": list(provs)},
    )


def comuni_options(provs: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """Comuni of the chosen provinces that host at least one organisation."""
    return _comuni_options(_key(), tuple(provs))


@st.cache_data(**CACHE)
def _kinds(key: warehouse.BuildKey) -> list[str]:
    df = warehouse.read_df(
        key, "SELECT DISTINCT kind FROM mart.organisations WHERE kind IS NOT NULL ORDER BY kind"
    )
    return df["kind"].tolist()


def kinds() -> list[str]:
    return _kinds(_key())


@st.cache_data(**CACHE)
def _segments(key: warehouse.BuildKey) -> pd.DataFrame:
    return warehouse.read_df(
        key,
        "SELECT segment, label_it, label_en, description_it, description_en, ateco_classes "
        "FROM mart.segments ORDER BY segment",
    )


def segments() -> pd.DataFrame:
    """The value-chain segments with their labels in both languages."""
    return _segments(_key())


@st.cache_data(**CACHE)
def _specialties(key: warehouse.BuildKey) -> list[str]:
    df = warehouse.read_df(
        key,
        "SELECT DISTINCT unnest(specialties) AS s FROM mart.organisations ORDER BY s",
    )
    return [s for s in df["s"].tolist() if isinstance(s, str) and s]


def specialties() -> list[str]:
    return _specialties(_key())


# --------------------------------------------------------------------------------------
# Organisations


ORG_COLUMNS = (
    "org_id, group_id, name, kind, segments, specialties, ateco, comune_code, comune, province, "
    "region, lat, lon, location_precision, address, site_type, employees, employees_year, "
    "revenue_eur, revenue_year, figure_scope, founded, website, vat, cluster_role, source_urls, "
    "source_files, source_date, note"
)


@st.cache_data(**CACHE)
def _organisations(key: warehouse.BuildKey, fp: tuple) -> pd.DataFrame:
    return warehouse.read_df(
        key,
        FILTERED + "SELECT " + ORG_COLUMNS + " FROM f ORDER BY name, org_id",
        _params(fp),
    )


def organisations(f: Filters) -> pd.DataFrame:
    """The filtered organisation sites, every column of mart.organisations."""
    return _organisations(_key(), _fp(f))


@st.cache_data(**CACHE)
def _overview(key: warehouse.BuildKey, fp: tuple) -> dict[str, Any]:
    df = warehouse.read_df(
        key,
        FILTERED
        + """,
        c AS (SELECT * FROM f WHERE kind = 'company'),  -- sums and their coverage are about companies
        emp AS (  -- site figures per site, company figures once per organisation, group-wide figures never
          SELECT employees AS v FROM c WHERE employees IS NOT NULL AND figure_scope = 'site'
          UNION ALL
          SELECT max(employees) FROM c
           WHERE employees IS NOT NULL AND coalesce(figure_scope, 'company') = 'company' GROUP BY group_id),
        rev AS (
          SELECT revenue_eur AS v FROM c WHERE revenue_eur IS NOT NULL AND figure_scope = 'site'
          UNION ALL
          SELECT max(revenue_eur) FROM c
           WHERE revenue_eur IS NOT NULL AND coalesce(figure_scope, 'company') = 'company' GROUP BY group_id),
        only_group AS (  -- companies whose only known figures are group-wide
          SELECT group_id FROM c WHERE figure_scope = 'group' AND (employees IS NOT NULL OR revenue_eur IS NOT NULL)
          EXCEPT
          SELECT group_id FROM c WHERE coalesce(figure_scope, 'company') <> 'group'
            AND (employees IS NOT NULL OR revenue_eur IS NOT NULL))
        SELECT
          (SELECT count(*) FROM f) AS sites,
          (SELECT count(DISTINCT group_id) FROM f) AS organisations,
          (SELECT count(DISTINCT group_id) FROM f WHERE kind = 'company') AS companies,
          (SELECT count(DISTINCT group_id) FROM f
            WHERE list_contains(['university', 'research_centre', 'testing_lab'], kind))
            AS research,
          (SELECT count(DISTINCT group_id) FROM f WHERE kind = 'company' AND employees IS NOT NULL
             AND coalesce(figure_scope, 'company') <> 'group') AS companies_with_employees,
          (SELECT count(DISTINCT group_id) FROM f WHERE kind = 'company' AND revenue_eur IS NOT NULL
             AND coalesce(figure_scope, 'company') <> 'group') AS companies_with_revenue,
          (SELECT count(*) FROM only_group) AS groups_not_added,
          (SELECT count(DISTINCT group_id) FROM f WHERE employees IS NOT NULL)
            AS organisations_with_employees,
          (SELECT sum(v) FROM emp) AS employees,
          (SELECT sum(v) FROM rev) AS revenue_eur,
          (SELECT min(employees_year) FROM f) AS employees_year_min,
          (SELECT max(employees_year) FROM f) AS employees_year_max,
          (SELECT min(revenue_year) FROM f) AS revenue_year_min,
          (SELECT max(revenue_year) FROM f) AS revenue_year_max,
          ("""
        + TERRITORY_POPULATION
        + """) AS population
        """,
        _params(fp),
    )
    row = df.iloc[0].to_dict()
    out = {k: (None if pd.isna(v) else v) for k, v in row.items()}
    pop = out.get("population")
    out["per_100k"] = (out["organisations"] / pop * 100_000) if pop else None
    return out


def overview(f: Filters) -> dict[str, Any]:
    """Metric-card numbers for the filtered territory, with their coverage."""
    return _overview(_key(), _fp(f))


@st.cache_data(**CACHE)
def _by_province(key: warehouse.BuildKey, fp: tuple) -> pd.DataFrame:
    return warehouse.read_df(
        key,
        FILTERED
        + """SELECT f.province, p.name AS province_name, f.kind,
                  count(DISTINCT f.group_id) AS organisations, count(*) AS sites
           FROM f LEFT JOIN mart.provinces p ON p.province = f.province
           WHERE f.province IS NOT NULL
           GROUP BY ALL ORDER BY f.province, f.kind""",
        _params(fp),
    )


def by_province(f: Filters) -> pd.DataFrame:
    """Organisations per province and kind."""
    return _by_province(_key(), _fp(f))


@st.cache_data(**CACHE)
def _org_card(key: warehouse.BuildKey, org_id: str) -> pd.DataFrame:
    return warehouse.read_df(
        key,
        "SELECT " + ORG_COLUMNS + " FROM mart.organisations o WHERE o.org_id = $org_id",
        {"org_id": org_id},
    )


def org_card(org_id: str) -> dict[str, Any] | None:
    """Every field of one site, or None."""
    df = _org_card(_key(), str(org_id))
    return None if df.empty else df.iloc[0].to_dict()


@st.cache_data(**CACHE)
def _group_sites(key: warehouse.BuildKey, group_id: str, org_id: str) -> pd.DataFrame:
    return warehouse.read_df(
        key,
        """SELECT org_id, name, site_type, comune, province, address, location_precision
           FROM mart.organisations
           WHERE group_id = $group_id AND org_id <> $org_id ORDER BY province, comune, org_id""",
        {"group_id": group_id, "org_id": org_id},
    )


def group_sites(group_id: str, org_id: str) -> pd.DataFrame:
    """The other sites of the same organisation."""
    return _group_sites(_key(), str(group_id), str(org_id))


# --------------------------------------------------------------------------------------
# Map geography


@st.cache_data(**CACHE)
def _comuni_layer(key: warehouse.BuildKey, fp: tuple) -> pd.DataFrame:
    return warehouse.read_df(
        key,
        FILTERED
        + """, n AS (SELECT comune_code, count(*) AS n FROM f
                     WHERE comune_code IS NOT NULL GROUP BY comune_code)
           SELECT c.comune_code, c.name, c.province, c.population, c.area_km2, c.lat, c.lon,
                  c.geometry, coalesce(n.n, 0) AS count,
                  CASE WHEN c.population > 0
                       THEN coalesce(n.n, 0) * 10000.0 / c.population END AS density
           FROM mart.comuni c LEFT JOIN n ON n.comune_code = c.comune_code
           WHERE (len($provinces::VARCHAR[]) = 0
                  OR list_contains($provinces::VARCHAR[], c.province))
           ORDER BY c.comune_code""",
        _params(fp),
    )


def comuni_layer(f: Filters) -> pd.DataFrame:
    """Comuni of the chosen provinces with filtered site counts and sites per 10,000 people."""
    return _comuni_layer(_key(), _fp(f))


@st.cache_data(**CACHE)
def _provinces_layer(key: warehouse.BuildKey) -> pd.DataFrame:
    return warehouse.read_df(
        key,
        "SELECT province, name, population, area_km2, lat, lon, geometry, n_organisations "
        "FROM mart.provinces ORDER BY province",
    )


def provinces_layer() -> pd.DataFrame:
    """Province polygons (GeoJSON text) for the map's borders."""
    return _provinces_layer(_key())


# --------------------------------------------------------------------------------------
# Sectors


@st.cache_data(**CACHE)
def _segment_specialties(key: warehouse.BuildKey, fp: tuple) -> pd.DataFrame:
    return warehouse.read_df(
        key,
        FILTERED
        + """, seg AS (SELECT group_id, unnest(segments) AS segment, specialties FROM f),
           sp AS (SELECT group_id, segment,
                         unnest(CASE WHEN len(specialties) > 0 THEN specialties
                                     ELSE [NULL::VARCHAR] END) AS specialty FROM seg)
           SELECT segment, specialty, count(DISTINCT group_id) AS organisations
           FROM sp GROUP BY ALL ORDER BY segment, specialty NULLS LAST""",
        _params(fp),
    )


def segment_specialties(f: Filters) -> pd.DataFrame:
    """Organisations per segment and specialty (specialty NULL = none stated)."""
    return _segment_specialties(_key(), _fp(f))


@st.cache_data(**CACHE)
def _segment_province(key: warehouse.BuildKey, fp: tuple) -> pd.DataFrame:
    return warehouse.read_df(
        key,
        FILTERED
        + """, cells AS (
             SELECT province, unnest(segments) AS segment, group_id FROM f
             WHERE province IS NOT NULL),
           provs AS (SELECT province FROM mart.provinces
                     WHERE len($provinces::VARCHAR[]) = 0
                        OR list_contains($provinces::VARCHAR[], province)
                     UNION SELECT DISTINCT province FROM cells)
           SELECT s.segment, p.province, count(DISTINCT c.group_id) AS organisations
           FROM mart.segments s CROSS JOIN provs p
           LEFT JOIN cells c ON c.segment = s.segment AND c.province = p.province
           GROUP BY ALL ORDER BY s.segment, p.province""",
        _params(fp),
    )


def segment_province(f: Filters) -> pd.DataFrame:
    """Every segment x chosen province, with 0 where the territory lacks that link."""
    return _segment_province(_key(), _fp(f))


@st.cache_data(**CACHE)
def _ateco_in_use(key: warehouse.BuildKey, fp: tuple) -> pd.DataFrame:
    return warehouse.read_df(
        key,
        FILTERED
        + """SELECT f.ateco AS code, a.title_it, count(DISTINCT f.group_id) AS organisations
           FROM f LEFT JOIN mart.ateco a ON a.code = f.ateco
           WHERE f.ateco IS NOT NULL
           GROUP BY ALL ORDER BY organisations DESC, code""",
        _params(fp),
    )


def ateco_in_use(f: Filters) -> pd.DataFrame:
    """ATECO classes of the filtered organisations with their ISTAT titles."""
    return _ateco_in_use(_key(), _fp(f))


# --------------------------------------------------------------------------------------
# Indicators

IND_COLUMNS = (
    "indicator_id, entity, entity_type, metric, value, unit, year, year_basis, scope, "
    "comparable_group, source_url, source_date, note, scope_it, note_it"
)


@st.cache_data(**CACHE)
def _indicators(key: warehouse.BuildKey, entities: tuple, metrics: tuple) -> pd.DataFrame:
    return warehouse.read_df(
        key,
        "SELECT " + IND_COLUMNS + """ FROM mart.indicators
           WHERE (len($entities::VARCHAR[]) = 0 OR list_contains($entities::VARCHAR[], entity))
             AND (len($metrics::VARCHAR[]) = 0 OR list_contains($metrics::VARCHAR[], metric))
           ORDER BY entity, metric, comparable_group, year NULLS FIRST, indicator_id""",
        {"entities": list(entities), "metrics": list(metrics)},
    )


def indicators(entities: tuple | list = (), metrics: tuple | list = (), lang: str | None = None) -> pd.DataFrame:
    """Rows of mart.indicators, optionally restricted to entities and metrics; scope and note in
    `lang` (default: the session's; i18n.in_language)."""
    return i18n.in_language(_indicators(_key(), tuple(entities), tuple(metrics)), lang)


@st.cache_data(**CACHE)
def _comparable_groups(key: warehouse.BuildKey) -> pd.DataFrame:
    return warehouse.read_df(key, "SELECT * FROM mart.comparable_groups ORDER BY comparable_group")


def comparable_groups(lang: str | None = None) -> dict[str, str]:
    """comparable_group code -> what it measures, in `lang` (data/comparable_groups.csv)."""
    lang = lang or i18n.current_language()
    df = _comparable_groups(_key())
    return dict(zip(df["comparable_group"], df[f"description_{lang}"]))


def headline_indicators() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(latest, series) for the territory's headline indicators (Lombardia, Italia).

    latest: one row per entity, metric and comparable_group with the newest value and year,
    the previous value/year in the same comparable group, and the newest value's source.
    """
    series = indicators(HEADLINE_ENTITIES, HEADLINE_METRICS)
    latest = latest_values(series)
    if len(latest):  # metric order of HEADLINE_METRICS, then Lombardia before Italia, newest first
        latest = latest.assign(
            _m=latest["metric"].map(HEADLINE_METRICS.index),
            _e=latest["entity"].map(HEADLINE_ENTITIES.index),
        ).sort_values(["_m", "_e", "year"], ascending=[True, True, False])
        latest = latest.drop(columns=["_m", "_e"]).reset_index(drop=True)
    return latest, series


PROVINCE_ENTITY_PREFIX = "Provincia di "  # how data/indicators.csv names a province
COMPARISON_PROVINCES = ("CR", "LO", "MI", "BG", "MB")
OLD_FIGURE_YEARS = 5  # a figure older than this (years before the build) is marked as old


# data/indicators.csv names Monza's province as its sources do, not as ISTAT ("Monza e della Brianza")
PROVINCE_ENTITY_NAMES = {"MB": "Monza e Brianza"}


def province_entity(province: str) -> str | None:
    """The indicator entity of a province code ('CR' -> 'Provincia di Cremona')."""
    names = {**dict(zip(provinces()["province"], provinces()["name"])), **PROVINCE_ENTITY_NAMES}
    return PROVINCE_ENTITY_PREFIX + names[province] if province in names else None


def territory_indicators(f: Filters) -> tuple[str, tuple[str, ...], pd.DataFrame]:
    """(case, entities, latest) of the headline indicators for the selected territory.

    case: "province" (one province chosen and it has published figures), "province_none" (one
    province chosen, none published: the region's are shown), "several" (several provinces: the
    region's), "region" (all Lombardy). latest as latest_values(), ordered by comparable group.
    """
    region = HEADLINE_ENTITIES
    if len(f.provinces) == 1:
        entity = province_entity(f.provinces[0])
        series = indicators((entity,)) if entity else pd.DataFrame()
        if len(series):
            return "province", (entity,), _ordered(latest_values(series))
        case = "province_none"
    else:
        case = "several" if f.provinces else "region"
    latest, _series = headline_indicators()
    return case, region, latest


def _ordered(latest: pd.DataFrame) -> pd.DataFrame:
    if latest.empty:
        return latest
    return latest.sort_values(["comparable_group", "entity", "year"],
                              ascending=[True, True, False]).reset_index(drop=True)


def province_comparison(f: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(registry, published) for COMPARISON_PROVINCES under the non-territorial filters.

    registry: one row per province with overview() counts. published: every indicator of the
    provinces, one row per (metric, comparable group, year) and one value column per province.
    """
    from dataclasses import replace

    rows = []
    for p in COMPARISON_PROVINCES:
        ov = overview(replace(f, provinces=(p,), comuni=()))
        rows.append({"province": p, **ov})
    registry = pd.DataFrame(rows)
    entities = {province_entity(p): p for p in COMPARISON_PROVINCES}
    ind = indicators(tuple(e for e in entities if e))
    return registry, ind.assign(province=ind["entity"].map(entities))


LOMBARD_CLUSTER = "Cluster Cosmetico Lombardo"
FOUR_PROVINCES = ("CR", "LO", "MI", "BG")
YEARS_APART = 3  # cells of one comparison row whose years are further apart are flagged


@st.cache_data(**CACHE)
def _measures(key: warehouse.BuildKey) -> pd.DataFrame:
    return warehouse.read_df(key, "SELECT * FROM mart.measures ORDER BY \"order\"")


def measures() -> pd.DataFrame:
    """The canonical comparison measures (data/measures.csv)."""
    return _measures(_key())


@st.cache_data(**CACHE)
def _comparison(key: warehouse.BuildKey) -> pd.DataFrame:
    return warehouse.read_df(
        key,
        """WITH m AS (SELECT measure, unnest(comparable_groups) AS comparable_group FROM mart.measures),
           r AS (SELECT m.measure, i.entity, i.entity_type, i.value, i.unit, i.year, i.scope, i.scope_it,
                        i.comparable_group, i.source_url, i.source_date,
                        row_number() OVER (PARTITION BY m.measure, i.entity
                                           ORDER BY i.year DESC NULLS LAST, i.source_date DESC NULLS LAST,
                                                    i.indicator_id) AS rn
                 FROM m JOIN mart.indicators i USING (comparable_group))
           SELECT * EXCLUDE (rn) FROM r WHERE rn = 1 ORDER BY measure, entity""",
    )


def comparison(lang: str | None = None) -> pd.DataFrame:
    """Newest published figure per (canonical measure, entity), with its year, scope (in `lang`) and source."""
    return i18n.in_language(_comparison(_key()), lang)


@st.cache_data(**CACHE)
def _registry_counts(key: warehouse.BuildKey) -> dict[str, Any]:
    kinds = warehouse.read_df(
        key,
        """SELECT kind, count(DISTINCT group_id) AS n FROM mart.organisations
           WHERE cluster_role IS NOT NULL GROUP BY kind ORDER BY n DESC, kind""",
    )
    row = warehouse.read_df(
        key,
        """SELECT (SELECT count(DISTINCT group_id) FROM mart.organisations WHERE cluster_role IS NOT NULL)
                    AS members_by_kind,
                  (SELECT count(DISTINCT group_id) FROM mart.organisations
                    WHERE cluster_role IS NOT NULL AND kind = 'company') AS member_companies,
                  (SELECT count(DISTINCT group_id) FROM mart.organisations WHERE cluster_role = 'founder')
                    AS founding_members,
                  (SELECT count(*) FROM mart.organisations WHERE list_contains($provinces::VARCHAR[], province))
                    AS sites_four_provinces""",
        {"provinces": list(FOUR_PROVINCES)},
    ).iloc[0].to_dict()
    return {**{k: int(v) for k, v in row.items()}, "kinds": dict(zip(kinds["kind"], kinds["n"].astype(int)))}


def registry_counts() -> dict[str, Any]:
    """What the registry itself states about the Lombard cluster: members (and by kind), member
    companies, founding members (cluster_role), sites in the four Beauty Valley provinces."""
    return _registry_counts(_key())


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


# --------------------------------------------------------------------------------------
# Sources and quality


@st.cache_data(**CACHE)
def _source_counts(key: warehouse.BuildKey) -> pd.DataFrame:
    return warehouse.read_df(
        key,
        """WITH u AS (
             SELECT unnest(source_urls) AS source_url, 'organisations' AS dataset
             FROM mart.organisations
             UNION ALL
             SELECT source_url, 'indicators' AS dataset FROM mart.indicators)
           SELECT source_url, dataset, count(*) AS rows
           FROM u WHERE source_url IS NOT NULL AND source_url <> ''
           GROUP BY ALL ORDER BY rows DESC, source_url""",
    )


def source_counts() -> pd.DataFrame:
    """Every source URL with the number of organisation / indicator rows citing it."""
    return _source_counts(_key())


@st.cache_data(**CACHE)
def _load_files(key: warehouse.BuildKey, run_id: str | None) -> pd.DataFrame:
    return warehouse.read_df(
        key,
        """SELECT file, role, sha256, encoding, delimiter, sheet, rows_in, rows_loaded,
                  rows_merged, rows_rejected, warnings, error
           FROM meta.load_files
           WHERE $run_id IS NULL OR CAST(run_id AS VARCHAR) = $run_id
           ORDER BY role, file""",
        {"run_id": run_id},
    )


def load_files(run_id: str | None) -> pd.DataFrame:
    """Files read by the build run (all runs when run_id is None)."""
    return _load_files(_key(), run_id)


@st.cache_data(**CACHE)
def _load_runs(key: warehouse.BuildKey) -> pd.DataFrame:
    return warehouse.read_df(
        key,
        "SELECT run_id, build_id, started, finished, status, package_versions "
        "FROM meta.load_runs ORDER BY started DESC NULLS LAST",
    )


def load_runs() -> pd.DataFrame:
    return _load_runs(_key())


@st.cache_data(**CACHE)
def _coverage(key: warehouse.BuildKey, fp: tuple) -> pd.DataFrame:
    return warehouse.read_df(
        key,
        FILTERED
        + """SELECT count(*) AS sites,
                  count(employees) AS employees,
                  count(revenue_eur) AS revenue,
                  count(website) FILTER (WHERE website <> '') AS website,
                  count(*) FILTER (WHERE location_precision = 'address') AS exact_location,
                  count(*) FILTER (WHERE location_precision = 'comune') AS comune_location,
                  count(*) FILTER (WHERE lat IS NULL OR location_precision = 'unknown')
                    AS unknown_location,
                  count(founded) AS founded,
                  count(ateco) FILTER (WHERE ateco <> '') AS ateco,
                  count(vat) FILTER (WHERE vat <> '') AS vat
           FROM f""",
        _params(fp),
    )


def coverage(f: Filters) -> dict[str, int]:
    """How many of the filtered sites have each field."""
    row = _coverage(_key(), _fp(f)).iloc[0]
    return {k: int(v) for k, v in row.items()}


@st.cache_data(**CACHE)
def _rejected_rows(key: warehouse.BuildKey) -> pd.DataFrame:
    return warehouse.read_df(
        key,
        "SELECT file, line, field, value, reason FROM staging.rejected_rows "
        "ORDER BY file, line, field",
    )


def rejected_rows() -> pd.DataFrame:
    return _rejected_rows(_key())


@st.cache_data(**CACHE)
def _load_issues(key: warehouse.BuildKey) -> pd.DataFrame:
    return warehouse.read_df(
        key,
        "SELECT file, line, field, value, severity, message FROM staging.load_issues "
        "ORDER BY severity, file, line, field",
    )


def load_issues() -> pd.DataFrame:
    return _load_issues(_key())


# ---------------------------------------------------------------- issue 9: head-count classes, provenance
_SQL_DIR = Path(__file__).resolve().parent / "sql"


def _sql_file(name: str) -> str:
    return (_SQL_DIR / name).read_text(encoding="utf-8")


@st.cache_data(**CACHE)
def _class_coverage(key: warehouse.BuildKey, fp: tuple) -> dict[str, Any]:
    df = warehouse.read_df(key, FILTERED + _sql_file("class_coverage.sql"), _params(fp))
    return df.iloc[0].to_dict()


def class_coverage(f: Filters) -> dict[str, Any]:
    """Companies with a head-count class but no number (reported apart, never summed), and inactive sites hidden."""
    return _class_coverage(_key(), _fp(f))


@st.cache_data(**CACHE)
def _field_provenance(key: warehouse.BuildKey, org_id: str) -> pd.DataFrame:
    return warehouse.read_df(key, _sql_file("field_provenance.sql"), {"org_id": org_id})


def field_provenance(org_id: str) -> pd.DataFrame:
    """Per-field provenance of one site: value, source, year, shown or another value seen."""
    return _field_provenance(_key(), str(org_id))


@st.cache_data(**CACHE)
def _org_status(key: warehouse.BuildKey, org_id: str) -> pd.DataFrame:
    return warehouse.read_df(key, _sql_file("org_status.sql"), {"org_id": org_id})


def org_status(org_id: str) -> dict[str, Any] | None:
    """Status (active/closed/planned) and head-count class of one site."""
    df = _org_status(_key(), str(org_id))
    return None if df.empty else df.iloc[0].to_dict()
