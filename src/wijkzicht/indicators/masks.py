"""Bit masks: which catalogue indicators a trajectory, or a trajectory × period row, passes.

Each trajectory gets, once, a bit per indicator whose filter it passes (:func:`attribute_mask`);
each trajectory × period row and's that with its age-band and running bits (:func:`row_mask`).
Up to :data:`MASK_BITS` indicators of one measure share one int64 mask (:func:`chunks`).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Sequence

import ibis
import ibis.expr.types as ir

from wijkzicht.indicators.catalogue import POPULATIONS, Indicator


def running(t: ir.Table, ind: Indicator) -> list[ir.BooleanValue]:
    """``youth_on_peildatum``: the trajectory runs on the peildatum (a jeugdbescherming
    trajectory that ends on it does not)."""
    if ind.measure != "youth_on_peildatum":
        return []
    if ends_on_peildatum_counts(ind):
        return [t.einddatum.isnull() | (t.einddatum >= t.p_end)]
    return [t.einddatum.isnull() | (t.einddatum > t.p_end)]


def ends_on_peildatum_counts(ind: Indicator) -> bool:
    """Whether a trajectory ending on the peildatum still runs on it (not for jeugdbescherming)."""
    return ind.filter.get("soort") != {"jeugdbescherming"}


MASK_BITS = 62  # indicators per bit mask (int64)


def counted_as(ind: Indicator) -> str:
    """The measure whose pass counts the indicator (durations: with the ended ones)."""
    return "trajectories_ended" if ind.measure == "duration_mean_days" else ind.measure


def chunks(inds: list[Indicator]) -> list[list[Indicator]]:
    return [inds[k : k + MASK_BITS] for k in range(0, len(inds), MASK_BITS)]


def sum_of(values: Iterable[ir.IntegerValue]) -> ir.IntegerValue:
    return functools.reduce(operator.add, values)


def attribute_mask(t: ir.Table, inds: Sequence[Indicator]) -> ir.IntegerValue:
    """Bit k set when a trajectory passes indicator k's filter (its age band comes later)."""
    return sum_of(passes(t, i).ifelse(1 << k, 0) for k, i in enumerate(inds)).cast("int64")


def row_mask(t: ir.Table, attributes: ir.IntegerValue, inds: Sequence[Indicator]):
    """Bit k set when a trajectory x period row passes indicator k: its trajectory's
    ``attributes`` bit, the age band (one CASE per distinct band) and, on the peildatum,
    running then (:func:`running`; the same for every indicator of a measure but one)."""
    measure = inds[0].measure
    age = t.age_peil if measure == "youth_on_peildatum" else t.age
    bands: dict[tuple[int, int], int] = {}
    for k, i in enumerate(inds):
        bands[i.ages] = bands.get(i.ages, 0) | 1 << k
    in_band = sum_of(
        ((age >= lo) & (age <= hi)).ifelse(bits, 0) for (lo, hi), bits in bands.items()
    )
    mask = attributes & in_band.cast("int64")
    if measure != "youth_on_peildatum":
        return mask
    every = (1 << len(inds)) - 1
    ends_then = sum(1 << k for k, i in enumerate(inds) if not ends_on_peildatum_counts(i))
    running = ibis.cases(
        (t.einddatum.isnull() | (t.einddatum > t.p_end), every),
        (t.einddatum == t.p_end, every & ~ends_then),
        else_=0,
    )
    return mask & running.cast("int64")


def indicator_ids(inds: Iterable[Indicator]) -> dict[str, int]:
    """A number per indicator (by name, sorted) for joins and group-bys: the names are long
    and cost several times more to hash and compare. Population bands get -1, -2, …"""
    names = sorted({i.name for i in inds})
    return {n: k for k, n in enumerate(names)} | {
        band: -1 - k for k, band in enumerate(POPULATIONS)
    }


def bit(mask: ir.IntegerValue, k: int | ir.IntegerValue) -> ir.IntegerValue:
    return (mask >> k) & 1


def flag(t: ir.Table, ind: Indicator) -> ir.IntegerValue:
    """1 when a row of a base table joined with its trajectory's filter columns passes the
    indicator's filter, running condition and age band, else 0."""
    age = t.age_peil if ind.measure == "youth_on_peildatum" else t.age
    conds = [passes(t, ind), *running(t, ind), age >= ind.ages[0], age <= ind.ages[1]]
    return ibis.ifelse(functools.reduce(operator.and_, conds), 1, 0).cast("int64")


def passes(t: ir.Table, ind: Indicator) -> ir.BooleanValue:
    """The indicator's filter on a trajectory's columns (no filter: every trajectory)."""
    out: ir.BooleanValue = ibis.literal(True)
    for column, allowed in ind.filter.items():
        if isinstance(allowed, bool):
            out &= t[column] == allowed
        else:
            out &= t[column].fill_null("").isin(sorted(allowed))
    return out
