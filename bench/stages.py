"""Time and peak memory of each stage of one `etl build`, for any checkout of the project.

    python bench/stages.py --root <checkout> --db <out.duckdb> --inbox <dir> [--profile out.prof]

Imports `etl` from --root (so the same script measures today's code and an older revision's worktree),
wraps the build's per-stage progress (`etl.build._Progress.stage`) and its `read_table` / `read_batches` /
`validate` calls, and prints one JSON object on the last line of stdout:
{"stages": {stage: {"s": seconds, "cpu_s": CPU seconds of all threads, "peak_mb": peak RSS during the stage, "rss_mb": RSS at its end}},
 "read_s", "validate_s", "wall_s", "peak_mb" (the highest stage peak)}. The per-stage peak comes from Linux's VmHWM, reset at
the start of every stage (`echo 5 > /proc/self/clear_refs`); without that file only the end RSS is shown.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from contextlib import contextmanager
from pathlib import Path


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", type=Path, required=True)
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--inbox", type=Path, required=True)
    ap.add_argument("--profile", type=Path, help="write a cProfile of the build here")
    ap.add_argument("--sql", action="store_true", help="also time every SQL statement (the slowest in the output)")
    args = ap.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    t_start = time.perf_counter()
    from etl import build as b  # the checkout's own etl

    assert Path(b.__file__).resolve().is_relative_to(args.root.resolve()), b.__file__
    stages: dict[str, dict] = {}
    calls = {"read_s": 0.0, "validate_s": 0.0}
    original_stage = b._Progress.stage

    @contextmanager
    def stage(self, name, detail=""):
        can_reset = _reset_peak()
        t, c = time.perf_counter(), time.process_time()
        with original_stage(self, name, detail):
            yield
        stages[name] = {"s": round(time.perf_counter() - t, 2), "cpu_s": round(time.process_time() - c, 2),
                        "peak_mb": round(_status_mb("VmHWM"), 0) if can_reset else None,
                        "rss_mb": round(_status_mb("VmRSS"), 0)}

    def timed(fn, key):
        def wrapper(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                calls[key] += time.perf_counter() - t
        return wrapper

    b._Progress.stage = stage
    sql_times: list[tuple[float, str]] = []
    if args.sql:
        real_connect = b.duckdb.connect

        class Timed:
            def __init__(self, con):
                self._con = con

            def execute(self, q, *a, **k):
                t = time.perf_counter()
                r = self._con.execute(q, *a, **k)
                sql_times.append((time.perf_counter() - t, " ".join(str(q).split())[:120]))
                return r

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self._con.close()

            def __getattr__(self, name):
                return getattr(self._con, name)

        b.duckdb = type("duckdb_proxy", (), {"connect": staticmethod(lambda *a, **k: Timed(real_connect(*a, **k))),
                                             "Error": b.duckdb.Error})
    def timed_batches(fn, key):  # read_batches is a generator: its time is spent while it is iterated
        def wrapper(*a, **k):
            it = fn(*a, **k)
            while True:
                t = time.perf_counter()
                try:
                    item = next(it)
                except StopIteration:
                    return
                finally:
                    calls[key] += time.perf_counter() - t
                yield item
        return wrapper

    b.read_table = timed(b.read_table, "read_s")
    if hasattr(b, "read_batches"):  # the batched build (issue 15); older checkouts call read_table only
        b.read_batches = timed_batches(b.read_batches, "read_s")
    b.validate = timed(b.validate, "validate_s")
    prof = None
    if args.profile:
        import cProfile
        prof = cProfile.Profile()
        prof.enable()
    b.build_warehouse(args.db, args.inbox, progress=False)
    if prof:
        prof.disable()
        prof.dump_stats(str(args.profile))
    peaks = [s["peak_mb"] for s in stages.values() if s["peak_mb"] is not None]
    out = {"stages": stages, "read_s": round(calls["read_s"], 2), "validate_s": round(calls["validate_s"], 2),
           "wall_s": round(time.perf_counter() - t_start, 2), "cpu_s": round(time.process_time(), 2), "peak_mb": max(peaks) if peaks else None}
    if sql_times:
        out["sql"] = [[round(t, 2), q] for t, q in sorted(sql_times, reverse=True)[:15]]
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
