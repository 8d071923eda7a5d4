"""Reading registry exports: CSV (encoding and delimiter detected) and XLSX (first matching sheet).

Produces a `RawTable`: canonical fields as columns of text, each row with its line number in the
file (the sheet row for XLSX). Fully blank lines are skipped and not counted. Nothing is evaluated:
spreadsheet formulas are read as their cached values, never computed.
"""
from __future__ import annotations

import csv
import operator
import re
import hashlib
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .headers import ColumnSpec, describe_headers, is_unit_cell, map_headers, normalise_header, normalise_overrides, unit_scale

csv.field_size_limit(sys.maxsize)

HEADER_SEARCH_ROWS = 10
FAST_PATH_MIN_BYTES = 1 << 20  # files of 1 MB or more try the columnar reader first
DELIMITERS = [",", ";", "\t"]
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


class FileReadError(Exception):
    """The file could not be read at all (the message says why)."""


@dataclass
class RawTable:
    path: Path
    sha256: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    headers: list[str] = field(default_factory=list)
    mapping: dict[int, str] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)
    columns: dict[str, list] = field(default_factory=dict)
    file_warnings: list[str] = field(default_factory=list)
    specs: dict[int, ColumnSpec] = field(default_factory=dict)
    overrides: dict[str, str] = field(default_factory=dict)  # folded header -> field, from the user's mapping
    mapping_source: str | None = None  # the sidecar file or 'command line'
    skipped: list[tuple[int, str]] = field(default_factory=list)  # layout rows: (line, reason)
    units: dict[str, tuple[float, str]] = field(default_factory=dict)  # field -> (scale, unit as written)
    unmapped: list[str] = field(default_factory=list)  # headers of columns with data that were not loaded
    merged_fill: int = 0  # cells filled from a value merged over several rows

    @property
    def n_skipped(self) -> int:
        return len(self.skipped)

    @property
    def n_rows(self) -> int:
        return len(self.lines)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


MAPPING_SUFFIX = ".mapping.toml"


def sidecar_of(path: Path) -> Path:
    """`soci.xlsx` -> `soci.xlsx.mapping.toml` next to it."""
    return path.with_name(path.name + MAPPING_SUFFIX)


def load_mapping(path: Path) -> dict[str, str]:
    """A mapping file: `"Dipendenti 2025" = "employees"` lines (TOML), optionally under `[columns]`."""
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as e:
        raise FileReadError(f"mapping file {path.name} is not readable TOML ({e})") from None
    data = data.get("columns", data)
    try:
        return normalise_overrides({k: v for k, v in data.items() if isinstance(v, str)})
    except ValueError as e:
        raise FileReadError(f"mapping file {path.name}: {e}") from None


def parse_cli_mapping(items: list[str] | None) -> dict[str, str]:
    """`--map "Dipendenti 2025=employees"` options -> folded overrides (ValueError on a bad one)."""
    out = {}
    for item in items or []:
        header, sep, f = item.rpartition("=")
        if not sep or not header.strip():
            raise ValueError(f"--map {item!r}: write HEADER=FIELD")
        out[header.strip()] = f.strip()
    return normalise_overrides(out)


def _new_table(path: Path, overrides: dict[str, str] | None) -> RawTable:
    """An empty RawTable of the file: its sha256 and the user's column mapping (sidecar, --map)."""
    if not path.exists():
        raise FileReadError("file not found")
    if path.is_dir():
        raise FileReadError("is a folder, not a file")
    table = RawTable(path=path, sha256=sha256_of(path))
    side = sidecar_of(path)
    if side.is_file():
        table.overrides = load_mapping(side)
        table.mapping_source = side.name
    if overrides:
        table.overrides = {**table.overrides, **overrides}
        table.mapping_source = " + ".join(x for x in (table.mapping_source, "command line --map") if x)
    return table


def read_table(path: Path, overrides: dict[str, str] | None = None) -> RawTable:
    """The whole file as one RawTable (see `read_batches` for the same rows in batches)."""
    path = Path(path)
    return _read_whole(path, _new_table(path, overrides))


def _read_whole(path: Path, table: RawTable) -> RawTable:
    suffix = path.suffix.lower()
    with open(path, "rb") as f:
        head = f.read(8)
    if suffix in (".xlsx", ".xlsm"):
        if not head.startswith(b"PK"):
            raise FileReadError("not a valid XLSX workbook (no ZIP signature)")
        _read_xlsx(path, table)
    else:
        if head.startswith(b"PK\x03\x04"):
            raise FileReadError("this is a ZIP/XLSX workbook, not a CSV: save it with the .xlsx extension")
        _read_csv(path, table)
    return table


# ---------------------------------------------------------------- CSV

def _decode(data: bytes, table: RawTable) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        table.encoding = "utf-8-sig"
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        table.encoding = "utf-16"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise FileReadError(f"invalid UTF-16 text: {e}") from None
    try:
        text = data.decode("utf-8")
        table.encoding = "utf-8"
        return text
    except UnicodeDecodeError:
        pass
    # Not UTF-8 as a whole: decode line by line, so a file that mixes encodings keeps every line.
    out, legacy_lines, utf8_lines, legacy_used = [], [], 0, set()
    for i, raw in enumerate(data.split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8")
            if any(b > 0x7F for b in raw):
                utf8_lines += 1
        except UnicodeDecodeError:
            line, enc = _decode_legacy(raw)
            legacy_used.add(enc)
            legacy_lines.append(i)
        out.append(line)
    legacy = "latin-1" if "latin-1" in legacy_used else "cp1252"
    table.encoding = legacy if not utf8_lines else f"mixed utf-8/{legacy}"
    if utf8_lines:
        shown = ", ".join(map(str, legacy_lines[:10])) + (" …" if len(legacy_lines) > 10 else "")
        table.file_warnings.append(
            f"mixed encodings: {len(legacy_lines)} line(s) are not UTF-8 and were read as {legacy} "
            f"(lines {shown}); the other lines as UTF-8"
        )
    return "\n".join(out)


def _decode_legacy(raw: bytes) -> tuple[str, str]:
    try:
        return raw.decode("cp1252"), "cp1252"  # Italian Windows exports: € is byte 0x80
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def _detect_delimiter(sample_lines: list[str], overrides: dict[str, str] | None = None) -> str:
    """The delimiter that yields a recognised header row (title lines above it allowed), then the one
    that splits the sample most consistently into most columns."""
    best, best_score = ",", -1
    for d in DELIMITERS:
        rows = [next(csv.reader([ln], delimiter=d), []) for ln in sample_lines if ln.strip()]
        if not rows:
            continue
        header_hits = max(len(map_headers(r, overrides)) for r in rows[:HEADER_SEARCH_ROWS])
        counts = [len(r) for r in rows]
        score = header_hits * 10000 + min(max(counts), 999) * 10 + (len(set(counts)) == 1)
        if score > best_score:
            best, best_score = d, score
    return best


def _read_csv(path: Path, table: RawTable) -> None:
    data = path.read_bytes()
    if not data.strip():
        raise FileReadError("empty file")
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileReadError("binary content (NUL bytes): not a text CSV export")
    text = _decode(data, table)
    lines = text[:1_000_000].splitlines()[:50]
    nonblank = [ln for ln in lines if ln.strip(" \t,;\r")]
    if not nonblank:
        raise FileReadError("no header row: the file has only blank lines")
    delim = _detect_delimiter(nonblank[:20], table.overrides)
    table.delimiter = delim
    if table.encoding in ("utf-8", "utf-8-sig") and len(data) >= FAST_PATH_MIN_BYTES:
        del text  # the columnar reader works on the bytes; the decoded copy would only cost memory
        if _read_csv_columnar(data[3:] if table.encoding == "utf-8-sig" else data, delim, table):
            return
        text = _decode(data, table)
    del data
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, quotechar='"', strict=False)
    try:
        _consume(reader, table, lambda: reader.line_num)
    except csv.Error as e:
        raise FileReadError(f"line {reader.line_num}: not parseable as CSV ({e})") from None
    if text.count('"') % 2:
        # an opening quote that is never closed swallows every line after it into one cell
        multi = [ln for ln, vals in zip(table.lines, zip(*table.columns.values()))
                 if any(isinstance(v, str) and "\n" in v for v in vals)] if table.columns else []
        where = f"a quoted field that starts on line {multi[-1]}" if multi else "a quoted field"
        raise FileReadError(f"unbalanced quotes: {where} is never closed, so the lines after it would be read as "
                            "one cell; close the quote (or remove it) and load the file again")


def _columnar_header(header_line: bytes, delim: str, table: RawTable) -> tuple[dict, list[tuple[int, str]]] | None:
    """(specs, mapped) of line 1 when it is a header with a name column (the columnar reader's condition)."""
    if header_line.count(b'"') % 2:
        return None  # a quoted header cell may span lines
    headers = next(csv.reader([header_line.decode("utf-8").rstrip("\r")], delimiter=delim), [])
    specs = describe_headers(headers, table.overrides)
    mapping = {i: s.field for i, s in specs.items() if s.field != "ignore"}
    if "name" not in mapping.values():
        return None
    table.headers = headers
    return specs, sorted(mapping.items())


def _columnar_rows(chunk: bytes, delim: str, n_headers: int, mapped: list[tuple[int, str]], first_line: int
                   ) -> tuple[np.ndarray, dict] | None:
    """Whole data lines (the header excluded) read by Arrow's C++ CSV reader: (1-based line numbers, field ->
    Arrow string column), or None when a quoted value may span lines or a row has another number of cells
    than the header. `first_line` is the file's line number of the chunk's first line."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as pacsv

    if not chunk.isascii():
        try:
            chunk.decode("utf-8")  # every byte, not only the read columns' (else the exact reader's encodings)
        except UnicodeDecodeError:
            return None
    arr = np.frombuffer(chunk, dtype=np.uint8)
    nl = np.flatnonzero(arr == 10)
    starts = np.concatenate(([0], nl + 1))
    ends = np.concatenate((nl, [len(chunk)]))
    keep = starts < len(chunk)
    starts, ends = starts[keep], ends[keep]
    cr_end = (ends > starts) & (arr[np.maximum(ends - 1, 0)] == 13)
    empty = (ends - starts - cr_end.astype(np.int64)) == 0
    if b'"' in chunk:
        # quotes per line from their positions (no byte-wide integer copy of the chunk)
        per_line = np.bincount(np.searchsorted(starts, np.flatnonzero(arr == 34), side="right") - 1,
                               minlength=len(starts))
        if (per_line % 2).any():
            return None  # a quoted value may span lines: the exact reader handles it
    data_lines = np.flatnonzero(~empty)  # 0-based lines of the chunk that pyarrow returns as rows
    if not len(data_lines):
        return np.zeros(0, dtype=np.int64), {f: pa.array([], type=pa.string()) for _, f in mapped}
    names = [f"c{i}" for i in range(n_headers)]
    try:
        tbl = pacsv.read_csv(
            pa.py_buffer(chunk),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delim, quote_char='"', newlines_in_values=False,
                                             ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 include_columns=[names[i] for i, _ in mapped],
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None  # e.g. a row with more or fewer cells than the header, or bytes that are not UTF-8
    if len(data_lines) != tbl.num_rows:
        return None
    # a row whose cells are all blank (e.g. ";;;") is skipped and not counted, as in the exact reader:
    # candidates have every read cell blank; their raw line decides (unread columns count too)
    blank = None
    for i, _ in mapped:
        b = pc.equal(pc.utf8_trim_whitespace(tbl.column(names[i])), "")
        blank = b if blank is None else pc.and_(blank, b)
    has_content = np.ones(len(data_lines), dtype=bool)
    junk = (delim + ' \t\r"').encode()
    for k in np.flatnonzero(blank.to_numpy(zero_copy_only=False)) if blank is not None else []:
        line = chunk[starts[data_lines[k]]:ends[data_lines[k]]]
        has_content[k] = bool(line.translate(None, junk))
    mask = None if has_content.all() else pa.array(has_content)
    columns = {}
    for i, f in mapped:  # one column at a time leaves the read table, so no second copy of it is held
        c = tbl.column(names[i]).combine_chunks()
        tbl = tbl.drop_columns([names[i]])
        columns[f] = c if mask is None else c.filter(mask)
    return data_lines[has_content].astype(np.int64) + first_line, columns


def _read_csv_columnar(body: bytes, delim: str, table: RawTable) -> bool:
    """Fast path for large, regular UTF-8 files: Arrow's C++ CSV reader, with line numbers rebuilt
    from newline offsets. Taken only when the header is on line 1, no quoted value spans lines and every
    row has the header's number of cells; otherwise (False) the line-by-line reader handles the file.
    Both paths give the same table (tests compare them)."""
    cut = body.find(b"\n")
    header_line = body if cut < 0 else body[:cut]
    if not header_line.rstrip(b"\r"):
        return False
    head = _columnar_header(header_line, delim, table)
    if head is None:
        return False
    specs, mapped = head
    rows = _columnar_rows(b"" if cut < 0 else body[cut + 1:], delim, len(table.headers), mapped, 2)
    if rows is None:
        return False
    _set_specs(table, specs)
    table.lines, table.columns = rows[0].tolist(), rows[1]
    _header_notes(table, [], None)
    return True


BATCH_ROWS = 250_000  # rows per batch of `read_batches` (BEAUTYVALLEY_BATCH_ROWS overrides it)
_BLOCK_BYTES = 1 << 23


class ReadRestart(Exception):
    """`read_batches` found, after some batches were yielded, that the file needs the exact reader: the
    caller drops what it took from the earlier batches and reads the file again with `read_table`."""


def batch_rows() -> int:
    import os

    return max(1, int(os.environ.get("BEAUTYVALLEY_BATCH_ROWS") or BATCH_ROWS))


def read_batches(path: Path, overrides: dict[str, str] | None = None, rows: int | None = None):
    """The rows of `read_table(path)` in RawTables of at most `rows` rows (default `batch_rows()`), so a
    file of millions of rows is never held whole: a large regular UTF-8 CSV (the columnar reader's
    files) is read block by block; any other file is one batch. Every batch carries the file's header,
    mapping, units and sha256; the first one also its file warnings (the notes of the whole file).
    Raises FileReadError (before the first batch) or ReadRestart (see there)."""
    from dataclasses import replace

    path = Path(path)
    rows = rows or batch_rows()
    base = _new_table(path, overrides)  # hashed once; the whole-file reader starts from it when needed
    if path.suffix.lower() in (".xlsx", ".xlsm") or path.stat().st_size < FAST_PATH_MIN_BYTES:
        yield _read_whole(path, base)
        return
    table = replace(base, units={}, overrides=dict(base.overrides))
    with open(path, "rb") as f:
        head = f.read(1_000_000)
        bom = head.startswith(b"\xef\xbb\xbf")
        start = 3 if bom else 0
        cut = head.find(b"\n", start)
        regular = not head.startswith((b"PK\x03\x04", b"\xff\xfe", b"\xfe\xff")) and b"\x00" not in head[:65536] \
            and head.strip() and cut > 0
        try:
            sample = head[start:head.rfind(b"\n") if len(head) == 1_000_000 else len(head)].decode("utf-8")
        except UnicodeDecodeError:
            regular = False
        header = None
        if regular:
            lines = sample.splitlines()[:50]
            nonblank = [ln for ln in lines if ln.strip(" \t,;\r")]
            table.delimiter = _detect_delimiter(nonblank[:20], table.overrides) if nonblank else ","
            header = _columnar_header(head[start:cut], table.delimiter, table) if nonblank else None
        if header is None:
            yield _read_whole(path, base)
            return
        table.encoding = "utf-8-sig" if bom else "utf-8"
        specs, mapped = header
        _set_specs(table, specs)
        f.seek(cut + 1)
        first_line, yielded, pending = 2, 0, None
        for chunk in _line_chunks(f, rows):
            got = _columnar_rows(chunk, table.delimiter, len(table.headers), mapped, first_line)
            if got is None:
                if yielded or pending is not None:
                    raise ReadRestart(path.name)
                yield _read_whole(path, base)
                return
            first_line += chunk.count(b"\n")
            if not len(got[0]):
                continue
            if pending is not None:
                yield pending
                yielded += 1
            pending = _batch_of(table, got, first=not yielded)
        if pending is None:  # no data rows: one empty batch carries the file's notes
            pending = _batch_of(table, (np.zeros(0, dtype=np.int64), {fl: [] for _, fl in mapped}), first=True)
        yield pending


def _line_chunks(f, rows: int):
    """The rest of an open file in chunks of `rows` whole lines (the last one may end without a newline)."""
    buf = b""
    while True:
        block = f.read(_BLOCK_BYTES)
        if not block:
            break
        buf += block
        nl = np.flatnonzero(np.frombuffer(buf, dtype=np.uint8) == 10)
        done = 0
        for k in range(rows - 1, len(nl), rows):
            yield buf[done:nl[k] + 1]
            done = int(nl[k]) + 1
        buf = buf[done:]
    if buf:
        yield buf


def _batch_of(table: RawTable, got: tuple[np.ndarray, dict], first: bool) -> RawTable:
    """A batch: the file's metadata with these rows; the first batch also gets the file warnings."""
    from dataclasses import replace

    batch = replace(table, lines=got[0].tolist(), columns=got[1], file_warnings=[], units=dict(table.units))
    if first:
        _header_notes(batch, [], None)
    return batch


_TOTALS = re.compile(r"^(totale|totali|total|totals|somma|tot)\b")
_NOTES = re.compile(r"^(note|nota|notes|fonte|fonti|source|sources|legenda|elaborazione|aggiornato|dati aggiornati)\b")


def _set_specs(table: RawTable, specs: dict[int, ColumnSpec]) -> None:
    table.specs = specs
    table.mapping = {i: s.field for i, s in specs.items() if s.field != "ignore"}
    for s in specs.values():
        if s.scale != 1.0:
            table.units[s.field] = (s.scale, s.unit or "")


def _layout_reason(cells: list, mapped_idx: list[int], hmerged: bool) -> str | None:
    """Why a row below the header is layout, not an organisation (None: it is data)."""
    texts = [str(c).strip() for c in cells if c is not None and str(c).strip()]
    if not texts:
        return None
    first = normalise_header(texts[0])
    if _TOTALS.match(first) or any(isinstance(c, str) and c.lstrip().startswith("=SUM(") for c in cells):
        return "totals row"
    if len(texts) == 1 and _NOTES.match(first):
        return "notes row"
    if len(texts) == 1 and (hmerged or texts[0].rstrip().endswith(":")):
        return "section row"
    return None


def _consume(rows_iter, table: RawTable, line_of, text_cells: bool = True, hrows: set[int] | None = None) -> None:
    """Find the header among the first rows, then collect mapped fields of every non-blank row.
    Below the header, a units row, section rows, totals and notes rows are skipped with a reason.
    hrows (XLSX): rows with a cell merged across columns (a section title)."""
    prev_line = 0
    header_found = False
    scanned = 0
    mapped: list[tuple[int, str]] = []
    width = 0
    extra_cells_lines: list[int] = []
    picked: list[tuple] = []
    idxs: list[int] = []
    need, pick = 0, None
    data_seen = False
    hrows = hrows or set()
    has_data: dict[int, bool] = {}
    first_vals: dict[int, list] = {}
    for row in rows_iter:
        start_line = prev_line + 1
        prev_line = line_of()
        if text_cells:
            if not "".join(row).strip():
                continue
        elif not any(c and str(c).strip() for c in row):
            continue
        if not header_found:
            scanned += 1
            headers = ["" if c is None else str(c) for c in row]
            specs = describe_headers(headers, table.overrides)
            if "name" in (s.field for s in specs.values()):
                header_found = True
                table.headers = headers
                _set_specs(table, specs)
                mapped = sorted(table.mapping.items())
                idxs = [i for i, _ in mapped]
                need = max(idxs) + 1
                pick = operator.itemgetter(*idxs) if len(idxs) > 1 else (lambda r, i=idxs[0]: (r[i],))
                width = len(headers)
                if scanned > 1:
                    table.file_warnings.append(f"header found on line {start_line}; lines above it were skipped")
                continue
            if scanned >= HEADER_SEARCH_ROWS:
                break
            continue
        if not data_seen and all(is_unit_cell(c) for c in row):
            # a units row under the header: '(migliaia €)' scales the column it stands under
            data_seen = True
            for i, c in enumerate(row):
                s = unit_scale(str(c)) if c not in (None, "") and i in table.mapping else None
                f = table.mapping.get(i)
                if s and f in ("revenue_eur", "employees") or (s and f and f.startswith(("revenue_eur_y", "employees_y"))):
                    table.units[f] = (s, str(c).strip().strip("()[] "))
            table.skipped.append((start_line, "units row"))
            continue
        data_seen = True
        reason = _layout_reason(list(row), idxs, start_line in hrows)
        if reason:
            table.skipped.append((start_line, reason))
            continue
        table.lines.append(start_line)
        n = len(row)
        for i in range(min(n, width)):
            if i not in table.mapping and row[i] not in (None, "") and str(row[i]).strip():
                has_data[i] = True
                if len(first_vals.setdefault(i, [])) < 1000:
                    first_vals[i].append(row[i])
        if n > width and any(c and str(c).strip() for c in row[width:]):
            extra_cells_lines.append(start_line)
        if n >= need and text_cells:
            picked.append(pick(row))
        else:
            picked.append(tuple((_cell_text(row[i]) if not isinstance(row[i], str) else row[i]) if i < n and row[i] is not None
                                else None for i in idxs))
    if not header_found:
        raise FileReadError(
            "no header row recognised in the first rows: no column is named like a name column "
            "(ragione sociale, denominazione, azienda, name, company …); the delimiter must be , ; or tab"
        )
    columns = list(zip(*picked)) if picked else [() for _ in mapped]
    table.columns = {f: list(col) for (_, f), col in zip(mapped, columns)}
    _header_notes(table, extra_cells_lines, (has_data, first_vals))


def _is_row_numbering(values: list) -> bool:
    try:
        nums = [int(float(str(v).strip().rstrip("."))) for v in values]
    except ValueError:
        return False
    return bool(nums) and nums == list(range(nums[0], nums[0] + len(nums)))


def _col_name(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def _header_notes(table: RawTable, extra_cells_lines: list[int], data_info) -> None:
    if extra_cells_lines:
        shown = ", ".join(map(str, extra_cells_lines[:10]))
        table.file_warnings.append(
            f"{len(extra_cells_lines)} row(s) have more cells than the header (lines {shown}); extra cells ignored"
        )
    mapped_fields = set(table.mapping.values())
    dupes = [h for i, h in enumerate(table.headers) if i not in table.specs and h.strip()
             and map_headers([h], table.overrides) and map_headers([h], table.overrides)[0] in mapped_fields]
    if dupes:
        table.file_warnings.append(f"column(s) {', '.join(repr(h) for h in dupes)} repeat a field already read "
                                   "from an earlier column; the first one is used")
    has_data, first_vals = data_info if data_info else ({}, {})
    unmapped = []
    for i, h in enumerate(table.headers):
        if i in table.specs or h in dupes:
            continue
        if h.strip():
            unmapped.append(h)
        elif has_data.get(i) and not _is_row_numbering(first_vals.get(i, [])):
            unmapped.append(f"column {_col_name(i)} (no header)")
    table.unmapped = [" ".join(u.split()) for u in unmapped]
    if unmapped:
        shown = ", ".join(repr(h[:40]) for h in table.unmapped[:8]) + (" …" if len(unmapped) > 8 else "")
        table.file_warnings.append(f"{len(unmapped)} column(s) not recognised and not loaded: {shown}")
    if not table.lines:
        table.file_warnings.append("no data rows below the header")


def _cell_text(v) -> str:
    """Text of an XLSX cell. Numbers keep a form that no notation rule can misread: 123.456 (a
    float) is written 123.4560, so it is not taken for the Italian thousands 123.456."""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        text = repr(v)
        return text + "0" if re.fullmatch(r"-?\d{1,3}\.\d{3}", text) else text
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


# ---------------------------------------------------------------- XLSX

def _read_xlsx(path: Path, table: RawTable) -> None:
    import zipfile

    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_vba=False, keep_links=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as e:
        raise FileReadError(f"not a readable XLSX workbook ({type(e).__name__}: {e})") from None
    try:
        with zipfile.ZipFile(path) as z:
            if any(n.lower().endswith("vbaproject.bin") for n in z.namelist()):
                table.file_warnings.append("the workbook contains macros; they were ignored (only cell values are read)")
        tried = []
        for ws in wb.worksheets:
            tried.append(ws.title)
            head_rows = list(ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True))
            if not any("name" in map_headers(["" if c is None else str(c) for c in r], table.overrides).values() for r in head_rows):
                continue
            table.sheet = ws.title
            counter = {"row": 0}
            ranges = _merged_ranges(path, ws)
            hrows = {r0 for c0, r0, c1, r1 in ranges if c1 > c0}
            starts: dict[int, list[tuple[int, int]]] = {}
            for c0, r0, c1, r1 in ranges:
                if r1 > r0:
                    starts.setdefault(r0, []).append((c0 - 1, r1))
            fill: dict[int, dict[int, object]] = {}

            def rows():
                for r in ws.iter_rows(values_only=True):
                    counter["row"] += 1
                    n = counter["row"]
                    cells = ["" if c is None else c for c in r]
                    for col, v in fill.pop(n, {}).items():
                        cells += [""] * max(0, col + 1 - len(cells))
                        if cells[col] == "":
                            cells[col] = v
                            table.merged_fill += 1
                    for col, r1 in starts.get(n, []):
                        v = cells[col] if col < len(cells) else ""
                        if v != "":
                            for k in range(n + 1, r1 + 1):
                                fill.setdefault(k, {})[col] = v
                    yield cells

            _consume(rows(), table, lambda: counter["row"], text_cells=False, hrows=hrows)
            if table.merged_fill:
                table.file_warnings.append(f"{table.merged_fill} cell(s) filled from a value merged over several rows")
            if len(wb.worksheets) > 1:
                table.file_warnings.append(f"sheet {ws.title!r} used (of {len(wb.worksheets)} sheets)")
            return
        names = ", ".join(repr(t) for t in tried[:10])
        raise FileReadError(f"no sheet has a recognisable header row (sheets: {names})")
    finally:
        wb.close()


_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters.decode():
        n = n * 26 + ord(ch) - 64
    return n


def _merged_ranges(path: Path, ws) -> list[tuple[int, int, int, int]]:
    """(col0, row0, col1, row1), 1-based, of the sheet's merged cells (read-only openpyxl does not give them)."""
    import zipfile

    part = getattr(ws, "_worksheet_path", None)
    if not part:
        return []
    try:
        with zipfile.ZipFile(path) as z:
            with z.open(part.lstrip("/")) as f:
                tail = b""
                out = []
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    buf = tail + chunk
                    out += [(_col_index(a), int(b), _col_index(c), int(d)) for a, b, c, d in _MERGE_REF.findall(buf)]
                    tail = buf[-200:] if not buf.endswith(b">") else b""
                return list(dict.fromkeys(out))
    except (KeyError, zipfile.BadZipFile, OSError):
        return []


def normalised_headers(table: RawTable) -> list[str]:
    return [normalise_header(h) for h in table.headers]
