"""What the *Staat van de jeugd* says, as plain data: sections, conclusions, tables, charts.

Everything here comes from the **public** figures of :class:`~wijkzicht.insight.figures.Figures`
(never ``raw=True``): a suppressed cell stays suppressed and is shown as ``•``. Charts are kept
as Vega-Lite specs; :mod:`wijkzicht.report.render` turns them into SVG and HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from wijkzicht.indicators.catalogue import Indicator
from wijkzicht.indicators.disclosure import SUPPRESSED_MARK
from wijkzicht.indicators.periods import parse
from wijkzicht.insight import charts, wording
from wijkzicht.insight.conclusions import conclusions, previous_period
from wijkzicht.insight.figures import Area, Figures, FiguresError
from wijkzicht.insight.profiles import area_profiles
from wijkzicht.insight.similar import similar_areas
from wijkzicht.store import connect as store_connect

# The main indicators: one row each in every table (order = order shown).
MAIN = (
    "jeugdhulp_0_17",
    "jeugdhulp_zonder_verblijf_0_17",
    "jeugdhulp_met_verblijf_0_17",
    "jeugdbescherming",
    "jeugdreclassering",
    "trajecten_begonnen",
    "trajecten_beeindigd_voortijdig",
    "zorg_dichtbij",
    "herinstroom_12m",
)
MAP_INDICATOR = "jeugdhulp_0_17"  # the maps and the buurt tables
TRENDS = ("jeugdhulp_0_17", "jeugdbescherming")  # the gemeente's trend charts
GEMEENTE_CONCLUSIONS, WIJK_CONCLUSIONS = 6, 3
MISSING_MARK = "–"  # no figure at all (e.g. a denominator of 0), unlike a suppressed one


class ReportError(ValueError):
    """The report cannot be made: unknown period, or a store without results."""


@dataclass(frozen=True)
class Figure:
    """One public figure as printed: the text and what the HTML carries in data attributes."""

    indicator: str
    area: str
    period: str
    text: str  # "117,4", "•" (suppressed) or "–" (no figure)
    value: float | None
    numerator: float | None
    denominator: float | None
    suppressed: bool

    @property
    def kind(self) -> str:
        return "suppressed" if self.suppressed else "missing" if self.value is None else "value"


@dataclass(frozen=True)
class Row:
    label: str
    figures: tuple[Figure, ...]
    note_marks: tuple[int, ...] = ()  # footnote numbers of the notes on this row
    total: bool = False  # the parent area under its children


@dataclass(frozen=True)
class Table:
    caption: str
    head: tuple[str, ...]  # first column heading, then one per figure column
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Note:
    """The municipality's explanation of a figure (the latest public version)."""

    number: int
    indicator_label: str
    area_name: str
    text: str
    author: str
    created: date


@dataclass
class Section:
    area: Area
    title: str
    conclusions: list[dict] = field(default_factory=list)  # sentence, significant
    main: Table | None = None  # the main indicators: this year, last year, the gemeente
    children: Table | None = None  # the wijken or buurten, beside the map
    map: tuple[str, dict] | None = None  # (caption, Vega-Lite spec)
    trends: list[tuple[str, dict]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [t for t in (self.children, self.main) if t is not None]


@dataclass
class Report:
    lang: str
    period: str
    previous: str | None
    provisional: bool
    gemeente: Area
    computed: str
    last_message: date | None
    sections: list[Section]
    years: list[str]

    def figures(self) -> list[Figure]:
        """Every figure printed in a table (what the tests check against the public data)."""
        return [f for s in self.sections for t in s.tables for r in t.rows for f in r.figures]


NoteLike = object  # anything with .text, .author_name and .created (a dashboard Note)


def build(
    figures: Figures,
    *,
    period: str | None = None,
    lang: str = "nl",
    notes: Mapping[tuple[str, str], NoteLike] | None = None,
) -> Report:
    """The report for the gemeente and each of its wijken in ``period`` (a year; default: the
    latest year that is not provisional). ``notes``: (indicator, area code) → the note to
    print (see :func:`wijkzicht.report.notes.public_notes`)."""
    wording.check_lang(lang)
    period = report_period(figures, period)
    previous = previous_period(period)
    if previous not in figures.periods:
        previous = None
    rows = figures.values(period=period)
    if previous:
        rows += figures.values(period=previous)
    ctx = _Context(figures, period, previous, lang, notes or {})
    gm = figures.gemeente
    wijken = sorted(figures.children(gm.code), key=lambda a: a.code)
    areas = figures.areas
    sections = [_gemeente_section(ctx, gm, wijken)]
    similar = _similar(figures, period, [w.code for w in wijken])
    for wk in wijken:
        sections.append(_wijk_section(ctx, wk))
    for s in sections:
        s.conclusions = [
            {"sentence": c.sentence, "significant": c.significant}
            for c in conclusions(
                rows,
                areas,
                period,
                area=None if s.area.level == "gemeente" else s.area.code,
                similar=None if s.area.level == "gemeente" else similar.get(s.area.code),
                lang=lang,
                limit=GEMEENTE_CONCLUSIONS if s.area.level == "gemeente" else WIJK_CONCLUSIONS,
            )
        ]
    return Report(
        lang=lang,
        period=period,
        previous=previous,
        provisional=figures.provisional(period),
        gemeente=gm,
        computed=str(figures.computed),
        last_message=figures.last_message,
        sections=sections,
        years=[y for y in figures.periods_of("year") if y <= period],
    )


def report_period(figures: Figures, period: str | None) -> str:
    years = figures.periods_of("year")
    if not years:
        raise ReportError(f"{figures.db} has no yearly figures")
    if period is None:
        return figures.latest("year")
    try:
        p = parse(str(period))
    except ValueError as e:
        raise ReportError(str(e)) from None
    if p.kind != "year":
        raise ReportError(f"the report is yearly: use a year such as {years[-1]}, not {period!r}")
    if p.code not in years:
        raise ReportError(f"no figures for {p.code}; the store has {years[0]}–{years[-1]}")
    return p.code


def _similar(figures: Figures, period: str, codes: list[str]) -> dict[str, list]:
    """Similar wijken per wijk (by youth, age make-up, deprivation), for the conclusions."""
    con = store_connect(figures.db, read_only=True)
    try:
        profiles = area_profiles(con, int(period))
    finally:
        con.close()
    return {c: similar_areas(profiles, c, k=3) for c in codes if c in profiles}


class _Context:
    def __init__(self, figures: Figures, period: str, previous: str | None, lang: str,
                 notes: Mapping[tuple[str, str], NoteLike]) -> None:  # fmt: skip
        self.f, self.period, self.previous, self.lang, self.notes = (
            figures,
            period,
            previous,
            lang,
            notes,
        )

    def label(self, ind: Indicator) -> str:
        return ind.label_nl if self.lang == "nl" else ind.label_en

    def period_head(self, code: str) -> str:
        return f"{code} ({charts.PROVISIONAL[self.lang]})" if self.f.provisional(code) else code

    def figure(self, indicator: str, area: str, period: str | None) -> Figure:
        cell = self.f.cell(indicator, area, period) if period else None  # public, never raw
        if cell is None:
            return Figure(indicator, area, period or "", MISSING_MARK, None, None, None, False)
        numerator, denominator, value, suppressed = cell
        if suppressed:
            text = SUPPRESSED_MARK
        elif value is None:
            text = MISSING_MARK
        else:
            text = show(self.f.indicator(indicator), value, self.lang)
        return Figure(indicator, area, period, text, value, numerator, denominator, suppressed)

    def trend(self, indicator: str, areas: list[Area]) -> tuple[str, dict]:
        ind = self.f.indicator(indicator)
        points = [
            {
                "period": p,
                "area": a.name,
                "value": None if cell[3] else cell[2],
                "provisional": self.f.provisional(p),
            }
            for a in areas
            for p, cell in self.f.series(indicator, a.code, "year")
            if p <= self.period
        ]
        unit = _unit(ind, self.lang)
        return self.label(ind), charts.trend(
            points, y_title=unit, lang=self.lang, width=330, height=170
        )

    def choropleth(self, parent: Area, level: str) -> tuple[str, dict]:
        ind = self.f.indicator(MAP_INDICATOR)
        kids = {a.code for a in self.f.children(parent.code)}
        geo = self.f.geojson(level)
        geo = {**geo, "features": [f for f in geo["features"] if f["id"] in kids]}
        values = {}
        for code in kids:
            cell = self.f.cell(MAP_INDICATOR, code, self.period)
            values[code] = None if cell is None or cell[3] else cell[2]
        grey = "grijs: geheim" if self.lang == "nl" else "grey: secret"
        caption = f"{self.label(ind)}, {self.period} ({grey})"
        return caption, charts.choropleth(
            geo, values, title=_unit(ind, self.lang), lang=self.lang, width=330, height=230
        )

    def notes_for(self, codes: list[str]) -> list[tuple[str, str, NoteLike]]:
        """Notes on the indicators of these areas, in table order: (indicator, area, note)."""
        shown = dict.fromkeys((*MAIN, MAP_INDICATOR))
        return [
            (ind, code, self.notes[(ind, code)])
            for code in codes
            for ind in shown
            if (ind, code) in self.notes
        ]


def show(ind: Indicator, value: float, lang: str) -> str:
    """A public value as printed: rates and percentages with one decimal, days and counts
    whole."""
    if ind.per in (1000, 100):
        return wording.number(value, 1, lang)
    return wording.number(value, 0, lang)


def _unit(ind: Indicator, lang: str) -> str:
    if ind.per == 1000:
        return f"per {wording.number(1000, 0, lang)}"
    if ind.per == 100:
        return "%"
    if ind.per == 1:
        return "dagen" if lang == "nl" else "days"
    return "aantal" if lang == "nl" else "number"


def _main_table(ctx: _Context, area: Area, note_rows: dict[str, list[int]]) -> Table:
    gm = ctx.f.gemeente
    nl = ctx.lang == "nl"
    periods = [p for p in (ctx.previous, ctx.period) if p]
    head = ["Indicator"]
    head += [f"{area.name} {ctx.period_head(p)}" for p in periods]
    compare = area.code != gm.code
    if compare:
        head.append(f"{gm.name} {ctx.period_head(ctx.period)}")
    rows = []
    for name in MAIN:
        ind = ctx.f.indicator(name)
        figs = [ctx.figure(name, area.code, p) for p in periods]
        if compare:
            figs.append(ctx.figure(name, gm.code, ctx.period))
        rows.append(Row(ctx.label(ind), tuple(figs), tuple(note_rows.get(name, ()))))
    caption = (
        f"Belangrijkste cijfers van {area.name}: {ctx.period} en het jaar ervoor"
        if nl
        else f"Main figures of {area.name}: {ctx.period} and the year before"
    )
    return Table(caption, tuple(head), tuple(rows))


def _children_table(ctx: _Context, area: Area, children: list[Area], names: tuple[str, ...],
                    caption: str) -> Table:  # fmt: skip
    """One row per child area; columns: each indicator in the report period (and the map
    indicator the year before)."""
    cols = [(MAP_INDICATOR, ctx.previous)] if ctx.previous else []
    cols += [(n, ctx.period) for n in names]
    short = {
        "jeugdhulp_0_17": ("jeugdhulp 0–17, per 1.000", "youth care 0–17, per 1,000"),
        "jeugdbescherming": ("jeugdbescherming, per 1.000", "child protection, per 1,000"),
        "trajecten_begonnen": ("begonnen trajecten", "trajectories begun"),
        "zorg_dichtbij": ("zorg dichtbij (%)", "care close by (%)"),
    }
    nl = ctx.lang == "nl"
    head = ["Gebied" if nl else "Area"] + [
        f"{short[n][0 if nl else 1]} {ctx.period_head(p)}" for n, p in cols
    ]
    rows = [
        Row(c.name, tuple(ctx.figure(n, c.code, p) for n, p in cols))
        for c in sorted(children, key=lambda a: a.name)
    ]
    rows.append(Row(area.name, tuple(ctx.figure(n, area.code, p) for n, p in cols), total=True))
    return Table(caption, tuple(head), tuple(rows))


def _notes(ctx: _Context, section: Section, codes: list[str]) -> dict[str, list[int]]:
    """Number the notes of a section; returns indicator → note numbers for the main table of
    the section's own area."""
    marks: dict[str, list[int]] = {}
    for k, (ind, code, note) in enumerate(ctx.notes_for(codes), start=1):
        section.notes.append(
            Note(
                number=k,
                indicator_label=ctx.label(ctx.f.indicator(ind)),
                area_name=ctx.f.area(code).name,
                text=note.text,
                author=getattr(note, "author_name", "") or "",
                created=_day(getattr(note, "created", None)),
            )
        )
        if code == section.area.code:
            marks.setdefault(ind, []).append(k)
    return marks


def _day(moment) -> date | None:
    if moment is None:
        return None
    return moment.date() if hasattr(moment, "date") else moment


def _gemeente_section(ctx: _Context, gm: Area, wijken: list[Area]) -> Section:
    nl = ctx.lang == "nl"
    s = Section(gm, gm.name)
    marks = _notes(ctx, s, [gm.code])
    s.main = _main_table(ctx, gm, marks)
    s.children = _children_table(
        ctx,
        gm,
        wijken,
        ("jeugdhulp_0_17", "jeugdbescherming", "trajecten_begonnen", "zorg_dichtbij"),
        f"De wijken van {gm.name} in {ctx.period}"
        if nl
        else f"The districts of {gm.name} in {ctx.period}",
    )
    s.map = ctx.choropleth(gm, "wijk")
    s.trends = [ctx.trend(name, [gm]) for name in TRENDS]
    return s


def _wijk_section(ctx: _Context, wk: Area) -> Section:
    nl = ctx.lang == "nl"
    gm = ctx.f.gemeente
    s = Section(wk, f"{'Wijk' if nl else 'District'} {wk.name}")
    buurten = ctx.f.children(wk.code)
    marks = _notes(ctx, s, [wk.code] + [b.code for b in sorted(buurten, key=lambda a: a.name)])
    s.main = _main_table(ctx, wk, marks)
    if buurten:
        s.children = _children_table(
            ctx,
            wk,
            buurten,
            ("jeugdhulp_0_17", "trajecten_begonnen"),
            f"De buurten van {wk.name} in {ctx.period}"
            if nl
            else f"The neighbourhoods of {wk.name} in {ctx.period}",
        )
        s.map = ctx.choropleth(wk, "buurt")
    s.trends = [ctx.trend(MAP_INDICATOR, [wk, gm])]
    return s


__all__ = ["Figure", "FiguresError", "Report", "ReportError", "Section", "Table", "build"]
