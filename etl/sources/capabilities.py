"""The capability vocabulary (`data/capabilities.csv`) and the mapping of registry specialty tags to it
(`data/capability_tags.csv`).

The vocabulary has two levels at most (a capability may name a broader `parent`, which has none), one
value-chain segment per capability, Italian and English labels, synonyms and descriptions. Every folded
label or synonym belongs to one capability only, and a tag that reads like a capability's label or
synonym must map to that capability, so a search for a label finds exactly its capability.
Tags are matched folded (`values.fold`: case, accents and punctuation ignored); a tag that the mapping
file does not list but that reads like a label or synonym maps to that capability (`via = vocabulary`).
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from .. import paths
from ..registry.values import fold, split_list
from ..sqlfiles import create_from_frames

COLUMNS = ["code", "label_it", "label_en", "segment", "parent", "synonyms_it", "synonyms_en",
           "description_it", "description_en"]
TAG_COLUMNS = ["tag", "capabilities"]
REQUIRED = ["code", "label_it", "label_en", "segment", "description_it", "description_en"]
# the mart tables built from these inputs, in build order (one SQL file each in etl/sql/marts/)
MARTS = ["organisation_capabilities", "capabilities", "unmapped_tags"]


class CapabilitiesError(Exception):
    pass


def _read(path: Path, columns: list[str]) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows or list(rows[0].keys()) != columns:
        raise CapabilitiesError(f"{path.name}: header must be {','.join(columns)}")
    return rows


def terms(row) -> list[str]:
    """The folded words that name a capability: code, both labels, both languages' synonyms."""
    words = [row["code"].replace("_", " "), row["label_it"], row["label_en"], *row["synonyms_it"], *row["synonyms_en"]]
    return list(dict.fromkeys(fold(w) for w in words if fold(w)))


def load(segment_codes, capabilities_csv: Path = paths.CAPABILITIES_CSV,
         tags_csv: Path = paths.CAPABILITY_TAGS_CSV) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(vocabulary, tag mapping): validated; raises CapabilitiesError naming the file and line."""
    name = Path(capabilities_csv).name
    rows = _read(Path(capabilities_csv), COLUMNS)
    codes: dict[str, int] = {}
    for i, r in enumerate(rows, start=2):
        for c in REQUIRED:
            if not r[c].strip():
                raise CapabilitiesError(f"{name} line {i}: {c} is empty")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", r["code"]):
            raise CapabilitiesError(f"{name} line {i}: code {r['code']!r} is not snake_case")
        if r["code"] in codes:
            raise CapabilitiesError(f"{name} line {i}: code {r['code']!r} repeats line {codes[r['code']]}")
        codes[r["code"]] = i
        if r["segment"] not in segment_codes:
            raise CapabilitiesError(f"{name} line {i}: segment {r['segment']!r} is not a segment of segments.csv")
        r["synonyms_it"], r["synonyms_en"] = split_list(r["synonyms_it"]), split_list(r["synonyms_en"])
    by_code = {r["code"]: r for r in rows}
    owner: dict[str, str] = {}
    for r in rows:
        i = codes[r["code"]]
        p = r["parent"].strip()
        if p:
            if p not in by_code:
                raise CapabilitiesError(f"{name} line {i}: parent {p!r} is not a capability")
            if by_code[p]["parent"].strip():
                raise CapabilitiesError(f"{name} line {i}: parent {p!r} has a parent itself (two levels at most)")
            if by_code[p]["segment"] != r["segment"]:
                raise CapabilitiesError(f"{name} line {i}: segment differs from its parent's ({by_code[p]['segment']})")
        for t in terms(r):
            if owner.setdefault(t, r["code"]) != r["code"]:
                raise CapabilitiesError(f"{name} line {i}: {t!r} also names {owner[t]!r}")
    vocab = pd.DataFrame(rows, columns=COLUMNS)
    vocab["parent"] = vocab["parent"].str.strip().replace("", None)
    vocab["level"] = vocab["parent"].isna().map({True: 1, False: 2})
    vocab["sort_order"] = range(len(vocab))

    tname = Path(tags_csv).name
    mapping, seen = [], {}
    for i, r in enumerate(_read(Path(tags_csv), TAG_COLUMNS), start=2):
        key = fold(r["tag"])
        if not key:
            raise CapabilitiesError(f"{tname} line {i}: empty tag")
        if key in seen:
            raise CapabilitiesError(f"{tname} line {i}: tag {r['tag']!r} repeats line {seen[key]} (folded)")
        seen[key] = i
        caps = split_list(r["capabilities"])
        if not caps:
            raise CapabilitiesError(f"{tname} line {i}: tag {r['tag']!r} maps to no capability")
        for c in caps:
            if c not in by_code:
                raise CapabilitiesError(f"{tname} line {i}: {c!r} is not a capability code")
        if key in owner and owner[key] not in caps:
            raise CapabilitiesError(f"{tname} line {i}: tag {r['tag']!r} names {owner[key]!r} but maps to {', '.join(caps)}")
        mapping += [{"tag": r["tag"], "tag_key": key, "capability": c, "via": "mapping"} for c in caps]
    # a tag that reads like a label or synonym (e.g. "flaconi" in a user file) maps to its capability
    mapping += [{"tag": t, "tag_key": t, "capability": c, "via": "vocabulary"} for t, c in owner.items() if t not in seen]
    return vocab, pd.DataFrame(mapping, columns=["tag", "tag_key", "capability", "via"])


def stage(con, segment_codes, capabilities_csv: Path = paths.CAPABILITIES_CSV,
          tags_csv: Path = paths.CAPABILITY_TAGS_CSV) -> None:
    """staging.capabilities and staging.capability_tags."""
    vocab, mapping = load(segment_codes, capabilities_csv, tags_csv)
    create_from_frames(con, "staging.capabilities", "staging/stg_capabilities.sql", raw_capabilities=vocab)
    create_from_frames(con, "staging.capability_tags", "staging/stg_capability_tags.sql", raw_capability_tags=mapping)


def stage_tag_keys(con) -> None:
    """staging.specialty_keys(tag, tag_key): every distinct specialty tag of the loaded rows, folded in
    Python with the same `fold` as the mapping (there are a few hundred, not one per row)."""
    tags = [r[0] for r in con.execute(
        "SELECT DISTINCT unnest(specialties) FROM staging.registry_rows").fetchall() if r[0] is not None]
    keys = pd.DataFrame({"tag": pd.Series(tags, dtype=object), "tag_key": pd.Series([fold(t) for t in tags], dtype=object)})
    create_from_frames(con, "staging.specialty_keys", "staging/stg_specialty_keys.sql", raw_specialty_keys=keys)
