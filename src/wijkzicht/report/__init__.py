"""The public *Staat van de jeugd*: the gemeente and each wijk, conclusions first, from public
figures only, as one self-contained HTML file or a PDF.

- :mod:`~wijkzicht.report.content` — what the report says (sections, tables, chart specs);
- :mod:`~wijkzicht.report.render` — HTML (Django templates, inline CSS and SVG) and PDF
  (WeasyPrint, from the same HTML);
- :mod:`~wijkzicht.report.notes` — the municipality's public notes from the web database.

The CLI (``wijkzicht report``) and the web pages (``/rapport``, ``/rapport.pdf``) only call
:func:`make`.
"""

from __future__ import annotations

from collections.abc import Mapping

from wijkzicht.insight.figures import Figures
from wijkzicht.report.content import Report, ReportError, build
from wijkzicht.report.render import html, pdf

FORMATS = ("html", "pdf")


def make(
    figures: Figures,
    *,
    fmt: str = "html",
    period: str | None = None,
    lang: str = "nl",
    notes: Mapping | None = None,
) -> bytes:
    """The report as HTML (UTF-8) or PDF bytes."""
    if fmt not in FORMATS:
        raise ReportError(f"unknown report format {fmt!r}; choose html or pdf")
    document = html(build(figures, period=period, lang=lang, notes=notes))
    return document.encode() if fmt == "html" else pdf(document)


__all__ = ["FORMATS", "Report", "ReportError", "build", "html", "make", "pdf"]
