"""The formatting contract: one table of expected outputs, typed from the decided wording.

Every number and date on screen, in charts, maps and the Excel CSV comes from
beautyvalley.l10n.Formatter, so this table is the single answer to "how is X written".
The wording (see the l10n docstring): CLDR it_IT / en_GB, except Italian compact euros
with "mln"/"mld"; a no-break space (written \u00a0 below) joins a number to its unit.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from beautyvalley.l10n import Formatter, formatter, is_missing

S = "\u00a0"  # no-break space

# (method, arguments, Italian, English)
CONTRACT = [
    ("number", (1234.5, 1), "1.234,5", "1,234.5"),
    ("number", (1234.5,), "1.234", "1,234"),
    ("number", (0.5, 2), "0,50", "0.50"),
    ("number", (-0.04, 1), "0,0", "0.0"),
    ("int", (1234567,), "1.234.567", "1,234,567"),
    ("auto", (12.0,), "12", "12"),
    ("auto", (12.25,), "12,2", "12.2"),
    ("eur", (950,), f"950{S}€", "€950"),
    ("eur", (950.5,), f"950{S}€", "€950"),
    ("eur", (123_456,), f"123.456{S}€", "€123,456"),
    ("eur", (45_300_000,), f"45,3{S}mln{S}€", "€45.3M"),
    ("eur", (1.5e9,), f"1,5{S}mld{S}€", "€1.5B"),
    ("eur", (8.8e9,), f"8,8{S}mld{S}€", "€8.8B"),
    ("eur", (13e9,), f"13{S}mld{S}€", "€13B"),
    ("eur", (-2.5e6,), f"-2,5{S}mln{S}€", "-€2.5M"),
    ("percent", (66.2,), "66,2%", "66.2%"),
    ("percent", (54,), "54,0%", "54.0%"),
    ("year", (1994.0,), "1994", "1994"),
    ("value", (1994, "year"), "1994", "1994"),
    ("value", (12_345_678, "count"), "12.345.678", "12,345,678"),
    ("value", (66.2, "percent"), "66,2%", "66.2%"),
    ("value", (8.8e9, "EUR"), f"8,8{S}mld{S}€", "€8.8B"),
    ("value", (103.5, "index"), "103,5", "103.5"),
    ("value", (7, None), "7", "7"),
    ("change", (1.2e9, "EUR"), f"+1,2{S}mld{S}€", "+€1.2B"),
    ("change", (-3, "count"), "-3", "-3"),
    ("change", (0, "count"), "±0", "±0"),
    ("change", (2.1, "percent"), f"+2,1{S}p.p.", f"+2.1{S}pp"),
    ("date", ("2024-05-03",), "3 maggio 2024", "3 May 2024"),
    ("date", ("2024-05-03 14:22:10",), "3 maggio 2024", "3 May 2024"),
    ("date", ("2025-04",), "aprile 2025", "April 2025"),
    ("date", ("2024",), "2024", "2024"),
    ("date", ("2024-13",), "2024-13", "2024-13"),
    ("month", (1,), "gennaio", "January"),
    ("month", (12,), "dicembre", "December"),
    ("plain", (1234.5678,), "1234,5678", "1234.5678"),
    ("plain", (1e-7,), "0,0000001", "0.0000001"),
    ("plain", (12.0,), "12", "12"),
    ("plain", (float("nan"),), "", ""),
    ("plain", (None,), None, None),
    ("plain", (True,), True, True),
]


@pytest.mark.parametrize(("method", "args", "it", "en"), CONTRACT)
def test_formatting_contract(method, args, it, en):
    assert getattr(Formatter("it"), method)(*args) == it
    assert getattr(Formatter("en"), method)(*args) == en


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, pd.NaT, math.nan])
@pytest.mark.parametrize("method", ["number", "int", "auto", "eur", "percent", "year", "value", "change", "date"])
def test_missing_values_are_a_dash(method, missing):
    assert getattr(Formatter("it"), method)(missing) == "—"
    assert getattr(Formatter("en"), method)(missing) == "—"


def test_the_call_is_value_and_separators_follow_language():
    assert Formatter("it")(45_300_000, "EUR") == f"45,3{S}mln{S}€"
    assert Formatter("en")(54.3, "percent") == "54.3%"
    assert Formatter("it").plotly_separators == ",."
    assert Formatter("en").plotly_separators == ".,"


def test_unknown_language_is_an_error_and_formatters_are_shared():
    with pytest.raises(ValueError):
        Formatter("xx")
    assert formatter("en") is formatter("en")
    assert formatter("it") == Formatter("it") != Formatter("en")


def test_is_missing():
    assert is_missing(None) and is_missing(float("nan")) and is_missing(pd.NA)
    assert not is_missing(0) and not is_missing("") and not is_missing([None])
