"""Territory brief: a printable one-to-two-page A4 PDF of the current selection.

`build_brief(filters, lang)` returns the PDF bytes; `brief_context()` gathers every figure with its
year, scope and source (all numbers through the query functions in queries.py and the formatters
in i18n.py); `render_html()` fills templates/brief.html (Jinja2, autoescaped: data text such as
a name `<img src=x onerror=alert(1)>` prints as text); WeasyPrint turns the HTML into PDF with the
fonts embedded (DejaVu Sans, Debian's fonts-dejavu-core). The map is an SVG drawn from the
warehouse's boundaries and site points (maps.static_map_svg): no basemap, no network, no browser.

No Streamlit import here: the dashboard (app_pages/overview.py) and the command line
(`python -m beautyvalley brief`) both call build_brief().
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pandas as pd

from beautyvalley import export, filters, i18n, indicators, maps, queries
from beautyvalley.filters import Filters
from beautyvalley.formatting import as_list, safe_url, split_urls

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "brief.html"
LARGEST_ROWS = 8
BENCHMARK_ROWS = 8
DEFAULT_BASE_URL = "http://localhost:8501/"
_STOPWORDS = {"provincia", "di", "del", "della", "e", "città", "metropolitana"}


def _env():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


# --------------------------------------------------------------------------------------
# Pieces of the brief


def _source(urls: Any, date: Any = None) -> dict[str, Any]:
    """A source for the template: [(text, safe href or None)] and a date text."""
    links = [(u, safe_url(u)) for one in as_list(urls) for u in split_urls(one)]
    return {"links": links, "text": None,
            "date": None if date in (None, "") or date != date else str(date)[:10]}


def _text_source(text: str) -> dict[str, Any]:
    return {"links": [], "text": text, "date": None}


def territory_name(f: Filters, lang: str) -> str:
    """'Crema (CR)', 'Cremona', 'Cremona, Lodi', or 'Lombardy (all provinces)'."""
    if f.comuni:
        com = queries.comuni_layer(Filters(provinces=()))
        names = dict(zip(com["comune_code"], com["name"] + " (" + com["province"] + ")"))
        return ", ".join(names.get(c, c) for c in f.comuni)
    if not f.provinces:
        return i18n.t("brief.all_lombardy", lang=lang)
    prov = queries.provinces()
    names = dict(zip(prov["province"], prov["name"]))
    return ", ".join(names.get(p, p) for p in f.provinces)


def focus_provinces(f: Filters) -> list[str]:
    """The provinces the brief is about: the chosen ones, those of the chosen comuni, or all."""
    if f.comuni:
        com = queries.comuni_layer(Filters(provinces=()))
        return sorted(set(com.loc[com["comune_code"].isin(f.comuni), "province"]))
    if f.provinces:
        return list(f.provinces)
    return queries.provinces()["province"].tolist()


def _n_urls(rows: pd.DataFrame) -> int:
    return len({u for v in rows["source_urls"] for u in as_list(v)}) if len(rows) else 0


def kpis(f: Filters, orgs: pd.DataFrame, build: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The Overview's metric cards, each with its coverage, year, scope and source."""
    ov = queries.overview(f)
    n = lambda v: i18n.fmt_int(v, lang)  # noqa: E731
    t = lambda key, **kw: i18n.t(key, lang=lang, **kw)  # noqa: E731
    as_of = t("brief.year_build", date=i18n.fmt_date(build["date"], lang))
    registry = t("brief.source_registry", build_id=build["build_id"], n=n(_n_urls(orgs)))
    companies = orgs[orgs["kind"] == "company"] if len(orgs) else orgs
    not_group = companies["figure_scope"].fillna("company") != "group" if len(orgs) else []
    with_emp = companies[companies["employees"].notna() & not_group] if len(orgs) else orgs
    with_rev = companies[companies["revenue_eur"].notna() & not_group] if len(orgs) else orgs
    coverage_emp = t("overview.coverage_employees", known=n(ov["companies_with_employees"]),
                      total=n(ov["companies"]))
    if ov["groups_not_added"]:
        coverage_emp += "; " + t("overview.groups_not_added", n=n(ov["groups_not_added"]))
    coverage_rev = t("overview.coverage_revenue", known=n(ov["companies_with_revenue"]),
                      total=n(ov["companies"]))
    years = lambda a, b: (t("brief.years_range", start=i18n.fmt_year(a), end=i18n.fmt_year(b))  # noqa: E731
                          if a != b else i18n.fmt_year(a))
    return [
        {"key": "organisations", "label": t("overview.organisations"), "value": n(ov["organisations"]),
         "year": as_of, "scope": t("brief.scope_organisations", sites=n(ov["sites"])),
         "source": _text_source(registry)},
        {"key": "companies", "label": t("overview.companies"), "value": n(ov["companies"]),
         "year": as_of, "scope": t("brief.scope_companies"), "source": _text_source(registry)},
        {"key": "research", "label": t("overview.research"), "value": n(ov["research"]),
         "year": as_of, "scope": t("brief.scope_research"), "source": _text_source(registry)},
        {"key": "employees", "label": t("overview.employees"), "value": n(ov["employees"]),
         "year": years(ov["employees_year_min"], ov["employees_year_max"]),
         "scope": t("brief.scope_employees", coverage=coverage_emp),
         "source": _text_source(t("brief.source_registry", build_id=build["build_id"],
                                   n=n(_n_urls(with_emp))))},
        {"key": "revenue", "label": t("overview.revenue"), "value": i18n.fmt_eur(ov["revenue_eur"], lang),
         "year": years(ov["revenue_year_min"], ov["revenue_year_max"]),
         "scope": t("brief.scope_revenue", coverage=coverage_rev),
         "source": _text_source(t("brief.source_registry", build_id=build["build_id"],
                                   n=n(_n_urls(with_rev))))},
        {"key": "density", "label": t("overview.density"),
         "value": i18n.fmt_number(ov["per_100k"], lang, decimals=1), "year": "2023 / " + as_of,
         "scope": t("brief.scope_density", population=n(ov["population"])),
         "source": _text_source(t("brief.source_population", build_id=build["build_id"]))},
    ]


def segments_table(orgs: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    """Every value-chain segment with its distinct organisations in the selection (0 = a gap)."""
    seg = queries.segments()
    if len(orgs):
        exploded = orgs[["group_id", "segments"]].assign(segment=orgs["segments"].map(as_list))
        exploded = exploded.explode("segment").dropna(subset=["segment"])
        counts = exploded.groupby("segment")["group_id"].nunique().to_dict()
    else:
        counts = {}
    return [{"segment": s, "label": label or s, "organisations": int(counts.get(s, 0)),
             "value": i18n.fmt_int(counts.get(s, 0), lang)}
            for s, label in zip(seg["segment"], seg[f"label_{lang}"])]


def largest(orgs: pd.DataFrame, lang: str, limit: int = LARGEST_ROWS) -> list[dict[str, Any]]:
    """The largest organisations by known head count: a site figure per site, a company figure
    once per organisation (its largest), group-wide figures never (same rule as the KPIs)."""
    if orgs.empty:
        return []
    known = orgs[orgs["employees"].notna()].copy()
    known["scope_code"] = known["figure_scope"].fillna("company")
    known = known[known["scope_code"] != "group"].sort_values(["employees", "org_id"], ascending=[False, True])
    sites = known[known["scope_code"] == "site"]
    companies = known[known["scope_code"] != "site"].drop_duplicates("group_id")
    top = pd.concat([sites, companies]).sort_values(["employees", "org_id"], ascending=[False, True]).head(limit)
    return [
        {"name": r.name, "place": f"{r.comune or ''} ({r.province or ''})",
         "value": i18n.fmt_int(r.employees, lang), "year": i18n.fmt_year(r.employees_year),
         "scope": i18n.code_label("figure_scope", r.scope_code, lang),
         "source": _source(r.source_urls, r.source_date)}
        for r in top.itertuples(index=False)
    ]


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.split(r"\W+", str(text).lower()) if w and w not in _STOPWORDS)


def scope_entities(f: Filters) -> list[str]:
    """The indicator entities at the brief's scope: the provinces (of the chosen comuni), or
    Lombardia for the whole region. Province entities are matched by name ('Provincia di Monza
    e Brianza' = 'Monza e della Brianza')."""
    if not f.provinces and not f.comuni:
        return ["Lombardia"]
    ind = queries.indicators()
    prov = queries.provinces()
    names = dict(zip(prov["province"], prov["name"]))
    entities = ind.loc[ind["entity_type"] == "province", "entity"].dropna().unique().tolist()
    by_words = {_words(e): e for e in entities}
    return [by_words[_words(names[p])] for p in focus_provinces(f)
            if p in names and _words(names[p]) in by_words]


def benchmarks(f: Filters, lang: str, limit: int = BENCHMARK_ROWS) -> tuple[list[dict[str, Any]], int]:
    """Latest figure per comparable group of the territory's entities, (rows, how many left out).

    Headline metrics first; when several entities share the page they take turns."""
    entities = scope_entities(f)
    if not entities:
        return [], 0
    latest = indicators.latest_values(queries.indicators(entities, lang=lang))
    if latest.empty:
        return [], 0
    order = {m: i for i, m in enumerate(queries.HEADLINE_METRICS)}
    latest = latest.assign(
        _m=latest["metric"].map(lambda m: order.get(m, len(order))),
        _e=latest["entity"].map(entities.index),
    ).sort_values(["_m", "metric", "comparable_group", "year"], ascending=[True, True, True, False])
    latest["_turn"] = latest.groupby("entity").cumcount()
    latest = latest.sort_values(["_turn", "_e"], kind="mergesort")
    shown = latest.head(limit).sort_values(["_e", "_turn"], kind="mergesort")
    rows = []
    for r in shown.itertuples(index=False):
        value = (i18n.fmt_value(r.value, r.unit, lang) if r.low == r.high else
                 f"{i18n.fmt_value(r.low, r.unit, lang)} – {i18n.fmt_value(r.high, r.unit, lang)}")
        sources = [_source([u], d) for u, d in r.sources]
        rows.append({"label": i18n.metric_label(r.metric, lang), "entity": r.entity, "value": value,
                     "year": i18n.fmt_year(r.year), "scope": r.scope or "—", "sources": sources})
    return rows, max(0, len(latest) - limit)


def map_image(f: Filters, orgs: pd.DataFrame, lang: str) -> str:
    """The static map as a data: URI (an SVG image: vector in the PDF, no network)."""
    comuni = None
    if f.comuni:
        com = queries.comuni_layer(Filters(provinces=()))
        comuni = com[com["comune_code"].isin(f.comuni)]
    svg = maps.static_map_svg(orgs, queries.provinces_layer(), focus=focus_provinces(f),
                              comuni_df=comuni, fmt=i18n.formatter(lang))
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


# --------------------------------------------------------------------------------------
# The document


def brief_context(f: Filters, lang: str | None = None, base_url: str | None = None,
                  today: dt.date | None = None) -> dict[str, Any]:
    """Everything the template shows, formatted in `lang` (default: the filters' language)."""
    lang = lang if lang in i18n.LANGS else (f.lang if f.lang in i18n.LANGS else i18n.DEFAULT_LANG)
    f = dataclasses.replace(f, lang=lang)
    t = lambda key, **kw: i18n.t(key, lang=lang, **kw)  # noqa: E731
    build = queries.build_info()
    orgs = queries.organisations(f)
    today = today or dt.date.today()
    segs = segments_table(orgs, lang)
    missing = [s["label"] for s in segs if s["organisations"] == 0]
    completeness = (t("brief.completeness_full", total=len(segs)) if not missing else
                    t("brief.completeness", present=len(segs) - len(missing), total=len(segs),
                       missing=", ".join(missing)))
    bench_rows, bench_more = benchmarks(f, lang)
    words = filters.describe(f, lang)
    link = filters.permalink(f, base_url or DEFAULT_BASE_URL)
    located = int((orgs["lat"].notna() & orgs["lon"].notna()).sum()) if len(orgs) else 0
    return {
        "lang": lang,
        "t": t,
        "territory": territory_name(f, lang),
        "date": i18n.fmt_date(today.isoformat(), lang),
        "build": build,
        "build_date": i18n.fmt_date(build["date"], lang),
        "empty": orgs.empty,
        "kpis": kpis(f, orgs, build, lang),
        "map_src": map_image(f, orgs, lang),
        "legend": maps.kind_legend({f"kind_{k}": i18n.kind_label(k, lang) for k in maps.KINDS},
                                   kinds=[k for k in maps.KINDS if k in set(orgs["kind"])]),
        "map_note": t("brief.map_note", located=i18n.fmt_int(located, lang),
                       sites=i18n.fmt_int(len(orgs), lang)),
        "map_source": t("brief.map_source", build_id=build["build_id"]),
        "segments": segs,
        "completeness": completeness,
        "segments_source": t("brief.source_registry", build_id=build["build_id"],
                              n=i18n.fmt_int(_n_urls(orgs), lang)),
        "largest": largest(orgs, lang),
        "benchmarks": bench_rows,
        "benchmarks_more": bench_more,
        "comune_scope": bool(f.comuni),
        "filters_words": words,
        "link": link,
        "citation": export.citation(build, words, link, lang),
    }


def render_html(f: Filters, lang: str | None = None, base_url: str | None = None,
                today: dt.date | None = None) -> str:
    return _env().get_template(TEMPLATE).render(**brief_context(f, lang, base_url, today))


def build_brief(f: Filters, lang: str | None = None, base_url: str | None = None,
                today: dt.date | None = None) -> bytes:
    """The brief of the selection `f` in `lang` as PDF bytes (A4, fonts embedded)."""
    from weasyprint import HTML  # imported lazily: loading pango takes a moment

    html = render_html(f, lang, base_url, today)
    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf()


def file_name(f: Filters, lang: str, build: dict[str, Any] | None = None) -> str:
    """beautyvalley_brief_<territory codes>_<lang>_<build date>.pdf (codes only: no user text)."""
    build = build or queries.build_info()
    codes = f.comuni or f.provinces or ("lombardia",)
    stem = "brief_" + "-".join(re.sub(r"[^A-Za-z0-9]", "", c) for c in codes)[:60] + "_" + lang
    return export.file_name(stem, build, "pdf")
