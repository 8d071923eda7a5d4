"""ETL message codes (etl/messages.py): every code has its text in both catalogues with the same
placeholders, an English message is recognised back into its code and params, every message the
validation writes on the sample files has a code, and the Sources page and the desk's check show the
messages in the interface language (English for a message without a code)."""
from __future__ import annotations

import json
import re
import string
from pathlib import Path

import duckdb
import pytest
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from beautyvalley import i18n
from beautyvalley.desk import checking, uploads
from etl import messages
from tests.desk_helpers import EDITOR, SAMPLES, make_desk

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_FILES = sorted(p for p in (ROOT / "tests" / "samples").rglob("*")
                      if p.suffix.lower() in (".csv", ".xlsx") and not p.name.endswith(".mapping.toml"))
# the bad partita IVA of the fixture inbox (tests/samples/fixture_inbox/soci_export_cp1252.csv, line 4)
VAT_IT = "'12345678901' non è una partita IVA valida (cifra di controllo o lunghezza); scartata"
VAT_EN = "'12345678901' is not a valid partita IVA (checksum or length); dropped"


def po_texts(lang: str) -> dict[str, str]:
    path = ROOT / "beautyvalley" / "locales" / lang / "LC_MESSAGES" / "beautyvalley.po"
    with path.open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id}


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def codes_in_source() -> set[str]:
    """Every code the ETL's code writes with messages.text(...) / msg_text(...), read from the source."""
    found = set()
    for p in (ROOT / "etl").rglob("*.py"):
        found |= set(re.findall(r"""(?:msg_text|messages\.text)\(\s*["'](\w+)["']""", p.read_text(encoding="utf-8")))
    return found


def test_every_code_has_both_texts_with_the_templates_placeholders():
    it, en = po_texts("it"), po_texts("en")
    assert len(messages.MESSAGES) >= 40
    for code, template in messages.MESSAGES.items():
        key = f"etl.{code}"
        assert it.get(key) and en.get(key), key
        assert fields(it[key]) == fields(en[key]) == fields(template), key


def test_codes_written_in_the_source_are_declared():
    used = codes_in_source()
    assert {"name_empty", "out_of_range", "file_unreadable", "coordinates_outside_comune"} <= used
    assert used <= set(messages.MESSAGES), used - set(messages.MESSAGES)


@pytest.mark.parametrize("code", list(messages.MESSAGES))
def test_an_english_message_is_recognised_back_into_its_code_and_params(code):
    # values with quotes, semicolons and the template's own words, to catch a greedy or ambiguous pattern
    sample = {f: f"O'Reilly \"{i}\"; dropped, is {code}" for i, f in enumerate(messages.placeholders(code))}
    english = messages.text(code, **sample)
    found, params = messages.describe(english)
    assert found == code
    expected = {f: (repr(v) if "{" + f + "!r}" in messages.MESSAGES[code] else v) for f, v in sample.items()}
    assert json.loads(params) == expected
    # the English catalogue text filled with those params gives the build's message back
    assert po_texts("en")[f"etl.{code}"].format(**json.loads(params)) == english


def test_an_unknown_message_has_no_code_and_shows_in_english():
    assert messages.describe("something the templates do not know") == (None, None)
    assert i18n.etl_message(None, None, "as written", "it") == "as written"
    assert i18n.etl_message("no_such_code", "{}", "as written", "it") == "as written"
    assert i18n.etl_message("out_of_range", '{"value": "5"}', "as written", "it") == "as written"  # params missing


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_message_the_validation_writes_on_the_samples_has_a_code(path):
    from etl.build import load_inputs, read_and_validate

    _, v, _ = read_and_validate(path, load_inputs().ctx, "registry" if "registry" in path.name else "inbox")
    if v is None:
        return
    for frame, col in ((v.issues, "message"), (v.rejected, "reason")):
        uncoded = frame.loc[frame["code"].isna(), col].tolist()
        assert not uncoded, uncoded
        for code, params, english in zip(frame["code"], frame["params"], frame[col]):
            # the English text of the code, filled with the params, is the build's message
            assert po_texts("en")[f"etl.{code}"].format(**json.loads(params)) == english


def test_warehouse_rows_carry_codes(fixture_db):
    with duckdb.connect(str(fixture_db), read_only=True) as con:
        vat = con.execute("SELECT code, params FROM staging.load_issues WHERE message = ?", [VAT_EN]).fetchall()
        rej = con.execute("SELECT count(*), count(code) FROM staging.rejected_rows").fetchone()
    assert vat == [("vat_checksum_dropped", json.dumps({"value": "'12345678901'"}))]
    assert rej[0] > 0 and rej[1] == rej[0]


@pytest.mark.parametrize("lang, shown, hidden", [("it", VAT_IT, VAT_EN), ("en", VAT_EN, VAT_IT)])
def test_sources_page_shows_the_etl_messages_in_the_interface_language(fixture_db, monkeypatch, lang, shown, hidden):
    monkeypatch.setenv("BEAUTYVALLEY_DB", str(fixture_db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("app_pages/sources.py").run()
    assert not at.exception, at.exception
    frames = [d.value for d in at.dataframe]
    issues = next(f for f in frames if "message" in f.columns and "severity" in f.columns)
    assert shown in set(issues["message"]) and hidden not in set(issues["message"])
    assert "code" not in issues.columns and "params" not in issues.columns
    rejected = next(f for f in frames if "reason" in f.columns)
    with duckdb.connect(str(fixture_db), read_only=True) as con:
        n_rej = con.execute("SELECT count(*) FROM staging.rejected_rows").fetchone()[0]
    assert len(rejected) == n_rej


def test_desk_check_of_a_bad_file_shows_italian_in_italian(tmp_path, fixture_db, monkeypatch):
    cfg, store = make_desk(tmp_path, fixture_db, monkeypatch)
    data = (SAMPLES / "nuovi_soci.csv").read_bytes()
    chk = uploads.check_upload(data, "nuovi_soci.csv", cfg)
    stored = uploads.store_upload(cfg, store, data, chk, EDITOR)
    rep = checking.check_file(stored.path, stored.inbox_name)
    english = "comune 'Comune Inesistente' is not a comune of province LO"
    assert english in set(rep.issues["message"])  # the build's own message is unchanged
    assert "'Comune Inesistente' non è un comune della provincia LO" in set(checking.issues_in_language(rep, "it")["message"])
    assert english in set(checking.issues_in_language(rep, "en")["message"])


def test_desk_check_notes_follow_the_language(tmp_path, fixture_db, monkeypatch):
    cfg, store = make_desk(tmp_path, fixture_db, monkeypatch)
    data = "Elenco soci (SYNTHETIC)\nRagione Sociale;Città;Prov.\nAlfa Test S.r.l.;Crema;CR\n".encode()
    chk = uploads.check_upload(data, "titolo.csv", cfg)
    stored = uploads.store_upload(cfg, store, data, chk, EDITOR)
    rep = checking.check_file(stored.path, stored.inbox_name)
    assert "header found on line 2; lines above it were skipped" in rep.notes
    assert "intestazione trovata alla riga 2; le righe sopra sono state saltate" in checking.notes_in_language(rep, "it")
    assert checking.notes_in_language(rep, "en") == rep.notes


def test_numbers_in_the_params_follow_the_language():
    english = "1,500,000 is outside the plausible range 0–1,000,000"
    code, params = messages.describe(english)
    assert code == "out_of_range"
    assert i18n.etl_message(code, params, english, "it") == "1.500.000 è fuori dall'intervallo plausibile 0–1.000.000"
    assert i18n.etl_message(code, params, english, "en") == english
    km = messages.text("coordinates_outside_comune", km="12.5")
    assert "a 12,5 km fuori dal comune" in i18n.etl_message(*messages.describe(km), km, "it")
    # a value as written (quoted) is never reformatted
    vat = "'12345678901' is not a valid partita IVA (checksum or length); dropped"
    assert i18n.etl_message(*messages.describe(vat), vat, "it") == VAT_IT
