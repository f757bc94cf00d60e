"""The cached content of each page (everything but the notes and the user's own controls):
one entry per (figures state, page arguments, language, public/exact)."""

from __future__ import annotations

from functools import lru_cache

from django.template.loader import render_to_string
from django.utils.html import json_script
from django.utils.translation import gettext as _
from django.utils.translation import override

from wijkzicht.indicators.catalogue import RULES
from wijkzicht.insight.figures import Figures
from wijkzicht.web.dashboard import pages
from wijkzicht.web.dashboard.cells import description, label
from wijkzicht.web.data import figures


def overview(f: Figures, indicator: str, period: str, lang: str, raw: bool) -> dict:
    return _overview(f.state, indicator, period, lang, raw)


def area(f: Figures, code: str, period: str, lang: str, raw: bool) -> dict:
    return _area(f.state, code, period, lang, raw)


def indicator(f: Figures, name: str, level: str, period: str, lang: str, raw: bool) -> dict:
    return _indicator(f.state, name, level, period, lang, raw)


def indicators(f: Figures, period: str, lang: str) -> dict:
    return _indicators(f.state, period, lang)


@lru_cache(maxsize=8)
def _indicators(state: str, period: str, lang: str) -> dict:
    f = figures()
    with override(lang):
        names = tuple(i.name for i in f.indicators)
        table = pages.indicator_table(
            f,
            f.gemeente.code,
            names,
            [period],
            pages.build_columns(f, [period]),
            _("Every indicator for %(name)s") % {"name": f.gemeente.name},
            raw=False,
            lang=lang,
        )
        return prerender({"table": table, "period": period})


@lru_cache(maxsize=64)
def _overview(state: str, indicator: str, period: str, lang: str, raw: bool) -> dict:
    f = figures()
    with override(lang):
        gm = f.gemeente
        prev = pages._previous(f, period)
        periods = [period] + ([prev] if prev else [])
        return prerender(
            {
                "gemeente": gm,
                "period": period,
                "provisional": f.provisional(period),
                "indicator": f.indicator(indicator),
                "indicator_label": label(f.indicator(indicator), lang),
                "conclusions": pages.page_conclusions(f, period, None, lang, raw),
                "map": pages.map_chart(f, indicator, "wijk", period, raw=raw, lang=lang),
                "table": pages.indicator_table(
                    f,
                    gm.code,
                    pages.MAIN,
                    periods,
                    pages.build_columns(f, periods),
                    _("Main indicators for %(name)s") % {"name": gm.name},
                    raw=raw,
                    lang=lang,
                ),
                "map_indicators": [
                    (i.name, label(i, lang)) for i in f.indicators if "wijk" in i.levels
                ],
                "periods": pages.period_choices(f),
                "wijken": f.level("wijk"),
            }
        )


@lru_cache(maxsize=1024)
def _area(state: str, code: str, period: str, lang: str, raw: bool) -> dict:
    f = figures()
    with override(lang):
        here = f.area(code)
        gm = f.gemeente
        prev = pages._previous(f, period)
        periods = [period] + ([prev] if prev else [])
        similar = pages.similar(f, code, period)
        compare = [code] + ([gm.code] if code != gm.code else []) + [s.code for s in similar]
        parents = []
        parent = here.parent
        while parent:
            parents.insert(0, f.area(parent))
            parent = f.area(parent).parent
        children = f.children(code)
        trend_codes = [code] + ([gm.code] if code != gm.code else [])
        level = here.level
        return prerender(
            {
                "area": here,
                "parents": parents,
                "period": period,
                "provisional": f.provisional(period),
                "conclusions": pages.page_conclusions(f, period, code, lang, raw),
                "table": pages.indicator_table(
                    f,
                    code,
                    pages.MAIN,
                    periods,
                    pages.build_columns(f, periods),
                    _("Indicators for %(name)s") % {"name": here.name},
                    raw=raw,
                    lang=lang,
                ),
                "trends": [
                    pages.trend_chart(f, n, trend_codes, raw=raw, lang=lang)
                    for n in pages.TRENDS
                    if level in f.indicator(n).levels
                ],
                "similar": [
                    (s, s.reason_en if lang == "en" else s.reason_nl, pages.area_url(s.code))
                    for s in similar
                ],
                "comparison": pages.comparison_table(
                    f,
                    compare,
                    pages.MAIN,
                    period,
                    _("%(name)s compared with the city and similar areas, %(period)s")
                    % {"name": here.name, "period": period},
                    raw=raw,
                    lang=lang,
                ),
                "route": _optional(
                    pages.comparison_table(
                        f,
                        trend_codes,
                        pages.ROUTE,
                        period,
                        _("Who referred the youth care trajectories begun, %(period)s")
                        % {"period": period},
                        raw=raw,
                        lang=lang,
                    )
                ),
                "close": _optional(
                    pages.comparison_table(
                        f,
                        trend_codes,
                        pages.CLOSE_TO_HOME,
                        period,
                        _("Who provided the youth care, %(period)s") % {"period": period},
                        raw=raw,
                        lang=lang,
                    )
                ),
                "children": children,
                "children_table": pages.areas_table(
                    f,
                    pages.DEFAULT_INDICATOR,
                    [c.code for c in children],
                    periods,
                    label(f.indicator(pages.DEFAULT_INDICATOR), lang),
                    raw=raw,
                    lang=lang,
                )
                if children
                else None,
                "note_indicators": [(r.indicator, r.label) for r in _main_rows(f, code, lang)],
                "periods": pages.period_choices(f),
            }
        )


@lru_cache(maxsize=512)
def _indicator(state: str, name: str, level: str, period: str, lang: str, raw: bool) -> dict:
    f = figures()
    with override(lang):
        ind = f.indicator(name)
        wijken = [a.code for a in f.level("wijk")]
        has_wijk = "wijk" in ind.levels
        return prerender(
            {
                "ind": ind,
                "label": label(ind, lang),
                "description": description(ind, lang),
                "rule": _rule_text(ind.disclosure, lang),
                "levels": [lv for lv in ("wijk", "buurt") if lv in ind.levels],
                "level": level,
                "period": period,
                "provisional": f.provisional(period),
                "map": pages.map_chart(f, name, level, period, raw=raw, lang=lang),
                "ranking": pages.ranking_chart(f, name, level, period, raw=raw, lang=lang),
                "trend": pages.trend_chart(f, name, [f.gemeente.code, *wijken], raw=raw, lang=lang)
                if has_wijk
                else pages.trend_chart(f, name, [f.gemeente.code], raw=raw, lang=lang),
                "periods": pages.period_choices(f),
            }
        )


def prerender(context: dict) -> dict:
    """Render every table and chart spec of a page's content once (in the active language),
    so a request only fills in the page around them."""
    for value in context.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, pages.Chart):
                item.script = json_script(item.spec) if item.spec else ""
                item = item.table
            if isinstance(item, pages.Table):
                item.html = render_to_string("wijkzicht/_table.html", {"t": item})
    return context


def _optional(table: pages.Table) -> pages.Table | None:
    return table if table.rows else None


def _main_rows(f: Figures, code: str, lang: str) -> list[pages.Row]:
    level = f.area(code).level
    return [pages.Row(label(i, lang), [], "", i.name) for i in pages._at(level, pages.MAIN)]


_RULES_NL = {
    "rate": "teller en noemer zijn aantallen: afgerond op veelvouden van 5, geheim bij 0–7; "
    "de waarde is berekend uit de afgeronde aantallen",
    "count": "de teller is een aantal: afgerond op een veelvoud van 5, geheim bij 0–7; waarde = "
    "afgeronde teller",
    "duration": "de noemer (beëindigde trajecten) is een aantal: afgerond, geheim bij 0–7; de "
    "teller (dagen) wordt niet gepubliceerd; de waarde is het exacte gemiddelde of de mediaan",
}


def _rule_text(rule: str, lang: str) -> str:
    return RULES[rule] if lang == "en" else _RULES_NL.get(rule, RULES[rule])
