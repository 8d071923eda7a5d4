"""Upload checks and durable storage. A file is checked *before* any parser sees it:

- size: at most `DeskConfig.max_upload_bytes` (20 MB), not empty;
- extension: .csv or .xlsx only (macro workbooks .xlsm are refused);
- content: an .xlsx must be a ZIP holding `[Content_Types].xml` and `xl/workbook.xml`, with no macro
  part, at most 10,000 entries, no absolute or `..` paths, and it must not expand past
  `max_expanded_bytes` (200 MB) or at more than 200x per member; every member is actually decompressed
  in chunks, with a running count, so a forged size header cannot get past; a .csv must not be an
  archive or a known binary format;
- the name is sanitised: only its last path component, NFKC, `[A-Za-z0-9._-]`, no leading dot, at most
  80 characters. The stored file is named by its sha256, never by the user's name.

Formulas are never evaluated: the ETL reads cached cell values (openpyxl data_only, no VBA).
"""
from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from etl.durable import write_atomic

from . import config as cfgmod
from .store import Store

SAFE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
BINARY_MAGIC = {b"PK\x03\x04": "ZIP", b"%PDF": "PDF", b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG",
                b"\xd0\xcf\x11\xe0": "OLE2 (.xls)", b"\x7fELF": "ELF", b"MZ": "EXE", b"GIF8": "GIF",
                b"\x1f\x8b": "gzip"}


@dataclass
class Problem:
    code: str
    params: dict = field(default_factory=dict)


@dataclass
class UploadCheck:
    original_name: str
    safe_name: str
    suffix: str
    size: int
    sha256: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def inbox_name(self) -> str:
        """The name the file gets in the inbox (and so in the warehouse's provenance: inbox/<name>)."""
        stem = self.safe_name[: -len(self.suffix)] if self.safe_name.lower().endswith(self.suffix) else self.safe_name
        return f"{stem}-{self.sha256[:8]}{self.suffix}"


def sanitise_name(name: str) -> str:
    """The last path component (either slash), normalised to safe characters; never empty or hidden."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFKC", str(name or "")))[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = SAFE_CHARS.sub("_", stem).strip("._-")[:72] or "upload"
    ext = SAFE_CHARS.sub("", ext).lower()[:5]
    return f"{stem}.{ext}" if ext else stem


def _suffix(name: str) -> str:
    n = sanitise_name(name)
    return ("." + n.rsplit(".", 1)[1]) if "." in n else ""


def _check_xlsx(data: bytes, max_expanded: int, problems: list[Problem]) -> None:
    if not zipfile.is_zipfile(io.BytesIO(data)) or not data.startswith(b"PK"):
        problems.append(Problem("upload.not_zip"))
        return
    limit_mb = max_expanded // (1024 * 1024)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            if len(infos) > cfgmod.MAX_ZIP_ENTRIES:
                problems.append(Problem("upload.zip_entries", {"n": len(infos)}))
                return
            names = [i.filename for i in infos]
            if any(n.startswith(("/", "\\")) or ".." in PurePosixPath(n.replace("\\", "/")).parts
                   or re.match(r"^[A-Za-z]:", n) for n in names):
                problems.append(Problem("upload.zip_paths"))
                return
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                problems.append(Problem("upload.no_workbook"))
                return
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                problems.append(Problem("upload.macros"))
                return
            declared = sum(i.file_size for i in infos)
            if declared > max_expanded or any(
                    i.file_size > (1 << 20) and i.file_size > cfgmod.MAX_ZIP_RATIO * max(i.compress_size, 1)
                    for i in infos):
                problems.append(Problem("upload.zip_bomb", {"limit_mb": limit_mb}))
                return
            total = 0
            for i in infos:  # decompress for real, counting: a forged header cannot get past
                with z.open(i) as f:
                    while chunk := f.read(1 << 20):
                        total += len(chunk)
                        if total > max_expanded:
                            problems.append(Problem("upload.zip_bomb", {"limit_mb": limit_mb}))
                            return
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as e:
        problems.append(Problem("upload.zip_corrupt", {"error": str(e)[:200]}))


def check_upload(data: bytes, name: str, cfg: cfgmod.DeskConfig) -> UploadCheck:
    suffix = _suffix(name)
    chk = UploadCheck(original_name=str(name), safe_name=sanitise_name(name), suffix=suffix, size=len(data),
                      sha256=hashlib.sha256(data).hexdigest())
    if not data:
        chk.problems.append(Problem("upload.empty"))
        return chk
    if len(data) > cfg.max_upload_bytes:
        chk.problems.append(Problem("upload.too_large", {"limit_mb": cfg.max_upload_bytes // (1024 * 1024)}))
        return chk
    if suffix not in cfgmod.ALLOWED_SUFFIXES:
        chk.problems.append(Problem("upload.extension", {"suffix": suffix or "—"}))
        return chk
    if suffix == ".xlsx":
        _check_xlsx(data, cfg.max_expanded_bytes, chk.problems)
    else:
        kind = next((k for magic, k in BINARY_MAGIC.items() if data.startswith(magic)), None)
        if kind:
            chk.problems.append(Problem("upload.binary", {"kind": kind}))
    return chk


@dataclass
class StoredUpload:
    upload_id: int
    sha256: str
    path: Path
    safe_name: str
    inbox_name: str


def _write_once(path: Path, data: bytes) -> None:
    if path.exists() and path.stat().st_size == len(data):
        return
    write_atomic(path, data)


def store_upload(cfg: cfgmod.DeskConfig, store: Store, data: bytes, check: UploadCheck, uploader: str) -> StoredUpload:
    """Keep a checked file durably as var/uploads/<sha256><suffix> (written once, never deleted), record
    who uploaded it and when, and write the audit entry."""
    if not check.ok:
        raise ValueError(f"refusing to store a file that failed its checks: {[p.code for p in check.problems]}")
    cfg.ensure()
    path = cfg.uploads / f"{check.sha256}{check.suffix}"
    _write_once(path, data)
    uid = store.add_upload(check.sha256, check.original_name, check.safe_name, check.size, uploader)
    store.audit(uploader, "upload", file=check.inbox_name, sha256=check.sha256,
                detail={"original_name": check.original_name, "size": check.size, "upload_id": uid})
    return StoredUpload(uid, check.sha256, path, check.safe_name, check.inbox_name)


# --------------------------------------------------------------------------- column mapping saved for a file

def mapping_path(upload: StoredUpload) -> Path:
    """The column mapping saved for this file: the ETL's own sidecar (`<file>.mapping.toml`, read by
    `etl.registry.reading.read_table`) next to var/uploads/<sha256><suffix>; publish copies it into the inbox."""
    from etl.registry.reading import sidecar_of

    return sidecar_of(upload.path)


def saved_mapping(upload: StoredUpload) -> dict[str, str]:
    """The overrides saved for this file (folded headers -> field or 'ignore'); {} when none."""
    from etl.registry.reading import load_mapping

    p = mapping_path(upload)
    return load_mapping(p) if p.is_file() else {}


def save_mapping(cfg: cfgmod.DeskConfig, store: Store, upload: StoredUpload, overrides: dict[str, str],
                 actor: str, role: str | None) -> Path:
    """Save a column mapping for this file ({header: field or 'ignore'}, merged into what was saved before).
    Fields are checked by the ETL (`normalise_overrides`: ValueError on an unknown one); audited."""
    import json

    from etl.registry.headers import normalise_overrides

    from . import staff
    if not staff.can(role, "upload"):
        from .publishing import Forbidden
        raise Forbidden(f"role {role!r} may not change a mapping")
    merged = {**saved_mapping(upload), **normalise_overrides(overrides)}
    body = "# column mapping saved on the data desk (header = target field)\n[columns]\n" + "".join(
        f"{json.dumps(h, ensure_ascii=False)} = {json.dumps(f)}\n" for h, f in sorted(merged.items()))
    path = mapping_path(upload)
    write_atomic(path, body.encode("utf-8"))
    store.audit(actor, "mapping_saved", file=upload.inbox_name, sha256=upload.sha256,
                detail={"columns": overrides})
    return path
