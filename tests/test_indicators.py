"""beautyvalley/indicators.py on small hand-made frames (SYNTHETIC entities and values), no Streamlit."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

from beautyvalley import indicators


def rows(*records) -> pd.DataFrame:
    cols = ["entity", "metric", "comparable_group", "unit", "scope", "value", "year", "source_url", "source_date"]
    return pd.DataFrame([dict(zip(cols, r)) for r in records], columns=cols)


def test_shared_metrics_need_two_entities():
    ind = pd.DataFrame({"entity": ["A", "B", "A"], "metric": ["m", "m", "solo"], "value": [1, 2, 3]})
    assert set(indicators.shared_metrics(ind)["metric"]) == {"m"}
    assert set(indicators.shared_metrics(ind, min_entities=1)["metric"]) == {"m", "solo"}


def test_latest_value_with_previous_year_range_and_sources():
    s = rows(("Synthland", "turnover", "g", "EUR", "s", 10.0, 2020, "https://a.example", "2024-01-01"),
             ("Synthland", "turnover", "g", "EUR", "s", 12.0, 2022, "https://a.example", "2024-01-01"),
             ("Synthland", "turnover", "g", "EUR", "s", 14.0, 2022, "https://b.example", "2024-02-01"),
             ("Synthland", "turnover", "other", "EUR", "s", 99.0, 2023, "https://c.example", "2024-02-01"))
    latest = indicators.latest_values(s)
    assert len(latest) == 2  # one row per comparable group
    g = latest[latest["comparable_group"] == "g"].iloc[0]
    assert (g["year"], g["previous_year"], g["previous_value"]) == (2022, 2020, 10.0)
    assert (g["low"], g["high"], g["n_years"]) == (12.0, 14.0, 2)
    assert sorted(g["sources"]) == [("https://a.example", "2024-01-01"), ("https://b.example", "2024-02-01")]
    assert g["series"] == [10.0, 13.0]  # the median of the two 2022 figures
    other = latest[latest["comparable_group"] == "other"].iloc[0]
    assert pd.isna(other["previous_value"]) and other["value"] == 99.0


def test_empty_frames_keep_their_columns():
    assert list(indicators.latest_values(rows()))[:3] == ["entity", "metric", "comparable_group"]
    assert indicators.disagreements(rows()).empty


def test_disagreements_only_where_values_differ():
    s = rows(("X", "m", None, "n", "s", 1.0, 2021, "https://a.example", None),
             ("X", "m", None, "n", "s", 2.0, 2021, "https://b.example", None),
             ("X", "m", None, "n", "s", 5.0, 2022, "https://a.example", None),
             ("X", "m", None, "n", "s", 5.0, 2022, "https://b.example", None))
    d = indicators.disagreements(s)
    assert len(d) == 1 and d.iloc[0]["year"] == 2021
    assert (d.iloc[0]["low"], d.iloc[0]["high"], d.iloc[0]["n_sources"]) == (1.0, 2.0, 2)


def test_headline_order_metric_then_region_before_country_newest_first():
    latest = pd.DataFrame({"entity": ["Italia", "Lombardia", "Lombardia", "Italia"],
                           "metric": ["turnover", "exports", "turnover", "turnover"],
                           "year": [2022, 2022, 2022, 2023]})
    out = indicators.order_headline(latest)
    assert list(zip(out["metric"], out["entity"], out["year"])) == [
        ("turnover", "Lombardia", 2022), ("turnover", "Italia", 2023), ("turnover", "Italia", 2022),
        ("exports", "Lombardia", 2022)]


def test_territory_case_and_province_entity():
    assert indicators.territory_case(("CR",), True) == "province"
    assert indicators.territory_case(("CR",), False) == "province_none"
    assert indicators.territory_case(("CR", "LO"), True) == "several"
    assert indicators.territory_case((), True) == "region"
    names = {"CR": "Cremona", "MB": "Monza e della Brianza"}
    assert indicators.province_entity("CR", names) == "Provincia di Cremona"
    assert indicators.province_entity("MB", names) == "Provincia di Monza e Brianza"
    assert indicators.province_entity("ZZ", names) is None


def test_indicators_and_filter_spec_import_without_streamlit():
    code = ("import sys; import beautyvalley.indicators, beautyvalley.filter_spec; "
            "assert 'streamlit' not in sys.modules, 'streamlit imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
