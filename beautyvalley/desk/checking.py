"""Check an upload with exactly the ETL's rules: `etl.build.read_and_validate`, the function behind
`python -m etl validate` and every build (not a copy). The file is checked under the name it will have
in the inbox, so every message names it as the warehouse will (inbox/<name>)."""
from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from beautyvalley import export, i18n

_inputs = None
_inputs_lock = threading.Lock()


def _etl_inputs():
    """Geography, segments and the validation context, loaded once per process (a few seconds)."""
    global _inputs
    with _inputs_lock:
        if _inputs is None:
            from etl.build import load_inputs

            _inputs = load_inputs()
        return _inputs


ISSUE_COLUMNS = ["line", "field", "value", "severity", "message", "code", "params"]


@dataclass
class CheckReport:
    file: str                      # inbox/<name>, as the warehouse will name it
    error: str | None              # the file could not be read at all
    sheet: str | None
    encoding: str | None
    delimiter: str | None
    headers: list[str]             # the header row as found
    mapping: list[tuple[str, str | None]]  # (column header, target field or None = ignored)
    notes: list[str]               # file-level warnings (title lines skipped, sheet used, encodings…)
    rows_in: int
    rows_rejected: int
    warnings: int
    issues: pd.DataFrame           # ISSUE_COLUMNS (errors and warnings; code/params: etl/messages.py)
    rejected: pd.DataFrame         # the rejected input rows as read, with line and reasons

    @property
    def ok(self) -> bool:
        return self.error is None


def check_file(path: Path, inbox_name: str) -> CheckReport:
    from etl.build import read_and_validate

    ctx = _etl_inputs().ctx
    with tempfile.TemporaryDirectory(prefix="bv-check-") as d:
        link = Path(d) / inbox_name
        link.symlink_to(Path(path).resolve())
        _link_sidecar(Path(path), link)
        table, v, rep = read_and_validate(link, ctx, "inbox")
    if table is None:
        empty = pd.DataFrame(columns=ISSUE_COLUMNS)
        return CheckReport(rep.file, rep.error, None, None, None, [], [], list(rep.notes), 0, 0, 0, empty,
                           pd.DataFrame())
    mapping = [(h, table.mapping.get(i)) for i, h in enumerate(table.headers)]
    issues = v.issues.sort_values(["line", "severity"], kind="stable")[ISSUE_COLUMNS]
    return CheckReport(rep.file, None, table.sheet, table.encoding, table.delimiter, list(table.headers), mapping,
                       list(rep.notes), rep.rows_in, rep.rows_rejected, rep.warnings, issues.reset_index(drop=True),
                       _rejected_rows(table, v.rejected))


def issues_in_language(report: CheckReport, lang: str) -> pd.DataFrame:
    """The check's issues with each message in `lang` (the text `etl.<code>`; the build's English message
    for one without a code)."""
    return report.issues.assign(message=i18n.etl_messages(report.issues, "message", lang))


def notes_in_language(report: CheckReport, lang: str) -> list[str]:
    """The check's file notes in `lang` (recognised by etl.messages; English for a note without a code)."""
    from etl import messages

    return [i18n.etl_message(*messages.describe(n), n, lang) for n in report.notes]


def _link_sidecar(src: Path, link: Path) -> None:
    """Put the column mapping saved for `src` (its `.mapping.toml` sidecar) next to `link`, if there is one."""
    from etl.registry.reading import sidecar_of

    side = sidecar_of(src)
    if side.is_file():
        sidecar_of(link).unlink(missing_ok=True)
        sidecar_of(link).symlink_to(side.resolve())


def _rejected_rows(table, rejected: pd.DataFrame) -> pd.DataFrame:
    """The rejected rows as they were read (canonical columns), with their line and every reason."""
    if rejected is None or not len(rejected):
        return pd.DataFrame(columns=["line", "reasons"])
    reasons = rejected.groupby("line")["reason"].apply(lambda s: "; ".join(map(str, s)))
    raw = pd.DataFrame({c: (vals.to_pylist() if hasattr(vals, "to_pylist") else list(vals))
                        for c, vals in table.columns.items()})
    raw.insert(0, "line", table.lines)
    out = raw[raw["line"].isin(reasons.index)].copy()
    out["reasons"] = out["line"].map(reasons)
    return out.reset_index(drop=True)


def rejected_rows_csv(report: CheckReport) -> bytes:
    """The rejected rows to download and fix: UTF-8 CSV, CRLF, formula-looking cells neutralised."""
    df = report.rejected.copy()
    for c in df.columns:
        if not pd.api.types.is_numeric_dtype(df[c]):
            df[c] = df[c].astype(object).map(export.neutralise)
    return df.to_csv(index=False, lineterminator="\r\n").encode("utf-8")
