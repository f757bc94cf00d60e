"""Tests for comparing two proportions, and the Benjamini–Hochberg correction.

A rate per 1,000 youth or a share is ``x`` of ``n`` people: two of them are compared with the
two-sided pooled two-proportion z-test, or — when an expected cell count of the 2×2 table is
below :data:`MIN_EXPECTED` — with Fisher's exact test (two-sided, :func:`scipy.stats.fisher_exact`).

>>> round(compare(30, 100, 10, 100).p_value, 5)
0.00041
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy.stats import fisher_exact

MIN_EXPECTED = 5.0  # below this expected count in any cell, the z-test is not trusted
TESTS = {
    # key: (Dutch, English) — the name of the test
    "z": ("twee-proporties z-toets", "two-proportion z-test"),
    "fisher": ("exacte toets van Fisher", "Fisher's exact test"),
}


@dataclass(frozen=True)
class Tested:
    p_value: float
    test: str  # a key of TESTS
    statistic: float | None  # z (None for Fisher)


def compare(x1: float, n1: float, x2: float, n2: float) -> Tested:
    """Two-sided test of ``x1/n1`` against ``x2/n2`` (counts of people; 0 ≤ x ≤ n, n > 0)."""
    for x, n in ((x1, n1), (x2, n2)):
        if n <= 0 or x < 0 or x > n:
            raise ValueError(f"not a proportion: {x} of {n}")
    pooled = (x1 + x2) / (n1 + n2)
    expected = min(pooled * n1, (1 - pooled) * n1, pooled * n2, (1 - pooled) * n2)
    if expected < MIN_EXPECTED:
        a, b = round(x1), round(x2)
        table = [[a, round(n1) - a], [b, round(n2) - b]]
        return Tested(float(fisher_exact(table, alternative="two-sided").pvalue), "fisher", None)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = (x1 / n1 - x2 / n2) / se
    return Tested(math.erfc(abs(z) / math.sqrt(2)), "z", z)


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values (q-values), in the order given: a p-value is
    significant at false discovery rate α when its adjusted value is below α."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        adjusted[i] = min(1.0, running)
    return adjusted
