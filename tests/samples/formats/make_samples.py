"""Writes the four SYNTHETIC sample exports of this folder (run it to regenerate them; the files are committed).

Built from the public descriptions of the formats in issue 9 (AIDA Excel export, Chamber of Commerce
"elenchi merceologici", Registro Imprese extract, hand-made member list). Every firm name is invented and
carries "SYNTHETIC"; partite IVA are made-up numbers with a valid checksum; comuni are real (the import
places firms on real comuni). Nothing here describes a real company.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.styles import Font
from stdnum import luhn

HERE = Path(__file__).resolve().parent


def vat(stem: str) -> str:
    """An 11-digit number with a valid partita IVA checksum (10 digits + check digit); invented."""
    return stem + luhn.calc_check_digit(stem)  # the partita IVA check digit is Luhn


VAT = {k: vat(s) for k, s in {"aurora": "0912345001", "borea": "0912345002", "cirro": "0912345003",
                               "delta": "0012345004", "elio": "0912345005", "fiora": "0912345006"}.items()}


def aida(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Risultati"
    ws.append([None, "Ragione sociale", "Codice fiscale", "Partita IVA", "Numero CCIAA", "Comune", "Provincia",
               "ATECO 2007\ncodice", "Ultimo anno disp.",
               "Ricavi delle vendite\nmigl EUR\nUltimo anno disp.", "Ricavi delle vendite\nmigl EUR\nAnno - 1",
               "Ricavi delle vendite\nmigl EUR\nAnno - 2", "Dipendenti\nUltimo anno disp.", "Dipendenti\nAnno - 1",
               "EBITDA\nmigl EUR\nUltimo anno disp."])
    ws.append([1, "SYNTHETIC AURORA COSMETICI S.R.L.", VAT["aurora"], VAT["aurora"], "CR123456", "Crema", "Cremona",
               "204200", 2024, 12345, 11000, 9876, 85, 80, 1500])
    ws.append([2, "SYNTHETIC BOREA PACKAGING S.P.A.", VAT["borea"], VAT["borea"], "BG654321", "Castro", "Bergamo",
               "222200", 2024, "196.000", "n.d.", "n.a.", 410, "n.s.", "n.d."])
    ws.append([3, "SYNTHETIC CIRRO LAB S.R.L.", VAT["cirro"], VAT["cirro"], "LO111222", "Cavacurta", "Lodi",
               "712010", 2023, 850, 790, "n.d.", 9, 8, 40])
    ws.append([4, "SYNTHETIC DELTA PROFUMI S.R.L.", VAT["delta"], VAT["delta"], "MI333444", "Crema", "Lodi",
               "204200", 2024, 500, 450, 400, 12, 11, 30])
    wb.save(path)


def chamber(path: Path) -> None:
    lines = [
        "CAMERA DI COMMERCIO SYNTHETIC - ELENCO MERCEOLOGICO",
        "Imprese attive - ATECO 20.42 - estrazione SYNTHETIC del 15/10/2026",
        "",
        "N.;PR;N. REA;DENOMINAZIONE;INDIRIZZO;CAP;COMUNE;PARTITA IVA;CODICE FISCALE;ATECO;DESCRIZIONE ATTIVITÀ;"
        "CLASSE ADDETTI;SEDE/UL",
        f"1;CR;CR-100001;SYNTHETIC ELIO COSMESI SRL;VIA ROMA 1;26013;CREMA;{VAT['elio']};{VAT['elio']};20.42.00;"
        "Fabbricazione di prodotti per toletta;10-49;SEDE",
        f"2;LO;CR-100001;SYNTHETIC ELIO COSMESI SRL;VIA EMILIA 20;26900;LODI;{VAT['elio']};{VAT['elio']};20.42.00;"
        "Fabbricazione di prodotti per toletta;10-49;UL",
        f"3;LO;CR-100001;SYNTHETIC ELIO COSMESI SRL;VIA EMILIA 90;26900;LODI;{VAT['elio']};{VAT['elio']};20.42.00;"
        "Fabbricazione di prodotti per toletta;10-49;UL",
        f"4;BG;BG-200002;SYNTHETIC FIORA BEAUTY SPA;VIA DEI MILLE 5;24060;CASTRO;{VAT['fiora']};{VAT['fiora']};20.42.00;"
        "Fabbricazione di prodotti per toletta;250 e oltre;SEDE",
        "5;CR;CR-300003;SYNTHETIC GAIA NATURA SNC;VIA PO 3;26010;DRIZZONA;;;20.42.00;"
        "Fabbricazione di prodotti per toletta;0-9;SEDE",
        "6;LO;CR-300004;SYNTHETIC HERA SAPONI SAS;VIA GARIBALDI 7;26013;CREMA;;;20.42.00;"
        "Fabbricazione di saponi;da 10 a 49;SEDE",
        "7;MI;MI-400005;SYNTHETIC IRIS AEROSOL SRL;VIA VOLTA 2;20080;VERMEZZO;;;20.42.00;"
        "Fabbricazione di prodotti per toletta;C;SEDE",
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def registro(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Estrazione"
    ws.append(["PRV - Provincia", "DENOMINAZIONE - Denominazione dell'impresa", "PIVA - Partita IVA",
               "UL-SEDE - Unità Locale o sede dell'impresa", "COMUNE - Comune", "INDIRIZZO - Indirizzo",
               "ATECO - Codice attività", "DIP - Dipendenti", "IND - Indipendenti", "AA-ADD - Anno addetti",
               "DT-COST - Data costituzione", "STATO - Stato attività"])
    rows = [
        ["LO", "SYNTHETIC LUNA COSMETICS SRL", VAT["delta"].zfill(11), "SE - SEDE PRINCIPALE", "LODI - LO",
         "VIA ROMA 2", "20.42", 30, 2, 2025, dt.datetime(2003, 5, 12), "ATTIVA"],
        ["CR", "SYNTHETIC LUNA COSMETICS SRL", VAT["delta"].zfill(11), "UL - STABILIMENTO", "CREMA - CR",
         "VIA DEL LAVORO 8", "20.42", 30, 2, 2025, dt.datetime(2003, 5, 12), "ATTIVA"],
        ["CR", "SYNTHETIC MIRA BEAUTY SRL IN LIQUIDAZIONE", "", "SE - SEDE PRINCIPALE", "CA' D'ANDREA - CR",
         "", "20.42", 4, 1, 2024, dt.datetime(1999, 1, 4), "IN LIQUIDAZIONE"],
        ["MI", "SYNTHETIC NOVA CHIMICA SPA", "", "SE - SEDE PRINCIPALE", "ZELO SURRIGONE - MI",
         "", "20.59", 0, 0, 2023, dt.datetime(1988, 9, 1), "CESSATA"],
        ["BG", "SYNTHETIC ORSA FRAGRANZE SRL", "", "SE - SEDE PRINCIPALE", "CREMA - CR",
         "", "20.42", 3, 1, 2025, dt.datetime(2015, 2, 2), "INATTIVA"],
    ]
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows(min_row=2, min_col=3, max_col=3):
        row[0].number_format = "@"  # partite IVA as text, leading zeros kept
    for row in ws.iter_rows(min_row=2, min_col=11, max_col=11):
        row[0].number_format = "dd/mm/yyyy"
    wb.save(path)


def member_list(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Soci"
    ws["A1"] = "SYNTHETIC - Elenco soci dell'associazione (esempio inventato)"
    ws["A1"].font = Font(bold=True)
    ws.merge_cells("A1:G1")
    ws.append([])
    ws.append(["N.", "Socio", "Comune", "Prov.", "Dipendenti 2025", "Fatturato", "Anno adesione"])  # row 3
    ws.append([None, None, None, None, "n.", "(migliaia €)", None])  # row 4: units
    ws.append(["Soci fondatori"])  # row 5: section
    ws.merge_cells("A5:G5")
    ws.append([1, "Fixture Alfa Cosmetici (synthetic)", "Crema", "CR", "300", "80.000", 2015])  # row 6
    ws.append([2, "SYNTHETIC PIOPPO COSMETICI SRL", None, "CR", "250+", "12.500", 2015])  # row 7: Crema merged down
    ws.append([3, "SYNTHETIC QUERCIA SRL", None, "CR", "18", "3.200", 2016])  # row 8
    ws.merge_cells("C6:C8")
    ws.append(["Enti e università"])  # row 9: section
    ws.merge_cells("A9:G9")
    ws.append([4, "SYNTHETIC Istituto di Ricerca Cosmetica", "Lodi (LO)", None, "25", None, 2018])  # row 10
    ws.append([None, "TOTALE SOCI 4", None, None, "=SUM(E6:E10)", "=SUM(F6:F10)", None])  # row 11: totals
    notes = wb.create_sheet("Note")
    notes["A1"] = "Note: elenco SYNTHETIC per i test; i dati non descrivono imprese reali."
    wb.save(path)
    path.with_name(path.name + ".mapping.toml").write_text(
        '# SYNTHETIC sample: the member list names its head-count column with the year\n'
        '"Dipendenti 2025" = "employees"\n', encoding="utf-8")


if __name__ == "__main__":
    aida(HERE / "aida_export.xlsx")
    chamber(HERE / "elenco_camera_commercio.csv")
    registro(HERE / "registro_imprese_estrazione.xlsx")
    member_list(HERE / "elenco_soci.xlsx")
    print("written to", HERE)
