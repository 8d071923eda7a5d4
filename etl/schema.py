"""The public tables' schema files (etl/schema/<schema>.<table>.toml): one per table, with each column's
type, Italian and English description and tests, and table-level expression tests.

From them come
* the build checks (`checks`): one parameterised query per test, from the templates in etl/sql/checks/
  (`unique`, `not_null`, `accepted_values` = a vocabulary of data/vocabularies.csv, `expression`), run in
  the build's `checks` stage; a failing check raises BuildError and the previous warehouse stays in service;
* the DDL of the tables the build creates itself (`ddl = true`: meta.*, staging.rejected_rows,
  staging.load_issues), with PRIMARY KEY and CHECK constraints (`create_table`);
* the data dictionary: tests/test_schema.py checks that the warehouse has exactly these columns and types
  and that data/README.md documents every one of them.
Tables built by etl/sql (`CREATE TABLE … AS`) keep their SQL as the definition; the file states the contract.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import vocab
from .sqlfiles import sql

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
# the order of the tables in data/README.md's generated dictionary (others follow, alphabetically)
DOC_ORDER = ("mart.organisations", "mart.field_provenance", "mart.comuni", "mart.provinces", "mart.indicators",
             "mart.comparable_groups", "mart.segments", "mart.measures", "mart.ateco", "mart.capabilities",
             "mart.organisation_capabilities", "mart.unmapped_tags", "mart.vocabularies", "meta.load_runs",
             "meta.load_files", "meta.corrections", "staging.rejected_rows", "staging.load_issues")
DOC_BEGIN = "<!-- generated from etl/schema/*.toml by `python -m etl docs`: edit those files, not this section -->"
DOC_END = "<!-- end of the generated data dictionary -->"
TESTS = ("unique", "not_null")
_IDENT = re.compile(r"[a-z_][a-z0-9_]*")


class SchemaError(Exception):
    pass


@dataclass(frozen=True, kw_only=True)
class Described:
    """Anything a schema file describes in both languages."""
    description_en: str
    description_it: str


@dataclass(frozen=True, kw_only=True)
class Column(Described):
    name: str
    type: str
    tests: tuple[str, ...] = ()
    accepted_values: str | None = None  # a vocabulary of data/vocabularies.csv
    primary_key: bool = False


@dataclass(frozen=True, kw_only=True)
class Test(Described):
    expression: str  # true for every valid row
    ddl: bool = False  # also a CHECK constraint (tables with ddl = true)


@dataclass(frozen=True, kw_only=True)
class Table(Described):
    name: str
    columns: tuple[Column, ...]
    ddl: bool = False  # the build creates the table from this file
    tests: tuple[Test, ...] = field(default=())
    notes_en: str = ""  # prose for data/README.md after the table

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _ident(text: str, where: str) -> str:
    if not _IDENT.fullmatch(text):
        raise SchemaError(f"{where}: {text!r} is not a plain identifier")
    return f'"{text}"'


def _expanded(columns: list[dict], where: str) -> list[dict]:
    """Columns as listed, with each `each = "<vocabulary>"` entry repeated once per code of that vocabulary
    (`{code}` in its name and descriptions replaced), e.g. mart.comuni's n_<kind> counts."""
    out = []
    for c in columns:
        if "each" not in c:
            out.append(c)
            continue
        if c["each"] not in vocab.VOCABULARIES:
            raise SchemaError(f"{where}: {c['name']}: each = {c['each']!r} is not a vocabulary")
        for code in vocab.codes(c["each"]):
            out.append({k: v.replace("{code}", code) if isinstance(v, str) else v
                        for k, v in c.items() if k != "each"})
    return out


def read(path: Path) -> Table:
    """One schema file, validated (identifiers, known tests and vocabularies, both descriptions)."""
    d = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    name = d["table"]
    if Path(path).name != f"{name}.toml":
        raise SchemaError(f"{path}: file name must be {name}.toml")
    for part in name.split("."):
        _ident(part, path.name)
    cols = []
    for c in _expanded(d["columns"], path.name):
        _ident(c["name"], f"{path.name}")
        for t in c.get("tests", []):
            if t not in TESTS:
                raise SchemaError(f"{path.name}: {c['name']}: unknown test {t!r} (one of {', '.join(TESTS)})")
        if c.get("accepted_values") and c["accepted_values"] not in vocab.VOCABULARIES:
            raise SchemaError(f"{path.name}: {c['name']}: {c['accepted_values']!r} is not a vocabulary")
        if not (c.get("description_en") and c.get("description_it")):
            raise SchemaError(f"{path.name}: {c['name']}: a description in both languages is required")
        cols.append(Column(name=c["name"], type=c["type"], description_en=c["description_en"],
                           description_it=c["description_it"], tests=tuple(c.get("tests", [])),
                           accepted_values=c.get("accepted_values"), primary_key=bool(c.get("primary_key", False))))
    tests = tuple(Test(expression=t["expression"], description_en=t["description_en"],
                       description_it=t["description_it"], ddl=bool(t.get("ddl", False))) for t in d.get("tests", []))
    return Table(name=name, description_en=d["description_en"], description_it=d["description_it"],
                 ddl=bool(d.get("ddl", False)), columns=tuple(cols), tests=tests, notes_en=d.get("notes_en", "").strip())


@lru_cache(maxsize=1)
def tables() -> dict[str, Table]:
    """Every public table's schema, by `schema.table`."""
    return {t.name: t for t in (read(p) for p in sorted(SCHEMA_DIR.glob("*.toml")))}


def column_names(table: str) -> list[str]:
    return [c.name for c in tables()[table].columns]


def ddl(table: str) -> str:
    """CREATE TABLE for a table the build creates itself (`ddl = true` in its schema file)."""
    t = tables()[table]
    if not t.ddl:
        raise SchemaError(f"{table} is built by etl/sql, not from its schema file")
    parts = [f"{_ident(c.name, table)} {c.type}" + (" PRIMARY KEY" if c.primary_key else "") for c in t.columns]
    parts += [f"CHECK ({x.expression})" for x in t.tests if x.ddl]
    return f"CREATE TABLE {t.name} (" + ", ".join(parts) + ")"


def create_table(con, table: str) -> None:
    con.execute(ddl(table))  # from the schema file: identifiers checked, no user text


def _check_sql(template: str, table: Table, column: str | None = None, expression: str | None = None) -> str:
    """A check template with its table, column or expression (from the schema file) put in place."""
    text = sql(f"checks/{template}.sql")
    text = re.sub(r"\bcheck_table\b", table.name, text)
    if column is not None:
        text = re.sub(r"\bcheck_column\b", _ident(column, table.name), text)
    if expression is not None:
        text = re.sub(r"\bcheck_expression\b", lambda _: f"({expression})", text)
    return text


def check_queries(table: Table):
    """(description, SQL, parameters) of every test of a table."""
    for c in table.columns:
        for t in c.tests:
            yield f"{table.name}.{c.name}: {t}", _check_sql(t, table, c.name), {}
        if c.accepted_values:
            yield (f"{table.name}.{c.name}: accepted_values {c.accepted_values}",
                   _check_sql("accepted_values", table, c.name), {"vocabulary": c.accepted_values})
    for x in table.tests:
        yield f"{table.name}: {x.description_en} ({x.expression})", _check_sql("expression", table, expression=x.expression), {}


def checks(con, names=None) -> list[str]:
    """Run the schema tests of `names` (default: every table) on the warehouse being built; the failed
    ones, with their row counts."""
    problems = []
    for t in tables().values() if names is None else (tables()[n] for n in names):
        for what, query, params in check_queries(t):
            n = con.execute(query, params).fetchone()[0]
            if n:
                problems.append(f"{what}: {n} row(s) fail")
    return problems


# --------------------------------------------------------------------------- the data dictionary

def _cell(text: str) -> str:
    return text.replace("|", "\\|")  # a pipe inside a Markdown table cell


def markdown(table: Table) -> str:
    """data/README.md's section of one table: heading, description, column table, notes, tests."""
    out = [f"### {table.name}", "", table.description_en, "", "| column | type | meaning |", "|---|---|---|"]
    out += [f"| {c.name} | {c.type} | {_cell(c.description_en)} |" for c in table.columns]
    if table.notes_en:
        out += ["", table.notes_en]
    checks = [f"`{c.name}` " + ", ".join([*c.tests, *([f"in `{c.accepted_values}`"] if c.accepted_values else [])])
              for c in table.columns if c.tests or c.accepted_values]
    checks += [f"{t.description_en} (`{t.expression}`)" for t in table.tests]
    if checks:
        out += ["", "Build checks: " + "; ".join(checks) + "."]
    return "\n".join(out)


def dictionary() -> str:
    """The generated part of data/README.md: every public table, in DOC_ORDER."""
    ts = tables()
    names = [n for n in DOC_ORDER if n in ts] + sorted(n for n in ts if n not in DOC_ORDER)
    return "\n\n".join([DOC_BEGIN, *(markdown(ts[n]) for n in names), DOC_END])


def with_dictionary(readme: str) -> str:
    """`readme` with its generated section replaced by `dictionary()`."""
    a, b = readme.index(DOC_BEGIN), readme.index(DOC_END) + len(DOC_END)
    return readme[:a] + dictionary() + readme[b:]
