"""How one figure is shown: a table cell with its data attributes, a label in the active
language, and the choice between public and exact figures (analysts only, logged).

Every table cell that shows an indicator figure carries ``data-indicator``, ``data-area``,
``data-period``, ``data-numerator``, ``data-denominator`` and ``data-value`` (empty when
suppressed), so a disclosure scan can check every public page against the public figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from wijkzicht.indicators.catalogue import Indicator
from wijkzicht.insight import wording
from wijkzicht.insight.figures import Figures
from wijkzicht.web.audit.log import log_access
from wijkzicht.web.roles import can_see_raw

DOT = "•"  # a suppressed (secret) cell
NO_VALUE = "–"
EXACT = "exact"


def lang() -> str:
    """``en`` or ``nl`` (the default) from the active Django language."""
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def label(indicator: Indicator, language: str | None = None) -> str:
    return indicator.label_en if (language or lang()) == "en" else indicator.label_nl


def description(indicator: Indicator, language: str | None = None) -> str:
    return indicator.description_en if (language or lang()) == "en" else indicator.description_nl


def decimals(indicator: Indicator) -> int:
    return 1 if indicator.per in (100, 1000) else 0


def _attr(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


@dataclass(frozen=True)
class Shown:
    """One figure as a page shows it."""

    indicator: str
    area: str
    period: str
    numerator: float | None
    denominator: float | None
    value: float | None
    suppressed: bool
    text: str  # "12,3", "•" (secret) or "–" (no value)
    provisional: bool

    @property
    def attrs(self) -> SafeString:
        hide = self.suppressed
        return format_html(
            'data-indicator="{}" data-area="{}" data-period="{}" data-numerator="{}" '
            'data-denominator="{}" data-value="{}"',
            self.indicator,
            self.area,
            self.period,
            "" if hide else _attr(self.numerator),
            "" if hide else _attr(self.denominator),
            "" if hide else _attr(self.value),
        )

    @property
    def css(self) -> str:
        return "num secret" if self.suppressed else "num"

    @property
    def html(self) -> SafeString:
        """The ``<td>`` (built here, not by a template include per cell: pages have hundreds)."""
        if self.suppressed:
            return format_html(
                '<td class="{}" {}><abbr title="{}">{}</abbr></td>',
                self.css,
                self.attrs,
                gettext("secret (small number)"),
                DOT,
            )
        return format_html('<td class="{}" {}>{}</td>', self.css, self.attrs, self.text)


def shown(f: Figures, indicator: str, area: str, period: str, *, raw: bool, language: str) -> Shown:
    """The cell of ``indicator`` in ``area`` and ``period`` (public unless ``raw``); a missing
    row shows as no value."""
    ind = f.indicator(indicator)
    cell = f.cell(indicator, area, period, raw=raw)
    num, den, value, suppressed = cell if cell is not None else (None, None, None, False)
    suppressed = bool(suppressed)
    if suppressed:
        text = DOT
    elif value is None:
        text = NO_VALUE
    else:
        text = wording.number(value, decimals(ind), language)
    return Shown(indicator, area, period, num, den, value, suppressed, text, f.provisional(period))


def exact_view(request: HttpRequest, object_type: str, object_id: str) -> tuple[bool, bool]:
    """``(raw, refused)`` for ``?cijfers=exact``: an analyst gets exact figures and the read is
    logged; anybody else gets the public figures and the refusal is logged."""
    if request.GET.get("cijfers") != EXACT:
        return False, False
    if can_see_raw(request.user):
        log_access(request, "read", object_type, object_id)
        return True, False
    log_access(request, "read", object_type, object_id, result="denied")
    return False, True
