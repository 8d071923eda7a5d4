"""Safe text for Streamlit markdown: escaping user/data text and source lines.

st.markdown interprets Markdown (and would show raw HTML as text only if we are careful);
everything that comes from data goes through md_escape() before it reaches markdown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:\"'=])")


def md_escape(value: Any) -> str:
    """Escape Markdown and HTML-significant characters so data text is shown literally."""
    if value is None:
        return ""
    text = str(value).replace("\r", " ").replace("\n", " ")
    return _MD_SPECIAL.sub(r"\\\1", text)


def safe_url(url: Any) -> str | None:
    """The URL if it is a plain http(s) URL without spaces or markup, else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not re.fullmatch(r"https?://[^\s<>\"'()\[\]`]+", url):
        return None
    return url


def md_link(url: Any, text: Any | None = None) -> str:
    """A Markdown link for a safe http(s) URL; otherwise the escaped text only."""
    ok = safe_url(url)
    label = md_escape(text if text is not None else url)
    if ok is None:
        return label
    return f"[{label}]({ok})"


def html_escape(value: Any) -> str:
    return "" if value is None else html.escape(str(value), quote=True)


def split_urls(value: Any) -> list[str]:
    """An indicator's source_url may hold several URLs separated by ' | '."""
    if not isinstance(value, str):
        return []
    return [u.strip() for u in value.split(" | ") if u.strip()]


def first_url(value: Any) -> str | None:
    urls = split_urls(value)
    return urls[0] if urls else None


def source_line(urls: Iterable[Any], date: Any = None) -> str:
    """'[url1](url1) · [url2](url2) (date)' with every part escaped."""
    links = [md_link(one) for u in urls for one in split_urls(u)]
    text = " · ".join(links)
    if date not in (None, "") and date == date:
        text += f" ({md_escape(date)})"
    return text


def _plain(value: Any) -> str:
    """Display text of one card value: lists joined, missing values empty."""
    if value is None:
        return ""
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value if v is not None)
    try:
        if value != value:  # NaN
            return ""
    except (TypeError, ValueError):
        return ""
    return str(value)


def card_rows(card: dict[str, Any], lang: str, segment_labels: dict[str, str]) -> list[dict[str, str]]:
    """The organisation card as (field, value) rows: every field, labels translated.

    Values stay plain text (shown in a dataframe, never as Markdown/HTML).
    """
    from beautyvalley import i18n

    rows = []
    for col, value in card.items():
        if col == "source_urls":
            continue
        if col == "kind" or col in i18n.CODED_FIELDS:
            value = i18n.code_label(col, value, lang)
        elif col == "segments" and value is not None:
            value = [segment_labels.get(s, s) for s in _plain(value).split(", ") if s]
        elif col in ("employees", "revenue_eur") and value is not None and value == value:
            try:
                value = i18n.fmt_number(value, lang) if col == "employees" else i18n.fmt_eur(value, lang)
            except (TypeError, ValueError):
                pass
        rows.append({"field": i18n.column_label(col, lang), "value": _plain(value)})
    return rows


def as_list(value: Any) -> list[Any]:
    """A VARCHAR[] cell (list, numpy array or None) as a plain list."""
    if value is None:
        return []
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return list(value)
    return [] if value != value else [value]


def selected_org_id(event: Any) -> str | None:
    """The org_id of the point picked on the map (st.pydeck_chart selection), if any."""
    try:
        objects = (event.selection or {}).get("objects", {}) if event is not None else {}
    except AttributeError:
        return None
    for layer_objects in (objects or {}).values():
        for obj in layer_objects or []:
            if isinstance(obj, dict) and obj.get("org_id"):
                return str(obj["org_id"])
    return None
