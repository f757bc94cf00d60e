"""Disclosure control: one module for everything that leaves the analyst (counting rules §4).

Engine-free: it works on Arrow tables (:func:`protect_table`; numpy for the arithmetic) or on
rows (dicts or :class:`Cell`, :func:`protect`) with ``indicator, area_code, parent_area_code,
period, numerator, denominator, value`` and the exact (``--raw``) figures.

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

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from wijkzicht.indicators import grid
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


def protect(
    rows: Iterable[Mapping | Cell],
    *,
    rules: Mapping[str, Rule] | None = None,
    partitions: Iterable[tuple[str, tuple[str, ...]]] = PARTITIONS,
) -> list[Cell]:
    """Public cells from exact ones (same order); see the module docstring. Rows of CSV text
    are accepted (:func:`as_cell`); :func:`protect_table` does the work."""
    table = _table([as_cell(r) for r in rows])
    out = protect_table(table, rules=rules, partitions=partitions)
    return [Cell(**r) for r in out.select(list(Cell.__dataclass_fields__)).to_pylist()]


def protect_table(
    table: pa.Table,
    *,
    parents: Mapping[str, str | None] | None = None,
    rules: Mapping[str, Rule] | None = None,
    partitions: Iterable[tuple[str, tuple[str, ...]]] = PARTITIONS,
    in_order: bool = False,
) -> pa.Table:
    """Public cells from exact ones, column by column: ``table`` has ``indicator, area_code,
    period, numerator, denominator, value`` and ``parent_area_code`` (or ``parents``: area →
    parent area) and optionally ``suppressed``; the result has the same rows in the same
    order with public figures and ``suppressed``.

    Primary secrets, rounding and rates are array operations; secondary suppression visits
    the groups one by one in a fixed order (areas in order of their first child, then each
    partition by area and period), because suppressing one cell changes the next group. The
    cells are put in (indicator, area_code, period) order first, so the result does not
    depend on the order they come in; ``in_order`` returns them in that order, not the
    input's."""
    rules = catalogue_rules() if rules is None else rules
    n = table.num_rows
    if "parent_area_code" not in table.column_names:
        table = table.append_column("parent_area_code", _parents_of(table["area_code"], parents))
    positions = _Positions(table)
    order = positions.reordering()
    if order is not None:  # not in (indicator, area_code, period) order yet
        # the groups are visited in row order: the same cells give the same result in any order
        out = protect_table(table.take(pa.array(order)), rules=rules, partitions=partitions)
        if in_order:
            return out
        back = np.empty_like(order)
        back[order] = np.arange(len(order))
        return out.take(pa.array(back))
    names, codes = positions.indicators, positions.ind
    kinds = ("count", "rate", "duration")  # as numbers: comparing strings per cell is slow
    kind = np.array([kinds.index(rules[x].disclosure) for x in names] or [0])[codes]
    per = np.array([float(rules[x].per or 1) for x in names] or [1.0])[codes]
    num, den, value = (_floats(table[c]) for c in ("numerator", "denominator", "value"))
    count, rate, duration = (kind == k for k in range(len(kinds)))
    secret = np.where(
        duration, _secret(den), np.where(rate, _secret(num) | _secret(den), _secret(num))
    )
    hidden = _secondary(
        secret,
        np.nan_to_num(np.where(duration, den, num)),
        positions.area,  # numbered in code order: ties break as on the codes
        positions.groups(partitions),
        positions.links({x: rules[x].denominator for x in names}),
    )
    rnum = BASE * np.floor_divide(np.nan_to_num(num) + BASE // 2, BASE)
    rden = BASE * np.floor_divide(np.nan_to_num(den) + BASE // 2, BASE)
    with np.errstate(divide="ignore", invalid="ignore"):  # (a zero denominator is hidden)
        shown = np.where(duration, value, np.where(count, rnum, rnum / rden * per))
    blank = hidden
    given = (
        table["suppressed"].to_numpy(zero_copy_only=False).astype(bool)
        if "suppressed" in table.column_names
        else np.zeros(n, dtype=bool)
    )
    out = {c: table[c] for c in ("indicator", "area_code", "parent_area_code", "period")}
    out["numerator"] = pa.array(rnum, pa.float64(), mask=blank | duration)
    out["denominator"] = pa.array(rden, pa.float64(), mask=blank | count)
    out["value"] = pa.array(shown, pa.float64(), mask=blank | np.isnan(shown))
    out["suppressed"] = pa.array(blank | given, pa.bool_())
    return pa.table(out)


def _secondary(
    secret: np.ndarray,
    count: np.ndarray,
    area: np.ndarray,
    groups: _Groups,
    links: tuple[np.ndarray, np.ndarray],
) -> np.ndarray:
    """Steps 2 and 3 until nothing changes; returns hidden per cell.

    The same as visiting every group, then every link, in order, sweep after sweep — but only
    the groups that can act are visited: a group acts when exactly one of its cells is hidden
    at its turn, and hiding only grows. Each group's number of hidden cells is kept up to date;
    a sweep visits, in order, the groups with one hidden cell at its start and those that get
    to one before their turn (a heap of positions). The per-cell arrays stay arrays (read only
    where a group acts): as Python lists, millions of cells cost seconds to convert."""
    hidden = bytearray(secret.astype(np.uint8).tobytes())  # 0/1 per cell, indexed fast
    # memoryviews: indexing and slicing them gives Python ints at a fraction of numpy's cost
    parent, offsets, kids = (memoryview(a) for a in (groups.parent, groups.offsets, groups.kids))
    member_offsets, members = (memoryview(a) for a in groups.membership(len(hidden)))
    # the order "smallest exact count, then area" as one number per cell (equal pairs equal)
    smallest = memoryview(_order_key(count, area))
    hidden_in = groups.hidden_counts(secret).tolist()
    linked, link = links
    by_link_offsets, by_link = (memoryview(a) for a in _grouped(link, linked, len(hidden)))

    def hide(cell: int, turn: int, heap: list[int] | None) -> None:
        hidden[cell] = 1
        for g in members[member_offsets[cell] : member_offsets[cell + 1]].tolist():
            hidden_in[g] += 1
            if heap is not None and hidden_in[g] == 1 and g > turn:
                heapq.heappush(heap, g)  # reaches one hidden cell before its turn

    changed = True
    while changed:
        changed = False
        heap = np.flatnonzero(np.array(hidden_in) == 1).tolist()  # ascending: a heap already
        last = -1
        while heap:
            g = heapq.heappop(heap)
            if g == last or hidden_in[g] != 1:
                continue  # pushed twice, or two unknowns by now
            last = g
            public = [k for k in kids[offsets[g] : offsets[g + 1]].tolist() if not hidden[k]]
            # the smallest other public child (by exact count), or the parent of an only child
            cell = min(public, key=smallest.__getitem__) if public else parent[g]
            hide(cell, g, heap)
            changed = True
        h = np.frombuffer(hidden, dtype=np.uint8).astype(bool)
        heap = linked[h[link] & ~h[linked]].tolist()  # ascending, as the links are
        while heap:
            k = heapq.heappop(heap)
            if hidden[k]:
                continue
            hide(k, -1, None)
            changed = True
            for j in by_link[by_link_offsets[k] : by_link_offsets[k + 1]].tolist():
                if j > k and not hidden[j]:  # its turn is still to come in this pass
                    heapq.heappush(heap, j)
    return np.frombuffer(hidden, dtype=np.uint8).astype(bool)


def _order_key(count: np.ndarray, area: np.ndarray) -> np.ndarray:
    """One number per cell that orders as the pair (count, area) does, equal pairs equal:
    count × (areas + 1) + area + 1 when the counts are whole and that stays exact in a
    float64 (always, for counts of people), else the pairs' dense rank."""
    n = len(count)
    span = float(area.max()) + 2 if n else 1.0
    whole = bool(np.all(np.floor(count) == count)) if n else True
    if whole and (not n or float(np.abs(count).max()) * span < 2**52):
        return (count * span + (area + 1)).astype(np.float64)
    order = np.lexsort((area, count))
    c, a = count[order], area[order]
    step = np.r_[False, (c[1:] != c[:-1]) | (a[1:] != a[:-1])]
    rank = np.empty(n, dtype=np.float64)
    rank[order] = np.cumsum(step)
    return rank


def _grouped(keys: np.ndarray, values: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``offsets, values``: the values of key c (0 ≤ c < n) are ``values[offsets[c]:offsets[c +
    1]]``, in their given order — arrays, not a list per key: millions of small lists cost
    seconds of garbage collection."""
    order = np.argsort(keys, kind="stable")
    return np.r_[0, np.cumsum(np.bincount(keys, minlength=n))], values[order]


@dataclass
class _Groups:
    """(parent, children) groups in visiting order, as arrays: group g is ``parent[g]`` with
    children ``kids[offsets[g]:offsets[g + 1]]`` (never empty)."""

    parent: np.ndarray
    offsets: np.ndarray
    kids: np.ndarray

    def hidden_counts(self, hidden: np.ndarray) -> np.ndarray:
        """Hidden cells per group (parent and children)."""
        if not len(self.parent):
            return np.zeros(0, dtype=np.int64)
        in_kids = np.add.reduceat(hidden[self.kids].astype(np.int64), self.offsets[:-1])
        return hidden[self.parent].astype(np.int64) + in_kids

    def membership(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """``offsets, groups``: the groups of cell c are ``groups[offsets[c]:offsets[c + 1]]``."""
        sizes = np.diff(self.offsets)
        cells = np.concatenate([self.parent, self.kids])
        of = np.concatenate([np.arange(len(self.parent)), np.repeat(np.arange(len(sizes)), sizes)])
        return _grouped(cells, of, n)


class _Positions:
    """Row positions by (indicator, area_code, period) — the last row of a key, as a dict
    would keep it. Codes are numbered in sorted order, so the sorted keys are in the order of
    the codes' text."""

    def __init__(self, table: pa.Table):
        self.table = table
        area, parent = table["area_code"], table["parent_area_code"]
        self.indicators = _distinct(table["indicator"])
        self.areas = sorted({*_distinct(area), *_distinct(parent)})
        self.periods = _distinct(table["period"])
        self.ind = grid.positions(table["indicator"], self.indicators)
        self.area = grid.positions(area, self.areas)
        self.parent = grid.positions(parent, self.areas)
        self.period = grid.positions(table["period"], self.periods)
        key = self._key(self.ind, self.area, self.period)
        if np.all(key[1:] > key[:-1]):  # in order, each key once (as the grid gives them)
            self.keys, self.pos = key, np.arange(len(key))
            return
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        last = np.r_[ordered[1:] != ordered[:-1], True][: len(ordered)]
        self.keys, self.pos = ordered[last], order[last]

    def reordering(self) -> np.ndarray | None:
        """The stable permutation that puts the rows in (indicator, area_code, period) order,
        None when they are in it (checked in one pass, not by sorting)."""
        # one number per row that orders as its codes do (-1, NULL, first): shifted by one
        ind, area, period = self.ind + 1, self.area + 1, self.period + 1
        key = (ind * (len(self.areas) + 1) + area) * (len(self.periods) + 1) + period
        return np.argsort(key, kind="stable") if np.any(key[1:] < key[:-1]) else None

    def _key(self, ind: np.ndarray, area: np.ndarray, period: np.ndarray) -> np.ndarray:
        return (ind * len(self.areas) + area) * len(self.periods) + period

    def code(self, indicator: str | None) -> int:
        return self.indicators.index(indicator) if indicator in self.indicators else -1

    def find(self, ind: np.ndarray, area: np.ndarray, period: np.ndarray) -> np.ndarray:
        """The position of each (indicator, area, period) code triple, -1 where none."""
        if not len(self.keys):
            return np.full(len(area), -1, dtype=np.int64)
        key = self._key(ind, area, period)
        at = np.minimum(np.searchsorted(self.keys, key), len(self.keys) - 1)
        found = (self.keys[at] == key) & (ind >= 0) & (area >= 0) & (period >= 0)
        return np.where(found, self.pos[at], -1)

    def groups(self, partitions: Iterable[tuple[str, tuple[str, ...]]]) -> _Groups:
        """(parent, children) positions: areas within their parent area (in order of their
        first child), then each partition's total and parts per area and period (sorted)."""
        child = np.flatnonzero(self.parent >= 0)
        parent = self.find(self.ind[child], self.parent[child], self.period[child])
        child, parent = child[parent >= 0], parent[parent >= 0]
        order = np.lexsort((child, parent))
        child, parent = child[order], parent[order]
        starts = np.flatnonzero(np.r_[True, parent[1:] != parent[:-1]][: len(parent)])
        sizes = np.diff(np.r_[starts, len(child)])
        # groups in the order of their first child; children in position order within
        rank = np.empty(len(starts), dtype=np.int64)
        rank[np.argsort(child[starts], kind="stable")] = np.arange(len(starts))
        of = rank[np.repeat(np.arange(len(starts)), sizes)]
        by_rank = np.lexsort((child, of))
        parents, kids = [np.empty(len(starts), dtype=np.int64)], [child[by_rank]]
        parents[0][rank] = parent[starts]
        lengths = [np.empty(len(starts), dtype=np.int64)]
        lengths[0][rank] = sizes
        places = len(self.areas) * len(self.periods)
        for total, parts in partitions:
            at = np.flatnonzero(self.keys // places == self.code(total))  # area, period order
            area = self.keys[at] // len(self.periods) % len(self.areas)
            period = self.keys[at] % len(self.periods)
            found = np.stack(
                [self.find(np.full(len(at), self.code(p)), area, period) for p in parts]
                or [np.full(len(at), -1)],
                axis=1,
            )
            present = found >= 0
            count = present.sum(axis=1)
            parents.append(self.pos[at][count > 0])
            lengths.append(count[count > 0])
            kids.append(found[present])  # row by row, parts in their order
        size = np.concatenate(lengths)
        return _Groups(
            np.concatenate(parents).astype(np.int64, copy=False),
            np.r_[0, np.cumsum(size)].astype(np.int64, copy=False),
            np.concatenate(kids).astype(np.int64, copy=False),
        )

    def links(self, denominator: Mapping[str, str | None]) -> tuple[np.ndarray, np.ndarray]:
        """``cells, their denominator cells`` (ascending) for cells whose denominator is an
        indicator."""
        of = np.array([self.code(denominator.get(x)) for x in self.indicators] or [-1])
        at = np.flatnonzero(of[self.ind] >= 0) if len(self.ind) else self.ind
        link = self.find(of[self.ind[at]], self.area[at], self.period[at])
        keep = link >= 0
        return at[keep].astype(np.int64), link[keep].astype(np.int64)


def _table(cells: list[Cell]) -> pa.Table:
    """Cells as a table with the columns of :class:`Cell`."""
    return pa.table(
        {
            "indicator": pa.array([c.indicator for c in cells], pa.string()),
            "area_code": pa.array([c.area_code for c in cells], pa.string()),
            "parent_area_code": pa.array([c.parent_area_code for c in cells], pa.string()),
            "period": pa.array([c.period for c in cells], pa.string()),
            **{
                name: pa.array([getattr(c, name) for c in cells], pa.float64())
                for name in ("numerator", "denominator", "value")
            },
            "suppressed": pa.array([c.suppressed for c in cells], pa.bool_()),
        }
    )


def _distinct(column: pa.ChunkedArray) -> list[str]:
    """The sorted distinct values of a string column (without NULL)."""
    return sorted(pc.unique(column).drop_null().to_pylist())


def _floats(column: pa.ChunkedArray) -> np.ndarray:
    return column.cast(pa.float64()).to_numpy(zero_copy_only=False).astype(np.float64, copy=False)


def _secret(n: np.ndarray) -> np.ndarray:
    return np.isnan(n) | (n <= SECRET_UP_TO)


def _parents_of(
    area: pa.ChunkedArray, parents: Mapping[str, str | None] | None
) -> pa.ChunkedArray | pa.Array:
    if not parents:
        return pa.nulls(len(area), pa.string())
    # a dictionary column of the parents' codes, as the grid's key columns are
    names = sorted({p for p in parents.values() if p is not None})
    rank = {p: i for i, p in enumerate(names)}
    parent_at = np.array([rank.get(p, -1) for p in parents.values()] + [-1])  # [-1]: no area
    return grid.keys(parent_at[grid.positions(area, list(parents))], names)


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
    positions = _Positions(_table(cells))
    groups = positions.groups(partitions)
    suppressed = np.array([c.suppressed for c in cells], dtype=bool)
    for g in np.flatnonzero(groups.hidden_counts(suppressed) == 1).tolist():
        members = [groups.parent[g], *groups.kids[groups.offsets[g] : groups.offsets[g + 1]]]
        c = cells[next(int(k) for k in members if suppressed[k])]
        out.append(f"{c.indicator} {c.area_code} {c.period}: derivable (parent = sum of children)")
    linked, link = positions.links({x: rules[x].denominator for x in positions.indicators})
    for k, target in zip(linked.tolist(), link.tolist(), strict=True):
        c = cells[k]
        if suppressed[target] and not c.suppressed:
            shown = rules[c.indicator].denominator
            out.append(f"{c.indicator} {c.area_code} {c.period}: shows hidden {shown}")
    return out
