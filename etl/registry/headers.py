"""Header aliases: Italian and English column names of registry exports -> canonical fields.

Matching is case-, accent- and punctuation-insensitive ("P. IVA", "p.iva" and "PIVA" all match).
"""
from __future__ import annotations

from .values import fold

ALIASES: dict[str, list[str]] = {
    "name": ["ragione sociale", "denominazione", "impresa", "azienda", "organizzazione", "name",
             "company", "company name", "nome", "organisation", "organization"],
    "comune": ["comune", "città", "citta", "sede", "località", "localita", "municipality", "city", "town",
               "comune sede"],
    "province": ["provincia", "prov", "prov.", "sigla provincia", "province", "sigla prov"],
    "vat": ["partita iva", "p.iva", "piva", "p. iva", "codice fiscale", "vat", "vat number",
            "partita iva/codice fiscale", "cf"],
    "ateco": ["codice ateco", "ateco", "ateco 2007", "ateco 2025", "ateco 2022", "nace", "nace code"],
    "employees": ["addetti", "dipendenti", "n. dipendenti", "numero dipendenti", "employees", "headcount",
                  "n dipendenti"],
    "employees_year": ["anno addetti", "anno dipendenti", "employees year", "employees_year"],
    "revenue_eur": ["fatturato", "fatturato (€)", "fatturato (eur)", "fatturato eur", "ricavi",
                    "ricavi vendite", "ricavi delle vendite", "revenue", "turnover", "revenue_eur",
                    "revenue (eur)", "revenue (€)"],
    "revenue_meur": ["revenue_meur", "fatturato (mln €)", "fatturato (milioni)", "revenue (meur)"],
    "revenue_year": ["anno fatturato", "revenue year", "revenue_year"],
    "website": ["sito", "sito web", "website", "url", "web", "sito internet"],
    "lat": ["latitudine", "lat", "latitude"],
    "lon": ["longitudine", "lon", "lng", "longitude", "long"],
    "kind": ["tipo", "tipologia", "kind", "type", "tipo organizzazione"],
    "segment": ["segment", "segmento", "segmenti", "filiera", "segments"],
    "specialties": ["specialties", "specialità", "specialita", "specializzazioni", "specialities"],
    "founded": ["founded", "anno fondazione", "anno di fondazione", "fondazione", "year founded"],
    "source_url": ["source_url", "fonte", "source", "fonte url", "source url"],
    "source_date": ["source_date", "data fonte", "source date"],
    "address": ["address", "indirizzo", "via"],
    "org_id": ["org_id"],
    "group_id": ["group_id"],
    "site_type": ["site_type", "tipo sede", "site type"],
    "figure_scope": ["figure_scope"],
    "cluster_role": ["cluster_role", "ruolo cluster"],
    "cluster_role_source": ["cluster_role_source"],
    "checked": ["checked", "verificato"],
    "note": ["note", "notes", "nota"],
}

FIELDS = list(ALIASES)
# A header row must map at least these to be recognised as a registry table.
REQUIRED_TO_RECOGNISE = {"name"}


def normalise_header(text: str) -> str:
    """'Fatturato (€)' -> 'fatturato eur': the € sign becomes 'eur' before accents and symbols are folded."""
    return fold(str(text).replace("€", " eur "))


_LOOKUP = {normalise_header(a): field for field, names in ALIASES.items() for a in names}


def map_headers(headers: list[str]) -> dict[int, str]:
    """Column index -> canonical field; the first column wins when two map to one field."""
    out: dict[int, str] = {}
    taken: set[str] = set()
    for i, h in enumerate(headers):
        field = _LOOKUP.get(normalise_header(h or ""))
        if field and field not in taken:
            out[i] = field
            taken.add(field)
    return out


def looks_like_registry(headers: list[str]) -> bool:
    return REQUIRED_TO_RECOGNISE <= set(map_headers(headers).values())
