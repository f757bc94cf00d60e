"""The report as one self-contained HTML file (Django templates, inline CSS and SVG) and as a
PDF made by WeasyPrint from that same HTML.

The templates live in ``report/templates/report`` and are rendered by a standalone Django
template :class:`~django.template.Engine` (the project's template language, without needing
the report to be an installed app). Every value handed to a template is a string or a
structure of strings — numbers are written by :mod:`wijkzicht.insight.wording` before — so the
templates never localise anything themselves.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from pathlib import Path

import vl_convert

from wijkzicht.indicators.disclosure import SUPPRESSED_MARK
from wijkzicht.insight import wording
from wijkzicht.report.content import Figure, Report, Table

TEMPLATES = Path(__file__).resolve().parent / "templates"

TITLE = {"nl": "Staat van de jeugd", "en": "State of the youth"}
_ID = re.compile(r'\bid="([^"]+)"')


@lru_cache(maxsize=1)
def _engine():
    from django.template import Engine

    return Engine(dirs=[str(TEMPLATES)], autoescape=True, debug=False)


def svg(spec: dict, prefix: str) -> str:
    """A Vega-Lite spec as inline SVG; its element ids get ``prefix`` so that several charts
    in one HTML document never share a gradient or clip path."""
    out = vl_convert.vegalite_to_svg(spec)
    out = out.split("?>", 1)[-1].strip() if out.startswith("<?xml") else out
    for name in sorted(set(_ID.findall(out)), key=len, reverse=True):
        new = f"{prefix}-{name}"
        out = out.replace(f'id="{name}"', f'id="{new}"').replace(f"#{name})", f"#{new})")
        out = out.replace(f'href="#{name}"', f'href="#{new}"')
    return out


def _value_attr(x: float | None) -> str:
    return "" if x is None else repr(float(x))


def _figure(f: Figure) -> dict:
    return {
        "text": f.text,
        "kind": f.kind,
        "indicator": f.indicator,
        "area": f.area,
        "period": f.period,
        "value": _value_attr(f.value),
        "numerator": _value_attr(f.numerator),
        "denominator": _value_attr(f.denominator),
        "suppressed": "true" if f.suppressed else "false",
    }


def _table(t: Table | None) -> dict | None:
    if t is None:
        return None
    return {
        "caption": t.caption,
        "head": t.head,
        "rows": [
            {
                "label": r.label,
                "marks": ", ".join(str(m) for m in r.note_marks),
                "total": r.total,
                "figures": [_figure(f) for f in r.figures],
            }
            for r in t.rows
        ],
    }


def _chart(chart: tuple[str, dict] | None, prefix: str) -> dict | None:
    """Caption and inline SVG (marked safe: it comes from vl-convert, not from people)."""
    from django.utils.safestring import mark_safe

    if chart is None:
        return None
    caption, spec = chart
    return {"caption": caption, "svg": mark_safe(svg(spec, prefix))}  # noqa: S308


def context(report: Report) -> dict:
    """The template context: strings only, numbers written out before."""
    lang = report.lang
    counter = itertools.count(1)
    sections = []
    for s in report.sections:
        sections.append(
            {
                "code": s.area.code,
                "title": s.title,
                "is_gemeente": s.area.level == "gemeente",
                "conclusions": s.conclusions,
                "main": _table(s.main),
                "children": _table(s.children),
                "map": _chart(s.map, f"c{next(counter)}"),
                "trends": [_chart(t, f"c{next(counter)}") for t in s.trends],
                "notes": [
                    {
                        "number": str(n.number),
                        "indicator": n.indicator_label,
                        "area": n.area_name,
                        "text": n.text,
                        "author": n.author,
                        "date": n.created.isoformat() if n.created else "",
                    }
                    for n in s.notes
                ],
            }
        )
    gm = report.gemeente.name
    title = f"{TITLE[lang]} — {gm} {report.period}"
    return {
        "lang": lang,
        "nl": lang == "nl",
        "title": title,
        "gemeente": gm,
        "period": report.period,
        "previous": report.previous or "",
        "provisional": report.provisional,
        "first_year": report.years[0] if report.years else report.period,
        "peildatum": _peildatum(report.period, lang),
        "computed": report.computed[:16],
        "last_message": report.last_message.isoformat() if report.last_message else "",
        "secret": SUPPRESSED_MARK,
        "sections": sections,
    }


def _peildatum(period: str, lang: str) -> str:
    year = int(period[:4])
    return f"31 december {year}" if lang == "nl" else f"31 December {year}"


def html(report: Report) -> str:
    """The whole report as one HTML document (no external references)."""
    wording.check_lang(report.lang)
    from django.template import Context

    template = _engine().get_template("report/report.html")
    return template.render(Context(context(report)))


def pdf(document: str) -> bytes:
    """The PDF of the HTML from :func:`html` (A4, page breaks per wijk)."""
    import weasyprint

    # base_url: the HTML has no relative references; a fixed base keeps WeasyPrint from
    # looking at the working directory.
    return weasyprint.HTML(string=document, base_url=str(TEMPLATES)).write_pdf()
