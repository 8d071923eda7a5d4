"""Staff desk uploads: size, extension and content checks, safe names, zip bombs, storage by sha256,
and the check of a file by the ETL's own read + validate (not a copy)."""
from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from beautyvalley.desk import checking, uploads
from tests.desk_helpers import EDITOR, SAMPLES, make_desk

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "hostile" / "files"
GOOD_XLSX = ROOT / "tests" / "samples" / "registry" / "data_on_second_sheet.xlsx"


@pytest.fixture
def desk(tmp_path, fixture_db, monkeypatch):
    return make_desk(tmp_path, fixture_db, monkeypatch)


def codes(chk):
    return [p.code for p in chk.problems]


TRAVERSAL_NAMES = ["../../etc/passwd.csv", "..\\..\\windows\\system32\\soci.csv", "/abs/path/soci.csv",
                   "C:\\Users\\x\\soci.csv", ".hidden.csv", "a/../../b.xlsx", "soci\x00.csv", "..",
                   "....//....//x.csv", "nome con spazi & <tag>.csv", "o'reilly; DROP TABLE x;--.csv",
                   "\u202eslx.csv", "x" * 300 + ".csv"]


@pytest.mark.parametrize("name", TRAVERSAL_NAMES)
def test_names_are_sanitised(name):
    safe = uploads.sanitise_name(name)
    assert re.fullmatch(r"[A-Za-z0-9._-]+", safe), safe
    assert "/" not in safe and "\\" not in safe and ".." not in safe
    assert not safe.startswith(".") and len(safe) <= 80


@pytest.mark.parametrize("name", ["../../etc/passwd.csv", "..\\..\\x\\soci.csv", "/abs/soci.csv"])
def test_a_traversal_name_is_stored_inside_the_uploads_folder_by_its_hash(desk, name):
    cfg, store = desk
    data = (SAMPLES / "altri_soci.csv").read_bytes()
    chk = uploads.check_upload(data, name, cfg)
    assert chk.ok, codes(chk)
    stored = uploads.store_upload(cfg, store, data, chk, EDITOR)
    assert stored.path.resolve().parent == cfg.uploads.resolve()
    assert stored.path.name == hashlib.sha256(data).hexdigest() + ".csv"
    assert stored.path.read_bytes() == data
    assert "/" not in stored.inbox_name and ".." not in stored.inbox_name
    row = store.uploads()[0]
    assert row["original_name"] == name and row["uploader"] == EDITOR and row["sha256"] == hashlib.sha256(data).hexdigest()
    assert not (cfg.var.parent / "etc").exists()


def test_size_limit(desk):
    cfg, _ = desk
    small = dataclasses.replace(cfg, max_upload_bytes=100)
    assert codes(uploads.check_upload(b"a" * 101, "x.csv", small)) == ["upload.too_large"]
    assert uploads.check_upload(b"a,b\n1,2\n", "x.csv", small).ok
    assert codes(uploads.check_upload(b"", "x.csv", cfg)) == ["upload.empty"]


@pytest.mark.parametrize("name", ["soci.xlsm", "soci.xls", "soci.exe", "soci", "soci.csv.exe", "soci.json"])
def test_only_csv_and_xlsx(desk, name):
    cfg, _ = desk
    assert codes(uploads.check_upload(b"a,b\n1,2\n", name, cfg)) == ["upload.extension"]


def test_a_real_workbook_passes_and_fakes_do_not(desk):
    cfg, _ = desk
    assert uploads.check_upload(GOOD_XLSX.read_bytes(), "soci.xlsx", cfg).ok
    assert codes(uploads.check_upload(b"Ragione Sociale;Comune\nX;Lodi\n", "soci.xlsx", cfg)) == ["upload.not_zip"]
    assert codes(uploads.check_upload((HOSTILE / "corrupt.xlsx").read_bytes(), "c.xlsx", cfg))[0] in (
        "upload.not_zip", "upload.zip_corrupt", "upload.no_workbook")
    assert codes(uploads.check_upload((HOSTILE / "macro_part.xlsx").read_bytes(), "m.xlsx", cfg)) == ["upload.macros"]
    # a zip that is not a workbook
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    assert codes(uploads.check_upload(buf.getvalue(), "soci.xlsx", cfg)) == ["upload.no_workbook"]
    # a workbook renamed .csv, a PNG renamed .csv
    assert codes(uploads.check_upload(GOOD_XLSX.read_bytes(), "soci.csv", cfg)) == ["upload.binary"]
    assert codes(uploads.check_upload((HOSTILE / "png_renamed.csv").read_bytes(), "p.csv", cfg)) == ["upload.binary"]


def _workbook_zip(extra_name: str, extra_bytes_mb: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        with zipfile.ZipFile(GOOD_XLSX) as good:
            for info in good.infolist():
                z.writestr(info.filename, good.read(info.filename))
        with z.open(extra_name, "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(extra_bytes_mb):
                f.write(chunk)
    return buf.getvalue()


def test_zip_bomb_is_refused(desk):
    cfg, _ = desk
    bomb = _workbook_zip("xl/worksheets/sheet9.xml", 210)  # 210 MB of zeros in ~200 kB
    assert len(bomb) < cfg.max_upload_bytes
    assert codes(uploads.check_upload(bomb, "bomb.xlsx", cfg)) == ["upload.zip_bomb"]
    # below the total but at a ratio no workbook has
    assert codes(uploads.check_upload(_workbook_zip("xl/media/x.bin", 5), "ratio.xlsx", cfg)) == ["upload.zip_bomb"]


def test_a_forged_size_header_is_caught_by_decompressing(desk):
    """The central directory claims 1 kB; the member really expands to 210 MB."""
    cfg, _ = desk
    bomb = bytearray(_workbook_zip("xl/worksheets/sheet9.xml", 210))
    z = zipfile.ZipFile(io.BytesIO(bytes(bomb)))
    info = z.getinfo("xl/worksheets/sheet9.xml")
    assert info.file_size == 210 << 20
    # rewrite every copy of the size (8-byte zip64 fields, 4-byte central directory field) to 1,000 bytes
    forged = bytes(bomb).replace((210 << 20).to_bytes(8, "little"), (1000).to_bytes(8, "little")) \
        .replace((210 << 20).to_bytes(4, "little"), (1000).to_bytes(4, "little"))
    assert zipfile.ZipFile(io.BytesIO(forged)).getinfo("xl/worksheets/sheet9.xml").file_size == 1000
    chk = uploads.check_upload(forged, "forged.xlsx", cfg)
    assert not chk.ok and codes(chk)[0] in ("upload.zip_bomb", "upload.zip_corrupt"), codes(chk)


def test_check_uses_the_etl_validate_logic(desk, monkeypatch):
    """The desk's check is etl.build.read_and_validate itself: replacing it changes the desk's answer."""
    cfg, store = desk
    data = (SAMPLES / "nuovi_soci.csv").read_bytes()
    chk = uploads.check_upload(data, "nuovi_soci.csv", cfg)
    stored = uploads.store_upload(cfg, store, data, chk, EDITOR)
    rep = checking.check_file(stored.path, stored.inbox_name)
    # the same counts as the ETL's own command line says for the same file
    out = subprocess.run([sys.executable, "-m", "etl", "validate", str(SAMPLES / "nuovi_soci.csv")], cwd=ROOT,
                         capture_output=True, text=True).stdout
    m = re.search(r"(\d+) rows, (\d+) would be rejected, (?:\d+ skipped \(layout rows\), )?(\d+) warnings", out)
    assert (rep.rows_in, rep.rows_rejected, rep.warnings) == tuple(map(int, m.groups()))
    assert rep.file == f"inbox/{stored.inbox_name}"
    assert ("Città", "comune") in rep.mapping and ("Ragione Sociale", "name") in rep.mapping
    assert list(rep.rejected["line"]) == [4] and "Comune Inesistente" in rep.rejected["reasons"][0]
    import etl.build

    calls = []
    real = etl.build.read_and_validate
    monkeypatch.setattr(etl.build, "read_and_validate", lambda *a, **k: calls.append(a) or real(*a, **k))
    checking.check_file(stored.path, stored.inbox_name)
    assert len(calls) == 1


def test_rejected_rows_download_neutralises_formulas(desk):
    cfg, store = desk
    data = "Ragione Sociale;Città;Prov.\n=HYPERLINK(\"http://x\");Nowhere;LO\n".encode()
    chk = uploads.check_upload(data, "f.csv", cfg)
    stored = uploads.store_upload(cfg, store, data, chk, EDITOR)
    rep = checking.check_file(stored.path, stored.inbox_name)
    assert rep.rows_rejected == 1
    text = checking.rejected_rows_csv(rep).decode()
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
