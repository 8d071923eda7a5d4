"""Safe text for Streamlit markdown: escaping user/data text and source lines.

st.markdown interprets Markdown (and would show raw HTML as text only if we are careful);
everything that comes from data goes through md_escape() before it reaches markdown.
"""

from __future__ import annotations

import html
import re
from typing import Any, Iterable

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


def source_line(urls: Iterable[Any], date: Any = None) -> str:
    """'[url1](url1) · [url2](url2) (date)' with every part escaped."""
    links = [md_link(u) for u in urls if isinstance(u, str) and u.strip()]
    text = " · ".join(links)
    if date not in (None, "") and date == date:
        text += f" ({md_escape(date)})"
    return text
