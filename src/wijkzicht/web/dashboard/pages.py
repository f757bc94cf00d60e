"""What the overview, area and indicator pages show, built from :class:`Figures` and the
insight library, and cached per process: every builder is keyed on the figures' state, the
page's arguments, the language and public/exact — no store scan per request.

Tables and charts are plain data here; the templates only lay them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from django.urls import reverse
from django.utils.translation import gettext as _

from wijkzicht.indicators.catalogue import BY_NAME, Indicator
from wijkzicht.insight import charts
from wijkzicht.insight.conclusions import conclusions, previous_period
from wijkzicht.insight.figures import Figures, FiguresError
from wijkzicht.insight.profiles import Profile, area_profiles
from wijkzicht.insight.similar import Similar, similar_areas
from wijkzicht.store import connect as store_connect
from wijkzicht.web.dashboard.cells import Shown, label, shown
from wijkzicht.web.data import figures

# The indicators a page leads with (each exists at every level it is shown for; a missing one
# is left out per level).
MAIN = (
    "jeugdhulp_0_17",
    "jeugdhulp_zonder_verblijf_0_17",
    "jeugdhulp_met_verblijf_0_17",
    "jeugdhulp_peildatum_0_17",
    "jeugdbescherming",
    "jeugdreclassering",
    "instroom_specialistische_ggz",
    "trajecten_begonnen",
    "trajecten_beeindigd",
    "trajecten_beeindigd_voortijdig",
    "herinstroom_12m",
    "zorg_dichtbij",
)
TRENDS = ("jeugdhulp_0_17", "jeugdbescherming", "jeugdreclassering", "zorg_dichtbij")
ROUTE = tuple(n for n in BY_NAME if n.startswith("verwijzer_"))
CLOSE_TO_HOME = (
    "zorg_dichtbij",
    "zorg_dichtbij_buurtteam",
    "zorg_dichtbij_wijkpartner",
    "zorg_regionaal",
    "zorg_landelijk",
)
DEFAULT_INDICATOR = "jeugdhulp_0_17"
PERIOD_KINDS = ("year", "half")  # what the period choosers offer


@dataclass
class Row:
    label: str
    cells: list[Shown]
    href: str = ""
    indicator: str = ""  # the indicator of the row, when the row is one indicator


@dataclass
class Table:
    caption: str
    columns: list[str]  # after the first (label) column
    rows: list[Row] = field(default_factory=list)
    first: str = ""  # the first column's heading
    html: str = ""  # rendered once when the page content is built (see build.prerender)


@dataclass
class Chart:
    spec: dict | None  # None: nothing to draw (every figure secret or empty), table only
    caption: str
    table: Table
    script: str = ""  # the spec as <script type="application/json">, rendered once


def area_url(code: str) -> str:
    return reverse("area", args=[code])


def indicator_url(name: str) -> str:
    return reverse("indicator", args=[name])


def period_choices(f: Figures) -> list[tuple[str, bool]]:
    """(period, provisional) for the period choosers: years and half years, newest first."""
    return [(p, f.provisional(p)) for p in reversed(f.periods) if _kind(p) in PERIOD_KINDS]


def choose_period(f: Figures, asked: str | None) -> str:
    """The asked period when the store has it (year or half year), else the newest final
    year."""
    if asked:
        try:
            code = f.check_period(asked)
        except FiguresError:
            code = None
        if code and _kind(code) in PERIOD_KINDS:
            return code
    return f.latest("year")


def _kind(period: str) -> str:
    from wijkzicht.indicators.periods import parse

    return parse(period).kind


def _previous(f: Figures, period: str) -> str | None:
    prev = previous_period(period)
    return prev if prev in f.periods else None


def _at(level: str, names: tuple[str, ...]) -> list[Indicator]:
    return [BY_NAME[n] for n in names if level in BY_NAME[n].levels]


# --- per-process caches -------------------------------------------------------------------------
@lru_cache(maxsize=8)
def _profiles(store: str, state: str, year: int) -> dict[str, Profile]:
    con = store_connect(store, read_only=True)
    try:
        return area_profiles(con, year)
    finally:
        con.close()


@lru_cache(maxsize=512)
def _similar(store: str, state: str, year: int, code: str) -> tuple[Similar, ...]:
    profiles = _profiles(store, state, year)
    if code not in profiles or profiles[code].level == "gemeente":
        return ()
    try:
        return tuple(similar_areas(profiles, code, k=3))
    except (KeyError, ZeroDivisionError, ValueError):  # an area without any known feature
        return ()


def similar(f: Figures, code: str, period: str) -> tuple[Similar, ...]:
    from wijkzicht.indicators.periods import parse

    return _similar(str(f.db), f.state, parse(period).start.year, code)


@lru_cache(maxsize=256)
def _conclusions(state: str, period: str, area: str | None, lang: str, raw: bool) -> tuple:
    f = figures()
    rows = f.values(period=period, raw=raw)
    prev = _previous(f, period)
    if prev:
        rows += f.values(period=prev, raw=raw)
    sim = [s.code for s in similar(f, area, period)] if area else None
    found = conclusions(rows, f.areas, period, area=area, similar=sim, lang=lang, limit=1000)
    return tuple(_mix(found, limit=6))


def _mix(found: list, limit: int) -> list:
    """The strongest conclusions, with at least the two strongest of each kind of comparison
    (so the city's change since last period shows beside the districts that stand out)."""
    keep = []
    for kind in ("city", "previous", "similar"):
        keep += [c for c in found if c.comparison == kind][:2]
    rest = [c for c in found if c not in keep]
    chosen = (keep + rest)[:limit] if len(keep) < limit else keep[:limit]
    return sorted(chosen, key=found.index)


def page_conclusions(f: Figures, period: str, area: str | None, lang: str, raw: bool) -> tuple:
    return _conclusions(f.state, period, area, lang, raw)


# --- tables and charts --------------------------------------------------------------------------
def indicator_table(
    f: Figures,
    code: str,
    names: tuple[str, ...],
    periods: list[str],
    columns: list[str],
    caption: str,
    *,
    raw: bool,
    lang: str,
) -> Table:
    """One row per indicator (that exists at the area's level), one column per period."""
    level = f.area(code).level
    table = Table(caption, columns, first=_("Indicator"))
    for ind in _at(level, names):
        cells = [shown(f, ind.name, code, p, raw=raw, language=lang) for p in periods]
        table.rows.append(Row(label(ind, lang), cells, indicator_url(ind.name), ind.name))
    return table


def comparison_table(
    f: Figures,
    codes: list[str],
    names: tuple[str, ...],
    period: str,
    caption: str,
    *,
    raw: bool,
    lang: str,
) -> Table:
    """One row per indicator, one column per area (all in ``period``)."""
    level = f.area(codes[0]).level
    table = Table(caption, [f.area(c).name for c in codes], first=_("Indicator"))
    for ind in _at(level, names):
        cells = [shown(f, ind.name, c, period, raw=raw, language=lang) for c in codes]
        table.rows.append(Row(label(ind, lang), cells, indicator_url(ind.name), ind.name))
    return table


def areas_table(
    f: Figures,
    indicator: str,
    codes: list[str],
    periods: list[str],
    caption: str,
    *,
    raw: bool,
    lang: str,
) -> Table:
    """One row per area, one column per period."""
    table = Table(caption, periods, first=_("Area"))
    for c in codes:
        cells = [shown(f, indicator, c, p, raw=raw, language=lang) for p in periods]
        table.rows.append(Row(f.area(c).name, cells, area_url(c)))
    return table


def map_chart(
    f: Figures,
    indicator: str,
    level: str,
    period: str,
    *,
    raw: bool,
    lang: str,
    highlight: str | None = None,
) -> Chart:
    ind = f.indicator(indicator)
    codes = [a.code for a in f.level(level)]
    values = {}
    for c in codes:
        cell = f.cell(indicator, c, period, raw=raw)
        values[c] = None if cell is None or cell[3] else cell[2]
    title = label(ind, lang)
    spec = charts.choropleth(f.geojson(level), values, title=title, lang=lang, highlight=highlight)
    caption = f"{title}, {period}"
    table = areas_table(f, indicator, codes, [period], caption, raw=raw, lang=lang)
    return Chart(spec, caption, table)


def trend_chart(f: Figures, indicator: str, codes: list[str], *, raw: bool, lang: str) -> Chart:
    """Yearly values of ``codes`` (the first area leads); the first year with data is marked
    as a trend break (nothing before it to compare with)."""
    ind = f.indicator(indicator)
    years = f.periods_of("year")
    points = []
    for c in codes:
        name = f.area(c).name
        for p, cell in f.series(indicator, c, "year", raw=raw):
            value = None if cell[3] else cell[2]
            points.append(
                {"period": p, "area": name, "value": value, "provisional": f.provisional(p)}
            )
    with_data = [p["period"] for p in points if p["value"] is not None]
    breaks = {min(with_data): _("first year of data")} if with_data else {}
    title = label(ind, lang)
    spec = (
        charts.trend(points, y_title=_short(title), lang=lang, breaks=breaks) if with_data else None
    )
    table = areas_table(f, indicator, codes, years, title, raw=raw, lang=lang)
    table.columns = [_with_marks(p, f, breaks) for p in years]
    return Chart(spec, title, table)


def ranking_chart(
    f: Figures, indicator: str, level: str, period: str, *, raw: bool, lang: str
) -> Chart:
    ind = f.indicator(indicator)
    codes = [a.code for a in f.level(level)]
    cells = {c: f.cell(indicator, c, period, raw=raw) for c in codes}
    value = {c: None if cell is None or cell[3] else cell[2] for c, cell in cells.items()}
    bars = [{"area": f.area(c).name, "value": value[c]} for c in codes]
    city = f.cell(indicator, f.gemeente.code, period, raw=raw)
    reference = None if city is None or city[3] else city[2]
    title = label(ind, lang)
    spec = charts.ranking(bars, x_title=_short(title), lang=lang, reference=reference)
    order = sorted(codes, key=lambda c: (value[c] is None, -(value[c] or 0), c))
    caption = f"{title}, {period}"
    return Chart(
        spec, caption, areas_table(f, indicator, order, [period], caption, raw=raw, lang=lang)
    )


def build_columns(f: Figures, periods: list[str]) -> list[str]:
    """Period column headings, provisional ones marked."""
    mark = _("provisional")
    return [p + (f" ({mark})" if f.provisional(p) else "") for p in periods]


def _short(title: str) -> str:
    return title if len(title) <= 48 else title[:46] + "…"


def _with_marks(period: str, f: Figures, breaks: dict[str, str]) -> str:
    marks = []
    if f.provisional(period):
        marks.append(_("provisional"))
    if period in breaks:
        marks.append(_("trend break"))
    return period + "".join(f" ({m})" for m in marks)
