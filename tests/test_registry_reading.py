"""Reading registry exports: encodings, delimiters, XLSX sheets, unreadable files, line numbers."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from etl.registry.headers import map_headers
from etl.registry.reading import FileReadError, read_table

SAMPLES = Path(__file__).parent / "samples" / "registry"


def test_cp1252_semicolon_export_with_euro_in_header():
    t = read_table(SAMPLES / "cp1252_semicolon_euro.csv")
    assert t.encoding == "cp1252"
    assert t.delimiter == ";"
    assert set(t.mapping.values()) == {"name", "comune", "province", "revenue_eur", "employees"}
    assert t.columns["comune"] == ["Crema", "Cantù"]  # ù decoded from 0xF9
    assert t.lines == [2, 3]


def test_utf8_bom_and_tab_delimiter():
    t = read_table(SAMPLES / "utf8_bom_tab.csv")
    assert t.encoding == "utf-8-sig"
    assert t.delimiter == "\t"
    assert t.columns["name"] == ["Fixture Tab (synthetic)"]  # no BOM glued to the first header


def test_xlsx_uses_first_sheet_with_matching_header_and_says_which():
    t = read_table(SAMPLES / "data_on_second_sheet.xlsx")
    assert t.sheet == "Soci"
    assert any("Soci" in w for w in t.file_warnings)
    assert t.columns["name"] == ["Fixture Xlsx Alfa (synthetic)", "Fixture Xlsx Beta (synthetic)"]
    assert t.lines == [2, 3]  # sheet rows
    assert t.columns["revenue_eur"][1] in (None, "")  # a formula is never evaluated


@pytest.mark.parametrize("name,needle", [
    ("binary.csv", "binary"),
    ("empty.csv", "empty"),
])
def test_unreadable_files_raise_a_clear_error(name, needle):
    with pytest.raises(FileReadError, match=needle):
        read_table(SAMPLES / name)


def test_header_only_file_is_readable_with_zero_rows():
    t = read_table(SAMPLES / "header_only.csv")
    assert t.n_rows == 0
    assert any("no data rows" in w for w in t.file_warnings)


def test_xlsx_renamed_csv_is_explained(tmp_path):
    p = tmp_path / "export.csv"
    p.write_bytes((SAMPLES / "data_on_second_sheet.xlsx").read_bytes())
    with pytest.raises(FileReadError, match="XLSX"):
        read_table(p)


def test_blank_lines_skipped_and_line_numbers_follow_the_file(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text('name,comune\nA,Crema\n\n,\n"B\nsecond line",Lodi\nC,Milano\n', encoding="utf-8")
    t = read_table(p)
    assert t.columns["name"] == ["A", "B\nsecond line", "C"]
    assert t.lines == [2, 5, 7]


def test_mixed_encodings_keep_every_line_and_warn(tmp_path):
    p = tmp_path / "mixed.csv"
    p.write_bytes("name;comune\nCaffè Uno;Crema\n".encode() + "Caffè Due;Cantù\n".encode("cp1252"))
    t = read_table(p)
    assert t.columns["name"] == ["Caffè Uno", "Caffè Due"]
    assert t.columns["comune"] == ["Crema", "Cantù"]
    assert any("mixed encodings" in w and "3" in w for w in t.file_warnings)


def test_unrecognised_header_names_the_problem(tmp_path):
    p = tmp_path / "pipes.csv"
    p.write_text("ragione sociale|comune\nA|Crema\n", encoding="utf-8")
    with pytest.raises(FileReadError, match="delimiter must be"):
        read_table(p)


def test_header_aliases_are_case_accent_and_punctuation_insensitive():
    m = map_headers(["RAGIONE SOCIALE", "Città", "P. IVA", "Fatturato (€)", "Località", "N. Dipendenti", "LNG"])
    assert m == {0: "name", 1: "comune", 2: "vat", 3: "revenue_eur", 5: "employees", 6: "lon"}


def test_xlsx_with_many_sheets_and_no_header(tmp_path):
    wb = openpyxl.Workbook()
    for i in range(30):
        ws = wb.create_sheet(f"S{i}")
        ws.append(["foo", "bar"])
    p = tmp_path / "many.xlsx"
    wb.save(p)
    with pytest.raises(FileReadError, match="no sheet"):
        read_table(p)


def test_unclosed_quote_is_reported_not_swallowed(tmp_path):
    p = tmp_path / "q.csv"
    p.write_text('name,comune,note\nA,Crema,ok\nB,Lodi,"never closed\nC,Crema,x\nD,Crema,y\n', encoding="utf-8")
    with pytest.raises(FileReadError, match="line 3"):
        read_table(p)


def test_repeated_header_is_named(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("name,comune,Name\nA,Crema,B\n", encoding="utf-8")
    t = read_table(p)
    assert t.columns["name"] == ["A"]
    assert any("'Name' repeat" in w for w in t.file_warnings)


def _both_readers(path, monkeypatch):
    from etl.registry import reading
    monkeypatch.setattr(reading, "FAST_PATH_MIN_BYTES", 0)
    fast = read_table(path)
    monkeypatch.setattr(reading, "FAST_PATH_MIN_BYTES", 1 << 62)
    exact = read_table(path)
    return fast, exact


@pytest.mark.parametrize("content", [
    b"name;comune;prov;addetti\r\nA;Crema;CR;1.234\r\n\r\n;;;\r\n\"B; x\";Lodi;LO;n.d.\r\n\"\";\" \";\"\";\r\nC;Milano;MI;5\r\n\r\n",
    b"\xef\xbb\xbfname,comune,extra\nA,Crema,z\n\nB,Lodi,\n",
    b"name,comune\nA,Crema\n\"B\nsecond line\",Lodi\n",  # a quoted newline: the exact reader is used
    b"name,comune\nA,Crema,extra cell\nB,Lodi\n",  # a longer row: the exact reader is used
])
def test_columnar_and_exact_readers_agree(tmp_path, monkeypatch, content):
    p = tmp_path / "x.csv"
    p.write_bytes(content)
    fast, exact = _both_readers(p, monkeypatch)
    as_lists = {k: (v.to_pylist() if hasattr(v, "to_pylist") else v) for k, v in fast.columns.items()}
    assert fast.lines == exact.lines
    assert as_lists == exact.columns
    assert fast.file_warnings == exact.file_warnings
