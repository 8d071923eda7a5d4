"""Preview, publish and undo.

preview   builds, in a temporary folder, the warehouse the ETL would build with the file added to the
          inbox (the other inbox files are linked, not copied) and compares it with the warehouse in
          service: new sites, merged sites (existing sites the file's rows were folded into), changed
          fields (old -> new, with the new row's sources), sites that would disappear. Nothing is published.
publish   under an exclusive lock (var/publish.lock, `flock`: two publishers wait for each other, neither
          upload is lost): finish any publish a crash interrupted, write `publish_started` to the audit
          log, keep the warehouse in service (a hard link in var/builds/, so undo can restore it), put the
          file in the inbox (atomic rename), rebuild with `etl.build.build_warehouse` (atomic: the previous
          build stays in service until the new one passed its checks), write `published` with the build
          id and the file's counts. A failed build takes the file back out of the inbox and writes
          `publish_failed`. A kill leaves the previous build in service and the stored upload and the
          `publish_started` entry on disk; the next publish or undo (or `recover()`) finds it and writes
          `publish_interrupted` (file taken out of the inbox) or, if the new build did get promoted,
          `published`.
undo      (admin) restores the build kept before the latest publish not yet undone, atomically, and takes
          that file out of the inbox; writes `undo`. The last `keep_builds` (5) replaced builds are kept.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from etl.durable import copy_atomic

from . import staff
from .checking import _link_sidecar
from .config import DeskConfig
from .store import Store
from .uploads import StoredUpload

COMPARED = ["name", "kind", "segments", "specialties", "ateco", "comune_code", "comune", "province", "lat", "lon",
            "location_precision", "address", "site_type", "employees", "employees_year", "revenue_eur",
            "revenue_year", "figure_scope", "founded", "website", "vat", "cluster_role"]
ENDS = ("published", "publish_failed", "publish_interrupted")


class Forbidden(PermissionError):
    """The signed-in role may not do this (code staff.forbidden)."""


class NothingToUndo(Exception):
    pass


def _require(role: str | None, action: str) -> None:
    if not staff.can(role, action):
        raise Forbidden(f"role {role!r} may not {action}")


# --------------------------------------------------------------------------- the warehouse in service

@contextlib.contextmanager
def open_served(db: Path):
    """A read-only connection to the warehouse file as it is now on disk. Opened through a fresh hard link:
    DuckDB caches database instances by path inside a process, so opening the served path itself could
    return an instance of a build the app has not let go of yet."""
    db = Path(db)
    link = db.parent / f".{db.name}.desk-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    os.link(db, link)
    try:
        con = duckdb.connect(str(link), read_only=True)
        try:
            yield con
        finally:
            con.close()
    finally:
        link.unlink(missing_ok=True)
        Path(str(link) + ".wal").unlink(missing_ok=True)


def served_build_id(db: Path) -> str | None:
    if not Path(db).exists():
        return None
    with open_served(db) as con:
        return con.execute("SELECT build_id FROM meta.load_runs").fetchone()[0]


def _organisations(db: Path | None) -> pd.DataFrame:
    if db is None or not Path(db).exists():
        return pd.DataFrame(columns=["org_id", *COMPARED, "source_urls", "source_files"])
    with open_served(db) as con:
        return con.execute("SELECT org_id, " + ", ".join(COMPARED) + ", source_urls, source_files "
                           "FROM mart.organisations").df()


# --------------------------------------------------------------------------- preview

@dataclass
class Preview:
    file: str                     # inbox/<name>
    build_ok: bool
    error: str | None
    counts: dict                  # rows_in, rows_loaded, rows_merged, rows_rejected, warnings of the file
    new_sites: pd.DataFrame       # org_id, name, comune, province, kind, source_urls, source_files
    merged_sites: pd.DataFrame    # org_id, name, comune, province (existing sites the file's rows joined)
    changed: pd.DataFrame         # org_id, name, field, old, new, source_urls, source_files
    disappeared: pd.DataFrame     # org_id, name, comune, province
    build_id: str | None = None


def _norm(v):
    if isinstance(v, float) and pd.isna(v):
        return None
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if hasattr(v, "tolist") and not isinstance(v, str):
        v = v.tolist()
    if isinstance(v, (list, tuple)):
        return sorted(str(x) for x in v)
    if isinstance(v, float):
        return round(v, 6)
    return v


def diff(old: pd.DataFrame, new: pd.DataFrame, label: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(new sites, merged sites, changed fields, disappeared sites) between two mart.organisations."""
    site_cols = ["org_id", "name", "comune", "province", "kind", "source_urls", "source_files"]
    old_ids, new_ids = set(old["org_id"]), set(new["org_id"])
    added = new[new["org_id"].isin(new_ids - old_ids)][site_cols].reset_index(drop=True)
    gone = old[old["org_id"].isin(old_ids - new_ids)][site_cols].reset_index(drop=True)
    o = old.set_index("org_id")
    common = new[new["org_id"].isin(old_ids)]
    has_file = common["source_files"].map(lambda fs: label in (list(fs) if fs is not None else []))
    merged = common[has_file & common["org_id"].map(
        lambda i: label not in (list(o.at[i, "source_files"]) if o.at[i, "source_files"] is not None else []))]
    changes = []
    for row in common.itertuples(index=False):
        before = o.loc[row.org_id]
        for f in COMPARED:
            a, b = _norm(before[f]), _norm(getattr(row, f))
            if a != b:
                changes.append({"org_id": row.org_id, "name": row.name, "field": f, "old": before[f],
                                "new": getattr(row, f), "source_urls": row.source_urls,
                                "source_files": row.source_files})
    changed = pd.DataFrame(changes, columns=["org_id", "name", "field", "old", "new", "source_urls", "source_files"])
    return added, merged[site_cols].reset_index(drop=True), changed, gone


def _link_inbox(cfg: DeskConfig, target: Path, extra: Path | None, extra_name: str | None) -> None:
    from etl.build import inbox_files

    target.mkdir(parents=True, exist_ok=True)
    for p in inbox_files(cfg.inbox):
        (target / p.name).symlink_to(p.resolve())
        _link_sidecar(p, target / p.name)  # a published file's saved mapping applies in the preview too
    if extra is not None:
        link = target / extra_name
        link.unlink(missing_ok=True)
        link.symlink_to(Path(extra).resolve())
        _link_sidecar(Path(extra), link)


def rebuild(cfg: DeskConfig, db: Path, inbox: Path):
    """build_warehouse with the desk's inputs (registry, indicators; corrections from their default file)."""
    from etl.build import build_warehouse

    return build_warehouse(db, inbox, registry=cfg.registry, indicators_csv=cfg.indicators)


def _file_counts(res, label: str) -> dict:
    for r in res.files:
        if r.file == label:
            return {"rows_in": r.rows_in, "rows_loaded": r.rows_loaded, "rows_merged": r.rows_merged,
                    "rows_rejected": r.rows_rejected, "warnings": r.warnings, "error": r.error}
    return {}


def preview(cfg: DeskConfig, upload: StoredUpload, role: str | None) -> Preview:
    _require(role, "preview")
    from etl.build import BuildError

    label = f"inbox/{upload.inbox_name}"
    with tempfile.TemporaryDirectory(prefix="bv-preview-", dir=cfg.var if cfg.var.exists() else None) as d:
        inbox, db = Path(d) / "inbox", Path(d) / "preview.duckdb"
        _link_inbox(cfg, inbox, upload.path, upload.inbox_name)
        empty = pd.DataFrame()
        try:
            res = rebuild(cfg, db, inbox)
        except BuildError as e:
            return Preview(label, False, str(e), {}, empty, empty, empty, empty)
        old = _organisations(cfg.db if cfg.db.exists() else None)
        added, merged, changed, gone = diff(old, _organisations(db), label)
        return Preview(label, True, None, _file_counts(res, label), added, merged, changed, gone, res.build_id)


# --------------------------------------------------------------------------- lock, recovery

@contextlib.contextmanager
def publish_lock(cfg: DeskConfig):
    """Exclusive across threads and processes (flock on a file of its own; released if the holder dies)."""
    cfg.ensure()
    with open(cfg.lock_path, "a+") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _active_publishes(store: Store) -> list[dict]:
    """`published` entries not undone yet, oldest first."""
    log = list(reversed(store.audit_log()))
    undone = {e["detail"]["published_id"] for e in log if e["action"] == "undo"}
    return [e for e in log if e["action"] == "published" and e["id"] not in undone]


def _unlink_inbox(cfg: DeskConfig, name: str) -> None:
    """Take a file and its saved column mapping (sidecar) out of the inbox."""
    from etl.registry.reading import sidecar_of

    (cfg.inbox / name).unlink(missing_ok=True)
    sidecar_of(cfg.inbox / name).unlink(missing_ok=True)


def _copy_sidecar(upload: StoredUpload, target: Path) -> None:
    """The column mapping saved for the upload goes into the inbox with it (the ETL reads it there)."""
    from etl.registry.reading import sidecar_of

    side = sidecar_of(upload.path)
    if side.is_file():
        copy_atomic(side, sidecar_of(target))


def _remove_from_inbox(cfg: DeskConfig, store: Store, name: str) -> None:
    """Take a file out of the inbox unless another active publish still needs it."""
    if any(e["file"] == name for e in _active_publishes(store)):
        return
    _unlink_inbox(cfg, name)


def recover(cfg: DeskConfig, store: Store) -> list[int]:
    """Close every `publish_started` entry that has no end (the publisher was killed). Call under the lock."""
    log = list(reversed(store.audit_log()))
    ended = {e["detail"].get("started_id") for e in log if e["action"] in ENDS and e["detail"]}
    closed = []
    for e in log:
        if e["action"] != "publish_started" or e["id"] in ended:
            continue
        label = f"inbox/{e['file']}"
        promoted = None
        if cfg.db.exists():
            with open_served(cfg.db) as con:
                promoted = con.execute("""SELECT r.build_id FROM meta.load_files f JOIN meta.load_runs r USING (run_id)
                    WHERE f.file = ? AND f.sha256 = ?""", [label, e["sha256"]]).fetchone()
        if promoted and promoted[0] != e["detail"].get("previous_build_id"):
            store.audit(e["actor"], "published", file=e["file"], sha256=e["sha256"], build_id=promoted[0],
                        detail={**e["detail"], "started_id": e["id"], "recovered": True})
        else:
            _remove_from_inbox(cfg, store, e["file"])
            store.audit("system", "publish_interrupted", file=e["file"], sha256=e["sha256"],
                        detail={"started_id": e["id"], "actor": e["actor"]})
        closed.append(e["id"])
    return closed


# --------------------------------------------------------------------------- publish, undo

@dataclass
class PublishResult:
    ok: bool
    build_id: str | None
    previous_build_id: str | None
    counts: dict = field(default_factory=dict)
    error: str | None = None


def _keep_served(cfg: DeskConfig) -> tuple[str | None, Path | None]:
    """Hard-link the warehouse in service into var/builds/<build id>.duckdb (copy across file systems)."""
    if not cfg.db.exists():
        return None, None
    tmp = cfg.builds / f".keep-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        os.link(cfg.db, tmp)
    except OSError:
        shutil.copyfile(cfg.db, tmp)
    with duckdb.connect(str(tmp), read_only=True) as con:
        build_id = con.execute("SELECT build_id FROM meta.load_runs").fetchone()[0]
    kept = cfg.builds / f"{build_id}.duckdb"
    os.replace(tmp, kept)
    return build_id, kept


def _prune(cfg: DeskConfig) -> None:
    kept = sorted(cfg.builds.glob("*.duckdb"), key=lambda p: p.stat().st_mtime_ns)
    for p in kept[: max(0, len(kept) - cfg.keep_builds)]:
        p.unlink(missing_ok=True)


def publish(cfg: DeskConfig, store: Store, upload: StoredUpload, actor: str, role: str | None) -> PublishResult:
    _require(role, "publish")
    from etl.build import BuildError

    cfg.ensure()
    with publish_lock(cfg):
        recover(cfg, store)
        previous, kept = _keep_served(cfg)
        started = store.audit(actor, "publish_started", file=upload.inbox_name, sha256=upload.sha256,
                              detail={"upload_id": upload.upload_id, "previous_build_id": previous,
                                      "kept": kept.name if kept else None})
        target = cfg.inbox / upload.inbox_name
        already = target.exists()
        if not already:
            copy_atomic(upload.path, target)
        _copy_sidecar(upload, target)
        label = f"inbox/{upload.inbox_name}"
        try:
            res = rebuild(cfg, cfg.db, cfg.inbox)
        except BuildError as e:
            if not already:
                _remove_from_inbox(cfg, store, upload.inbox_name)
            store.audit(actor, "publish_failed", file=upload.inbox_name, sha256=upload.sha256, build_id=previous,
                        detail={"started_id": started, "error": str(e)})
            return PublishResult(False, previous, previous, error=str(e))
        except BaseException as e:  # a crash or a SIGTERM turned into SystemExit: previous build still served
            if not already:
                _remove_from_inbox(cfg, store, upload.inbox_name)
            store.audit(actor, "publish_failed", file=upload.inbox_name, sha256=upload.sha256, build_id=previous,
                        detail={"started_id": started, "error": f"{type(e).__name__}: {e}"})
            raise
        counts = _file_counts(res, label)
        store.audit(actor, "published", file=upload.inbox_name, sha256=upload.sha256, build_id=res.build_id,
                    counts=counts, detail={"started_id": started, "previous_build_id": previous,
                                           "kept": kept.name if kept else None, "upload_id": upload.upload_id})
        _prune(cfg)
        return PublishResult(True, res.build_id, previous, counts)


@dataclass
class UndoResult:
    undone_file: str
    restored_build_id: str | None
    rebuilt: bool


def undo(cfg: DeskConfig, store: Store, actor: str, role: str | None) -> UndoResult:
    """Restore the build before the latest publish not yet undone, and take its file out of the inbox."""
    _require(role, "undo")
    with publish_lock(cfg):
        recover(cfg, store)
        active = _active_publishes(store)
        if not active:
            raise NothingToUndo("publish.nothing_to_undo")
        last = active[-1]
        if sum(e["file"] == last["file"] for e in active) == 1:  # no other active publish needs the file
            _unlink_inbox(cfg, last["file"])
        kept = last["detail"].get("kept")
        kept_path = cfg.builds / kept if kept else None
        if kept_path is not None and kept_path.exists():
            copy_atomic(kept_path, cfg.db)
            restored, rebuilt = last["detail"].get("previous_build_id"), False
        else:  # no build was kept (first publish, or pruned): rebuild without the file
            restored, rebuilt = rebuild(cfg, cfg.db, cfg.inbox).build_id, True
        store.audit(actor, "undo", file=last["file"], sha256=last["sha256"], build_id=restored,
                    detail={"published_id": last["id"], "undone_build_id": last["build_id"], "rebuilt": rebuilt})
        return UndoResult(last["file"], restored, rebuilt)
