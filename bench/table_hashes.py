"""Fingerprint every table of a warehouse, to prove that a speed change kept the data.

    python bench/table_hashes.py WAREHOUSE.duckdb > before.json
    python bench/table_hashes.py WAREHOUSE.duckdb --diff before.json    # exit 1 and list the tables that differ

Each table gets its row count and an order-independent hash of its rows (DuckDB `hash()` of the row, summed
modulo 2**64), so the same rows in another order hash the same. Tables and columns that differ on every run by
design are left out: `meta.load_runs` / `meta.load_files` (run ids, times, versions) and columns named in
RUN_COLUMNS. A table whose columns changed (added, removed, renamed) is reported as such.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

SKIP_TABLES = {("meta", "load_runs"), ("meta", "load_files")}
RUN_COLUMNS = {"run_id", "build_id", "built_at", "loaded_at", "started", "finished"}


def fingerprints(db: Path) -> dict[str, dict]:
    out: dict[str, dict] = {}
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() ORDER BY 1, 2").fetchall()
        for schema, table in tables:
            if (schema, table) in SKIP_TABLES:
                continue
            cols = [c for (c,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
                "ORDER BY column_index", [schema, table]).fetchall() if c not in RUN_COLUMNS]
            # identifiers come from the catalogue, not from user text; quoted
            select = ", ".join('"' + c.replace('"', '""') + '"' for c in cols)
            n, h = con.execute(
                f'SELECT count(*), coalesce(sum(hash(row({select}))::HUGEINT) % 18446744073709551616, 0) '
                f'FROM "{schema}"."{table}"').fetchone() if cols else (0, 0)
            out[f"{schema}.{table}"] = {"rows": int(n), "hash": str(h), "columns": cols}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db", type=Path)
    ap.add_argument("--diff", type=Path, help="a JSON written by this script: compare and list differences")
    args = ap.parse_args()
    now = fingerprints(args.db)
    if not args.diff:
        print(json.dumps(now, indent=1))
        return 0
    before = json.loads(args.diff.read_text())
    bad = 0
    for name in sorted(set(before) | set(now)):
        a, b = before.get(name), now.get(name)
        if a is None or b is None:
            print(f"{name}: {'new' if a is None else 'gone'}")
            bad += 1
        elif a["columns"] != b["columns"]:
            print(f"{name}: columns {a['columns']} -> {b['columns']}")
            bad += 1
        elif (a["rows"], a["hash"]) != (b["rows"], b["hash"]):
            print(f"{name}: rows {a['rows']:,} -> {b['rows']:,}, hash {a['hash']} -> {b['hash']}")
            bad += 1
    print(f"{len(now)} tables compared, {bad} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
