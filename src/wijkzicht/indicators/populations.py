"""Youth living in each area on the first day of each period, per population band."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from ibis import _

from wijkzicht.indicators.catalogue import AREA, POPULATIONS


def months(day: ir.DateValue) -> ir.IntegerValue:
    """:func:`wijkzicht.indicators.periods.month_index` as an expression."""
    return day.year().cast("int64") * 12 + day.month().cast("int64") - 1


def population_changes(
    residents: ir.Table, buurten: ir.Table, lo_month: int, hi_month: int
) -> ir.Table:
    """How many youth of each band begin (``d`` > 0) or stop (``d`` < 0) living in each area
    (every level) on the 1st of each month: ``area_code, band, month, d``, from ``residents``
    (in-city addresses with the person's ``geboortemaand``) and ``buurten`` (each buurt's
    gemeente, wijk and buurt code, once); ``lo_month``/``hi_month``: month indexes of the
    first and last period start. :func:`living` sums them up.

    Every period starts on the 1st of a month, and an age from the birth month changes
    on the 1st of a month too. So each address row is, per band, an interval of month
    numbers [``first``, ``stop``): +1 at its first month and −1 at its stop."""
    a = residents.filter(residents.valid_from.notnull())
    vf, vt = a.valid_from, a.valid_to
    a = a.select(
        "buurt_code",
        first=months(vf) + (vf.day() > 1).cast("int64"),  # the first 1st on or after
        stop=(months(vt) + (vt.day() > 1).cast("int64")).fill_null(hi_month + 1),
        born=months(a.geboortemaand),
    )
    events = []
    for band, (lo, hi) in POPULATIONS.items():
        s = a.select(
            "buurt_code",
            band=ibis.literal(band),
            start=ibis.greatest(a.first, a.born + 12 * lo, lo_month),
            end=ibis.least(a.stop, a.born + 12 * (hi + 1)),
        ).filter(_.start < _.end, _.start <= hi_month)
        events.append(s.select("buurt_code", "band", month=s.start, d=ibis.literal(1, "int64")))
        e = s.filter(s.end <= hi_month)
        events.append(e.select("buurt_code", "band", month=e.end, d=ibis.literal(-1, "int64")))
    ev = ibis.union(*events)
    # per buurt (one code to group on), then per wijk and gemeente of the buurt
    ev = ev.group_by("buurt_code", "band", "month").aggregate(d=ev.d.sum())
    ev = ev.join(buurten, "buurt_code")
    return ibis.union(
        *(
            ev.filter(ev[col].notnull())
            .group_by("band", "month", area_code=ev[col])
            .aggregate(d=_.d.sum())
            for col in AREA
        )
    )


def living(changes: pa.Table, periods: pa.Table, lo_month: int, hi_month: int) -> pa.Table:
    """Youth per area, period and band on the first day of the period: ``area_code, period,
    band, numerator``, for every area and band with a change (:func:`populations`) and every
    period of ``periods`` (``period``, ``p_month``): the changes summed in month order."""
    areas, area_at = _encoded(changes["area_code"])
    bands, band_at = _encoded(changes["band"])
    span = hi_month - lo_month + 1
    month = changes["month"].to_numpy() - lo_month
    cell = (area_at * len(bands) + band_at) * span + month
    cube = np.bincount(cell, changes["d"].to_numpy(), len(areas) * len(bands) * span)
    cube = np.cumsum(cube.reshape(len(areas), len(bands), span), axis=2)
    # the (area, band) pairs with a change, each with every period
    present = np.zeros(len(areas) * len(bands), bool)
    present[area_at * len(bands) + band_at] = True
    pairs = np.flatnonzero(present)
    number = periods["period"].to_numpy()
    at = periods["p_month"].to_numpy() - lo_month
    pair = np.repeat(pairs, len(number))
    area, band = pair // len(bands), pair % len(bands)
    k = np.tile(np.arange(len(number)), len(pairs))
    return pa.table(
        {
            "area_code": areas.take(area),
            "period": pa.array(number[k], pa.int64()),
            "band": bands.take(band),
            "numerator": pa.array(cube[area, band, at[k]]),
        }
    )


def _encoded(column: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """The distinct values of ``column`` and each row's position among them."""
    encoded = pc.dictionary_encode(column.combine_chunks())
    return encoded.dictionary, encoded.indices.to_numpy().astype(np.int64)
