"""Shared set-up of the staff desk tests: a desk over a copy of the fixture warehouse, with its own
durable folder, inbox (a copy of the fixture inbox, mtimes kept) and allow-list."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from beautyvalley.desk import staff
from beautyvalley.desk.config import DeskConfig
from beautyvalley.desk.store import Store
from tests.fixtures import FIXTURE_INBOX, FIXTURE_INDICATORS, FIXTURE_REGISTRY

SAMPLES = Path(__file__).resolve().parent / "samples" / "desk"
ADMIN, EDITOR = "ada@example.org", "bea@example.org"


def make_desk(root: Path, fixture_db: Path, monkeypatch) -> tuple[DeskConfig, Store]:
    var = root / "var"
    monkeypatch.setenv("BEAUTYVALLEY_VAR", str(var))  # the ETL finds the corrections file here too
    inbox = root / "inbox"
    inbox.mkdir(parents=True)
    for p in FIXTURE_INBOX.iterdir():
        shutil.copy2(p, inbox / p.name)
    db = root / "served.duckdb"
    shutil.copyfile(fixture_db, db)
    cfg = DeskConfig(var=var, db=db, inbox=inbox, staff_file=var / "staff.toml", registry=FIXTURE_REGISTRY,
                     indicators=FIXTURE_INDICATORS).ensure()
    staff.save(cfg.staff_file, {ADMIN: "admin", EDITOR: "editor"})
    return cfg, Store(cfg.store_path)


def desk_env(cfg: DeskConfig, **extra: str) -> dict:
    """Environment for a `python -m beautyvalley.desk` subprocess over the same desk."""
    env = dict(os.environ)
    env.update({"BEAUTYVALLEY_VAR": str(cfg.var), "BEAUTYVALLEY_DB": str(cfg.db),
                "BEAUTYVALLEY_INBOX": str(cfg.inbox), "BEAUTYVALLEY_STAFF": str(cfg.staff_file),
                "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env
