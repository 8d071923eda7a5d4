"""The capability vocabulary, its ETL tables and the finder library (beautyvalley/capabilities.py).

Expected values are computed here independently: tags read from the CSVs with the csv module, distances
with a haversine written below (atan2 form), the nearest site by brute force over the fixture."""
from __future__ import annotations

import csv
import math
import re
import unicodedata
from pathlib import Path

import duckdb
import pytest

from beautyvalley import capabilities as bc
from etl.build import build_warehouse
from etl.sources import capabilities as etl_caps

ROOT = Path(__file__).resolve().parent.parent
CAPS_CSV = ROOT / "data" / "capabilities.csv"
TAGS_CSV = ROOT / "data" / "capability_tags.csv"
SEGMENTS = {"brand", "contract_manufacturer", "ingredients", "packaging", "machinery", "testing_services",
            "distribution", "services"}
CREMA, LODI = "019035", "098031"


def _key(text: str) -> str:  # an independent folding: accents off, lower case, non-alphanumerics as spaces
    t = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", t).split())


def _haversine(lat1, lon1, lat2, lon2, r=6371.0088):
    p1, p2, dp, dl = map(math.radians, (lat1, lat2, lat2 - lat1, lon2 - lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.atan2(math.sqrt(a), math.sqrt(1 - a))


def _rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def con(fixture_db):
    c = duckdb.connect(str(fixture_db), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def vocab(con):
    return bc.vocabulary(con)


@pytest.fixture(scope="module")
def sites(con):
    return bc.capability_sites(con)


# --------------------------------------------------------------------------- the vocabulary files

def test_every_curated_tag_maps_to_existing_capabilities():
    codes = {r["code"] for r in _rows(CAPS_CSV)}
    mapped = {}
    for r in _rows(TAGS_CSV):
        caps = [c.strip() for c in r["capabilities"].split("|") if c.strip()]
        assert caps and set(caps) <= codes, r
        mapped[_key(r["tag"])] = caps
    tags = {t.strip() for r in _rows(ROOT / "data" / "organisations.csv") for t in r["specialties"].split("|") if t.strip()}
    assert len(tags) > 200
    unmapped = sorted(t for t in tags if _key(t) not in mapped)
    assert not unmapped, f"curated tags without a capability in capability_tags.csv: {unmapped}"


def test_vocabulary_shape_two_levels_and_both_languages():
    rows = _rows(CAPS_CSV)
    by_code = {r["code"]: r for r in rows}
    assert len(by_code) == len(rows) >= 60
    for r in rows:
        assert r["segment"] in SEGMENTS, r["code"]
        for c in ("label_it", "label_en", "description_it", "description_en"):
            assert r[c].strip(), (r["code"], c)
        if r["parent"]:
            assert by_code[r["parent"]]["parent"] == "", f"{r['code']}: more than two levels"
    assert {r["segment"] for r in rows} == SEGMENTS  # every segment of the value chain has capabilities
    it_words = {_key(w) for r in rows for w in [r["label_it"], *r["synonyms_it"].split("|")]}
    for word in ("terzista", "conto terzi", "flaconi", "airless", "test di efficacia", "profumeria artistica"):
        assert word in it_words, word
    assert etl_caps.load(SEGMENTS)[0]["code"].tolist() == [r["code"] for r in rows]


@pytest.mark.parametrize("change, message", [
    (lambda caps, tags: caps.append(dict(caps[1], code="deep", parent=caps[1]["code"])), "two levels"),
    (lambda caps, tags: caps.append(dict(caps[1], code="twin")), "also names"),
    (lambda caps, tags: tags.append({"tag": "SYNTHETIC tag", "capabilities": "no_such_code"}), "not a capability code"),
    (lambda caps, tags: tags.append({"tag": "Trucco", "capabilities": "glass_packaging"}), "names 'make_up'"),
    (lambda caps, tags: caps.__setitem__(0, dict(caps[0], segment="nowhere")), "segment"),
])
def test_loader_rejects_a_broken_vocabulary(tmp_path, change, message):
    caps, tags = _rows(CAPS_CSV), _rows(TAGS_CSV)
    change(caps, tags)
    for name, rows in (("c.csv", caps), ("t.csv", tags)):
        with open(tmp_path / name, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
            w.writeheader()
            w.writerows(rows)
    with pytest.raises(etl_caps.CapabilitiesError, match=message):
        etl_caps.load(SEGMENTS, tmp_path / "c.csv", tmp_path / "t.csv")


# --------------------------------------------------------------------------- the ETL tables

def test_organisation_capabilities_trace_back_to_the_raw_row(con):
    mapped = {}
    for r in _rows(TAGS_CSV):
        mapped.setdefault(_key(r["tag"]), set()).update(r["capabilities"].split("|"))
    raw = {(f, ln): txt for f, ln, txt in con.execute("SELECT file, line, specialties FROM raw.registry_rows").fetchall()}
    ev = con.execute("SELECT org_id, capability, tag, source, line, source_urls FROM mart.organisation_capabilities").fetchall()
    assert ev
    vocab_terms = dict(con.execute(
        "SELECT tag_key, capability FROM staging.capability_tags WHERE via = 'vocabulary'").fetchall())
    for org_id, cap, tag, source, line, _urls in ev:
        assert tag in [t.strip() for t in (raw[(source, line)] or "").split("|")], (org_id, tag)
        assert cap in mapped.get(_key(tag), set()) or vocab_terms.get(_key(tag)) == cap, (tag, cap)
    alfa = {(c, s) for o, c, t, s, ln, u in ev if o == "fx-alfa-crema"}
    assert ("make_up", "fixture_registry.csv") in alfa and ("poured_products", "fixture_registry.csv") in alfa
    # a tag not in the mapping file but equal to a synonym ("pigments") still maps, through the vocabulary
    assert ("fx-delta-bergamo", "pigments_effects") in {(o, c) for o, c, *_ in ev}


def test_capability_counts_include_narrower_capabilities(con, vocab):
    ev = con.execute("SELECT DISTINCT org_id, capability FROM mart.organisation_capabilities").fetchall()
    parent = dict(zip(vocab["code"], vocab["parent"]))
    expected = {}
    for org, cap in ev:
        for c in {cap, parent[cap]} - {None}:
            expected.setdefault(c, set()).add(org)
    got = dict(zip(vocab["code"], vocab["n_organisations"]))
    assert got == {c: len(expected.get(c, ())) for c in got}
    assert got["packaging"] >= 1 and got["make_up"] >= 3


def test_unmapped_tags_of_an_inbox_file_are_kept(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "soci.csv").write_text(
        "Ragione sociale;Comune;Provincia;Specialità;Fonte\n"
        "SYNTHETIC Uno S.r.l.;Crema;CR;flaconi | SYNTHETIC tag ignoto;https://example.org/s\n"
        "SYNTHETIC Due S.r.l.;Lodi;LO;SYNTHETIC tag ignoto;https://example.org/s\n", encoding="utf-8")
    db = build_warehouse(tmp_path / "w.duckdb", inbox, registry=None, indicators_csv=None).db_path
    with duckdb.connect(str(db), read_only=True) as c:
        assert c.execute("SELECT file, tag, n_rows FROM mart.unmapped_tags").fetchall() == [
            ("inbox/soci.csv", "SYNTHETIC tag ignoto", 2)]
        assert c.execute("SELECT capability, tag, source, line FROM mart.organisation_capabilities").fetchall() == [
            ("bottles_jars", "flaconi", "inbox/soci.csv", 2)]


# --------------------------------------------------------------------------- search

def test_every_label_and_synonym_finds_its_capability(vocab):
    """A label finds exactly its capability; a synonym finds its capability, plus the others the mapping
    file sends the same word to (the tag "lipstick" is make-up and poured products)."""
    mapped = {}
    for r in _rows(TAGS_CSV):
        mapped.setdefault(_key(r["tag"]), set()).update(r["capabilities"].split("|"))
    n = 0
    for r in _rows(CAPS_CSV):
        for lang in ("it", "en"):
            assert bc.search(r[f"label_{lang}"], vocab, lang)["code"].tolist() == [r["code"]], r[f"label_{lang}"]
        words = [r["label_it"], r["label_en"], *r["synonyms_it"].split("|"), *r["synonyms_en"].split("|")]
        for w in filter(None, (w.strip() for w in words)):
            for lang in ("it", "en"):
                found = bc.search(w, vocab, lang)
                assert set(found["code"]) == {r["code"]} | mapped.get(_key(w), set()), (w, lang, found.to_dict("records"))
                assert (found["score"] == 100).all() and all(_key(m) == _key(w) for m in found["matched"])
                n += 1
    assert n > 1000


def test_italian_and_english_queries_give_the_same_results(vocab, sites, con):
    crema = bc.place(con, CREMA)
    pairs = [(r["label_it"], r["label_en"]) for r in _rows(CAPS_CSV)] + [
        ("flaconi", "bottles"), ("terzista", "contract manufacturer"), ("test di efficacia", "efficacy testing"),
        ("vetro", "glass"), ("profumeria artistica", "niche perfumery"), ("trucco", "make-up"),
        ("erogatori airless", "airless dispensers"), ("materie prime", "raw materials")]
    for it, en in pairs:
        a, b = bc.search(it, vocab, "it"), bc.search(en, vocab, "en")
        assert a["code"].tolist() == b["code"].tolist(), (it, en)
        assert a["label"].tolist() == bc.search(en, vocab, "it")["label"].tolist()  # labels follow lang only
        fa = bc.find(sites, crema, 200, a, vocab)
        fb = bc.find(sites, crema, 200, b, vocab)
        assert fa["org_id"].tolist() == fb["org_id"].tolist()
    assert len(bc.find(sites, crema, 200, bc.search("trucco", vocab), vocab)) >= 3


@pytest.mark.parametrize("query, code", [
    ("flac", "bottles_jars"), ("flacconi", "bottles_jars"), ("airles", "dispensers_airless"),
    ("terzsta", "contract_manufacturing"), ("conto terzi", "contract_manufacturing"), ("test efficacia", "efficacy_testing"),
    ("SPF", "spf_testing"), ("Profumeria Artistica", "niche_perfumery"), ("packagign", "packaging"),
    ("make up", "make_up"), ("airless dispensers", "dispensers_airless"), ("rossetti", "make_up"),
])
def test_partial_words_typos_case_and_tags(vocab, query, code):
    found = bc.search(query, vocab, "it")
    assert code in found["code"].tolist()[:3], (query, found.head(5).to_dict("records"))
    assert found["score"].is_monotonic_decreasing


@pytest.mark.parametrize("query", ["", "  ", "x", "qwzxv", "'; DROP TABLE mart.capabilities; --"])
def test_nonsense_finds_nothing(vocab, query):
    assert bc.search(query, vocab, "en").empty


# --------------------------------------------------------------------------- distances, radius, gaps

def test_distances_match_an_independent_haversine(con, sites, vocab):
    crema = bc.place(con, CREMA)
    res = bc.find(sites, crema, None, list(vocab["code"]), vocab)
    assert len(res) == sites["org_id"].nunique() >= 8
    for r in res.itertuples():
        assert r.distance_km == pytest.approx(_haversine(crema["lat"], crema["lon"], r.lat, r.lon), abs=1e-6)
    assert res["distance_km"].is_monotonic_increasing
    lodi = bc.place(con, LODI)
    assert 10 < _haversine(crema["lat"], crema["lon"], lodi["lat"], lodi["lon"]) < 30
    assert float(bc.haversine_km(crema["lat"], crema["lon"], lodi["lat"], lodi["lon"])) == pytest.approx(
        _haversine(crema["lat"], crema["lon"], lodi["lat"], lodi["lon"]), abs=1e-9)


@pytest.mark.parametrize("radius", [5, 20, 40, 80])
def test_results_inside_the_radius_and_nothing_missed(con, sites, vocab, radius):
    crema = bc.place(con, CREMA)
    codes = list(vocab["code"])
    res = bc.find(sites, crema, radius, codes, vocab)
    brute = {o for o, la, lo in sites[["org_id", "lat", "lon"]].itertuples(index=False)
             if _haversine(crema["lat"], crema["lon"], la, lo) <= radius}
    assert set(res["org_id"]) == brute
    assert (res["distance_km"] <= radius).all()
    box = bc.bounding_box(crema, radius)
    boxed = bc.find(bc.capability_sites(con, codes, box), crema, radius, codes, vocab)
    assert boxed["org_id"].tolist() == res["org_id"].tolist()  # the SQL pre-filter loses nothing


def test_gaps_name_the_missing_capability_and_its_truly_nearest_site(con, sites, vocab):
    crema = bc.place(con, CREMA)
    g = bc.gaps(crema, 10, sites, vocab).set_index("code")
    assert "make_up" not in g.index  # three fixture sites in and around Crema make make-up
    airless = g.loc["dispensers_airless"]
    assert airless["nearest_name"] == "Fixture Beta Packaging (synthetic)" and airless["nearest_comune"] == "Lodi"
    parent = dict(zip(vocab["code"], vocab["parent"]))
    for code, r in g.iterrows():
        having = sites[sites["capability"].isin([c for c in vocab["code"] if c == code or parent[c] == code])]
        dists = [(_haversine(crema["lat"], crema["lon"], la, lo), o)
                 for o, la, lo in having[["org_id", "lat", "lon"]].itertuples(index=False)]
        if not dists:
            assert math.isnan(r["nearest_km"])
            continue
        best = min(dists)
        assert best[0] > 10, code
        assert r["nearest_km"] == pytest.approx(best[0], abs=1e-6) and r["nearest_org_id"] in {o for d, o in dists
                                                                                              if abs(d - best[0]) < 1e-9}
    present = {c for c in vocab["code"] if c not in g.index}
    assert present and g.index.is_unique
    assert set(bc.gaps(crema, 10, sites, vocab, segments=["packaging"])["segment"]) == {"packaging"}


def test_capability_sites_apply_the_kind_and_segment_filters(con, sites):
    labs = bc.capability_sites(con, kinds=["testing_lab"])
    assert len(labs) and set(labs["kind"]) == {"testing_lab"}
    assert set(labs["org_id"]) == set(sites.loc[sites["kind"] == "testing_lab", "org_id"])
    seg = {o for o, s in con.execute("SELECT org_id, segments FROM mart.organisations").fetchall() if "packaging" in s}
    packed = bc.capability_sites(con, segments=["packaging"])
    assert len(packed) and set(packed["org_id"]) == seg & set(sites["org_id"])
    assert bc.capability_sites(con, ["no_such_capability"]).empty
