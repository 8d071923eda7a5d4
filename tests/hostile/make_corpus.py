"""The hostile-input corpus: registry exports that are broken, malicious or absurd.

Every case is generated here, in code. The small ones are also committed under
`tests/hostile/files/` so people can open them (`python tests/hostile/make_corpus.py --write`
rewrites them; a test checks the committed copies still match this generator). The big ones
(100,000 columns, a 10 MB line) are written at test time into a temporary folder only.

Each case says what the ETL contract (issue 2) makes of it:

  unreadable  the file cannot be read at all: `validate` exits 1, `build` exits 1, the message
              names the file, the previous warehouse stays in service unchanged
  rejects     some rows are bad: `validate` exits 1 naming file, line and field; `build` exits 0
              and lists those rows in staging.rejected_rows
  warns       rows load with a warning (field blanked or corrected): `validate` exits 0, `build`
              exits 0, staging.load_issues names file, line and field
  loads       a valid (if unusual) file: both exit 0
  empty       no data rows: both exit 0, rows_in = 0
  any         the contract leaves the outcome open (read it or refuse it): no traceback, the
              exit codes agree with each other and with what was loaded, nothing else breaks

All names are invented test strings for this test suite; none is a real organisation.
"""
from __future__ import annotations

import csv
import io
import random
import re
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"

HEADER_IT = ["Ragione sociale", "Comune", "Provincia", "Partita IVA", "Codice ATECO",
             "Addetti", "Fatturato", "Sito web", "Tipo", "Anno fondazione", "Fonte",
             "Latitudine", "Longitudine", "specialties"]
SOURCE = "https://example.org/hostile-test-corpus"
# Valid partita IVA checksums (python-stdnum), invented numbers.
VAT_A = "12345670157"
VAT_B = "02030400127"

# Strings that must come back verbatim (plain text, never evaluated or rendered).
HOSTILE_HTML = "<img src=x onerror=alert(1)>"
HOSTILE_SCRIPT = "<script>alert('bv')</script> Cosmetici Prova"
HOSTILE_SVG = "\"><svg onload=alert(1)> Test"
HOSTILE_MD = "[clicca](javascript:alert(1)) Test"
HOSTILE_TEMPLATE = "{{7*7}} ${7*7} #{7*7} Test"
FORMULA_HYPERLINK = '=HYPERLINK("http://example.invalid/x";"clic")'
FORMULA_AT = "@SUM(1+1)*cmd|' /C calc'!A0"
FORMULA_PLUS = "+39 Formula Test"
FORMULA_MINUS = "-2+3 Formula Test"
FORMULA_DDE = "=cmd|' /C notepad'!A1"
SQL_DROP = "Robert'); DROP TABLE mart.organisations;--"
SQL_OR = "' OR '1'='1"
SQL_DELETE = "\"; DELETE FROM meta.load_files; --"
SQL_UNION = "x' UNION SELECT * FROM meta.load_runs --"
UNICODE_TRICKS = "Prova\u202eilatsoc\u202c Zero\u200dWidth Test"
HOSTILE_FILENAME = "o'reilly; DROP TABLE x;--.csv"


@dataclass
class Case:
    name: str                      # test id
    filename: str
    make: Callable[[], bytes]
    expect: str                    # unreadable | rejects | warns | loads | empty | any
    big: bool = False              # generated at test time only, never committed
    rows_in: int | None = None     # data rows the contract counts (blank lines excluded)
    rejected: set = field(default_factory=set)   # {(line, 'field|alternative')}; header is line 1
    warned: set = field(default_factory=set)     # {(line, field)}
    verbatim: list = field(default_factory=list)  # names that must be stored exactly
    merged: int | None = None      # expected rows_merged
    sheet: str | None = None       # XLSX: the sheet the ETL must say it used
    note: str = ""


def row(name, comune="Crema", prov="CR", vat="", ateco="20.42", employees="", revenue="",
        website="", kind="", founded="", source=SOURCE, lat="", lon="", specialties=""):
    return [name, comune, prov, vat, ateco, employees, revenue, website, kind, founded,
            source, lat, lon, specialties]


def csv_bytes(rows, header=HEADER_IT, delimiter=";", encoding="utf-8", newline="\n"):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    if header is not None:
        w.writerow(header)
    for r in rows:
        w.writerow(r)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(sheets: list[tuple[str, list[list]]]) -> bytes:
    from openpyxl import Workbook
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return _deterministic_zip(buf.getvalue())


FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def _deterministic_zip(data: bytes) -> bytes:
    """Same bytes on every run: fixed entry times and document timestamps."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", body)
            info = zipfile.ZipInfo(item.filename, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            z.writestr(info, body)
    return out.getvalue()


def with_macro_part(xlsx: bytes) -> bytes:
    """Add an (inert) VBA project part, as Excel does for a macro-enabled workbook."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
            info = zipfile.ZipInfo(item.filename, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
        # Not a real VBA project: bytes that say what a macro would do. Nothing may run it.
        z.writestr(zipfile.ZipInfo("xl/vbaProject.bin", FIXED_ZIP_TIME), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" +
                   b"Sub Auto_Open(): Shell \"calc.exe\": End Sub" + bytes(512))
    return out.getvalue()


def valid_sheet_rows(prefix: str) -> list[list]:
    return [HEADER_IT,
            row(f"{prefix} Uno Test Srl", "Lodi", "LO"),
            row(f"{prefix} Due Test Srl", "Bergamo", "BG", employees=12)]


# --- the generators ------------------------------------------------------------------

def _empty():
    return b""


def _header_only():
    return csv_bytes([])


def _blank_lines():
    return (csv_bytes([]) + b"\n\n   \n" + csv_bytes([row("Righe Vuote Test Srl")], header=None)
            + b"\n\t\n\n")


def _binary_random():
    return bytes(random.Random(5).getrandbits(8) for _ in range(4096)) + b"\x00" * 64


def _png_renamed():
    return (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
            + bytes(random.Random(7).getrandbits(8) for _ in range(2048)))


def _xlsx_renamed_csv():
    return xlsx_bytes([("Dati", valid_sheet_rows("Xlsx Come Csv"))])


def _wrong_delimiter():
    return csv_bytes([row("Delimitatore Sbagliato Test Srl"), row("Altro Pipe Test Srl", "Lodi", "LO")],
                     delimiter="|")


def _mixed_encodings():
    head = csv_bytes([row("Prova Città UTF8 Test Srl", "Cantù", "CO")])
    tail = csv_bytes([row("Prova Città CP1252 Test Srl", "Cantù", "CO")], header=None, encoding="cp1252")
    return head + tail


def _cp1252_euro():
    header = ["Ragione sociale", "Comune", "Provincia", "Fatturato (€)", "Addetti", "Fonte"]
    return csv_bytes([["Euro Windows Test Srl", "Crema", "CR", "1.234.567,89", "1.250", SOURCE],
                      ["Caffè Cantù Test Sas", "Cantù", "CO", "n.d.", "—", SOURCE]],
                     header=header, encoding="cp1252", newline="\r\n")


def _utf8_bom_tab():
    header = ["Company", "Municipality", "Province", "Revenue", "Employees", "Source"]
    return b"\xef\xbb\xbf" + csv_bytes(
        [["English Notation Test Ltd", "Lodi", "LO", "1,234,567.89", "1,250", SOURCE]],
        header=header, delimiter="\t")


def _cols_100k():
    extra = [f"colonna_{i}" for i in range(100_000 - 3)]
    header = ["Ragione sociale", "Comune", "Provincia"] + extra
    values = ["Centomila Colonne Test Srl", "Crema", "CR"] + ["x"] * len(extra)
    return csv_bytes([values], header=header)


def _line_10mb():
    return csv_bytes([row("A" * (10 * 1024 * 1024)), row("Dopo La Riga Enorme Test Srl", "Lodi", "LO")])


def _formulas():
    return csv_bytes([
        row(FORMULA_HYPERLINK, website=FORMULA_HYPERLINK, specialties=FORMULA_DDE, source=FORMULA_HYPERLINK),
        row(FORMULA_AT, "Lodi", "LO", specialties=FORMULA_AT),
        row(FORMULA_PLUS, "Bergamo", "BG"),
        row(FORMULA_MINUS, "Milano", "MI"),
    ])


def _formula_in_comune():
    return csv_bytes([row("Comune Valido Test Srl"),
                      row("Comune Formula Test Srl", "=HYPERLINK(\"http://example.invalid\")", "CR")])


def _html():
    return csv_bytes([
        row(HOSTILE_HTML, website="javascript:alert(1)", specialties=HOSTILE_HTML),
        row(HOSTILE_SCRIPT, "Lodi", "LO", specialties="<b>grassetto</b>"),
        row(HOSTILE_SVG, "Bergamo", "BG"),
        row(HOSTILE_MD, "Milano", "MI"),
        row(HOSTILE_TEMPLATE, "Crema", "CR"),
    ])


def _sql_names():
    return csv_bytes([row(SQL_DROP), row(SQL_OR, "Lodi", "LO"), row(SQL_DELETE, "Bergamo", "BG"),
                      row(SQL_UNION, "Milano", "MI")])


def _negative_numbers():
    return csv_bytes([row("Numeri Negativi Test Srl", employees="-5", revenue="-1.000.000", founded="-50")])


def _absurd_numbers():
    return csv_bytes([
        row("Addetti Enormi Test Srl", employees="99999999999999999999", revenue="1e400"),
        row("Fatturato NaN Test Srl", "Lodi", "LO", employees="NaN", revenue="inf"),
        row("Numero Illeggibile Test Srl", "Bergamo", "BG", employees="3,5,7", revenue="1.2.3,4,5"),
    ])


def _future_founded():
    return csv_bytes([row("Fondata Nel Futuro Test Srl", founded="2999"),
                      row("Fondata Anno 9999 Test Srl", "Lodi", "LO", founded="9999")])


def _coords_outside_italy():
    return csv_bytes([row("Coordinate Parigi Test Srl", "Milano", "MI", lat="48.8566", lon="2.3522")])


def _coords_swapped():
    return csv_bytes([row("Coordinate Scambiate Test Srl", "Milano", "MI", lat="9.1900", lon="45.4642")])


def _coords_far_from_comune():
    # Crema's row with Bergamo's coordinates: inside Italy, but ~35 km from Crema.
    return csv_bytes([row("Coordinate Lontane Test Srl", "Crema", "CR", lat="45.6983", lon="9.6773")])


def _duplicates():
    a = row("Duplicato Iva Test Srl", "Crema", "CR", vat=VAT_A, employees="10")
    return csv_bytes([a, a, a,
                      row("Prova Duplicati S.r.l.", "Lodi", "LO"),
                      row("PROVA DUPLICATI SRL", "Lodi", "LO", employees="7")])


def _xlsx_many_sheets():
    rnd = random.Random(11)
    sheets = []
    for i in range(1, 61):
        if i == 37:
            sheets.append(("Dati", valid_sheet_rows("Molti Fogli")))
        else:
            sheets.append((f"Foglio{i}", [["Nota", "Valore"]] + [[f"riga {j}", rnd.random()] for j in range(5)]))
    return xlsx_bytes(sheets)


def _xlsx_second_sheet():
    return xlsx_bytes([("Copertina", [["Elenco soci - export di prova"], ["generato per i test"]]),
                       ("Elenco", valid_sheet_rows("Secondo Foglio"))])


def _xlsx_macro():
    return with_macro_part(xlsx_bytes([("Dati", valid_sheet_rows("Macro Xlsx"))]))


def _xlsm_macro():
    return with_macro_part(xlsx_bytes([("Dati", valid_sheet_rows("Macro Xlsm"))]))


def _xlsx_corrupt():
    data = xlsx_bytes([("Dati", valid_sheet_rows("Corrotto"))])
    return data[: len(data) // 2]


def _xlsx_formula_cells():
    return xlsx_bytes([("Dati", [HEADER_IT,
                                 row("=1+1", employees="=10*10"),
                                 row(FORMULA_HYPERLINK, "Lodi", "LO")])])


def _unterminated_quote():
    return csv_bytes([]) + ('"Virgolette Aperte Test Srl;Crema;CR;;20.42;;;;;;' + SOURCE + ';;;\n'
                            'Dopo Virgolette Test Srl;Lodi;LO;;20.42;;;;;;' + SOURCE + ';;;\n').encode()


def _nul_byte():
    return csv_bytes([row("Nul\x00Byte Test Srl"), row("Dopo Il Nul Test Srl", "Lodi", "LO")])


def _control_chars():
    return csv_bytes([row(UNICODE_TRICKS, "Lodi", "LO"),
                      row("Bell\x07Escape\x1b[31m Test Srl", "Bergamo", "BG")])


def _cr_only():
    return csv_bytes([row("Mac Classico Test Srl"), row("Mac Classico Due Test Srl", "Lodi", "LO")],
                     newline="\r")


def _hostile_filename():
    return csv_bytes([row("Nome File Ostile Test Srl")])


def _ambiguous_comune():
    return csv_bytes([row("Comune Valido Test Srl"), row("Castro Ambiguo Test Srl", "Castro", "")])


def _unknown_comune():
    return csv_bytes([row("Comune Valido Test Srl"), row("Atlantide Test Srl", "Atlantide", "MI")])


def _province_contradiction():
    return csv_bytes([row("Comune Valido Test Srl"), row("Provincia Sbagliata Test Srl", "Crema", "MI")])


def _bad_kind():
    return csv_bytes([row("Comune Valido Test Srl"), row("Tipo Alieno Test Srl", kind="astronave")])


def _empty_name():
    return csv_bytes([row("Comune Valido Test Srl"), row("", "Lodi", "LO")])


def _invalid_vat():
    return csv_bytes([row("Iva Sbagliata Test Srl", vat="12345678901")])


def _all_errors_one_row_each():
    return csv_bytes([row("Comune Valido Test Srl"),
                      row("", "Lodi", "LO"),
                      row("Senza Comune Test Srl", "", ""),
                      row("Tipo Alieno Due Test Srl", kind="navicella"),
                      row("Altro Valido Test Srl", "Lodi", "LO")])


CASES: list[Case] = [
    Case("empty", "empty.csv", _empty, "any", rows_in=0,
         note="0 bytes: no header; refusing it (exit 1) or loading 0 rows are both honest"),
    Case("header_only", "header_only.csv", _header_only, "empty", rows_in=0),
    Case("blank_lines", "blank_lines.csv", _blank_lines, "loads", rows_in=1,
         note="fully blank lines are skipped and not counted"),
    Case("binary_random", "binary_random.csv", _binary_random, "unreadable"),
    Case("png_renamed", "png_renamed.csv", _png_renamed, "unreadable"),
    Case("xlsx_renamed_csv", "xlsx_renamed.csv", _xlsx_renamed_csv, "any"),
    Case("wrong_delimiter", "wrong_delimiter.csv", _wrong_delimiter, "any",
         note="'|' is not a supported delimiter: refuse the file or reject its rows"),
    Case("mixed_encodings", "mixed_encodings.csv", _mixed_encodings, "any"),
    Case("cp1252_euro_semicolon", "cp1252_euro.csv", _cp1252_euro, "loads", rows_in=2),
    Case("utf8_bom_tab_english", "utf8_bom_tab.csv", _utf8_bom_tab, "loads", rows_in=1),
    Case("cols_100k", "cols_100k.csv", _cols_100k, "any", big=True),
    Case("line_10mb", "line_10mb.csv", _line_10mb, "any", big=True),
    Case("formulas", "formulas.csv", _formulas, "warns", rows_in=4,
         warned={(2, "website")},
         verbatim=[FORMULA_HYPERLINK, FORMULA_AT, FORMULA_PLUS, FORMULA_MINUS]),
    Case("formula_in_comune", "formula_in_comune.csv", _formula_in_comune, "rejects", rows_in=2,
         rejected={(3, "comune")}),
    Case("html", "html.csv", _html, "warns", rows_in=5, warned={(2, "website")},
         verbatim=[HOSTILE_HTML, HOSTILE_SCRIPT, HOSTILE_SVG, HOSTILE_MD, HOSTILE_TEMPLATE]),
    Case("sql_names", "sql_names.csv", _sql_names, "loads", rows_in=4,
         verbatim=[SQL_DROP, SQL_OR, SQL_DELETE, SQL_UNION]),
    Case("negative_numbers", "negative_numbers.csv", _negative_numbers, "any", rows_in=1),
    Case("absurd_numbers", "absurd_numbers.csv", _absurd_numbers, "any", rows_in=3),
    Case("future_founded", "future_founded.csv", _future_founded, "any", rows_in=2),
    Case("coords_outside_italy", "coords_outside_italy.csv", _coords_outside_italy, "warns",
         rows_in=1),
    Case("coords_swapped", "coords_swapped.csv", _coords_swapped, "warns", rows_in=1),
    Case("coords_far_from_comune", "coords_far.csv", _coords_far_from_comune, "warns", rows_in=1),
    Case("duplicates", "duplicates.csv", _duplicates, "loads", rows_in=5, merged=3),
    Case("xlsx_many_sheets", "many_sheets.xlsx", _xlsx_many_sheets, "loads", rows_in=2, sheet="Dati"),
    Case("xlsx_second_sheet", "second_sheet.xlsx", _xlsx_second_sheet, "loads", rows_in=2,
         sheet="Elenco"),
    Case("xlsx_with_macro_part", "macro_part.xlsx", _xlsx_macro, "any"),
    Case("xlsm_macro", "macro.xlsm", _xlsm_macro, "any",
         note=".xlsm is not an accepted input: ignored or refused, never opened with macros"),
    Case("xlsx_corrupt", "corrupt.xlsx", _xlsx_corrupt, "unreadable"),
    Case("xlsx_formula_cells", "formula_cells.xlsx", _xlsx_formula_cells, "any"),
    Case("unterminated_quote", "unterminated_quote.csv", _unterminated_quote, "any"),
    Case("nul_byte", "nul_byte.csv", _nul_byte, "any",
         note="a NUL byte inside a field: refusing the file as binary is acceptable"),
    Case("control_chars", "control_chars.csv", _control_chars, "any", rows_in=2),
    Case("cr_only_newlines", "cr_only.csv", _cr_only, "any"),
    Case("hostile_filename", HOSTILE_FILENAME, _hostile_filename, "loads", rows_in=1),
    Case("ambiguous_comune", "ambiguous_comune.csv", _ambiguous_comune, "rejects", rows_in=2,
         rejected={(3, "comune")}),
    Case("unknown_comune", "unknown_comune.csv", _unknown_comune, "rejects", rows_in=2,
         rejected={(3, "comune")}),
    Case("province_contradiction", "province_contradiction.csv", _province_contradiction, "rejects",
         rows_in=2, rejected={(3, "province|comune")}),
    Case("bad_kind", "bad_kind.csv", _bad_kind, "rejects", rows_in=2, rejected={(3, "kind")}),
    Case("empty_name", "empty_name.csv", _empty_name, "rejects", rows_in=2, rejected={(3, "name")}),
    Case("invalid_vat", "invalid_vat.csv", _invalid_vat, "warns", rows_in=1, warned={(2, "vat")}),
    Case("several_errors", "several_errors.csv", _all_errors_one_row_each, "rejects", rows_in=5,
         rejected={(3, "name"), (4, "comune"), (5, "kind")}),
]

BY_NAME = {c.name: c for c in CASES}


def write_case(case: Case, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / case.filename
    path.write_bytes(case.make())
    return path


def committed_path(case: Case) -> Path:
    return FILES / case.filename


def write_small(folder: Path = FILES) -> list[Path]:
    return [write_case(c, folder) for c in CASES if not c.big]


if __name__ == "__main__":
    if "--write" in sys.argv:
        for p in write_small():
            print(p.relative_to(HERE), p.stat().st_size)
    else:
        print(__doc__)
        for c in CASES:
            print(f"{c.name:28s} {c.expect:10s} {'(generated at test time)' if c.big else ''}")
