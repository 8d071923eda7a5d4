"""Behaviour of the pydeck map builders (beautyvalley.maps).

Synthetic sites and square "comuni" built here; distances checked with an
independent haversine, densities with plain arithmetic.
"""

from __future__ import annotations

import json
import math
import re

import pandas as pd
import pydeck as pdk
import pytest

from beautyvalley import maps
from beautyvalley.l10n import Formatter

HOSTILE = "<img src=x onerror=alert(1)>"
CREMA = (45.3640, 9.6860)

IT, EN = Formatter("it"), Formatter("en")


def haversine_m(lat1, lon1, lat2, lon2):
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def site(org_id, *, lat=CREMA[0], lon=CREMA[1], precision="comune", kind="company", name=None, employees=None,
         comune_code="019035", comune="Crema", province="CR", segments=("formulation",), website="https://example.it",
         figure_scope="company"):
    return {
        "org_id": org_id,
        "group_id": org_id.split("-")[0],
        "name": name or org_id.title(),
        "kind": kind,
        "segments": list(segments),
        "comune_code": comune_code,
        "comune": comune,
        "province": province,
        "lat": lat,
        "lon": lon,
        "location_precision": precision,
        "website": website,
        "employees": employees,
        "employees_year": 2023 if employees else None,
        "figure_scope": figure_scope if employees else None,
    }


def square(lon0, lat0, size=0.1):
    ring = [[lon0, lat0], [lon0 + size, lat0], [lon0 + size, lat0 + size], [lon0, lat0 + size], [lon0, lat0]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


@pytest.fixture
def crema_sites():
    rows = [site(f"org{i}-crema") for i in (3, 1, 4, 0, 2)]  # shuffled ids
    rows.append(site("exact-lodi", lat=45.3100, lon=9.5030, precision="address", comune_code="098031",
                     comune="Lodi", province="LO"))
    return pd.DataFrame(rows)


@pytest.fixture
def comuni():
    return pd.DataFrame(
        {
            "comune_code": ["019035", "098031", "015146"],
            "name": ["Crema", "Lodi", "Milano"],
            "province": ["CR", "LO", "MI"],
            "population": [34_000, 45_000, 0],
            "geometry": [square(9.64, 45.33), square(9.45, 45.28), square(9.1, 45.43)],
        }
    )


@pytest.fixture
def provinces():
    return pd.DataFrame(
        {
            "province": ["CR", "LO"],
            "name": ["Cremona", "Lodi"],
            "lat": [45.2, 45.25],
            "lon": [9.9, 9.55],
            "geometry": [square(9.4, 45.0, 0.8), square(9.3, 45.1, 0.5)],
        }
    )


# --------------------------------------------------------------------------- legend
def test_kind_colours_cover_every_kind_and_differ():
    kinds = {"company", "university", "research_centre", "testing_lab", "association", "cluster", "training",
             "incubator", "public_body"}
    assert set(maps.KIND_COLOURS) == kinds
    assert len(set(maps.KIND_COLOURS.values())) == len(kinds)


def test_kind_legend_uses_labels_and_hex():
    legend = maps.kind_legend({"kind_company": "Impresa", "kind_university": "Università"})
    assert len(legend) == 9
    as_dict = {k: (label, colour) for k, label, colour in legend}
    assert as_dict["company"][0] == "Impresa"
    assert as_dict["testing_lab"][0] == "testing_lab"  # no label: the code
    r, g, b = maps.KIND_COLOURS["university"]
    assert as_dict["university"][1] == f"#{r:02x}{g:02x}{b:02x}"
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for _, _, c in legend)


# --------------------------------------------------------------------------- spreading
def test_spread_points_distinct_close_and_flagged(crema_sites):
    out = maps.spread_points(crema_sites)
    crema = out[out["comune"] == "Crema"]
    positions = {(round(a, 7), round(b, 7)) for a, b in zip(crema["lat"], crema["lon"])}
    assert len(positions) == 5
    for lat, lon in zip(crema["lat"], crema["lon"]):
        assert haversine_m(lat, lon, *CREMA) < 1000
    pairs = [(a, b) for a in crema.itertuples() for b in crema.itertuples() if a.org_id < b.org_id]
    assert min(haversine_m(a.lat, a.lon, b.lat, b.lon) for a, b in pairs) > 50
    assert crema["approximate"].all()
    exact = out[out["org_id"] == "exact-lodi"].iloc[0]
    assert (exact["lat"], exact["lon"]) == (45.3100, 9.5030)
    assert not exact["approximate"]
    # Centroid kept, input not modified.
    assert (crema["centroid_lat"] == CREMA[0]).all()
    assert (crema_sites["lat"].iloc[:5] == CREMA[0]).all()


def test_spread_points_deterministic_and_order_independent(crema_sites):
    first = maps.spread_points(crema_sites).set_index("org_id")[["lat", "lon"]]
    again = maps.spread_points(crema_sites).set_index("org_id")[["lat", "lon"]]
    shuffled = maps.spread_points(crema_sites.iloc[::-1].reset_index(drop=True)).set_index("org_id")[["lat", "lon"]]
    pd.testing.assert_frame_equal(first, again)
    pd.testing.assert_frame_equal(first.sort_index(), shuffled.sort_index())


def test_spread_many_sites_stay_within_a_kilometre():
    df = pd.DataFrame([site(f"s{i:03d}") for i in range(150)])
    out = maps.spread_points(df)
    assert len({(a, b) for a, b in zip(out["lat"], out["lon"])}) == 150
    assert max(haversine_m(a, b, *CREMA) for a, b in zip(out["lat"], out["lon"])) < 1000


def test_single_comune_site_stays_on_centroid_but_is_approximate():
    out = maps.spread_points(pd.DataFrame([site("alone")]))
    assert (out["lat"].iloc[0], out["lon"].iloc[0]) == CREMA
    assert bool(out["approximate"].iloc[0])


def test_sites_without_coordinates_are_kept_and_not_drawn():
    df = pd.DataFrame([site("nowhere", lat=None, lon=None, precision="unknown", comune_code=None), site("a")])
    assert len(maps.spread_points(df)) == 2
    assert list(maps.points_data(df, fmt=IT)["org_id"]) == ["a"]


# --------------------------------------------------------------------------- tooltips
def test_tooltip_fields_escaped_for_html():
    df = maps.spread_points(pd.DataFrame([site("bad", name=HOSTILE, website="https://x.it/?a=1&b=<b>")]))
    out = maps.tooltip_fields(df, {"kind_company": "Impresa", "approximate_location": "Posizione approssimata"},
                              escape_html=True, fmt=IT)
    row = out.iloc[0]
    assert row["tt_name"] == "&lt;img src=x onerror=alert(1)&gt;"
    assert row["tt_website"] == "https://x.it/?a=1&amp;b=&lt;b&gt;"
    assert row["tt_kind"] == "Impresa"
    assert row["tt_note"] == "Posizione approssimata"
    for column in ("tt_name", "tt_kind", "tt_segments", "tt_comune", "tt_website", "tooltip"):
        assert "<img" not in row[column] and "<b>" not in row[column]
    assert row["tooltip"].split("<br>")[0] == "&lt;img src=x onerror=alert(1)&gt;"


def test_tooltip_plain_text_keeps_exact_characters_and_labels():
    df = maps.spread_points(pd.DataFrame([site("lor", name="L'Oréal & Co", segments=("raw", "packaging"),
                                                  employees=1200)]))
    labels = {"segment_raw": "Materie prime", "segments": "Segmenti", "comune": "Comune", "employees": "Addetti",
              "approximate_location": "Posizione approssimata"}
    text = maps.tooltip_fields(df, labels, fmt=IT).iloc[0]["tooltip"]
    lines = text.split("\n")
    assert lines[0] == "L'Oréal & Co"
    assert "Segmenti: Materie prime, packaging" in lines
    assert "Comune: Crema (CR)" in lines
    assert "Addetti: 1.200 (2023, company)" in lines
    assert lines[-1] == "Posizione approssimata"


def test_exact_site_has_no_approximate_note():
    df = maps.spread_points(pd.DataFrame([site("x", precision="address")]))
    row = maps.tooltip_fields(df, {"approximate_location": "APPROX"}, fmt=IT).iloc[0]
    assert row["tt_note"] == "" and "APPROX" not in row["tooltip"]


# --------------------------------------------------------------------------- sizes
def test_radius_sqrt_scale_and_minimum():
    base = maps.point_radius(None)
    assert maps.point_radius(float("nan")) == base
    assert maps.point_radius(0) == base
    grow100 = maps.point_radius(100) - base
    grow400 = maps.point_radius(400) - base
    assert grow100 > 0
    assert grow400 == pytest.approx(2 * grow100)  # sqrt: 4x employees, 2x growth
    assert maps.point_radius(10_000_000) == maps.MAX_RADIUS_PX


def test_group_head_count_does_not_size_a_site():
    df = pd.DataFrame(
        [
            site("plant", employees=400, figure_scope="company"),
            site("office", employees=10_000, figure_scope="group"),
            site("lab", employees=None),
        ]
    )
    radius = maps.points_data(df, {"scope_group": "gruppo"}, fmt=IT).set_index("org_id")["radius"]
    assert radius["plant"] == pytest.approx(maps.point_radius(400))
    assert radius["office"] == maps.point_radius(None) == radius["lab"]
    text = maps.tooltip_fields(df, {"scope_group": "gruppo", "employees": "Addetti"}, fmt=IT)
    assert "Addetti: 10.000 (2023, gruppo)" in text.set_index("org_id").loc["office", "tooltip"].split("\n")


# --------------------------------------------------------------------------- choropleth
def test_choropleth_values_follow_points(crema_sites, comuni):
    density = maps.choropleth_values(crema_sites, comuni, "density")
    assert density["019035"] == pytest.approx(5 / 34_000 * 10_000)
    assert density["098031"] == pytest.approx(1 / 45_000 * 10_000)
    assert math.isnan(density["015146"])  # population 0
    count = maps.choropleth_values(crema_sites, comuni, "count")
    assert count.to_dict() == {"019035": 5.0, "098031": 1.0, "015146": 0.0}
    with pytest.raises(ValueError):
        maps.choropleth_values(crema_sites, comuni, "bogus")


def test_choropleth_bins_ignore_zero_and_cover_range():
    bins = maps.choropleth_bins([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, float("nan")])
    assert bins[0][0] == 1 and bins[-1][1] == 10
    assert len({rgb for _, _, rgb in bins}) == len(bins)
    assert maps.choropleth_bins([0, float("nan")]) == []


# --------------------------------------------------------------------------- deck
def layer_by_id(deck, layer_id):
    return next(layer for layer in deck.layers if layer.id == layer_id)


def test_deck_offline_without_basemap(crema_sites, comuni, provinces):
    deck = maps.build_deck(crema_sites, comuni, provinces, labels={}, choropleth="density", fmt=IT)
    spec = json.loads(deck.to_json())
    assert spec.get("mapProvider") is None
    assert spec["mapStyle"] == "app/static/blank-style.json"
    assert "cartocdn" not in deck.to_json() and "mapbox" not in deck.to_json()
    assert [layer["id"] for layer in spec["layers"]] == ["province-land", "comuni", "province-borders", "organisations"]


def test_deck_basemap_option_uses_carto(crema_sites):
    deck = maps.build_deck(crema_sites, labels={}, choropleth=None, basemap=True, fmt=IT)
    spec = json.loads(deck.to_json())
    assert spec["mapProvider"] == "carto"
    assert "cartocdn" in spec["mapStyle"]


def test_deck_custom_map_style_string(crema_sites):
    deck = maps.build_deck(crema_sites, labels={}, choropleth=None, map_style="app/static/other.json", fmt=IT)
    assert json.loads(deck.to_json())["mapStyle"] == "app/static/other.json"


def test_points_layer_pickable_with_ids_and_kind_colours(crema_sites):
    crema_sites.loc[crema_sites["org_id"] == "exact-lodi", "kind"] = "testing_lab"
    deck = maps.build_deck(crema_sites, labels={}, choropleth=None, fmt=IT)
    spec = json.loads(deck.to_json())
    points = next(layer for layer in spec["layers"] if layer["id"] == "organisations")
    assert points["pickable"] is True
    # Units must reach deck.gl as the literal "pixels" (not an "@@=" expression).
    assert points["radiusUnits"] == "pixels" and points["lineWidthUnits"] == "pixels"
    assert all(layer.get("lineWidthUnits", "pixels") == "pixels" for layer in spec["layers"])
    assert points["@@type"] == "ScatterplotLayer"
    records = {r["org_id"]: r for r in points["data"]}
    assert set(records) == set(crema_sites["org_id"])
    assert records["exact-lodi"]["fill"][:3] == list(maps.KIND_COLOURS["testing_lab"])
    assert records["org1-crema"]["fill"][:3] == list(maps.KIND_COLOURS["company"])
    assert records["org1-crema"]["group_id"] == "org1"
    assert records["org1-crema"]["approximate"] is True


def test_no_choropleth_means_no_comuni_layer(crema_sites, comuni, provinces):
    deck = maps.build_deck(crema_sites, comuni, provinces, labels={}, choropleth=None, fmt=IT)
    assert "comuni" not in [layer.id for layer in deck.layers]


def test_comuni_geometry_becomes_features_with_fill(crema_sites, comuni):
    deck = maps.build_deck(crema_sites, comuni, None, labels={"organisations": "Organizzazioni"},
                           choropleth="count", fmt=IT)
    data = layer_by_id(deck, "comuni").data
    assert data["type"] == "FeatureCollection"
    features = {f["properties"]["comune_code"]: f for f in data["features"]}
    assert set(features) == {"019035", "098031", "015146"}
    assert features["019035"]["geometry"]["type"] == "Polygon"
    assert features["015146"]["properties"]["fill"][3] == 0  # no organisation: unfilled
    assert features["019035"]["properties"]["fill"][3] > 0
    assert "Organizzazioni: 5" in features["019035"]["properties"]["tooltip"]


def test_deck_tooltip_is_text_so_markup_is_never_parsed(crema_sites):
    crema_sites.loc[0, "name"] = HOSTILE
    deck = maps.build_deck(crema_sites, labels={}, choropleth=None, fmt=IT)
    tooltip = deck._tooltip if hasattr(deck, "_tooltip") else deck.deck_widget.tooltip
    # A "text" tooltip is set with innerText by Streamlit and by pydeck: no HTML parsing.
    assert "html" not in tooltip
    assert tooltip["text"] == "{tooltip}"
    records = next(layer for layer in json.loads(deck.to_json())["layers"]
                   if layer["id"] == maps.POINTS_LAYER_ID)["data"]
    hostile = next(r for r in records if r["tooltip"].startswith("<img"))
    assert hostile["tooltip"].split("\n")[0] == HOSTILE
    # The name only travels in the tooltip text field, nowhere else in the spec.
    assert deck.to_json().count("onerror") == 1


def test_view_state_fits_points(crema_sites):
    view = maps.view_state(maps.points_data(crema_sites, fmt=IT))
    assert 45.30 < view.latitude < 45.37
    assert 9.50 < view.longitude < 9.69
    assert 5 <= view.zoom <= 13


def test_compact_json_has_the_same_content_as_pydeck(crema_sites, comuni, provinces):
    deck = maps.build_deck(crema_sites, comuni, provinces, labels={}, fmt=IT)
    assert isinstance(deck, pdk.Deck)
    compact = deck.to_json()
    assert json.loads(compact) == json.loads(pdk.Deck.to_json(deck))
    assert len(compact) < len(pdk.Deck.to_json(deck)) / 2


def test_empty_filter_result_still_builds_a_deck(comuni, provinces):
    empty = pd.DataFrame(columns=list(site("x")))
    deck = maps.build_deck(empty, comuni, provinces, labels={}, fmt=IT)
    spec = json.loads(deck.to_json())
    assert next(layer for layer in spec["layers"] if layer["id"] == "organisations")["data"] == []
    assert maps.choropleth_legend(empty, comuni, fmt=IT) == []


# --------------------------------------------------------------------------- place names (issue 13)

def labelled_comuni() -> pd.DataFrame:
    """Real comuni names and codes, SYNTHETIC populations and rounded positions."""
    return pd.DataFrame({
        "comune_code": ["019035", "098031", "015146", "012133", "012026", "108033", "019001"],
        "name": ["Crema", "Lodi", "Milano", "Varese", "Busto Arsizio", "Monza", "Acquanegra Cremonese"],
        "province": ["CR", "LO", "MI", "VA", "VA", "MB", "CR"],
        "population": [34_000, 45_000, 1_350_000, 79_000, 83_000, 120_000, 1_100],
        "lat": [45.36, 45.31, 45.46, 45.82, 45.61, 45.58, 45.17],
        "lon": [9.69, 9.50, 9.19, 8.83, 8.85, 9.27, 9.89],
    })


PROVINCE_NAMES = pd.DataFrame({"province": ["CR", "LO", "MI", "VA", "MB"],
                               "name": ["Cremona", "Lodi", "Milano", "Varese", "Monza e della Brianza"]})


def test_capitals_are_named_like_their_province_not_the_largest_comune():
    caps = maps.capitals(labelled_comuni(), PROVINCE_NAMES)
    # Lodi, Milano, Varese (not the larger Busto Arsizio), Monza for "Monza e della Brianza";
    # Crema is not the capital of Cremona
    assert caps == {"098031", "015146", "012133", "108033"}


def test_place_names_keep_capitals_and_larger_comuni_ranked_by_population():
    data = maps.place_names_data(labelled_comuni(), PROVINCE_NAMES, min_population=5_000)
    assert "Acquanegra Cremonese" not in set(data["name"])  # 1,100 inhabitants
    assert set(data["name"]) == {"Crema", "Lodi", "Milano", "Varese", "Busto Arsizio", "Monza"}
    prio = dict(zip(data["name"], data["priority"]))
    assert prio["Varese"] == prio["Lodi"] == 999  # capitals first
    assert prio["Busto Arsizio"] > prio["Crema"]  # 83,000 > 34,000
    assert all(p < 999 for n, p in prio.items() if n in ("Busto Arsizio", "Crema"))


def test_deck_draws_place_names_over_everything_not_pickable(crema_sites, provinces):
    prov = provinces.assign(name=[{"CR": "Cremona", "LO": "Lodi", "MI": "Milano"}.get(p, p)
                                  for p in provinces["province"]])
    deck = maps.build_deck(crema_sites, labelled_comuni(), prov, labels={}, fmt=IT, choropleth=None)
    layers = json.loads(deck.to_json())["layers"]
    ids = [layer["id"] for layer in layers]
    assert ids[-2:] == [maps.PLACE_LAYER_COMUNI, maps.PLACE_LAYER_CAPITALS]
    comuni_layer, capitals_layer = layers[-2], layers[-1]
    assert comuni_layer["@@type"] == capitals_layer["@@type"] == "TextLayer"
    expected = {"Lodi", "Milano"} & {n for p, n in zip(prov["province"], prov["name"])}
    assert expected and {r["name"] for r in capitals_layer["data"]} == expected
    assert "Crema" in {r["name"] for r in comuni_layer["data"]}
    assert comuni_layer["extensions"] == [{"@@type": "CollisionFilterExtension"}]
    assert "extensions" not in capitals_layer  # capitals are always drawn
    for layer in (comuni_layer, capitals_layer):
        assert layer["pickable"] is False
        assert layer["outlineWidth"] > 0 and layer["fontSettings"] == {"sdf": True}  # halo


def test_deck_without_place_names(crema_sites):
    deck = maps.build_deck(crema_sites, labelled_comuni(), None, labels={}, fmt=IT, place_names=False,
                           choropleth=None)
    assert "TextLayer" not in deck.to_json()


def test_zoom_to_one_comune_keeps_its_surroundings(crema_sites):
    one = maps.points_data(crema_sites.iloc[:1], fmt=IT)
    view = maps.view_state(one)
    # the frame spans at least MIN_VIEW_EXTENT_DEG of longitude: 360 / 2**(zoom + 0.3)
    span = 360.0 / 2 ** (view.zoom + 0.3)
    assert span >= maps.MIN_VIEW_EXTENT_DEG * 0.99
    assert span > 0.25  # neighbouring comuni (about 5 km apart) are in view
    assert view.zoom <= maps.MAX_VIEW_ZOOM


def test_mouse_wheel_does_not_zoom(crema_sites):
    spec = json.loads(maps.build_deck(crema_sites, labels={}, fmt=IT).to_json())
    controller = spec["views"][0]["controller"]
    assert controller["scrollZoom"] is False and controller["keyboard"] is True


# --------------------------------------------------------------------------- counts per comune (issue 15)
def comune_counts() -> pd.DataFrame:
    """Rows shaped like sql/map_comune_counts.sql: two comuni, one without a centroid, sites without a comune."""
    return pd.DataFrame({
        "comune_code": ["019035", "098031", "999999", None],
        "name": ["Crema", HOSTILE, "Nowhere", None],
        "province": ["CR", "LO", "XX", None],
        "lat": [45.364, 45.31, None, None], "lon": [9.686, 9.503, None, None],
        "sites": [1234, 5, 7, 3], "located": [1234, 5, 0, 0], "approximate": [1234, 5, 0, 0],
        "kind": ["company", "testing_lab", "company", "company"], "kind_sites": [1000, 3, 7, 3],
    })


def test_counts_layer_one_circle_per_comune_sized_by_count_with_a_text_tooltip():
    labels = {"aggregate_sites": "Sedi", "aggregate_kind": "Tipo più frequente", "aggregate_click": "Clic",
              "kind_company": "Impresa", "kind_testing_lab": "Laboratorio"}
    data = maps.aggregate_data(comune_counts(), labels, fmt=IT)
    assert list(data["comune_code"]) == ["019035", "098031"]  # no centroid, no comune: not drawn
    assert list(data["sites"]) == [1234, 5]
    crema, lodi = data.iloc[0], data.iloc[1]
    assert crema["radius"] == maps.AGG_MAX_RADIUS_M > lodi["radius"] > maps.AGG_MIN_RADIUS_M
    # the area grows with the count: radius above the minimum ~ sqrt(count)
    grow = (lodi["radius"] - maps.AGG_MIN_RADIUS_M) / (crema["radius"] - maps.AGG_MIN_RADIUS_M)
    assert grow == pytest.approx(math.sqrt(5 / 1234), abs=0.01)
    assert crema["fill"][:3] == list(maps.KIND_COLOURS["company"])
    assert lodi["fill"][:3] == list(maps.KIND_COLOURS["testing_lab"])
    assert crema["tooltip"].split("\n") == ["Crema (CR)", "Sedi: 1.234", "Tipo più frequente: Impresa (1.000)", "Clic"]
    assert lodi["tooltip"].split("\n")[0] == f"{HOSTILE} (LO)"  # plain text in a text tooltip, never parsed


def test_deck_with_counts_sends_no_site_and_colours_the_comuni_from_their_counts(comuni, provinces):
    counts = comune_counts()
    comuni = comuni.assign(count=[1234, 5, 0])  # sql/comuni_layer.sql's counts
    deck = maps.build_deck(pd.DataFrame(columns=list(site("x"))), comuni, provinces, labels={}, choropleth="count",
                           aggregates=counts, fmt=EN)
    spec = json.loads(deck.to_json())
    ids = [layer["id"] for layer in spec["layers"]]
    assert ids == ["province-land", "comuni", "province-borders", maps.AGGREGATE_LAYER_ID]
    agg = spec["layers"][-1]
    assert agg["pickable"] is True and agg["@@type"] == "ScatterplotLayer"
    assert agg["radiusUnits"] == "meters" and agg["radiusMinPixels"] == maps.AGG_MIN_PIXELS  # grows with the zoom
    assert sorted(r["comune_code"] for r in agg["data"]) == ["019035", "098031"]
    features = {f["properties"]["comune_code"]: f["properties"] for f in layer_by_id(deck, "comuni").data["features"]}
    assert "1,234" in features["019035"]["tooltip"] and features["015146"]["fill"][3] == 0
    assert maps.choropleth_values(None, comuni, "count").to_dict() == {"019035": 1234.0, "098031": 5.0, "015146": 0.0}


def test_threshold_is_one_constant_overridable_by_the_environment(monkeypatch):
    monkeypatch.delenv(maps.MAX_SITES_ENV, raising=False)
    assert maps.max_sites() == maps.MAX_SITES
    assert not maps.aggregated(maps.MAX_SITES) and maps.aggregated(maps.MAX_SITES + 1)
    monkeypatch.setenv(maps.MAX_SITES_ENV, "40")
    assert maps.max_sites() == 40 and maps.aggregated(41) and not maps.aggregated(40)
    assert maps.aggregated(41, limit=100) is False
    monkeypatch.setenv(maps.MAX_SITES_ENV, "lots")  # not a number: the constant
    assert maps.max_sites() == maps.MAX_SITES


def test_selected_comune_reads_a_click_on_a_count():
    event = {"selection": {"indices": {maps.AGGREGATE_LAYER_ID: [0]},
                           "objects": {maps.AGGREGATE_LAYER_ID: [{"comune_code": "019035", "sites": 3}]}}}
    assert maps.selected_comune(event) == "019035"
    site_click = {"selection": {"objects": {maps.POINTS_LAYER_ID: [{"org_id": "a"}]}}}
    assert maps.selected_comune(site_click) is None
    assert maps.selected_comune({"selection": {"objects": {}}}) is None and maps.selected_comune(None) is None
