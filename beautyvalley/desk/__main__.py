"""Command line for whoever holds a shell on the server (and for the tests' concurrent publishers):

    python -m beautyvalley.desk publish FILE --as EMAIL   check, store, publish (EMAIL must be on the list)
    python -m beautyvalley.desk undo --as EMAIL            undo the latest publish (admin)
    python -m beautyvalley.desk recover                    close publishes a crash interrupted

Same code path as the desk page; prints one JSON line. Exit 0 ok, 1 refused or failed, 2 bad arguments.
"""
from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path

from . import config, publishing, staff, uploads
from .store import Store


def _terminate(signum, frame):
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _terminate)
    p = argparse.ArgumentParser(prog="python -m beautyvalley.desk")
    sub = p.add_subparsers(dest="command", required=True)
    pub = sub.add_parser("publish")
    pub.add_argument("file", type=Path)
    pub.add_argument("--as", dest="actor", required=True)
    u = sub.add_parser("undo")
    u.add_argument("--as", dest="actor", required=True)
    sub.add_parser("recover")
    args = p.parse_args(argv)
    cfg = config.from_env().ensure()
    store = Store(cfg.store_path)
    if args.command == "recover":
        with publishing.publish_lock(cfg):
            print(json.dumps({"closed": publishing.recover(cfg, store)}))
        return 0
    role = staff.role_for(cfg.staff_file, args.actor)
    if args.command == "undo":
        try:
            r = publishing.undo(cfg, store, args.actor, role)
        except (publishing.Forbidden, publishing.NothingToUndo) as e:
            print(json.dumps({"ok": False, "error": str(e)}))
            return 1
        print(json.dumps({"ok": True, "file": r.undone_file, "restored_build_id": r.restored_build_id}))
        return 0
    if not args.file.is_file():
        print(json.dumps({"ok": False, "error": f"no such file {args.file}"}))
        return 2
    data = args.file.read_bytes()
    chk = uploads.check_upload(data, args.file.name, cfg)
    if not chk.ok:
        print(json.dumps({"ok": False, "problems": [pr.code for pr in chk.problems]}))
        return 1
    try:
        stored = uploads.store_upload(cfg, store, data, chk, args.actor) if staff.can(role, "upload") else None
        if stored is None:
            raise publishing.Forbidden(f"{args.actor} may not upload")
        res = publishing.publish(cfg, store, stored, args.actor, role)
    except publishing.Forbidden as e:
        print(json.dumps({"ok": False, "error": str(e)}))
        return 1
    print(json.dumps({"ok": res.ok, "build_id": res.build_id, "previous_build_id": res.previous_build_id,
                      "counts": res.counts, "error": res.error, "file": stored.inbox_name}))
    return 0 if res.ok else 1


if __name__ == "__main__":
    sys.exit(main())
