"""The grid: sparse counts laid out over every area of an indicator's levels and every period,
in (indicator, area_code, period) order, with counts, rates and medians as the catalogue says."""

from __future__ import annotations

import math
from dataclasses import replace

import pyarrow as pa

from test_indicators_engines import cells
from wijkzicht.indicators.catalogue import BY_NAME
from wijkzicht.indicators.grid import Counts, assemble

RATE = replace(BY_NAME["jeugdhulp_0_17"], name="b_rate", levels=("gemeente", "buurt"))
COUNT = replace(BY_NAME["trajecten_beeindigd"], name="a_count", levels=("gemeente", "wijk"))
MEDIAN = replace(BY_NAME["trajecten_duur_mediaan"], name="c_median", denominator="a_count")
MEAN = replace(BY_NAME["trajecten_duur_gemiddeld"], name="d_mean", denominator="a_count")
IDS = {
    "a_count": 0, "b_rate": 1, "c_median": 2, "d_mean": 3,
    "pop_0_17": -1, "pop_0_22": -2, "pop_12_22": -3,
}  # fmt: skip
DECODE = [(0, 0, 0), (0, 1, 1), (0, 2, 7), (0, 3, 3)]  # (group, bit, id); 7 is not asked for
AREAS = pa.table(
    {
        "area_code": ["WK000101", "GM0001", "BU00010101", "BU00010102", "WK000102"],
        "level": ["wijk", "gemeente", "buurt", "buurt", "wijk"],
    }
)
PERIODS = pa.table({"period": [0, 1, 2], "code": ["2024", "2024-Q1", "2024-H1"]})


def _counts(masks: list[tuple], medians: list[tuple] = ()) -> Counts:
    """``masks``: (mask, period, area, c, days) of group 0; ``medians``: (ind, area, period, n,
    median)."""
    mask, period, area, c, days = zip(*masks, strict=True) if masks else ([],) * 5
    ind, m_area, m_period, n, median = zip(*medians, strict=True) if medians else ([],) * 5
    return Counts(
        masks=pa.table(
            {
                "group": pa.array([0] * len(mask), pa.int64()),
                "mask": pa.array(mask, pa.int64()),
                "period": pa.array(period, pa.int64()),
                "area_code": pa.array(area, pa.string()),
                "c": pa.array(c, pa.int64()),
                "days": pa.array(days, pa.int64()),
            }
        ),
        decode=DECODE,
        sums={3},
        medians=pa.table(
            {
                "ind": pa.array(ind, pa.int64()),
                "area_code": pa.array(m_area, pa.string()),
                "period": pa.array(m_period, pa.int64()),
                "n": pa.array(n, pa.float64()),
                "numerator": pa.array(median, pa.float64()),
            }
        ),
    )


def test_every_area_of_the_levels_and_every_period_in_code_order() -> None:
    counts = _counts([(0b01, 1, "WK000101", 3, 0), (0b10, 0, "BU00010102", 2, 0)])
    out = assemble([RATE, COUNT], IDS, counts, None, AREAS, PERIODS)
    keys = list(
        zip(*(out[c].to_pylist() for c in ("indicator", "area_code", "period")), strict=True)
    )
    assert keys == sorted(keys)
    assert len(keys) == (3 + 3) * 3  # a_count: GM + 2 WK; b_rate: GM + 2 BU
    assert {k[1] for k in keys if k[0] == "a_count"} == {"GM0001", "WK000101", "WK000102"}
    assert [k[2] for k in keys[:3]] == ["2024", "2024-H1", "2024-Q1"]


def test_masks_that_share_a_bit_add_up_and_counts_rates_means_and_medians() -> None:
    counts = _counts(
        [
            (0b0001, 0, "GM0001", 1, 0),  # a_count
            (0b1011, 0, "GM0001", 3, 300),  # a_count, b_rate, d_mean (300 days)
            (0b0010, 0, "GM0001", 3, 0),  # b_rate
            (0b0100, 0, "GM0001", 5, 0),  # an indicator not asked for: not shown
            (0b0010, 0, "BU99999999", 9, 0),  # an area the areas table lacks: not shown
        ],
        [(2, "GM0001", 0, 4.0, 120.0)],  # c_median: 120 days over 4 ended
    )
    pop = pa.table(
        {
            "area_code": ["GM0001", "GM0001"],
            "period": pa.array([0, 1], pa.int64()),
            "band": ["pop_0_17", "pop_0_17"],
            "numerator": [1200.0, 0.0],
        }
    )
    got = cells(assemble([MEAN, MEDIAN, RATE, COUNT], IDS, counts, pop, AREAS, PERIODS))
    assert got["a_count", "GM0001", "2024"] == (4.0, None, 4.0)
    assert got["a_count", "WK000101", "2024"] == (0.0, None, 0.0)
    n, d, v = got["b_rate", "GM0001", "2024"]
    assert (n, d) == (6.0, 1200.0) and math.isclose(v, 6.0 * RATE.per / 1200.0)
    assert got["b_rate", "GM0001", "2024-Q1"] == (0.0, 0.0, None)  # no youth: no rate
    assert got["d_mean", "GM0001", "2024"] == (300.0, 4.0, 75.0)
    assert got["c_median", "GM0001", "2024"] == (120.0, 4.0, 120.0)
    assert got["c_median", "WK000102", "2024"] == (None, 0.0, None)  # nothing ended
    assert not any(k[1] == "BU99999999" for k in got)
    assert {k[0] for k in got} == {"a_count", "b_rate", "c_median", "d_mean"}


def test_nothing_asked_gives_an_empty_table_with_the_columns() -> None:
    out = assemble([], IDS, _counts([]), None, AREAS, PERIODS)
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
    counts = _counts([(0b01, 0, "GM0001", 4, 0)])
    no_areas = AREAS.slice(0, 0)
    assert assemble([COUNT], IDS, counts, None, no_areas, PERIODS).num_rows == 0
    assert assemble([COUNT], IDS, counts, None, AREAS, PERIODS.slice(0, 0)).num_rows == 0
