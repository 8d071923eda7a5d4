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


def xlsx_frame() -> pd.DataFrame:
    """SYNTHETIC rows (invented firms) with the cells a spreadsheet mangles."""
    df = frame()
    df["comune_code"] = ["016153", "098031", None, "019036"]
    df["ateco"] = ["20.42.00", "20.42", None, "46.45.00"]
    df["vat"] = ["01234567890", None, None, "00000000001"]
    df["kind"] = ["company", "university", "company", "testing_lab"]
    df["site_type"] = ["hq", "plant", None, "hq"]
    df["website"] = ["https://alfa.example", None, "http://beta.example/x", None]
    df["source_date"] = ["2024-05-17", "2024-05", "2023", "not a date"]
    return df


def read_xlsx(data: bytes):
    from openpyxl import load_workbook
    return load_workbook(io.BytesIO(data))


def sheet_rows(ws) -> list[dict]:
    rows = list(ws.iter_rows())
    header = [c.value for c in rows[0]]
    return [dict(zip(header, r)) for r in rows[1:]]


def test_xlsx_types_codes_dates_numbers_links():
    import datetime as dt
    wb = read_xlsx(export.to_xlsx(xlsx_frame(), BUILD, "it", sheet="organisations"))
    assert wb.sheetnames == ["Organizzazioni", "Fonti", "Dizionario"]
    rows = sheet_rows(wb["Organizzazioni"])
    assert [r["org_id"].value for r in rows] == ["a", "b", "c", "d"]
    # codes keep their leading zeros and are text cells
    assert [r["comune_code"].value for r in rows] == ["016153", "098031", None, "019036"]
    assert rows[0]["comune_code"].data_type == "s" and rows[0]["comune_code"].number_format == "@"
    assert rows[0]["vat"].value == "01234567890" and rows[3]["ateco"].value == "46.45.00"
    # numbers are numbers
    assert rows[0]["employees"].value == 120 and rows[0]["employees"].data_type == "n"
    assert rows[2]["revenue_eur"].value == -2.25 and rows[1]["revenue_eur"].value is None
    assert rows[0]["lat"].value == 45.36
    # dates are dates with their precision beside them
    assert rows[0]["source_date"].value == dt.datetime(2024, 5, 17)
    assert rows[0]["source_date"].is_date and rows[0]["source_date"].number_format == "yyyy-mm-dd"
    assert rows[1]["source_date"].value == dt.datetime(2024, 5, 1)
    assert rows[1]["source_date"].number_format == "yyyy-mm"
    assert rows[2]["source_date"].value == dt.datetime(2023, 1, 1)
    assert [r["source_date_precision"].value for r in rows] == ["day", "month", "year", None]
    assert rows[3]["source_date"].value == "not a date" and rows[3]["source_date"].data_type == "s"
    assert rows[0]["build_date"].value == dt.datetime(2026, 11, 20)
    assert rows[0]["build_id"].value == "b-42"
    # URLs are hyperlinks, lists are joined
    assert rows[0]["website"].hyperlink.target == "https://alfa.example"
    assert rows[0]["source_urls"].value == "https://s.example/1 | https://s.example/2"
    assert rows[0]["source_urls"].hyperlink.target == "https://s.example/1"
    assert rows[0]["segments"].value == "brand | packaging"
    # the formula-like name is kept verbatim as a text cell
    assert rows[0]["name"].value == '=HYPERLINK("http://x","y")' and rows[0]["name"].data_type == "s"


def test_xlsx_has_no_formula_anywhere():
    import zipfile
    data = export.to_xlsx(xlsx_frame(), BUILD, "en", citation_text="=1+1", link="https://p.example/?a=1")
    wb = read_xlsx(data)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                xml = z.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml, name


def test_xlsx_sources_sheet_one_row_per_source_url():
    wb = read_xlsx(export.to_xlsx(xlsx_frame(), BUILD, "en", citation_text="Cite me", link="https://p.example/x"))
    ws = wb["Sources"]
    assert ws["B1"].value == "b-42"
    assert ws["B3"].value == "Cite me" and ws["B4"].hyperlink.target == "https://p.example/x"
    assert [c.value for c in ws[7]][:3] == ["org_id", "name", "source_url"]
    cells = [list(r) for r in ws.iter_rows(min_row=8)]
    urls = [(r[0].value, r[2].value) for r in cells]
    # a has two sources, b none, c one, d none: 1 row each for rows without a source
    assert urls == [("a", "https://s.example/1"), ("a", "https://s.example/2"), ("b", None),
                    ("c", "https://s.example/3"), ("d", None)]
    assert cells[0][2].hyperlink.target == "https://s.example/1"
    assert [r[4].value for r in cells] == ["day", "day", "month", "year", None]


def test_xlsx_dictionary_has_types_units_and_code_labels():
    for lang, sheet, _kind_word in (("it", "Dizionario", "Laboratorio di prova"), ("en", "Dictionary", "Testing lab")):
        wb = read_xlsx(export.to_xlsx(xlsx_frame(), BUILD, lang))
        rows = {r[0].value: [c.value for c in r] for r in wb[sheet].iter_rows(min_row=2)}
        assert rows["comune_code"][2] == "text (code)"
        assert rows["employees"][2] == "number" and rows["revenue_eur"][3] == "EUR"
        assert rows["source_date"][2] == "date" and "source_date_precision" in rows
        assert "testing_lab = " in rows["kind"][5]
        assert "hq = " in rows["site_type"][5]
        assert rows["kind"][5].count("=") == 3  # company, testing_lab, university


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


def test_file_name_carries_build_id_date_and_filter_slug():
    from beautyvalley.filters import Filters
    assert export.file_name("organisations", BUILD, "csv") == "beautyvalley_organisations_b-42_2026-11-20.csv"
    assert export.file_name("organisations", BUILD, "csv", Filters()) == \
        "beautyvalley_organisations_b-42_2026-11-20.csv"
    a = export.file_name("organisations", BUILD, "xlsx", Filters(provinces=("CR",), kinds=("company",)))
    b = export.file_name("organisations", BUILD, "xlsx", Filters(provinces=("LO",)))
    assert a == "beautyvalley_organisations_CR_company_b-42_2026-11-20.xlsx"
    assert a != b
    hostile = export.file_name("x", BUILD, "csv", Filters(name="../<img>é/..", statuses=()))
    assert "/" not in hostile and "<" not in hostile and hostile.isascii()
    assert hostile == "beautyvalley_x_q-img_allstatus_b-42_2026-11-20.csv"


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
