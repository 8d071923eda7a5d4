"""Translations: the gettext catalogues (beautyvalley/locales/<lang>/LC_MESSAGES/beautyvalley.po) plus
i18n.TEXTS_PENDING hold every message in both languages with the same placeholders, every key the
code calls exists; t()/tn() read them; i18n_tools moves pending texts in."""

from __future__ import annotations

import io
import re
import string
import subprocess
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest
from babel.messages.extract import extract, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from beautyvalley import filters, i18n, i18n_tools

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "beautyvalley" / "locales"
KEYWORDS = {"t": None, "tn": (1, 1)}  # the -k options of `make messages`: tn("key", n) is a plural message
CALL = re.compile(r"""\bt\(\s*f(["'])([^"']+)\1""")  # f-string keys, which Babel does not extract


def read_catalogue(lang: str, locales: Path = LOCALES):
    with (locales / lang / "LC_MESSAGES" / "beautyvalley.po").open("rb") as f:
        return read_po(f, locale=lang, abort_invalid=True)


def key_of(msgid) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid


def all_messages() -> dict[str, dict[str, tuple[str, ...]]]:
    """{key: {lang: forms}} read from the .po files here (not through i18n), then TEXTS_PENDING over them."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for lang in i18n.LANGS:
        for m in read_catalogue(lang):
            if m.id:
                forms = m.string if isinstance(m.string, tuple) else (m.string,)
                out.setdefault(key_of(m.id), {})[lang] = forms
    for key, entry in i18n.TEXTS_PENDING.items():
        out[key] = {lang: ((entry[f"{lang}_one"],) if f"{lang}_one" in entry else ()) + (entry.get(lang, ""),)
                    for lang in i18n.LANGS}
    return out


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.fixture(scope="module")
def extracted() -> list[tuple[str, int, str | tuple[str, str]]]:
    """(file, line, message id) of every t()/tn() call with a literal key, by Babel's extractor over babel.cfg."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    return [(fn, line, msg) for fn, line, msg, _c, _ctx in
            extract_from_dir(ROOT, method_map, options_map, keywords=KEYWORDS)]


def test_catalogues_parse_with_their_language_and_plural_rule():
    for lang in i18n.LANGS:
        cat = read_catalogue(lang)
        assert str(cat.locale) == lang
        assert (cat.num_plurals, cat.plural_expr) == (2, "(n != 1)")
        assert not cat.obsolete and not cat.fuzzy
        assert [key_of(m.id) for m in cat if m.id and m.fuzzy] == []
    assert len([m for m in read_catalogue("it") if m.id]) > 600  # the moved dicts (601 + the desk's 26)


def test_both_catalogues_have_the_same_keys_with_the_same_number_of_forms():
    shapes = {lang: {key_of(m.id): isinstance(m.id, tuple) for m in read_catalogue(lang) if m.id}
              for lang in i18n.LANGS}
    assert shapes["it"] == shapes["en"]


def test_every_message_has_both_languages():
    missing = [(k, lang) for k, by_lang in all_messages().items() for lang in i18n.LANGS
               if not by_lang.get(lang) or not all(form.strip() for form in by_lang[lang])]
    assert missing == []


def test_placeholders_agree_between_languages_and_forms():
    bad = []
    for key, by_lang in all_messages().items():
        it, en = by_lang["it"], by_lang["en"]
        if placeholders(it[-1]) != placeholders(en[-1]):  # the plural (or only) form
            bad.append(key)
        if len(it) == 2 and not placeholders(it[0]) - {"n"} == placeholders(en[0]) - {"n"} <= placeholders(it[-1]):
            bad.append(key)  # the singular may drop {n}, nothing else
    assert bad == []


def test_the_checks_see_pending_texts(monkeypatch):
    monkeypatch.setitem(i18n.TEXTS_PENDING, "zz.pending_probe", {"it": "Solo italiano {x}", "en": ""})
    assert "zz.pending_probe" in all_messages()
    with pytest.raises(AssertionError):
        test_every_message_has_both_languages()


def test_every_key_the_code_calls_exists(extracted):
    assert len({key_of(m) for _f, _l, m in extracted}) > 300  # the extractor reads the app
    known = i18n.all_keys()
    assert [(f, line, m) for f, line, m in extracted if key_of(m) not in known] == []
    plural = {key_of(m.id) for m in read_catalogue("it") if isinstance(m.id, tuple)}
    assert sorted({m[0] for _f, _l, m in extracted if isinstance(m, tuple)} - plural) == []  # tn() on a plural


def test_the_extractor_would_report_an_unknown_key():
    src = b'x = t("page.map"); y = i18n.tn("cp.count", 3, where=w); t("no.such"); t(variable)'
    found = [m for _line, m, _c, _ctx in extract("python", io.BytesIO(src), KEYWORDS)]
    assert found == ["page.map", ("cp.count", "cp.count"), "no.such"]
    assert [key_of(m) for m in found if not i18n.has(key_of(m))] == ["no.such"]


def code_files() -> list[Path]:
    with (ROOT / "babel.cfg").open() as f:
        method_map, _ = parse_mapping_cfg(f)
    return sorted(p for p in ROOT.rglob("*") if ".venv" not in p.parts and p.is_file()
                  and any(fnmatch(str(p.relative_to(ROOT)), pattern.replace("**", "*")) for pattern, _m in method_map))


def test_every_f_string_key_matches_a_family_of_keys():
    files = code_files()
    assert ROOT / "app_pages" / "map.py" in files and ROOT / "beautyvalley" / "templates" / "brief.html" in files
    keys = i18n.all_keys()
    patterns = {key for p in files for _q, key in CALL.findall(p.read_text(encoding="utf-8")) if "{" in key}
    assert "map.choropleth_{m}" in patterns
    for pattern in patterns:  # an f-string key must match at least one key
        rx = re.compile("^" + re.sub(r"\\\{[^}]*\\\}", "[a-z_]+", re.escape(pattern)) + "$")
        assert any(rx.match(k) for k in keys), pattern


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
    assert i18n.t("page.map", lang="fr") == "Mappa"  # an unknown language reads Italian
    assert i18n.t("upload.too_large", "en", limit_mb=20) == "The file is larger than the 20 MB limit."


def test_tn_picks_the_form_by_the_plural_rule():
    assert i18n.tn("explore.ind_count", 1, "it") == "1 riga di indicatori."
    assert i18n.tn("explore.ind_count", 1.0, "en") == "1 indicator row."
    assert i18n.tn("explore.ind_count", 0, "en") == "0 indicator rows."
    assert i18n.tn("explore.ind_count", 1234, "it") == "1.234 righe di indicatori."
    assert i18n.tn("explore.ind_count", 1.5, "en") == "2 indicator rows."  # fractional: the plural, {n} rounded
    assert i18n.tn("cp.count", 2, "en", where="here") == "2 organisations here"
    assert i18n.t("cp.count", "it", n="7", where="qui") == "7 organizzazioni qui"  # t() gives the plural form
    assert i18n.tn("page.map", 1, "en") == "Map"  # a singular message ignores the count


def test_pending_texts_are_read_before_the_catalogue(monkeypatch):
    monkeypatch.setitem(i18n.TEXTS_PENDING, "zz.probe", {"it": "{n} prove", "en": "{n} probes",
                                                         "it_one": "una prova", "en_one": "one probe"})
    monkeypatch.setitem(i18n.TEXTS_PENDING, "page.map", {"it": "Carta", "en": "Chart"})
    assert i18n.has("zz.probe") and "zz.probe" in i18n.all_keys()
    assert (i18n.tn("zz.probe", 1, "it"), i18n.tn("zz.probe", 3, "en")) == ("una prova", "3 probes")
    assert (i18n.t("page.map", "it"), i18n.t("page.map", "en")) == ("Carta", "Chart")
    assert i18n.entries()["zz.probe"]["en_one"] == "one probe"  # the old dict shape, for the tools


def test_the_package_ships_the_catalogues():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["*"]
    po = [p.relative_to(ROOT / "beautyvalley").as_posix() for p in LOCALES.rglob("*.po")]
    assert len(po) == len(i18n.LANGS)
    assert all(any(fnmatch(p, g) for g in data) for p in po)


@pytest.fixture()
def scratch_locales(tmp_path, monkeypatch):
    """A copy of the catalogues that i18n reads and i18n_tools writes, for the tool tests."""
    for lang in i18n.LANGS:
        dest = tmp_path / lang / "LC_MESSAGES"
        dest.mkdir(parents=True)
        (dest / "beautyvalley.po").write_bytes((LOCALES / lang / "LC_MESSAGES" / "beautyvalley.po").read_bytes())
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    i18n.reload()
    yield tmp_path
    monkeypatch.undo()
    i18n.reload()


def test_absorb_moves_a_pending_dict_into_the_catalogues(scratch_locales, tmp_path):
    module = tmp_path / "pending_i18n.py"
    module.write_text('X = 1\nTEXTS_PENDING: dict = {\n    # ---- probe block\n'
                      '    "fs.probe": {"it": "Sonda {q}", "en": "Probe {q}"},\n'
                      '    "zz.count": {"it": "{n} cose", "en": "{n} things", "it_one": "1 cosa", "en_one": "1 thing"},\n'
                      '    "page.map": {"it": "Carta", "en": "Chart"},\n}\nY = 2\n', encoding="utf-8")
    assert i18n_tools.main(["absorb", "--from", str(module)]) == 0
    assert "TEXTS_PENDING" in module.read_text()  # --from leaves the file alone
    assert (i18n.t("fs.probe", "en", q="x"), i18n.tn("zz.count", 1, "it")) == ("Probe x", "1 cosa")
    assert i18n.t("page.map", "it") == "Carta"  # an existing key is updated in place
    en = read_catalogue("en", scratch_locales)
    order = [key_of(m.id) for m in en if m.id]
    assert order.index("page.map") == [key_of(m.id) for m in read_catalogue("en") if m.id].index("page.map")
    assert en["fs.probe"].user_comments == ["probe block"] and en["zz.count"].string == ("1 thing", "{n} things")
    assert len(order) == len([m for m in read_catalogue("en") if m.id]) + 2

    i18n_tools.empty_pending(module)
    assert module.read_text() == "X = 1\nTEXTS_PENDING: dict[str, dict[str, str]] = {}\nY = 2\n"


def test_absorb_with_a_base_merges_three_ways_and_refuses_a_missing_language(scratch_locales, tmp_path):
    base, branch = tmp_path / "base.py", tmp_path / "branch.py"
    base.write_text('TEXTS = {"page.map": {"it": "Mappa", "en": "Map"}, "page.gone": {"it": "a", "en": "b"}}\n')
    branch.write_text('TEXTS = {"page.map": {"it": "Mappa", "en": "Map"}, "zz.new": {"it": "Nuovo", "en": "New"}}\n')
    i18n_tools.main(["absorb", "--from", str(branch), "--name", "TEXTS", "--base", str(base)])
    assert i18n.t("zz.new", "en") == "New" and not i18n.has("page.gone")
    base.write_text('TEXTS = {"page.map": {"it": "Mappa", "en": "Map"}, "page.sectors": {"it": "x", "en": "y"}}\n')
    i18n_tools.main(["absorb", "--from", str(branch), "--name", "TEXTS", "--base", str(base)])
    assert not i18n.has("page.sectors") and i18n.t("page.map", "it") == "Mappa"  # dropped by the branch: removed
    assert "page.sectors" not in {key_of(m.id) for m in read_catalogue("en", scratch_locales)}
    branch.write_text('TEXTS = {"zz.half": {"it": "Solo italiano", "en": ""}}\n')
    with pytest.raises(SystemExit, match="zz.half: no 'en' text"):
        i18n_tools.main(["absorb", "--from", str(branch), "--name", "TEXTS"])
    assert not i18n.has("zz.half")


def test_absorb_merge_resolves_a_conflict_with_a_branch_that_still_has_the_texts_dict(scratch_locales, tmp_path):
    repo = tmp_path / "repo"
    src = repo / "beautyvalley" / "i18n.py"
    src.parent.mkdir(parents=True)

    def git(*args):
        subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                       check=True, capture_output=True)

    old = 'TEXTS = {{\n    "page.map": {{"it": "Mappa", "en": "Map"}},\n{}}}\n'
    git("init", "-q", "-b", "main")
    src.write_text(old.format('    "page.sectors": {"it": "Settori", "en": "Sectors"},\n'))
    git("add", "-A"), git("commit", "-qm", "base")
    git("checkout", "-qb", "texts")  # a branch that adds a text to the dict and drops one
    src.write_text(old.format('    # ---- zz: a block\n    "zz.added": {"it": "Aggiunto", "en": "Added"},\n'))
    git("commit", "-qam", "texts")
    git("checkout", "-q", "main")  # the catalogue side
    src.write_text("TEXTS_PENDING: dict[str, dict[str, str]] = {}\n")
    git("commit", "-qam", "catalogue")
    with pytest.raises(subprocess.CalledProcessError):
        git("merge", "-q", "texts")  # conflict on i18n.py
    assert i18n_tools.resolve_merge(repo, scratch_locales) == (1, ["page.sectors"])
    assert src.read_text() == "TEXTS_PENDING: dict[str, dict[str, str]] = {}\n"
    assert i18n.t("zz.added", "en") == "Added" and not i18n.has("page.sectors")
    assert read_catalogue("it", scratch_locales)["zz.added"].user_comments == ["zz: a block"]


def test_update_adds_new_template_ids_untranslated_and_removes_nothing(scratch_locales, tmp_path):
    pot = tmp_path / "x.pot"
    pot.write_text('msgid "page.map"\nmsgstr ""\n\nmsgid "zz.fresh"\nmsgstr ""\n\n'
                   'msgid "zz.many"\nmsgid_plural "zz.many"\nmsgstr[0] ""\nmsgstr[1] ""\n', encoding="utf-8")
    before = {key_of(m.id) for m in read_catalogue("it") if m.id}
    assert i18n_tools.update(pot, scratch_locales) == ["zz.fresh", "zz.many"]
    it = read_catalogue("it", scratch_locales)
    assert {key_of(m.id) for m in it if m.id} == before | {"zz.fresh", "zz.many"}
    assert it["zz.many"].string == ("", "") and it["page.map"].string == "Mappa"
    assert i18n.t("zz.fresh", "en") == "zz.fresh"  # untranslated: the key shows (and the strict test fails)


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
