"""The competence finder's library: capability search, straight-line distances, "who near X" and gaps.

Pure functions over DataFrames (no Streamlit, no translations): the page passes the frames returned by
the query functions at the bottom of this module (SQL in `beautyvalley/sql/*.sql`, parameters bound,
never formatted) and renders what comes back.

- `search(query, vocab, lang)`: Italian or English words, synonyms, registry tags, partial words
  ("flac") and small typos ("flacconi", rapidfuzz) -> capability codes with the word that matched.
  An exact word wins: if the folded query is exactly a label, synonym or tag, only the capabilities
  it names are returned, so the Italian and the English name of a capability give the same result.
- `haversine_km`: great-circle ("straight-line") distance on a sphere of radius `EARTH_RADIUS_KM`.
- `find(sites, place, radius_km, matches, vocab)`: sites having the capabilities (or a narrower one),
  with their distance, inside the radius, one row per site, nearest first.
- `gaps(place, radius_km, sites, vocab)`: the capabilities with no site inside the radius and the
  nearest site outside it.
"""
from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from etl.registry.values import fold

SQL_DIR = Path(__file__).resolve().parent / "sql"
EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius
KM_PER_DEGREE = EARTH_RADIUS_KM * np.pi / 180
EXACT, PREFIX = 100.0, 90.0
WORD_MIN_RATIO = 80.0  # a query word of 4+ letters matches a vocabulary word at this rapidfuzz ratio
MIN_SCORE = 0.9 * WORD_MIN_RATIO
RESULT_COLUMNS = ["org_id", "group_id", "name", "kind", "comune_code", "comune", "province", "lat", "lon",
                  "location_precision", "approximate", "distance_km", "capabilities", "matched", "tags",
                  "evidence", "source_urls", "source_files"]


# --------------------------------------------------------------------------- search

class _Index:
    """The vocabulary's words for one interface language, folded once: (code, term as written, folded)
    triples with the interface language's words first, and the distinct folded words."""

    def __init__(self, vocab: pd.DataFrame, lang: str):
        other = "en" if lang == "it" else "it"
        seen, codes, terms, keys = set(), [], [], []
        for r in vocab.itertuples(index=False):
            words = [getattr(r, f"label_{lang}"), *getattr(r, f"synonyms_{lang}"), getattr(r, f"label_{other}"),
                     *getattr(r, f"synonyms_{other}"), *(getattr(r, "tags", None) or ()), r.code.replace("_", " ")]
            for w in words:
                k = fold(w)
                if k and (r.code, k) not in seen:
                    seen.add((r.code, k))
                    codes.append(r.code), terms.append(w), keys.append(k)
        self.codes, self.terms, self.keys = codes, terms, keys
        self.by_key: dict[str, list[int]] = {}
        for i, k in enumerate(keys):
            self.by_key.setdefault(k, []).append(i)
        self.split = [k.split() for k in keys]
        self.words = sorted({w for ws in self.split for w in ws})
        self.word_pos = {w: i for i, w in enumerate(self.words)}
        self.term_words = [np.array([self.word_pos[w] for w in ws]) for ws in self.split]
        self.order = {c: i for i, c in enumerate(vocab["code"])}
        self.labels = dict(zip(vocab["code"], vocab[f"label_{lang}"]))


_INDEXES: dict[tuple[int, str], tuple[weakref.ref, _Index]] = {}


def _index(vocab: pd.DataFrame, lang: str) -> _Index:
    """The index of this vocabulary frame (kept while the frame lives; rebuilt for a new frame)."""
    hit = _INDEXES.get((id(vocab), lang))
    if hit is None or hit[0]() is not vocab:
        for k in [k for k, (ref, _) in _INDEXES.items() if ref() is None]:
            del _INDEXES[k]
        hit = (weakref.ref(vocab), _Index(vocab, lang))
        _INDEXES[(id(vocab), lang)] = hit
    return hit[1]


def _word_scores(qword: str, words: list[str]) -> np.ndarray:
    """How well one query word matches each vocabulary word: 100 for the word or a prefix of it (3+
    letters), else the rapidfuzz ratio against the word and against its prefix of the same length
    (4+ letters: a typo in a partial word), else 0."""
    score = np.array([100.0 if w == qword or (len(qword) >= 3 and w.startswith(qword)) else 0.0 for w in words])
    if len(qword) >= 4:
        whole = process.cdist([qword], words, scorer=fuzz.ratio)[0]
        head = process.cdist([qword], [w[:len(qword)] for w in words], scorer=fuzz.ratio)[0]
        fuzzy = np.maximum(whole, head)
        score = np.maximum(score, np.where(fuzzy >= WORD_MIN_RATIO, fuzzy, 0.0))
    return score


def search(query: str | None, vocab: pd.DataFrame, lang: str = "it") -> pd.DataFrame:
    """Capabilities matching free text. Returns columns code, label (in `lang`), matched (the label,
    synonym or tag that matched, as written), score (100 exact, 90 every query word a prefix of a
    word, lower for typos); best first (then the closest whole word, then vocabulary order). Empty for an empty query."""
    out_cols = ["code", "label", "matched", "score"]
    q = fold(query or "")
    if len(q) < 2 or vocab.empty:
        return pd.DataFrame(columns=out_cols)
    ix = _index(vocab, lang)
    exact = ix.by_key.get(q)
    if exact:
        whole = np.zeros(len(ix.keys))
        score = np.zeros(len(ix.keys))
        score[exact] = EXACT
    else:
        whole = process.cdist([q], ix.keys, scorer=fuzz.ratio)[0]  # also the tie-break: the closest word
        per_word = [_word_scores(w, ix.words) for w in q.split()]
        # a term matches when every query word matches one of its words; its score is the weakest word's
        word_score = np.array([min(s[tw].max() for s in per_word) for tw in ix.term_words])
        score = np.maximum(np.where(word_score >= 100, PREFIX, 0.9 * word_score), 0.9 * whole)
    best: dict[str, tuple] = {}
    for i in np.flatnonzero(score >= MIN_SCORE):
        c = ix.codes[i]
        if c not in best or (score[i], whole[i]) > best[c][:2]:
            best[c] = (score[i], whole[i], ix.terms[i])
    rows = sorted(best.items(), key=lambda kv: (-kv[1][0], -kv[1][1], ix.order[kv[0]]))
    return pd.DataFrame([(c, ix.labels[c], t, float(round(sc, 1))) for c, (sc, _, t) in rows], columns=out_cols)


def expand(codes: Iterable[str], vocab: pd.DataFrame) -> dict[str, str]:
    """{capability: the requested code it stands for}: each code and every narrower capability of it."""
    children = vocab.dropna(subset=["parent"]).groupby("parent")["code"].apply(list).to_dict()
    out: dict[str, str] = {}
    for c in codes:
        out.setdefault(c, c)
        for child in children.get(c, []):
            out.setdefault(child, c)
    return out


# --------------------------------------------------------------------------- distances

def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km between points in degrees (arrays broadcast)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def point(place) -> tuple[float, float]:
    """(lat, lon) of a place given as a mapping / row with lat and lon, or as a (lat, lon) pair."""
    if isinstance(place, Mapping) or hasattr(place, "lat"):
        lat, lon = (place["lat"], place["lon"]) if isinstance(place, Mapping) else (place.lat, place.lon)
    else:
        lat, lon = place
    return float(lat), float(lon)


def bounding_box(place, radius_km: float) -> tuple[float, float, float, float]:
    """(lat_min, lat_max, lon_min, lon_max) containing every point within radius_km of place: a cheap
    pre-filter for SQL; the exact test is the haversine distance."""
    lat, lon = point(place)
    dlat = radius_km / KM_PER_DEGREE
    far_lat = min(90.0, abs(lat) + dlat)
    cos = np.cos(np.radians(far_lat))
    dlon = 180.0 if cos < 1e-6 else min(180.0, radius_km / (KM_PER_DEGREE * cos))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def _with_distance(sites: pd.DataFrame, place) -> pd.DataFrame:
    lat, lon = point(place)
    return sites.assign(distance_km=haversine_km(lat, lon, sites["lat"].to_numpy(float), sites["lon"].to_numpy(float)))


# --------------------------------------------------------------------------- finder

def find(sites: pd.DataFrame, place, radius_km: float | None, matches: pd.DataFrame | Sequence[str],
         vocab: pd.DataFrame) -> pd.DataFrame:
    """Sites with any of the matched capabilities (or a narrower one), one row per site.

    `sites`: rows of `capability_sites()`; `place`: a (lat, lon) / mapping with lat, lon, or None (no
    distance, sorted by name); `radius_km`: None = no limit; `matches`: `search()`'s frame (code,
    matched) or plain codes (from a picker: the matched word is the code). Columns: RESULT_COLUMNS;
    `capabilities` lists the site's matching codes, `matched` the words that found them, `tags` the
    registry tags behind them, `evidence` "tag (file line N)"; `approximate` is True when the site
    sits on its comune's point rather than on given coordinates. Sorted by distance, then name."""
    if isinstance(matches, pd.DataFrame):
        word_of = dict(zip(matches["code"], matches["matched"]))
    else:
        word_of = {c: c for c in matches}
    wanted = expand(word_of, vocab)
    rows = sites[sites["capability"].isin(list(wanted))]
    if place is not None and len(rows):
        rows = _with_distance(rows, place)
        if radius_km is not None:
            rows = rows[rows["distance_km"] <= radius_km]
    else:
        rows = rows.assign(distance_km=np.nan)
    if rows.empty:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    word = {c: word_of[origin] for c, origin in wanted.items()}
    rows = rows.sort_values(["distance_km", "name", "org_id"], kind="stable", na_position="last")
    first = rows.drop_duplicates("org_id")  # one row per site, already in result order
    ids = first["org_id"].tolist()
    lists: dict[str, tuple[dict, dict, dict, dict]] = {o: ({}, {}, {}, {}) for o in ids}
    cols = (rows[c].tolist() for c in ("org_id", "capability", "tag", "source", "line"))  # bulk, not per cell
    for o, c, t, src, ln in zip(*cols):
        caps, words, tags, evidence = lists[o]  # dicts as ordered sets
        caps[c] = words[word[c]] = tags[t] = None
        evidence[f"{t} ({src} line {ln})"] = None
    out = first.drop(columns=["capability", "tag", "source", "line"], errors="ignore").reset_index(drop=True)
    for i, col in enumerate(("capabilities", "matched", "tags", "evidence")):
        out[col] = [list(lists[o][i]) for o in ids]
    out["approximate"] = out["location_precision"] != "address"
    return out[RESULT_COLUMNS]


def gaps(place, radius_km: float, sites: pd.DataFrame, vocab: pd.DataFrame,
         segments: Sequence[str] = ()) -> pd.DataFrame:
    """Capabilities of the value chain (of `segments`, default all) with no site within radius_km of
    place, each with the nearest site outside the radius (NaN when no site anywhere has it).

    A site counts for its capability and for the broader one above it. `sites`: rows of
    `capability_sites()` for every capability. Columns: code, label_it, label_en, segment, parent,
    nearest_org_id, nearest_name, nearest_comune, nearest_province, nearest_km; in vocabulary order."""
    voc = vocab if not segments else vocab[vocab["segment"].isin(list(segments))]
    cols = ["code", "label_it", "label_en", "segment", "parent", "nearest_org_id", "nearest_name",
            "nearest_comune", "nearest_province", "nearest_km"]
    ev = sites.drop_duplicates(["org_id", "capability"])
    ev = _with_distance(ev, place) if len(ev) else ev.assign(distance_km=pd.Series(dtype=float))
    parent = vocab.set_index("code")["parent"]
    up = ev.assign(capability=ev["capability"].map(parent)).dropna(subset=["capability"])
    ev = pd.concat([ev, up], ignore_index=True)
    ev = ev.sort_values("distance_km", kind="stable").drop_duplicates("capability")  # numeric sort only: fast
    nearest = ev.set_index("capability")  # the nearest site of each capability
    missing = voc[~voc["code"].map(nearest["distance_km"]).le(radius_km)]
    out = missing[["code", "label_it", "label_en", "segment", "parent"]].copy()
    for col, src in (("nearest_org_id", "org_id"), ("nearest_name", "name"), ("nearest_comune", "comune"),
                     ("nearest_province", "province"), ("nearest_km", "distance_km")):
        out[col] = out["code"].map(nearest[src])
    return out[cols].reset_index(drop=True)


# --------------------------------------------------------------------------- query functions

def sql(name: str) -> str:
    """The text of beautyvalley/sql/<name>.sql."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def vocabulary(con) -> pd.DataFrame:
    """mart.capabilities in display order (synonyms and tags as Python lists)."""
    df = con.execute(sql("capability_vocabulary")).df()
    for c in ("synonyms_it", "synonyms_en", "tags"):
        df[c] = df[c].map(lambda v: list(v) if v is not None else [])
    df["parent"] = df["parent"].astype(object).where(df["parent"].notna(), None)
    return df


def capability_sites(con, codes: Sequence[str] = (), box: Sequence[float] | None = None,
                     kinds: Sequence[str] = (), segments: Sequence[str] = ()) -> pd.DataFrame:
    """Placed sites with their capability evidence (see capability_sites.sql); codes () = all."""
    lat_min, lat_max, lon_min, lon_max = box if box is not None else (None,) * 4
    return con.execute(sql("capability_sites"), {
        "capabilities": list(codes), "lat_min": lat_min, "lat_max": lat_max, "lon_min": lon_min,
        "lon_max": lon_max, "kinds": list(kinds), "segments": list(segments)}).df()


def place(con, comune_code: str) -> dict | None:
    """An Italian comune (code, name, province, region, lat, lon) by ISTAT code, or None."""
    df = con.execute(sql("place"), {"comune_code": str(comune_code)}).df()
    return None if df.empty else df.iloc[0].to_dict()


def places(con) -> pd.DataFrame:
    """Every Italian comune with its point, for a place picker."""
    return con.execute(sql("places")).df()
