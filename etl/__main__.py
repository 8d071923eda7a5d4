"""Command line: python -m etl build | validate | export | replica | coverage | docs.

Exit codes: 0 success; 1 an input file could not be read at all (build, validate), a row would be
rejected (validate) or a check failed (build: the previous warehouse stays in service); 2 bad arguments.
"""
from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from . import paths

console = Console(stderr=False, highlight=False, width=160)
err = Console(stderr=True, highlight=False)


def _opt_path(text: str) -> Path | None:
    return Path(text) if text else None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m etl", description="Build and check the Beauty Valley warehouse.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the warehouse (atomically replaces the previous one)")
    b.add_argument("--db", type=Path, default=paths.DEFAULT_DB, help=f"warehouse file (default {paths.DEFAULT_DB.relative_to(paths.ROOT)})")
    b.add_argument("--inbox", type=Path, default=paths.DEFAULT_INBOX, help="folder of registry exports (.csv, .xlsx)")
    b.add_argument("--registry", type=_opt_path, default=paths.REGISTRY_CSV, help=argparse.SUPPRESS)
    b.add_argument("--indicators", type=_opt_path, default=paths.INDICATORS_CSV, help=argparse.SUPPRESS)
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    for sp in (b,):
        sp.add_argument("--map", action="append", metavar="HEADER=FIELD", default=[],
                        help="map a column the import does not recognise, e.g. --map 'Dipendenti 2025=employees' "
                             "(also: a <file>.mapping.toml next to the file); FIELD 'ignore' drops it on purpose")
    v = sub.add_parser("validate", help="check registry files without writing anything")
    v.add_argument("files", nargs="+", type=Path)
    v.add_argument("--role", choices=["inbox", "registry"], default=None,
                   help="rules to apply (default: registry for data/organisations.csv, inbox otherwise)")
    v.add_argument("--map", action="append", metavar="HEADER=FIELD", default=[], help="as for build")
    v.add_argument("--strict", action="store_true", help="exit 1 when any column with a header or data was not loaded")
    e = sub.add_parser("export", help="write every mart table as Parquet")
    e.add_argument("--parquet", type=Path, required=True, metavar="DIR")
    e.add_argument("--db", type=Path, default=paths.DEFAULT_DB)
    r = sub.add_parser("replica", help="a small DuckDB file of views over a Parquet export (BEAUTYVALLEY_DB can point at it)")
    r.add_argument("--parquet", type=Path, required=True, metavar="DIR", help="a folder written by `export`")
    r.add_argument("--out", type=Path, required=True, metavar="FILE", help="the view file to write, e.g. views.duckdb")
    r.add_argument("--base", default=None, metavar="URL",
                   help="where the views read the export from instead of DIR, e.g. s3://bucket/build/ (DuckDB httpfs)")
    c = sub.add_parser("coverage", help="organisations by province and kind, and how many have each field")
    c.add_argument("--db", type=Path, default=paths.DEFAULT_DB)
    d = sub.add_parser("docs", help="rewrite data/README.md's data dictionary from the schema files (etl/schema/)")
    d.add_argument("--check", action="store_true", help="exit 1 if data/README.md differs, without writing")
    return p


def _terminate(signum, frame):
    # turn SIGTERM into SystemExit, so the build removes its temporary file on the way out
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _terminate)
    args = _parser().parse_args(argv)
    if args.command == "build":
        return _build(args)
    if args.command == "validate":
        return _validate(args)
    if args.command == "export":
        return _export(args)
    if args.command == "replica":
        return _replica(args)
    if args.command == "docs":
        return _docs(args)
    return _coverage(args)


def _docs(args) -> int:
    """data/README.md's generated section = etl.schema.dictionary()."""
    from . import durable, schema

    readme = paths.DATA_DIR / "README.md"
    shown = readme.relative_to(paths.ROOT) if readme.is_relative_to(paths.ROOT) else readme
    text = readme.read_text(encoding="utf-8")
    new = schema.with_dictionary(text)
    if new == text:
        console.print(f"{shown}: the data dictionary is up to date")
        return 0
    if args.check:
        err.print(f"{shown}: the data dictionary differs from etl/schema/; "
                  "run `python -m etl docs`")
        return 1
    durable.write_atomic(readme, new.encode("utf-8"))
    console.print(f"{shown}: data dictionary rewritten from etl/schema/")
    return 0


NUMERIC_COLS = ("rows in", "loaded", "merged", "rejected", "skipped", "warnings")


def _files_table(reports) -> Table:
    t = Table(title="Input files")
    for col in ("file", "role", *NUMERIC_COLS, "note"):
        t.add_column(col, justify="right" if col in NUMERIC_COLS else "left")
    for r in reports:
        note = f"could not be read: {r.error}" if r.error else "; ".join(
            x for x in [f"sheet {r.sheet!r}" if r.sheet else "", r.encoding or "", *r.notes] if x)
        t.add_row(r.file, r.role, str(r.rows_in), str(r.rows_loaded), str(r.rows_merged), str(r.rows_rejected),
                  str(r.rows_skipped), str(r.warnings), note)
    return t


def file_report_lines(r) -> list[str]:
    """What a staff member needs to act on one file: columns mapped and not, units, rows by outcome."""
    if r.error:
        return [f"{r.file}: could not be read at all: {r.error}"]
    out = [f"{r.file}: {r.rows_in} rows = {r.rows_loaded} loaded + {r.rows_merged} merged into an existing site "
           f"+ {r.rows_rejected} rejected + {r.rows_skipped} skipped"
           + (f" (sheet {r.sheet!r})" if r.sheet else "")]
    out.append("  mapped columns: " + ("; ".join(r.mapped) or "none"))
    if r.mapping_source:
        out.append(f"  mapping used: {r.mapping_source}")
    out.append("  not loaded: " + ("; ".join(repr(u) for u in r.unmapped) + " (map them with a "
               f"{Path(r.path).name}.mapping.toml file or --map 'HEADER=FIELD')" if r.unmapped else "none"))
    if r.units:
        out.append("  units applied: " + "; ".join(r.units))
    if r.skipped:
        lines = ", ".join(f"{ln}" for ln, _ in r.skipped[:12]) + (" …" if len(r.skipped) > 12 else "")
        out.append(f"  skipped (layout rows): {r.skipped_summary()} (lines {lines})")
    if r.rejected_reasons:
        out.append("  rejected: " + "; ".join(r.rejected_reasons))
    if r.warning_fields:
        out.append("  row warnings by field (details in staging.load_issues / `validate`): " + "; ".join(r.warning_fields))
    return out


def _build(args) -> int:
    from .build import BuildError, build_warehouse

    if args.inbox and args.inbox != paths.DEFAULT_INBOX and not args.inbox.is_dir():
        err.print(f"--inbox {args.inbox}: no such folder")
        return 2
    if args.db.is_dir():
        err.print(f"--db {args.db}: is a folder; give the path of the warehouse file")
        return 2
    for label, f in (("--registry", args.registry), ("--indicators", args.indicators)):
        if f is not None and not f.is_file():
            err.print(f"{label} {f}: no such file")
            return 2
    try:
        from .registry.reading import parse_cli_mapping
        overrides = parse_cli_mapping(args.map)
    except ValueError as e:
        err.print(str(e))
        return 2
    try:
        res = build_warehouse(args.db, args.inbox, registry=args.registry, indicators_csv=args.indicators,
                              progress=not args.quiet, overrides=overrides)
    except BuildError as e:
        err.print(f"build failed: {e}")
        return 1
    except FileNotFoundError as e:
        err.print(f"build failed: missing input {e.filename}")
        return 1
    console.print(_files_table(res.files))
    for r in res.files:
        if r.role == "inbox":
            for line in file_report_lines(r):
                console.print(line, markup=False)
    console.print(f"warehouse {res.db_path} built in {res.seconds:.1f} s: {res.organisations} organisation sites "
                  f"(run {res.run_id}); rejected rows and warnings are in staging.rejected_rows and staging.load_issues")
    if res.unreadable:
        for f in res.unreadable:
            err.print(f"{f.file}: could not be read at all: {f.error}")
        return 1
    return 0


def _validate(args) -> int:
    from .build import load_inputs, read_and_validate
    from .registry.reading import parse_cli_mapping

    try:
        overrides = parse_cli_mapping(args.map)
    except ValueError as e:
        err.print(str(e))
        return 2
    inputs = load_inputs()
    any_rejected = any_unreadable = any_unmapped = False
    for path in args.files:
        role = args.role or ("registry" if path.resolve() == paths.REGISTRY_CSV.resolve() else "inbox")
        table, v, rep = read_and_validate(path, inputs.ctx, role, overrides)
        if table is None:
            console.print(f"{path}: could not be read at all: {rep.error}")
            any_unreadable = True
            continue
        for note in rep.notes:
            console.print(f"{path}: warning: {note}")
        issues = v.issues.sort_values(["line", "severity"], kind="stable")
        for r in issues.itertuples():
            console.print(f"{path}:{r.line}: {r.severity}: field {r.field}: value {r.value!r}: {r.message}", markup=False)
        console.print(f"{path}: {rep.rows_in} rows, {rep.rows_rejected} would be rejected, "
                      f"{rep.rows_skipped} skipped (layout rows), {rep.warnings} warnings"
                      + (f" (sheet {rep.sheet!r})" if rep.sheet else "") + (f", encoding {rep.encoding}" if rep.encoding else ""))
        for line in file_report_lines(rep)[1:]:
            console.print(f"{path}: {line.strip()}", markup=False)
        any_rejected |= rep.rows_rejected > 0
        any_unmapped |= bool(rep.unmapped)
    if args.strict and any_unmapped:
        console.print("--strict: some columns were not loaded (listed above): exit 1")
    return 1 if (any_rejected or any_unreadable or (args.strict and any_unmapped)) else 0


def _export(args) -> int:
    from .replica import MANIFEST, export_parquet

    if not args.db.exists():
        err.print(f"{args.db}: no warehouse; run `python -m etl build` first")
        return 1
    for e in export_parquet(args.db, args.parquet):
        console.print(f"{e.schema}.{e.table}: {e.rows} rows -> {args.parquet / e.file}", markup=False)
    console.print(f"table list: {args.parquet / MANIFEST}", markup=False)
    return 0


def _replica(args) -> int:
    import duckdb

    from .replica import ReplicaError, build_views

    if args.out.is_dir():
        err.print(f"--out {args.out}: is a folder; give the path of the view file")
        return 2
    try:
        tables = build_views(args.parquet, args.out, args.base)
    except ReplicaError as e:
        err.print(str(e), markup=False)
        return 2
    except duckdb.Error as e:
        err.print(f"replica failed: {e}", markup=False)
        return 1
    views = sum(1 for e in tables if e.schema != "meta")
    console.print(f"{args.out}: {views} views over {args.base or args.parquet.resolve()}, "
                  f"{len(tables) - views} meta tables copied; serve it with BEAUTYVALLEY_DB={args.out}", markup=False)
    return 0


def _coverage(args) -> int:
    import duckdb

    from .coverage import coverage_tables

    if not args.db.exists():
        err.print(f"{args.db}: no warehouse; run `python -m etl build` first")
        return 1
    with duckdb.connect(str(args.db), read_only=True) as con:
        by_place, fields = coverage_tables(con)
    console.print(_frame_table("Organisation sites by province and kind", by_place))
    console.print(_frame_table("Fields filled", fields))
    return 0


def _frame_table(title: str, df) -> Table:
    t = Table(title=title)
    for c in df.columns:
        t.add_column(str(c))
    for row in df.itertuples(index=False):
        t.add_row(*[str(x) for x in row])
    return t


if __name__ == "__main__":
    sys.exit(main())
