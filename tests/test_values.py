"""Single-value parsers: numbers in Italian and English notation, years, VAT, names, URLs, kinds."""
from __future__ import annotations

import pytest

from etl.registry.values import name_key, parse_kind, parse_number, parse_url, parse_vat, parse_year


@pytest.mark.parametrize("text,expected", [
    ("1.234.567,89", 1234567.89), ("1,234,567.89", 1234567.89), ("80.000.000", 80_000_000),
    ("12,5", 12.5), ("12.5", 12.5), ("€ 1.000", 1000), ("1 234", 1234), ("-7", -7), ("3e6", 3_000_000),
])
def test_numbers_in_both_notations(text, expected):
    value, err = parse_number(text)
    assert err is None and value == pytest.approx(expected)


@pytest.mark.parametrize("text", ["n.d.", "-", "—", "", None, "N/A"])
def test_unknown_tokens_mean_empty(text):
    assert parse_number(text) == (None, None)


@pytest.mark.parametrize("text", ["abc", "1.2.3,4,5", "12a"])
def test_unparsable_numbers_say_so(text):
    value, err = parse_number(text)
    assert value is None and ("not a number" in err or "separators" in err)


def test_vat_checksum_uses_stdnum():
    assert parse_vat("00743110157")[0] == "00743110157"  # valid checksum
    assert parse_vat("IT00743110157")[0] == "00743110157"
    assert parse_vat("743110157")[0] == "00743110157"  # leading zeros lost by a spreadsheet
    value, err = parse_vat("00743110158")
    assert value is None and "partita IVA" in err


def test_years():
    assert parse_year("1998") == (1998, None)
    assert parse_year("2999")[1] == "year 2999 is in the future"
    assert parse_year("1200")[0] is None


def test_name_key_strips_case_accents_and_legal_forms():
    assert name_key("Ancorotti Cosmetics S.p.A.") == name_key("ANCOROTTI COSMETICS SPA") == "ancorotti cosmetics"
    assert name_key("Società Bèlla S.r.l.") == name_key("societa bella srl")
    assert name_key("Alfa s.a.s.") == "alfa"


def test_urls():
    assert parse_url("www.example.org")[0] == "https://www.example.org"
    assert parse_url("javascript:alert(1)")[0] is None
    assert parse_url("https://issuu.com./a/b")[0] == "https://issuu.com./a/b"


def test_kinds_in_italian_and_english():
    assert parse_kind("Università")[0] == "university"
    assert parse_kind("centro di ricerca")[0] == "research_centre"
    assert parse_kind("Laboratorio")[0] == "testing_lab"
    assert parse_kind("")[0] == "company"
    assert parse_kind("spaceship")[0] is None


@pytest.mark.parametrize("text,expected", [("0.125", 0.125), ("0,125", 0.125), ("0,5", 0.5), ("1.234", 1234)])
def test_a_leading_zero_is_never_a_thousands_group(text, expected):
    assert parse_number(text)[0] == pytest.approx(expected)


def test_coordinates_read_a_single_separator_as_decimal():
    assert parse_number("45.364", coordinate=True)[0] == pytest.approx(45.364)
    assert parse_number("9,683", coordinate=True)[0] == pytest.approx(9.683)


def test_personal_codice_fiscale_is_not_stored():
    value, err = parse_vat("RSSMRA85T10A562S")  # a well-formed personal code (checksum valid)
    assert value is None and "personal" in err


def test_typographic_apostrophes_and_trailing_legal_forms():
    assert name_key("L’Oréal Italia S.p.A.") == name_key("L'Oreal Italia SpA")
    assert name_key("Gruppo Sa Cosmetics") == "gruppo sa cosmetics"  # legal forms only at the end
    assert name_key("Alfa S.r.l. Unipersonale") == "alfa"
