"""The plain-Python reference: every catalogue indicator computed from the generator's truth.

This is the oracle for the Ibis indicators: ``wijkzicht synth`` writes its result to
``truth/indicators.csv`` and the round-trip test (synth → ingest → ``indicators --raw``)
compares the two row by row. It follows ``docs/counting-rules.md`` and nothing else, and it
reads no store: only the :class:`City` (people, addresses) and the truth :class:`Trajectory`
list. Raw values, no disclosure control.

The steps, each a function below:

1. :func:`trajects` — the truth trajectories as counting rows: segments of one youth, hulpvorm
   and provider that overlap or touch are merged, and ``herhaald_beroep`` / ``herinstroom_12m``
   are derived from the youth's other trajectories.
2. :class:`Places` — where a youth lives: per month of the analysis years the buurt of the most
   recent address in the city in that month and the buurt on its last day; a period's area is
   the most recent one of its months.
3. :func:`population` — youth per buurt and age band on the first day of every period.
4. :func:`count` — every trajectory once: the periods it overlaps, runs on the peildatum of,
   begins in and ends in, for every indicator whose filter and age band it meets.
5. :func:`rows` — per indicator, area and period: numerator, denominator and value.

Ages come from the birth *month* (the store keeps no day): the age on day D is the number of
completed years between the 1st of the birth month and D, so with ``month_index`` (months since
year 0) it is ``(month_index(D) - month_index(birth)) // 12``.
"""

from __future__ import annotations

import csv
import functools
import gc
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from wijkzicht.indicators.catalogue import (
    CATALOGUE,
    MEASURES,
    POPULATIONS,
    Indicator,
)
from wijkzicht.indicators.periods import Period, month_index, periods_of_years
from wijkzicht.synth.care import Trajectory
from wijkzicht.synth.population import City, Person
from wijkzicht.synth.providers import soort

COLUMNS = ["indicator", "area_code", "period", "numerator", "denominator", "value"]
DECIMALS = 6

# JZ588 → CBS reden beëindiging, as docs/counting-rules.md §1 states it (others: empty).
REDEN_CBS = {"31": "01", "34": "02", "32": "03", "33": "04", "35": "05", "02": "05"}
VERWIJZERS = {"01", "02", "03", "04", "05", "06", "08"}
ONE_DAY = timedelta(days=1)


# --- 1. trajectories ---------------------------------------------------------------------------
@dataclass
class Traject:
    """One trajectory with the columns the catalogue filters on."""

    youth: Person
    hulpvorm: str
    soort: str
    categorie: str
    aanbieder: str
    aanbieder_soort: str
    verwijzer: str
    begin: date
    end: date | None  # last day of care; None = still running
    reden_cbs: str  # "" when running or without CBS mapping
    crisis: bool
    herhaald_beroep: bool = False
    herinstroom_12m: bool = False

    @property
    def days(self) -> int:
        """Duration in days (einddatum − begindatum + 1); only for ended trajectories."""
        assert self.end is not None
        return (self.end - self.begin).days + 1


def trajects(trajectories: Iterable[Trajectory]) -> list[Traject]:
    """The truth as counting rows: merged per youth, hulpvorm and provider, with derived flags."""
    rows = [
        Traject(
            youth=t.person,
            hulpvorm=t.hulpvorm,
            soort=soort(t.hulpvorm),
            categorie=t.categorie,
            aanbieder=t.provider.agb,
            aanbieder_soort=t.provider.kind,
            verwijzer=t.verwijzer if t.verwijzer in VERWIJZERS else "onbekend",
            begin=t.begin,
            end=t.end,
            reden_cbs=REDEN_CBS.get(t.reden or "", "") if t.end else "",
            crisis=t.crisis,
        )
        for t in trajectories
    ]
    merged = merge_touching(rows)
    by_youth: dict[str, list[Traject]] = defaultdict(list)
    for t in merged:
        by_youth[t.youth.bsn].append(t)
    for own in by_youth.values():
        for t in own:
            # herhaald beroep: an earlier trajectory of the same youth ended before this began
            t.herhaald_beroep = any(o.end is not None and o.end < t.begin for o in own)
            # re-entry: another trajectory of the youth begins 1..365 days after this one ends
            t.herinstroom_12m = t.end is not None and any(
                t.end < o.begin <= t.end + timedelta(days=365) for o in own
            )
    return merged


def merge_touching(rows: list[Traject]) -> list[Traject]:
    """Segments of the same youth, hulpvorm and provider that overlap or touch (next begin ≤
    previous end + 1 day) become one trajectory: earliest begin, latest end; verwijzer and
    crisis of the first segment, reden of the last."""
    out: list[Traject] = []
    key = lambda t: (t.youth.bsn, t.hulpvorm, t.aanbieder)  # noqa: E731
    for t in sorted(rows, key=lambda t: (*key(t), t.begin)):
        last = out[-1] if out else None
        if last and key(last) == key(t) and (last.end is None or t.begin <= last.end + ONE_DAY):
            if last.end is not None and (t.end is None or t.end > last.end):
                last.end, last.reden_cbs = t.end, t.reden_cbs
            continue
        out.append(Traject(**t.__dict__))
    return out


def age_on(person: Person, day: date) -> int:
    """Completed years between the 1st of the birth month and ``day``."""
    return (month_index(day) - month_index(person.birth_date)) // 12


# --- 2. places ---------------------------------------------------------------------------------
class Places:
    """Where each youth lives, per month and per period of the analysis years."""

    def __init__(self, city: City, periods: list[Period]) -> None:
        self.city = city
        self.periods = periods
        self.first_month = month_index(periods[0].start)
        self.n_months = month_index(periods[-1].end) - self.first_month + 1
        # per period: the months [a, b) it spans, relative to first_month
        self.spans = [
            (month_index(p.start) - self.first_month, month_index(p.end) - self.first_month + 1)
            for p in periods
        ]
        self._cache: dict[str, tuple[list[str | None], list[str | None]]] = {}

    def in_city(self, buurt_code: str | None, gemeente_code: str) -> bool:
        return buurt_code is not None and gemeente_code == self.city.gemeente_code

    def months(self, person: Person) -> tuple[list[str | None], list[str | None]]:
        """Per month: the buurt of the most recent address in the city in that month, and the
        buurt on its last day (None: not in the city)."""
        if person.bsn in self._cache:
            return self._cache[person.bsn]
        latest: list[str | None] = [None] * self.n_months
        last_day: list[str | None] = [None] * self.n_months
        for r in person.residences:  # sorted, so a later residence overwrites an earlier one
            buurt = r.address.buurt_code
            here = self.in_city(buurt, r.address.gemeente_code)
            first = month_index(r.valid_from) - self.first_month
            # months the residence touches: first .. the month of its last day
            last = (
                self.n_months - 1
                if r.valid_to is None
                else month_index(r.valid_to - ONE_DAY) - self.first_month
            )
            a, b = max(first, 0), min(last + 1, self.n_months)
            if here and a < b:
                latest[a:b] = [buurt] * (b - a)
            # months whose last day it covers: valid_from ≤ last day < valid_to
            end = (
                self.n_months if r.valid_to is None else month_index(r.valid_to) - self.first_month
            )
            a, b = max(first, 0), min(end, self.n_months)
            if a < b:
                last_day[a:b] = [buurt if here else None] * (b - a)
        self._cache[person.bsn] = (latest, last_day)
        return latest, last_day

    def areas(self, person: Person, periods: Iterable[int]) -> dict[int, str | None]:
        """Per period: the buurt of the most recent address in the city within it."""
        latest = self.months(person)[0]
        out: dict[int, str | None] = {}
        for i in periods:
            a, b = self.spans[i]
            out[i] = None
            for m in range(b - 1, a - 1, -1):  # the last month with an address in the city
                if latest[m] is not None:
                    out[i] = latest[m]
                    break
        return out


# --- 3. population -----------------------------------------------------------------------------
def population(city: City, places: Places) -> dict[tuple[str, int], dict[str, int]]:
    """(population name, period) → youth per buurt living there on the first day of the period,
    of the band's ages on that day."""
    m0, n = places.first_month, places.n_months
    # A residence adds one youth to its buurt for the months [a, b) whose 1st it covers and on
    # whose 1st the age is in the band; kept as +1 at a and -1 at b, summed up per month below.
    change: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * (n + 1))
    for person in city.youth:
        born = month_index(person.birth_date)
        # per population: the months [from, to) in whose 1st the age is in the band; the age on
        # the 1st of month m is (m - born) // 12
        bands = [
            (name, born + 12 * lo, born + 12 * (hi + 1)) for name, (lo, hi) in POPULATIONS.items()
        ]
        for r in person.residences:
            if not places.in_city(r.address.buurt_code, r.address.gemeente_code):
                continue
            # months whose 1st lies in [valid_from, valid_to), within the analysis years
            first = max(month_index(r.valid_from) + (r.valid_from.day > 1), m0)
            end = (
                m0 + n if r.valid_to is None else min(month_index(r.valid_to - ONE_DAY) + 1, m0 + n)
            )
            for name, age_from, age_to in bands:
                a, b = max(first, age_from), min(end, age_to)
                if a < b:
                    diff = change[name, r.address.buurt_code]
                    diff[a - m0] += 1
                    diff[b - m0] -= 1
    per_month: dict[str, list[dict[str, int]]] = {
        name: [{} for _ in range(n)] for name in POPULATIONS
    }
    for (name, buurt), diff in change.items():
        living = 0
        for m in range(n):
            living += diff[m]
            if living:
                per_month[name][m][buurt] = living
    return {
        (name, i): per_month[name][places.spans[i][0]]
        for name in POPULATIONS
        for i in range(len(places.periods))
    }


# --- 4. counting -------------------------------------------------------------------------------
# A set of indicators is kept as a bitmask over their positions in CATALOGUE: bit k set =
# CATALOGUE[k] counts it. Unions of these sets are the inner loop, and ``a | b`` on ints is fast.
BIT = {ind.name: 1 << k for k, ind in enumerate(CATALOGUE)}


@functools.cache
def names_of(mask: int) -> tuple[str, ...]:
    """The indicator names in a bitmask."""
    return tuple(ind.name for ind in CATALOGUE if mask & BIT[ind.name])


@dataclass
class Cells:
    """What is counted per period (its index) and buurt."""

    # (period, buurt, the indicators that count it, a bitmask) → how many youth or trajectories
    counts: dict[tuple[int, str, int], int]
    days: dict[tuple[str, int, str], list[int]]  # (duration indicator, period, buurt) → days


def count(ts: list[Traject], places: Places) -> Cells:
    """Every trajectory once, into the cells of the periods and buurten it counts in."""
    first_m, n = places.first_month, places.n_months
    by_size: dict[int, list[int]] = defaultdict(list)  # months in a period → its period indices
    for i, (a, b) in enumerate(places.spans):
        by_size[b - a].append(i)
    starts = [a for a, _ in places.spans]  # first month of each period (relative)
    ends = [b - 1 for _, b in places.spans]  # last month of each period (relative)
    peildata = [p.end for p in places.periods]
    by_youth: dict[str, list[Traject]] = defaultdict(list)
    for t in ts:
        by_youth[t.youth.bsn].append(t)
    counts: Counter[tuple[int, str, int]] = Counter()
    days: dict[tuple[str, int, str], list[int]] = defaultdict(list)
    for own in by_youth.values():
        youth = own[0].youth
        # period → the indicators that count this youth in it (a youth counts once in each)
        in_period: dict[int, int] = defaultdict(int)
        on_peildatum: dict[int, int] = defaultdict(int)
        offset = first_m - month_index(youth.birth_date)  # age in month m: (m + offset) // 12
        for t in own:
            masks = _masks(t)
            in_masks, peil_masks = masks["youth_in_period"], masks["youth_on_peildatum"]
            first = month_index(t.begin) - first_m  # months relative to the first analysis month
            last = n if t.end is None else month_index(t.end) - first_m  # n: running past it
            jb = t.soort == "jeugdbescherming"
            for size, indices in by_size.items():
                for k in range(max(first, 0) // size, min(last, n - 1) // size + 1):
                    i = indices[k]  # a period the trajectory overlaps
                    # youth in the period: age on the later of begindatum and the period start
                    in_period[i] |= in_masks[(max(first, starts[i]) + offset) // 12]
                    # on the peildatum (the period's last day); a JB measure ending then is out
                    if last > ends[i] or (t.end == peildata[i] and not jb):
                        on_peildatum[i] |= peil_masks[(ends[i] + offset) // 12]
        # where the youth lived in each of those periods (begun and ended lie in them too)
        area = places.areas(youth, in_period)
        on_last_day = places.months(youth)[1]  # per month: the buurt on its last day
        counted: dict[tuple[int, str | None], int] = defaultdict(int)  # (period, buurt) → mask
        for i, mask in in_period.items():
            counted[i, area[i]] |= mask
        for i, mask in on_peildatum.items():
            counted[i, on_last_day[ends[i]]] |= mask  # other indicators: the masks add up
        found = [(i, buurt, mask) for (i, buurt), mask in counted.items()]
        # begun and ended: in one period of each size; the age on the begindatum
        for t in own:
            masks = _masks(t)
            first = month_index(t.begin) - first_m
            last = n if t.end is None else month_index(t.end) - first_m
            age = (first + offset) // 12
            for size, indices in by_size.items():
                if 0 <= first < n:
                    i = indices[first // size]
                    found.append((i, area[i], masks["trajectories_begun"][age]))
                if t.end is not None and 0 <= last < n:
                    i = indices[last // size]
                    found.append((i, area[i], masks["trajectories_ended"][age]))
                    for name in names_of(masks["durations"][age]) if area[i] else ():
                        days[name, i, area[i]].append(t.days)
        # count them, leaving out periods without an address in the city or any indicator
        counts.update(f for f in found if f[1] and f[2])
    return Cells(counts, days)


AGES = 256  # masks per age 0..255; ages past the bands (≤ 22), or negative, get 0 (no band)
_MASKS: dict[tuple, dict[str, list[int]]] = {}


def _masks(t: Traject) -> dict[str, list[int]]:
    """Per measure and age: the indicators (a bitmask) of that measure whose filter ``t``
    passes and whose age band holds the age; durations are under "durations"."""
    signature = (
        t.soort,
        t.hulpvorm,
        t.categorie,
        t.aanbieder_soort,
        t.verwijzer,
        t.reden_cbs,
        t.crisis,
        t.herhaald_beroep,
        t.herinstroom_12m,
    )
    masks = _MASKS.get(signature)
    if masks is None:  # the same few hundred combinations recur: decide each once
        masks = {m: [0] * AGES for m in (*MEASURES, "durations")}
        for ind in CATALOGUE:
            if ind.matches(t):
                durations = ind.measure in ("duration_mean_days", "duration_median_days")
                by_age = masks["durations" if durations else ind.measure]
                for age in range(ind.ages[0], ind.ages[1] + 1):
                    by_age[age] |= BIT[ind.name]
        _MASKS[signature] = masks
    return masks


# --- 5. rows -----------------------------------------------------------------------------------
Row = tuple[str, str, str, float | int | None, int | None, float | None]


def rows(city: City, trajectories: Iterable[Trajectory]) -> list[Row]:
    """Every catalogue indicator for every area (gemeente, wijk, buurt) and every period
    (year, half year, quarter, month) of the city's years, sorted; raw values."""
    periods = periods_of_years(city.first_year, city.last_year)
    places = Places(city, periods)
    cells = count(trajects(trajectories), places)
    gemeente = f"GM{city.gemeente_code}"
    wijk_of = {b.code: b.wijk_code for b in city.buurten}
    areas = {
        "gemeente": [gemeente],
        "wijk": sorted(w.code for w in city.wijken),
        "buurt": sorted(wijk_of),
    }
    # per area and period: indicator → count; buurten add up to their wijk and the gemeente
    # (each youth and trajectory lies in one buurt per period)
    counts = {a: [Counter[str]() for _ in periods] for level in areas.values() for a in level}
    for (i, buurt, mask), k in cells.counts.items():
        counted = counts[buurt][i]
        for name in names_of(mask):
            counted[name] += k
    days: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    for (name, i, buurt), d in cells.days.items():
        for area in (buurt, wijk_of[buurt], gemeente):
            days[name, area, i] += d
    pops = {(name, a): [0] * len(periods) for name in POPULATIONS for a in counts}
    for (name, i), per_buurt in population(city, places).items():
        for buurt, k in per_buurt.items():
            for area in (buurt, wijk_of[buurt], gemeente):
                pops[name, area][i] += k
    for buurt in areas["buurt"]:
        for i, counted in enumerate(counts[buurt]):
            counts[wijk_of[buurt]][i].update(counted)
            counts[gemeente][i].update(counted)

    # rows in order: indicator, area code, period code
    in_order = sorted(range(len(periods)), key=lambda i: periods[i].code)
    out: list[Row] = []
    for ind in sorted(CATALOGUE, key=lambda ind: ind.name):
        name, den_name = ind.name, ind.denominator
        durations = ind.measure in ("duration_mean_days", "duration_median_days")
        for area in sorted(a for level in ind.levels for a in areas[level]):
            counted = counts[area]
            pop = pops[den_name, area] if den_name in POPULATIONS else None
            for i in in_order:
                if den_name is None:
                    den = None
                elif pop is not None:
                    den = pop[i]
                else:
                    den = counted[i][den_name]
                d = days.get((name, area, i), []) if durations else []
                out.append((name, area, periods[i].code, *_value(ind, counted[i][name], d, den)))
    return out


def _value(
    ind: Indicator, num: int, days: list[int], den: int | None
) -> tuple[float | int | None, int | None, float | None]:
    """(numerator, denominator, value) of one cell; see the catalogue for each measure."""
    if ind.measure == "duration_mean_days":
        total = sum(days)
        return total, den, (total / den if den else None)
    if ind.measure == "duration_median_days":
        if not days:
            return None, den, None
        median = statistics.median(days)
        median = int(median) if median == int(median) else median
        return median, den, float(median)
    if den is None:
        return num, None, float(num)
    return num, den, (num / den * ind.per if den else None)


# --- writing -----------------------------------------------------------------------------------
def _number(x: float | int | None) -> str:
    if x is None:
        return ""
    if isinstance(x, int) or x == int(x):
        return str(int(x))
    return f"{x:.1f}"


def write_indicators(
    city: City, trajectories: list[Trajectory], out: Path, *, append: bool = False
) -> int:
    """Append (or write) ``truth/indicators.csv`` for one city; returns the number of rows."""
    folder = out / "truth"
    folder.mkdir(parents=True, exist_ok=True)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # a city is millions of objects; collecting them finds nothing to free
    try:
        result = rows(city, trajectories)
    finally:
        if gc_was_enabled:
            gc.enable()
    with (folder / "indicators.csv").open("a" if append else "w", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        if not append:
            w.writerow(COLUMNS)
        w.writerows(
            (
                name,
                area,
                period,
                _number(num),
                _number(den),
                "" if value is None else f"{value:.{DECIMALS}f}",
            )
            for name, area, period, num, den, value in result
        )
    return len(result)
