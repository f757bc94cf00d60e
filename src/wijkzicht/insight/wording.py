"""Numbers, periods and lists written out for people, in Dutch (``nl``, the default) or English.

Dutch writes a decimal comma and a thousands dot (``1.234,5``), a space before ``%``
(``21 %``) and ``per 1.000``; English ``1,234.5``, ``21%`` and ``per 1,000``.

>>> number(1234.5, 1), number(1234.5, 1, "en")
('1.234,5', '1,234.5')
>>> period_phrase("2024-H1"), period_phrase("2024-05", "en")
('de eerste helft van 2024', 'May 2024')
"""

from __future__ import annotations

from collections.abc import Sequence

from wijkzicht.indicators.periods import parse

LANGS = ("nl", "en")
_MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}  # fmt: skip
_ORDINAL = {
    "nl": ("eerste", "tweede", "derde", "vierde"),
    "en": ("first", "second", "third", "fourth"),
}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; choose nl or en")
    return lang


def number(x: float, decimals: int = 0, lang: str = "nl") -> str:
    """``x`` rounded to ``decimals`` with the language's separators."""
    text = f"{x:,.{decimals}f}"
    if text in ("-0", "-0.0", "-0.00"):  # rounding a tiny negative number
        text = text[1:]
    if check_lang(lang) == "nl":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def percent(x: float, decimals: int = 0, lang: str = "nl") -> str:
    """``21 %`` (nl) or ``21%`` (en)."""
    return number(x, decimals, lang) + (" %" if lang == "nl" else "%")


def per_thousand(x: float, decimals: int = 0, lang: str = "nl") -> str:
    """``182 per 1.000`` (nl) or ``182 per 1,000`` (en)."""
    return f"{number(x, decimals, lang)} per {number(1000, 0, lang)}"


def decimals_for(*values: float) -> int:
    """Decimals to show: none from 10 up, one below; more (up to 3) while two values differ
    but would be written the same."""
    d = 0 if min(abs(v) for v in values) >= 10 else 1
    while d < 3 and len({round(v, d) for v in values}) < len(set(values)):
        d += 1
    return d


def p_text(p: float, lang: str = "nl") -> str:
    """``p < 0,001``, ``p = 0,004``, ``p = 0,03`` (three decimals below 0.01, else two)."""
    if p < 0.001:
        return f"p < {number(0.001, 3, lang)}"
    return f"p = {number(p, 3 if p < 0.01 else 2, lang)}"


def period_phrase(code: str, lang: str = "nl") -> str:
    """``2024``, ``de eerste helft van 2024`` / ``the first half of 2024``, ``het tweede kwartaal
    van 2024`` / ``the second quarter of 2024``, ``mei 2024`` / ``May 2024``."""
    p = parse(code)
    year, lang = p.start.year, check_lang(lang)
    if p.kind == "year":
        return str(year)
    if p.kind == "month":
        return f"{_MONTHS[lang][p.start.month - 1]} {year}"
    n = (p.start.month - 1) // (6 if p.kind == "half" else 3)
    nth = _ORDINAL[lang][n]
    if lang == "nl":
        return (
            f"de {nth} helft van {year}" if p.kind == "half" else f"het {nth} kwartaal van {year}"
        )
    return f"the {nth} {'half' if p.kind == 'half' else 'quarter'} of {year}"


def join(items: Sequence[str], lang: str = "nl") -> str:
    """``A, B en C`` / ``A, B and C``."""
    if len(items) <= 1:
        return "".join(items)
    word = " en " if lang == "nl" else " and "
    return ", ".join(items[:-1]) + word + items[-1]
