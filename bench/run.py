"""Beauty Valley benchmarks: `make bench` (or `.venv/bin/python bench/run.py [--parts a,b,c,d]`).

Prints one table of figures and ratios measured in the same run, and writes it with the machine
it ran on to bench/out/results.md. Everything synthetic is generated here into temporary folders,
labelled SYNTHETIC, and never touches data/beautyvalley.duckdb. All traffic stays on localhost.

  a  ETL: SYNTHETIC 1,000,000-row registry export (Italian CSV: ';', decimal comma) — bare
     duckdb.read_csv of the file vs `python -m etl build` with it in the inbox (goal <= 3x),
     peak memory of that build (goal < 1.5 GB, issue 15), default build time (goal < 10 s)
  b  dashboard: each page's rerun after a filter change (AppTest) on the default warehouse
     (goal < 250 ms) and on a SYNTHETIC --orgs-row warehouse (goal < 1 s at 100,000, < 3 s at
     1,000,000: `--orgs 1000000`); the pages' filter-dependent aggregations in DuckDB
     (beautyvalley.queries) vs the same in pandas
  c  every page in headless Chromium on the default and SYNTHETIC 100,000 / 1,000,000-row warehouses:
     bytes over HTTP and the websocket, time to the map's drawn deck.gl canvas, the map's pydeck
     JSON (goal < 2 MB), outside requests
  d  load: 20 concurrent browser pages changing filters for 60 s against one server:
     errors and p95 rerun time
  e  territory brief: time to generate a province's PDF (`python -m beautyvalley brief --prov CR`,
     wall time incl. interpreter start; and in-process with the query caches cleared) (goal < 3 s)
  f  competence finder: search on a SYNTHETIC 100,000-site warehouse, DuckDB vs pandas
     (goal < 150 ms median; bench/capability_search.py)
  scale  the same build at --scale-rows sizes (issue 15 target 2): time per row, peak RSS; table and
     bench/out/scale.svg
  a with --compare REV [--repeat N]: the same file also built by the code at REV, alternating with today's
     (wall, CPU, peak RSS and per-stage ratios; issue 9's "no slowdown of the 1M-row build")
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO / "tests" / "hostile"))

import synthetic  # noqa: E402
from capability_search import part_e as part_f  # noqa: E402

PY = sys.executable
ROWS: list[tuple[str, str, str, str, str]] = []  # part, measure, value, goal, verdict/ratio
DEFAULT_DB = REPO / "data" / "beautyvalley.duckdb"


def row(part, measure, value, goal="", verdict=""):
    ROWS.append((part, measure, value, goal, verdict))
    print(f"  [{part}] {measure}: {value}" + (f"  (goal {goal}: {verdict})" if goal else
                                              (f"  ({verdict})" if verdict else "")), flush=True)


def ok(flag: bool) -> str:
    return "met" if flag else "NOT met"


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    import duckdb
    import pandas
    import streamlit
    return {"nproc": os.cpu_count(), "ram_gib": round(mem_kb / 1024 / 1024, 1), "cpu": cpu,
            "python": platform.python_version(), "duckdb": duckdb.__version__,
            "pandas": pandas.__version__, "streamlit": streamlit.__version__,
            "os": platform.platform()}


def timed_build(db: Path, inbox: Path, extra_env: dict | None = None) -> tuple[float, float, int, str]:
    """Run `python -m etl build`; return (wall s, peak RSS MB, exit code, stderr tail)."""
    stats = db.parent / "time.txt"
    env = dict(os.environ, **(extra_env or {}))
    cmd = [PY, "-m", "etl", "build", "--db", str(db), "--inbox", str(inbox), "--quiet"]
    if Path("/usr/bin/time").exists():
        cmd = ["/usr/bin/time", "-f", "%e %M", "-o", str(stats)] + cmd
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    peak_mb = float("nan")
    if stats.exists():
        parts = stats.read_text().split()
        if len(parts) >= 2:
            peak_mb = int(parts[-1]) / 1024
    return wall, peak_mb, r.returncode, (r.stdout + r.stderr)[-1500:]


# --------------------------------------------------------------------------- (a) ETL

def part_a(tmp: Path, n_rows: int, compare: str | None = None, repeat: int = 1):
    print(f"(a) ETL: SYNTHETIC {n_rows:,}-row registry export", flush=True)
    import duckdb
    inbox = tmp / "a-inbox"
    path = inbox / f"SYNTHETIC_registry_{n_rows}.csv"
    t0 = time.perf_counter()
    synthetic.write_registry(path, n_rows)
    row("a", "SYNTHETIC export generated", f"{path.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - t0:.1f} s")

    reads = []
    for _ in range(3):
        con = duckdb.connect()
        t0 = time.perf_counter()
        con.read_csv(str(path), sep=";").to_table("t")
        reads.append(time.perf_counter() - t0)
        n = con.execute("SELECT count(*) FROM t").fetchone()[0]
        con.close()
    bare = statistics.median(reads)
    row("a", f"bare duckdb.read_csv ({n:,} rows, median of 3)", f"{bare:.2f} s")

    if compare:
        part_compare(tmp, compare, inbox, repeat)
    db = tmp / "a-wh" / "SYNTHETIC_1M.duckdb"
    db.parent.mkdir()
    wall, peak, rc, tail = timed_build(db, inbox)
    if rc != 0:
        row("a", "etl build with the 1M-row inbox", f"FAILED (exit {rc})", "", tail.replace("\n", " ")[-300:])
    else:
        ratio = wall / bare
        row("a", "etl build with the 1M-row inbox (wall, incl. start-up)", f"{wall:.1f} s")
        row("a", "build / bare read", f"{ratio:.1f}x", "<= 3x", ok(ratio <= 3))
        row("a", "peak memory of that build (max RSS)", f"{peak:,.0f} MB", "< 1536 MB", ok(peak < 1536))
        with duckdb.connect(str(db), read_only=True) as c:
            lf = c.execute("SELECT rows_in, rows_loaded, rows_merged, rows_rejected FROM meta.load_files "
                           "WHERE role = 'inbox'").fetchone()
        row("a", "rows in / loaded / merged / rejected", " / ".join(f"{x:,}" for x in lf))

    empty = tmp / "a-empty-inbox"
    empty.mkdir()
    walls = []
    for i in range(3):
        dbd = tmp / f"a-default-{i}" / "default.duckdb"
        dbd.parent.mkdir()
        w, pk, rc, tail = timed_build(dbd, empty)
        walls.append(w)
    dflt = statistics.median(walls)
    row("a", "default build (no inbox; wall incl. interpreter start, median of 3)", f"{dflt:.1f} s", "< 10 s",
        ok(dflt < 10))


# --------------------------------------------------------------------------- (a) --compare REV

def stage_build(root: Path, db: Path, inbox: Path) -> dict:
    """One build by bench/stages.py with `etl` imported from root: wall, CPU, per-stage time and peak RSS."""
    db.parent.mkdir(parents=True, exist_ok=True)
    r = subprocess.run([PY, str(BENCH / "stages.py"), "--root", str(root), "--db", str(db), "--inbox", str(inbox)],
                       cwd=root, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"build at {root} failed: {(r.stdout + r.stderr)[-400:]}")
    out = json.loads(r.stdout.strip().splitlines()[-1])
    with __import__("duckdb").connect(str(db), read_only=True) as c:
        out["accounting"] = c.execute("SELECT rows_in, rows_loaded, rows_merged, rows_rejected FROM meta.load_files "
                                      "WHERE role = 'inbox'").fetchone()
    db.unlink()
    return out


def checkout(rev: str, dest: Path) -> Path:
    """The tree of rev (git archive: nothing is written to the repository)."""
    dest.mkdir(parents=True)
    arc = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", rev], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=arc.stdout, check=True)
    return dest


def part_compare(tmp: Path, rev: str, inbox: Path, repeat: int) -> None:
    """The same SYNTHETIC file built by the code at rev and by today's code, alternating which goes
    first; medians of `repeat` builds each. Ratios today / rev."""
    sha = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", rev], capture_output=True, text=True,
                         check=True).stdout.strip()
    old_root = checkout(rev, tmp / f"rev-{sha}")
    runs: dict[str, list[dict]] = {"rev": [], "today": []}
    for i in range(repeat):
        order = [("rev", old_root), ("today", REPO)]
        for side, root in (order if i % 2 == 0 else order[::-1]):
            runs[side].append(stage_build(root, tmp / f"cmp-{side}-{i}" / "w.duckdb", inbox))
            print(f"    {side} build {i + 1}: {runs[side][-1]['wall_s']:.1f} s, {runs[side][-1]['peak_mb']:,.0f} MB, "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)
    med = {side: {k: statistics.median(r[k] for r in rs) for k in ("wall_s", "cpu_s", "peak_mb")}
           for side, rs in runs.items()}
    same = runs["rev"][0]["accounting"] == runs["today"][0]["accounting"]
    row("a", f"--compare {sha}: rows in / loaded / merged / rejected, {sha} vs today",
        " / ".join(f"{x:,}" for x in runs["rev"][0]["accounting"]) + " vs "
        + " / ".join(f"{x:,}" for x in runs["today"][0]["accounting"]), "same", ok(same))
    for key, what in (("wall_s", "build wall time"), ("cpu_s", "build CPU time (all threads)"),
                      ("peak_mb", "build peak RSS")):
        unit = "MB" if key == "peak_mb" else "s"
        ratio = med["today"][key] / med["rev"][key]
        row("a", f"--compare {sha}: {what}, {sha} vs today (median of {repeat})",
            f"{med['rev'][key]:,.1f} {unit} vs {med['today'][key]:,.1f} {unit} = {ratio:.2f}x", "<= 1.00x (no slowdown)",
            ok(ratio <= 1.0))
    for stage in runs["today"][0]["stages"]:
        if stage not in runs["rev"][0]["stages"]:
            continue
        vals = {side: (statistics.median(r["stages"][stage]["s"] for r in rs),
                       statistics.median(r["stages"][stage]["peak_mb"] or 0 for r in rs)) for side, rs in runs.items()}
        if max(vals["rev"][0], vals["today"][0]) < 1:
            continue
        row("a", f"--compare {sha}: stage {stage}, {sha} vs today (s; peak MB)",
            f"{vals['rev'][0]:.1f} vs {vals['today'][0]:.1f} s; {vals['rev'][1]:,.0f} vs {vals['today'][1]:,.0f} MB")
    row("a", "--compare: load average (1 min) at the end", f"{os.getloadavg()[0]:.1f}")


# --------------------------------------------------------------------------- scale curve (issue 15 target 2)

def bare_read(path: Path, times: int = 3) -> float:
    import duckdb
    reads = []
    for _ in range(times):
        con = duckdb.connect()
        t0 = time.perf_counter()
        con.read_csv(str(path), sep=";").to_table("t")
        reads.append(time.perf_counter() - t0)
        con.close()
    return statistics.median(reads)


def part_scale(tmp: Path, sizes: list[int]) -> None:
    """The same build at each size: wall and CPU time per row, peak RSS; table and SVG in bench/out."""
    print(f"(scale) SYNTHETIC builds at {', '.join(f'{n:,}' for n in sizes)} rows", flush=True)
    points = []
    for n in sizes:
        inbox = tmp / f"scale-{n}"
        path = synthetic.write_registry(inbox / f"SYNTHETIC_registry_{n}.csv", n)
        bare = bare_read(path, 3 if n <= 1_000_000 else 1)
        r = stage_build(REPO, tmp / f"scale-wh-{n}" / "w.duckdb", inbox)
        path.unlink()
        points.append({"rows": n, "bare_s": bare, "wall_s": r["wall_s"], "cpu_s": r["cpu_s"], "peak_mb": r["peak_mb"],
                       "load": os.getloadavg()[0], "stages": r["stages"]})
        row("scale", f"{n:,} rows: bare read / build wall / build CPU / peak RSS (load {points[-1]['load']:.1f})",
            f"{bare:.2f} s / {r['wall_s']:.1f} s / {r['cpu_s']:.1f} s / {r['peak_mb']:,.0f} MB", "< 1536 MB",
            ok(r["peak_mb"] < 1536))
        row("scale", f"{n:,} rows: per 1,000 rows (wall / CPU)",
            f"{r['wall_s'] / n * 1000 * 1000:.0f} / {r['cpu_s'] / n * 1000 * 1000:.0f} ms")
        big = {k: v for k, v in r["stages"].items() if v["cpu_s"] >= 1 or (v["peak_mb"] or 0) >= 1000}
        row("scale", f"{n:,} rows: stages (CPU s / peak MB)",
            ", ".join(f"{k} {v['cpu_s']:.1f} / {v['peak_mb'] or 0:,.0f}" for k, v in big.items()))
    base = next((p for p in points if p["rows"] == 1_000_000), None)
    for p in points:
        if base and p["rows"] > base["rows"]:
            k = p["rows"] / base["rows"]
            goal = 5.5 * k / 5
            for key in ("wall_s", "cpu_s"):
                ratio = p[key] / base[key]
                row("scale", f"{p['rows']:,} vs 1,000,000 rows: build {key[:-2]} time ratio", f"{ratio:.2f}x",
                    f"<= {goal:.1f}x", ok(ratio <= goal))
    OUT.mkdir(exist_ok=True)
    (OUT / "scale.json").write_text(json.dumps(points, indent=1), encoding="utf-8")
    (OUT / "scale.svg").write_text(scale_svg(points), encoding="utf-8")
    print(f"  scale curve: {OUT / 'scale.svg'}", flush=True)


def scale_svg(points: list[dict]) -> str:
    """A small hand-written SVG: CPU and wall seconds per 1,000 rows (left axis) and peak RSS (right axis)
    against rows (log scale). No plotting library needed."""
    import math
    w, h, left, right, top, bottom = 520, 300, 60, 60, 30, 50
    xs = [math.log10(p["rows"]) for p in points]
    x0, x1 = (min(xs) - 0.15, max(xs) + 0.15) if points else (0, 1)
    per = [(p["cpu_s"] / p["rows"] * 1e6, p["wall_s"] / p["rows"] * 1e6) for p in points]
    ymax = max([v for pr in per for v in pr] + [1]) * 1.15
    mmax = max([p["peak_mb"] for p in points] + [1536]) * 1.1
    sx = lambda x: left + (x - x0) / (x1 - x0) * (w - left - right)  # noqa: E731
    sy = lambda y: h - bottom - y / ymax * (h - top - bottom)  # noqa: E731
    sm = lambda m: h - bottom - m / mmax * (h - top - bottom)  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="11">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{w / 2}" y="16" text-anchor="middle" font-size="12">SYNTHETIC build: cost per 1,000 rows and peak memory</text>',
           f'<line x1="{left}" y1="{h - bottom}" x2="{w - right}" y2="{h - bottom}" stroke="black"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{h - bottom}" stroke="black"/>',
           f'<line x1="{w - right}" y1="{top}" x2="{w - right}" y2="{h - bottom}" stroke="black"/>',
           f'<line x1="{left}" y1="{sm(1536):.1f}" x2="{w - right}" y2="{sm(1536):.1f}" stroke="#d62728" stroke-dasharray="4 3"/>',
           f'<text x="{w - right - 4}" y="{sm(1536) - 4:.1f}" text-anchor="end" fill="#d62728">1,536 MB goal</text>']
    for p, x in zip(points, xs):
        out.append(f'<text x="{sx(x):.1f}" y="{h - bottom + 16}" text-anchor="middle">{p["rows"]:,}</text>')
    out.append(f'<text x="{w / 2}" y="{h - 12}" text-anchor="middle">rows (log scale)</text>')
    for k in range(5):
        v = ymax * k / 4
        out.append(f'<text x="{left - 6}" y="{sy(v) + 4:.1f}" text-anchor="end">{v:.0f}</text>')
        m = mmax * k / 4
        out.append(f'<text x="{w - right + 6}" y="{sm(m) + 4:.1f}">{m:,.0f}</text>')
    out.append(f'<text x="14" y="{(top + h - bottom) / 2}" transform="rotate(-90 14 {(top + h - bottom) / 2})" '
               'text-anchor="middle">ms per 1,000 rows</text>')
    out.append(f'<text x="{w - 8}" y="{(top + h - bottom) / 2}" transform="rotate(90 {w - 8} {(top + h - bottom) / 2})" '
               'text-anchor="middle">peak RSS (MB)</text>')
    series = [("CPU", [c for c, _ in per], sy, "#1f77b4"), ("wall", [wl for _, wl in per], sy, "#ff7f0e"),
              ("peak MB", [p["peak_mb"] for p in points], sm, "#2ca02c")]
    for i, (label, vals, scale, colour) in enumerate(series):
        pts = " ".join(f"{sx(x):.1f},{scale(v):.1f}" for x, v in zip(xs, vals))
        out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"/>')
        out += [f'<circle cx="{sx(x):.1f}" cy="{scale(v):.1f}" r="3" fill="{colour}"/>' for x, v in zip(xs, vals)]
        out.append(f'<text x="{left + 8 + 80 * i}" y="{top + 12}" fill="{colour}">{label}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- (b) page reruns

PAGE_FILES = ["overview", "map", "sectors", "benchmarks", "explore", "sources", "competences"]
PROVINCE_CHANGES = [["CR"], ["LO"], ["MI"], ["BG"], ["CR", "LO"], ["MB"], ["BS", "BG"], ["CR", "MI", "LO"]]


def rerun_goal(n_sites: int) -> float:
    """Issue 15 target 3: a page reruns in < 1 s at 100,000 sites, < 3 s at 1,000,000 (seconds)."""
    return 1.0 if n_sites <= 200_000 else 3.0


def page_path(name: str) -> str:
    for folder in ("app_pages", "pages"):
        if (REPO / folder / f"{name}.py").exists():
            return f"{folder}/{name}.py"
    raise FileNotFoundError(name)


def page_reruns(db: Path, pages: list[str] | None = None, changes: list[list[str]] | None = None) -> dict[str, dict]:
    """Median/max seconds of one rerun after a province change (cache miss), per page."""
    from streamlit.testing.v1 import AppTest
    os.environ["BEAUTYVALLEY_DB"] = str(db)
    out = {}
    for name in pages or PAGE_FILES:
        at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=300)
        at.run()
        at.switch_page(page_path(name)).run()
        errors = [e.value for e in at.exception]
        times = []
        for provs in changes or PROVINCE_CHANGES:
            at.multiselect(key="f_prov").set_value(provs)
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
            errors += [e.value for e in at.exception]
        # back to an earlier view: cached
        at.multiselect(key="f_prov").set_value((changes or PROVINCE_CHANGES)[0])
        t0 = time.perf_counter()
        at.run()
        cached = time.perf_counter() - t0
        out[name] = {"median": statistics.median(times), "max": max(times), "cached": cached,
                     "errors": errors}
    return out


def aggregations_duckdb(db: Path, province_sets) -> float:
    """The filter-dependent queries of the pages, uncached, summed per filter change (median)."""
    os.environ["BEAUTYVALLEY_DB"] = str(db)
    from beautyvalley import queries, warehouse
    from beautyvalley.filters import Filters
    # (query, its arguments after the filters): every site for the table (as the pandas side sorts them all)
    fns = [(queries.organisations, (None,)), (queries.overview, ()), (queries.by_province, ()),
           (queries.comuni_layer, ()), (queries.segment_specialties, ()), (queries.segment_province, ()),
           (queries.ateco_in_use, ())]
    key = warehouse.build_key()
    times = []
    for provs in province_sets:
        fp = Filters(provinces=tuple(provs)).key()
        t0 = time.perf_counter()
        for fn, args in fns:
            fn.uncached(key, fp, args)  # the statement and its shaping, without the cache
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def aggregations_pandas(db: Path, province_sets) -> tuple[float, float]:
    """The same aggregations in pandas on the same data (mart tables loaded once, not timed
    in the per-change figure; the load time is returned separately)."""
    import duckdb
    import pandas as pd
    t0 = time.perf_counter()
    with duckdb.connect(str(db), read_only=True) as con:
        orgs = con.execute("SELECT * FROM mart.organisations").df()
        comuni = con.execute("SELECT comune_code, name, province, population, area_km2, lat, lon, geometry "
                             "FROM mart.comuni").df()
        provs_df = con.execute("SELECT province, name, population FROM mart.provinces").df()
        segs = con.execute("SELECT segment FROM mart.segments").df()
        ateco = con.execute("SELECT code, title_it FROM mart.ateco").df()
    load = time.perf_counter() - t0
    times = []
    for provs in province_sets:
        t0 = time.perf_counter()
        f = orgs[orgs["province"].isin(provs)]
        f.sort_values(["name", "org_id"])  # organisations table
        site = f["figure_scope"] == "site"
        emp = pd.concat([f.loc[site & f["employees"].notna(), "employees"],
                         f[~site & f["employees"].notna()].groupby("group_id")["employees"].max()])
        rev = pd.concat([f.loc[site & f["revenue_eur"].notna(), "revenue_eur"],
                         f[~site & f["revenue_eur"].notna()].groupby("group_id")["revenue_eur"].max()])
        comp = f[f["kind"] == "company"]
        _ = {"sites": len(f), "organisations": f["group_id"].nunique(), "companies": comp["group_id"].nunique(),
             "research": f[f["kind"].isin(["university", "research_centre", "testing_lab"])]["group_id"].nunique(),
             "cwe": comp[comp["employees"].notna()]["group_id"].nunique(),
             "cwr": comp[comp["revenue_eur"].notna()]["group_id"].nunique(),
             "employees": emp.sum(), "revenue": rev.sum(),
             "population": provs_df[provs_df["province"].isin(provs)]["population"].sum()}
        f[f["province"].notna()].groupby(["province", "kind"]).agg(
            organisations=("group_id", "nunique"), sites=("org_id", "size")).reset_index().merge(
            provs_df[["province", "name"]], on="province", how="left")
        n = f[f["comune_code"].notna()].groupby("comune_code").size().rename("count")
        cl = comuni[comuni["province"].isin(provs)].merge(n, left_on="comune_code", right_index=True, how="left")
        cl["count"] = cl["count"].fillna(0)
        cl["density"] = cl["count"] * 10000.0 / cl["population"]
        seg = f[["group_id", "segments", "specialties", "province"]].explode("segments")
        seg = seg[seg["segments"].notna()]
        sp = seg.explode("specialties")
        sp.groupby(["segments", "specialties"], dropna=False)["group_id"].nunique()
        cells = seg[seg["province"].notna()].groupby(["segments", "province"])["group_id"].nunique()
        grid = pd.MultiIndex.from_product([segs["segment"], sorted(set(provs) | set(seg["province"].dropna()))])
        cells.reindex(grid, fill_value=0)
        f[f["ateco"].notna()].groupby("ateco")["group_id"].nunique().rename("organisations").reset_index().merge(
            ateco, left_on="ateco", right_on="code", how="left").sort_values("organisations", ascending=False)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), load


_SYNTHETIC_DBS: dict[int, Path] = {}  # n -> warehouse, built once per run (parts b and c share them)


def synthetic_warehouse(tmp: Path, n: int) -> Path:
    """A warehouse built by the ETL from an n-row SYNTHETIC registry export (bench/synthetic.py), once per run."""
    if n in _SYNTHETIC_DBS:
        return _SYNTHETIC_DBS[n]
    inbox = tmp / f"b-inbox-{n}"
    synthetic.write_registry(inbox / f"SYNTHETIC_registry_{n}.csv", n, seed=100)
    db = tmp / f"b-wh-{n}" / f"SYNTHETIC_{n}.duckdb"
    db.parent.mkdir(parents=True)
    wall, peak, rc, tail = timed_build(db, inbox)
    if rc != 0:
        raise RuntimeError(f"SYNTHETIC warehouse build failed: {tail}")
    _SYNTHETIC_DBS[n] = db
    return db


def default_warehouse(tmp: Path) -> Path | None:
    """The default warehouse (`python -m etl build` with an empty inbox), once per run; None if it fails."""
    db = tmp / "b-default" / "default.duckdb"
    if db.exists():
        return db
    db.parent.mkdir(parents=True, exist_ok=True)
    empty = tmp / "b-empty"
    empty.mkdir(exist_ok=True)
    w, pk, rc, tail = timed_build(db, empty)
    if rc != 0:
        row("b", "default warehouse build", f"FAILED: {tail[-300:]}")
        return None
    return db


def n_sites(db: Path) -> int:
    import duckdb
    with duckdb.connect(str(db), read_only=True) as c:
        return c.execute("SELECT count(*) FROM mart.organisations").fetchone()[0]


def report_reruns(label: str, db: Path, goal_s: float) -> None:
    """The rows of part b for one warehouse: each page's rerun, the aggregations in DuckDB vs pandas."""
    res = page_reruns(db)
    for name, r in res.items():
        med = r["median"]
        err = f"; {len(r['errors'])} exception(s): {str(r['errors'][0])[:80]}" if r["errors"] else ""
        row("b", f"{name} rerun after a province change, {label} (median / max; cached)",
            f"{med * 1000:.0f} / {r['max'] * 1000:.0f} ms; {r['cached'] * 1000:.0f} ms",
            f"< {goal_s * 1000:.0f} ms", ok(med < goal_s and not r["errors"]) + err)
    sets = PROVINCE_CHANGES
    dk = aggregations_duckdb(db, sets)
    pdt, load = aggregations_pandas(db, sets)
    row("b", f"filter-dependent aggregations per change, {label}: DuckDB vs pandas",
        f"{dk * 1000:.1f} ms vs {pdt * 1000:.1f} ms (pandas load {load * 1000:.0f} ms)", "",
        f"DuckDB {pdt / dk:.1f}x faster" if dk < pdt else f"pandas {dk / pdt:.1f}x faster")


def part_b(tmp: Path, n_orgs: int):
    """--orgs N: the SYNTHETIC warehouse's size (100,000 by default; `--orgs 1000000` for issue 15's 1M goal)."""
    print("(b) page reruns after a filter change (AppTest) and DuckDB vs pandas aggregations", flush=True)
    default_db = default_warehouse(tmp)
    if default_db is None:
        return
    synth_db = synthetic_warehouse(tmp, n_orgs)
    synth = n_sites(synth_db)
    for label, db, goal_s in ((f"default data ({n_sites(default_db):,} sites)", default_db, 0.25),
                              (f"SYNTHETIC {synth:,} sites", synth_db, rerun_goal(synth))):
        report_reruns(label, db, goal_s)


# --------------------------------------------------------------------------- (c) pages in Chromium

MAP_DATA_GOAL_BYTES = 2_000_000  # issue 15: what the map sends to the browser, at any size


def _server(db: Path, log: Path):
    import harness
    return harness.streamlit_server(db, log, timeout=180)


def _wait_idle(page, settle: float = 1.0, timeout: float = 180.0) -> None:
    """Until the script has run and stayed idle for `settle` seconds (as tests/test_browser.py waits)."""
    page.wait_for_selector("[data-testid=stMainBlockContainer] [data-testid=stElementContainer]",
                           timeout=timeout * 1000)
    deadline, quiet = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        state = page.locator("[data-testid=stApp]").get_attribute("data-test-script-state")
        if state in ("running", "rerunRequested") or page.locator("[data-testid=stStatusWidget]").count():
            quiet = None
        elif quiet is None:
            quiet = time.monotonic()
        elif time.monotonic() - quiet >= settle:
            return
        time.sleep(0.1)


def _canvas_drawn(canvas) -> bool:
    import io

    from PIL import Image
    img = Image.open(io.BytesIO(canvas.screenshot())).convert("RGB").resize((64, 64))
    return len({img.tobytes()[i:i + 3] for i in range(0, 64 * 64 * 3, 3)}) > 8


def open_page(browser, base: str, path: str, canvas: bool = False) -> dict:
    """One page in a new browser context: bytes over HTTP (every response, encoded) and over the websocket
    (frames received, the page's data), requests to other hosts, and with `canvas` the seconds from `goto`
    to a drawn deck.gl canvas (non-blank pixels)."""
    import harness
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    got = {"http": 0, "ws": 0}
    outside: list[str] = []

    def frame(e):  # binary frames (Streamlit's protobuf) arrive base64-encoded
        data = e["response"]["payloadData"]
        got["ws"] += len(data) * 3 // 4 if e["response"].get("opcode") == 2 else len(data.encode())

    cdp.on("Network.loadingFinished", lambda e: got.__setitem__("http", got["http"] + e["encodedDataLength"]))
    cdp.on("Network.webSocketFrameReceived", frame)
    page.on("request", lambda r: outside.append(r.url) if not harness.is_local(r.url) else None)
    t0 = time.perf_counter()
    page.goto(base + path, timeout=180_000)
    drawn = None
    if canvas:
        chart = page.locator("[data-testid=stDeckGlJsonChart] canvas").first
        chart.wait_for(state="visible", timeout=180_000)
        deadline = time.perf_counter() + 120
        while time.perf_counter() < deadline:
            if _canvas_drawn(chart):
                drawn = time.perf_counter() - t0
                break
            time.sleep(0.05)
    _wait_idle(page)
    time.sleep(1.5)
    ctx.close()
    return {"drawn": drawn, "http": got["http"], "ws": got["ws"], "outside": outside}


def deck_json_bytes(db: Path, query_params: dict) -> int:
    """The size of the map's pydeck JSON (what st.pydeck_chart sends) for `query_params` (AppTest)."""
    from streamlit.testing.v1 import AppTest
    os.environ["BEAUTYVALLEY_DB"] = str(db)
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=300)
    at.query_params.update(query_params)
    at.run()
    at.switch_page(page_path("map")).run()
    return len(at.get("deck_gl_json_chart")[0].proto.json.encode())


def report_browser(label: str, db: Path, tmp: Path) -> None:
    """The rows of part c for one warehouse: every page's bytes, the map's canvas time, outside requests."""
    import harness
    from playwright.sync_api import sync_playwright
    with _server(db, tmp / f"c-streamlit-{db.stem}.log") as base, sync_playwright() as p:
        browser = harness.launch_chromium(p)
        warm = browser.new_page()
        warm.goto(base + "/", timeout=180_000)
        warm.wait_for_selector("[data-testid=stMetric]", timeout=180_000)
        warm.close()
        maps = [open_page(browser, base, "/map", canvas=True) for _ in range(3)]  # the first context is cold
        pages = {name: open_page(browser, base, f"/{name}") for name in PAGE_FILES if name != "map"}
        browser.close()
    pages["map"] = maps[0]
    d0 = maps[0]["drawn"]
    row("c", f"map page: goto -> deck.gl canvas drawn, {label} (new browser context, server warm; again, median of 2)",
        (f"{d0:.2f} s" if d0 else "never drawn") + "; "
        + (f"{statistics.median([m['drawn'] for m in maps[1:] if m['drawn']]):.2f} s"
           if any(m["drawn"] for m in maps[1:]) else "never drawn"))
    for name in PAGE_FILES:
        r = pages[name]
        goal = f"< {MAP_DATA_GOAL_BYTES / 1e6:.0f} MB (websocket)" if name == "map" else ""
        row("c", f"{name} page bytes to the browser, {label}: HTTP (app assets, new context) + websocket (page data)",
            f"{r['http'] / 1e6:.2f} MB + {r['ws'] / 1e6:.2f} MB", goal,
            ok(r["ws"] < MAP_DATA_GOAL_BYTES) if name == "map" else "")
    for qp, what in (({}, "default filters"), ({"prov": "all"}, "all of Lombardy")):
        size = deck_json_bytes(db, qp)
        row("c", f"map's pydeck JSON, {label}, {what}", f"{size / 1e6:.2f} MB",
            f"< {MAP_DATA_GOAL_BYTES / 1e6:.0f} MB", ok(size < MAP_DATA_GOAL_BYTES))
    outside = [u for r in pages.values() for u in r["outside"]]
    row("c", f"requests to hosts other than localhost, {label}", str(len(outside)), "0",
        ok(not outside) + (f" {outside[:2]}" if outside else ""))


def part_c(tmp: Path, sizes: tuple[int, ...] = (100_000, 1_000_000)):
    """Every page in headless Chromium on the default warehouse and on SYNTHETIC warehouses of `sizes` rows
    (built once per run; part b's with the same --orgs is reused)."""
    print("(c) pages in headless Chromium: bytes per page, time to the map's drawn canvas", flush=True)
    default_db = default_warehouse(tmp)
    if default_db is not None:
        report_browser(f"default data ({n_sites(default_db):,} sites)", default_db, tmp)
    for n in sizes:
        db = synthetic_warehouse(tmp, n)
        report_browser(f"SYNTHETIC {n_sites(db):,} sites", db, tmp)


# --------------------------------------------------------------------------- (d) load

def _descendant_cpu() -> dict[str, float]:
    """CPU seconds (user+sys) of this process's descendants, by kind (streamlit / chromium / other)."""
    tick = os.sysconf("SC_CLK_TCK")
    procs = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        procs[int(d.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick, cmd)
    mine = {os.getpid()}
    changed = True
    while changed:
        changed = False
        for pid, (ppid, _, _) in procs.items():
            if ppid in mine and pid not in mine:
                mine.add(pid)
                changed = True
    out = {"streamlit": 0.0, "chromium": 0.0, "other": 0.0}
    for pid in mine - {os.getpid()}:
        _, cpu, cmd = procs[pid]
        kind = "streamlit" if "streamlit" in cmd else "chromium" if "chrom" in cmd else "other"
        out[kind] += cpu
    return out


LOAD_OBSERVER = """
window.__bv = {runs: [], t0: null, seen: false};
new MutationObserver(() => {
  const app = document.querySelector('[data-testid=stApp]');
  if (!app || window.__bv.t0 === null) return;
  const state = app.getAttribute('data-test-script-state');
  if (state !== 'notRunning') { window.__bv.seen = true; return; }
  if (window.__bv.seen) {
    window.__bv.runs.push(performance.now() - window.__bv.t0);
    window.__bv.t0 = null;
    window.__bv.seen = false;
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
"""


def part_d(tmp: Path, sessions: int, seconds: float):
    """Each page gets a new name filter as soon as its previous rerun finished; the time from
    the change (Enter) to the page idle again is measured inside the page (performance.now)."""
    print(f"(d) load: {sessions} concurrent browser pages for {seconds:.0f} s", flush=True)
    import harness
    from playwright.sync_api import sync_playwright
    db = tmp / "d-default" / "default.duckdb"
    db.parent.mkdir()
    empty = tmp / "d-empty"
    empty.mkdir()
    timed_build(db, empty)
    words = ["a", "co", "srl", "lab", "spa", "ita", "cosm", "pack", "uni", "ma", "in", "er", "ce", "o"]
    errors: list[str] = []
    reruns: list[float] = []
    pending_at_end = 0
    with _server(db, tmp / "d-streamlit.log") as base, sync_playwright() as p:
        browser = harness.launch_chromium(p)
        pages = []
        for _ in range(sessions):
            ctx = browser.new_context(viewport={"width": 1200, "height": 900})
            ctx.add_init_script(LOAD_OBSERVER)
            page = ctx.new_page()
            page.set_default_timeout(120_000)
            page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
            page.on("console", lambda m: errors.append(f"console: {m.text}")
                    if m.type == "error" and "/_stcore/" not in ((m.location or {}).get("url") or "") else None)
            page.goto(base + "/")
            pages.append(page)
        for page in pages:
            page.wait_for_selector("[data-testid=stMetric]")
        boxes = [pg.locator("[data-testid=stSidebar]").get_by_label("Cerca per nome") for pg in pages]
        issued = [0] * sessions
        sent_at = [0.0] * sessions
        cpu0 = _descendant_cpu()
        t_end = time.monotonic() + seconds
        while time.monotonic() < t_end:
            for i, (page, box) in enumerate(zip(pages, boxes)):
                busy = page.evaluate("window.__bv.t0 !== null")
                if busy:
                    if time.monotonic() - sent_at[i] > 120:
                        errors.append(f"page {i}: no answer within 120 s")
                        page.evaluate("window.__bv.t0 = null")
                    continue
                box.fill(words[(issued[i] + i) % len(words)])
                page.evaluate("window.__bv.t0 = performance.now()")
                box.press("Enter")
                issued[i] += 1
                sent_at[i] = time.monotonic()
            time.sleep(0.02)
        cpu1 = _descendant_cpu()
        time.sleep(5)
        for page in pages:
            reruns += [x / 1000 for x in page.evaluate("window.__bv.runs")]
            pending_at_end += int(page.evaluate("window.__bv.t0 !== null"))
            if page.locator("[data-testid=stException]").count():
                errors.append("exception box: " + page.locator("[data-testid=stException]").first.inner_text()[:200])
        browser.close()
    log = (tmp / "d-streamlit.log").read_text(errors="replace")
    if "Traceback" in log:
        errors.append("server traceback: " + log[log.index("Traceback"):][:300])
    reruns.sort()
    p95 = reruns[int(0.95 * (len(reruns) - 1))] if reruns else float("nan")
    row("d", f"{sessions} concurrent pages (one Chromium, same 2-core machine as the server), "
             f"{seconds:.0f} s of name-filter changes: reruns completed",
        f"{len(reruns):,} of {sum(issued):,} issued ({pending_at_end} still running at the end)")
    row("d", "p95 / median time from a change to its page idle again (measured in the page)",
        f"{p95 * 1000:.0f} / {statistics.median(reruns) * 1000:.0f} ms" if reruns else "none")
    row("d", "errors (exception boxes, console/page errors, timeouts, server tracebacks)", str(len(errors)), "0",
        ok(not errors) + (f": {errors[0][:120]}" if errors else ""))
    used = {k: (cpu1[k] - cpu0[k]) / seconds for k in cpu1}
    row("d", "CPU used during the minute (cores busy): Streamlit server / Chromium (20 pages)",
        f"{used['streamlit']:.2f} / {used['chromium']:.2f} of {os.cpu_count()}")


# --------------------------------------------------------------------------- main

def part_e(tmp: Path, province: str = "CR"):
    """Territory brief of one province on the default warehouse (built into tmp if missing)."""
    db = DEFAULT_DB if DEFAULT_DB.exists() else tmp / "default.duckdb"
    if not db.exists():
        subprocess.run([PY, "-m", "etl", "build", "--db", str(db), "--quiet"], cwd=REPO, check=True,
                       capture_output=True)
    walls = []
    for i in range(3):
        out = tmp / f"brief_{i}.pdf"
        t = time.perf_counter()
        subprocess.run([PY, "-m", "beautyvalley", "brief", "--prov", province, "--db", str(db), "-o", str(out)],
                       cwd=REPO, check=True, capture_output=True)
        walls.append(time.perf_counter() - t)
    pages = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout if \
        Path("/usr/bin/pdfinfo").exists() else ""
    n_pages = re.search(r"Pages:\s+(\d+)", pages)
    wall = statistics.median(walls)
    row("e", f"brief of {province} via the CLI (wall incl. interpreter start, median of 3)", f"{wall:.2f} s",
        "< 3 s", ok(wall < 3))
    os.environ["BEAUTYVALLEY_DB"] = str(db)
    import streamlit as st

    from beautyvalley import brief
    from beautyvalley.filters import Filters

    times = []
    for _ in range(3):
        st.cache_data.clear()  # every query runs again
        t = time.perf_counter()
        data = brief.build_brief(Filters(provinces=(province,)), "it")
        times.append(time.perf_counter() - t)
    warm = statistics.median(times)
    row("e", f"brief of {province} in process, query caches cleared (median of 3)", f"{warm:.2f} s",
        "< 3 s", ok(warm < 3))
    row("e", "brief size / pages", f"{len(data) / 1024:.0f} KiB / {n_pages.group(1) if n_pages else '?'} pages",
        "<= 2 pages", ok(bool(n_pages) and int(n_pages.group(1)) <= 2))


def write_results(info: dict, parts: str, seconds: float):
    OUT.mkdir(exist_ok=True)
    lines = ["# Benchmark results", "",
             f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `make bench` (parts {parts}), "
             f"in {seconds:.0f} s.", "",
             f"Machine: {info['nproc']} cores ({info['cpu']}), {info['ram_gib']} GiB RAM, {info['os']}; "
             f"Python {info['python']}, DuckDB {info['duckdb']}, pandas {info['pandas']}, "
             f"Streamlit {info['streamlit']}.", "",
             "| part | measure | value | goal | verdict |", "|---|---|---|---|---|"]
    for r in ROWS:
        lines.append("| " + " | ".join(str(x).replace("|", "\\|") for x in r) + " |")
    lines += ["", "SYNTHETIC data is generated by bench/synthetic.py into a temporary folder; "
              "data/beautyvalley.duckdb is never touched."]
    (OUT / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (OUT / "results.json").write_text(json.dumps({"machine": info, "rows": ROWS}, indent=1), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parts", default="a,b,c,d,e,f")
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows of the SYNTHETIC export (a)")
    ap.add_argument("--orgs", type=int, default=100_000, help="SYNTHETIC organisations (b)")
    ap.add_argument("--compare", metavar="REV", help="(a) also build the same file with the code at git revision REV "
                    "and today's code, in the same run (e.g. 078218e, before issue 9's merge)")
    ap.add_argument("--repeat", type=int, default=1, help="builds per side for --compare (alternating order)")
    ap.add_argument("--scale-rows", default="100000,1000000,5000000", help="sizes for --parts scale")
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    import logging

    from streamlit.runtime.scriptrunner_utils import script_run_context  # noqa: F401 - creates the logger
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())  # AppTest/bare-mode noise
    info = machine()
    print(f"machine: {info['nproc']} cores, {info['ram_gib']} GiB, {info['cpu']}", flush=True)
    before = DEFAULT_DB.stat().st_mtime_ns if DEFAULT_DB.exists() else None
    t0 = time.perf_counter()
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    with tempfile.TemporaryDirectory(prefix="bv-bench-") as d:
        tmp = Path(d)
        for p in parts:
            try:
                if p == "a":
                    part_a(tmp, args.rows, args.compare, args.repeat)
                elif p == "b":
                    part_b(tmp, args.orgs)
                elif p == "c":
                    part_c(tmp)
                elif p == "d":
                    part_d(tmp, args.sessions, args.seconds)
                elif p == "e":
                    part_e(tmp)
                elif p == "scale":
                    part_scale(tmp, [int(x) for x in args.scale_rows.split(",")])
                elif p == "f":
                    part_f(tmp, row, ok, n_sites=args.orgs)
            except Exception as exc:  # noqa: BLE001 - a failed part is reported, the others still run
                row(p, "part failed", f"{type(exc).__name__}: {str(exc)[:200]}")
    after = DEFAULT_DB.stat().st_mtime_ns if DEFAULT_DB.exists() else None
    assert before == after, "the benchmark touched data/beautyvalley.duckdb"
    write_results(info, ",".join(parts), time.perf_counter() - t0)
    print()
    w = [max(len(str(r[i])) for r in ROWS + [("part", "measure", "value", "goal", "verdict")]) for i in range(5)]
    for r in [("part", "measure", "value", "goal", "verdict")] + ROWS:
        print("  ".join(str(x).ljust(min(w[i], 90)) for i, x in enumerate(r)))
    print(f"\nwritten: {OUT / 'results.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
