"""The one place where numbers and dates are formatted: ``Formatter(lang)`` on Babel (CLDR).

Every page, chart builder, map builder and export gets its numbers from a ``Formatter``;
the builders take it as a required ``fmt=`` keyword, pages create it from the session's
language (``i18n.formatter()``). Nothing here imports Streamlit or the texts.

Wording (decided once; tests/test_l10n.py is the contract, one table of expected outputs):

* separators, dates, month names, currency placement, percent sign and minus sign: CLDR
  for ``it_IT`` and ``en_GB`` ("1.234,5" / "1,234.5", "3 maggio 2024" / "3 May 2024",
  "950 €" / "€950", "66,2%" / "66.2%"). A no-break space joins a number to its unit.
* compact euros from a million up, at most one decimal: Italian with the press
  abbreviations "mln"/"mld" ("1,5 mld €") instead of CLDR's capitalised "Mln"/"Mld";
  English with CLDR's "M"/"B" ("€1.5B").
* counts in full ("12.345.678"), percentages with one decimal, changes signed ("+", "-",
  "±" for none), percentage changes in points ("p.p." / "pp").
* a missing value (None, NaN, NA, NaT) is "—".
"""

from __future__ import annotations

import datetime
import functools
from typing import Any

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

LOCALES = {"it": "it_IT", "en": "en_GB"}
MISSING = "—"
NBSP = "\u00a0"

# Compact euro amounts: (threshold, suffix after the number). Italian: explicit press
# abbreviations (CLDR says "Mln"/"Mld"); English: CLDR's en_GB short forms.
_COMPACT = {
    "it": ((1e9, NBSP + "mld"), (1e6, NBSP + "mln")),
    "en": ((1e9, "B"), (1e6, "M")),
}
_POINTS = {"it": NBSP + "p.p.", "en": NBSP + "pp"}


def is_missing(value: Any) -> bool:
    """None, NaN, pd.NA and NaT are missing; strings, lists and other objects are not."""
    if value is None:
        return True
    if isinstance(value, (list, tuple, dict, str)):
        return False
    try:
        import pandas as pd

        result = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return getattr(result, "ndim", 0) == 0 and bool(result)


def _has_digit(text: str) -> bool:
    """Whether a formatted number has a digit other than 0."""
    return any(c in "123456789" for c in text)


class Formatter:
    """Numbers and dates in one language ("it" or "en").

    ``fmt(value, unit)`` (the call) is :meth:`value`, the form the chart builders use.
    """

    def __init__(self, lang: str) -> None:
        if lang not in LOCALES:
            raise ValueError(f"unknown language {lang!r} (expected one of {sorted(LOCALES)})")
        self.lang = lang
        self.locale = Locale.parse(LOCALES[lang])
        currency = self.locale.currency_formats["standard"]
        symbol = babel_numbers.get_currency_symbol("EUR", self.locale)
        self._eur_prefix = currency.prefix[0].replace("¤", symbol)
        self._eur_suffix = currency.suffix[0].replace("¤", symbol)
        self._percent = self.locale.percent_formats[None].suffix[0]
        self.decimal_symbol = babel_numbers.get_decimal_symbol(self.locale)
        self.group_symbol = babel_numbers.get_group_symbol(self.locale)

    def __repr__(self) -> str:
        return f"Formatter({self.lang!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Formatter) and other.lang == self.lang

    def __hash__(self) -> int:
        return hash(("Formatter", self.lang))

    @property
    def plotly_separators(self) -> str:
        """plotly's ``layout.separators``: the decimal then the thousands character."""
        return self.decimal_symbol + self.group_symbol

    # ------------------------------------------------------------------ numbers
    def _decimal(self, value: float, pattern: str) -> str:
        text = babel_numbers.format_decimal(value, format=pattern, locale=self.locale)
        if value < 0 and not _has_digit(text):  # a small negative number rounds to "0", not "-0"
            text = babel_numbers.format_decimal(-value, format=pattern, locale=self.locale)
        return text

    def number(self, value: Any, decimals: int = 0) -> str:
        """'1.234,5' (it) / '1,234.5' (en), with exactly ``decimals`` decimals."""
        if is_missing(value):
            return MISSING
        return self._decimal(float(value), "#,##0" + ("." + "0" * decimals if decimals else ""))

    def int(self, value: Any) -> str:
        return self.number(value, 0)

    def auto(self, value: Any) -> str:
        """No decimals for a whole number, else one ('12', '12,5')."""
        if is_missing(value):
            return MISSING
        v = float(value)
        return self.number(v, 0 if v == int(v) else 1)

    def eur(self, value: Any) -> str:
        """Euros: compact from a million up ('1,5 mld €' / '€1.5B'), else whole euros ('950 €')."""
        if is_missing(value):
            return MISSING
        v = float(value)
        body = self._decimal(abs(v), "#,##0")
        for size, suffix in _COMPACT[self.lang]:
            if abs(v) >= size:
                body = self._decimal(abs(v) / size, "#,##0.#") + suffix
                break
        sign = "-" if v < 0 and _has_digit(body) else ""
        return f"{sign}{self._eur_prefix}{body}{self._eur_suffix}"

    def percent(self, value: Any, decimals: int = 1) -> str:
        """A value already in percent: 66.2 -> '66,2%' / '66.2%'."""
        if is_missing(value):
            return MISSING
        return self.number(value, decimals) + self._percent

    def year(self, value: Any) -> str:
        if is_missing(value):
            return MISSING
        return str(int(round(float(value))))

    def value(self, value: Any, unit: str | None = None) -> str:
        """A value in its indicator unit (EUR, count, percent, year; anything else: up to one decimal)."""
        if is_missing(value):
            return MISSING
        unit = (unit or "").strip()
        if unit == "EUR":
            return self.eur(value)
        if unit == "percent":
            return self.percent(value)
        if unit == "year":
            return self.year(value)
        if unit == "count":
            return self.int(value)
        return self.auto(value)

    def __call__(self, value: Any, unit: str | None = None) -> str:
        return self.value(value, unit)

    def change(self, diff: Any, unit: str | None = None) -> str:
        """A signed change: '+1,2 mld €', '-3', '±0', '+2,1 p.p.' (percentages change in points)."""
        if is_missing(diff):
            return MISSING
        d = float(diff)
        sign = "+" if d > 0 else ("-" if d < 0 else "±")
        if (unit or "").strip() == "percent":
            return sign + self.number(abs(d), 1) + _POINTS[self.lang]
        return sign + self.value(abs(d), unit)

    def plain(self, value: Any) -> Any:
        """A float for a spreadsheet: this language's decimal symbol, no grouping, every digit.

        ``Formatter("it").plain(1234.5)`` -> '1234,5' (the Excel CSV); whole numbers without
        decimals; NaN -> ''; anything that is not a float (None, bools, text) unchanged.
        """
        if not isinstance(value, float) or isinstance(value, bool):
            return value
        if value != value:
            return ""
        return babel_numbers.format_decimal(
            value, format="0.#", locale=self.locale, decimal_quantization=False, group_separator=False
        )

    # ------------------------------------------------------------------ dates
    def month(self, month: int) -> str:
        """The month's name as it stands alone: 5 -> 'maggio' / 'May'."""
        return babel_dates.get_month_names("wide", "stand-alone", locale=self.locale)[int(month)]

    def date(self, value: Any) -> str:
        """'2024-05-03' -> '3 maggio 2024' / '3 May 2024'; '2024-05' -> 'maggio 2024'; '2024' -> '2024'.

        Only the first ten characters count (a timestamp is shown as its day); text that is
        no such date is returned as it is.
        """
        if is_missing(value) or value == "":
            return MISSING
        text = str(value)[:10]
        parts = text.split("-")
        try:
            if len(parts) == 3:
                day = datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
                return babel_dates.format_date(day, "long", locale=self.locale)
            if len(parts) == 2:
                first = datetime.date(int(parts[0]), int(parts[1]), 1)
                return babel_dates.format_skeleton("yMMMM", first, locale=self.locale)
        except ValueError:
            return text
        return text


@functools.cache
def formatter(lang: str) -> Formatter:
    """The (shared, immutable) Formatter of ``lang``."""
    return Formatter(lang)
