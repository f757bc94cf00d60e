"""Reporting periods: year ``2023``, half year ``2023-H1``, quarter ``2023-Q2``, month ``2023-05``.

Pure Python, used by the catalogue, the Ibis code, the truth reference and the outputs.

>>> parse("2023-Q2").end
datetime.date(2023, 6, 30)
>>> [p.code for p in periods_of_years(2023, 2023, kinds=("year", "half"))]
['2023', '2023-H1', '2023-H2']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

KINDS = ("year", "half", "quarter", "month")
MONTHS_IN = {"year": 12, "half": 6, "quarter": 3, "month": 1}
_PATTERN = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$")


@dataclass(frozen=True, order=True)
class Period:
    code: str
    kind: str  # year | half | quarter | month
    start: date  # first day
    end: date  # last day (inclusive): the peildatum

    @property
    def peildatum(self) -> date:
        return self.end

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def parse(code: str) -> Period:
    """The period a code names; ``ValueError`` for anything else."""
    m = _PATTERN.match(code)
    if not m:
        raise ValueError(f"not a period: {code!r} (use 2023, 2023-H1, 2023-Q2 or 2023-05)")
    year, part = int(m.group(1)), m.group(2)
    if part is None:
        kind, first_month = "year", 1
    elif part[0] == "H":
        kind, first_month = "half", 1 + 6 * (int(part[1]) - 1)
    elif part[0] == "Q":
        kind, first_month = "quarter", 1 + 3 * (int(part[1]) - 1)
    else:
        kind, first_month = "month", int(part)
    return _make(year, first_month, kind)


def bounds(code: str) -> tuple[date, date, str]:
    """``(start, end, kind)`` of a period code; ``end`` is the last day (inclusive)."""
    p = parse(code)
    return p.start, p.end, p.kind


def code_of(year: int, first_month: int, kind: str) -> str:
    """The code of the period of ``kind`` that starts in ``first_month`` of ``year``."""
    if kind == "year":
        return f"{year}"
    if kind == "half":
        return f"{year}-H{(first_month - 1) // 6 + 1}"
    if kind == "quarter":
        return f"{year}-Q{(first_month - 1) // 3 + 1}"
    if kind == "month":
        return f"{year}-{first_month:02d}"
    raise ValueError(f"unknown period kind {kind!r}")


def period_of(day: date, kind: str) -> Period:
    """The period of ``kind`` that contains ``day``."""
    size = MONTHS_IN[kind]
    first_month = (day.month - 1) // size * size + 1
    return _make(day.year, first_month, kind)


def periods_of_years(
    first_year: int, last_year: int, kinds: tuple[str, ...] = KINDS
) -> list[Period]:
    """Every period of the given kinds in the years, per year: year, halves, quarters, months."""
    out = []
    for year in range(first_year, last_year + 1):
        for kind in KINDS:
            if kind in kinds:
                size = MONTHS_IN[kind]
                out += [_make(year, m, kind) for m in range(1, 13, size)]
    return out


def month_index(day: date) -> int:
    """Months since year 0: consecutive months differ by one (used for ages and windows)."""
    return day.year * 12 + day.month - 1


def _make(year: int, first_month: int, kind: str) -> Period:
    start = date(year, first_month, 1)
    last_month = first_month + MONTHS_IN[kind] - 1
    after = date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
    return Period(code_of(year, first_month, kind), kind, start, after - timedelta(days=1))
