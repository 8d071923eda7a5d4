"""The territory brief's download button (Streamlit side of `brief.py`, which imports no Streamlit).

The PDF is built only when the button is pressed (`partial` as the data, `on_click="ignore"`: no rerun).
"""
from __future__ import annotations

from functools import partial

import streamlit as st

from beautyvalley import brief
from beautyvalley.filter_spec import Filters


def brief_button(f: Filters, lang: str, *, label: str, help: str, key: str, base_url: str) -> None:
    st.download_button(
        label,
        partial(brief.build_brief, f, lang, base_url=base_url),
        file_name=brief.file_name(f, lang),
        mime="application/pdf",
        key=key,
        on_click="ignore",
        help=help,
        icon=":material/picture_as_pdf:",
    )
