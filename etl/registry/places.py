"""Resolving a comune name (and optional province) to its ISTAT code.

Exact match on a folded name first; then, only within the stated province, an approximate match
(rapidfuzz, score >= 90) that is reported as a correction. A name shared by comuni of several
provinces ("Castro": BG and LE) needs the province.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz, process

from .values import fold

FUZZY_MIN_SCORE = 90


@dataclass(frozen=True)
class Placed:
    code: str | None
    error: str | None = None  # the row cannot be placed
    warning: str | None = None  # placed, with a correction


_PAREN_PROV = re.compile(r"^(.*?)[\s,]*[\(\[]\s*([A-Za-z]{2})\s*[\)\]]\s*$|^(.*?)\s+-\s+([A-Za-z]{2})$")


_PROVINCE_PREFIXES = ("citta metropolitana di ", "provincia autonoma di ", "provincia di ", "provincia del ",
                      "provincia della ", "provincia dell ", "provincia ")
_PROVINCE_STOPWORDS = {"e", "di", "del", "della", "dell", "nell", "nella", "sul", "sulla"}


def _province_key(text: str) -> str:
    k = fold(text)
    for prefix in _PROVINCE_PREFIXES:
        if k.startswith(prefix):
            k = k[len(prefix):]
            break
    return " ".join(w for w in k.split() if w not in _PROVINCE_STOPWORDS)


def load_mergers(path) -> pd.DataFrame:
    """The sourced table of Lombard comuni merged into another since 2010 (`data/comuni_mergers.csv`)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


class PlaceIndex:
    def __init__(self, comuni: pd.DataFrame, mergers: pd.DataFrame | None = None):
        self.comuni = comuni.set_index("comune_code")
        # folded name of a deleted comune -> [(its province, successor code, year)]
        self.successors: dict[str, list[tuple[str, str, int]]] = {}
        if mergers is not None:
            for r in mergers.itertuples(index=False):
                if r.successor_code in self.comuni.index:
                    self.successors.setdefault(fold(r.deleted_name), []).append(
                        (r.deleted_province, r.successor_code, int(r.year)))
        self.by_key: dict[str, list[str]] = {}
        for code, name in zip(comuni["comune_code"], comuni["name"]):
            for variant in {name, *name.split("/")}:
                self.by_key.setdefault(fold(variant), [])
                if code not in self.by_key[fold(variant)]:
                    self.by_key[fold(variant)].append(code)
        self.province_codes = set(comuni["province"])
        self.province_by_name: dict[str, str] = {}
        for code, pname in zip(comuni["province"], comuni["province_name"]):
            for variant in (pname, *pname.split("/")):
                self.province_by_name[_province_key(variant)] = code
        self.province_by_name.update({"monza": "MB", "brianza": "MB"})
        self.keys_by_province: dict[str, dict[str, str]] = {}
        for code, name, prov in zip(comuni["comune_code"], comuni["name"], comuni["province"]):
            self.keys_by_province.setdefault(prov, {})[fold(name)] = code

    def label(self, code: str) -> str:
        r = self.comuni.loc[code]
        return f"{r['name']} ({r['province']})"

    def province_of(self, code: str) -> str:
        return self.comuni.at[code, "province"]

    def parse_province(self, text: str | None) -> tuple[str | None, str | None]:
        """A two-letter code, or a name: "Cremona", "Provincia di Cremona", "Città metropolitana di Milano",
        "Monza e Brianza", "Reggio Emilia", "MI - Milano", "CREMONA (CR)"."""
        if not isinstance(text, str) or not text.strip():
            return None, None
        t = text.strip().strip(".()").upper()
        if t in self.province_codes:
            return t, None
        for code in re.findall(r"\b[A-Z]{2}\b", text.upper()):
            if code in self.province_codes and (code == t or re.search(r"[(\-]", text)):
                return code, None
        code = self.province_by_name.get(_province_key(text))
        if code:
            return code, None
        return None, f"province {text!r} is not an Italian province code or name"

    def resolve(self, comune: str | None, province: str | None) -> Placed:
        """The comune of a (comune, province) pair as written; remembered, so the batches of a large file
        (and the files of one build) resolve each distinct pair once."""
        memo = self.__dict__.setdefault("_memo", {})
        key = (comune, province)
        if key not in memo:
            if len(memo) >= 100_000:  # a file of unknown names: memory stays bounded
                memo.clear()
            memo[key] = self._resolve(comune, province)
        return memo[key]

    def _resolve(self, comune: str | None, province: str | None) -> Placed:
        if not isinstance(comune, str) or not comune.strip():
            return Placed(None, error="comune missing: the row cannot be placed")
        text = " ".join(str(comune).split())
        m = _PAREN_PROV.match(text)
        if m and not province:
            text, province = (m.group(1) or m.group(3)).strip(), (m.group(2) or m.group(4)).upper()
        elif m:
            text = (m.group(1) or m.group(3)).strip()
        prov, perr = self.parse_province(province)
        if perr:
            return Placed(None, error=perr)
        key = fold(text)
        cands = self.by_key.get(key, [])
        if not cands and not m:
            # 'CREMA CR': a comune followed by its province code
            m2 = re.match(r"^(.*\S)\s+([A-Za-z]{2})$", text)
            if m2 and m2.group(2).upper() in self.province_codes and self.by_key.get(fold(m2.group(1))):
                if prov and prov != m2.group(2).upper():
                    where = ", ".join(self.label(c) for c in self.by_key[fold(m2.group(1))])
                    return Placed(None, error=f"province {prov} contradicts comune {text!r}, which is in {where}")
                text, prov = m2.group(1), m2.group(2).upper()
                key = fold(text)
                cands = self.by_key.get(key, [])
        if not cands and key in self.successors:
            return self._successor(text, key, prov)
        if prov:
            inprov = [c for c in cands if self.province_of(c) == prov]
            if len(inprov) == 1:
                return Placed(inprov[0])
            if cands:
                where = ", ".join(self.label(c) for c in cands)
                return Placed(None, error=f"province {prov} contradicts comune {text!r}, which is in {where}")
            pool = self.keys_by_province.get(prov, {})
            hit = process.extractOne(key, pool.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE) if key else None
            if hit:
                code = pool[hit[0]]
                return Placed(code, warning=f"comune {text!r} matched approximately to {self.label(code)} (score {hit[1]:.0f})")
            return Placed(None, error=f"comune {text!r} is not a comune of province {prov}{self._suggest(key)}")
        if len(cands) == 1:
            return Placed(cands[0])
        if len(cands) > 1:
            where = ", ".join(self.label(c) for c in cands)
            return Placed(None, error=f"comune {text!r} is ambiguous without a province: {where}")
        return Placed(None, error=f"comune {text!r} is not an Italian comune{self._suggest(key)}")

    def _successor(self, text: str, key: str, prov: str | None) -> Placed:
        """A comune merged into another: its successor, with a warning naming both and the year."""
        opts = [o for o in self.successors[key] if prov is None or o[0] == prov]
        if prov and not opts:
            where = ", ".join(f"{text} ({p}) -> {self.label(c)} in {y}" for p, c, y in self.successors[key])
            return Placed(None, error=f"province {prov} contradicts comune {text!r}, a former comune ({where})")
        succ = {c for _, c, _ in opts}
        if len(succ) == 1:
            p, code, year = opts[0]
            return Placed(code, warning=f"comune {text!r} ({p}) no longer exists: merged into {self.label(code)} "
                                        f"in {year}; placed there")
        names = ", ".join(f"{self.label(c)} (from {text} ({p}), {y})" for p, c, y in opts)
        return Placed(None, error=f"comune {text!r} no longer exists and its successor is not unique: {names}; "
                                  "give the province or the current comune")

    def _suggest(self, key: str) -> str:
        if not key:
            return ""
        hits = process.extract(key, self.by_key.keys(), scorer=fuzz.ratio, limit=3, score_cutoff=80)
        if not hits:
            return ""
        names = ", ".join(self.label(self.by_key[h[0]][0]) for h in hits)
        return f" (closest: {names})"
