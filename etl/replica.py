"""The Parquet export and a replica of the warehouse made of DuckDB views over it (issue 15, target 4).

`export_parquet` writes every mart table as `DIR/<table>.parquet`, the tables the dashboard reads outside
`mart` as `DIR/<schema>/<table>.parquet` (the build's meta tables, the comuni, the Sources page's
rejected rows and warnings) and `DIR/manifest.json`: the exported table list with rows and column types.

`build_views` turns an export into a small DuckDB file: one `CREATE VIEW mart.x AS SELECT * FROM
read_parquet('…')` per exported table, and the meta tables copied in (so the build id, the provenance
and the Sources page keep working). BEAUTYVALLEY_DB pointing at that file serves the dashboard unchanged.
The views point at the export's local files, or at `base` + the same relative name (an `s3://`, `gs://`
or `https://` prefix the export was copied to, read by DuckDB's httpfs). Table names and file names
come from the manifest and are checked against a strict pattern and against the files present; the
only text spliced into SQL is those names and the location, validated and quoted.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

MANIFEST = "manifest.json"
# Tables the dashboard reads outside `mart` (beautyvalley/sql/*.sql); tests/test_replica.py checks the list
# against those files. `meta` tables are copied into the view file, the others become views.
EXTRA_TABLES: dict[str, tuple[str, ...]] = {
    "meta": ("load_runs", "load_files", "corrections"),
    "staging": ("comuni", "load_issues", "rejected_rows"),
}
COPIED_SCHEMAS = ("meta",)
_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")
_BASE = re.compile(r"(s3|gs|gcs|r2|az|abfss|https?)://[A-Za-z0-9._~\-/%:@]+")


class ReplicaError(ValueError):
    """The export folder or the location is not one a replica can be built from."""


@dataclass(frozen=True)
class Exported:
    schema: str
    table: str
    file: str  # relative to the export folder, forward slashes
    rows: int
    columns: tuple[tuple[str, str], ...] = ()  # (name, DuckDB type) in the warehouse


def _relative(schema: str, table: str) -> str:
    return f"{table}.parquet" if schema == "mart" else f"{schema}/{table}.parquet"


def export_parquet(db: Path, out_dir: Path) -> list[Exported]:
    """Write every mart table, the EXTRA_TABLES and the manifest into out_dir; return what was written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    done: list[Exported] = []
    with duckdb.connect(str(db), read_only=True) as con:
        present = {(s, t) for s, t in con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables").fetchall()}
        tables = sorted(t for s, t in present if s == "mart")
        wanted = [("mart", t) for t in tables] + [
            (s, t) for s, names in EXTRA_TABLES.items() for t in names if (s, t) in present]
        columns: dict[str, list[list[str]]] = {}
        for schema, table in wanted:
            rel = _relative(schema, table)
            (out_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            data = con.table(f"{schema}.{table}")  # names from the catalogue (or the fixed list above)
            data.write_parquet(str(out_dir / rel))
            rows = con.execute(f'SELECT count(*) FROM {schema}."{table}"').fetchall()[0][0]
            columns[f"{schema}.{table}"] = [[c, str(t)] for c, t in zip(data.columns, data.types)]
            done.append(Exported(schema, table, rel, int(rows)))
        run = con.execute("SELECT run_id, build_id FROM meta.load_runs "
                          "ORDER BY coalesce(finished, started) DESC NULLS LAST LIMIT 1").fetchall()
    manifest = {
        "format": 1,
        "run_id": str(run[0][0]) if run else None,
        "build_id": str(run[0][1]) if run else None,
        "tables": [{"schema": e.schema, "table": e.table, "file": e.file, "rows": e.rows,
                    "columns": columns[f"{e.schema}.{e.table}"]} for e in done],
    }
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return done


def read_manifest(parquet_dir: Path) -> list[Exported]:
    """The exported table list of parquet_dir, each name validated and its file present."""
    path = parquet_dir / MANIFEST
    if not path.is_file():
        raise ReplicaError(f"{path}: no manifest; write the export with `python -m etl export --parquet DIR`")
    try:
        tables = json.loads(path.read_text(encoding="utf-8"))["tables"]
    except (ValueError, KeyError, TypeError) as e:
        raise ReplicaError(f"{path}: not a manifest of the export ({e})") from e
    out: list[Exported] = []
    seen: set[tuple[str, str]] = set()
    for t in tables:
        schema, table, file = str(t.get("schema")), str(t.get("table")), str(t.get("file"))
        allowed = schema == "mart" or table in EXTRA_TABLES.get(schema, ())
        if not (_NAME.fullmatch(schema) and _NAME.fullmatch(table) and allowed):
            raise ReplicaError(f"{path}: table {schema!r}.{table!r} is not one the export writes")
        if file != _relative(schema, table) or (schema, table) in seen:
            raise ReplicaError(f"{path}: {schema}.{table}: unexpected file {file!r} or repeated table")
        if not (parquet_dir / file).is_file():
            raise ReplicaError(f"{parquet_dir / file}: listed in the manifest but missing")
        seen.add((schema, table))
        cols = tuple((str(c), str(ty)) for c, ty in t.get("columns", []))
        out.append(Exported(schema, table, file, int(t.get("rows", 0)), cols))
    if not any(e.schema == "mart" for e in out):
        raise ReplicaError(f"{path}: no mart table listed")
    return out


def _literal(location: str) -> str:
    """A SQL string literal for a validated file location."""
    if any(ord(ch) < 32 for ch in location):
        raise ReplicaError(f"{location!r}: control characters in a file location")
    return "'" + location.replace("'", "''") + "'"


def check_base(base: str) -> str:
    """An object-storage or web prefix (s3://bucket/prefix/, https://host/path/), ending with '/'."""
    if not _BASE.fullmatch(base) or ".." in base.split("/"):
        raise ReplicaError(f"--base {base!r}: give a prefix such as s3://bucket/build/ or https://host/path/")
    return base if base.endswith("/") else base + "/"


def view_locations(parquet_dir: Path, tables: list[Exported], base: str | None = None) -> dict[str, str]:
    """'schema.table' -> where its view reads from: base + file, or the file's absolute local path."""
    root = parquet_dir.resolve()
    prefix = check_base(base) if base else None
    return {f"{e.schema}.{e.table}": (prefix + e.file if prefix else str(root / e.file)) for e in tables}


def build_views(parquet_dir: Path, out: Path, base: str | None = None) -> list[Exported]:
    """Write the view file `out` (atomically: a temporary file next to it, then os.replace)."""
    tables = read_manifest(parquet_dir)
    where = view_locations(parquet_dir, tables, base)
    local = view_locations(parquet_dir, tables)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        with duckdb.connect(str(tmp)) as con:
            for schema in sorted({e.schema for e in tables}):
                con.execute(f"CREATE SCHEMA {schema}")  # validated names (read_manifest)
            for e in tables:
                name = f"{e.schema}.{e.table}"
                if e.schema in COPIED_SCHEMAS:  # small: copied, so build id and provenance live in the file
                    con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet({_literal(local[name])})")
                else:
                    con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({_literal(where[name])})")
            _check_types(con, tables)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return tables


def _check_types(con, tables: list[Exported]) -> None:
    """Every view and copied table has the warehouse's columns and types (Parquet cannot hold some, e.g.
    HUGEINT, which DuckDB writes as DOUBLE): a difference is refused rather than served."""
    for e in tables:
        got = tuple((str(c), str(t)) for c, t in con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position", [e.schema, e.table]).fetchall())
        if e.columns and got != e.columns:
            diff = [f"{a} != {b}" for a, b in zip(got, e.columns) if a != b] or ["column count"]
            raise ReplicaError(f"{e.schema}.{e.table}: the Parquet columns differ from the warehouse's: "
                               + "; ".join(diff[:3]))
