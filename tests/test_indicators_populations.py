"""Populations: who begins and stops living where (the engine), summed month by month in arrays
(:func:`wijkzicht.indicators.populations.living`)."""

from __future__ import annotations

import pyarrow as pa

from wijkzicht.indicators.populations import living

LO, HI = 100, 111  # month indexes of the first and the last period start


def _changes(*rows: tuple[str, str, int, int]) -> pa.Table:
    area, band, month, d = zip(*rows, strict=True)
    return pa.table(
        {
            "area_code": pa.array(area, pa.string()),
            "band": pa.array(band, pa.string()),
            "month": pa.array(month, pa.int64()),
            "d": pa.array(d, pa.int64()),
        }
    )


def _periods(months: dict[int, int]) -> pa.Table:
    return pa.table(
        {
            "period": pa.array(list(months), pa.int64()),
            "p_month": pa.array(list(months.values()), pa.int64()),
        }
    )


def _by_key(table: pa.Table) -> dict[tuple[str, int, str], float]:
    return {(r["area_code"], r["period"], r["band"]): r["numerator"] for r in table.to_pylist()}


def test_each_period_counts_who_lives_there_on_its_first_day() -> None:
    changes = _changes(
        ("BU1", "pop_0_17", 100, 2),  # two move in at the start
        ("BU1", "pop_0_17", 103, -1),  # one leaves (or turns 18) on the 1st of month 103
        ("BU1", "pop_0_17", 103, 1),  # … and another arrives that day
        ("BU1", "pop_0_17", 106, -2),
        ("WK1", "pop_12_22", 105, 3),
        ("WK1", "pop_12_22", 111, -3),  # the last month: gone on its first day
    )
    periods = _periods({0: 100, 1: 102, 2: 103, 3: 105, 4: 106, 5: 111})
    got = _by_key(living(changes, periods, LO, HI))
    assert {k: v for k, v in got.items() if k[0] == "BU1"} == {
        ("BU1", 0, "pop_0_17"): 2,
        ("BU1", 1, "pop_0_17"): 2,
        ("BU1", 2, "pop_0_17"): 2,
        ("BU1", 3, "pop_0_17"): 2,
        ("BU1", 4, "pop_0_17"): 0,
        ("BU1", 5, "pop_0_17"): 0,
    }
    assert [got[("WK1", p, "pop_12_22")] for p in range(6)] == [0, 0, 0, 3, 3, 0]
    # only the (area, band) pairs with a change get rows, every period each
    assert {(a, b) for a, _, b in got} == {("BU1", "pop_0_17"), ("WK1", "pop_12_22")}
    assert len(got) == 12


def test_no_changes_no_rows() -> None:
    empty = _changes(("BU1", "pop_0_17", 100, 0))[:0]
    assert living(empty, _periods({0: 100}), LO, HI).num_rows == 0
