"""Export writers: formula neutralisation, CSV, CSV for Excel (Italian), GeoJSON, dictionary."""

from __future__ import annotations

import csv
import io
import json

import duckdb
import pandas as pd
import pytest

from beautyvalley import export, i18n

BUILD = {"build_id": "b-42", "date": "2026-11-20"}


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "org_id": ["a", "b", "c", "d"],
            "name": ['=HYPERLINK("http://x","y")', "+39 02", "Alfa, S.p.A.", "<img src=x onerror=alert(1)>"],
            "segments": [["brand", "packaging"], [], ["brand"], []],
            "employees": pd.array([120, None, -5, 7], dtype="Int32"),
            "revenue_eur": [1234.5, None, -2.25, 1e6],
            "lat": [45.36, None, 45.5, 45.6],
            "lon": [9.69, None, 9.2, 9.7],
            "source_urls": [["https://s.example/1", "https://s.example/2"], [], ["https://s.example/3"], []],
        }
    )


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"), ("+39", "'+39"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"), ("\rx", "'\rx"), ("Alfa", "Alfa"), ("", ""), (-5, -5), (-2.5, -2.5), (None, None),
    ],
)
def test_neutralise(value, expected):
    assert export.neutralise(value) == expected


def test_csv_is_utf8_with_the_rows_lists_and_build():
    data = export.to_csv(frame(), BUILD)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert [r["org_id"] for r in rows] == ["a", "b", "c", "d"]
    assert rows[0]["name"] == '\'=HYPERLINK("http://x","y")'
    assert rows[1]["name"] == "'+39 02"
    assert rows[2]["name"] == "Alfa, S.p.A."
    assert rows[3]["name"] == "<img src=x onerror=alert(1)>"  # plain text in a CSV, not a formula
    assert rows[0]["segments"] == "brand | packaging"
    assert rows[0]["source_urls"] == "https://s.example/1 | https://s.example/2"
    assert rows[2]["employees"] == "-5"  # numbers are not neutralised
    assert rows[2]["revenue_eur"] == "-2.25"
    assert {r["build_id"] for r in rows} == {"b-42"} and {r["build_date"] for r in rows} == {"2026-11-20"}


def test_excel_csv_has_bom_semicolons_and_decimal_comma():
    data = export.to_excel_csv(frame(), BUILD)
    assert data[:3] == b"\xef\xbb\xbf"
    text = data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert rows[0]["revenue_eur"] == "1234,5"
    assert rows[2]["revenue_eur"] == "-2,25"
    assert rows[3]["revenue_eur"] == "1000000"
    assert rows[0]["lat"] == "45,36"
    assert rows[2]["name"] == "Alfa, S.p.A."
    assert rows[0]["name"].startswith("'=")
    assert rows[1]["revenue_eur"] == ""


def test_geojson_points_keep_sources_and_build():
    doc = json.loads(export.to_geojson(frame(), BUILD))
    assert doc["type"] == "FeatureCollection"
    assert doc["metadata"]["build_id"] == "b-42"
    ids = [f["properties"]["org_id"] for f in doc["features"]]
    assert ids == ["a", "c", "d"]  # b has no position
    first = doc["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [9.69, 45.36]}
    assert first["properties"]["source_urls"] == ["https://s.example/1", "https://s.example/2"]
    assert first["properties"]["employees"] == 120
    assert doc["features"][1]["properties"]["employees"] == -5
    assert first["properties"]["build_date"] == "2026-11-20"


def test_file_name_carries_build_date():
    assert export.file_name("organisations", BUILD, "csv") == "beautyvalley_organisations_2026-11-20.csv"


def test_data_dictionary_explains_every_warehouse_column_in_both_languages(fixture_db):
    with duckdb.connect(str(fixture_db), read_only=True) as con:
        cols = [r[0] for r in con.execute("DESCRIBE mart.organisations").fetchall()]
    exported = list(cols)
    for lang in i18n.LANGS:
        d = export.data_dictionary(exported, lang)
        assert list(d["column"])[: len(exported)] == exported
        missing = d.loc[d["meaning"] == "", "column"].tolist()
        assert missing == [], missing
        assert {"build_id", "build_date"} <= set(d["column"])


def test_citation_names_build_filters_and_link():
    text = export.citation(BUILD, "provinces: Cremona", "http://h/explore?prov=CR", "en")
    assert "b-42" in text and "2026-11-20" in text and "provinces: Cremona" in text
    assert "http://h/explore?prov=CR" in text


def test_carriage_return_inside_a_value_cannot_split_a_row():
    df = frame()
    df.loc[2, "name"] = "a\rb"
    data = export.to_csv(df, BUILD).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(data, newline="")))
    assert len(rows) == len(df)
    assert rows[2]["name"] == "a\rb"


def test_several_indicator_sources_become_several_links():
    from beautyvalley.formatting import first_url, source_line
    text = source_line(["https://a.example/x | https://b.example/y"], "2024-01-01")
    assert "[https://a.example/x](https://a.example/x)" in text.replace("\\", "")
    assert "b.example/y" in text and " | " not in text
    assert first_url("https://a.example/x | https://b.example/y") == "https://a.example/x"
