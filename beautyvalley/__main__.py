"""Command line: python -m beautyvalley brief [--prov CR] [--comune CODE] [--lang it|en] [-o FILE].

Writes the territory brief (beautyvalley/brief.py) of a selection as PDF, for batch use.
Exit codes: 0 written; 1 the warehouse is missing or the PDF could not be written; 2 bad arguments
(an unknown province, comune, kind or segment).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path


def _values(raw: list[str] | None) -> list[str]:
    """Repeated and comma-separated values, in order, without duplicates."""
    out: list[str] = []
    for item in raw or []:
        for v in item.split(","):
            v = v.strip()
            if v and v not in out:
                out.append(v)
    return out


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m beautyvalley", description="Beauty Valley: printable outputs.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("brief", help="write the territory brief (PDF) of a selection")
    b.add_argument("--prov", action="append", metavar="CODE",
                   help="province code(s), repeated or comma-separated (CR,LO); 'all' = all of Lombardy; "
                        "default: the valley (CR, LO, MI, BG), or the province of --comune")
    b.add_argument("--comune", action="append", metavar="ISTAT", help="comune ISTAT code(s), e.g. 019035 (Crema)")
    b.add_argument("--kind", action="append", metavar="KIND", help="organisation kind(s), e.g. company")
    b.add_argument("--seg", action="append", metavar="SEGMENT", help="value-chain segment(s), e.g. packaging")
    b.add_argument("--spec", action="append", metavar="SPECIALTY", help="specialty(ies), e.g. make-up")
    b.add_argument("--q", default="", metavar="TEXT", help="name contains TEXT")
    b.add_argument("--lang", choices=["it", "en"], default="it", help="language (default it)")
    b.add_argument("-o", "--output", type=Path, default=None,
                   help="PDF file to write ('-' = standard output; default beautyvalley_brief_<codes>_<lang>_<date>.pdf)")
    b.add_argument("--db", type=Path, default=None, help="warehouse file (default $BEAUTYVALLEY_DB or data/beautyvalley.duckdb)")
    b.add_argument("--base-url", default=None, help="dashboard address for the link in the footer "
                                                     "(default http://localhost:8501/)")
    return p


def _selection(args: argparse.Namespace):
    """The Filters of the arguments, or an error message (exit 2)."""
    from beautyvalley import filters, queries
    from beautyvalley.filters import Filters

    provs = _values(args.prov)
    comuni = _values(args.comune)
    known_provs = filters.province_options()
    if comuni:
        com = queries.comuni_layer(Filters(provinces=()))
        province_of = dict(zip(com["comune_code"], com["province"]))
        bad = [c for c in comuni if c not in province_of]
        if bad:
            return None, f"unknown comune ISTAT code(s): {', '.join(bad)} (Lombard comuni only)"
        if not provs:
            provs = sorted({province_of[c] for c in comuni})
    if provs == ["all"]:
        provs = []
    elif not provs:
        provs = list(filters.DEFAULT_PROVINCES)
    bad = [p for p in provs if p not in known_provs]
    if bad:
        return None, f"unknown province code(s): {', '.join(bad)} (one of {', '.join(known_provs)} or 'all')"
    kinds, segs = _values(args.kind), _values(args.seg)
    for name, values, allowed in (("kind", kinds, filters.kind_options()),
                                  ("segment", segs, filters.segment_options())):
        bad = [v for v in values if v not in allowed]
        if bad:
            return None, f"unknown {name}(s): {', '.join(bad)} (one of {', '.join(allowed)})"
    name = filters._clean_text(args.q or "")  # the sidebar's own cleaning
    return Filters(provinces=tuple(provs), comuni=tuple(comuni), kinds=tuple(kinds), segments=tuple(segs),
                   specialties=tuple(_values(args.spec)), name=name, lang=args.lang), None


def _brief(args: argparse.Namespace) -> int:
    if args.db is not None:
        os.environ["BEAUTYVALLEY_DB"] = str(args.db.resolve())
    # the query caches (st.cache_data) warn once per function that no Streamlit runtime is running
    from streamlit import logger as st_logger

    st_logger.set_log_level(logging.ERROR)
    from beautyvalley import brief, warehouse

    if not warehouse.db_path().exists():
        print(f"warehouse not found: {warehouse.db_path()} (build it with: python -m etl build)", file=sys.stderr)
        return 1
    f, error = _selection(args)
    if error:
        print(error, file=sys.stderr)
        return 2
    pdf = brief.build_brief(f, args.lang, base_url=args.base_url)
    if args.output is not None and str(args.output) == "-":
        sys.stdout.buffer.write(pdf)
        return 0
    out = args.output or Path(brief.file_name(f, args.lang))
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        print(f"cannot write {out}: {exc}", file=sys.stderr)
        return 1
    print(f"{out} ({len(pdf):,} bytes)")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "brief":
        return _brief(args)
    return 2  # pragma: no cover - argparse requires a command


if __name__ == "__main__":
    sys.exit(main())
