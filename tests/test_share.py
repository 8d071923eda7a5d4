"""Issue 13: the view in the URL (organisation, map mode and view, comparisons), the public
address in links and citations, the short organisation card beside the map."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from beautyvalley import card, export, view_state
from beautyvalley.formatting import md_escape
from tests.test_pages import app, db, sql, url_values  # noqa: F401  (fixture)


@pytest.mark.parametrize("text, expected", [
    ("45.3600,9.6900,10.5", (45.36, 9.69, 10.5)), ("45,9,3", (45.0, 9.0, 3.0)),
    ("45,9", None), ("x,9,10", None), ("95,9,10", None), ("45,9,30", None), ("nan,9,10", None), ("", None),
])
def test_parse_view(text, expected):
    assert view_state.parse_view(text) == expected


def test_public_url_from_configuration_never_localhost(monkeypatch):
    monkeypatch.setenv("BEAUTYVALLEY_PUBLIC_URL", "https://bv.example.org/app")
    assert view_state.page_url("/map") == "https://bv.example.org/app/map"
    monkeypatch.delenv("BEAUTYVALLEY_PUBLIC_URL")
    assert "localhost" not in view_state.public_url()


def test_citation_has_publisher_licence_access_date_and_formats(monkeypatch):
    monkeypatch.setenv("BEAUTYVALLEY_PUBLISHER", "Ente SYNTHETIC")
    build = {"build_id": "b-42", "date": "2026-11-20"}
    day = dt.date(2026, 12, 1)
    text = export.citation_full(build, "Province: Cremona", "https://p.example/map?org=a", "en", day)
    assert "Ente SYNTHETIC" in text and "CC BY 4.0" in text and "accessed 1 December 2026" in text
    assert "https://p.example/map?org=a" in text and "b-42" in text
    it = export.citation_full(build, "Province: Cremona", "https://p.example/", "it", day)
    assert "consultato il 1 dicembre 2026" in it
    bib = export.citation_bibtex(build, "50% of_CR", "https://p.example/?a=1&b=2", day)
    assert bib.startswith("@dataset{") and "urldate = {2026-12-01}" in bib
    assert "publisher = {Ente SYNTHETIC}" in bib and "50\\% of\\_CR" in bib
    assert "url = {https://p.example/?a=1&b=2}" in bib
    csl = json.loads(export.citation_csl(build, "x", "https://p.example/", day))[0]
    assert csl["type"] == "dataset" and csl["publisher"] == "Ente SYNTHETIC"
    assert csl["accessed"] == {"date-parts": [[2026, 12, 1]]}
    assert csl["issued"] == {"date-parts": [[2026, 11, 20]]}


def test_human_card_lines_translate_codes_and_give_year_and_scope():
    row = {"name": "Alfa SYNTHETIC", "kind": "company", "segments": ["packaging"], "specialties": [],
           "address": "Via Roma 1", "comune": "Crema", "province": "CR", "location_precision": "comune",
           "employees": 1200, "employees_year": 2023, "figure_scope": "group", "revenue_eur": None,
           "website": "https://www.alfa.example/it", "site_type": "plant", "cluster_role": None,
           "note": "Invented note."}
    it = {k: v.replace("\\", "") for k, v in card.human_lines(row, "it", {"packaging": "Imballaggio"})}
    assert it["Che cosa fa"] == "Impresa · Imballaggio" or it["Che cosa fa"].endswith("Imballaggio")
    assert "1.200" in it["Addetti"] and "2023" in it["Addetti"] and "gruppo" in it["Addetti"]
    assert "centro del comune" in it["Dove"]
    assert it["Sito web"] == "[alfa.example](https://www.alfa.example/it)"
    assert "solo in inglese" in it["Nota"]
    en = {k: v.replace("\\", "") for k, v in card.human_lines(row, "en", {"packaging": "Packaging"})}
    assert "1,200" in en["Head count"] and "group" in en["Head count"]
    assert "English" not in en["Note"]
    assert "Fatturato" not in it  # no empty rows


def test_sources_show_publisher_and_date():
    text = card.sources_markdown(["https://www.ilsole24ore.com/a | https://b.example/x"], "2024-05-17",
                                 "it").replace("\\", "")
    assert "[ilsole24ore.com](https://www.ilsole24ore.com/a)" in text
    assert "[b.example](https://b.example/x)" in text and "17 maggio 2024" in text


def one_site(db):
    return sql(db, "SELECT org_id, name, province FROM mart.organisations WHERE province = 'CR' "
                   "AND status IS DISTINCT FROM 'closed' ORDER BY org_id LIMIT 1")[0]


def test_link_with_org_opens_its_card_beside_the_map(db):
    org_id, name, _ = one_site(db)
    at = app({"org": org_id, "mode": "count", "view": "45.3000,9.6000,10.00"})
    at.switch_page("app_pages/map.py").run()
    assert not at.exception
    assert md_escape(name) in [s.value for s in at.subheader]
    assert at.radio(key="map_choropleth").value == "count"
    assert [e.label for e in at.expander] == ["Segnala una correzione", "Dettagli"]  # the correction form (issue 11), then the details
    # the URL keeps the view; the share link names the public address, never localhost
    assert url_values(at, "org") == [org_id] and url_values(at, "mode") == ["count"]
    assert url_values(at, "view") == ["45.3000,9.6000,10.00"]
    links = [c.value for c in at.code if "org=" in c.value]
    assert links and all("localhost" not in c for c in links)
    assert "view=45.3000%2C9.6000%2C10.00" in links[0] and "mode=count" in links[0]


def test_bad_view_params_are_dropped(db):
    at = app({"org": "no-such-site", "mode": "3d", "view": "1e9,0,0"})
    at.switch_page("app_pages/map.py").run()
    assert not at.exception
    assert url_values(at, "org") == [] and url_values(at, "mode") == [] and url_values(at, "view") == []
    assert not at.expander  # no card (its Details)
    assert any("Selezionare un punto" in i.value for i in at.info)


def test_benchmark_choice_comes_back_from_the_link(db):
    ents = [r[0] for r in sql(db, "SELECT DISTINCT entity FROM mart.indicators ORDER BY entity LIMIT 2")]
    metric = sql(db, "SELECT metric FROM mart.indicators WHERE entity = ? LIMIT 1", [ents[0]])[0][0]
    at = app({"ent": ents, "metric": metric})
    at.switch_page("app_pages/benchmarks.py").run()
    assert not at.exception
    assert at.multiselect(key="bm_entities").value == ents
    assert url_values(at, "ent") == ents
