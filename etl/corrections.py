"""Accepted public corrections: the curated file the staff desk writes, loaded by every build.

The file (`$BEAUTYVALLEY_CORRECTIONS`, else `<var>/corrections.csv`, where `<var>` is
`$BEAUTYVALLEY_VAR` or `var/` at the repository root) lives outside the rebuilt warehouse and outside
git, so accepted corrections survive every rebuild. One row per accepted correction:

    correction_id, org_id, field, value, source_url, reviewer, reviewed_at

`apply(con, reports)` runs right after `mart.organisations` is created and before the marts that count
it, so the counts follow the corrected values. A correction whose site no longer exists, whose field is
not correctable or whose value does not parse is not applied: it goes to `staging.rejected_rows` and the
file's line in `meta.load_files` counts it as rejected (rows_in = loaded + merged + rejected holds).
Every correction, applied or not, is listed in `meta.corrections`. The corrected site keeps all its
sources and gains the correction's source URL and the file's label.

`parse_value(field, text)` is the one check of a proposed value, used by the desk when a visitor
submits and by the build when it loads.
"""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from . import durable, messages, paths, schema
from .registry import values

VAR_ENV = "BEAUTYVALLEY_VAR"
FILE_ENV = "BEAUTYVALLEY_CORRECTIONS"
LABEL = "corrections.csv"
COLUMNS = ["correction_id", "org_id", "field", "value", "source_url", "reviewer", "reviewed_at"]

# field -> kind of value. "figure" fields need a source URL (data honesty: every figure has its source).
FIELDS = {
    "name": "text",
    "kind": "kind",
    "address": "text",
    "website": "url",
    "employees": "figure_int",
    "employees_year": "year",
    "revenue_eur": "figure_number",
    "revenue_year": "year",
    "founded": "year",
}
FIGURES = {"employees", "employees_year", "revenue_eur", "revenue_year", "founded"}
MAX_TEXT = 2000


def var_dir() -> Path:
    """The durable folder outside the warehouse and outside git (uploads, audit, corrections)."""
    raw = os.environ.get(VAR_ENV, "").strip()
    p = Path(raw) if raw else paths.ROOT / "var"
    return p if p.is_absolute() else paths.ROOT / p


def default_path() -> Path:
    raw = os.environ.get(FILE_ENV, "").strip()
    if raw:
        p = Path(raw)
        return p if p.is_absolute() else paths.ROOT / p
    return var_dir() / LABEL


def parse_value(field: str, text: str | None) -> tuple[object, str | None]:
    """(typed value, None) or (None, reason). Uses the ETL's own value parsers."""
    kind = FIELDS.get(field)
    if kind is None:
        return None, f"field {field!r} cannot be corrected (allowed: {', '.join(FIELDS)})"
    if text is None or not str(text).strip():
        return None, "empty value"
    text = str(text)
    if len(text) > MAX_TEXT:
        return None, f"value longer than {MAX_TEXT} characters"
    if kind == "text":
        v = values.clean_text(text)
        return (v, None) if v else (None, "empty value")
    if kind == "kind":
        v, err = values.parse_kind(text)
        return (v, None) if v and not err else (None, err or "unknown kind")
    if kind == "url":
        v, err = values.parse_url(text)
        return (v, None) if v else (None, err or "not a web address")
    if kind == "year":
        v, err = values.parse_year(text)
        return (v, None) if v is not None and not err else (None, err or "not a year")
    v, err = values.parse_number(text)
    if v is None or err:
        return None, err or "not a number"
    if v < 0:
        return None, "negative figure"
    if kind == "figure_int":
        if v != int(v):
            return None, "head count must be a whole number"
        return int(v), None
    return float(v), None


def needs_source(field: str) -> bool:
    return field in FIGURES


def read_rows(path: Path) -> list[dict]:
    """The rows of a corrections file, each with its line number (header = line 1)."""
    text = Path(path).read_text(encoding="utf-8")
    out = []
    for i, row in enumerate(csv.DictReader(io.StringIO(text, newline="")), start=2):
        out.append({**{c: (row.get(c) or "") for c in COLUMNS}, "line": i})
    return out


def write_rows(path: Path, rows: list[dict]) -> None:
    """Write the file atomically (temp file, fsync, os.replace): a crash leaves the old file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n", extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({c: "" if r.get(c) is None else str(r.get(c)) for c in COLUMNS})
    durable.write_atomic(path, buf.getvalue().encode("utf-8"))


def apply(con, reports: list, path: Path | None = None) -> None:
    """Apply the accepted corrections to mart.organisations (see the module docstring)."""
    import pandas as pd

    from .build import FileReport
    from .registry.reading import sha256_of
    from .sqlfiles import sql as _sql

    path = Path(path) if path is not None else default_path()
    schema.create_table(con, "meta.corrections")
    if not path.is_file():
        return
    rep = FileReport(file=LABEL, role="corrections", path=str(path), sha256=sha256_of(path), encoding="utf-8",
                     delimiter=",")
    reports.append(rep)
    try:
        rows = read_rows(path)
    except (UnicodeDecodeError, csv.Error) as e:
        rep.error = f"corrections file could not be read: {e}"
        return
    rep.rows_in = len(rows)
    known = {r[0] for r in con.execute("SELECT org_id FROM mart.organisations").fetchall()}
    applied, listed, rejected = [], [], []
    for r in rows:
        typed, reason = parse_value(r["field"], r["value"])
        if reason is None and r["org_id"] not in known:
            reason = f"no site with org_id {r['org_id']!r} in this build"
        if reason is None and needs_source(r["field"]):
            url, err = values.parse_url(r["source_url"])
            reason = None if url else "a figure needs a source URL"
        listed.append({**{c: r[c] for c in COLUMNS}, "applied": reason is None, "reason": reason})
        if reason is None:
            applied.append({"correction_id": r["correction_id"], "org_id": r["org_id"], "field": r["field"],
                            "value_text": typed if isinstance(typed, str) else None,
                            "value_number": float(typed) if not isinstance(typed, str) else None,
                            "source_url": values.parse_url(r["source_url"])[0], "reviewed_at": r["reviewed_at"],
                            "line": r["line"]})
        else:
            rejected.append({"file": LABEL, "line": r["line"], "field": r["field"] or None,
                             "value": r["value"] or None, "reason": reason})
    con.register("v_corr_list", pd.DataFrame(listed, columns=[*COLUMNS, "applied", "reason"]))
    con.execute("INSERT INTO meta.corrections SELECT * FROM v_corr_list")
    con.unregister("v_corr_list")
    if rejected:
        con.register("v_corr_rej", messages.with_codes(pd.DataFrame(rejected), "reason"))
        con.execute("INSERT INTO staging.rejected_rows (file, line, field, value, reason, code, params) "
                    "SELECT file, line, field, value, reason, code, params FROM v_corr_rej")
        con.unregister("v_corr_rej")
    rep.rows_loaded = len(applied)
    rep.rows_rejected = len(rejected)
    frame = pd.DataFrame(applied, columns=["correction_id", "org_id", "field", "value_text", "value_number",
                                           "source_url", "reviewed_at", "line"])
    frame["value_text"] = frame["value_text"].astype(object)
    frame["value_number"] = frame["value_number"].astype("float64")
    con.register("v_corrections", frame)
    con.execute(_sql("marts/organisations_corrections.sql"), {"label": LABEL})
    con.unregister("v_corrections")
