"""The competence finder page's view logic (app_pages/competences.py), apart from Streamlit widgets.

- URL parameters `cap=` (repeatable), `q=`, `near=<ISTAT comune code>`, `km=`: `parse_url` checks them
  (bad values dropped, each with a notice), `query_params` writes the page state back. On this page
  `q` is the finder's search text, not the sidebar's name filter (filters.init_from_url asks
  `owns_param`).
- `result_table` / `export_frame`: the rows shown and the rows downloaded (the same rows; the export
  carries the capability codes and both labels).
- `gaps_table`: capabilities with nobody inside the radius and the nearest organisation outside.
- `finder_deck`: the organisations map (beautyvalley/maps.py) with the radius ring and the search point.
Pure functions of DataFrames, except the cached query wrappers at the bottom.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
import pydeck as pdk
import streamlit as st

from beautyvalley import capabilities as bc
from beautyvalley import maps, queries, warehouse
from beautyvalley.filter_spec import Param, params_to_url, parse_params
from beautyvalley.l10n import Formatter

PAGE = "competences"
CAP_PARAM, Q_PARAM, NEAR_PARAM, KM_PARAM = "cap", "q", "near", "km"
PARAMS = (CAP_PARAM, Q_PARAM, NEAR_PARAM, KM_PARAM)
# session-state keys of the page's widgets
CAPS_KEY, Q_KEY, NEAR_KEY, KM_KEY = "cp_caps", "cp_q", "cp_near", "cp_km"
DEFAULT_KM = 25
MIN_KM, MAX_KM = 1, 300
MAX_Q_CHARS = 100
RING_POINTS = 96
RING_LAYER_ID, PLACE_LAYER_ID = "radius-ring", "search-point"
RING_COLOUR = [200, 60, 60, 220]
PLACE_COLOUR = [200, 60, 60, 255]


def owns_param(page: str, param: str) -> bool:
    """True when `param` belongs to the finder on `page` (then not to the sidebar)."""
    return page == PAGE and param in PARAMS


# --------------------------------------------------------------------------- URL

def parse_km(text: Any) -> int | None:
    """'25' / '25.0' -> 25 when it is a whole number of km in [MIN_KM, MAX_KM], else None."""
    try:
        value = float(str(text).strip().replace(",", "."))
    except ValueError:
        return None
    if not math.isfinite(value) or value != int(value) or not MIN_KM <= value <= MAX_KM:
        return None
    return int(value)


def _place_code(value: str, ctx: Mapping[str, Any]) -> str | None:
    return value if value.isdigit() and len(value) == 6 and ctx["place_exists"](value) else None


# One declaration per URL parameter of the page (filter_spec.Param): name, state key, check, URL form.
URL_PARAMS: tuple[Param, ...] = (
    Param(CAP_PARAM, CAPS_KEY, lambda v, ctx: v if v in ctx["cap_codes"] else None, kind="list",
          comma_split=True, keep_empty=True, to_url=list),
    Param(Q_PARAM, Q_KEY, lambda v, ctx: " ".join(v.split())[:MAX_Q_CHARS], to_url=lambda q: (q or "").strip()),
    Param(NEAR_PARAM, NEAR_KEY, _place_code),
    Param(KM_PARAM, KM_KEY, lambda v, ctx: parse_km(v), default=DEFAULT_KM, to_url=lambda km: str(int(km))),
)
assert tuple(p.name for p in URL_PARAMS) == PARAMS


def parse_url(get_all: Callable[[str], list[str]], cap_codes: Sequence[str],
              place_exists: Callable[[str], bool]) -> tuple[dict[str, Any], list[tuple[str, dict[str, str]]]]:
    """The page's session-state values read from the URL and the notices of the values dropped.

    `get_all(param)` gives the URL values of a parameter ([] when absent)."""
    return parse_params(URL_PARAMS, get_all, {"cap_codes": set(cap_codes), "place_exists": place_exists})


def query_params(state: Mapping[str, Any]) -> dict[str, Any]:
    """The URL parameters that reproduce the finder (defaults left out)."""
    return params_to_url(URL_PARAMS, state)


# --------------------------------------------------------------------------- matches and tables

def matches(q: str, picked: Sequence[str], vocab: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The capabilities asked for: picked codes (matched word: their label) then those found by the
    search text. Columns code, matched."""
    label = dict(zip(vocab["code"], vocab[f"label_{lang}"]))
    rows = [(c, label.get(c, c)) for c in picked]
    found = bc.search(q, vocab, lang)
    rows += [(c, m) for c, m in zip(found["code"], found["matched"]) if c not in set(picked)]
    return pd.DataFrame(rows, columns=["code", "matched"])


def result_table(found: pd.DataFrame, vocab: pd.DataFrame, lang: str, kind_label: Callable[[str], str],
                 about: str) -> pd.DataFrame:
    """The rows shown: organisation, kind, capabilities (labels in `lang`), matched words, distance,
    comune, location (`about` for a comune-centroid site), sources."""
    label = dict(zip(vocab["code"], vocab[f"label_{lang}"]))
    return pd.DataFrame({
        "org_id": found["org_id"].astype(str),
        "name": found["name"],
        "kind": found["kind"].map(lambda k: kind_label(k) if isinstance(k, str) else k),
        "capabilities": [[label.get(c, c) for c in cs] for cs in found["capabilities"]],
        "matched": [list(m) for m in found["matched"]],
        "distance_km": found["distance_km"].astype(float).round(1),
        "location": [about if a else "" for a in found["approximate"]],
        "comune": [f"{c} ({p})" if isinstance(p, str) and p else c for c, p in zip(found["comune"], found["province"])],
        "source_urls": [[u for u in str(s or "").split(" | ") if u] for s in found["source_urls"]],
    })


def export_frame(found: pd.DataFrame, vocab: pd.DataFrame) -> pd.DataFrame:
    """The rows downloaded (same rows as result_table): codes and both labels, sources and evidence."""
    it = dict(zip(vocab["code"], vocab["label_it"]))
    en = dict(zip(vocab["code"], vocab["label_en"]))
    return pd.DataFrame({
        "org_id": found["org_id"].astype(str),
        "name": found["name"],
        "kind": found["kind"],
        "capability_codes": [list(cs) for cs in found["capabilities"]],
        "capabilities_it": [[it.get(c, c) for c in cs] for cs in found["capabilities"]],
        "capabilities_en": [[en.get(c, c) for c in cs] for cs in found["capabilities"]],
        "matched": [list(m) for m in found["matched"]],
        "distance_km": found["distance_km"].astype(float).round(2),
        "comune_code": found["comune_code"],
        "comune": found["comune"],
        "province": found["province"],
        "lat": found["lat"],
        "lon": found["lon"],
        "location_precision": found["location_precision"],
        "evidence": [list(e) for e in found["evidence"]],
        "source_urls": found["source_urls"],
        "source_files": found["source_files"],
    })


def gaps_table(gap: pd.DataFrame, lang: str, segment_label: Callable[[str], str]) -> pd.DataFrame:
    """The gaps shown: capability (label), segment, nearest organisation outside and its distance."""
    return pd.DataFrame({
        "code": gap["code"],
        "capability": gap[f"label_{lang}"],
        "segment": gap["segment"].map(segment_label),
        "nearest_name": gap["nearest_name"],
        "nearest_comune": [f"{c} ({p})" if isinstance(c, str) else None
                           for c, p in zip(gap["nearest_comune"], gap["nearest_province"])],
        "nearest_km": gap["nearest_km"].astype(float).round(1),
    })


# --------------------------------------------------------------------------- map

def ring(lat: float, lon: float, radius_km: float, n: int = RING_POINTS) -> list[list[float]]:
    """A closed [lon, lat] path at radius_km (great-circle destination points) around (lat, lon)."""
    d = radius_km / bc.EARTH_RADIUS_KM
    p1, l1 = math.radians(lat), math.radians(lon)
    out = []
    for i in range(n + 1):
        b = 2 * math.pi * i / n
        p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
        l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
        out.append([round(math.degrees(l2), 6), round(math.degrees(p2), 6)])
    return out


def finder_deck(found: pd.DataFrame, place: Mapping[str, Any] | None, radius_km: float,
                provinces_df: pd.DataFrame | None, labels: Mapping[str, str], place_label: str, *,
                fmt: Formatter) -> pdk.Deck:
    """The organisations found (maps.build_deck, no choropleth), the radius ring and the search point
    (a red circle outline, drawn under the organisations so that none is hidden); the view fits the
    ring (or the points without a place)."""
    deck = maps.build_deck(found, None, provinces_df, choropleth=None, labels=labels, fmt=fmt)
    if place is not None:
        lat, lon = float(place["lat"]), float(place["lon"])
        path = ring(lat, lon, radius_km)
        under_points = [i for i, layer in enumerate(deck.layers) if layer.id == maps.POINTS_LAYER_ID][0]
        deck.layers.insert(under_points, pdk.Layer(
            "PathLayer", data=[{"path": path}], id=RING_LAYER_ID, get_path="path", get_color=RING_COLOUR,
            width_units="'pixels'", get_width=2, pickable=False))
        deck.layers.insert(under_points + 1, pdk.Layer(  # below the organisations: a ring, not a disc
            "ScatterplotLayer", data=[{"lon": lon, "lat": lat, "tooltip": place_label}], id=PLACE_LAYER_ID,
            get_position=["lon", "lat"], filled=False, get_line_color=PLACE_COLOUR,
            stroked=True, radius_units="'pixels'", get_radius=11, line_width_units="'pixels'",
            get_line_width=3, pickable=True))
        box = pd.DataFrame(path, columns=["lon", "lat"])
        deck.initial_view_state = maps.view_state(box)
    return deck


# --------------------------------------------------------------------------- cached queries

CACHE = queries.CACHE  # the query layer's bounds (these take a cursor: capabilities.py runs the SQL)


@st.cache_data(**CACHE)
def _vocabulary(key: warehouse.BuildKey) -> pd.DataFrame:
    return bc.vocabulary(warehouse.connection(key).cursor())


def vocabulary() -> pd.DataFrame:
    """mart.capabilities (cached per build)."""
    return _vocabulary(warehouse.build_key())


@st.cache_data(**CACHE)
def _places(key: warehouse.BuildKey) -> pd.DataFrame:
    return bc.places(warehouse.connection(key).cursor())


def places() -> pd.DataFrame:
    """Every Italian comune with its point (cached per build)."""
    return _places(warehouse.build_key())


@st.cache_data(**CACHE)
def _sites(key: warehouse.BuildKey, codes: tuple[str, ...], box: tuple[float, ...] | None,
           kinds: tuple[str, ...], segments: tuple[str, ...]) -> pd.DataFrame:
    return bc.capability_sites(warehouse.connection(key).cursor(), codes, box, kinds, segments)


def sites(codes: Sequence[str] = (), box: Sequence[float] | None = None, kinds: Sequence[str] = (),
          segments: Sequence[str] = ()) -> pd.DataFrame:
    """capability_sites (cached per build and arguments)."""
    return _sites(warehouse.build_key(), tuple(codes), tuple(box) if box is not None else None,
                  tuple(kinds), tuple(segments))
