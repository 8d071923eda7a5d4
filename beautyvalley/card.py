"""The short, human organisation card (issue 13): a few lines in words, Markdown-escaped.

``human_lines(card, lang, segment_labels)`` returns (label, markdown) pairs: what it does,
where, head count with year and scope, revenue, website, status, note; sources come from
``sources_markdown`` (publisher = the site's host name, date). Every code is translated;
every value from the data is escaped. The technical fields stay in the "Details" table
(``formatting.card_rows``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from beautyvalley import i18n
from beautyvalley.formatting import _plain, as_list, md_escape, md_link, split_urls
from beautyvalley.l10n import is_missing


def publisher(url: str) -> str:
    """The host name of a source URL, without 'www.' (the publisher shown on the card)."""
    host = urlsplit(url).hostname or url
    return host[4:] if host.startswith("www.") else host


def sources_markdown(urls: Any, date: Any, lang: str) -> str:
    """'[publisher](url) · [publisher](url) — date' (escaped)."""
    fmt = i18n.formatter(lang)
    links = [md_link(one, publisher(one)) for u in as_list(urls) for one in split_urls(u)]
    text = " · ".join(links) or i18n.t("card.no_source", lang=lang)
    if not is_missing(date) and str(date).strip():
        text += " — " + md_escape(fmt.date(date) if len(str(date)) == 10 else str(date))
    return text


def _figure(value: Any, year: Any, scope: Any, lang: str, eur: bool = False) -> str | None:
    if is_missing(value):
        return None
    fmt = i18n.formatter(lang)
    text = fmt.eur(value) if eur else fmt.int(value)
    extra = []
    if not is_missing(year):
        extra.append(fmt.year(year))
    if isinstance(scope, str) and scope:
        extra.append(i18n.t("card.scope", lang=lang, scope=i18n.code_label("figure_scope", scope, lang)))
    return md_escape(text) + (" (" + md_escape(", ".join(extra)) + ")" if extra else "")


def human_lines(card: dict[str, Any], lang: str, segment_labels: dict[str, str]) -> list[tuple[str, str]]:
    """(label, markdown value) pairs of the short card, only for fields that have a value."""
    t = lambda key, **kw: i18n.t(key, lang=lang, **kw)  # noqa: E731
    out: list[tuple[str, str]] = []
    what = [i18n.kind_label(card.get("kind"), lang)] if card.get("kind") else []
    segs = [segment_labels.get(s) or s for s in as_list(card.get("segments"))]
    if segs:
        what.append(", ".join(segs))
    specs = as_list(card.get("specialties"))
    if specs:
        what.append(", ".join(str(s) for s in specs))
    if what:
        out.append((t("card.what"), md_escape(" · ".join(what))))
    where = [p for p in (_plain(card.get("address")), _plain(card.get("comune"))) if p]
    if where:
        place = ", ".join(where) + (f" ({card['province']})" if card.get("province") else "")
        if card.get("location_precision") == "comune":
            place += " — " + t("card.approximate")
        out.append((t("card.where"), md_escape(place)))
    staff = _figure(card.get("employees"), card.get("employees_year"), card.get("figure_scope"), lang)
    if staff is None and card.get("employees_class"):
        staff = md_escape(t("card.class", value=_plain(card.get("employees_class"))))
    if staff:
        out.append((t("card.staff"), staff))
    revenue = _figure(card.get("revenue_eur"), card.get("revenue_year"), card.get("figure_scope"), lang, eur=True)
    if revenue:
        out.append((t("card.revenue"), revenue))
    site = card.get("website")
    if isinstance(site, str) and site.startswith(("http://", "https://")):
        out.append((t("card.website"), md_link(site, publisher(site))))
    if card.get("site_type"):
        out.append((t("card.site_type"), md_escape(i18n.code_label("site_type", card["site_type"], lang))))
    if card.get("cluster_role"):
        out.append((t("card.cluster_role"), md_escape(i18n.code_label("cluster_role", card["cluster_role"], lang))))
    note = _plain(card.get(f"note_{lang}")) or _plain(card.get("note"))
    if note:
        # curated notes are written in English; say so in the Italian interface
        has_own = bool(_plain(card.get(f"note_{lang}")))
        out.append((t("card.note"), md_escape(note) + ("" if has_own or lang == "en" else " " + t("card.note_in_english"))))
    return out
