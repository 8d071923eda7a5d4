"""ATECO classification from the `ateco` package (ISTAT; 2007, 2022 and 2025 editions).

Codes are stored in the 2025 edition: 2022 codes are mapped with ISTAT's correspondence table;
2007 codes, which ATECO 2007-2022 only updated, are read as 2022 codes and mapped the same way.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import ateco

LICENCE = "ateco package (ISTAT ATECO classification, CC BY 4.0)"
TARGET = "2025"


@dataclass(frozen=True)
class AtecoResult:
    code: str | None
    warning: str | None = None


@lru_cache(maxsize=65536)
def to_2025(text: str) -> AtecoResult:
    raw = str(text).strip().upper().removeprefix("ATECO").strip()
    try:
        code = ateco.canonicalize(raw)
    except ValueError:
        return AtecoResult(None, f"{text!r} is not an ATECO code")
    if ateco.validate(code, edition=TARGET):
        return AtecoResult(code)
    for edition in ("2022", "2007"):
        if ateco.validate(code, edition=edition):
            res = ateco.map_code(code, "2022", TARGET) if ateco.validate(code, edition="2022") else None
            if res and len(res.targets) == 1:
                return AtecoResult(res.targets[0])
            if res and res.targets:
                return AtecoResult(code, f"ATECO {edition} code {code} maps to several 2025 codes "
                                         f"({', '.join(res.targets)}); kept as given")
            return AtecoResult(code, f"ATECO {edition} code {code} has no 2025 correspondence; kept as given")
    return AtecoResult(None, f"{text!r} is not a code of ATECO 2007, 2022 or 2025")


def title(code: str) -> str | None:
    for edition in (TARGET, "2022", "2007"):
        node = ateco.lookup(code, edition=edition)
        if node:
            return node.title
    return None


def level(code: str) -> str | None:
    node = ateco.lookup(code, edition=TARGET)
    return node.level if node else None
