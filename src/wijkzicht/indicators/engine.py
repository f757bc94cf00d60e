"""The catalogue compiled to Ibis expressions: one code path for DuckDB and Spark.

Inputs are three Ibis tables with the columns of ``docs/counting-rules.md``:

- ``trajectories``: ``traject_id, pseudonym, begindatum, einddatum`` (NULL while running) and
  the filter columns of :data:`wijkzicht.indicators.catalogue.COLUMNS`
  (``herinstroom_12m`` is derived here when missing);
- ``persons``: ``pseudonym, geboortemaand`` (the 1st of the birth month);
- ``addresses``: ``pseudonym, valid_from, valid_to`` (exclusive, NULL = current),
  ``gemeente_code, wijk_code, buurt_code`` — addresses in the city only (``GM…/WK…/BU…``).

:func:`compute` returns one row per indicator, area and period:
``indicator, area_code, period, numerator, denominator, value`` (raw; disclosure is applied
afterwards by :mod:`wijkzicht.indicators.disclosure`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis import _

from wijkzicht.indicators.catalogue import BY_NAME, CATALOGUE, POPULATIONS, Indicator
from wijkzicht.indicators.periods import parse as parse_period

LEVEL_COLUMN = {"gemeente": "gemeente_code", "wijk": "wijk_code", "buurt": "buurt_code"}
REUSED = {i.denominator for i in CATALOGUE if i.denominator in BY_NAME}  # shares, durations
OUTPUT = ("indicator", "area_code", "period", "numerator", "denominator", "value")


@dataclass
class Sources:
    trajectories: ir.Table
    persons: ir.Table
    addresses: ir.Table
    areas: ir.Table | None = None  # area_code, level: every area, also those without youth


def periods_table(codes: Sequence[str]) -> ir.Table:
    rows = [parse_period(c) for c in codes]
    return ibis.memtable(
        pa.table(
            {
                "period": pa.array([p.code for p in rows], pa.string()),
                "p_start": pa.array([p.start for p in rows], pa.date32()),
                "p_end": pa.array([p.end for p in rows], pa.date32()),
            }
        )
    )


def age_on(day: ir.DateValue, birth_month: ir.DateValue) -> ir.IntegerValue:
    """Completed years on ``day`` for a birth on the 1st of ``birth_month``."""
    return day.year() - birth_month.year() - (day.month() < birth_month.month()).cast("int64")


def _predicate(t: ir.Table, ind: Indicator) -> list[ir.BooleanValue]:
    out = []
    for column, allowed in ind.filter.items():
        if isinstance(allowed, bool):
            out.append(t[column] == allowed)
        else:
            out.append(t[column].fill_null("").isin(sorted(allowed)))
    return out


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
        self.periods = self._keep(periods_table(period_codes))
        traj = with_reentry(sources.trajectories)
        self.traj = self._keep(traj.join(sources.persons, "pseudonym"))
        self.persons = sources.persons
        self.addresses = sources.addresses
        self.area_list = sources.areas
        self._area_in_period: ir.Table | None = None
        self._address_on_peildatum: ir.Table | None = None
        self._bases: dict[str, ir.Table] = {}
        self._populations: ir.Table | None = None
        self._grids: dict[tuple[str, ...], ir.Table] = {}
        self._grouped_cache: dict[tuple[str, tuple[str, ...], str], ir.Table] = {}

    def _keep(self, expr: ir.Table) -> ir.Table:
        """Materialise an intermediate result once, on this engine's backend: a temporary
        table on DuckDB, a persisted DataFrame on Spark (what ``Table.cache`` does, but bound
        to our backend even for in-memory tables)."""
        self.backend._run_pre_execute_hooks(expr)  # registers in-memory inputs (Spark needs it)
        return self.backend._cached_table(expr)

    # ---------------------------------------------------------------- areas
    def area_in_period(self) -> ir.Table:
        """The youth's most recent in-city address within each period (only youth in care)."""
        if self._area_in_period is None:
            who = self.traj.select("pseudonym").distinct()
            a = self.addresses.semi_join(who, "pseudonym")
            p = self.periods
            j = a.join(p, [a.valid_from <= p.p_end, a.valid_to.isnull() | (a.valid_to > p.p_start)])
            rank = ibis.row_number().over(
                group_by=[j.pseudonym, j.period], order_by=[ibis.desc(j.valid_from)]
            )
            self._area_in_period = self._keep(
                j.mutate(_rank=rank)
                .filter(_._rank == 0)
                .select("pseudonym", "period", "gemeente_code", "wijk_code", "buurt_code"),
            )
        return self._area_in_period

    def address_on_peildatum(self) -> ir.Table:
        """The youth's in-city address on the last day of each period (only youth in care)."""
        if self._address_on_peildatum is None:
            who = self.traj.select("pseudonym").distinct()
            a, p = self.addresses.semi_join(who, "pseudonym"), self.periods
            self._address_on_peildatum = self._keep(
                a.join(
                    p, [a.valid_from <= p.p_end, a.valid_to.isnull() | (a.valid_to > p.p_end)]
                ).select("pseudonym", "period", "gemeente_code", "wijk_code", "buurt_code"),
            )
        return self._address_on_peildatum

    # ---------------------------------------------------------------- measures
    def _base(self, kind: str) -> ir.Table:
        """Trajectory × period pairs, materialised once per kind, with the age that matters:
        ``overlap`` (age on the later of begin and period start, and on the peildatum),
        ``begun`` and ``ended`` (age on the begindatum; ``days`` = duration)."""
        if kind not in self._bases:
            t, p = self.traj, self.periods
            if kind == "overlap":
                j = t.join(
                    p, [t.begindatum <= p.p_end, t.einddatum.isnull() | (t.einddatum >= p.p_start)]
                )
                j = j.mutate(
                    age=age_on(ibis.greatest(j.begindatum, j.p_start), j.geboortemaand),
                    age_peil=age_on(j.p_end, j.geboortemaand),
                )
            else:
                day = t.begindatum if kind == "begun" else t.einddatum
                j = t.join(p, [day >= p.p_start, day <= p.p_end])
                j = j.mutate(
                    age=age_on(j.begindatum, j.geboortemaand),
                    days=(j.einddatum.delta(j.begindatum, unit="day") + 1).fill_null(0),
                )
            self._bases[kind] = self._keep(j)
        return self._bases[kind]

    def numerators(self, ind: Indicator) -> ir.Table:
        """Rows (pseudonym, period, area columns, n, days) before grouping by level."""
        lo, hi = ind.ages
        m = ind.measure
        if m == "youth_in_period":
            t = self._base("overlap")
            t = t.filter(*_predicate(t, ind), t.age >= lo, t.age <= hi)
            rows = t.select("pseudonym", "period").distinct()
            return rows.join(self.area_in_period(), ["pseudonym", "period"]).mutate(n=1, days=0)
        if m == "youth_on_peildatum":
            t = self._base("overlap")
            still = t.einddatum.isnull() | (t.einddatum >= t.p_end)
            if ind.filter.get("soort") == {"jeugdbescherming"}:  # ends on the peildatum: out
                still = t.einddatum.isnull() | (t.einddatum > t.p_end)
            t = t.filter(*_predicate(t, ind), still, t.age_peil >= lo, t.age_peil <= hi)
            rows = t.select("pseudonym", "period").distinct()
            return rows.join(self.address_on_peildatum(), ["pseudonym", "period"]).mutate(
                n=1, days=0
            )
        t = self._base("begun" if m == "trajectories_begun" else "ended")
        t = t.filter(*_predicate(t, ind), t.age >= lo, t.age <= hi)
        return (
            t.select("pseudonym", "period", "traject_id", "days")
            .join(self.area_in_period(), ["pseudonym", "period"])
            .mutate(n=1)
        )

    def populations(self) -> ir.Table:
        """Youth per area (every level), period and band on the first day of the period:
        ``area_code, period, band, numerator`` — one pass, materialised once."""
        if self._populations is None:
            a, p = self.addresses, self.periods
            j = a.join(
                p, [a.valid_from <= p.p_start, a.valid_to.isnull() | (a.valid_to > p.p_start)]
            ).join(self.persons, "pseudonym")
            j = j.mutate(age=age_on(j.p_start, j.geboortemaand))
            parts = []
            for band, (lo, hi) in POPULATIONS.items():
                rows = j.filter(j.age >= lo, j.age <= hi).mutate(n=1)
                counted = self.by_level(rows, LEVEL_COLUMN, "count")
                parts.append(counted.mutate(band=ibis.literal(band)))
            self._populations = self._keep(ibis.union(*parts))
        return self._populations

    # ---------------------------------------------------------------- per level
    def by_level(self, rows: ir.Table, levels: Iterable[str], agg: str) -> ir.Table:
        parts = []
        for level in levels:
            col = LEVEL_COLUMN[level]
            g = rows.filter(rows[col].notnull()).group_by(area_code=rows[col], period=rows.period)
            if agg == "count":
                parts.append(g.aggregate(numerator=_.n.sum().cast("float64")))
            elif agg == "days":
                parts.append(g.aggregate(numerator=_.days.sum().cast("float64")))
            else:  # median days
                parts.append(g.aggregate(numerator=_.days.median().cast("float64")))
        return ibis.union(*parts)

    def areas(self, levels: Iterable[str]) -> ir.Table:
        if self.area_list is not None:
            return self.area_list.filter(_.level.isin(list(levels))).select("area_code").distinct()
        a = self.addresses
        parts = [
            a.select(area_code=a[LEVEL_COLUMN[level]]).filter(_.area_code.notnull()).distinct()
            for level in levels
        ]
        return ibis.union(*parts, distinct=True)

    def _grouped(self, name: str, levels: tuple[str, ...], rows, agg: str = "count") -> ir.Table:
        """Per-level counts of a numerator or population, materialised once per run."""
        key = (name, levels, agg)
        if key not in self._grouped_cache:
            grouped = self.by_level(rows(), levels, agg)
            if name in REUSED:  # numerators that are also denominators: computed once
                grouped = self._keep(grouped)
            self._grouped_cache[key] = grouped
        return self._grouped_cache[key]

    def indicator(self, ind: Indicator) -> ir.Table:
        """The rows of one indicator for every area of its levels and every period."""
        agg = {"duration_mean_days": "days", "duration_median_days": "median"}.get(
            ind.measure, "count"
        )
        num = self._grouped(ind.name, ind.levels, lambda: self.numerators(ind), agg)
        if ind.levels not in self._grids:
            grid = self.areas(ind.levels).cross_join(self.periods.select("period"))
            self._grids[ind.levels] = self._keep(grid)
        out = (
            self._grids[ind.levels]
            .left_join(num, ["area_code", "period"])
            .select("area_code", "period", numerator=_.numerator.fill_null(0.0))
        )
        if ind.denominator is None:
            return out.mutate(
                indicator=ibis.literal(ind.name),
                denominator=ibis.null("float64"),
                value=out.numerator,
            )[list(OUTPUT)]
        if ind.denominator in POPULATIONS:
            pops = self.populations()
            den = pops.filter(pops.band == ind.denominator).select(
                "area_code", "period", "numerator"
            )
        else:
            base = BY_NAME[ind.denominator]
            den = self._grouped(base.name, ind.levels, lambda: self.numerators(base))
        den = den.rename(denominator="numerator")
        j = out.left_join(den, ["area_code", "period"]).select(
            "area_code", "period", "numerator", denominator=_.denominator.fill_null(0.0)
        )
        if ind.measure == "duration_median_days":  # nothing ended: no median at all
            j = j.mutate(
                numerator=ibis.ifelse(j.denominator > 0, j.numerator, ibis.null("float64"))
            )
            value = j.numerator
        else:
            per = ind.per or 1
            value = ibis.ifelse(
                j.denominator > 0, j.numerator * per / j.denominator, ibis.null("float64")
            )
        return j.mutate(indicator=ibis.literal(ind.name), value=value)[list(OUTPUT)]


def compute(
    engine: Engine,
    indicators: Iterable[Indicator] = CATALOGUE,
    *,
    levels: Sequence[str] | None = None,
) -> ir.Table:
    """One table with the rows of all ``indicators`` (optionally only some ``levels``)."""
    parts = []
    for ind in indicators:
        if levels is not None:
            keep = tuple(lv for lv in ind.levels if lv in levels)
            if not keep:
                continue
            ind = _with_levels(ind, keep)
        parts.append(engine.indicator(ind))
    return ibis.union(*parts)


def _with_levels(ind: Indicator, levels: tuple[str, ...]) -> Indicator:
    return replace(ind, levels=levels)
