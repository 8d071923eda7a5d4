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


def _luhn_digit(body: str) -> str:
    """The Luhn check digit of body, computed here by hand (not by the code under test)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:  # doubled: these are the odd positions once the check digit is appended
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return str((10 - total % 10) % 10)


VAT_SAMPLES = ["00000000000", "0000000000 0", "12345678903", "IT 123.456.789-03", "it12345678903", "n.d.", None, "",
               "RSSMRA80A01H501U", "١٢٣٤٥٦٧٨٩٠٣", "123/456", "01234567897", " 12345678903\t", "IT", "123456789012",
               "ıt12345678903", "1234567890\u00a03", "12345678904", "-", "1234567"]


def test_parse_vats_matches_parse_vat():
    import pyarrow as pa
    from stdnum.it import iva

    from etl.registry.values import parse_vat
    from etl.registry.vectorised import parse_vats

    samples = list(VAT_SAMPLES)
    for k, office in enumerate(["001", "050", "100", "101", "120", "121", "888", "999", "000", "500"]):
        body = f"{k * 1234567 + 7654321:07d}"[-7:] + office
        good = body + _luhn_digit(body)
        samples += [good, "IT" + good, good.lstrip("0") or good, body + str((int(_luhn_digit(body)) + 1) % 10)]
    assert any(parse_vat(v)[0] for v in samples) and any(parse_vat(v)[1] for v in samples)
    assert iva.is_valid("00000010017") == (parse_vat("10017")[0] is not None)
    for s in (pd.Series(samples, dtype=object), pd.Series(pa.array(samples, pa.string()), dtype=pd.ArrowDtype(pa.string()))):
        vats, msgs = parse_vats(s)
        assert list(zip(vats, msgs)) == [parse_vat(v) for v in samples]


def test_luhn_valid_matches_stdnum():
    import numpy as np
    from stdnum import luhn

    from etl.registry.vectorised import luhn_valid

    rnd = np.random.default_rng(7)
    digits = rnd.integers(0, 10, size=(5000, 11), dtype=np.uint8)
    expected = [luhn.is_valid("".join(map(str, row))) for row in digits]
    assert luhn_valid(digits).tolist() == expected
    assert 300 < sum(expected) < 700  # about one in ten passes


URL_SAMPLES = ["https://a.it", " http://www.x.com/p?q=1 ", "www.foo.it", "WWW.foo.it/a<b", "www.a.it:80", "https://a.it.",
               "https://a.it:8080/x", "ftp://a.it", "n.d.", None, "", "https://K\u212a.it", "https://a.it/\u00e8",
               "\u00a0https://a.it", "https://a.it\x1f", "https://a", 'hTTps://A-B.c/"x', "https://a.it/x y", "www.a",
               "https://a.it/ok#frag", "http://1.2.3.4/", "https://a..it", "https://-a.it", "-", "https://a.it\t",
               "javascript:alert(1)", "https://a.it/<script>", "www.ſhop.it"]


def test_parse_urls_column_matches_parse_url():
    import pyarrow as pa

    from etl.registry.values import parse_url
    from etl.registry.vectorised import parse_urls_column

    for s in (pd.Series(URL_SAMPLES, dtype=object),
              pd.Series(pa.array(URL_SAMPLES, pa.string()), dtype=pd.ArrowDtype(pa.string()))):
        urls, msgs = parse_urls_column(s)
        assert list(zip(urls, msgs)) == [parse_url(v) for v in URL_SAMPLES]
    assert parse_urls_column(pd.Series(["www.foo.it"], dtype=object))[0][0] == "https://www.foo.it"


def test_source_date_checks_match_scalar_twin():
    from etl.registry.validation import _source_date_checks, _source_date_checks_scalar
    values = [None, "2024", "2024-06", "2024-06-30", "2031", "2031-01-01", "2024-6", "24-06-2024", "202", "20245",
              "2024-06-30x", "n.d.", "", "1999-13", "2026", "2027-02"]
    sd = pd.Series(values, dtype=object)
    bad, future = _source_date_checks(sd, 2026)
    bad_s, future_s = _source_date_checks_scalar(sd, 2026)
    assert bad.tolist() == bad_s.tolist()
    assert future.tolist() == future_s.tolist()
    # written out by hand: shape YYYY, YYYY-MM or YYYY-MM-DD; future = year after 2026
    assert [v for v, b in zip(values, bad) if b] == ["2024-6", "24-06-2024", "202", "20245", "2024-06-30x", "n.d.", ""]
    assert [v for v, f in zip(values, future) if f] == ["2031", "2031-01-01", "2027-02"]
    # Unicode digits go to the scalar twin (Python's \d accepts them)
    sd_u = pd.Series(["٢٠٢٤", "2024"], dtype=object)
    assert [x.tolist() for x in _source_date_checks(sd_u, 2026)] == \
        [x.tolist() for x in _source_date_checks_scalar(sd_u, 2026)]


# ---------------------------------------------------------------- issue 15: the kernels added for the batched build

def test_squeeze_non_alnum_matches_the_regular_expression():
    import random

    import pyarrow as pa
    import pyarrow.compute as pc

    from etl.registry.vectorised import squeeze_non_alnum

    rnd = random.Random(3)
    chars = "az09 .-_,;!\t'"
    values = ["".join(rnd.choice(chars) for _ in range(rnd.randint(0, 14))) for _ in range(5000)]
    values += ["", " ", "..", "a", "a.", ".a", "a..b", "  a  b  ", "0", "--", "a b", "ab"]
    arr = pa.array(values, type=pa.large_string())
    for a in (arr, arr.slice(5, 700), arr.slice(0, 0), pa.array(["", ""], type=pa.large_string()),
              pa.array(values, type=pa.string())):
        expected = pc.replace_substring_regex(a, r"[^a-z0-9]+", " ").to_pylist()
        assert squeeze_non_alnum(a).to_pylist() == expected


def test_distinct_settles_repeated_columns_once_per_value():
    from etl.registry.vectorised import distinct

    assert distinct(pd.Series(["a", "b", "c"], dtype=object)) is None  # no repeats: the row kernels run
    uniq, codes = distinct(pd.Series(["a", None, "b", "a", "a", None], dtype=object))
    assert uniq.tolist() == ["a", "b"] and codes.tolist() == [0, -1, 1, 0, 0, -1]


def test_per_distinct_kernels_match_scalar_twins_on_repeated_values():
    import pyarrow as pa

    # every sample three times, so the per-distinct path is taken, as plain objects and as an Arrow column
    values = SAMPLES * 3 + [None] * 5
    for s in (pd.Series(values, dtype=object),
              pd.Series(pa.array(values, pa.string()), dtype=pd.ArrowDtype(pa.string()))):
        assert clean_texts(s).tolist() == [clean_text(v) for v in values]
        for coordinate in (False, True):
            got, msgs = parse_numbers(s, coordinate=coordinate)
            for v, g, m in zip(values, got, msgs):
                exp, exp_msg = parse_number(v, coordinate=coordinate)
                assert (math.isnan(g) if exp is None else g == exp), v
                assert m == exp_msg, v


def test_closed_by_name_prefilter_matches_the_regex_on_every_row():
    from etl.registry.validation import _closed_by_name, _closed_by_name_regex
    from etl.registry.values import status_from_name

    names = ["SYNTHETIC Alfa in  liquidazione", "SYNTHETIC in\tfallimento Beta", "SYNTHETIC LIQUIDAZIONE",
             "SYNTHETIC Fallimentoxx", "SYNTHETIC xfallimento", "SYNTHETIC (fallimento)", "in liquidazione",
             "SYNTHETIC Inliquidazione", None, "", "SYNTHETIC Gamma", "SYNTHETIC FALLIMENTO", "SYNTHETIC ìn liquidazione",
             "SYNTHETIC In Liquidazione S.r.l."] * 2
    s = pd.Series(names, dtype=object)
    got = _closed_by_name(s).tolist()
    assert got == _closed_by_name_regex(s).tolist()
    # 'ìn liquidazione': the scalar twin folds the accent away, the column kernel (before and after the
    # pre-filter) does not; the two agree on every other name
    plain = [k for k, n in enumerate(names) if n is None or n.isascii()]
    assert [got[k] for k in plain] == [status_from_name(names[k]) == "closed" for k in plain]
    assert sum(got) >= 8


def test_site_labels_from_duckdb_codes_match_site_labels():
    """The build's labelling (integer codes read from staging.registry_rows) against merging.site_labels on the
    same rows, with local units with and without an address and rows without a comune."""
    import duckdb
    import numpy as np

    from etl.build import _label_sites
    from etl.registry import merging
    from etl.sqlfiles import sql

    rows = pd.DataFrame({
        "vat": ["01", "01", None, None, "02", "02", "02", None, "03", None, "01"],
        "name": ["SYNTHETIC A", "SYNTHETIC A srl", "SYNTHETIC B", "SYNTHETIC B", "SYNTHETIC C", "SYNTHETIC C",
                 "SYNTHETIC C", "SYNTHETIC D", "SYNTHETIC E", "SYNTHETIC B", "SYNTHETIC A"],
        "comune_code": ["019035", "019035", "098031", "098031", "019035", "019035", "019035", None, None, "098031",
                        "015146"],
        "site_role": [None, None, None, "local_unit", "local_unit", "local_unit", None, None, None, "local_unit", None],
        "address": [None, None, None, None, "Via Uno 1", "via  uno, 1", "Via Due", None, None, "Via Tre", None],
    })
    rows["name_key"] = merging.add_name_keys(rows)
    rows["site_key"] = merging.site_keys(rows)
    expected = merging.site_labels(rows)
    con = duckdb.connect()
    con.execute("CREATE SCHEMA staging")
    con.execute(sql("ddl/staging_registry_rows.sql"))
    con.register("v", rows.assign(label=np.arange(len(rows)), src_order=1, line=np.arange(len(rows)) + 2))
    con.execute("INSERT INTO staging.registry_rows BY NAME SELECT label, src_order, line, vat, name, name_key, "
                "comune_code, site_role, address FROM v")
    _label_sites(con)
    got = [r[0] for r in con.execute("SELECT label FROM staging.registry_rows ORDER BY line").fetchall()]
    assert got == expected.tolist()
    assert got[1] == 0 and got[5] == 4 and got[6] != 4 and got[3] == 2 and got[9] == 9  # checked by hand


def test_string_lists_match_a_plain_conversion():
    import pyarrow as pa

    from etl.build import _string_lists

    shared = ["cosmetics", "packaging"]
    values = pd.Series([shared, None, [], shared, ["x"], float("nan"), ["x"]], dtype=object)
    got = _string_lists(values)
    assert got.type == pa.list_(pa.string())
    assert got.to_pylist() == [shared, [], [], shared, ["x"], [], ["x"]]
    assert _string_lists(pd.Series([], dtype=object)).to_pylist() == []
