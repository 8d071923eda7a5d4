"""The column-at-a-time parsers agree with their scalar twins on every kind of value."""
from __future__ import annotations

import math

import pandas as pd

from etl.registry.values import clean_text, name_key, parse_number
from etl.registry.vectorised import clean_texts, name_keys, parse_numbers

SAMPLES = ["  Alfa   S.r.l. ", "n.d.", None, "-", "—", "Società Bèlla S.p.A.", "ANCOROTTI COSMETICS SPA", "Alfa s.a.s.",
           "<img src=x>", "1.234.567,89", "12,5", "abc", "1,234", "-5", "3e6", "€ 1.000", "1 234", "", "1.5",
           "-1.234,5", "1.2.3", "1,234,567.89", "80.000.000", "(12)", "N/A", "Crème  Brûlée\tLab", "12,5 %"]


def test_clean_texts_matches_clean_text():
    s = pd.Series(SAMPLES, dtype=object)
    assert clean_texts(s).tolist() == [clean_text(v) for v in SAMPLES]


def test_name_keys_match_name_key():
    s = pd.Series([v or "" for v in SAMPLES], dtype=object)
    assert name_keys(s).tolist() == [name_key(v or "") for v in SAMPLES]


def test_parse_numbers_matches_parse_number():
    values, msgs = parse_numbers(pd.Series(SAMPLES, dtype=object))
    for v, got, msg in zip(SAMPLES, values, msgs):
        exp, exp_msg = parse_number(v)
        if exp is None:
            assert math.isnan(got), v
        else:
            assert got == exp, v
        assert msg == exp_msg, v
