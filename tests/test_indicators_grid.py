"""The grid: sparse counts laid out over every area of an indicator's levels and every period,
in (indicator, area_code, period) order, with counts, rates and medians as the catalogue says."""

from __future__ import annotations

import math
from dataclasses import replace

import pyarrow as pa

from wijkzicht.indicators.catalogue import BY_NAME
from wijkzicht.indicators.grid import assemble

RATE = replace(BY_NAME["jeugdhulp_0_17"], name="b_rate", levels=("gemeente", "buurt"))
COUNT = replace(BY_NAME["trajecten_beeindigd"], name="a_count", levels=("gemeente", "wijk"))
MEDIAN = replace(BY_NAME["trajecten_duur_mediaan"], name="c_median", denominator="a_count")
IDS = {"a_count": 0, "b_rate": 1, "c_median": 2, "pop_0_17": -1, "pop_0_22": -2, "pop_12_22": -3}
AREAS = pa.table(
    {
        "area_code": ["WK000101", "GM0001", "BU00010101", "BU00010102", "WK000102"],
        "level": ["wijk", "gemeente", "buurt", "buurt", "wijk"],
    }
)
PERIODS = pa.table({"period": [0, 1, 2], "code": ["2024", "2024-Q1", "2024-H1"]})


def _numerators(rows: list[tuple]) -> pa.Table:
    ind, area, period, n, numerator = zip(*rows, strict=True) if rows else ([],) * 5
    return pa.table(
        {
            "ind": pa.array(ind, pa.int64()),
            "area_code": pa.array(area, pa.string()),
            "period": pa.array(period, pa.int64()),
            "n": pa.array(n, pa.float64()),
            "numerator": pa.array(numerator, pa.float64()),
        }
    )


def _cells(table: pa.Table) -> dict[tuple, tuple]:
    return {
        (r["indicator"], r["area_code"], r["period"]): (
            r["numerator"],
            r["denominator"],
            r["value"],
        )
        for r in table.to_pylist()
    }


def test_every_area_of_the_levels_and_every_period_in_code_order() -> None:
    num = _numerators([(0, "WK000101", 1, 3.0, 3.0), (1, "BU00010102", 0, 2.0, 2.0)])
    out = assemble([RATE, COUNT], IDS, num, None, AREAS, PERIODS)
    keys = list(
        zip(*(out[c].to_pylist() for c in ("indicator", "area_code", "period")), strict=True)
    )
    assert keys == sorted(keys)
    assert len(keys) == (3 + 3) * 3  # a_count: GM + 2 WK; b_rate: GM + 2 BU
    assert {k[1] for k in keys if k[0] == "a_count"} == {"GM0001", "WK000101", "WK000102"}
    assert [k[2] for k in keys[:3]] == ["2024", "2024-H1", "2024-Q1"]


def test_counts_rates_and_medians() -> None:
    num = _numerators(
        [
            (0, "GM0001", 0, 4.0, 4.0),  # a_count: 4 ended in 2024
            (1, "GM0001", 0, 6.0, 6.0),  # b_rate: 6 youth
            (2, "GM0001", 0, 4.0, 120.0),  # c_median: 120 days
            (1, "BU99999999", 0, 9.0, 9.0),  # an area the areas table lacks: not shown
            (7, "GM0001", 0, 9.0, 9.0),  # an indicator not asked for: not shown
        ]
    )
    pop = pa.table(
        {
            "area_code": ["GM0001", "GM0001"],
            "period": pa.array([0, 1], pa.int64()),
            "band": ["pop_0_17", "pop_0_17"],
            "numerator": [1200.0, 0.0],
        }
    )
    cells = _cells(assemble([MEDIAN, RATE, COUNT], IDS, num, pop, AREAS, PERIODS))
    assert cells["a_count", "GM0001", "2024"] == (4.0, None, 4.0)
    assert cells["a_count", "WK000101", "2024"] == (0.0, None, 0.0)
    n, d, v = cells["b_rate", "GM0001", "2024"]
    assert (n, d) == (6.0, 1200.0) and math.isclose(v, 6.0 * RATE.per / 1200.0)
    assert cells["b_rate", "GM0001", "2024-Q1"] == (0.0, 0.0, None)  # no youth: no rate
    assert cells["c_median", "GM0001", "2024"] == (120.0, 4.0, 120.0)
    assert cells["c_median", "WK000102", "2024"] == (None, 0.0, None)  # nothing ended
    assert not any(k[1] == "BU99999999" for k in cells)


def test_nothing_asked_gives_an_empty_table_with_the_columns() -> None:
    out = assemble([], IDS, _numerators([]), None, AREAS, PERIODS)
    assert out.num_rows == 0
    assert out.column_names == [
        "indicator",
        "area_code",
        "period",
        "numerator",
        "denominator",
        "value",
    ]


def test_a_store_without_areas_or_periods_has_no_cells() -> None:
    num = _numerators([(0, "GM0001", 0, 4.0, 4.0)])
    no_areas = AREAS.slice(0, 0)
    assert assemble([COUNT], IDS, num, None, no_areas, PERIODS).num_rows == 0
    assert assemble([COUNT], IDS, num, None, AREAS, PERIODS.slice(0, 0)).num_rows == 0
