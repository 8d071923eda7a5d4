"""Header aliases: Italian and English column names of registry exports -> canonical fields.

Matching is case-, accent-, punctuation- and line-break-insensitive ("P. IVA", "p.iva" and "PIVA" all
match). Coded headers (`DENOMINAZIONE - Denominazione dell'impresa`, Registro Imprese) match on either
part. Multi-line headers (AIDA: `Ricavi delle vendite\\nmigl EUR\\nUltimo anno disp.`) are read as
measure, unit and year reference: the unit scales the values, `Anno - 1`/`Anno - 2` are earlier years
of the same figure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .values import fold

ALIASES: dict[str, list[str]] = {
    "name": ["ragione sociale", "denominazione", "impresa", "azienda", "organizzazione", "name",
             "company", "company name", "nome", "organisation", "organization", "denominazione dell impresa",
             "socio", "nome socio", "ragione sociale socio"],
    "comune": ["comune", "città", "citta", "località", "localita", "municipality", "city", "town",
               "sede", "comune sede", "comune sede legale", "comune ul"],
    "province": ["provincia", "prov", "prov.", "sigla provincia", "province", "sigla prov", "pr", "prv", "sigla",
                 "sigla prv", "provincia sede"],
    "vat": ["partita iva", "p.iva", "piva", "p. iva", "vat", "vat number", "partita iva/codice fiscale"],
    "tax_code": ["codice fiscale", "cf", "c f", "cod fiscale", "codice fiscale impresa"],
    "rea": ["n. rea", "numero rea", "rea", "numero cciaa", "n cciaa", "cciaa rea", "numero iscrizione rea"],
    "postcode": ["cap", "codice postale", "postcode", "zip"],
    "activity": ["descrizione attività", "descrizione attivita", "attività", "attivita", "oggetto sociale",
                 "descrizione ateco", "activity", "ateco 2007 descrizione", "descrizione"],
    "ateco": ["codice ateco", "ateco", "ateco 2007", "ateco 2025", "ateco 2022", "nace", "nace code",
              "ateco 2007 codice", "codice attività", "cod ateco", "ateco primario"],
    "employees": ["addetti", "dipendenti", "n. dipendenti", "numero dipendenti", "employees", "headcount",
                  "n dipendenti", "dip", "numero addetti", "n addetti", "addetti totali"],
    "self_employed": ["ind", "indipendenti", "addetti indipendenti"],
    "employees_class": ["classe addetti", "classe di addetti", "classe dipendenti", "employees class",
                        "size class", "classe dimensionale"],
    "employees_year": ["anno addetti", "anno dipendenti", "employees year", "employees_year", "aa add", "anno add"],
    "revenue_eur": ["fatturato", "fatturato (€)", "fatturato (eur)", "fatturato eur", "ricavi",
                    "ricavi vendite", "ricavi delle vendite", "revenue", "turnover", "revenue_eur",
                    "revenue (eur)", "revenue (€)", "ricavi delle vendite e delle prestazioni", "valore della produzione"],
    "revenue_meur": ["revenue_meur", "fatturato (mln €)", "fatturato (milioni)", "revenue (meur)"],
    "revenue_year": ["anno fatturato", "revenue year", "revenue_year", "anno bilancio"],
    "last_year": ["ultimo anno disp", "ultimo anno disponibile", "anno ultimo bilancio", "last available year"],
    "website": ["sito", "sito web", "website", "url", "web", "sito internet"],
    "lat": ["latitudine", "lat", "latitude"],
    "lon": ["longitudine", "lon", "lng", "longitude", "long"],
    "kind": ["tipo", "tipologia", "kind", "type", "tipo organizzazione", "categoria socio"],
    "segment": ["segment", "segmento", "segmenti", "filiera", "segments"],
    "specialties": ["specialties", "specialità", "specialita", "specializzazioni", "specialities"],
    "founded": ["founded", "anno fondazione", "anno di fondazione", "fondazione", "year founded",
                "anno costituzione", "data costituzione", "data di costituzione"],
    "source_url": ["source_url", "fonte", "source", "fonte url", "source url"],
    "source_date": ["source_date", "data fonte", "source date"],
    "address": ["address", "indirizzo", "via", "indirizzo sede", "indirizzo ul"],
    "org_id": ["org_id"],
    "group_id": ["group_id"],
    "site_type": ["site_type", "tipo sede", "site type"],
    "sede_ul": ["sede/ul", "sede ul", "ul sede", "unità locale o sede dell impresa", "tipo localizzazione",
                "localizzazione", "sede o unità locale"],
    "status": ["status", "stato", "stato attività", "stato attivita", "stato impresa", "stato giuridico"],
    "figure_scope": ["figure_scope"],
    "cluster_role": ["cluster_role", "ruolo cluster"],
    "cluster_role_source": ["cluster_role_source"],
    "checked": ["checked", "verificato"],
    "note": ["note", "notes", "nota"],
    "row_number": ["n.", "n", "nr", "num", "numero", "#", "progressivo", "n. ordine"],
}

FIELDS = list(ALIASES)
# A header row must map at least these to be recognised as a registry table.
REQUIRED_TO_RECOGNISE = {"name"}
# Fields that scale with a unit and may carry earlier years (AIDA `Anno - 1`).
SCALABLE = {"revenue_eur", "employees"}
HISTORY_FIELDS = {"revenue_eur", "employees"}

# units written in a header or a units row: ×1,000 or ×1,000,000
_UNIT_SCALES = [
    (re.compile(r"\b(migl|migliaia|k|keur|thousands?|000)\b"), 1e3),
    (re.compile(r"\b(mil|mln|milioni|meur|millions?|mio)\b"), 1e6),
]
_UNIT_WORDS = re.compile(r"^(eur|euro|n|numero|unita|anno|anni|in|di|€|\d{4}|migl|migliaia|mil|mln|milioni|"
                         r"keur|meur|thousands?|millions?|k|000|addetti|dipendenti|valori|importi)$")
_YEAR_REF = re.compile(r"\b(ultimo anno disp(?:onibile)?|anno (?:meno )?(\d))\b")  # on folded text


def normalise_header(text: str) -> str:
    """'Fatturato (€)' -> 'fatturato eur': the € sign becomes 'eur' before accents and symbols are folded."""
    return fold(str(text).replace("€", " eur "))


_LOOKUP = {normalise_header(a): field for field, names in ALIASES.items() for a in names}
# 'fatturato eur' and 'revenue eur' are in the vocabulary as written; unit words alone never make a field


@dataclass(frozen=True)
class ColumnSpec:
    field: str  # canonical field; earlier years of a figure are '<field>_y1', '<field>_y2'
    header: str  # as written
    scale: float = 1.0  # unit factor (migl EUR: 1,000; mil EUR: 1,000,000)
    unit: str | None = None  # the unit as written, when one was found
    year_offset: int = 0  # 0 = latest year ('Ultimo anno disp.'), 1 = 'Anno - 1', …
    how: str = "alias"  # alias, code, description, mapping (sidecar file or CLI)
    year: int | None = None  # a year written in the header ('Dipendenti 2025'): the figures' year


def unit_scale(text: str) -> float | None:
    """×1,000 / ×1,000,000 for a unit written as text ('migl EUR', '(migliaia €)', 'mln'), else None."""
    k = normalise_header(text)
    for rx, scale in _UNIT_SCALES:
        if rx.search(k):
            return scale
    return None


def is_unit_cell(text) -> bool:
    """A cell of a units row: '(migliaia €)', '€', 'n.', 'anno', 'mln EUR'."""
    if text is None or not str(text).strip():
        return True
    t = str(text).strip()
    if not re.fullmatch(r"[\(\[]?[^\d]{0,25}[\)\]]?|[\(\[]?\s*(19|20)\d\d\s*[\)\]]?", t):
        return False
    words = normalise_header(t).split()
    return bool(words) and all(_UNIT_WORDS.match(w) for w in words) or t in ("€", "(€)", "[€]", "%")


def _lookup(text: str) -> tuple[str, str] | None:
    """field, how for one header text; `CODE - description` headers match on either part."""
    k = normalise_header(text)
    if not k:
        return None
    if k in _LOOKUP:
        return _LOOKUP[k], "alias"
    k2 = re.sub(r"\s*[\(\[].*?[\)\]]\s*", " ", str(text)).strip()  # 'Fatturato (migliaia €)' -> 'Fatturato'
    if k2 and normalise_header(k2) in _LOOKUP and normalise_header(k2) != k:
        return _LOOKUP[normalise_header(k2)], "alias"
    parts = re.split(r"\s+[-–]\s+", str(text), maxsplit=1)
    if len(parts) == 2:
        for part, how in ((parts[0], "code"), (parts[1], "description")):
            f = _LOOKUP.get(normalise_header(part))
            if f:
                return f, how
    return None


def describe_header(text: str, overrides: dict[str, str] | None = None) -> ColumnSpec | None:
    raw = "" if text is None else str(text)
    hy = re.search(r"\b(19[5-9]\d|20\d\d)\b", raw)
    if overrides:
        f = overrides.get(normalise_header(raw))
        if f:
            return ColumnSpec(field=f, header=raw, how="mapping", year=int(hy.group(1)) if hy and f in SCALABLE else None)
    hit = _lookup(raw)
    lines = [ln for ln in re.split(r"[\r\n]+", raw) if ln.strip()]
    if hit is None and len(lines) > 1:
        hit = _lookup(lines[0]) or _lookup(" ".join(lines[:2]))
    if hit is None and len(lines) <= 1:
        # one line holding measure and year reference: 'Dipendenti Ultimo anno disp.'
        m = _YEAR_REF.search(normalise_header(raw))
        if m:
            hit = _lookup(normalise_header(raw)[:m.start()].strip())
    if hit is None:
        return None
    field, how = hit
    rest = " ".join(lines[1:]) if len(lines) > 1 else raw
    scale, unit = 1.0, None
    if field in SCALABLE:
        paren = re.findall(r"[\(\[]([^\)\]]*)[\)\]]", raw)
        for cand in [*lines[1:], *paren]:
            s = unit_scale(cand)
            if s:
                scale, unit = s, cand.strip()
                break
    offset = 0
    m = _YEAR_REF.search(normalise_header(rest)) if field in HISTORY_FIELDS or field == "last_year" else None
    if m and m.group(2):
        offset = int(m.group(2))
    if offset and field in HISTORY_FIELDS:
        field = f"{field}_y{offset}"
    return ColumnSpec(field=field, header=raw, scale=scale, unit=unit, year_offset=offset, how=how,
                      year=int(hy.group(1)) if hy and field in SCALABLE else None)


def describe_headers(headers: list[str], overrides: dict[str, str] | None = None) -> dict[int, ColumnSpec]:
    """Column index -> spec; the first column wins when two map to one field."""
    out: dict[int, ColumnSpec] = {}
    taken: set[str] = set()
    for i, h in enumerate(headers):
        spec = describe_header(h or "", overrides)
        if spec and spec.field == "ignore":
            out[i] = spec  # the user said so: accounted for, not loaded
        elif spec and spec.field not in taken:
            out[i] = spec
            taken.add(spec.field)
    return out


def map_headers(headers: list[str], overrides: dict[str, str] | None = None) -> dict[int, str]:
    """Column index -> canonical field; the first column wins when two map to one field."""
    return {i: s.field for i, s in describe_headers(headers, overrides).items() if s.field != "ignore"}


def looks_like_registry(headers: list[str]) -> bool:
    return REQUIRED_TO_RECOGNISE <= set(map_headers(headers).values())


def normalise_overrides(mapping: dict[str, str]) -> dict[str, str]:
    """A user's mapping {'Dipendenti 2025': 'employees'}: keys folded like headers; unknown fields refused."""
    out = {}
    for k, v in mapping.items():
        f = str(v).strip()
        if f not in FIELDS and f != "ignore":
            raise ValueError(f"mapping {k!r} = {v!r}: {v!r} is not a field ({', '.join(FIELDS)}, or 'ignore')")
        out[normalise_header(k)] = f
    return out
