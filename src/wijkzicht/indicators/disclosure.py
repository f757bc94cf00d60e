"""Disclosure control: one module for everything that leaves the analyst (counting rules §4).

Engine-free and plain: it works on rows (dicts or :class:`Cell`) with ``indicator, area_code,
parent_area_code, period, numerator, denominator, value`` and the exact (``--raw``) figures.

:func:`protect` makes them public:

1. **Primary.** A count is rounded to the nearest multiple of 5; a count of 0–7 is secret.
   Per indicator rule (catalogue ``disclosure``): ``count`` — the numerator is the count;
   ``rate`` — numerator and denominator are counts and the value is computed again from the
   rounded counts (× ``per``); ``duration`` — the denominator (ended trajectories) is the
   count, the numerator (days) is never published and the value stays exact.
2. **Secondary.** A parent is the sum of its children, so when exactly one cell of such a
   group is hidden it could be derived from the others: then the smallest other public child
   (by exact count) is suppressed as well — or the parent, when the hidden cell is an only
   child. (This covers the CBS case, a public total with all but one child public, and also
   a hidden parent whose children are all public.) Groups are the areas (gemeente → wijken,
   wijk → buurten, by ``parent_area_code``) and the catalogue's ``PARTITIONS`` (e.g.
   trajectories begun = nieuw + herhaald beroep). This checks each group on its own, as CBS
   does; it does not solve combinations of groups.
3. **Linked.** A cell whose denominator is another indicator (a share, a duration) is hidden
   when that indicator's cell for the same area and period is hidden: it would show it.

Steps 2 and 3 repeat until nothing changes. A suppressed cell has empty numerator,
denominator and value and ``suppressed=True``; show it as ``•``, never as 0.

:func:`violations` scans public rows for anything this module would not have let out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from wijkzicht.indicators.catalogue import BY_NAME, PARTITIONS

BASE = 5  # round counts to multiples of this
SECRET_UP_TO = 7  # counts 0..7 are secret
SUPPRESSED_MARK = "•"  # how a suppressed cell is shown

Number = int | float


@dataclass
class Cell:
    indicator: str
    area_code: str
    parent_area_code: str | None
    period: str
    numerator: Number | None
    denominator: Number | None
    value: float | None
    suppressed: bool = False


@dataclass(frozen=True)
class Rule:
    disclosure: str  # count | rate | duration
    per: int | None  # 1000, 100, 1 or None (counts)
    denominator: str | None = None  # another indicator (shares, durations) or None


def catalogue_rules() -> dict[str, Rule]:
    """The rule of every catalogue indicator."""
    return {
        name: Rule(
            ind.disclosure,
            ind.per,
            ind.denominator if ind.denominator in BY_NAME else None,
        )
        for name, ind in BY_NAME.items()
    }


def round_count(n: Number) -> int:
    """Nearest multiple of 5 (counts are whole, so there is never a tie)."""
    return BASE * int((n + BASE // 2) // BASE)


def is_secret(n: Number | None) -> bool:
    return n is None or n <= SECRET_UP_TO


def protect(
    rows: Iterable[Mapping | Cell],
    *,
    rules: Mapping[str, Rule] | None = None,
    partitions: Iterable[tuple[str, tuple[str, ...]]] = PARTITIONS,
) -> list[Cell]:
    """Public cells from exact ones (same order); see the module docstring."""
    rules = catalogue_rules() if rules is None else rules
    exact = [as_cell(r) for r in rows]
    hidden = [_primary_secret(c, rules[c.indicator]) for c in exact]
    index = {(c.indicator, c.area_code, c.period): k for k, c in enumerate(exact)}
    groups = _groups(exact, index, partitions)
    links = [
        index.get((rules[c.indicator].denominator, c.area_code, c.period))
        if rules[c.indicator].denominator
        else None
        for c in exact
    ]
    changed = True
    while changed:
        changed = False
        for parent, children in groups:
            if sum(hidden[k] for k in (parent, *children)) != 1:
                continue  # nothing hidden, or two unknowns in parent = sum of children
            public = [k for k in children if not hidden[k]]
            if public:
                smallest = min(public, key=lambda k: (_count(exact[k], rules), exact[k].area_code))
                hidden[smallest] = True
            else:
                hidden[parent] = True
            changed = True
        for k, link in enumerate(links):
            if link is not None and hidden[link] and not hidden[k]:
                hidden[k] = changed = True
    return [
        _public(c, rules[c.indicator]) if not h else _blank(c)
        for c, h in zip(exact, hidden, strict=True)
    ]


def _count(c: Cell, rules: Mapping[str, Rule]) -> Number:
    """The count a cell protects: the denominator for durations, else the numerator."""
    n = c.denominator if rules[c.indicator].disclosure == "duration" else c.numerator
    return n or 0


def _primary_secret(c: Cell, rule: Rule) -> bool:
    if rule.disclosure == "duration":
        return is_secret(c.denominator)
    if rule.disclosure == "rate":
        return is_secret(c.numerator) or is_secret(c.denominator)
    return is_secret(c.numerator)


def _public(c: Cell, rule: Rule) -> Cell:
    num: Number | None
    den: Number | None
    if rule.disclosure == "duration":
        num, den, value = None, round_count(c.denominator or 0), c.value
    else:
        num = round_count(c.numerator or 0)
        if rule.disclosure == "count":
            den, value = None, float(num)
        else:
            den = round_count(c.denominator or 0)
            value = num / den * (rule.per or 1)
    return Cell(c.indicator, c.area_code, c.parent_area_code, c.period, num, den, value,
                c.suppressed)  # fmt: skip


def _blank(c: Cell) -> Cell:
    return Cell(c.indicator, c.area_code, c.parent_area_code, c.period, None, None, None, True)


def _groups(
    cells: list[Cell],
    index: Mapping[tuple[str, str, str], int],
    partitions: Iterable[tuple[str, tuple[str, ...]]],
) -> list[tuple[int, list[int]]]:
    """(parent, children) positions: areas within their parent area, and partitions."""
    by_parent: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for k, c in enumerate(cells):
        if c.parent_area_code:
            by_parent[c.indicator, c.parent_area_code, c.period].append(k)
    groups = [(index[key], kids) for key, kids in by_parent.items() if key in index]
    areas_periods = {(c.area_code, c.period) for c in cells}
    for total, parts in partitions:
        for area, period in sorted(areas_periods):
            parent = index.get((total, area, period))
            kids = [index[p, area, period] for p in parts if (p, area, period) in index]
            if parent is not None and kids:
                groups.append((parent, kids))
    return groups


def as_cell(row: Mapping | Cell) -> Cell:
    """A :class:`Cell` from a cell or a mapping (CSV strings allowed: '' is empty)."""
    if isinstance(row, Cell):
        return row
    get = row.get
    return Cell(
        get("indicator"),
        get("area_code"),
        get("parent_area_code") or None,
        get("period"),
        _number(get("numerator")),
        _number(get("denominator")),
        _number(get("value")),
        get("suppressed") in (True, "true", "True", "1", "ja"),
    )


def _number(v) -> float | None:
    return None if v is None or v == "" or v == SUPPRESSED_MARK else float(v)


def violations(
    rows: Iterable[Mapping | Cell],
    *,
    rules: Mapping[str, Rule] | None = None,
    partitions: Iterable[tuple[str, tuple[str, ...]]] = PARTITIONS,
) -> list[str]:
    """Everything in public rows that disclosure control should have stopped (empty = fine):
    a public count 0–7 or not a multiple of 5, a published duration numerator, a suppressed
    cell with a figure, a hidden cell derivable as the only unknown in parent = sum of its
    children, a share showing a hidden denominator."""
    rules = catalogue_rules() if rules is None else rules
    cells = [as_cell(r) for r in rows]
    out = []
    for c in cells:
        where = f"{c.indicator} {c.area_code} {c.period}"
        if c.suppressed:
            if any(x is not None for x in (c.numerator, c.denominator, c.value)):
                out.append(f"{where}: suppressed but shows a figure")
            continue
        rule = rules[c.indicator]
        counts = {"denominator": c.denominator}
        if rule.disclosure == "duration":
            if c.numerator is not None:
                out.append(f"{where}: duration numerator (days) published")
        else:
            counts["numerator"] = c.numerator
        for field_name, n in counts.items():
            if n is None:
                if field_name == "numerator" or rule.disclosure != "count":
                    out.append(f"{where}: {field_name} missing in a public cell")
            elif n <= SECRET_UP_TO or n % BASE:
                out.append(f"{where}: public {field_name} {n:g} (must be ≥ 8, a multiple of 5)")
        if rule.disclosure == "count" and c.value != c.numerator:
            out.append(f"{where}: value {c.value} is not the rounded count")
        if rule.disclosure == "rate" and c.numerator and c.denominator and c.value is not None:
            expected = c.numerator / c.denominator * (rule.per or 1)
            if abs(c.value - expected) > 1e-6 * max(1.0, abs(expected)):
                out.append(f"{where}: value {c.value} not computed from the rounded counts")
    index = {(c.indicator, c.area_code, c.period): k for k, c in enumerate(cells)}
    for parent, children in _groups(cells, index, partitions):
        secret = [k for k in (parent, *children) if cells[k].suppressed]
        if len(secret) == 1:
            c = cells[secret[0]]
            out.append(
                f"{c.indicator} {c.area_code} {c.period}: derivable (parent = sum of children)"
            )
    for c in cells:
        link = rules[c.indicator].denominator
        k = index.get((link, c.area_code, c.period)) if link else None
        if k is not None and cells[k].suppressed and not c.suppressed:
            out.append(f"{c.indicator} {c.area_code} {c.period}: shows hidden {link}")
    return out
