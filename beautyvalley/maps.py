"""pydeck map builders for the Map page.

Pure functions: pandas DataFrames (columns of ``mart.organisations``, ``mart.comuni``,
``mart.provinces``) and a ``labels`` dict of already-translated strings in, a
``pydeck.Deck`` (or plain data) out. No Streamlit, no translations module. Numbers
in tooltips and the legend come from the required ``fmt`` keyword
(:class:`beautyvalley.l10n.Formatter`).

The map works with no token and no network: our own layers (province land and
borders, the comuni choropleth) are the base map, ``map_provider`` is None and
``map_style`` is a string (a blank MapLibre style served by the app). A public Carto
basemap is only added when ``basemap=True``.

Tooltips. Streamlit 1.67 fills ``{field}`` placeholders of an ``html`` tooltip
template with HTML-escaped values, and pydeck's own renderer fills them unescaped;
pre-escaped values would therefore show as ``&amp;`` in the app, raw ones would be
markup in pydeck's HTML export. The deck thus uses a ``text`` tooltip template:
the browser sets it with ``innerText`` in both renderers, so every character of a
name such as ``<img src=x onerror=alert(1)>`` is shown as text and none is parsed.
:func:`tooltip_fields` also gives HTML-escaped fields (``escape_html=True``) for
callers that put them into HTML themselves.

Label keys used here (all optional; missing ones fall back to the code or a short
English word):

* ``kind_<kind>``            display name of each organisation kind
* ``segment_<code>``         display name of each value-chain segment
* ``segments``, ``comune``, ``website``   tooltip field names
* ``approximate_location``   note for sites placed at their comune's centroid
* ``employees``              tooltip field name of the head count
* ``scope_<figure_scope>``   what a head count covers (site, company, group)
* ``organisations``          choropleth tooltip: number of organisations
* ``per_10000``              choropleth tooltip: organisations per 10,000 inhabitants
* ``population``             choropleth tooltip: inhabitants
"""

from __future__ import annotations

import functools
import html
import json
import math
import os
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from beautyvalley.l10n import Formatter, is_missing
from etl import vocab

KINDS = vocab.KINDS  # data/vocabularies.csv, in its order

# Colour-blind-safe where possible (Okabe–Ito), cluster in the app's primary colour: data/vocabularies.csv.
KIND_COLOURS: dict[str, tuple[int, int, int]] = vocab.colours("kind")
UNKNOWN_KIND_COLOUR = (170, 170, 170)

# Choropleth classes, light to dark, and the neutral land/border colours.
CHOROPLETH_COLOURS: tuple[tuple[int, int, int], ...] = (
    (247, 238, 242),
    (236, 211, 221),
    (219, 176, 193),
    (196, 134, 158),
    (160, 88, 116),
)
CHOROPLETH_ALPHA = 170
LAND_COLOUR = (241, 239, 234, 255)
COMUNE_LINE_COLOUR = (200, 196, 190, 160)
PROVINCE_LINE_COLOUR = (70, 64, 60, 230)

POINTS_LAYER_ID = "organisations"
CARTO_LIGHT = pdk.map_styles.CARTO_LIGHT
BLANK_STYLE = "app/static/blank-style.json"

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
METRES_PER_DEGREE_LAT = 111_320.0

MIN_RADIUS_PX = 4.0
RADIUS_PX_PER_SQRT_EMPLOYEE = 0.16
MAX_RADIUS_PX = 26.0
# figure_scope values whose head count may size a site's point.
SIZE_SCOPES = ("site", "company")


def _label(labels: Mapping[str, str] | None, key: str, default: str) -> str:
    value = (labels or {}).get(key)
    return default if value is None else str(value)


def _hex(rgb: Sequence[int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb[:3])


def _text(value: object) -> str:
    """Plain display text of a cell: '' for missing values."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    return str(value)


def _as_list(value: object) -> list[str]:
    """List of strings from a VARCHAR[] cell (list, tuple, numpy array) or a '|' string."""
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split("|") if v.strip()]
    if isinstance(value, (list, tuple, np.ndarray, pd.Series)):
        return [str(v) for v in value if _text(v)]
    if pd.isna(value):
        return []
    return [str(value)]


# --------------------------------------------------------------------------- legend
def kind_colour(kind: object) -> tuple[int, int, int]:
    """RGB of an organisation kind (grey for an unknown kind)."""
    return KIND_COLOURS.get(_text(kind), UNKNOWN_KIND_COLOUR)


def kind_legend(labels: Mapping[str, str] | None = None, kinds: Sequence[str] = KINDS) -> list[tuple[str, str, str]]:
    """Legend rows ``(kind, translated label, "#rrggbb")`` in :data:`KINDS` order.

    Label keys: ``kind_<kind>`` (default: the kind code).
    """
    return [(k, _label(labels, f"kind_{k}", k), _hex(kind_colour(k))) for k in kinds]


# --------------------------------------------------------------------------- positions
def spread_points(
    df: pd.DataFrame,
    *,
    spacing_m: float = 120.0,
    max_radius_m: float = 900.0,
) -> pd.DataFrame:
    """Spread sites that share a comune centroid so they do not hide each other.

    Rows with ``location_precision == "comune"`` and the same (lat, lon) (rounded to
    1e-6°) are placed on a golden-angle (Vogel) spiral around that centroid, in
    ``org_id`` order: site k at distance ``c·sqrt(k + 0.5)`` metres and angle
    ``k·137.5°``, with ``c = min(spacing_m, max_radius_m / sqrt(n))`` so that the
    whole group stays within ``max_radius_m`` of the centroid. A comune with a
    single such site keeps it on the centroid. The result depends only on the
    group's org_ids, so it is the same on every call.

    Returns a copy with ``lat``/``lon`` replaced by the display position, the
    original centroid kept in ``centroid_lat``/``centroid_lon``, and a boolean
    ``approximate`` column (True for every comune-precision row). Other rows
    (``address`` precision, or no coordinates) are unchanged.
    """
    out = df.copy()
    precision = out.get("location_precision", pd.Series("", index=out.index)).fillna("")
    out["approximate"] = (precision == "comune").to_numpy(dtype=bool)
    out["centroid_lat"] = out["lat"].astype(float)
    out["centroid_lon"] = out["lon"].astype(float)
    lat = out["lat"].astype(float).to_numpy(copy=True)
    lon = out["lon"].astype(float).to_numpy(copy=True)
    spread_mask = out["approximate"].to_numpy() & ~np.isnan(lat) & ~np.isnan(lon)
    if spread_mask.any():
        positions = np.flatnonzero(spread_mask)
        keys = pd.DataFrame(
            {
                "pos": positions,
                "klat": np.round(lat[positions], 6),
                "klon": np.round(lon[positions], 6),
                "org_id": out["org_id"].astype(str).to_numpy()[positions],
            }
        )
        for (_, _), group in keys.groupby(["klat", "klon"], sort=False):
            n = len(group)
            if n < 2:
                continue
            group = group.sort_values(["org_id", "pos"], kind="mergesort")
            c = min(spacing_m, max_radius_m / math.sqrt(n))
            for k, pos in enumerate(group["pos"]):
                r = c * math.sqrt(k + 0.5)
                theta = k * GOLDEN_ANGLE
                base_lat, base_lon = lat[pos], lon[pos]
                lat[pos] = base_lat + r * math.sin(theta) / METRES_PER_DEGREE_LAT
                lon[pos] = base_lon + r * math.cos(theta) / (
                    METRES_PER_DEGREE_LAT * math.cos(math.radians(base_lat))
                )
    out["lat"] = lat
    out["lon"] = lon
    return out


def point_radius(employees: object) -> float:
    """Point radius in pixels: sqrt scale on employees, the minimum when unknown."""
    if employees is None or pd.isna(employees) or float(employees) <= 0:
        return MIN_RADIUS_PX
    return min(MAX_RADIUS_PX, MIN_RADIUS_PX + RADIUS_PX_PER_SQRT_EMPLOYEE * math.sqrt(float(employees)))


# --------------------------------------------------------------------------- tooltips
def tooltip_fields(
    df: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    *,
    fmt: Formatter,
    escape_html: bool = False,
) -> pd.DataFrame:
    """Add per-row tooltip strings to a copy of ``df`` (columns of mart.organisations).

    Columns added: ``tt_name``, ``tt_kind`` (``labels["kind_<kind>"]``),
    ``tt_segments`` (``labels["segment_<code>"]`` joined with ", "), ``tt_comune``
    ("Crema (CR)"), ``tt_website``, ``tt_employees`` (formatted by ``fmt``, with
    its year and what it covers, ``labels["scope_<figure_scope>"]``: "1.200 (2023,
    gruppo)"), ``tt_note`` (``labels["approximate_location"]`` where the row's
    ``approximate`` flag — see :func:`spread_points` — or comune precision is set),
    and ``tooltip``: the whole tooltip, one field per line, empty fields left out.

    ``escape_html=False`` (what :func:`build_deck` uses with its text template):
    plain text. ``escape_html=True``: every field passed through ``html.escape`` and
    ``tooltip`` joined with ``<br>`` instead of newlines, for HTML contexts.
    """
    out = df.copy()
    esc = (lambda s: html.escape(s, quote=True)) if escape_html else (lambda s: s)
    seg_name = _label(labels, "segments", "Segments")
    comune_name = _label(labels, "comune", "Comune")
    web_name = _label(labels, "website", "Website")
    emp_name = _label(labels, "employees", "Employees")
    note = _label(labels, "approximate_location", "Approximate location (comune centroid)")
    if "approximate" in out:
        approx = out["approximate"].fillna(False).astype(bool).tolist()
    else:
        approx = (out.get("location_precision", pd.Series("", index=out.index)).fillna("") == "comune").tolist()
    n = len(out)

    def column(name: str) -> list:
        return out[name].tolist() if name in out else [None] * n

    # one pass over plain Python lists (no per-row Series): the map draws thousands of sites per rerun
    numbers: dict[object, str] = {}  # each distinct head count formatted once

    def head_count(value: object) -> str:
        if is_missing(value):
            return ""
        if value not in numbers:
            numbers[value] = fmt.int(value)
        return numbers[value]

    cols: dict[str, list[str]] = {k: [] for k in ("tt_name", "tt_kind", "tt_segments", "tt_comune", "tt_website", "tt_employees", "tt_note", "tooltip")}
    for (name, kind, segs, comune, province, website, emp, emp_year, scope, is_approx) in zip(
            column("name"), column("kind"), column("segments"), column("comune"), column("province"),
            column("website"), column("employees"), column("employees_year"), column("figure_scope"), approx):
        name, kind, comune, province, website = map(_text, (name, kind, comune, province, website))
        kind_label = _label(labels, f"kind_{kind}", kind) if kind else ""
        segments = ", ".join(_label(labels, f"segment_{s}", s) for s in _as_list(segs))
        comune_text = f"{comune} ({province})" if comune and province else comune or province
        employees = head_count(emp)
        if employees:
            details = [_text(emp_year).split(".")[0]]
            scope = _text(scope)
            details.append(_label(labels, f"scope_{scope}", scope) if scope else "")
            details = [d for d in details if d]
            if details:
                employees = f"{employees} ({', '.join(details)})"
        values = {
            "tt_name": esc(name),
            "tt_kind": esc(kind_label),
            "tt_segments": esc(segments),
            "tt_comune": esc(comune_text),
            "tt_website": esc(website),
            "tt_employees": esc(employees),
            "tt_note": esc(note) if is_approx else "",
        }
        lines = [values["tt_name"], values["tt_kind"]]
        for field_name, key in ((seg_name, "tt_segments"), (comune_name, "tt_comune"), (emp_name, "tt_employees"), (web_name, "tt_website")):
            if values[key]:
                lines.append(f"{esc(field_name)}: {values[key]}")
        lines.append(values["tt_note"])
        values["tooltip"] = ("<br>" if escape_html else "\n").join(line for line in lines if line)
        for key, value in values.items():
            cols[key].append(value)
    for key, values_list in cols.items():
        out[key] = values_list
    return out


# --------------------------------------------------------------------------- choropleth
def choropleth_values(points_df: pd.DataFrame | None, comuni_df: pd.DataFrame, mode: str = "density") -> pd.Series:
    """Value per comune (index ``comune_code``, order of ``comuni_df``).

    Organisations are counted from ``points_df`` (so the choropleth follows the
    page's filters): rows per ``comune_code``; with ``points_df=None`` (the aggregated
    map, which has no site rows) from ``comuni_df["count"]`` (sql/comuni_layer.sql). ``mode="count"`` returns the count;
    ``"density"`` the count per 10,000 inhabitants (NaN where the population is
    missing or zero).
    """
    if mode not in ("density", "count"):
        raise ValueError(f"unknown choropleth mode: {mode!r}")
    codes = comuni_df["comune_code"].astype(str)
    if points_df is None:  # aggregated map: no site rows, the counts of comuni_layer.sql
        n = pd.to_numeric(comuni_df["count"], errors="coerce").fillna(0).astype(float).to_numpy()
    else:
        if "comune_code" in points_df and len(points_df):
            counts = points_df["comune_code"].dropna().astype(str).value_counts()
        else:
            counts = pd.Series(dtype=float)
        n = codes.map(counts).fillna(0).astype(float).to_numpy()
    if mode == "count":
        return pd.Series(n, index=codes.to_numpy(), name="count")
    population = pd.to_numeric(comuni_df["population"], errors="coerce").astype(float).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        density = np.where(population > 0, n / population * 10_000, np.nan)
    return pd.Series(density, index=codes.to_numpy(), name="density")


def choropleth_bins(values: Sequence[float] | pd.Series, n_classes: int = 5) -> list[tuple[float, float, tuple[int, int, int]]]:
    """Classes ``(low, high, rgb)`` for the positive values (quantile breaks).

    Zero and missing values get no class (they are drawn unfilled). Fewer classes
    are returned when the values have fewer distinct quantiles.
    """
    arr = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=float)
    arr = arr[np.isfinite(arr) & (arr > 0)]
    if arr.size == 0:
        return []
    edges = np.unique(np.quantile(arr, np.linspace(0, 1, n_classes + 1)))
    if edges.size == 1:
        return [(float(edges[0]), float(edges[0]), CHOROPLETH_COLOURS[-1])]
    k = edges.size - 1
    # Spread the palette over the classes we have, darkest for the top class.
    picks = np.linspace(0, len(CHOROPLETH_COLOURS) - 1, k).round().astype(int)
    return [(float(edges[i]), float(edges[i + 1]), CHOROPLETH_COLOURS[picks[i]]) for i in range(k)]


def _bin_colour(value: float, bins: list[tuple[float, float, tuple[int, int, int]]]) -> list[int]:
    if value is None or not np.isfinite(value) or value <= 0 or not bins:
        return [0, 0, 0, 0]
    for low, high, rgb in bins:
        if value <= high:
            return [*rgb, CHOROPLETH_ALPHA]
    return [*bins[-1][2], CHOROPLETH_ALPHA]


def choropleth_legend(
    points_df: pd.DataFrame | None,
    comuni_df: pd.DataFrame,
    mode: str = "density",
    *,
    fmt: Formatter,
) -> list[tuple[str, str]]:
    """Legend rows ``("low – high", "#rrggbb")`` of the choropleth :func:`build_deck` draws."""
    bins = choropleth_bins(choropleth_values(points_df, comuni_df, mode))
    digits = 0 if mode == "count" else 1
    return [
        (f"{fmt.number(low, digits)} – {fmt.number(high, digits)}", _hex(rgb))
        for low, high, rgb in bins
    ]


@functools.lru_cache(maxsize=4096)
def _parse_geometry(text: str) -> dict:
    """Parsed GeoJSON geometry, cached: the same comuni are drawn on every rerun.

    The returned dict is shared between calls and must not be modified.
    """
    return json.loads(text)


def _features(df: pd.DataFrame, properties: list[dict]) -> dict:
    features = []
    for geometry, props in zip(df["geometry"], properties):
        if not _text(geometry):
            continue
        geom = _parse_geometry(geometry) if isinstance(geometry, str) else geometry
        features.append({"type": "Feature", "geometry": geom, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def _comuni_layer(points_df, comuni_df, mode, labels, fmt: Formatter) -> pdk.Layer:
    values = choropleth_values(points_df, comuni_df, mode).to_numpy(dtype=float)
    counts = choropleth_values(points_df, comuni_df, "count").to_numpy(dtype=float)
    bins = choropleth_bins(values)
    org_label = _label(labels, "organisations", "Organisations")
    dens_label = _label(labels, "per_10000", "per 10,000 inhabitants")
    pop_label = _label(labels, "population", "Population")
    n_rows = len(comuni_df)
    names = comuni_df["name"].map(_text).tolist() if "name" in comuni_df else [""] * n_rows
    provinces = comuni_df["province"].map(_text).tolist() if "province" in comuni_df else [""] * n_rows
    populations = (
        pd.to_numeric(comuni_df["population"], errors="coerce").astype(float).tolist()
        if "population" in comuni_df
        else [float("nan")] * n_rows
    )
    codes = comuni_df["comune_code"].map(_text).tolist()
    props = []
    for i in range(n_rows):
        name, province, population, value = names[i], provinces[i], populations[i], values[i]
        lines = [f"{name} ({province})" if province else name, f"{org_label}: {fmt.int(counts[i])}"]
        if mode == "density" and np.isfinite(value):
            lines.append(f"{dens_label}: {fmt.number(float(value), 1)}")
        if np.isfinite(population):
            lines.append(f"{pop_label}: {fmt.int(population)}")
        props.append(
            {
                "comune_code": codes[i],
                "value": float(value) if np.isfinite(value) else None,
                "fill": _bin_colour(float(value), bins),
                "tooltip": "\n".join(lines),
            }
        )
    return pdk.Layer(
        "GeoJsonLayer",
        data=_features(comuni_df, props),
        id="comuni",
        pickable=True,
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color=list(COMUNE_LINE_COLOUR),
        line_width_units="'pixels'",
        get_line_width=0.5,
    )


def _province_layers(provinces_df: pd.DataFrame) -> tuple[pdk.Layer, pdk.Layer]:
    props = [{"province": _text(p)} for p in provinces_df.get("province", pd.Series([""] * len(provinces_df)))]
    data = _features(provinces_df, props)
    # the same shapes twice: the land under everything, the borders above the choropleth
    land = pdk.Layer("GeoJsonLayer", data=data, id="province-land", pickable=False, stroked=False,
                     filled=True, get_fill_color=list(LAND_COLOUR))
    borders = pdk.Layer("GeoJsonLayer", data=data, id="province-borders", pickable=False, stroked=True,
                        filled=False, get_line_color=list(PROVINCE_LINE_COLOUR),
                        line_width_units="'pixels'", get_line_width=1.5)
    return land, borders


# --------------------------------------------------------------------------- deck
POINT_COLUMNS = ("org_id", "group_id", "kind", "lon", "lat", "radius", "fill", "line", "approximate", "tooltip")


def points_data(
    points_df: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    *,
    fmt: Formatter,
    size_scopes: Sequence[str] = SIZE_SCOPES,
) -> pd.DataFrame:
    """The records the points layer draws: spread positions, colour, radius, tooltip.

    Rows without coordinates are left out. Columns: :data:`POINT_COLUMNS`
    (``fill``/``line`` are RGBA lists). A site is sized by its employees only when
    its ``figure_scope`` is in ``size_scopes`` (default site and company: a group's
    head count would draw a small office as big as the whole group); other sites
    get the minimum radius, a lighter fill and a white outline. ``org_id`` and
    ``group_id`` come back in Streamlit's selection
    (``event.selection.objects["organisations"]``).
    """
    spread = spread_points(points_df)
    spread = spread[spread["lat"].notna() & spread["lon"].notna()]
    spread = tooltip_fields(spread, labels, fmt=fmt)
    employees = pd.to_numeric(
        spread["employees"] if "employees" in spread else pd.Series(np.nan, index=spread.index), errors="coerce"
    ).astype(float)
    scopes = spread["figure_scope"].map(_text) if "figure_scope" in spread else pd.Series("", index=spread.index)
    known = employees.notna() & (employees > 0) & scopes.isin(list(size_scopes))
    employees = employees.where(known)
    out = pd.DataFrame(
        {
            "org_id": spread["org_id"].astype(str),
            "group_id": spread["group_id"].map(_text) if "group_id" in spread else "",
            "kind": spread["kind"].map(_text),
            "lon": spread["lon"].astype(float).round(6),
            "lat": spread["lat"].astype(float).round(6),
            "radius": [round(point_radius(e), 2) for e in employees],
            "fill": [[*kind_colour(k), 230 if kn else 150] for k, kn in zip(spread["kind"], known)],
            "line": [[40, 40, 40, 200] if kn else [255, 255, 255, 230] for kn in known],
            "approximate": spread["approximate"].astype(bool),
            "tooltip": spread["tooltip"],
        }
    )
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- counts per comune (issue 15)
# Above MAX_SITES located sites the map sends no single site: one circle per comune (the sites sit on
# their comune's centroid anyway), sized by its count, coloured by its most frequent kind. Measured on
# SYNTHETIC warehouses (README, "The map at scale"): a site costs ~330 bytes of deck JSON and ~0.1 ms of
# Python per rerun, so 3,000 sites are ~1 MB, which with the choropleth of every Lombard comune (~0.8 MB)
# stays under 2 MB; the counts of all 1,500 comuni are ~0.25 MB at any number of sites.
MAX_SITES = 3_000
MAX_SITES_ENV = "BEAUTYVALLEY_MAP_MAX_SITES"  # tests and benchmarks lower it
AGGREGATE_LAYER_ID = "comune-counts"
# circles in metres, so they grow as the user zooms in, like the comuni: Lombardy's 1,500 comuni are ~4 km
# apart, so the largest count of the selection (2 km) touches its neighbours and smaller ones leave room
AGG_MIN_RADIUS_M = 250.0
AGG_MAX_RADIUS_M = 2_000.0
AGG_MIN_PIXELS = 2  # however far out the view, a comune with sites stays visible
AGGREGATE_COLUMNS = ("comune_code", "province", "lon", "lat", "sites", "radius", "fill", "line", "tooltip")


def max_sites() -> int:
    """The threshold: :data:`MAX_SITES`, or the integer in ``$BEAUTYVALLEY_MAP_MAX_SITES``."""
    raw = os.environ.get(MAX_SITES_ENV, "")
    return int(raw) if raw.strip().isdigit() else MAX_SITES


def aggregated(n_sites: int, limit: int | None = None) -> bool:
    """Whether a selection of ``n_sites`` located sites is drawn as counts per comune."""
    return int(n_sites) > (max_sites() if limit is None else int(limit))


def aggregate_radius(sites: Sequence[float] | pd.Series) -> list[float]:
    """Circle radius in metres: the area above :data:`AGG_MIN_RADIUS_M` grows with the count, the largest
    comune of the selection gets :data:`AGG_MAX_RADIUS_M`."""
    n = np.asarray(pd.to_numeric(pd.Series(sites), errors="coerce").fillna(0), dtype=float)
    if not n.size:
        return []
    top = max(float(n.max()), 1.0)
    share = np.sqrt(np.clip(n, 0, None) / top)
    return [round(float(r), 1) for r in AGG_MIN_RADIUS_M + (AGG_MAX_RADIUS_M - AGG_MIN_RADIUS_M) * share]


def aggregate_data(agg_df: pd.DataFrame, labels: Mapping[str, str] | None = None, *, fmt: Formatter) -> pd.DataFrame:
    """The records the counts layer draws, one per comune with sites and a centroid.

    ``agg_df``: rows of sql/map_comune_counts.sql (``comune_code``, ``name``, ``province``,
    ``lat``, ``lon``, ``sites``, ``kind`` = the most frequent kind, ``kind_sites``).
    Columns: :data:`AGGREGATE_COLUMNS`; ``tooltip`` (plain text, like the sites'): the comune,
    its count (``labels["aggregate_sites"]``), its most frequent kind with its count
    (``labels["aggregate_kind"]``) and ``labels["aggregate_click"]``.
    """
    df = agg_df.copy() if agg_df is not None else pd.DataFrame(columns=["comune_code"])
    for col in ("name", "province", "lat", "lon", "sites", "kind", "kind_sites"):
        if col not in df:
            df[col] = None
    sites = pd.to_numeric(df["sites"], errors="coerce").fillna(0)
    df = df[df["comune_code"].notna() & df["lat"].notna() & df["lon"].notna() & (sites > 0)]
    sites = pd.to_numeric(df["sites"], errors="coerce").fillna(0).astype(int)
    sites_name = _label(labels, "aggregate_sites", "Sites")
    kind_name = _label(labels, "aggregate_kind", "Mostly")
    click = _label(labels, "aggregate_click", "Click to see its sites")
    tooltips = []
    for name, prov, n, kind, kn in zip(df["name"].map(_text), df["province"].map(_text), sites,
                                       df["kind"].map(_text), df["kind_sites"]):
        lines = [f"{name} ({prov})" if name and prov else name or prov, f"{sites_name}: {fmt.int(n)}"]
        if kind:
            lines.append(f"{kind_name}: {_label(labels, f'kind_{kind}', kind)} ({fmt.int(kn)})")
        lines.append(click)
        tooltips.append("\n".join(lines))
    out = pd.DataFrame({
        "comune_code": df["comune_code"].astype(str),
        "province": df["province"].map(_text),
        "lon": df["lon"].astype(float).round(5),
        "lat": df["lat"].astype(float).round(5),
        "sites": sites,
        "radius": aggregate_radius(sites),
        "fill": [[*kind_colour(k), 190] for k in df["kind"]],
        "line": [[255, 255, 255, 230]] * len(df),  # a white ring keeps neighbouring circles apart
        "tooltip": tooltips,
    }, columns=list(AGGREGATE_COLUMNS))
    # large circles first, so a small comune next to a large one stays clickable on top
    return out.sort_values(["sites", "comune_code"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def _scatter_layer(records: pd.DataFrame, layer_id: str, units: str = "pixels", **extra: object) -> pdk.Layer:
    """The pickable circles of the sites (:data:`POINTS_LAYER_ID`, radius in pixels) or of the counts per
    comune (:data:`AGGREGATE_LAYER_ID`, in metres): records with lon, lat, fill, line and radius."""
    return pdk.Layer(
        "ScatterplotLayer",
        data=records,
        id=layer_id,
        pickable=True,
        auto_highlight=True,
        get_position=["lon", "lat"],
        get_fill_color="fill",
        get_line_color="line",
        get_radius="radius",
        # Quoted: pydeck turns bare strings into "@@=" expressions (undefined in JS).
        radius_units=f"'{units}'",
        stroked=True,
        line_width_units="'pixels'",
        get_line_width=1,
        **extra,
    )


def selected_comune(event: object) -> str | None:
    """The comune_code of the counts circle a Streamlit pydeck selection holds, or None."""
    try:
        selection = event["selection"] if isinstance(event, Mapping) else event.selection
        objects = selection["objects"] if isinstance(selection, Mapping) else selection.objects
        picked = (objects or {}).get(AGGREGATE_LAYER_ID) or []
    except (AttributeError, KeyError, TypeError):
        return None
    code = picked[0].get("comune_code") if picked and isinstance(picked[0], Mapping) else None
    return str(code) if code else None


# Zoom to a comune keeps its surroundings: the view spans at least this many degrees of
# longitude (about 25 km at 45.5° N), so neighbouring comuni and their names stay in view.
MIN_VIEW_EXTENT_DEG = 0.32
MAX_VIEW_ZOOM = 11.5


def view_state(points: pd.DataFrame, provinces_df: pd.DataFrame | None = None,
               min_extent: float = MIN_VIEW_EXTENT_DEG) -> pdk.ViewState:
    """A view fitting the points (or, without points, the provinces' centres), never
    narrower than ``min_extent`` degrees of longitude."""
    lats = points["lat"].dropna().astype(float) if len(points) else pd.Series(dtype=float)
    lons = points["lon"].dropna().astype(float) if len(points) else pd.Series(dtype=float)
    if lats.empty and provinces_df is not None and len(provinces_df):
        lats = provinces_df["lat"].dropna().astype(float)
        lons = provinces_df["lon"].dropna().astype(float)
    if lats.empty:
        return pdk.ViewState(latitude=45.6, longitude=9.6, zoom=7.5)  # Lombardy
    extent = max(lons.max() - lons.min(), (lats.max() - lats.min()) * 1.4, min_extent)
    zoom = max(5.0, min(MAX_VIEW_ZOOM, math.log2(360.0 / extent) - 0.3))
    return pdk.ViewState(
        latitude=float((lats.min() + lats.max()) / 2),
        longitude=float((lons.min() + lons.max()) / 2),
        zoom=round(zoom, 2),
    )


# ---------------------------------------------------------------------------- place names
PLACE_LAYER_CAPITALS = "place-names-capitals"
PLACE_LAYER_COMUNI = "place-names-comuni"
PLACE_TEXT_COLOUR = (35, 31, 32, 255)
PLACE_HALO_COLOUR = (255, 255, 255, 235)
# comuni smaller than this are never labelled (capitals always are)
PLACE_MIN_POPULATION = 5_000


def capitals(comuni_df: pd.DataFrame, provinces_df: pd.DataFrame | None) -> set[str]:
    """ISTAT codes of the province capitals: the comune named like its province
    ("Monza" for "Monza e della Brianza"). Not the most populous comune: Busto Arsizio
    has more inhabitants than Varese."""
    if provinces_df is None or not len(provinces_df) or not len(comuni_df):
        return set()
    names = dict(zip(provinces_df["province"], provinces_df["name"]))
    out = set()
    for code, name, prov in zip(comuni_df["comune_code"], comuni_df["name"], comuni_df["province"]):
        pname = names.get(prov)
        if isinstance(pname, str) and isinstance(name, str) and (pname == name or pname.startswith(name + " ")):
            out.add(code)
    return out


def place_names_data(comuni_df: pd.DataFrame, provinces_df: pd.DataFrame | None,
                     min_population: int = PLACE_MIN_POPULATION) -> pd.DataFrame:
    """name, lon, lat, capital, priority of the comuni to label (centroids and population
    of ``mart.comuni``): every province capital, and comuni of at least ``min_population``
    inhabitants; priority grows with population, capitals first."""
    needed = {"comune_code", "name", "province", "lat", "lon", "population"}
    if comuni_df is None or not len(comuni_df) or not needed <= set(comuni_df.columns):
        return pd.DataFrame(columns=["name", "lon", "lat", "capital", "priority", "population"])
    caps = capitals(comuni_df, provinces_df)
    df = comuni_df.dropna(subset=["lat", "lon", "name"])
    pop = pd.to_numeric(df["population"], errors="coerce").fillna(0)
    is_cap = df["comune_code"].isin(caps)
    keep = is_cap | (pop >= min_population)
    out = pd.DataFrame({
        "name": df["name"].astype(str),
        "lon": df["lon"].astype(float),
        "lat": df["lat"].astype(float),
        "capital": is_cap.astype(bool),
        "population": pop.astype(int),
    })[keep]
    # deck.gl keeps the highest priority where labels collide; capped below 1000 (its max)
    out["priority"] = np.where(out["capital"], 999, np.minimum(998, np.log10(out["population"].clip(lower=1)) * 100))
    out["priority"] = out["priority"].round().astype(int)
    return out.sort_values("priority", ascending=False).reset_index(drop=True)


def place_name_layers(comuni_df: pd.DataFrame, provinces_df: pd.DataFrame | None) -> list[pdk.Layer]:
    """Two TextLayers with a white halo (readable over the choropleth), not pickable:
    the province capitals, always drawn; the other comuni with deck.gl's
    CollisionFilterExtension, so larger comuni appear first and smaller ones as the user
    zooms in (labels that would overlap a capital or a larger comune are hidden)."""
    data = place_names_data(comuni_df, provinces_df)
    if data.empty:
        return []
    common = {
        "get_position": ["lon", "lat"], "get_text": "name", "get_color": list(PLACE_TEXT_COLOUR),
        "get_text_anchor": "'middle'", "get_alignment_baseline": "'center'",
        "font_family": "'DejaVu Sans, Helvetica, Arial, sans-serif'",
        "font_settings": {"sdf": True}, "outline_width": 3, "outline_color": list(PLACE_HALO_COLOUR),
        "character_set": "'auto'", "size_units": "'pixels'", "pickable": False, "billboard": True,
    }
    caps = data[data["capital"]].to_dict("records")
    others = data.to_dict("records")  # capitals too: they keep their room in the collision map
    return [
        pdk.Layer("TextLayer", data=others, id=PLACE_LAYER_COMUNI, get_size=12, font_weight=400,
                  extensions=[{"@@type": "CollisionFilterExtension"}], collision_enabled=True,
                  get_collision_priority="priority", collision_group="'place-names'",
                  collision_test_props={"sizeScale": 2.6}, **common),
        pdk.Layer("TextLayer", data=caps, id=PLACE_LAYER_CAPITALS, get_size=15, font_weight=700, **common),
    ]


class CompactDeck(pdk.Deck):
    """A ``pydeck.Deck`` whose ``to_json`` has no indentation.

    pydeck indents its JSON by two spaces, one coordinate per line, which makes the
    comuni layer about 5x larger than needed; Streamlit sends ``to_json()`` to the
    browser on every rerun. Same content, same keys (pydeck's own serialiser).
    """

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def build_deck(
    points_df: pd.DataFrame,
    comuni_df: pd.DataFrame | None = None,
    provinces_df: pd.DataFrame | None = None,
    *,
    choropleth: str | None = "density",
    basemap: bool = False,
    labels: Mapping[str, str] | None = None,
    fmt: Formatter,
    map_style: str = BLANK_STYLE,
    basemap_style: str = CARTO_LIGHT,
    height: int = 600,
    size_scopes: Sequence[str] = SIZE_SCOPES,
    place_names: bool = True,
    view: pdk.ViewState | None = None,
    aggregates: pd.DataFrame | None = None,
) -> pdk.Deck:
    """The organisations map.

    * ``points_df``: mart.organisations rows to draw (already filtered). Layer
      ``"organisations"`` (ScatterplotLayer, pickable): colour by kind
      (:data:`KIND_COLOURS`), radius in pixels by sqrt(employees) when the figure
      covers the site or company (``size_scopes``; otherwise, or unknown: minimum
      radius, lighter fill, white outline), comune-precision sites spread around their
      centroid (:func:`spread_points`) and marked approximate in the tooltip.
    * ``comuni_df``: mart.comuni (``geometry`` GeoJSON text). With
      ``choropleth="density"`` (organisations of ``points_df`` per 10,000
      inhabitants) or ``"count"``, layer ``"comuni"`` (pickable, own tooltip);
      ``None`` leaves it out.
    * ``provinces_df``: mart.provinces; layers ``"province-land"`` (neutral fill,
      below everything: our base map) and ``"province-borders"`` (above the
      choropleth).
    * ``basemap=False``: ``map_provider=None`` and ``map_style`` (a string URL of a
      blank style served by the app) — no token, no outside request.
      ``basemap=True``: Carto (``map_provider="carto"``, ``basemap_style``).
    * ``place_names``: layers ``"place-names-comuni"`` and ``"place-names-capitals"``
      (:func:`place_name_layers`, from ``comuni_df``'s centroids and population), on top.
    * ``view``: the initial view (default: :func:`view_state` of the points).
    * ``aggregates``: rows of sql/map_comune_counts.sql. Given, the map draws layer
      ``"comune-counts"`` (:func:`aggregate_data`, one circle per comune) instead of the
      sites (``points_df`` is then ignored: pass an empty frame), and the choropleth takes its
      counts from ``comuni_df["count"]``.
    * Tooltip: ``{"text": "{tooltip}"}`` (plain text, see the module docstring).

    Label keys: see the module docstring (kind_*, segment_*, segments, comune,
    website, employees, approximate_location, organisations, per_10000, population).
    """
    if aggregates is not None:
        points = aggregate_data(aggregates, labels, fmt=fmt)
        points_df = None  # the choropleth counts come from comuni_df
    else:
        points = points_data(points_df, labels, fmt=fmt, size_scopes=size_scopes)
    layers: list[pdk.Layer] = []
    borders = None
    if provinces_df is not None and len(provinces_df):
        land, borders = _province_layers(provinces_df)
        layers.append(land)
    if choropleth is not None and comuni_df is not None and len(comuni_df):
        layers.append(_comuni_layer(points_df, comuni_df, choropleth, labels, fmt))
    if borders is not None:
        layers.append(borders)
    if aggregates is not None:
        layers.append(_scatter_layer(points, AGGREGATE_LAYER_ID, "meters", radius_min_pixels=AGG_MIN_PIXELS))
    else:
        layers.append(_scatter_layer(points, POINTS_LAYER_ID))
    if place_names and comuni_df is not None and len(comuni_df):
        layers.extend(place_name_layers(comuni_df, provinces_df))
    return CompactDeck(
        layers=layers,
        # the mouse wheel scrolls the page; zoom with double-click, pinch or +/- once focused
        views=[pdk.View(type="MapView", controller={"scrollZoom": False, "keyboard": True,
                                                     "doubleClickZoom": True, "touchZoom": True})],
        initial_view_state=view or view_state(points, provinces_df),
        map_provider="carto" if basemap else None,
        map_style=basemap_style if basemap else map_style,
        tooltip={"text": "{tooltip}", "style": {"whiteSpace": "pre-line", "maxWidth": "320px"}},
        height=height,
    )


# --------------------------------------------------------------------------- static map (print)
def _rings(geometry: dict) -> list[list[list[float]]]:
    """Every ring (outer and holes) of a GeoJSON Polygon or MultiPolygon."""
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        return list(coords)
    if kind == "MultiPolygon":
        return [ring for polygon in coords for ring in polygon]
    return []


def static_map_svg(
    points_df: pd.DataFrame,
    provinces_df: pd.DataFrame,
    *,
    focus: Sequence[str] = (),
    comuni_df: pd.DataFrame | None = None,
    width: float = 640.0,
    height: float = 360.0,
    fmt: Formatter,
) -> str:
    """The sites on the province borders as a self-contained SVG document (no basemap, no network).

    ``focus``: province codes the view is fitted to (all of ``provinces_df`` when empty); those
    provinces are filled, the others drawn in outline. ``comuni_df`` (optional, with ``geometry``)
    adds the borders of chosen comuni, filled. Points come from :func:`points_data`: kinds
    coloured, sized by site/company head count, comune-centroid sites spread and drawn hollow.
    Only numbers and colour codes reach the SVG text (no names), so there is nothing to escape.
    """
    focus = [str(p) for p in focus]
    shapes = []
    for code, geometry in zip(provinces_df["province"], provinces_df["geometry"]):
        if _text(geometry):
            geom = _parse_geometry(geometry) if isinstance(geometry, str) else geometry
            shapes.append((str(code), _rings(geom)))
    chosen = [rings for code, rings in shapes if not focus or code in focus] or [r for _, r in shapes]
    comune_rings = []
    if comuni_df is not None:
        for geometry in comuni_df["geometry"]:
            if _text(geometry):
                comune_rings.append(_rings(_parse_geometry(geometry) if isinstance(geometry, str) else geometry))
    fit = comune_rings or chosen
    xs = [pt[0] for rings in fit for ring in rings for pt in ring]
    ys = [pt[1] for rings in fit for ring in rings for pt in ring]
    pts = points_data(points_df, fmt=fmt) if len(points_df) else pd.DataFrame(columns=POINT_COLUMNS)
    if not xs:  # no geometry: fit the points
        xs, ys = list(pts["lon"]), list(pts["lat"])
    if not xs:
        xs, ys = [9.0, 10.0], [45.0, 46.0]
    lat0 = math.radians((min(ys) + max(ys)) / 2)
    kx = math.cos(lat0)
    x0, x1, y0, y1 = min(xs) * kx, max(xs) * kx, min(ys), max(ys)
    pad = 0.04 * max(x1 - x0, y1 - y0, 1e-3)
    x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
    scale = min(width / (x1 - x0), height / (y1 - y0))
    ox = (width - (x1 - x0) * scale) / 2
    oy = (height - (y1 - y0) * scale) / 2

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return ox + (lon * kx - x0) * scale, oy + (y1 - lat) * scale

    def path(rings: list) -> str:
        parts = []
        for ring in rings:
            coords = [xy(float(p[0]), float(p[1])) for p in ring]
            if len(coords) >= 3:
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in coords) + "Z")
        return "".join(parts)

    land, border = _hex(LAND_COLOUR), _hex(PROVINCE_LINE_COLOUR)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}">',
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
    ]
    for code, rings in shapes:
        filled = not focus or code in focus
        out.append(f'<path d="{path(rings)}" fill="{land if filled else "#fbfbfa"}" fill-rule="evenodd" '
                   f'stroke="{border if filled else "#c8c4be"}" stroke-width="{1.2 if filled else 0.6}"/>')
    for rings in comune_rings:
        out.append(f'<path d="{path(rings)}" fill="{_hex(CHOROPLETH_COLOURS[1])}" fill-rule="evenodd" '
                   f'stroke="{_hex(COMUNE_LINE_COLOUR)}" stroke-width="0.8"/>')
    for p in pts.sort_values("radius", ascending=False).itertuples(index=False):
        x, y = xy(float(p.lon), float(p.lat))
        r = max(2.0, float(p.radius) * 0.6)
        colour = _hex(kind_colour(p.kind))
        if p.approximate:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#ffffff" fill-opacity="0.7" '
                       f'stroke="{colour}" stroke-width="1.2"/>')
        else:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}" fill-opacity="0.85" '
                       f'stroke="#333333" stroke-width="0.4"/>')
    out.append("</svg>")
    return "".join(out)


@functools.lru_cache(maxsize=1)
def _reachable_once(host: str, _bucket: int) -> bool:
    import socket
    try:
        with socket.create_connection((host, 443), timeout=1.5):
            return True
    except OSError:
        return False


def basemap_reachable(host: str = "basemaps.cartocdn.com") -> bool:
    """Whether the public basemap's host answers (checked at most every 10 minutes). The
    server's network stands for the browser's: offline, both are cut off."""
    import time
    return _reachable_once(host, int(time.time() // 600))
