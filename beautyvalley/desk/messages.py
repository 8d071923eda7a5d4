"""The desk's own messages, in Italian and English (codes travel in results; pages render them with
`text(code, lang, **params)`). ETL messages (validation problems) come from the ETL as they are."""
from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "upload.empty": {"it": "Il file è vuoto.", "en": "The file is empty."},
    "upload.too_large": {"it": "Il file supera il limite di {limit_mb} MB.",
                         "en": "The file is larger than the {limit_mb} MB limit."},
    "upload.extension": {"it": "Tipo di file non ammesso ({suffix}): carica un file .csv o .xlsx.",
                         "en": "File type not allowed ({suffix}): upload a .csv or .xlsx file."},
    "upload.not_zip": {"it": "Un file .xlsx deve essere una cartella di lavoro Excel (archivio ZIP): questo non lo è.",
                       "en": "An .xlsx file must be an Excel workbook (a ZIP archive): this one is not."},
    "upload.no_workbook": {"it": "L'archivio non contiene una cartella di lavoro Excel (xl/workbook.xml).",
                           "en": "The archive holds no Excel workbook (xl/workbook.xml)."},
    "upload.macros": {"it": "La cartella di lavoro contiene macro: salvala come .xlsx senza macro.",
                      "en": "The workbook contains macros: save it as an .xlsx without macros."},
    "upload.zip_bomb": {"it": "L'archivio si espanderebbe oltre {limit_mb} MB (o con un rapporto sospetto): rifiutato.",
                        "en": "The archive would expand beyond {limit_mb} MB (or at a suspicious ratio): refused."},
    "upload.zip_entries": {"it": "L'archivio contiene troppi elementi ({n}).", "en": "The archive has too many entries ({n})."},
    "upload.zip_paths": {"it": "L'archivio contiene percorsi non ammessi.", "en": "The archive contains forbidden paths."},
    "upload.zip_corrupt": {"it": "L'archivio è danneggiato: {error}", "en": "The archive is damaged: {error}"},
    "upload.binary": {"it": "Il file .csv non è testo ({kind}).", "en": "The .csv file is not text ({kind})."},
    "publish.nothing_to_undo": {"it": "Nessuna pubblicazione da annullare.", "en": "There is no publish to undo."},
    "publish.kept_build_missing": {"it": "La versione precedente non è più conservata.",
                                   "en": "The previous build is no longer kept."},
    "publish.failed": {"it": "Pubblicazione non riuscita: resta in servizio la versione precedente. {error}",
                       "en": "Publish failed: the previous build stays in service. {error}"},
    "auth.not_configured": {
        "it": "L'accesso del personale non è configurato. Crea `.streamlit/secrets.toml` dal modello "
              "`.streamlit/secrets.toml.example` (sezione [auth]) e l'elenco del personale (var/staff.toml): vedi il README.",
        "en": "Staff sign-in is not configured. Create `.streamlit/secrets.toml` from the template "
              "`.streamlit/secrets.toml.example` ([auth] section) and the staff list (var/staff.toml): see the README."},
    "auth.sign_in": {"it": "Accedi per usare la gestione dati.", "en": "Sign in to use the data desk."},
    "auth.not_authorised": {"it": "Non autorizzato: il tuo indirizzo non è nell'elenco del personale.",
                            "en": "Not authorised: your address is not on the staff list."},
    "correction.rate_limited": {"it": "Hai inviato troppe segnalazioni: riprova più tardi.",
                                "en": "You have sent too many corrections: please try again later."},
    "correction.source_required": {"it": "Per un dato numerico serve l'indirizzo (URL) di una fonte.",
                                   "en": "A figure needs the address (URL) of a source."},
    "correction.bad_source": {"it": "La fonte deve essere un indirizzo web (http:// o https://).",
                              "en": "The source must be a web address (http:// or https://)."},
    "correction.bad_email": {"it": "Indirizzo e-mail non valido.", "en": "Invalid e-mail address."},
    "correction.bad_value": {"it": "Valore non valido: {reason}", "en": "Invalid value: {reason}"},
    "correction.unknown_site": {"it": "Organizzazione sconosciuta.", "en": "Unknown organisation."},
    "correction.reason_required": {"it": "Indica il motivo del rifiuto.", "en": "Give a reason for the rejection."},
    "correction.not_pending": {"it": "Questa segnalazione è già stata esaminata.", "en": "This correction was already reviewed."},
    "staff.forbidden": {"it": "Il tuo ruolo non consente questa azione.", "en": "Your role does not allow this action."},
}


def text(code: str, lang: str = "it", **params) -> str:
    entry = MESSAGES.get(code)
    if entry is None:
        return code
    return entry.get(lang, entry["it"]).format(**params)
