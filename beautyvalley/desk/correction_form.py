"""The public "Segnala una correzione / Suggest a correction" form, shown under the organisation card on
the map and explore pages (one call: `correction_form.render(org_id)`). Anyone may use it, signed in or
not; `corrections.submit` checks the value with the ETL's parser, requires a source URL for figures, and
rate-limits per browser session. The text is stored verbatim; nothing the visitor typed is rendered as
markdown or HTML here (messages are escaped)."""
from __future__ import annotations

import streamlit as st

from etl import corrections as etl_corrections

from .. import i18n
from ..formatting import md_escape
from . import auth, corrections, messages
from . import config as cfgmod
from .store import Store


def render(org_id: str, lang: str | None = None) -> None:
    t = i18n.t
    lang = lang or i18n.current_language()
    with st.expander(t("suggest.open", lang=lang)):
        st.caption(t("suggest.intro", lang=lang))
        with st.form(key=f"correction_form_{org_id}", clear_on_submit=False):
            field = st.selectbox(t("suggest.field", lang=lang), list(etl_corrections.FIELDS),
                                 key=f"correction_field_{org_id}",
                                 format_func=lambda c: i18n.column_label(c, lang))
            value = st.text_input(t("suggest.value", lang=lang), key=f"correction_value_{org_id}",
                                  max_chars=500)
            source = st.text_input(t("suggest.source", lang=lang), key=f"correction_source_{org_id}",
                                   max_chars=1000)
            email = st.text_input(t("suggest.email", lang=lang), key=f"correction_email_{org_id}",
                                  max_chars=320)
            sent = st.form_submit_button(t("suggest.submit", lang=lang))
        if sent:
            cfg = cfgmod.from_env().ensure()
            res = corrections.submit(cfg, Store(cfg.store_path), auth.session_id(), org_id, field, value,
                                     source, email)
            if res.ok:
                st.success(t("suggest.thanks", lang=lang, id=i18n.fmt_int(res.correction_id, lang)))
            else:
                st.error("\n".join("- " + md_escape(messages.text(code, lang, **params))
                                   for code, params in res.problems))
