"""Corrections from the public: submit (rate-limited per session), the queue, accept or reject.

A correction is stored verbatim (pages escape it), append-only, with its session id; the e-mail is
optional and never leaves the store. Accepting re-checks the value with the ETL's own parser
(`etl.corrections.parse_value`), records the review, rewrites the curated corrections file (every
accepted correction, atomically) and, by default, rebuilds the warehouse under the publish lock, so the
value is served at once and by every later build.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from etl import corrections as etl_corrections
from etl.registry import values

from . import config as cfgmod
from . import staff
from .config import DeskConfig
from .publishing import Forbidden, open_served, publish_lock, rebuild, recover
from .store import Store

EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,}$")


@dataclass
class SubmitResult:
    ok: bool
    correction_id: int | None = None
    problems: list[tuple[str, dict]] = field(default_factory=list)  # (message code, params)


def _since(seconds: int) -> str:
    t = datetime.now(UTC) - timedelta(seconds=seconds)
    return t.isoformat(timespec="microseconds").replace("+00:00", "Z")


def site_exists(cfg: DeskConfig, org_id: str) -> bool:
    if not cfg.db.exists():
        return False
    with open_served(cfg.db) as con:
        return con.execute("SELECT count(*) FROM mart.organisations WHERE org_id = ?", [org_id]).fetchone()[0] > 0


def submit(cfg: DeskConfig, store: Store, session_id: str, org_id: str, field_name: str, value: str,
           source_url: str | None = None, email: str | None = None, *,
           per_session: int = cfgmod.CORRECTIONS_PER_SESSION, window_s: int = cfgmod.CORRECTIONS_WINDOW_S,
           per_hour_all: int = cfgmod.CORRECTIONS_PER_HOUR_ALL) -> SubmitResult:
    if not session_id:
        raise ValueError("a session id is required (rate limit)")
    if store.count_corrections(_since(window_s), session_id) >= per_session or \
            store.count_corrections(_since(3600)) >= per_hour_all:
        return SubmitResult(False, problems=[("correction.rate_limited", {})])
    problems = []
    _, reason = etl_corrections.parse_value(field_name, value)
    if reason:
        problems.append(("correction.bad_value", {"reason": reason}))
    src = (source_url or "").strip()
    if src:
        if values.parse_url(src)[0] is None:
            problems.append(("correction.bad_source", {}))
    elif etl_corrections.needs_source(field_name):
        problems.append(("correction.source_required", {}))
    mail = (email or "").strip()
    if mail and not EMAIL.match(mail):
        problems.append(("correction.bad_email", {}))
    if not site_exists(cfg, org_id):
        problems.append(("correction.unknown_site", {}))
    if problems:
        return SubmitResult(False, problems=problems)
    cid = store.add_correction({"org_id": org_id, "field": field_name, "proposed_value": value,
                                "source_url": src or None, "email": mail or None, "session_id": session_id})
    return SubmitResult(True, cid)


def queue(store: Store, role: str | None, status: str | None = "pending") -> list[dict]:
    if not staff.can(role, "review"):
        raise Forbidden(f"role {role!r} may not review corrections")
    return store.corrections(status)


def _pending(store: Store, correction_id: int) -> dict:
    rows = [c for c in store.corrections() if c["id"] == correction_id]
    if not rows:
        raise KeyError(correction_id)
    if rows[0]["status"] != "pending":
        raise ValueError("correction.not_pending")
    return rows[0]


def write_curated_file(cfg: DeskConfig, store: Store) -> int:
    """Rewrite the curated corrections file from the store: every accepted correction. Returns the count."""
    rows = [{"correction_id": c["id"], "org_id": c["org_id"], "field": c["field"], "value": c["proposed_value"],
             "source_url": c["source_url"], "reviewer": c["reviewer"], "reviewed_at": c["reviewed_at"]}
            for c in store.corrections("accepted")]
    etl_corrections.write_rows(cfg.corrections_csv, rows)
    return len(rows)


def accept(cfg: DeskConfig, store: Store, correction_id: int, reviewer: str, role: str | None,
           rebuild_now: bool = True) -> str | None:
    """Accept a pending correction; returns the id of the build that serves it (None with rebuild_now=False)."""
    if not staff.can(role, "review"):
        raise Forbidden(f"role {role!r} may not review corrections")
    with publish_lock(cfg):
        c = _pending(store, correction_id)
        _, reason = etl_corrections.parse_value(c["field"], c["proposed_value"])
        if reason:
            raise ValueError(reason)
        if etl_corrections.needs_source(c["field"]) and not c["source_url"]:
            raise ValueError("correction.source_required")
        store.add_review(correction_id, "accepted", reviewer, None)
        n = write_curated_file(cfg, store)
        build_id, error = None, None
        detail = {"correction_id": correction_id, "org_id": c["org_id"], "field": c["field"], "accepted_total": n}
        try:
            if rebuild_now:
                recover(cfg, store)
                build_id = rebuild(cfg, cfg.db, cfg.inbox).build_id
        except Exception as e:  # the review and the file stay; the next build serves the value
            error = f"{type(e).__name__}: {e}"
            raise
        finally:
            store.audit(reviewer, "correction_accepted", file=etl_corrections.LABEL, build_id=build_id,
                        detail={**detail, **({"rebuild_error": error} if error else {})})
        return build_id


def reject(cfg: DeskConfig, store: Store, correction_id: int, reviewer: str, role: str | None, reason: str) -> None:
    if not staff.can(role, "review"):
        raise Forbidden(f"role {role!r} may not review corrections")
    if not (reason or "").strip():
        raise ValueError("correction.reason_required")
    with publish_lock(cfg):
        c = _pending(store, correction_id)
        store.add_review(correction_id, "rejected", reviewer, reason)
        store.audit(reviewer, "correction_rejected", detail={"correction_id": correction_id, "org_id": c["org_id"],
                                                              "field": c["field"], "reason": reason})
