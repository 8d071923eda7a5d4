"""The controlled vocabularies, read from their one home `data/vocabularies.csv` (no Streamlit, no app).

One row per value: `vocabulary` (kind, site_type, figure_scope, status, cluster_role, location_precision),
`code` (what files, the warehouse, URLs and widget state carry), `sort_order` (display order within the
vocabulary), `label_key` (the text key of its label in both languages, e.g. `kind.company`; empty when the
app shows the code), `colour` (`#rrggbb`, the map colour of a kind) and `groups` (`|`-joined tags, e.g.
`research` for the kinds the overview counts as research).

Validation (etl/registry/validation.py), the build checks (etl/schema/*.toml `accepted_values`), the
warehouse (`mart.vocabularies`), the app's filters and map colours and the tests all read it. Adding a
value is one line here plus its two texts; a kind needs a colour.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import paths

COLUMNS = ["vocabulary", "code", "sort_order", "label_key", "colour", "groups"]
VOCABULARIES = ("kind", "site_type", "figure_scope", "status", "cluster_role", "location_precision")


class VocabularyError(Exception):
    pass


@dataclass(frozen=True)
class Term:
    vocabulary: str
    code: str
    sort_order: int
    label_key: str | None
    colour: str | None
    groups: tuple[str, ...]

    @property
    def rgb(self) -> tuple[int, int, int] | None:
        """The colour as an (r, g, b) tuple (pydeck's form)."""
        return None if self.colour is None else tuple(int(self.colour[i:i + 2], 16) for i in (1, 3, 5))


def read(path: Path = paths.VOCABULARIES_CSV) -> tuple[Term, ...]:
    """Every term, validated: known vocabulary, snake_case code unique within it, integer order, colour
    `#rrggbb`, every kind coloured. Raises VocabularyError naming the file and line."""
    path = Path(path)
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows or list(rows[0].keys()) != COLUMNS:
        raise VocabularyError(f"{path.name}: header must be {','.join(COLUMNS)}")
    terms, seen = [], set()
    for i, r in enumerate(rows, start=2):
        voc, code = r["vocabulary"].strip(), r["code"].strip()
        if voc not in VOCABULARIES:
            raise VocabularyError(f"{path.name} line {i}: vocabulary {voc!r} is not one of {', '.join(VOCABULARIES)}")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", code):
            raise VocabularyError(f"{path.name} line {i}: code {code!r} is not snake_case")
        if (voc, code) in seen:
            raise VocabularyError(f"{path.name} line {i}: {voc} {code!r} repeated")
        seen.add((voc, code))
        if not r["sort_order"].strip().isdigit():
            raise VocabularyError(f"{path.name} line {i}: sort_order {r['sort_order']!r} is not a whole number")
        colour = r["colour"].strip().lower() or None
        if colour is not None and not re.fullmatch(r"#[0-9a-f]{6}", colour):
            raise VocabularyError(f"{path.name} line {i}: colour {colour!r} is not #rrggbb")
        if voc == "kind" and colour is None:
            raise VocabularyError(f"{path.name} line {i}: kind {code!r} has no colour")
        terms.append(Term(voc, code, int(r["sort_order"]), r["label_key"].strip() or None, colour,
                          tuple(g for g in r["groups"].split("|") if g.strip())))
    return tuple(sorted(terms, key=lambda t: (VOCABULARIES.index(t.vocabulary), t.sort_order)))


@lru_cache(maxsize=1)
def _terms() -> tuple[Term, ...]:
    return read()


def terms(vocabulary: str) -> tuple[Term, ...]:
    """The terms of one vocabulary, in display order."""
    if vocabulary not in VOCABULARIES:
        raise KeyError(vocabulary)
    return tuple(t for t in _terms() if t.vocabulary == vocabulary)


def codes(vocabulary: str) -> tuple[str, ...]:
    """The codes of one vocabulary, in display order."""
    return tuple(t.code for t in terms(vocabulary))


def in_group(vocabulary: str, group: str) -> tuple[str, ...]:
    """The codes of a vocabulary tagged with `group` (e.g. the research kinds)."""
    return tuple(t.code for t in terms(vocabulary) if group in t.groups)


def colours(vocabulary: str = "kind") -> dict[str, tuple[int, int, int]]:
    """code -> (r, g, b) for the coloured terms of a vocabulary."""
    return {t.code: t.rgb for t in terms(vocabulary) if t.rgb is not None}


def frame():
    """All terms as a DataFrame (the build loads it as staging.vocabularies)."""
    import pandas as pd

    return pd.DataFrame([{"vocabulary": t.vocabulary, "code": t.code, "sort_order": t.sort_order,
                          "label_key": t.label_key, "colour": t.colour, "groups": list(t.groups)}
                         for t in _terms()], columns=COLUMNS)


KINDS = codes("kind")
SITE_TYPES = codes("site_type")
FIGURE_SCOPES = codes("figure_scope")
STATUSES = codes("status")
CLUSTER_ROLES = codes("cluster_role")
LOCATION_PRECISIONS = codes("location_precision")
RESEARCH_KINDS = in_group("kind", "research")
