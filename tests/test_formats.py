"""Issue 9: imports that survive the cluster's real files. One test per rule, on the four SYNTHETIC sample
formats in tests/samples/formats/ (AIDA, Chamber of Commerce list, Registro Imprese extract, member list).
Expected values are read from the sample files themselves with openpyxl/csv, never from the code under test."""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from etl import paths
from etl.build import build_warehouse, load_inputs, read_and_validate
from etl.registry.headers import describe_header
from etl.registry.reading import read_table
from etl.registry.values import parse_employee_class, parse_status

from .fixtures import FIXTURE_INDICATORS, FIXTURE_REGISTRY

ROOT = Path(__file__).resolve().parent.parent
FORMATS = Path(__file__).resolve().parent / "samples" / "formats"
AIDA = FORMATS / "aida_export.xlsx"
CHAMBER = FORMATS / "elenco_camera_commercio.csv"
REGISTRO = FORMATS / "registro_imprese_estrazione.xlsx"
SOCI = FORMATS / "elenco_soci.xlsx"
SAMPLES = [AIDA, CHAMBER, REGISTRO, SOCI]


@pytest.fixture(scope="module")
def ctx():
    return load_inputs().ctx


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """A warehouse built from the fixture registry and an inbox holding the four samples (and the sidecar)."""
    d = tmp_path_factory.mktemp("mixed")
    inbox = d / "inbox"
    inbox.mkdir()
    for p in FORMATS.iterdir():
        if p.suffix in (".xlsx", ".csv", ".toml"):
            shutil.copy(p, inbox / p.name)
    res = build_warehouse(d / "w.duckdb", inbox, registry=FIXTURE_REGISTRY, indicators_csv=FIXTURE_INDICATORS)
    return res, duckdb.connect(str(res.db_path), read_only=True)


def _org(con, name_like: str) -> pd.DataFrame:
    return con.execute("SELECT * FROM mart.organisations WHERE name LIKE ? ORDER BY org_id", [name_like]).df()


def _sheet_rows(path: Path) -> list[tuple]:
    wb = openpyxl.load_workbook(path, data_only=False)
    return list(wb.worksheets[0].iter_rows(values_only=True))


# ---------------------------------------------------------------- rule 1: header vocabulary, units, years

def test_rule1_aida_headers_units_and_earlier_years(mixed):
    res, con = mixed
    rows = _sheet_rows(AIDA)
    header = rows[0]
    aurora = rows[1]
    col = {h: i for i, h in enumerate(header)}
    org = _org(con, "SYNTHETIC AURORA%").iloc[0]
    # 'migl EUR' in the header: ×1,000
    assert org["revenue_eur"] == aurora[col["Ricavi delle vendite\nmigl EUR\nUltimo anno disp."]] * 1000
    assert org["employees"] == aurora[col["Dipendenti\nUltimo anno disp."]]
    assert org["revenue_year"] == aurora[col["Ultimo anno disp."]] == org["employees_year"]
    assert org["ateco"].replace(".", "").startswith(str(aurora[col["ATECO 2007\ncodice"]])[:4])
    # Anno - 1 / Anno - 2: earlier years of the same figure, year from 'Ultimo anno disp.'
    hist = con.execute("SELECT year, value::DOUBLE FROM mart.field_provenance WHERE org_id = ? AND field = 'revenue_eur' "
                       "ORDER BY year", [org["org_id"]]).fetchall()
    last = aurora[col["Ultimo anno disp."]]
    assert (last - 1, aurora[col["Ricavi delle vendite\nmigl EUR\nAnno - 1"]] * 1000) in hist
    assert (last - 2, aurora[col["Ricavi delle vendite\nmigl EUR\nAnno - 2"]] * 1000) in hist
    rep = next(r for r in res.files if r.file.endswith(AIDA.name))
    assert any("×1,000" in u and "migl EUR" in u for u in rep.units)


@pytest.mark.parametrize("header,field", [
    ("Dipendenti\nUltimo anno disp.", "employees"), ("DIPENDENTI\r\nultimo anno disp.", "employees"),
    ("ATECO 2007\ncodice", "ateco"), ("DENOMINAZIONE - Denominazione dell'impresa", "name"),
    ("XYZ - Denominazione dell'impresa", "name"), ("PRV - qualcosa", "province"), ("Città", "comune"),
    ("Ricavi delle vendite\nmil EUR\nAnno - 2", "revenue_eur_y2"),
])
def test_rule1_header_forms(header, field):
    assert describe_header(header).field == field


@pytest.mark.parametrize("header,scale", [("Fatturato (migliaia €)", 1e3), ("Ricavi\nmil EUR", 1e6),
                                          ("Fatturato (mln €)", None), ("Fatturato (€)", 1.0)])
def test_rule1_unit_scales(header, scale):
    spec = describe_header(header)
    if scale is None:  # an alias of its own: revenue in millions
        assert spec.field == "revenue_meur"
    else:
        assert spec.scale == scale


def test_rule1_units_row_scales_member_list_and_does_not_overwrite(mixed):
    _, con = mixed
    rows = _sheet_rows(SOCI)
    units = rows[3]
    assert "migliaia" in units[5]
    pioppo = next(r for r in rows if r[1] and "PIOPPO" in str(r[1]))
    org = _org(con, "SYNTHETIC PIOPPO%").iloc[0]
    assert org["revenue_eur"] == float(pioppo[5].replace(".", "")) * 1000
    # the fixture firm in the member list keeps the curated revenue (same value once scaled)
    reg = pd.read_csv(FIXTURE_REGISTRY)
    alfa = reg[reg.org_id == "fx-alfa-crema"].iloc[0]
    got = _org(con, "Fixture Alfa%").set_index("org_id").loc["fx-alfa-crema"]
    assert got["revenue_eur"] == alfa["revenue_meur"] * 1e6
    assert got["revenue_year"] == alfa["revenue_year"]  # a merge never drops the year of the value it keeps


# ---------------------------------------------------------------- rule 2: every column accounted for

def test_rule2_unmapped_columns_listed_and_strict_fails():
    r = subprocess.run([sys.executable, "-m", "etl", "validate", "--strict", str(AIDA)], capture_output=True,
                       text=True, cwd=ROOT)
    assert r.returncode == 1
    assert "EBITDA" in r.stdout and "not loaded" in r.stdout
    ok = subprocess.run([sys.executable, "-m", "etl", "validate", "--strict", "--map",
                         "EBITDA\nmigl EUR\nUltimo anno disp.=ignore", str(AIDA)], capture_output=True, text=True, cwd=ROOT)
    assert "not loaded: none" in ok.stdout, ok.stdout


def test_rule2_sidecar_mapping_used_and_reported(tmp_path, ctx):
    src = tmp_path / "soci.csv"
    src.write_text("Ragione sociale;Comune;Dipendenti 2025\nSYNTHETIC Uno SRL;Crema;12\n", encoding="utf-8")
    _, v, rep = read_and_validate(src, ctx, "inbox")
    assert "Dipendenti 2025" in rep.unmapped and v.rows["employees"].isna().all()
    (tmp_path / "soci.csv.mapping.toml").write_text('"Dipendenti 2025" = "employees"\n', encoding="utf-8")
    _, v, rep = read_and_validate(src, ctx, "inbox")
    assert rep.unmapped == [] and rep.mapping_source == "soci.csv.mapping.toml"
    assert v.rows["employees"].tolist() == [12] and v.rows["employees_year"].tolist() == [2025]


def test_rule2_bad_mapping_is_a_clear_error(tmp_path, ctx):
    src = tmp_path / "x.csv"
    src.write_text("Ragione sociale;Comune\nSYNTHETIC Uno;Crema\n", encoding="utf-8")
    (tmp_path / "x.csv.mapping.toml").write_text('"Comune" = "town_of_birth"\n', encoding="utf-8")
    table, _, rep = read_and_validate(src, ctx, "inbox")
    assert table is None and "town_of_birth" in rep.error


# ---------------------------------------------------------------- rule 3: head-count classes

@pytest.mark.parametrize("text,lo,hi", [("0-9", 0, 9), ("10-49", 10, 49), ("da 10 a 49", 10, 49),
                                         ("250 e oltre", 250, None), ("250+", 250, None)])
def test_rule3_class_parser(text, lo, hi):
    assert parse_employee_class(text)[:3] == (lo, hi, text)


def test_rule3_classes_stored_as_ranges_never_numbers(mixed):
    _, con = mixed
    with open(CHAMBER, encoding="cp1252") as f:
        rows = list(csv.reader(f, delimiter=";"))[4:]
    fiora = next(r for r in rows if "FIORA" in r[3])
    org = _org(con, "SYNTHETIC FIORA%").iloc[0]
    assert fiora[11] == "250 e oltre"
    assert org["employees_class"] == "250 e oltre" and org["employees_min"] == 250 and pd.isna(org["employees_max"])
    assert pd.isna(org["employees"])
    pioppo = _org(con, "SYNTHETIC PIOPPO%").iloc[0]  # '250+' in a head-count column is a class, not 250
    assert pd.isna(pioppo["employees"]) and pioppo["employees_min"] == 250 and pioppo["employees_class"] == "250+"


# ---------------------------------------------------------------- rule 4: province columns

def test_rule4_province_resolves_ambiguous_and_contradiction_names_both(mixed):
    _, con = mixed
    borea = _org(con, "SYNTHETIC BOREA%").iloc[0]  # 'Castro' + 'Bergamo' (full name)
    assert borea["province"] == "BG" and borea["comune"] == "Castro"
    rej = con.execute("SELECT file, reason FROM staging.rejected_rows WHERE file LIKE 'inbox/%'").fetchall()
    aida_rej = [r for f, r in rej if f.endswith(AIDA.name)]
    assert len(aida_rej) == 1 and "LO" in aida_rej[0] and "Crema (CR)" in aida_rej[0]
    assert any("BG" in r and "Crema (CR)" in r for f, r in rej if f.endswith(REGISTRO.name))


# ---------------------------------------------------------------- rule 5: merged comuni

def test_rule5_merged_comuni_mapped_with_warning(mixed):
    _, con = mixed
    cirro = _org(con, "SYNTHETIC CIRRO%").iloc[0]
    assert cirro["comune"] == "Castelgerundo"
    msg = con.execute("SELECT message FROM staging.load_issues WHERE value = 'Cavacurta'").fetchone()[0]
    assert "Cavacurta" in msg and "Castelgerundo" in msg and "2018" in msg
    assert _org(con, "SYNTHETIC GAIA%").iloc[0]["comune"] == "Piadena Drizzona"
    assert _org(con, "SYNTHETIC NOVA%").iloc[0]["comune"] == "Vermezzo con Zelo"
    assert _org(con, "SYNTHETIC MIRA%").iloc[0]["comune"] == "Torre de' Picenardi"


def test_rule5_successor_not_unique_names_candidates(ctx):
    from etl.registry.places import PlaceIndex

    geo = load_inputs().geo
    mergers = pd.DataFrame([
        {"deleted_name": "Testville", "deleted_province": "CR", "successor_code": "019035", "year": "2020"},
        {"deleted_name": "Testville", "deleted_province": "LO", "successor_code": "098031", "year": "2021"},
    ])
    pl = PlaceIndex(geo.comuni, mergers)
    r = pl.resolve("Testville", None)
    assert r.code is None and "Crema (CR)" in r.error and "Lodi (LO)" in r.error
    assert pl.resolve("Testville", "LO").code == "098031"


def test_rule5_merger_table_sourced_and_matches_anpr_deletion_dates():
    import codicefiscale

    anpr = json.loads((Path(codicefiscale.__file__).parent / "data" / "municipalities.json").read_text(encoding="utf-8"))
    by_code = {m["code"]: m for m in anpr}
    table = pd.read_csv(paths.MERGERS_CSV, dtype=str, keep_default_na=False)
    comuni = load_inputs().geo.comuni.set_index("comune_code")
    assert len(table) >= 7
    for r in table.itertuples():
        assert r.source_url.startswith("https://"), r
        m = by_code[r.deleted_cadastral_code]
        assert m["province"] == r.deleted_province and not m["active"], r
        deleted = datetime.fromisoformat(m["date_deleted"])
        # the successor exists from the day after the deletion: the table's year is that day's year
        assert (deleted.year + (1 if (deleted.month, deleted.day) == (12, 31) else 0)) == int(r.year), r
        assert comuni.at[r.successor_code, "name"] == r.successor_name, r
        assert r.successor_code[:3] == comuni.index[comuni.index == r.successor_code][0][:3]


# ---------------------------------------------------------------- rule 6: sede and unità locale

def test_rule6_local_units_are_own_sites_head_office_never_moves(mixed):
    _, con = mixed
    with open(CHAMBER, encoding="cp1252") as f:
        rows = [r for r in list(csv.reader(f, delimiter=";"))[4:] if "ELIO" in r[3]]
    sites = _org(con, "SYNTHETIC ELIO%")
    assert len(sites) == len(rows) == 3  # SEDE in Crema, two UL in Lodi at different addresses
    hq = sites[sites.site_type == "hq"].iloc[0]
    assert hq["comune"] == "Crema"
    uls = sites[sites.site_type == "local_unit"]
    assert set(uls["comune"]) == {"Lodi"} and len(uls) == 2
    assert (uls["figure_scope"] == "company").all()  # a UL's head count is the company's
    assert sites["group_id"].nunique() == 1
    luna = _org(con, "SYNTHETIC LUNA%")  # Registro Imprese: SE in Lodi, UL in Crema
    assert sorted(luna["comune"]) == ["Crema", "Lodi"]
    assert luna.set_index("site_type").loc["hq", "comune"] == "Lodi"


# ---------------------------------------------------------------- rule 7: comune written with its province

@pytest.mark.parametrize("text", ["LODI - LO", "Lodi (LO)", "LODI LO"])
def test_rule7_comune_with_province(ctx, text):
    r = ctx.places.resolve(text, None)
    assert r.code == "098031" and r.error is None


# ---------------------------------------------------------------- rule 8: layout rows and merged cells

def test_rule8_layout_rows_skipped_counted_and_merged_values_fill_down(mixed):
    res, con = mixed
    rep = next(r for r in res.files if r.file.endswith(SOCI.name))
    reasons = dict(rep.skipped)
    assert reasons == {4: "units row", 5: "section row", 9: "section row", 11: "totals row"}
    # Crema is merged over C6:C8: the three members are all in Crema
    wb = openpyxl.load_workbook(SOCI)
    assert "C6:C8" in {str(m) for m in wb.worksheets[0].merged_cells.ranges}
    for n in ("SYNTHETIC PIOPPO%", "SYNTHETIC QUERCIA%"):
        assert _org(con, n).iloc[0]["comune"] == "Crema"
    lf = con.execute("SELECT rows_skipped, skipped_reasons FROM meta.load_files WHERE file LIKE '%elenco_soci.xlsx'").fetchone()
    assert lf[0] == 4 and "totals row: 1" in lf[1]


def test_accounting_identity_for_every_sample_file(mixed):
    _, con = mixed
    rows = con.execute("SELECT file, rows_in, rows_loaded, rows_merged, rows_rejected, rows_skipped FROM meta.load_files "
                       "WHERE file LIKE 'inbox/%'").fetchall()
    assert {r[0].removeprefix("inbox/") for r in rows} == {p.name for p in SAMPLES}
    for f, n_in, loaded, merged, rejected, skipped in rows:
        assert n_in == loaded + merged + rejected + skipped, f
    # rows_in is every non-blank row below the header, counted independently here
    with open(CHAMBER, encoding="cp1252") as fh:
        n_chamber = sum(1 for ln in fh.read().splitlines()[4:] if ln.strip())
    soci = [r for r in _sheet_rows(SOCI)[3:] if any(c not in (None, "") for c in r)]
    got = {r[0].removeprefix("inbox/"): r[1] for r in rows}
    assert got[CHAMBER.name] == n_chamber and got[SOCI.name] == len(soci)


# ---------------------------------------------------------------- rule 9: status

@pytest.mark.parametrize("text,status", [("cessata", "closed"), ("INATTIVA", "closed"), ("in liquidazione", "closed"),
                                          ("fallita", "closed"), ("ATTIVA", "active"), ("in costruzione", "planned")])
def test_rule9_status_words(text, status):
    assert parse_status(text)[0] == status


def test_rule9_closed_firms_kept_with_status(mixed):
    _, con = mixed
    rows = _sheet_rows(REGISTRO)[1:]
    states = {r[1]: r[11] for r in rows}
    for name, state in states.items():
        org = _org(con, name)
        if len(org):  # one row is rejected (province contradicts comune)
            assert org.iloc[0]["status"] == ("active" if state == "ATTIVA" else "closed"), name


def test_rule9_curated_registry_has_status_and_research_rows():
    reg = pd.read_csv(paths.REGISTRY_CSV, dtype=str, keep_default_na=False)
    assert set(reg["status"]) <= {"active", "closed", "planned"} and (reg["status"] != "").all()
    research = pd.read_csv(ROOT.parent / "shared" / "data" / "organisations_research_2.csv", dtype=str, keep_default_na=False) \
        if (ROOT.parent / "shared" / "data" / "organisations_research_2.csv").exists() else None
    closed = reg[reg["status"] == "closed"]
    assert len(closed) >= 5 and closed["note"].str.startswith("CLOSED").all()
    if research is not None:
        assert set(research["name"]) <= set(reg["name"])


# ---------------------------------------------------------------- rule 10: nothing overwrites silently

def test_rule10_tenfold_conflict_warns_and_keeps_both(tmp_path):
    reg = pd.read_csv(FIXTURE_REGISTRY)
    alfa = reg[reg.org_id == "fx-alfa-crema"].iloc[0]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    wrong = alfa["revenue_meur"] * 1e6 / 1000  # the same figure read as euro instead of thousands
    (inbox / "soci.csv").write_text(f"Ragione sociale;Comune;Fatturato\n{alfa['name']};{alfa['comune']};{wrong:.0f}\n",
                                    encoding="utf-8")
    res = build_warehouse(tmp_path / "w.duckdb", inbox, registry=FIXTURE_REGISTRY, indicators_csv=FIXTURE_INDICATORS)
    con = duckdb.connect(str(res.db_path), read_only=True)
    shown = con.execute("SELECT revenue_eur, revenue_year FROM mart.organisations WHERE org_id = 'fx-alfa-crema'").fetchone()
    assert shown == (alfa["revenue_meur"] * 1e6, alfa["revenue_year"])  # the curated value is kept, with its year
    msg = con.execute("SELECT message FROM staging.load_issues WHERE message LIKE 'values differ by a factor%'").fetchall()
    assert len(msg) == 1 and f"{wrong:,.0f}" in msg[0][0] and f"{alfa['revenue_meur'] * 1e6:,.0f}" in msg[0][0]
    prov = con.execute("SELECT value::DOUBLE, file, shown FROM mart.field_provenance WHERE org_id = 'fx-alfa-crema' "
                       "AND field = 'revenue_eur' ORDER BY file").fetchall()
    assert prov == [(alfa["revenue_meur"] * 1e6, "fixture_registry.csv", True), (wrong, "inbox/soci.csv", False)]


# ---------------------------------------------------------------- the per-file report

def test_build_cli_report_per_file(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(FORMATS, inbox, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    r = subprocess.run([sys.executable, "-m", "etl", "build", "--quiet", "--db", str(tmp_path / "w.duckdb"), "--inbox",
                        str(inbox), "--registry", str(FIXTURE_REGISTRY), "--indicators", str(FIXTURE_INDICATORS)],
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr
    out = " ".join(r.stdout.split())
    for p in SAMPLES:
        assert f"inbox/{p.name}:" in out
    assert "mapped columns:" in out and "not loaded: 'EBITDA" in out
    assert "units applied: revenue_eur ×1,000 (migl EUR)" in out
    assert "mapping used: elenco_soci.xlsx.mapping.toml" in out
    assert "skipped (layout rows): units row: 1; section row: 2; totals row: 1" in out
    assert "rejected: 1 × province LO contradicts comune" in out and "(line 5)" in out
    assert "row warnings by field" in out and "comune: 1" in out


def test_samples_are_synthetic():
    for p in SAMPLES:
        if p.suffix == ".xlsx":
            t = read_table(p)
            names = t.columns["name"]
        else:
            with open(p, encoding="cp1252") as f:
                names = [r[3] for r in list(csv.reader(f, delimiter=";"))[4:]]
        assert all("SYNTHETIC" in n or "synthetic" in n for n in names if n), p


# ---------------------------------------------------------------- app: status filter, classes, provenance

@pytest.fixture()
def mixed_app_db(mixed, monkeypatch):
    res, _ = mixed
    monkeypatch.setenv("BEAUTYVALLEY_DB", str(res.db_path))
    return res.db_path


def _run(query_params=None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    if query_params:
        at.query_params.update(query_params)
    return at.run()


def _metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def test_app_overview_active_by_default_status_filter_shows_others(mixed_app_db):
    from beautyvalley import i18n

    with duckdb.connect(str(mixed_app_db), read_only=True) as con:
        count = lambda extra: con.execute(  # noqa: E731
            "SELECT count(DISTINCT group_id) FROM mart.organisations WHERE province IN ('CR','LO','MI','BG') " + extra
        ).fetchone()[0]
        active, every = count("AND status = 'active'"), count("")
        hidden = con.execute("SELECT count(*) FROM mart.organisations WHERE status <> 'active'").fetchone()[0]
        class_only = con.execute("""SELECT count(DISTINCT group_id) FROM mart.organisations
            WHERE kind = 'company' AND status = 'active' AND province IN ('CR','LO','MI','BG')
              AND employees_class IS NOT NULL AND group_id NOT IN (SELECT group_id FROM mart.organisations
                  WHERE employees IS NOT NULL AND status = 'active' AND province IN ('CR','LO','MI','BG'))""").fetchone()[0]
    assert hidden > 0 and active < every and class_only > 0
    label = i18n.t("overview.organisations", lang="it")
    at = _run()
    assert not at.exception
    assert _metric(at, label) == i18n.fmt_int(active, "it")
    captions = " ".join(c.value for c in at.caption)
    assert i18n.t("overview.active_only", lang="it", n=i18n.fmt_int(hidden, "it")) in captions
    assert i18n.t("overview.class_known", lang="it", n=i18n.fmt_int(class_only, "it")) in captions
    at = _run({"status": "all"})
    assert not at.exception and _metric(at, label) == i18n.fmt_int(every, "it")
    at = _run({"status": "bogus"})
    assert not at.exception and _metric(at, label) == i18n.fmt_int(active, "it")  # invalid -> default, with a notice
    assert any("bogus" in w.value for w in at.warning)


def test_provenance_table_lists_shown_and_other_values(mixed):
    from beautyvalley import i18n
    from beautyvalley.provenance import provenance_table

    _, con = mixed
    df = con.execute("SELECT field, value, year, source, file, line, shown FROM mart.field_provenance "
                     "WHERE org_id = 'fx-alfa-crema' ORDER BY field, shown DESC").df()
    out = provenance_table(df, "en")
    assert len(out) == len(df)
    emp = out[out["Field"] == i18n.column_label("employees", "en")]
    assert set(emp["Use"]) == {"shown", "other value seen"}
    assert set(emp["Year"]) == {str(y) for y in df[df.field == "employees"]["year"]}
    it = provenance_table(df, "it")
    assert "mostrato" in set(it["Uso"])


def test_closed_by_name_kernel_matches_scalar_twin():
    from etl.registry.validation import _closed_by_name
    from etl.registry.values import status_from_name

    names = ["SYNTHETIC Alfa SRL in liquidazione", "SYNTHETIC Beta SPA", "SYNTHETIC Gamma SNC IN LIQUIDAZIONE",
             "SYNTHETIC Liquidazioni Delta", "SYNTHETIC Epsilon in fallimento", None, "", "SYNTHETIC fallimento Zeta",
             "SYNTHETIC Riinliquidazione"]
    got = _closed_by_name(pd.Series(names, dtype=object)).tolist()
    assert got == [status_from_name(n) == "closed" for n in names]
    assert got[:3] == [True, False, True]
