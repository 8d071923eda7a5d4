"""The desk's durable store: one SQLite file outside the rebuilt warehouse (`var/desk.sqlite3`).

Every table is append-only: SQLite triggers abort any UPDATE or DELETE, so a bug or a hostile input
cannot rewrite history. A correction's status is its latest review (none = pending). Each call opens
its own connection (thread safe; WAL mode, synchronous=FULL: a row is on disk when the call returns).
Text is stored verbatim; pages escape it when they show it.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

TABLES = ("uploads", "audit", "corrections", "reviews")
SQL_DIR = Path(__file__).resolve().parent / "sql"
SCHEMA = (SQL_DIR / "schema.sql").read_text(encoding="utf-8")
CORRECTIONS = (SQL_DIR / "corrections.sql").read_text(encoding="utf-8")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


class Store:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=60)) as con:
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(SCHEMA)  # idempotent (IF NOT EXISTS); executescript commits itself

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=60, isolation_level=None)) as con:
            con.row_factory = sqlite3.Row
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=FULL")
            con.execute("PRAGMA foreign_keys=ON")
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        cols = list(row)
        with self._tx() as con:
            cur = con.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                              [row[c] for c in cols])  # table and column names are ours, values bound
            return int(cur.lastrowid)

    def _select(self, sql: str, params: tuple = ()) -> list[dict]:
        with self._tx() as con:
            return [dict(r) for r in con.execute(sql, params).fetchall()]

    # ------------------------------------------------------------------ audit log
    def audit(self, actor: str, action: str, *, file: str | None = None, sha256: str | None = None,
              build_id: str | None = None, counts: dict | None = None, detail: dict | None = None) -> int:
        return self._insert("audit", {"at": now(), "actor": actor, "action": action, "file": file,
                                      "sha256": sha256, "build_id": build_id,
                                      "counts": json.dumps(counts) if counts is not None else None,
                                      "detail": json.dumps(detail, ensure_ascii=False) if detail is not None else None})

    def audit_log(self, limit: int | None = None) -> list[dict]:
        rows = self._select("SELECT * FROM audit ORDER BY id DESC" + (" LIMIT ?" if limit else ""),
                            (limit,) if limit else ())
        for r in rows:
            r["counts"] = json.loads(r["counts"]) if r["counts"] else None
            r["detail"] = json.loads(r["detail"]) if r["detail"] else None
        return rows

    # ------------------------------------------------------------------ uploads
    def add_upload(self, sha256: str, original_name: str, safe_name: str, size: int, uploader: str) -> int:
        return self._insert("uploads", {"sha256": sha256, "original_name": original_name, "safe_name": safe_name,
                                        "size": size, "uploader": uploader, "uploaded_at": now()})

    def uploads(self) -> list[dict]:
        return self._select("SELECT * FROM uploads ORDER BY id DESC")

    # ------------------------------------------------------------------ corrections
    def add_correction(self, row: dict[str, Any]) -> int:
        return self._insert("corrections", {**row, "submitted_at": now()})

    def count_corrections(self, since: str, session_id: str | None = None) -> int:
        if session_id is None:
            return self._select("SELECT count(*) AS n FROM corrections WHERE submitted_at >= ?", (since,))[0]["n"]
        return self._select("SELECT count(*) AS n FROM corrections WHERE session_id = ? AND submitted_at >= ?",
                            (session_id, since))[0]["n"]

    def add_review(self, correction_id: int, status: str, reviewer: str, reason: str | None) -> int:
        return self._insert("reviews", {"correction_id": correction_id, "status": status, "reviewer": reviewer,
                                        "reason": reason, "reviewed_at": now()})

    def corrections(self, status: str | None = None) -> list[dict]:
        """Every correction with its current status (pending, accepted, rejected) and latest review."""
        rows = self._select(CORRECTIONS)
        return [r for r in rows if status is None or r["status"] == status]
