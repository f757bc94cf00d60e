"""The catalogue compiled to Ibis expressions: one code path for DuckDB and Spark.

Inputs are three Ibis tables with the columns of ``docs/counting-rules.md``:

- ``trajectories``: ``traject_id, pseudonym, begindatum, einddatum`` (NULL while running) and
  the filter columns of :data:`wijkzicht.indicators.catalogue.COLUMNS`
  (``herinstroom_12m`` is derived here when missing);
- ``persons``: ``pseudonym, geboortemaand`` (the 1st of the birth month), optionally ``pid``
  (distinct numbers, one per person);
- ``addresses``: ``pseudonym, valid_from, valid_to`` (exclusive, NULL = current),
  ``gemeente_code, wijk_code, buurt_code`` — addresses in the city only (``GM…/WK…/BU…``);
  or, when the persons have a ``pid``, the addresses of those persons only, with ``pid`` and
  ``geboortemaand`` instead of the pseudonym (as :func:`wijkzicht.indicators.run.sources`
  gives them: the pseudonyms of every address would take much of DuckDB's memory).

:func:`compute` returns one row per indicator, area and period, as an Arrow table in that
order: ``indicator, area_code, period, numerator, denominator, value`` (raw; disclosure is
applied afterwards by :mod:`wijkzicht.indicators.disclosure`).

The plan does not grow with the catalogue. Shared intermediates are materialised once per
engine: trajectory × period pairs (:meth:`Engine.base`, numbers and dates only), each youth
in care per period with their buurten and masks from one join with the addresses
(:meth:`Engine.youth`), the populations (from month-indexed address intervals, no address ×
period join). Indicators are counted with bit masks: each trajectory gets, once,
a bit per indicator whose filter it passes (:meth:`Engine.attributes`); each trajectory ×
period row and's that with its age-band and running bits; youth count once per period with
the OR of their rows' masks; one group-by per level counts every mask
(:meth:`Engine.numerators`). The engine's work ends there: :mod:`wijkzicht.indicators.grid`
decodes the masks into indicators, lays the counts out over every area and period and
attaches denominators and values, with arrays, the same for every engine. Joins and
group-bys key on numbers (youth, period, indicator); names and codes are attached at the
end. The masks are built in :mod:`wijkzicht.indicators.masks`, the populations in
:mod:`wijkzicht.indicators.populations`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc
from ibis import _

from wijkzicht.care.inputs import keep, read, release
from wijkzicht.care.segments import FAR
from wijkzicht.indicators.catalogue import (
    AREA,
    BY_NAME,
    CATALOGUE,
    COLUMNS,
    LEVEL_COLUMN,
    LEVELS,
    POPULATIONS,
    YOUTH_MEASURES,
    Indicator,
)
from wijkzicht.indicators.grid import Counts, assemble
from wijkzicht.indicators.masks import (
    attribute_mask,
    bit,
    chunks,
    counted_as,
    flag,
    indicator_ids,
    row_mask,
    sum_of,
)
from wijkzicht.indicators.periods import month_index
from wijkzicht.indicators.periods import parse as parse_period
from wijkzicht.indicators.populations import living, population_changes

# what the trajectory x period tables keep: numbers and dates only; a trajectory's filter
# columns are turned into bit masks once per trajectory (Engine.attributes)
BASE_COLUMNS = ("traject_id", "pid", "period", "p_start", "p_end", "einddatum")
# room for the buurt numbers in the low bits of an address's recency (Engine._build_youth);
# the Netherlands has ~15,000 buurten
BUURT_SLOTS = 1 << 24
# the column of each level's area number in the counting tables (Engine._buurten)
AREA_NUMBER = {"gemeente": "g", "wijk": "w", "buurt": "b"}
# how a measure's numerator is aggregated: a count of rows, the sum or the median of days
AGGREGATE = {"duration_mean_days": "days", "duration_median_days": "median"}


@dataclass
class Sources:
    trajectories: ir.Table
    persons: ir.Table
    addresses: ir.Table
    areas: ir.Table | None = None  # area_code, level: every area, also those without youth
    # materialised tables the trajectories and persons are made from: released once the
    # engine has materialised the trajectories
    scratch: list[ir.Table] = field(default_factory=list)


def periods_table(codes: Sequence[str]) -> ir.Table:
    """``period`` (a number: joins and group-bys on it are cheaper than on the code),
    ``code``, ``p_start``, ``p_end`` and ``p_month`` (the month index of the start)."""
    rows = [parse_period(c) for c in codes]
    return ibis.memtable(
        pa.table(
            {
                "period": pa.array(range(len(rows)), pa.int64()),
                "code": pa.array([p.code for p in rows], pa.string()),
                "p_start": pa.array([p.start for p in rows], pa.date32()),
                "p_end": pa.array([p.end for p in rows], pa.date32()),
                "p_month": pa.array([month_index(p.start) for p in rows], pa.int64()),
            }
        )
    )


def age_on(day: ir.DateValue, birth_month: ir.DateValue) -> ir.IntegerValue:
    """Completed years on ``day`` for a birth on the 1st of ``birth_month``."""
    return day.year() - birth_month.year() - (day.month() < birth_month.month()).cast("int64")


def _union(tables: Iterable[ir.Table]) -> ir.Table:
    tables = list(tables)
    return tables[0] if len(tables) == 1 else ibis.union(*tables)


def with_reentry(trajectories: ir.Table) -> ir.Table:
    """Add ``herinstroom_12m``: the youth begins another trajectory 1–365 days after the end."""
    if "herinstroom_12m" in trajectories.columns:
        return trajectories
    a = trajectories.select("traject_id", "pseudonym", "einddatum")
    b = trajectories.select(b_pseudonym="pseudonym", b_begin="begindatum")
    hits = (
        a.join(b, a.pseudonym == b.b_pseudonym)
        .filter(
            _.einddatum.notnull(),
            _.b_begin > _.einddatum,
            _.b_begin <= _.einddatum + ibis.interval(days=365),
        )
        .select(hit_id="traject_id")
        .distinct()
    )
    joined = trajectories.left_join(hits, trajectories.traject_id == hits.hit_id)
    return joined.mutate(herinstroom_12m=joined.hit_id.notnull()).drop("hit_id")


class Engine:
    """Computes catalogue indicators over one set of sources for a set of periods."""

    def __init__(self, backend: ibis.BaseBackend, sources: Sources, period_codes: Sequence[str]):
        self.backend = backend
        self.months = sorted({month_index(parse_period(c).start) for c in period_codes})
        self.periods = keep(backend, periods_table(period_codes))
        # a small integer per person (``pid``): the joins and group-bys below key on it, not
        # on the 64-character pseudonym. Any distinct numbers do, fixed once materialised:
        # ordered by birth month, not by pseudonym (ranking the 909,094 pseudonyms of the
        # national profile's tenth took 0.25 s).
        persons = sources.persons
        if "pid" not in persons.columns:
            persons = keep(
                backend, persons.mutate(pid=ibis.row_number().over(order_by=persons.geboortemaand))
            )
        self.traj = keep(backend, with_reentry(sources.trajectories).join(persons, "pseudonym"))
        release(backend, *sources.scratch)
        self.addresses = sources.addresses
        # the in-city addresses of persons with a birth month, with ``pid`` and
        # ``geboortemaand``: for the youth in care and the populations
        self.residents = self.addresses
        if "pid" not in self.addresses.columns:
            numbers = persons.select("pseudonym", "pid", "geboortemaand")
            self.residents = keep(
                backend, self.addresses.join(numbers, "pseudonym").drop("pseudonym")
            )
        self.area_list = sources.areas
        self._cache: dict[object, Any] = {}  # materialised tables, numerators
        self._scratch: list[ir.Table] = []  # what _keep materialised (release_scratch)
        self._youth: ir.Table | None = None  # the last youth table built (it has the buurten)
        self._areas: ir.Table | None = None  # _buurten: small, kept past release_scratch

    def _keep(self, expr: ir.Table) -> ir.Table:
        """Materialise an intermediate result (:meth:`release_scratch` drops it)."""
        kept = keep(self.backend, expr)
        self._scratch.append(kept)
        return kept

    def release_scratch(self) -> None:
        """Drop every intermediate result materialised so far (not the trajectories, periods
        and residents of ``__init__``, nor the area numbers): what is asked later is built
        again."""
        release(self.backend, *self._scratch)
        self._scratch.clear()
        self._cache.clear()
        self._youth = None

    def _once(self, key: object, build) -> ir.Table:
        if key not in self._cache:
            self._cache[key] = self._keep(build())
        return self._cache[key]

    # ---------------------------------------------------------------- trajectory × period
    def base(self, kind: str) -> ir.Table:
        """Trajectory × period pairs, materialised once per kind, with the age that matters:
        ``overlap`` (age on the later of begin and period start, and on the peildatum),
        ``begun`` and ``ended`` (age on the begindatum; ``days`` = duration)."""
        return self._once(("base", kind), lambda: self._base(kind))

    def _base(self, kind: str) -> ir.Table:
        t, p = self.traj, self.periods
        if kind == "overlap":
            j = t.join(
                p, [t.begindatum <= p.p_end, t.einddatum.isnull() | (t.einddatum >= p.p_start)]
            )
            return j.select(
                *BASE_COLUMNS,
                age=age_on(ibis.greatest(j.begindatum, j.p_start), j.geboortemaand),
                age_peil=age_on(j.p_end, j.geboortemaand),
            )
        day = t.begindatum if kind == "begun" else t.einddatum
        j = t.join(p, [day >= p.p_start, day <= p.p_end])
        return j.select(
            *BASE_COLUMNS,
            age=age_on(j.begindatum, j.geboortemaand),
            days=(j.einddatum.delta(j.begindatum, unit="day") + 1).fill_null(0),
        )

    def attributes(self, groups: Sequence[Sequence[Indicator]]) -> ir.Table:
        """``traject_id, a0, a1, …``: per group of indicators, the bits of the indicators
        whose filter the trajectory passes — computed once per trajectory, not per period."""
        key = ("attributes", tuple(tuple(i.name for i in g) for g in groups))
        t = self.traj
        return self._once(
            key,
            lambda: t.select(
                "traject_id",
                **{f"a{g}": attribute_mask(t, chosen) for g, chosen in enumerate(groups)},
            ),
        )

    # ---------------------------------------------------------------- youth in care
    def youth(self, groups: Sequence[Sequence[Indicator]] = ()) -> ir.Table:
        """``pid, period, in_period, on_peildatum`` and ``m<g>`` per youth group ``g`` of
        ``groups`` (materialised): each youth in care in each period of their care (a
        trajectory that begins or ends in a period overlaps it) who has an in-city address
        then; the buurt (its number ``b``, :meth:`_buurten`) of the most recent such address
        within the period and of the one in effect on the peildatum (NULL when none; of
        overlapping addresses the most recent, so a youth counts in one place); per youth
        group the OR of the masks of their trajectory × period rows (youth count once per
        period). One join of the trajectory × period rows with the addresses and one group-by
        serve all: a youth's rows meet each address, and an OR or a most recent address does
        not change with repeats."""
        youth_groups = [g for g, chosen in enumerate(groups) if chosen[0].measure in YOUTH_MEASURES]
        key = ("youth", tuple(tuple(i.name for i in groups[g]) for g in youth_groups))
        if key not in self._cache and not youth_groups and self._youth is not None:
            return self._youth  # any youth table has the buurten
        table = self._once(key, lambda: self._build_youth(groups, youth_groups))
        if (overlap := self._cache.pop(("base", "overlap"), None)) is not None:
            release(self.backend, overlap)  # read only here: one of the largest tables
            self._scratch.remove(overlap)
        self._youth = table
        return table

    def _build_youth(self, groups: Sequence[Sequence[Indicator]], youth_groups: list[int]):
        t = self.base("overlap")
        if youth_groups:
            t = t.join(self.attributes(groups), "traject_id")
        youth = self.traj.select("pid").distinct()
        numbers = self._buurten().select("buurt_code", "b").distinct()
        a = self.residents.join(youth, "pid").join(numbers, "buurt_code")
        # each youth's addresses numbered from the least to the most recent: the latest start;
        # on the same start the one that lasts longer, then the greater buurt code (ties are
        # decided alike on every engine); the buurt's number in the low bits. The most recent
        # address is the greatest number: a max per youth and period, not an argmax by a tuple.
        order = [a.valid_from, a.valid_to.fill_null(FAR), a.buurt_code]
        recent = ibis.row_number().over(group_by=a.pid, order_by=order)
        a = a.select("pid", "valid_from", "valid_to", recent=recent * BUURT_SLOTS + a.b)
        j = t.join(a, "pid")
        j = j.filter(j.valid_from <= j.p_end, j.valid_to.isnull() | (j.valid_to > j.p_start))
        on_peildatum = j.valid_to.isnull() | (j.valid_to > j.p_end)
        buurten = {
            "in_period": j.recent.max() % BUURT_SLOTS,
            "on_peildatum": j.recent.max(where=on_peildatum) % BUURT_SLOTS,
        }
        masks = {f"m{g}": row_mask(j, j[f"a{g}"], groups[g]) for g in youth_groups}
        if not masks or self.backend.has_operation(ops.BitOr):
            return j.group_by("pid", "period").aggregate(
                **buurten, **{name: m.bit_or() for name, m in masks.items()}
            )
        # the same OR, bit by bit
        width = {name: len(groups[int(name[1:])]) for name in masks}
        flags = j.group_by("pid", "period").aggregate(
            **buurten,
            **{
                f"{name}_{k}": bit(m, k).max()
                for name, m in masks.items()
                for k in range(width[name])
            },
        )
        return flags.select(
            "pid",
            "period",
            *buurten,
            **{
                name: sum_of(flags[f"{name}_{k}"] * (1 << k) for k in range(width[name]))
                for name in masks
            },
        )

    def buurt_in_period(self) -> ir.Table:
        """The buurt (number ``b``) of the youth's most recent in-city address within each
        period (youth in care, in the periods of their care): ``pid, period, b``."""
        y = self.youth()
        return y.filter(y.in_period.notnull()).select("pid", "period", b="in_period")

    def _buurten(self) -> ir.Table:
        """``gemeente_code, wijk_code, buurt_code`` of every in-city buurt, ``b``, its number
        (0, 1, … in code order), and the numbers of its wijk ``w`` and gemeente ``g``, which
        follow the buurten's (NULL without a code; materialised once, and kept: the
        populations roll up with it too). The counts are grouped by these numbers
        (:data:`AREA_NUMBER`), and :meth:`area_codes` turns them into codes."""
        if self._areas is None:
            t = self.addresses.select(*AREA).distinct()
            t = t.mutate(
                b=ibis.dense_rank().over(order_by=t.buurt_code),
                w=ibis.dense_rank().over(order_by=t.wijk_code),
                g=ibis.dense_rank().over(order_by=t.gemeente_code),
            )
            buurten = t.b.max().over() + 1
            wijken = t.w.max().over() + 1
            t = t.mutate(  # (int64: Spark's ranks are int32)
                b=t.b.cast("int64"),
                w=t.wijk_code.isnull().ifelse(ibis.null("int64"), buurten + t.w).cast("int64"),
                g=t.gemeente_code.isnull()
                .ifelse(ibis.null("int64"), buurten + wijken + t.g)
                .cast("int64"),
            )
            self._areas = keep(self.backend, t)
        return self._areas

    def area_codes(self) -> pa.Array:
        """The area code of each area number of :meth:`_buurten` (``codes[n]``)."""
        t = read(self._buurten())
        size = max((pc.max(t[c]).as_py() or 0) for c in AREA_NUMBER.values()) + 1
        codes: list[str | None] = [None] * size
        for level, column in LEVEL_COLUMN.items():
            numbers = t[AREA_NUMBER[level]].to_pylist()
            for n, code in zip(numbers, t[column].to_pylist(), strict=True):
                if n is not None:
                    codes[n] = code
        return pa.array(codes, pa.string())

    # ---------------------------------------------------------------- numerators
    def _masks(self, groups: Sequence[Sequence[Indicator]]) -> ir.Table:
        """``group, period, b, w, g, mask, c, days`` (area numbers of :meth:`_buurten`)
        (materialised, small): per group of indicators of one measure, how many youth or
        trajectories (``c``, and their ``days``) pass exactly the indicators of ``mask``
        (bit k: the group's indicator k) per period and area.

        Every trajectory × period row gets one bit mask per group: its trajectory's filter
        bits (:meth:`attributes`) and'ed with the age band and running bits of the row. A
        youth counts once per period, with the OR of the masks of their rows: one group-by
        for all youth groups."""
        attributes = self.attributes(groups)
        youth_groups = [g for g, chosen in enumerate(groups) if chosen[0].measure in YOUTH_MEASURES]
        parts = []
        if youth_groups:
            youth = self.youth(groups)
            for g in youth_groups:
                column = (
                    "in_period" if groups[g][0].measure == "youth_in_period" else "on_peildatum"
                )
                y = youth.filter(youth[f"m{g}"] != 0, youth[column].notnull())
                y = y.select("period", b=column, mask=f"m{g}")
                c = y.group_by("period", "b", "mask").aggregate(c=_.count())
                parts.append((g, c.mutate(days=ibis.literal(0))))
        for g, chosen in enumerate(groups):
            if g in youth_groups:
                continue
            t = self.base("begun" if chosen[0].measure == "trajectories_begun" else "ended")
            t = t.join(attributes, "traject_id")
            t = t.select("pid", "period", "days", mask=row_mask(t, t[f"a{g}"], chosen))
            j = t.filter(t.mask != 0).join(self.buurt_in_period(), ["pid", "period"])
            parts.append(
                (g, j.group_by("period", "b", "mask").aggregate(c=_.count(), days=_.days.sum()))
            )
        counted = _union(
            c.select(
                "period",
                "b",
                group=ibis.literal(g, "int64"),
                mask=c.mask.cast("int64"),
                c=c.c.cast("int64"),
                days=c.days.cast("int64"),
            )
            for g, c in parts
        )
        # counted by buurt number; its wijk's and gemeente's are joined to the counts, not to
        # every row (numbers: group-bys on them are cheaper than on the codes)
        counted = counted.join(self._buurten().select(*AREA_NUMBER.values()), "b")
        return self._keep(counted.select("period", "b", "w", "g", "group", "mask", "c", "days"))

    def numerators(self, inds: Sequence[Indicator]) -> Counts:
        """The counts behind the numerators of ``inds`` for every area with rows, of each
        indicator's levels: :class:`wijkzicht.indicators.grid.Counts` of expressions over
        materialised tables (``masks`` per level; ``medians``), which :func:`compute` reads
        once (so they are not materialised themselves) and :func:`grid.assemble` decodes."""
        key = ("numerators", tuple(sorted((i.name, i.levels) for i in inds)))
        if key not in self._cache:
            self._cache[key] = self._numerators(inds)
        return self._cache[key]

    def _numerators(self, inds: Sequence[Indicator]) -> Counts:
        medians = [i for i in inds if AGGREGATE.get(i.measure) == "median"]
        sums = [i.name for i in inds if AGGREGATE.get(i.measure) == "days"]
        counted = [i for i in inds if i not in medians]
        ids = indicator_ids(inds)
        groups = [
            chunk
            for measure in dict.fromkeys(counted_as(i) for i in counted)
            for chunk in chunks([i for i in counted if counted_as(i) == measure])
        ]
        out = Counts(
            masks=None,
            medians=None,
            decode=[
                (g, k, ids[i.name]) for g, chosen in enumerate(groups) for k, i in enumerate(chosen)
            ],
            sums={ids[name] for name in sums},
        )
        parts = []
        if groups:
            masks = self._masks(groups)
            # per level, youth or trajectories (and days) per mask, area and period; the masks
            # are decoded into indicators with arrays (indicators.grid): joining each mask
            # with its bits and counting again took most of the time at national scale
            out.masks = _union(
                m.group_by("group", "mask", "period", area=m[col].cast("int64")).aggregate(
                    c=_.c.sum(), days=_.days.sum()
                )
                for level, col in AREA_NUMBER.items()
                if (m := _at_level(masks, col, groups, level)) is not None
            )
        if medians:  # not additive: from the trajectories themselves
            t = self.base("ended").join(self.traj.select("traject_id", *COLUMNS), "traject_id")
            m = _union(
                t.filter(flag(t, i) == 1).select(
                    "pid", "period", "days", ind=ibis.literal(ids[i.name], "int64")
                )
                for i in medians
            )
            m = m.join(self.buurt_in_period(), ["pid", "period"]).join(self._buurten(), "b")
            for level, col in LEVEL_COLUMN.items():
                at = [ids[i.name] for i in medians if level in i.levels]
                if not at:
                    continue
                g = m.filter(m[col].notnull(), m.ind.isin(at))
                g = g.group_by("ind", "period", area_code=g[col])
                g = g.aggregate(
                    n=_.days.count().cast("float64"), numerator=_.days.median().cast("float64")
                )
                parts.append(g.select("ind", "area_code", "period", "n", "numerator"))
        if parts:
            out.medians = _union(parts)
        return out

    # ---------------------------------------------------------------- denominators
    def populations(self) -> pa.Table:
        """Youth per area (every level), period and band on the first day of the period:
        ``area_code, period, band, numerator`` (:mod:`wijkzicht.indicators.populations`: the
        engine counts who begins and stops living where, month by month; arrays sum them)."""
        lo, hi = self.months[0], self.months[-1]
        buurten = self._buurten().select(*AREA)
        changes = read(population_changes(self.residents, buurten, lo, hi))
        return living(changes, read(self.periods.select("period", "p_month")), lo, hi)

    # ---------------------------------------------------------------- areas
    def area_levels(self) -> ir.Table:
        """``area_code, level`` of every area (of the areas table, else of the addresses)."""
        if self.area_list is not None:
            return self.area_list.select("area_code", "level").distinct()
        a = self.addresses
        return ibis.union(
            *(
                a.select(area_code=a[col], level=ibis.literal(level))
                .filter(_.area_code.notnull())
                .distinct()
                for level, col in LEVEL_COLUMN.items()
            ),
            distinct=True,
        )


def _at_level(
    masks: ir.Table, col: str, groups: Sequence[Sequence[Indicator]], level: str
) -> ir.Table | None:
    """The rows of ``masks`` with an area at ``level``, their masks and'ed with the bits of
    the indicators published at that level (None: no indicator is)."""
    keep = [sum(1 << k for k, i in enumerate(chosen) if level in i.levels) for chosen in groups]
    m = masks.filter(masks[col].notnull())
    if not any(keep):
        return None
    if all(bits == (1 << len(chosen)) - 1 for bits, chosen in zip(keep, groups, strict=True)):
        return m
    at = ibis.cases(*((m.group == g, bits) for g, bits in enumerate(keep)), else_=0)
    m = m.mutate(mask=m.mask & at.cast("int64"))
    return m.filter(m.mask != 0)


def _with_levels_of_users(counted: Sequence[Indicator]) -> list[Indicator]:
    """``counted`` with each indicator's levels widened by those of the indicators whose
    denominator it is (its count per area is their denominator there)."""
    extra: dict[str, set[str]] = {}
    for i in counted:
        if i.denominator:
            extra.setdefault(i.denominator, set()).update(i.levels)
    return [
        replace(i, levels=tuple(lv for lv in LEVELS if lv in {*i.levels, *extra[i.name]}))
        if i.name in extra and not extra[i.name] <= set(i.levels)
        else i
        for i in counted
    ]


def compute(
    engine: Engine,
    indicators: Iterable[Indicator] = CATALOGUE,
    *,
    levels: Sequence[str] | None = None,
) -> pa.Table:
    """The rows of all ``indicators`` (optionally only some ``levels``) as one Arrow table in
    (indicator, area_code, period) order: the engine counts, :func:`grid.assemble` lays the
    counts out over every area and period."""
    chosen = []
    for ind in indicators:
        if levels is not None:
            keep = tuple(lv for lv in ind.levels if lv in levels)
            if not keep:
                continue
            ind = replace(ind, levels=keep)
        chosen.append(ind)
    names = {i.name for i in chosen}
    counted = chosen + [  # indicators whose numerator is another's denominator
        BY_NAME[d]
        for d in sorted({i.denominator for i in chosen if i.denominator in BY_NAME})
        if d not in names
    ]
    ids = indicator_ids(counted)
    num = engine.numerators(_with_levels_of_users(counted))
    masks = None
    if num.masks is not None:  # area numbers → codes (a dictionary column)
        masks = read(num.masks)
        area = pa.DictionaryArray.from_arrays(
            pc.cast(masks["area"], pa.int32()).combine_chunks(), engine.area_codes()
        )
        masks = masks.append_column("area_code", area).drop_columns(["area"])
    counts = replace(
        num,
        masks=masks,
        medians=read(num.medians) if num.medians is not None else None,
    )
    engine.release_scratch()  # the populations need none of it: room for them
    pop = None
    if any(i.denominator in POPULATIONS for i in chosen):
        pop = engine.populations()
    areas = read(engine.area_levels())
    periods = read(engine.periods.select("period", "code"))
    return assemble(chosen, ids, counts, pop, areas, periods)
