"""The warehouse file: where it is, whether it must be built, and a read-only connection.

The app never writes to the warehouse. The ETL builds a new file next to the old one and
os.replace()s it; the *build key* (inode, mtime_ns, size) of the file then changes, so the
connection cache and every query cache (all keyed by the build key) move to the new data
without a restart.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, NamedTuple

import duckdb
import pandas as pd
import streamlit as st

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = Path("data") / "beautyvalley.duckdb"
ENV_VAR = "BEAUTYVALLEY_DB"

_build_lock = threading.Lock()


class BuildKey(NamedTuple):
    """Identity of one warehouse file on disk; changes when the ETL replaces the file."""

    path: str
    inode: int
    mtime_ns: int
    size: int


def db_path() -> Path:
    """The warehouse file: $BEAUTYVALLEY_DB, else data/beautyvalley.duckdb (relative to the repo)."""
    raw = os.environ.get(ENV_VAR, "").strip()
    path = Path(raw) if raw else DEFAULT_DB
    if not path.is_absolute():
        path = REPO_ROOT / path
    return path


def build_key(path: Path | None = None) -> BuildKey:
    path = path or db_path()
    st_ = path.stat()
    return BuildKey(str(path), st_.st_ino, st_.st_mtime_ns, st_.st_size)


def build_if_missing(path: Path | None = None, message: str = "Building the warehouse…") -> bool:
    """Build the warehouse with the ETL when the file does not exist. Returns True if it built.

    Runs inside a spinner that says what is happening; only one session builds at a time.
    """
    path = path or db_path()
    if path.exists():
        return False
    with _build_lock:
        if path.exists():  # another session built it while we waited
            return False
        from etl.build import build_warehouse  # imported lazily: the app needs it only here

        path.parent.mkdir(parents=True, exist_ok=True)
        with st.spinner(message, show_time=True):
            build_warehouse(Path(path))
    return True


_open: dict[str, tuple[BuildKey, duckdb.DuckDBPyConnection]] = {}
_open_lock = threading.Lock()


def _connect(key: BuildKey, reopen: bool = False) -> duckdb.DuckDBPyConnection:
    """One read-only connection per warehouse path, replaced when the build key changes.

    DuckDB caches database instances by path within a process: as long as a connection
    to the old file is open, connecting to the same path again returns the *old* data.
    So the old connection is closed before the new file is opened. `reopen` replaces a
    connection that turned out to be closed.
    """
    with _open_lock:
        current = _open.get(key.path)
        if current is not None and current[0] == key and not reopen:
            return current[1]
        if current is not None:
            try:
                current[1].close()
            except Exception:  # pragma: no cover - already closed  # noqa: BLE001
                pass
        con = duckdb.connect(key.path, read_only=True)
        _open[key.path] = (key, con)
        return con


def connection(key: BuildKey | None = None) -> duckdb.DuckDBPyConnection:
    """The shared read-only connection to the warehouse file identified by `key`."""
    return _connect(key or build_key())


def read_df(
    key: BuildKey, sql: str, params: dict[str, Any] | None = None
) -> pd.DataFrame:
    """Run one parameterised statement on its own cursor (thread safe) and return a DataFrame.

    If another session swapped the connection to a new build meanwhile (closing the old
    one), the statement is retried once on the current file.
    """
    for attempt in (0, 1):
        try:
            cur = _connect(key, reopen=attempt > 0).cursor()
            try:
                if params is None:
                    return cur.execute(sql).df()
                return cur.execute(sql, params).df()
            finally:
                cur.close()
        except duckdb.ConnectionException:
            if attempt:
                raise
            key = build_key(Path(key.path))
    raise AssertionError("unreachable")  # pragma: no cover
