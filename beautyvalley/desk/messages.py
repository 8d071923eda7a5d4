"""The desk's messages: codes travel in results (e.g. `Problem(code, params)`) and pages render them
with `text(code, lang, **params)`. The texts are messages of the app's catalogues
(beautyvalley/locales, keys upload.*, publish.*, auth.*, correction.*, staff.forbidden).
ETL messages (validation problems) come from the ETL as they are."""
from __future__ import annotations

from beautyvalley import i18n


def text(code: str, lang: str = "it", **params) -> str:
    """The message `code` in `lang` with its {params} filled; an unknown code is returned as is."""
    return i18n.t(code, lang, **params)
