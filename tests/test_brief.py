"""Territory brief (beautyvalley/brief.py): the PDF read back with pypdf, every figure checked
against the fixture warehouse with independent SQL."""

from __future__ import annotations

import re

import duckdb
import pytest
from pypdf import PdfReader

from beautyvalley import brief, i18n, maps
from beautyvalley.__main__ import main as cli
from beautyvalley.filters import Filters

HOSTILE = "<img src=x onerror=alert(1)>"
RESEARCH = ("university", "research_centre", "testing_lab")


@pytest.fixture()
def db(fixture_db, monkeypatch):
    monkeypatch.setenv("BEAUTYVALLEY_DB", str(fixture_db))
    return fixture_db


def one(db, sql, params=None):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchone()[0]


def rows(db, sql, params=None):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def pdf_of(f: Filters, lang: str, tmp_path, name="brief.pdf") -> tuple[PdfReader, str]:
    data = brief.build_brief(f, lang)
    assert data.startswith(b"%PDF-")
    path = tmp_path / name
    path.write_bytes(data)
    reader = PdfReader(str(path))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def one_decimal(x: float) -> str:
    """Compact amounts have at most one decimal and drop a trailing zero (the formatting contract)."""
    return f"{x:.1f}".removesuffix(".0")


def flat(text: str) -> str:
    """Extracted text with line breaks as spaces (table cells wrap)."""
    return re.sub(r"\s+", " ", text)


def it_int(n: float) -> str:
    return f"{round(n):,}".replace(",", ".")


def en_int(n: float) -> str:
    return f"{round(n):,}"


def expected_kpis(db, where: str, params: list) -> dict[str, float]:
    """The Overview's figures for a territory, computed here from mart.organisations."""
    f = f"(SELECT * FROM mart.organisations WHERE {where})"
    emp = one(db, f"""SELECT sum(v) FROM (
        SELECT employees v FROM {f} WHERE kind = 'company' AND employees IS NOT NULL AND figure_scope = 'site'
        UNION ALL
        SELECT max(employees) FROM {f} WHERE kind = 'company' AND employees IS NOT NULL
          AND (figure_scope IS NULL OR figure_scope = 'company') GROUP BY group_id)""", params * 2)
    return {
        "organisations": one(db, f"SELECT count(DISTINCT group_id) FROM {f}", params),
        "companies": one(db, f"SELECT count(DISTINCT group_id) FROM {f} WHERE kind = 'company'", params),
        "research": one(db, f"SELECT count(DISTINCT group_id) FROM {f} WHERE kind IN {RESEARCH}", params),
        "employees": emp or 0,
        "known": one(db, f"""SELECT count(DISTINCT group_id) FROM {f} WHERE kind = 'company'
                             AND employees IS NOT NULL AND coalesce(figure_scope, '') <> 'group'""", params),
    }


def test_province_brief_in_italian(db, tmp_path):
    reader, text = pdf_of(Filters(provinces=("CR",)), "it", tmp_path)
    assert len(reader.pages) <= 2
    first = text.splitlines()[0]
    assert first == "Scheda territoriale: Cremona"
    exp = expected_kpis(db, "province = ?", ["CR"])
    pop = one(db, "SELECT population FROM mart.provinces WHERE province = 'CR'")
    cards = {  # label -> value, as printed
        "Organizzazioni": it_int(exp["organisations"]),
        "Imprese": it_int(exp["companies"]),
        "Ricerca e università": it_int(exp["research"]),
        "Addetti noti": it_int(exp["employees"]),
        "Organizzazioni per 100.000 abitanti": f"{exp['organisations'] / pop * 1e5:.1f}".replace(".", ","),
    }
    for label, value in cards.items():
        assert re.search(rf"^{re.escape(label)}\n{re.escape(value)}\n", text, re.M), (label, value)
    assert exp["employees"] > 0 and exp["organisations"] > 0
    companies = one(db, "SELECT count(DISTINCT group_id) FROM mart.organisations "
                        "WHERE province = 'CR' AND kind = 'company'")
    assert f"Addetti noti per {exp['known']} imprese su {companies}" in flat(text)
    build_id = one(db, "SELECT build_id FROM meta.load_runs ORDER BY finished DESC NULLS LAST LIMIT 1")
    assert f"Build {build_id} del " in text
    assert "Filtri: province: Cremona" in text and "prov=CR" in text and "Come citare:" in text


def test_every_figure_is_followed_by_its_year_scope_and_source(db, tmp_path):
    _reader, text = pdf_of(Filters(provinces=("CR",)), "it", tmp_path)
    labels = ["Organizzazioni", "Imprese", "Ricerca e università", "Addetti noti", "Fatturato noto",
              "Organizzazioni per 100.000 abitanti", "Mappa delle sedi"]
    starts = [re.search(rf"^{re.escape(lab)}\n", text, re.M).start() for lab in labels]
    assert starts == sorted(starts)
    for a, b, lab in zip(starts, starts[1:], labels):
        block = text[a:b]
        assert "Anno:" in block and "Ambito:" in block and "Fonte:" in block, lab
    # the largest organisations: each row (name .. next name) carries its source page
    body = flat(text)
    names = [r[0] for r in rows(db, """SELECT name FROM mart.organisations WHERE province = 'CR'
               AND employees IS NOT NULL AND coalesce(figure_scope, 'company') <> 'group'
               ORDER BY employees DESC, org_id LIMIT 3""")]
    assert names
    for name in names:
        after = body[body.index(name):]
        assert re.match(r".{0,120}?Fonte: https?://", after), name
    assert body.count("Fonte:") >= 6 + len(names) + 2  # cards, table rows, map, segments


def test_benchmarks_at_the_same_scope_with_their_sources(db, tmp_path):
    """All of Lombardy: Lombardia's latest figure per comparable group, then its year and sources."""
    _r, text = pdf_of(Filters(provinces=()), "en", tmp_path)
    body = flat(text)
    section = body[body.index("Indicators at the same territorial scope"):]
    latest = rows(db, """WITH l AS (SELECT comparable_group, max(year) AS y FROM mart.indicators
                            WHERE entity = 'Lombardia' AND value IS NOT NULL GROUP BY ALL)
                         SELECT l.comparable_group, i.unit, min(i.value), max(i.value), l.y,
                                list(DISTINCT i.source_url ORDER BY i.source_url)
                         FROM mart.indicators i JOIN l USING (comparable_group)
                         WHERE i.entity = 'Lombardia' AND i.year = l.y GROUP BY ALL""")
    checked = 0
    for _group, unit, low, high, year, urls in latest:
        if unit == "EUR":
            value = f"€{one_decimal(low / 1e9)}B" + ("" if low == high else f" – €{one_decimal(high / 1e9)}B")
        elif unit == "percent":
            value = f"{low:.1f}%"
        else:
            continue
        found = re.search(rf"Lombardia {re.escape(value)} ?{year} ", section)  # cells may touch
        assert found, (value, year, section[:600])
        at = found.start()
        row = section[at:at + 400]
        for url in urls:
            assert "Source: " + url in row, (value, url)
        checked += 1
    assert checked >= 3


def test_brief_embeds_fonts_and_draws_the_map(db, tmp_path):
    reader, _text = pdf_of(Filters(provinces=("CR",)), "it", tmp_path)
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            desc = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts.append((font["/BaseFont"], any(k in desc.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))))
    assert fonts and all(embedded for _, embedded in fonts), fonts
    assert any("DejaVu" in str(name) for name, _ in fonts)
    # the map is vector drawing on page 1: province borders and one mark per located site in its kind colour
    stream = reader.pages[0].get_contents().get_data().decode("latin-1")

    def colour(rgb):
        return " ".join(f"{c / 255:.6f}".rstrip("0").rstrip(".") for c in rgb)

    marks = len(re.findall(re.escape(colour(maps.KIND_COLOURS["company"])) + " (?:rg|RG)", stream))
    located = one(db, "SELECT count(*) FROM mart.organisations WHERE province = 'CR' AND kind = 'company' "
                      "AND lat IS NOT NULL")
    assert located > 0 and marks >= located + 1  # + the legend dot
    assert colour(maps.PROVINCE_LINE_COLOUR[:3]) + " RG" in stream


def test_static_map_svg_is_self_contained(db):
    from beautyvalley import queries

    orgs = queries.organisations(Filters(provinces=("CR",)))
    svg = maps.static_map_svg(orgs, queries.provinces_layer(), focus=["CR"], fmt=i18n.formatter("it"))
    located = int(orgs["lat"].notna().sum())
    assert svg.count("<circle") == located and svg.count("<path") == 12  # every Lombard province
    assert re.findall(r"https?://[^\"]+", svg) == ["http://www.w3.org/2000/svg"]
    assert "Fixture" not in svg and "onerror" not in svg  # no names in the drawing


def test_english_differs_in_language_and_number_format(db, tmp_path):
    _r, it = pdf_of(Filters(provinces=("CR",)), "it", tmp_path, "it.pdf")
    _r, en = pdf_of(Filters(provinces=("CR",)), "en", tmp_path, "en.pdf")
    assert en.splitlines()[0] == "Territory brief: Cremona"
    for word in ("Headline figures", "Known employees", "Source:", "How to cite:", "Largest organisations"):
        assert word in en and word not in it
    exp = expected_kpis(db, "province = ?", ["CR"])
    pop = one(db, "SELECT population FROM mart.provinces WHERE province = 'CR'")
    assert pop > 1000  # thousands separator shown in the population
    assert it_int(pop) in it and en_int(pop) in en and it_int(pop) != en_int(pop)
    density = exp["organisations"] / pop * 1e5
    assert f"\n{density:.1f}\n" in en and "\n" + f"{density:.1f}".replace(".", ",") + "\n" in it
    revenue = one(db, """SELECT sum(v) FROM (
        SELECT revenue_eur v FROM mart.organisations WHERE province = 'CR' AND kind = 'company'
          AND revenue_eur IS NOT NULL AND figure_scope = 'site'
        UNION ALL SELECT max(revenue_eur) FROM mart.organisations WHERE province = 'CR' AND kind = 'company'
          AND revenue_eur IS NOT NULL AND coalesce(figure_scope, 'company') = 'company' GROUP BY group_id)""")
    assert revenue >= 1e6
    assert f"€{one_decimal(revenue / 1e6)}M" in en
    assert one_decimal(revenue / 1e6).replace(".", ",") + " mln €" in flat(it)


def test_hostile_text_prints_as_text(db, tmp_path):
    f = Filters(provinces=("CR",), name=HOSTILE)
    html = brief.render_html(f, "it")
    assert HOSTILE not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    _r, text = pdf_of(f, "it", tmp_path)
    assert f"nome contiene «{HOSTILE}»" in flat(text)
    assert one(db, "SELECT count(*) FROM mart.organisations WHERE name = ?", [HOSTILE]) == 1


def test_comune_brief(db, tmp_path):
    code = one(db, "SELECT comune_code FROM mart.comuni WHERE name = 'Crema'")
    reader, text = pdf_of(Filters(provinces=("CR",), comuni=(code,)), "en", tmp_path)
    assert text.splitlines()[0] == "Territory brief: Crema (CR)" and len(reader.pages) <= 2
    exp = expected_kpis(db, "comune_code = ?", [code])
    assert re.search(rf"^Organisations\n{exp['organisations']}\n", text, re.M)
    assert "comune=" + code in text
    assert "No indicator is published for single municipalities" in flat(text)


def test_command_line(db, tmp_path, capsys):
    out = tmp_path / "brief_CR.pdf"
    assert cli(["brief", "--prov", "CR", "--lang", "en", "--db", str(db), "-o", str(out)]) == 0
    text = "\n".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert text.startswith("Territory brief: Cremona")
    assert cli(["brief", "--prov", "XX", "--db", str(db), "-o", str(tmp_path / "x.pdf")]) == 2
    assert cli(["brief", "--comune", "000000", "--db", str(db), "-o", str(tmp_path / "x.pdf")]) == 2
    assert not (tmp_path / "x.pdf").exists()
    assert "unknown province" in capsys.readouterr().err
    assert cli(["brief", "--db", str(tmp_path / "missing.duckdb")]) == 1
