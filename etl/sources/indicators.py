"""KPIs and benchmark figures (`data/indicators.csv`), each with its source, validated row by row."""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pandas as pd

from ..registry.reading import sha256_of
from ..registry.values import clean_text, parse_number, parse_urls, parse_year

COLUMNS = ["indicator_id", "entity", "entity_type", "metric", "value", "unit", "year", "year_basis", "scope",
           "comparable_group", "source_url", "source_date", "note", "scope_it", "note_it"]
# Italian texts of scope and note: optional columns (a file without them loads, its Italian texts empty)
OPTIONAL = {"scope_it", "note_it"}
UNITS = {"EUR", "count", "percent", "year", "index"}
YEAR_BASES = {"stated", "inferred", "publication"}
REQUIRED = ["indicator_id", "entity", "entity_type", "metric", "value", "unit", "source_url"]


def load(path: Path, today: date | None = None):
    """Returns (raw frame, valid frame, rejected rows, issues)."""
    today = today or date.today()
    file = path.name
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, [])
        raw_rows = []
        for row in reader:
            if any(c.strip() for c in row):
                raw_rows.append((reader.line_num, row))
    missing_cols = [c for c in COLUMNS if c not in header and c not in OPTIONAL]
    if missing_cols:
        raise ValueError(f"{file}: missing column(s) {', '.join(missing_cols)}")
    idx = {c: header.index(c) if c in header else len(header) + 1 for c in COLUMNS}
    raw = pd.DataFrame([{**{c: (r[idx[c]] if idx[c] < len(r) else None) for c in COLUMNS}, "line": ln}
                        for ln, r in raw_rows], columns=[*COLUMNS, "line"])
    raw.insert(0, "file", file)
    raw.insert(1, "sha256", sha256_of(path))
    valid, rejected, issues, seen = [], [], [], set()
    for r in raw.to_dict("records"):
        line, errs = r["line"], []
        rec = {c: clean_text(r[c]) for c in COLUMNS}
        for c in REQUIRED:
            if rec[c] is None:
                errs.append((c, r[c], f"{c} is empty"))
        if rec["indicator_id"] in seen:
            errs.append(("indicator_id", r["indicator_id"], "duplicate indicator_id"))
        seen.add(rec["indicator_id"])
        value, err = parse_number(r["value"])
        if err:
            errs.append(("value", r["value"], err))
        if rec["unit"] and rec["unit"] not in UNITS:
            errs.append(("unit", r["unit"], f"unit must be one of {', '.join(sorted(UNITS))}"))
        urls, url_errs = parse_urls(r["source_url"])
        if rec["source_url"] and (url_errs or not urls):
            errs.append(("source_url", r["source_url"], "; ".join(url_errs) or "no http(s) URL"))
        sd = rec["source_date"]
        sd_year = int(sd[:4]) if sd and sd[:4].isdigit() else today.year
        year, err = parse_year(r["year"], lo=1800, hi=min(2030, sd_year))
        if err:
            errs.append(("year", r["year"], err + (f" (source dated {sd})" if sd else "")))
        if rec["year_basis"] and rec["year_basis"] not in YEAR_BASES:
            issues.append((file, line, "year_basis", r["year_basis"], "warning",
                           f"not one of {', '.join(sorted(YEAR_BASES))}; dropped"))
            rec["year_basis"] = None
        if errs:
            rejected.extend((file, line, f, v, m) for f, v, m in errs)
            continue
        rec.update(value=value, year=year, source_url=" | ".join(urls), file=file, line=line)
        valid.append(rec)
    cols = ["file", "line", "field", "value", "reason"]
    return (raw, pd.DataFrame(valid), pd.DataFrame(rejected, columns=cols),
            pd.DataFrame(issues, columns=["file", "line", "field", "value", "severity", "message"]))
