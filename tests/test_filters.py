"""Filter state: URL parameters, words, permalink (the AppTest side is in test_pages.py)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from beautyvalley import filters
from beautyvalley.filters import DEFAULT_PROVINCES, Filters


def test_defaults_leave_the_url_empty():
    assert Filters().query_params() == {}
    assert Filters().query_string() == ""
    assert Filters().provinces == ("CR", "LO", "MI", "BG")


def test_query_params_round_trip_through_a_url():
    f = Filters(provinces=("MI", "MB"), comuni=("015146",), kinds=("company", "university"),
                segments=("brand",), specialties=("make-up, lips",), name="Alfa & co", lang="en")
    parsed = parse_qs(f.query_string())
    assert parsed == {
        "lang": ["en"], "prov": ["MI", "MB"], "comune": ["015146"], "kind": ["company", "university"],
        "seg": ["brand"], "spec": ["make-up, lips"], "q": ["Alfa & co"],
    }


def test_empty_provinces_mean_all_of_lombardy():
    assert Filters(provinces=()).query_params() == {"prov": "all"}


def test_sql_params_are_plain_lists_and_text():
    p = Filters(kinds=("company",), name="x'); DROP TABLE t; --").sql_params()
    assert p == {"provinces": list(DEFAULT_PROVINCES), "comuni": [], "kinds": ["company"],
                 "segments": [], "specialties": [], "name": "x'); DROP TABLE t; --", "statuses": ["active"]}


def test_status_filter_url_round_trip_and_default_active():
    from beautyvalley.filters import DEFAULT_STATUSES

    assert Filters().statuses == ("active",) == DEFAULT_STATUSES
    assert "status" not in Filters().query_params()  # the default stays out of the URL
    assert Filters(statuses=()).query_params() == {"status": "all"}
    assert Filters(statuses=("active", "closed")).query_params() == {"status": ["active", "closed"]}


def test_language_is_not_part_of_filter_equality():
    assert Filters(lang="en") == Filters(lang="it")


@pytest.mark.parametrize("raw, clean", [("  Alfa ", "Alfa"), ("a\x00b\nc", "a b c"), ("x" * 300, "x" * 100)])
def test_name_text_is_cleaned(raw, clean):
    assert filters._clean_text(raw) == clean


def test_permalink_uses_the_page_url_and_the_filters():
    f = Filters(provinces=("CR",), kinds=("company",), lang="en")
    link = filters.permalink(f, base_url="https://bv.example/explore?old=1")
    parts = urlsplit(link)
    assert parts.scheme == "https" and parts.path == "/explore"
    assert parse_qs(parts.query) == {"lang": ["en"], "prov": ["CR"], "kind": ["company"]}


def test_describe_puts_filters_in_words(fixture_db, monkeypatch):
    monkeypatch.setenv("BEAUTYVALLEY_DB", str(fixture_db))
    it = filters.describe(Filters(provinces=("CR", "LO"), kinds=("company",), name="alfa"), "it")
    en = filters.describe(Filters(provinces=(), kinds=("testing_lab",)), "en")
    assert it == "province: Cremona, Lodi; tipo: Impresa; nome contiene «alfa»"
    assert en == "all of Lombardy; kind: Testing lab"
