"""Parsing single values of registry exports: numbers, years, kinds, lists, names, URLs, VAT numbers.

Each parser returns a value or None; those that can fail say why in a short message (None on success).
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date

from stdnum.it import codicefiscale, iva

from .. import vocab as vocabularies

UNKNOWN_TOKENS = {"", "n.d.", "nd", "n.d", "n/d", "n/a", "na", "-", "—", "–", "?", "n.a.", "non disponibile", "null", "none"}

KINDS = list(vocabularies.KINDS)  # data/vocabularies.csv
_KIND_ALIASES = {
    "company": ["azienda", "impresa", "societa", "company", "firm", "ditta", "business", "impresa privata"],
    "university": ["universita", "university", "ateneo", "dipartimento universitario", "university department",
                   "politecnico"],
    "research_centre": ["centro di ricerca", "research centre", "research center", "research_centre",
                        "istituto di ricerca", "research institute"],
    "testing_lab": ["laboratorio", "laboratorio di analisi", "laboratorio prove", "testing lab", "testing_lab",
                    "lab", "laboratory"],
    "association": ["associazione", "association", "associazione di categoria", "trade association", "consorzio"],
    "cluster": ["cluster", "distretto", "polo", "district"],
    "training": ["formazione", "ente di formazione", "its", "training", "scuola", "school", "academy"],
    "incubator": ["incubatore", "incubator", "acceleratore", "accelerator"],
    "public_body": ["ente pubblico", "public body", "public_body", "pubblica amministrazione", "camera di commercio",
                    "agenzia pubblica", "public agency"],
}


_APOSTROPHES = str.maketrans({c: " " for c in "’‘´`'"})


def fold(text: str) -> str:
    """Lower case, accents stripped, punctuation (typographic apostrophes included) to spaces, white space collapsed."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES)).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


_KIND_LOOKUP = {fold(a): k for k, names in _KIND_ALIASES.items() for a in names} | {k: k for k in KINDS}


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and v != v)


def is_unknown(text: str | None) -> bool:
    return _missing(text) or str(text).strip().lower() in UNKNOWN_TOKENS


def clean_text(text: str | None) -> str | None:
    """Trimmed text with inner white space collapsed; None when empty or an 'unknown' token."""
    if _missing(text):
        return None
    t = " ".join(str(text).split())
    return None if t.lower() in UNKNOWN_TOKENS else t


def parse_kind(text: str | None) -> tuple[str | None, str | None]:
    """Kind code from Italian/English wording; empty means company."""
    if is_unknown(text):
        return "company", None
    k = _KIND_LOOKUP.get(fold(text).replace(" ", "_")) or _KIND_LOOKUP.get(fold(text))
    if k:
        return k, None
    return None, f"kind {text!r} is not in the vocabulary ({', '.join(KINDS)})"


_NUM_CLEAN = re.compile(r"[\s\u00a0\u202f'€$£%]|eur|euro", re.I)
# a thousands group never follows a leading 0 ("0.125" is a decimal)
_THOUSANDS_DOT = re.compile(r"^([1-9]\d{0,2})(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^([1-9]\d{0,2})(,\d{3})+$")


def parse_number(text: str | None, *, coordinate: bool = False) -> tuple[float | None, str | None]:
    """Italian or English notation: 1.234.567,89 / 1,234,567.89 / 80.000.000 / 12,5 / 1e6.
    coordinate=True: a single '.' or ',' is always the decimal separator (45.364 is 45.364, not 45364)."""
    if is_unknown(text):
        return None, None
    t = _NUM_CLEAN.sub("", str(text).strip())
    if coordinate and re.fullmatch(r"-?\d+[.,]\d+", t):
        return float(t.replace(",", ".")), None
    neg = t.startswith("-") or (t.startswith("(") and t.endswith(")"))
    t = t.strip("()+-")
    if not t or not re.fullmatch(r"[\d.,]+(e[+-]?\d+)?", t, re.I):
        return None, f"{text!r} is not a number"
    if re.search(r"e", t, re.I):
        try:
            v = float(t.replace(",", "."))
        except ValueError:
            return None, f"{text!r} is not a number"
    elif "," in t and "." in t:
        dec = "," if t.rfind(",") > t.rfind(".") else "."
        thou = "." if dec == "," else ","
        int_part, _, frac = t.rpartition(dec)
        if not re.fullmatch(r"(0|[1-9]\d{0,2}(" + re.escape(thou) + r"\d{3})*)", int_part) or not frac.isdigit():
            return None, f"{text!r} mixes separators in an unreadable way"
        v = float(int_part.replace(thou, "") + "." + frac)
    elif _THOUSANDS_DOT.match(t) or _THOUSANDS_COMMA.match(t):
        v = float(t.replace(".", "").replace(",", ""))  # 80.000.000 or 1,234: a separator before 3 digits groups thousands
    elif t.count(",") == 1 and "." not in t:
        v = float(t.replace(",", "."))
    elif t.count(".") == 1 and "," not in t:
        v = float(t)
    elif t.isdigit():
        v = float(t)
    else:
        return None, f"{text!r} is not a number"
    return (-v if neg else v), None


def parse_year(text: str | None, *, lo: int = 1800, hi: int | None = None) -> tuple[int | None, str | None]:
    if is_unknown(text):
        return None, None
    hi = hi or date.today().year
    m = re.search(r"\b(\d{4})\b", str(text))
    if not m:
        v, err = parse_number(text)
        if err or v is None or not float(v).is_integer():
            return None, f"{text!r} is not a year"
        y = int(v)
    else:
        y = int(m.group(1))
    if y > hi:
        return None, f"year {y} is in the future"
    if y < lo:
        return None, f"year {y} is before {lo}"
    return y, None


def split_list(text: str | None) -> list[str]:
    if is_unknown(text):
        return []
    parts = re.split(r"\s*[|;]\s*", str(text))
    out: list[str] = []
    for p in parts:
        p = " ".join(p.split())
        if p and p not in out:
            out.append(p)
    return out


def parse_url(text: str | None) -> tuple[str | None, str | None]:
    if is_unknown(text):
        return None, None
    t = str(text).strip()
    if re.fullmatch(r"(?i)www\.[a-z0-9-]+(\.[a-z0-9-]+)+(/\S*)?", t):
        t = "https://" + t
    if re.fullmatch(r"(?i)https?://[a-z0-9-]+(\.[a-z0-9-]+)+\.?(:\d+)?(/[^\s<>\"]*)?", t):
        return t, None
    return None, f"{text!r} is not a web address (http:// or https://)"


def parse_urls(text: str | None) -> tuple[list[str], list[str]]:
    """Several URLs separated by ' | ' (or whitespace): the valid ones and the problems."""
    urls, errs = [], []
    if is_unknown(text):
        return urls, errs
    for part in re.split(r"\s+\|\s+|\s+", str(text).strip()):
        if not part or part == "|":
            continue
        u, err = parse_url(part)
        if u and u not in urls:
            urls.append(u)
        elif err:
            errs.append(err)
    return urls, errs


def parse_vat(text: str | None) -> tuple[str | None, str | None]:
    """Partita IVA (11 digits, checksum) or a company's codice fiscale; python-stdnum does the checks."""
    if is_unknown(text):
        return None, None
    raw = str(text).strip()
    compact = re.sub(r"[\s.\-/]", "", raw.upper()).removeprefix("IT")  # what iva.compact strips, done once
    if compact.isdigit() and len(compact) < 11:
        compact = compact.zfill(11)  # spreadsheets drop leading zeros
    if iva.is_valid(compact):
        return compact, None
    cf = codicefiscale.compact(raw)
    if len(cf) == 16 and codicefiscale.is_valid(cf):
        return None, "a personal codice fiscale is not stored (it encodes a person's birth date and place)"
    return None, f"{text!r} is not a valid partita IVA (checksum or length)"


_LEGAL_FORMS = [
    "s p a", "spa", "s r l", "srl", "s r l s", "srls", "s a s", "sas", "s n c", "snc", "s s", "soc coop",
    "societa cooperativa", "societa per azioni", "societa a responsabilita limitata", "s c a r l", "scarl",
    "s c r l", "scrl", "coop", "ltd", "limited", "gmbh", "inc", "sa", "s a", "sl", "s l", "bv", "b v", "ag",
    "unipersonale", "in liquidazione", "group", "gruppo",
]
# legal forms are removed only at the end of a name ("Alfa S.r.l. unipersonale"), never inside it
_LEGAL_RE = re.compile(r"(\s(" + "|".join(re.escape(f) for f in sorted(_LEGAL_FORMS, key=len, reverse=True)) + r"))+$")


def name_key(name: str) -> str:
    """Normalised name for duplicate detection: case folded, accents stripped, legal forms removed."""
    k = fold(name)
    k = _LEGAL_RE.sub("", " " + k)
    return " ".join(k.split())


def slug(text: str) -> str:
    return "-".join(fold(text).split())[:60].strip("-") or "org"


# Head-count classes: '0-9', '10-49', 'da 10 a 49', '250 e oltre', '250+', 'oltre 250', 'fino a 9', '< 10'.
_CLASS_RANGE = re.compile(r"^(?:da\s+)?(\d[\d.]*)\s*(?:-|–|a|to)\s*(\d[\d.]*)(?:\s*(?:addetti|dipendenti|employees))?$", re.I)
_CLASS_OPEN = re.compile(r"^(?:(\d[\d.]*)\s*(?:\+|e\s+oltre|e\s+più|e\s+piu|or\s+more|and\s+over|\+\s*addetti)|"
                         r"(?:oltre|più\s+di|piu\s+di|over|more\s+than|>=?|≥)\s*(\d[\d.]*))(?:\s*(?:addetti|dipendenti|employees))?$", re.I)
_CLASS_UPTO = re.compile(r"^(?:fino\s+a|up\s+to|<=?|≤|meno\s+di)\s*(\d[\d.]*)(?:\s*(?:addetti|dipendenti|employees))?$", re.I)
CLASS_LETTER = re.compile(r"^[A-Fa-f]$")


def _int(t: str) -> int:
    return int(t.replace(".", ""))


def parse_employee_class(text: str | None) -> tuple[int | None, int | None, str | None, str | None]:
    """(min, max, label as written, message). max None = open range ('250 e oltre'). A plain number is not
    a class (min/max None, no message). Letters A–F are kept as labels with an unknown range (the export's
    legend decides what they mean: map them in a mapping file or give numbers)."""
    if is_unknown(text):
        return None, None, None, None
    t = " ".join(str(text).split())
    m = _CLASS_RANGE.match(t)
    if m:
        lo, hi = _int(m.group(1)), _int(m.group(2))
        if lo > hi:
            return None, None, t, f"class {t!r}: lower bound above upper bound"
        return lo, hi, t, None
    m = _CLASS_OPEN.match(t)
    if m:
        return _int(m.group(1) or m.group(2)) + (1 if re.match(r"(?i)(oltre|più|piu|over|more|>(?!=))", t) else 0), None, t, None
    m = _CLASS_UPTO.match(t)
    if m:
        hi = _int(m.group(1)) - (1 if re.match(r"(?i)(<(?!=)|meno)", t) else 0)
        return 0, hi, t, None
    if CLASS_LETTER.match(t):
        return None, None, t.upper(), (f"class letter {t!r}: its range depends on the export's legend; "
                                       "the label is kept, the range left empty")
    return None, None, None, None


STATUSES = list(vocabularies.STATUSES)  # data/vocabularies.csv
_STATUS_WORDS = {
    "active": ["attiva", "attivo", "active", "operativa", "operativo", "in attivita", "registrata", "aperta", "open"],
    "closed": ["cessata", "cessato", "inattiva", "inattivo", "in liquidazione", "liquidazione", "fallita", "fallito",
               "fallimento", "chiusa", "chiuso", "closed", "inactive", "dissolved", "liquidated", "former", "ex",
               "sospesa", "cancellata", "in scioglimento", "scioglimento", "concordato", "procedura concorsuale"],
    "planned": ["planned", "prevista", "previsto", "in costruzione", "progetto", "in progetto", "under construction",
                "annunciata", "announced"],
}
_STATUS_LOOKUP = {fold(w): s for s, words in _STATUS_WORDS.items() for w in words}
_CLOSED_IN_NAME = re.compile(r"\b(in liquidazione|fallimento|in fallimento)\b")


def parse_status(text: str | None) -> tuple[str | None, str | None]:
    """active / closed / planned from a registry's wording (`cessata`, `inattiva`, `in liquidazione`, `fallita`)."""
    if is_unknown(text):
        return None, None
    k = fold(text)
    if k in _STATUS_LOOKUP:
        return _STATUS_LOOKUP[k], None
    for word, s in sorted(_STATUS_LOOKUP.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"\b{re.escape(word)}\b", k):
            return s, None
    return None, f"status {text!r} is not one of active, closed, planned (or cessata, inattiva, in liquidazione, fallita); dropped"


def status_from_name(name: str | None) -> str | None:
    """'Alfa S.r.l. in liquidazione' -> closed."""
    return "closed" if isinstance(name, str) and _CLOSED_IN_NAME.search(fold(name)) else None


def parse_sede_ul(text: str | None) -> tuple[str | None, str | None]:
    """'SEDE', 'SE - SEDE PRINCIPALE', 'Sede legale' -> hq; 'UL', 'UL - UNITA' LOCALE', 'Unità locale' -> local_unit."""
    if is_unknown(text):
        return None, None
    k = fold(text)
    if re.match(r"^(ul|u l|unita locale|local unit)\b", k) or "unita locale" in k and not k.startswith(("se ", "sede")):
        return "local_unit", None
    if re.match(r"^(se|sede|sl|head office|hq|registered office)\b", k):
        return "hq", None
    return None, f"{text!r} is neither a head office (SEDE, SE) nor a local unit (UL); dropped"
