"""The competence finder page (app_pages/competences.py) and its view logic (beautyvalley/finder_view.py).

Expected rows are computed here from the fixture DuckDB file and data/capabilities.csv with an
independent haversine, never with the finder library.
"""
from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from beautyvalley import finder_view as fv
from tests.test_pages import Downloads, db, sql  # noqa: F401  (db is a fixture)

ROOT = Path(__file__).resolve().parent.parent
CREMA, LODI = "019035", "098031"
CAPS = {r["code"]: r for r in csv.DictReader((ROOT / "data" / "capabilities.csv").read_text(encoding="utf-8").splitlines())}




def km_between(lat1, lon1, lat2, lon2, r=6371.0088):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def expected_rows(db: Path, code: str, near: str, km: float) -> list[tuple[str, float]]:
    """(name, km) of the placed sites having `code` or a narrower capability within km of near, nearest first."""
    codes = [c for c, r in CAPS.items() if c == code or r["parent"] == code]
    lat0, lon0 = sql(db, "SELECT lat, lon FROM staging.comuni WHERE comune_code = ?", [near])[0]
    rows = sql(db, """SELECT DISTINCT o.org_id, o.name, o.lat, o.lon FROM mart.organisation_capabilities oc
                      JOIN mart.organisations o USING (org_id)
                      WHERE list_contains(?, oc.capability) AND o.lat IS NOT NULL""", [codes])
    out = [(name, km_between(lat0, lon0, lat, lon)) for _, name, lat, lon in rows]
    return sorted([(n, d) for n, d in out if d <= km], key=lambda x: (x[1], x[0]))


def page(query_params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.switch_page("app_pages/competences.py")
    if query_params:
        at.query_params.update(query_params)
    return at.run()


def results(at: AppTest):
    frames = [d.value for d in at.dataframe if "distance_km" in d.value.columns]
    assert len(frames) == 1, [list(d.value.columns) for d in at.dataframe]
    return frames[0]


def url(at: AppTest, param: str) -> list[str]:
    v = at.query_params.get(param)
    return [] if v is None else [v] if isinstance(v, str) else list(v)


# --------------------------------------------------------------------------- AppTest of the page

def test_search_near_a_place_lists_the_sites_inside_the_radius_nearest_first(db):
    at = page({"q": "trucco", "near": CREMA, "km": "20"})
    assert not at.exception, [e.value for e in at.exception]
    shown = results(at)
    want = expected_rows(db, "make_up", CREMA, 20)
    assert len(want) >= 2
    assert shown["name"].tolist() == [n for n, _ in want]
    assert shown["distance_km"].tolist() == pytest.approx([round(d, 1) for _, d in want], abs=0.051)
    assert all(CAPS["make_up"]["label_it"] in caps for caps in shown["capabilities"])
    assert all(m == ["Trucco"] or "Trucco" in m for m in shown["matched"])
    # every fixture site sits on its comune's centre: "about"
    assert set(shown["location"]) == {"circa (centro del comune)"}
    assert "linea d'aria" in " ".join(c.value for c in at.caption)
    assert at.subheader[0].value.startswith(f"{len(want)} organizzazioni entro 20 km da Crema (CR)")


def test_italian_and_english_queries_show_the_same_rows(db):
    it = results(page({"q": "trucco", "near": CREMA, "km": "30"}))
    en_at = page({"q": "make-up", "near": CREMA, "km": "30", "lang": "en"})
    en = results(en_at)
    assert it["name"].tolist() == en["name"].tolist() and len(it)
    assert all(CAPS["make_up"]["label_en"] in caps for caps in en["capabilities"])
    assert en_at.title[0].value == "Capabilities: who can do what, and where"
    assert set(en["location"]) == {"about (comune centre)"}


def test_picker_codes_and_url_reproduce_the_search(db):
    at = page()
    assert not at.exception
    at.multiselect(key="cp_caps").set_value(["dispensers_airless"]).run()
    at.selectbox(key="cp_near").set_value(LODI).run()
    at.slider(key="cp_km").set_value(15).run()
    assert url(at, "cap") == ["dispensers_airless"] and url(at, "near") == [LODI] and url(at, "km") == ["15"]
    first = results(at)
    assert first["name"].tolist() == [n for n, _ in expected_rows(db, "dispensers_airless", LODI, 15)]
    again = page({k: url(at, k) if k == "cap" else url(at, k)[0] for k in ("cap", "near", "km")})
    assert again.multiselect(key="cp_caps").value == ["dispensers_airless"]
    assert results(again).equals(first)
    # the widget holds the code; the label is only the format_func's
    assert at.multiselect(key="cp_caps").value == ["dispensers_airless"]


def test_bad_url_values_are_dropped_with_a_notice(db):
    at = page({"cap": ["make_up", "no_such_cap"], "near": "999999", "km": "9000", "q": "trucco"})
    assert not at.exception
    notice = " ".join(w.value for w in at.warning).replace("\\", "")  # markdown-escaped
    assert "no_such_cap" in notice and "999999" in notice and "9000" in notice
    assert at.multiselect(key="cp_caps").value == ["make_up"]
    assert at.selectbox(key="cp_near").value is None
    assert at.slider(key="cp_km").value == fv.DEFAULT_KM
    # q belongs to the finder here, not to the sidebar's name filter
    assert at.text_input(key="cp_q").value == "trucco" and at.text_input(key="f_q").value == ""


def test_csv_download_has_the_shown_rows_with_codes_both_labels_and_sources(db, monkeypatch):
    downloads = Downloads(monkeypatch)
    at = page({"q": "trucco", "near": CREMA, "km": "20"})
    shown = results(at)
    name = [n for n in downloads.files if n and n.startswith("beautyvalley_capabilities_finder")]
    assert len(name) == 1
    rows = list(csv.DictReader(io.StringIO(downloads.get(name[0]).decode("utf-8"))))
    assert [r["name"].lstrip("'") for r in rows] == shown["name"].tolist()
    assert all("make_up" in r["capability_codes"].split(" | ") for r in rows)
    assert all(CAPS["make_up"]["label_it"] in r["capabilities_it"] and CAPS["make_up"]["label_en"] in r["capabilities_en"]
               for r in rows)
    src = dict(sql(db, "SELECT org_id, array_to_string(source_urls, ' | ') FROM mart.organisations"))
    assert all(r["source_urls"] == src[r["org_id"]] and r["source_urls"] for r in rows)
    assert not any(v.startswith(("=", "+", "@", "-")) for r in rows for v in r.values() if v)


def test_gaps_name_the_capabilities_missing_inside_the_radius(db):
    at = page({"near": CREMA, "km": "10"})
    gaps = [d.value for d in at.dataframe if "nearest_km" in d.value.columns]
    assert len(gaps) == 1
    shown = dict(zip(gaps[0]["capability"], gaps[0]["nearest_name"]))
    # skin care: only the Milan brand has it, ~41 km from Crema -> a gap, nearest = that brand
    assert shown[CAPS["skin_care"]["label_it"]] == "Fixture Gamma Brand (synthetic)"
    # make-up is present in Crema -> no gap
    assert CAPS["make_up"]["label_it"] not in shown


def test_kind_filter_of_the_sidebar_applies(db):
    at = page({"q": "trucco", "near": CREMA, "km": "20", "kind": "testing_lab"})
    assert not at.exception
    assert not [d for d in at.dataframe if "distance_km" in d.value.columns]
    assert any("Nessuna organizzazione" in i.value for i in at.info)


# --------------------------------------------------------------------------- view logic

def test_query_params_round_trip_through_parse_url():
    state = {fv.CAPS_KEY: ["make_up", "skin_care"], fv.Q_KEY: " airless ", fv.NEAR_KEY: CREMA, fv.KM_KEY: 40}
    params = fv.query_params(state)
    assert params == {"cap": ["make_up", "skin_care"], "q": "airless", "near": CREMA, "km": "40"}
    get = lambda p: (lambda v: [] if v is None else v if isinstance(v, list) else [v])(params.get(p))  # noqa: E731
    back, notices = fv.parse_url(get, ["make_up", "skin_care"], lambda c: c == CREMA)
    assert notices == [] and back == {**state, fv.Q_KEY: "airless"}
    assert fv.query_params({fv.KM_KEY: fv.DEFAULT_KM}) == {}


@pytest.mark.parametrize("text, value", [("25", 25), ("25.0", 25), ("0", None), ("301", None), ("2.5", None),
                                         ("nan", None), ("inf", None), ("abc", None), ("", None)])
def test_parse_km(text, value):
    assert fv.parse_km(text) == value


@pytest.mark.parametrize("lat, lon, km", [(45.36, 9.68, 25), (38.14, 13.31, 150), (46.5, 11.35, 1)])
def test_the_ring_lies_at_the_radius(lat, lon, km):
    pts = fv.ring(lat, lon, km)
    assert pts[0] == pts[-1] and len(pts) == fv.RING_POINTS + 1
    assert all(abs(km_between(lat, lon, p[1], p[0]) - km) < 0.01 for p in pts)


# --------------------------------------------------------------------------- capabilities on the other pages

def fixture_caps(db: Path) -> dict[str, set[str]]:
    """org_id -> its capability codes, straight from the mart."""
    out: dict[str, set[str]] = {}
    for o, c in sql(db, "SELECT org_id, capability FROM mart.organisation_capabilities"):
        out.setdefault(o, set()).add(c)
    return out


def dashboard(query_params: dict, page_file: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.query_params.update(query_params)
    at.run()
    return at.switch_page(page_file).run()


@pytest.mark.parametrize("lang", ["it", "en"])
def test_explore_table_shows_capabilities_in_the_interface_language(db, lang):
    at = dashboard({"prov": "all", "lang": lang}, "app_pages/explore.py")
    assert not at.exception
    table = at.dataframe[0].value
    ids = dict(sql(db, "SELECT name, org_id FROM mart.organisations"))
    caps = fixture_caps(db)
    for name, shown in zip(table["name"], table["specialties"]):
        want = {CAPS[c][f"label_{lang}"] for c in caps.get(ids[name], ())}
        assert set(shown) == want, name
    assert any(len(s) for s in table["specialties"])


def test_explore_csv_carries_capability_codes_and_both_labels(db, monkeypatch):
    downloads = Downloads(monkeypatch)
    dashboard({"prov": "all"}, "app_pages/explore.py")
    name = [n for n in downloads.files if n and n.startswith("beautyvalley_organisations_") and n.endswith(".csv")]
    rows = list(csv.DictReader(io.StringIO(downloads.get(name[0]).decode("utf-8"))))
    caps = fixture_caps(db)
    for r in rows:
        codes = {c for c in r["capability_codes"].split(" | ") if c}
        assert codes == caps.get(r["org_id"], set())
        assert set(filter(None, r["capabilities_it"].split(" | "))) == {CAPS[c]["label_it"] for c in codes}
        assert set(filter(None, r["capabilities_en"].split(" | "))) == {CAPS[c]["label_en"] for c in codes}


@pytest.mark.parametrize("lang", ["it", "en"])
def test_sectors_treemap_names_capabilities_in_the_interface_language(db, lang):
    import json

    at = dashboard({"prov": "all", "lang": lang}, "app_pages/sectors.py")
    treemap = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    leaves = {label for label, parent in zip(treemap["labels"], treemap["parents"]) if parent.startswith("seg:")}
    in_segments = sql(db, """SELECT DISTINCT oc.capability FROM mart.organisation_capabilities oc
                             JOIN mart.organisations o USING (org_id)
                             WHERE len(o.segments) > 0 AND coalesce(o.status, 'active') = 'active'""")
    want = {CAPS[c][f"label_{lang}"] for (c,) in in_segments}
    assert want and want <= leaves
    tags = {t for (t,) in sql(db, "SELECT DISTINCT unnest(specialties) FROM mart.organisations")}
    assert not (leaves & tags) - want  # no raw registry tag is a leaf any more


def test_card_shows_capabilities_not_tags(db):
    from beautyvalley import capability_labels

    org_id = "fx-alfa-crema"
    card = {"org_id": org_id, "specialties": ["make-up", "lipsticks"]}
    want = {CAPS[c]["label_en"] for c in fixture_caps(db)[org_id]}
    assert set(capability_labels.on_card(card, "en")["specialties"]) == want
    assert set(capability_labels.on_card(card, "it")["specialties"]) == {CAPS[c]["label_it"] for c in fixture_caps(db)[org_id]}


def test_deck_has_ring_and_search_point_under_the_organisations(db):
    import pandas as pd

    from beautyvalley.l10n import Formatter

    found = pd.DataFrame({"org_id": ["a"], "group_id": ["a"], "name": ["SYNTHETIC A"], "kind": ["company"],
                          "lat": [45.36], "lon": [9.68], "location_precision": ["comune"], "comune": ["Crema"],
                          "province": ["CR"]})
    deck = fv.finder_deck(found, {"lat": 45.3637, "lon": 9.6841}, 20, None, {}, "Crema (CR)", fmt=Formatter("it"))
    ids = [layer.id for layer in deck.layers]
    assert ids.index(fv.RING_LAYER_ID) < ids.index("organisations")
    assert ids.index(fv.PLACE_LAYER_ID) < ids.index("organisations")
    ring = next(layer for layer in deck.layers if layer.id == fv.RING_LAYER_ID).data[0]["path"]
    lats = [p[1] for p in ring]
    # the view is centred on the ring
    assert abs(deck.initial_view_state.latitude - (min(lats) + max(lats)) / 2) < 1e-6


def test_language_switch_keeps_the_picked_codes_and_relabels_them(db):
    at = page({"near": CREMA})
    at.multiselect(key="cp_caps").set_value(["make_up"]).run()
    at.segmented_control(key="lang").set_value("en").run()
    assert not at.exception
    assert at.multiselect(key="cp_caps").value == ["make_up"]
    assert at.selectbox(key="cp_near").value == CREMA
    assert set(results(at)["capabilities"].explode()) == {CAPS["make_up"]["label_en"]}
