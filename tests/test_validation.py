"""One test per error class (the row is rejected) and per warning class (kept, field blanked or corrected)."""
from __future__ import annotations

import pytest

from etl.registry.reading import read_table
from etl.registry.validation import validate

HEADER = "name;comune;province;vat;ateco;employees;revenue;website;lat;lon;kind\n"


@pytest.fixture
def check(tmp_path, geo_inputs):
    def run(row: str, role: str = "inbox"):
        p = tmp_path / "t.csv"
        p.write_text(HEADER + row + "\n", encoding="utf-8")
        return validate(read_table(p), geo_inputs.ctx, role=role)
    return run


def _one_error(v, field):
    assert len(v.rows) == 0, "row should be rejected"
    assert list(v.rejected["field"]) == [field]
    assert list(v.rejected["line"]) == [2]
    assert v.rejected["file"].iloc[0] == "t.csv"
    return v.rejected["reason"].iloc[0]


def _one_warning(v, field):
    assert len(v.rows) == 1 and len(v.rejected) == 0
    w = v.issues[v.issues["severity"] == "warning"]
    assert list(w["field"]) == [field]
    assert list(w["line"]) == [2]
    return w["message"].iloc[0], v.rows.iloc[0]


# ---------------------------------------------------------------- errors

def test_empty_name(check):
    assert "name is empty" in _one_error(check(";Crema;CR;;;;;;;;"), "name")


def test_comune_missing(check):
    assert "comune missing" in _one_error(check("Alfa;;CR;;;;;;;;"), "comune")


def test_comune_missing_allowed_in_curated_registry_only(check, tmp_path, geo_inputs):
    p = tmp_path / "reg.csv"
    p.write_text("name,comune,source_url\nAlfa,,https://example.org/a\n", encoding="utf-8")
    v = validate(read_table(p), geo_inputs.ctx, role="registry")
    assert len(v.rows) == 1 and v.rows["comune_code"].isna().all()


def test_comune_unknown(check):
    assert "not an Italian comune" in _one_error(check("Alfa;Atlantide;;;;;;;;;"), "comune")


def test_comune_ambiguous_lists_candidates(check):
    reason = _one_error(check("Alfa;Castro;;;;;;;;;"), "comune")
    assert "ambiguous" in reason and "Castro (BG)" in reason and "Castro (LE)" in reason


def test_ambiguous_comune_resolved_by_province(check):
    v = check("Alfa;Castro;BG;;;;;;;;")
    assert len(v.rows) == 1 and v.rows["comune_code"].iloc[0] == "016065"  # ISTAT code of Castro (BG)


def test_province_contradicts_comune(check):
    reason = _one_error(check("Alfa;Crema;MI;;;;;;;;"), "comune")
    assert "contradicts" in reason and "Crema (CR)" in reason


def test_kind_outside_vocabulary(check):
    assert "vocabulary" in _one_error(check("Alfa;Crema;CR;;;;;;;;astronave"), "kind")


def test_registry_row_without_source_url_is_rejected(tmp_path, geo_inputs):
    p = tmp_path / "reg.csv"
    p.write_text("name,comune,province,source_url\nAlfa,Crema,CR,\n", encoding="utf-8")
    v = validate(read_table(p), geo_inputs.ctx, role="registry")
    assert len(v.rows) == 0 and list(v.rejected["field"]) == ["source_url"]


def test_oversized_value_rejects_row_and_is_shown_truncated(check):
    v = check("A" * 50_000 + ";Crema;CR;;;;;;;;")
    assert len(v.rows) == 0
    assert "too long" in v.rejected["reason"].iloc[0]
    assert len(v.rejected["value"].iloc[0]) < 300


# ---------------------------------------------------------------- warnings

def test_comune_matched_approximately_names_the_correction(check):
    msg, row = _one_warning(check("Alfa;Cremma;CR;;;;;;;;"), "comune")
    assert "Crema (CR)" in msg and row["comune_code"] == "019035"


def test_fuzzy_match_only_within_the_stated_province(check):
    # "Cremma" without a province is not guessed
    assert "not an Italian comune" in _one_error(check("Alfa;Cremma;;;;;;;;;"), "comune")


def test_invalid_vat_is_dropped(check):
    msg, row = _one_warning(check("Alfa;Crema;CR;00743110158;;;;;;;"), "vat")
    assert "partita IVA" in msg and row["vat"] is None


def test_unparsable_number_is_blanked(check):
    msg, row = _one_warning(check("Alfa;Crema;CR;;;tanti;;;;;"), "employees")
    assert "not a number" in msg and row["employees"] != row["employees"]  # NaN


def test_absurd_and_negative_numbers_are_blanked(check):
    msg, row = _one_warning(check("Alfa;Crema;CR;;;-40;;;;;"), "employees")
    assert "plausible range" in msg


def test_swapped_coordinates_fall_back_to_the_comune(check):
    msg, row = _one_warning(check("Alfa;Crema;CR;;;;;;9,68;45,36;"), "lat")
    assert "swapped" in msg and row["lat"] != row["lat"]


def test_coordinates_outside_italy(check):
    msg, _ = _one_warning(check("Alfa;Crema;CR;;;;;;48,85;2,35;"), "lat")  # Paris
    assert "outside Italy" in msg


def test_coordinates_far_from_their_comune(check):
    msg, _ = _one_warning(check("Alfa;Crema;CR;;;;;;45,4642;9,19;"), "lat")  # Milan's Duomo, ~35 km away
    assert "km outside the comune" in msg


def test_coordinates_inside_their_comune_are_kept(check):
    v = check("Alfa;Crema;CR;;;;;;45,3626;9,6857;")  # Crema's centre
    assert len(v.issues) == 0 and v.rows["lat"].iloc[0] == pytest.approx(45.3626)


def test_unknown_ateco_code(check):
    msg, row = _one_warning(check("Alfa;Crema;CR;;99.99.99;;;;;;"), "ateco")
    assert "ATECO" in msg and row["ateco"] is None


def test_ateco_2007_code_is_mapped_to_2025(check):
    v = check("Alfa;Crema;CR;;204200;;;;;;")
    assert v.rows["ateco"].iloc[0] == "20.42.00" and len(v.issues) == 0


def test_website_that_is_not_a_url(check):
    msg, row = _one_warning(check("Alfa;Crema;CR;;;;;javascript:alert(1);;;"), "website")
    assert "web address" in msg and row["website"] is None


def test_formula_and_html_names_kept_as_plain_text(tmp_path, geo_inputs):
    p = tmp_path / "h.csv"
    p.write_text('name,comune\n"=HYPERLINK(""http://x"",""y"")",Crema\n<img src=x onerror=alert(1)>,Lodi\n', encoding="utf-8")
    v = validate(read_table(p), geo_inputs.ctx)
    assert list(v.rows["name"]) == ['=HYPERLINK("http://x","y")', "<img src=x onerror=alert(1)>"]


def test_three_decimal_coordinates_are_kept(check):
    v = check("Alfa;Crema;CR;;;;;;45.364;9.683;")
    assert len(v.issues) == 0 and v.rows["lat"].iloc[0] == pytest.approx(45.364)


def test_coordinate_warning_shows_the_input_as_written(check):
    msg, _ = _one_warning(check("Alfa;Crema;CR;;;;;;9,68;45,36;"), "lat")
    assert "swapped" in msg


def test_province_given_by_name(tmp_path, geo_inputs):
    p = tmp_path / "p.csv"
    p.write_text("name;comune;provincia\nA;Milano;Città metropolitana di Milano\nB;Agrate Brianza;Monza e Brianza\n"
                 "C;Crema;CREMONA (CR)\nD;Lodi;LO - Lodi\n", encoding="utf-8")
    v = validate(read_table(p), geo_inputs.ctx)
    assert v.rejected.empty, v.rejected.to_string()
    assert list(v.rows["comune_code"]) == ["015146", "108001", "019035", "098031"]


def test_typographic_apostrophe_in_a_comune(tmp_path, geo_inputs):
    p = tmp_path / "a.csv"
    p.write_text("name,comune\nA,Sant’Angelo Lodigiano\n", encoding="utf-8")
    v = validate(read_table(p), geo_inputs.ctx)
    assert v.rows["comune_code"].tolist() == ["098050"]


def test_xlsx_numbers_are_not_reread_in_italian_notation(tmp_path, geo_inputs):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ragione sociale", "Comune", "Fatturato", "Latitudine", "Longitudine"])
    ws.append(["Fixture (synthetic)", "Crema", 123.456, 45.364, 9.683])
    p = tmp_path / "n.xlsx"
    wb.save(p)
    v = validate(read_table(p), geo_inputs.ctx)
    row = v.rows.iloc[0]
    assert row["revenue_eur"] == pytest.approx(123.456)
    assert row["lat"] == pytest.approx(45.364) and row["lon"] == pytest.approx(9.683)
