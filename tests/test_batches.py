"""Large registry files are read, validated and stored in batches (issue 15): a file bigger than one batch
gives the same tables, report and line numbers as the same file read in one batch. Every name is SYNTHETIC."""
from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from etl.build import build_warehouse
from etl.registry import reading
from etl.registry.reading import ReadRestart, read_batches, read_table

ROOT = Path(__file__).resolve().parent.parent
HEADER = "Ragione sociale;Comune;Provincia;Partita IVA;Addetti;Sito web;Data fonte;Indirizzo"
COMUNI = [("Crema", "CR"), ("Lodi", "LO"), ("Cremona", "CR"), ("Milano", "MI"), ("Bergamo", "BG")]


def _vat(i: int) -> str:
    """A partita IVA with a valid Luhn check digit, computed here (not by the code under test)."""
    body = f"{2_000_000 + i:07d}015"
    total = 0
    for k, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if k % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def _lines(n: int) -> list[str]:
    """SYNTHETIC rows with every kind of outcome: valid, duplicates (merged, across batch boundaries),
    rejected (no name, unknown comune, oversized value), warnings (VAT, website, head count, date), blank lines."""
    out = [HEADER]
    for i in range(n):
        comune, prov = COMUNI[i % len(COMUNI)]
        name = f"SYNTHETIC Azienda {i:04d} S.r.l." + (" in liquidazione" if i % 17 == 3 else "")
        vat = _vat(i) if i % 3 else ("12345678901" if i % 9 == 0 else "")
        emp = ["n.d.", "1.234", "12,5", "10-49", "", "7"][i % 6]
        web = ["www.s{0}.example.invalid", "https://s{0}.example.invalid/a", "htp:/bad{0}", ""][i % 4].format(i)
        date = ["2024-05", "2024-13-99", "", "2023"][i % 4]
        if i % 23 == 5:
            comune = "SYNTHETIC Nowhere"
        if i % 29 == 7:
            name = ""
        addr = "x" * 2500 if i % 31 == 11 else f"Via Sintetica {i}"
        out.append(";".join([name, comune, prov, vat, emp, web, date, addr]))
        if i % 5 == 4:
            out.append(out[-1])  # a duplicate row: merged into the site of the row above
        if i % 13 == 6:
            out.append(";;;;;;;" if i % 2 else "")  # blank lines: skipped, not counted
    return out


def _write(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def _fingerprints(db: Path) -> dict:
    spec = importlib.util.spec_from_file_location("table_hashes", ROOT / "bench" / "table_hashes.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.fingerprints(db)


def _build(tmp: Path, name: str, inbox: Path, monkeypatch, batch: int | None):
    if batch:
        monkeypatch.setenv("BEAUTYVALLEY_BATCH_ROWS", str(batch))
    else:
        monkeypatch.delenv("BEAUTYVALLEY_BATCH_ROWS", raising=False)
    db = tmp / name / "w.duckdb"
    res = build_warehouse(db, inbox, registry=None, indicators_csv=None)
    with duckdb.connect(str(db), read_only=True) as c:
        files = c.execute("SELECT * EXCLUDE (run_id) FROM meta.load_files ORDER BY file").fetchall()
        lines = c.execute("SELECT file, line FROM raw.registry_rows ORDER BY file, line").fetchall()
    return _fingerprints(db), [dataclasses.asdict(r) for r in res.files], files, lines


@pytest.fixture
def streamed(monkeypatch):
    monkeypatch.setattr(reading, "FAST_PATH_MIN_BYTES", 0)  # the small test files take the large files' path


def test_file_in_many_batches_builds_the_same_warehouse_as_in_one(tmp_path, monkeypatch, streamed):
    inbox = tmp_path / "inbox"
    _write(inbox / "SYNTHETIC_a.csv", _lines(120))
    _write(inbox / "SYNTHETIC_b.csv", _lines(40)[:1] + _lines(60)[30:])  # a second file: its rows merge with the first's
    assert len(list(read_batches(inbox / "SYNTHETIC_a.csv", rows=9))) > 10
    one = _build(tmp_path, "one", inbox, monkeypatch, None)
    many = _build(tmp_path, "many", inbox, monkeypatch, 9)
    assert many[0] == one[0]  # every table: row counts and order-independent hashes
    assert many[1] == one[1]  # FileReports: counts, rejected reasons, warning fields, notes
    assert many[2] == one[2]  # meta.load_files
    assert many[3] == one[3]  # line numbers of the raw rows
    rep = {r["file"]: r for r in many[1]}["inbox/SYNTHETIC_a.csv"]
    # the test file has every outcome: the identity holds with each term non-zero
    assert rep["rows_merged"] > 0 and rep["rows_rejected"] > 0 and rep["warnings"] > 0
    assert rep["rows_in"] == rep["rows_loaded"] + rep["rows_merged"] + rep["rows_rejected"] + rep["rows_skipped"]
    assert rep["rows_in"] == 120 + 120 // 5  # data rows + duplicates; the blank lines are not counted


def test_irregular_row_after_the_first_batch_rereads_the_file_whole(tmp_path, monkeypatch, streamed):
    lines = _lines(80)
    lines[60] = lines[60].replace("Via Sintetica", '"Via\nSintetica') + '"'  # a quoted value over two lines
    lines[70] = lines[70] + ";an extra cell"
    path = _write(tmp_path / "inbox" / "SYNTHETIC_q.csv", lines)
    with pytest.raises(ReadRestart):
        list(read_batches(path, rows=10))
    one = _build(tmp_path, "one", path.parent, monkeypatch, None)
    many = _build(tmp_path, "many", path.parent, monkeypatch, 10)
    assert many == one
    assert any("more cells than the header" in n for n in many[1][0]["notes"])  # the exact reader's note


def test_non_utf8_bytes_in_a_later_batch_use_the_exact_readers_encodings(tmp_path, monkeypatch, streamed):
    lines = _lines(50)
    path = tmp_path / "inbox" / "SYNTHETIC_e.csv"
    path.parent.mkdir(parents=True)
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8").replace(b"Via Sintetica 44", b"Via Sintetica 44 \xe8")
    path.write_bytes(data)
    one = _build(tmp_path, "one", path.parent, monkeypatch, None)
    many = _build(tmp_path, "many", path.parent, monkeypatch, 8)
    assert many == one
    assert many[1][0]["encoding"] == "cp1252"  # not UTF-8 as a whole: the exact reader decoded it


@pytest.mark.parametrize("rows", [1, 4, 1000])
def test_read_batches_are_read_table_in_pieces(tmp_path, monkeypatch, streamed, rows):
    path = _write(tmp_path / "SYNTHETIC_r.csv", _lines(30))
    whole = read_table(path)
    parts = list(read_batches(path, rows=rows))
    assert [ln for p in parts for ln in p.lines] == whole.lines
    for f, col in whole.columns.items():
        assert pa.concat_arrays([p.columns[f] for p in parts]).to_pylist() == list(col.to_pylist()), f
    assert parts[0].file_warnings == whole.file_warnings and not any(p.file_warnings for p in parts[1:])
    assert {(p.encoding, p.delimiter, p.sha256) for p in parts} == {(whole.encoding, whole.delimiter, whole.sha256)}
    # lines as written: header on line 1, then the data rows with the blank lines skipped
    text_lines = path.read_bytes().decode("utf-8").split("\r\n")
    assert [text_lines[ln - 1].split(";")[0] for ln in whole.lines[:3]] == ["SYNTHETIC Azienda 0000 S.r.l.",
                                                                            "SYNTHETIC Azienda 0001 S.r.l.",
                                                                            "SYNTHETIC Azienda 0002 S.r.l."]


def test_file_without_data_rows_is_one_batch_with_the_note(tmp_path, monkeypatch, streamed):
    path = _write(tmp_path / "SYNTHETIC_h.csv", [HEADER, "", ";;;;;;;"])
    parts = list(read_batches(path, rows=1))
    assert len(parts) == 1 and parts[0].lines == []
    assert parts[0].file_warnings == read_table(path).file_warnings == ["no data rows below the header"]
