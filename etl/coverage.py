"""Coverage of the registry: organisation sites by province and kind, and the share of sites with each field."""
from __future__ import annotations

import pandas as pd

FIELDS = ["comune_code", "employees", "revenue_eur", "website", "founded", "vat", "ateco", "segments", "address"]


def coverage_tables(con) -> tuple[pd.DataFrame, pd.DataFrame]:
    by_place = con.execute("""
        PIVOT (SELECT coalesce(province, '(unknown)') AS province, kind FROM mart.organisations)
        ON kind USING count(*) GROUP BY province ORDER BY province""").df()
    by_place["total"] = by_place.drop(columns="province").sum(axis=1)
    total = con.execute("SELECT count(*) FROM mart.organisations").fetchone()[0]
    rows = []
    for f in FIELDS:
        cond = "len(segments) > 0" if f == "segments" else f"{f} IS NOT NULL"
        n = con.execute(f"SELECT count(*) FROM mart.organisations WHERE {cond}").fetchone()[0]  # f: fixed list above
        rows.append({"field": f, "filled": n, "of": total, "share": f"{(n / total * 100 if total else 0):.0f}%"})
    exact = con.execute("SELECT count(*) FROM mart.organisations WHERE location_precision = 'address'").fetchone()[0]
    rows.append({"field": "exact location", "filled": exact, "of": total, "share": f"{(exact / total * 100 if total else 0):.0f}%"})
    return by_place, pd.DataFrame(rows)
