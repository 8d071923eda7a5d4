"""Where the desk keeps its files, and its limits. Everything durable lives in one folder outside the
rebuilt warehouse and outside git (`$BEAUTYVALLEY_VAR`, default `var/`): back that folder up.

    var/desk.sqlite3        append-only store: uploads, audit log, corrections, reviews
    var/uploads/<sha256>    every uploaded file, named by its content hash (never deleted)
    var/builds/<id>.duckdb  the last few warehouses replaced by a publish (for undo)
    var/corrections.csv     accepted corrections, loaded by every build (etl/corrections.py)
    var/staff.toml          the allow-list (`$BEAUTYVALLEY_STAFF` overrides the path)
    var/publish.lock        serialises publishers
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from etl import corrections as etl_corrections
from etl import paths as etl_paths

STAFF_ENV = "BEAUTYVALLEY_STAFF"
INBOX_ENV = "BEAUTYVALLEY_INBOX"
REGISTRY_ENV = "BEAUTYVALLEY_REGISTRY"        # the curated registry / indicators the desk's builds read
INDICATORS_ENV = "BEAUTYVALLEY_INDICATORS"    # (default data/organisations.csv, data/indicators.csv)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024          # 20 MB: stated on the desk
MAX_EXPANDED_BYTES = 200 * 1024 * 1024       # an .xlsx may expand to 200 MB at most
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_RATIO = 200                          # a zip member may not expand more than 200x
KEEP_BUILDS = 5
ALLOWED_SUFFIXES = (".csv", ".xlsx")
CORRECTIONS_PER_SESSION = 5                  # per window, per browser session
CORRECTIONS_WINDOW_S = 3600
CORRECTIONS_PER_HOUR_ALL = 200               # a flood from many sessions stops here


def _under_var(name: str) -> property:
    """A path inside the desk's `var` folder, as a read-only property."""
    return property(lambda self: self.var / name)


@dataclass(frozen=True)
class DeskConfig:
    var: Path
    db: Path
    inbox: Path
    staff_file: Path
    registry: Path | None = etl_paths.REGISTRY_CSV
    indicators: Path | None = etl_paths.INDICATORS_CSV
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    max_expanded_bytes: int = MAX_EXPANDED_BYTES
    keep_builds: int = KEEP_BUILDS

    @property
    def corrections_csv(self) -> Path:
        """The curated corrections file: the one every build loads (etl/corrections.py decides, from the
        environment), so the desk writes exactly the file the ETL reads."""
        return etl_corrections.default_path()

    store_path = _under_var("desk.sqlite3")  # the desk's SQLite store
    uploads = _under_var("uploads")  # checked uploads, kept as <sha256><suffix>
    builds = _under_var("builds")  # candidate warehouses kept for rollback
    lock_path = _under_var("publish.lock")

    def ensure(self) -> DeskConfig:
        for d in (self.var, self.uploads, self.builds, self.inbox):
            d.mkdir(parents=True, exist_ok=True)
        return self


def _abs(p: Path) -> Path:
    return p if p.is_absolute() else etl_paths.ROOT / p


def from_env() -> DeskConfig:
    """The configuration the running app uses: the warehouse it serves ($BEAUTYVALLEY_DB), the inbox the
    ETL reads ($BEAUTYVALLEY_INBOX, default data/inbox), the durable folder ($BEAUTYVALLEY_VAR)."""
    from beautyvalley.warehouse import db_path  # the app's one definition of the served warehouse

    var = etl_corrections.var_dir()
    staff = os.environ.get(STAFF_ENV, "").strip()
    inbox = os.environ.get(INBOX_ENV, "").strip()
    registry = os.environ.get(REGISTRY_ENV, "").strip()
    indicators = os.environ.get(INDICATORS_ENV, "").strip()
    return DeskConfig(var=var, db=db_path(), inbox=_abs(Path(inbox)) if inbox else etl_paths.DEFAULT_INBOX,
                      staff_file=_abs(Path(staff)) if staff else var / "staff.toml",
                      registry=_abs(Path(registry)) if registry else etl_paths.REGISTRY_CSV,
                      indicators=_abs(Path(indicators)) if indicators else etl_paths.INDICATORS_CSV)
