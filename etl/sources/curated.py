"""Reading the small curated vocabulary CSVs of data/ (segments, measures, comparable groups): the header
must be exactly the expected one, required cells filled, the key column unique. Errors name the file and
line (the header is line 1)."""
from __future__ import annotations

import csv
from pathlib import Path


def read_rows(path: Path, columns: list[str], error: type[Exception]) -> list[dict[str, str]]:
    """The rows of a small curated vocabulary CSV whose header must be exactly `columns`."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows or list(rows[0].keys()) != columns:
        raise error(f"{path.name}: header must be {','.join(columns)}")
    return rows


def checked_rows(path: Path, rows: list[dict[str, str]], required: list[str], key: str, key_name: str,
                 error: type[Exception]) -> list[tuple[int, dict[str, str]]]:
    """(line, row) pairs, after checking that the `required` cells are filled and `key` does not repeat."""
    seen: set[str] = set()
    out = []
    for i, r in enumerate(rows, start=2):
        for c in required:
            if not (r[c] or "").strip():
                raise error(f"{path.name} line {i}: {c} is empty")
        if r[key] in seen:
            raise error(f"{path.name} line {i}: {key_name} {r[key]!r} repeated")
        seen.add(r[key])
        out.append((i, r))
    return out
