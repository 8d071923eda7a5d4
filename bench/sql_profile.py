"""Time the ETL's SQL after the inbox, statement by statement, on a copy of a built warehouse.

    python bench/sql_profile.py WAREHOUSE.duckdb [--root CHECKOUT] [--explain NAME] [--keep COPY.duckdb]

The warehouse must come from `python -m etl build` (it keeps staging.registry_rows and the other staging
tables). The script copies it, then re-runs on the copy, in build order and with the build's DuckDB memory
limit, the SQL of the merge stage (staging.sites, the accounting, the conflicts), the SQL marts of
`etl.build.MARTS` (mart.organisations with its `_label`, staging.site_ids, then the label dropped, as the
build does) and the build checks of the schema files. The Python steps between the marts (corrections,
staging.ateco_in_use, staging.specialty_keys) are not re-run: their tables stay as the build left them, so
a warehouse whose build applied public corrections gives a mart.organisations without them.

For each statement it prints wall and CPU seconds (all threads) and the peak RSS while it ran (Linux
`VmHWM`, reset before each statement), then compares every re-created table with the original warehouse
(`bench/table_hashes.py`'s fingerprints): "N tables re-created, 0 differ" proves that a rewritten .sql
file gives the same rows as the one the warehouse was built with. `--explain organisations` (or `sites`,
`field_provenance`, ...) prints DuckDB's EXPLAIN ANALYZE of that statement instead of running it plainly.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MEMORY_LIMIT = "512MB"  # what etl.build._prepare sets for the build


def statements(build, sqlfiles, schema):
    """(name, kind, SQL, parameters) in build order; kind: create <table>, select, or alter."""
    out = [("sites", "create staging.sites", sqlfiles.sql("staging/stg_registry__sites.sql"), {}),
           ("accounting", "select", sqlfiles.sql("staging/stg_registry__accounting.sql"), {}),
           ("conflicts", "select", sqlfiles.sql("staging/stg_registry__conflicts.sql"), {})]
    for step in build.MARTS:
        if step is build._site_ids:
            out.append(("site_ids", "create staging.site_ids", sqlfiles.sql("staging/stg_registry__site_ids.sql"), {}))
            out.append(("drop _label", "alter", "ALTER TABLE mart.organisations DROP COLUMN _label", {}))
        elif isinstance(step, str):
            out.append((step, f"create mart.{step}", sqlfiles.sql(f"marts/{step}.sql"), {}))
    checked = [n for n in schema.tables() if n not in build.META_RECORDS]
    for t in checked:
        for what, query, params in schema.check_queries(schema.tables()[t]):
            out.append((f"check {what}", "select", query, params))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db", type=Path)
    ap.add_argument("--root", type=Path, default=HERE.parent, help="the checkout whose etl/sql is timed")
    ap.add_argument("--explain", help="print EXPLAIN ANALYZE of this statement (a name of the list)")
    ap.add_argument("--keep", type=Path, help="keep the copy here (default: a temporary file, removed)")
    ap.add_argument("--top", type=int, default=15, help="how many statements to list, slowest first")
    args = ap.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    sys.path.insert(0, str(HERE))
    import duckdb
    from stages import _reset_peak, _status_mb  # the per-stage peak of bench/stages.py, here per statement
    from table_hashes import fingerprints

    from etl import build, schema, sqlfiles

    tmp = None
    if args.keep:
        copy = args.keep
    else:
        tmp = tempfile.TemporaryDirectory(prefix="sql_profile_")
        copy = Path(tmp.name) / "w.duckdb"
    shutil.copyfile(args.db, copy)
    rows = []
    created = []
    con = duckdb.connect(str(copy))
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    for name, kind, query, params in statements(build, sqlfiles, schema):
        if kind.startswith("create "):
            table = kind.split()[1]
            con.execute(f"DROP TABLE {table}")  # table: a fixed name of the list above
            query = f"CREATE TABLE {table} AS " + query
            created.append(table)
        if name == args.explain:
            print(con.execute("EXPLAIN ANALYZE " + query, params).fetchall()[0][1])
            continue
        _reset_peak()
        t, c = time.perf_counter(), time.process_time()
        con.execute(query, params).fetchall()
        rows.append((time.perf_counter() - t, time.process_time() - c, _status_mb("VmHWM"), name))
    con.close()
    total_s, total_cpu = sum(r[0] for r in rows), sum(r[1] for r in rows)
    print(f"{len(rows)} statements: {total_s:.2f} s wall, {total_cpu:.2f} s CPU")
    print(f"{'wall s':>7} {'cpu s':>7} {'peak MB':>8}  statement")
    for s, c, peak, name in sorted(rows, reverse=True)[:args.top]:
        print(f"{s:7.2f} {c:7.2f} {peak or float('nan'):8.0f}  {name}")
    before, after = fingerprints(args.db), fingerprints(copy)
    bad = [t for t in created if before.get(t) != after.get(t)]
    for t in bad:
        print(f"{t}: {before.get(t, {}).get('rows')} rows, hash {before.get(t, {}).get('hash')} -> "
              f"{after.get(t, {}).get('rows')} rows, hash {after.get(t, {}).get('hash')}")
    print(f"{len(created)} tables re-created, {len(bad)} differ")
    if tmp:
        tmp.cleanup()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
