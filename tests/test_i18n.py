"""Translations: every key in both languages, every t("key") call resolvable, formatting."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from beautyvalley import filters, i18n

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "dashboard.py", *sorted((ROOT / "app_pages").glob("*.py")),
           *[ROOT / "beautyvalley" / n for n in ("filters.py", "export.py", "queries.py", "brief.py",
                                                 "templates/brief.html")]]
CALL = re.compile(r"""\bt\(\s*(f?)(["'])([^"']+)\2""")


def called_keys(text: str) -> tuple[set[str], set[str]]:
    """(literal keys, f-string key patterns) passed to t(...) in a source text."""
    literal, patterns = set(), set()
    for is_f, _q, key in CALL.findall(text):
        (patterns if is_f and "{" in key else literal).add(key)
    return literal, patterns


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_both_languages():
    missing = [(k, lang) for k, entry in i18n.TEXTS.items() for lang in i18n.LANGS
               if not (entry.get(lang) or "").strip()]
    assert missing == []


def test_placeholders_agree_between_languages():
    bad = [k for k, e in i18n.TEXTS.items() if placeholders(e["it"]) != placeholders(e["en"])]
    assert bad == []


def test_scanner_finds_keys_and_would_report_a_missing_one():
    literal, patterns = called_keys('x = t("page.map"); y = t(f"map.choropleth_{m}"); t("no.such")')
    assert literal == {"page.map", "no.such"} and patterns == {"map.choropleth_{m}"}
    assert [k for k in literal if not i18n.has(k)] == ["no.such"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_every_t_call_in_the_app_has_a_key(path):
    literal, patterns = called_keys(path.read_text(encoding="utf-8"))
    assert [k for k in sorted(literal) if not i18n.has(k)] == []
    for pattern in patterns:  # an f-string key must match at least one key
        rx = re.compile("^" + re.sub(r"\\\{[^}]*\\\}", "[a-z_]+", re.escape(pattern)) + "$")
        assert any(rx.match(k) for k in i18n.TEXTS), pattern


def test_dynamic_key_families_are_complete():
    for mode in ("density", "count", "off"):
        assert i18n.has(f"map.choropleth_{mode}")
    for field in ("employees", "revenue", "website", "exact_location", "comune_location",
                  "unknown_location", "founded", "ateco", "vat"):
        assert i18n.has(f"sources.cov_{field}")
    for kind in filters.KIND_VOCABULARY:
        assert i18n.has(f"kind.{kind}")


def test_coverage_query_fields_all_have_labels(fixture_db, monkeypatch):
    monkeypatch.setenv("BEAUTYVALLEY_DB", str(fixture_db))
    from beautyvalley import queries

    cov = queries.coverage(filters.Filters())
    cov.pop("sites")
    assert [k for k in cov if not i18n.has(f"sources.cov_{k}")] == []


def test_t_falls_back_and_fills_placeholders():
    assert i18n.t("page.map", lang="it") == "Mappa"
    assert i18n.t("page.map", lang="en") == "Map"
    assert i18n.t("overview.scope", lang="en", scope="x") == "Scope: x"
    assert i18n.t("no.such.key", lang="en") == "no.such.key"


def test_fmt_wrappers_use_the_one_formatter_and_default_to_the_session_language():
    # the formatting contract is tests/test_l10n.py; here only that the wrappers reach it
    # (outside a Streamlit session the language is Italian)
    nbsp = "\u00a0"
    assert i18n.fmt_eur(8.8e9) == f"8,8{nbsp}mld{nbsp}€"
    assert i18n.fmt_eur(8.8e9, "en") == "€8.8B"
    assert i18n.fmt_number(1234.5, "en", 1) == "1,234.5"
    assert i18n.fmt_int(1234567) == "1.234.567"
    assert i18n.fmt_percent(66.2, "it") == "66,2%"
    assert i18n.fmt_value(1994, "year", "en") == "1994"
    assert i18n.fmt_change(2.1, "percent", "en") == f"+2.1{nbsp}pp"
    assert i18n.fmt_date("2024-05", "it") == "maggio 2024"
    assert i18n.fmt_year(2023.0) == "2023"
    assert i18n.fmt_number(None, "it") == "—"
    assert i18n.formatter("en")(54.3, "percent") == "54.3%"


def test_coded_values_of_the_warehouse_have_labels(fixture_db):
    import duckdb

    with duckdb.connect(str(fixture_db), read_only=True) as con:
        for field in (*i18n.CODED_FIELDS, "kind"):
            for (code,) in con.execute(f"SELECT DISTINCT {field} FROM mart.organisations WHERE {field} IS NOT NULL").fetchall():
                assert i18n.has(f"{field}.{code}"), (field, code)
