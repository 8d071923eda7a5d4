"""The allow-list: who may use the desk, with which role. A TOML file outside git:

    [staff]
    "ada@example.org" = "admin"
    "bea@example.org" = "editor"

`editor`: upload, check, preview, publish, review corrections. `admin`: also undo a publish and manage
the list. E-mail addresses are compared case-insensitively. The file is read on every call (it is tiny),
so a removal takes effect on the next rerun; a missing or unreadable file means nobody is staff (the
desk fails closed).
"""
from __future__ import annotations

import json
import logging
import os
import tomllib
from pathlib import Path

ROLES = ("editor", "admin")
PERMISSIONS = {
    "editor": {"upload", "preview", "publish", "review"},
    "admin": {"upload", "preview", "publish", "review", "undo", "manage_staff"},
}
_log = logging.getLogger(__name__)


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


def load(path: Path) -> dict[str, str]:
    """e-mail -> role; entries with an unknown role are ignored (logged)."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        _log.error("staff allow-list %s unreadable (nobody is staff until it is fixed): %s", path, e)
        return {}
    out = {}
    for email, role in (data.get("staff") or {}).items():
        if role in ROLES:
            out[normalise_email(email)] = role
        else:
            _log.warning("staff allow-list %s: %r has unknown role %r (ignored)", path, email, role)
    return out


def role_for(path: Path, email: str | None) -> str | None:
    e = normalise_email(email)
    return load(path).get(e) if e else None


def can(role: str | None, action: str) -> bool:
    return action in PERMISSIONS.get(role or "", set())


def save(path: Path, entries: dict[str, str]) -> None:
    """Write the whole list atomically (temp file, fsync, os.replace)."""
    for email, role in entries.items():
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r} for {email!r}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# Beauty Valley staff desk allow-list (roles: editor, admin). Not in git.", "[staff]"]
    lines += [f"{json.dumps(normalise_email(e))} = {json.dumps(r)}" for e, r in sorted(entries.items())]
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def set_role(path: Path, store, actor: str, actor_role: str | None, email: str, role: str | None) -> dict[str, str]:
    """Admin: give `email` a role, or remove it (role None). Audited. Returns the new list."""
    if not can(actor_role, "manage_staff"):
        raise PermissionError(f"role {actor_role!r} may not manage the staff list")
    e = normalise_email(email)
    if not e or "@" not in e:
        raise ValueError(f"not an e-mail address: {email!r}")
    entries = load(path)
    before = entries.get(e)
    if role is None:
        entries.pop(e, None)
    else:
        entries[e] = role
    save(path, entries)
    store.audit(actor, "staff_changed", detail={"email": e, "before": before, "after": role})
    return entries
