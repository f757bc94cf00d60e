"""Youth living in each area on the first day of each period, per population band."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis import _

from wijkzicht.indicators.catalogue import AREA, POPULATIONS


def months(day: ir.DateValue) -> ir.IntegerValue:
    """:func:`wijkzicht.indicators.periods.month_index` as an expression."""
    return day.year().cast("int64") * 12 + day.month().cast("int64") - 1


def populations(residents: ir.Table, periods: ir.Table, lo_month: int, hi_month: int) -> ir.Table:
    """Youth per area (every level), period and band on the first day of the period:
    ``area_code, period, band, numerator``, from ``residents`` (in-city addresses with the
    person's ``geboortemaand``) and ``periods``; ``lo_month``/``hi_month``: month indexes of
    the first and last period start.

    Every period starts on the 1st of a month, and an age from the birth month changes
    on the 1st of a month too. So each address row is, per band, an interval of month
    numbers [``first``, ``stop``); +1 at its first month and −1 at its stop, summed per
    area in month order, give the youth living there on the 1st of every month."""
    a = residents.filter(residents.valid_from.notnull())
    vf, vt = a.valid_from, a.valid_to
    a = a.select(
        *AREA,
        first=months(vf) + (vf.day() > 1).cast("int64"),  # the first 1st on or after
        stop=(months(vt) + (vt.day() > 1).cast("int64")).fill_null(hi_month + 1),
        born=months(a.geboortemaand),
    )
    events = []
    for band, (lo, hi) in POPULATIONS.items():
        s = a.select(
            *AREA,
            band=ibis.literal(band),
            start=ibis.greatest(a.first, a.born + 12 * lo, lo_month),
            end=ibis.least(a.stop, a.born + 12 * (hi + 1)),
        ).filter(_.start < _.end, _.start <= hi_month)
        events.append(s.select(*AREA, "band", month=s.start, d=ibis.literal(1, "int64")))
        e = s.filter(s.end <= hi_month)
        events.append(e.select(*AREA, "band", month=e.end, d=ibis.literal(-1, "int64")))
    ev = ibis.union(*events)
    ev = ev.group_by(*AREA, "band", "month").aggregate(d=ev.d.sum())
    per_level = ibis.union(
        *(
            ev.filter(ev[col].notnull())
            .group_by("band", "month", area_code=ev[col])
            .aggregate(d=_.d.sum())
            for col in AREA
        )
    )
    all_months = ibis.memtable(
        pa.table({"month": pa.array(range(lo_month, hi_month + 1), pa.int64())})
    )
    grid = per_level.select("area_code", "band").distinct().cross_join(all_months)
    g = grid.left_join(per_level, ["area_code", "band", "month"]).select(
        "area_code", "band", "month", d=_.d.fill_null(0)
    )
    window = ibis.cumulative_window(group_by=[g.area_code, g.band], order_by=g.month)
    g = g.mutate(living=g.d.sum().over(window))
    p = periods
    out = g.join(p, g.month == p.p_month)
    return out.select("area_code", "period", "band", numerator=out.living.cast("float64"))
