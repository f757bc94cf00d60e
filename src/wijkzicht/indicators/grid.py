"""The full grid of rows (every indicator × area of its levels × period) from the sparse counts
an engine computed, assembled with arrays directly in output order.

The grid is dense and its shape is known before any data is read: per indicator (by name), its
areas (by code) times the periods (by code). A cell's position is arithmetic, so the counts are
scattered into place and the denominators gathered from a dense cube; no join and no sort of
tens of millions of rows (a national grid) is needed, and the result is the same on every
engine because only the counts come from the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from wijkzicht.indicators.catalogue import LEVELS, POPULATIONS, Indicator

NO_DENOMINATOR = -1000  # the den id of a count
# The key columns are dictionary-encoded: a national grid has ~70 million rows of a few
# dozen indicators, ~15,000 areas and ~100 periods (as plain strings: ~3.4 GB and seconds
# to gather; as int32 positions in a small dictionary: ~0.8 GB).
KEY = pa.dictionary(pa.int32(), pa.string())
SCHEMA = pa.schema(
    [("indicator", KEY), ("area_code", KEY), ("period", KEY),
     ("numerator", pa.float64()), ("denominator", pa.float64()), ("value", pa.float64())]
)  # fmt: skip


def positions(column: pa.ChunkedArray | pa.Array, values: Sequence[str]) -> np.ndarray:
    """Each row's position in ``values`` (-1 for NULL or a value not in it); a dictionary
    column is looked up once per dictionary entry, not per row."""
    value_set = pa.array(values, pa.string())
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    out = []
    for chunk in chunks:
        if pa.types.is_dictionary(chunk.type):
            found = pc.index_in(chunk.dictionary, value_set=value_set).fill_null(-1)
            lookup = np.append(found.to_numpy().astype(np.int64), -1)  # [-1]: a NULL row
            out.append(lookup[chunk.indices.fill_null(-1).to_numpy().astype(np.int64)])
        else:
            found = pc.index_in(chunk, value_set=value_set).fill_null(-1)
            out.append(found.to_numpy().astype(np.int64))
    return np.concatenate(out) if out else np.zeros(0, np.int64)


def keys(at: np.ndarray, dictionary: Sequence[str] | pa.Array) -> pa.DictionaryArray:
    """A dictionary-encoded key column: row i holds ``dictionary[at[i]]`` (NULL where < 0)."""
    missing = at < 0
    indices = pa.array(
        at.astype(np.int32, copy=False), pa.int32(), mask=missing if missing.any() else None
    )
    if not isinstance(dictionary, pa.Array):
        dictionary = pa.array(dictionary, pa.string())
    return pa.DictionaryArray.from_arrays(indices, dictionary)


@dataclass
class Counts:
    """What an engine counted for the numerators (:meth:`Engine.numerators`: Ibis tables;
    :func:`assemble` takes them as Arrow tables):

    - ``masks``: ``group, mask, period, area_code, c, days`` — youth or trajectories ``c`` (and
      their days) that pass exactly the indicators of ``mask``, per area (of every level) and
      period; bit k of group g is the indicator of ``decode`` (g, k, id);
    - ``sums``: the ids of indicators whose numerator is the days, not the count;
    - ``medians``: ``ind, area_code, period, n, numerator`` of the median indicators."""

    masks: Any
    medians: Any
    decode: Sequence[tuple[int, int, int]]
    sums: set[int]


def assemble(
    chosen: Sequence[Indicator],
    ids: Mapping[str, int],
    counts: Counts,
    populations: pa.Table | None,
    areas: pa.Table,
    periods: pa.Table,
) -> pa.Table:
    """The rows of ``chosen`` in (indicator, area_code, period) order (:data:`SCHEMA`).

    ``ids``: indicator and population-band ids; ``counts``: what the numerators (and the
    denominators that are indicators) are counted from; ``populations``: ``area_code,
    period, band, numerator``;
    ``areas``: ``area_code, level``; ``periods``: ``period`` (a number) and ``code``.
    A rate's value is numerator × per / denominator (empty when the denominator is 0); a
    count has no denominator and its value is the numerator; a median has no numerator or
    value when nothing ended (denominator 0)."""
    inds = sorted(chosen, key=lambda i: i.name)
    if not inds:
        return SCHEMA.empty_table()
    # periods: their numbers → rank in code order
    numbers = np.asarray(periods["period"].to_numpy(zero_copy_only=False), np.int64)
    codes = periods["code"].to_pylist()
    by_code = sorted(range(len(codes)), key=codes.__getitem__)
    n_periods = len(codes)
    rank = np.full(int(numbers.max()) + 1 if n_periods else 0, -1, np.int64)
    rank[numbers[by_code]] = np.arange(n_periods)
    period_codes = pa.array([codes[k] for k in by_code], pa.string())
    # areas in code order, and the areas of each indicator's levels (as positions)
    levels = dict(zip(areas["area_code"].to_pylist(), areas["level"].to_pylist(), strict=True))
    area_codes = sorted(levels)
    if not area_codes or not n_periods:  # no area or no period: no cell
        return SCHEMA.empty_table()
    dictionary = pa.array(area_codes, pa.string())
    level_of = np.array([levels[c] for c in area_codes], dtype=object)
    combos = sorted({tuple(lv for lv in LEVELS if lv in i.levels) for i in inds})
    combo_of = np.array([combos.index(tuple(lv for lv in LEVELS if lv in i.levels)) for i in inds])
    members = [np.flatnonzero(np.isin(level_of, list(c))) for c in combos]
    slot = np.full((len(combos), len(area_codes)), -1, np.int64)  # position within the combo
    for c, at in enumerate(members):
        slot[c, at] = np.arange(len(at))
    sizes = np.array([len(members[c]) * n_periods for c in combo_of], np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    total = int(offsets[-1])

    # The grid-sized arrays are few and made in their final types: fresh memory is slow on
    # these machines (a page fault per 4 KiB), and a national grid has millions of cells.
    # the key columns, as positions in their dictionaries
    which = np.repeat(np.arange(len(inds), dtype=np.int32), sizes)
    area_at = np.concatenate([np.repeat(members[c].astype(np.int32), n_periods) for c in combo_of])
    period_at = np.tile(np.arange(n_periods, dtype=np.int32), total // n_periods)

    def cells(wanted: np.ndarray, area: pa.ChunkedArray, period: np.ndarray) -> tuple:
        """Of sparse rows: the area's position, the period's rank, and whether the row is
        ``wanted`` and both are known."""
        g = positions(area, area_codes)
        inside = (period >= 0) & (period < len(rank))
        r = np.where(inside, rank[np.clip(period, 0, len(rank) - 1)], -1)
        return g, r, wanted & (g >= 0) & (r >= 0)

    # numerators and the denominators that are indicators: the cube is denominator × area ×
    # period, gathered per indicator below
    numerator = None
    k_of = {ids[i.name]: k for k, i in enumerate(inds)}
    den_of = np.array([ids.get(i.denominator or "", NO_DENOMINATOR) for i in inds])
    used = sorted(set(den_of.tolist()) - {NO_DENOMINATOR})
    cube = np.zeros((len(used), len(area_codes), n_periods))
    d_of = {d: n for n, d in enumerate(used)}

    def place(k: np.ndarray, g: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions in the grid of cells (indicator k, area g, period rank r), and which of
        them the grid has (the area is at one of the indicator's levels)."""
        s = slot[combo_of[k], g] if len(k) else k
        return offsets[k] + s * n_periods + r, s >= 0

    if counts.masks is not None and counts.masks.num_rows:
        m = counts.masks
        g, r, ok = cells(np.ones(m.num_rows, bool), m["area_code"], m["period"].to_numpy())
        group, mask = m["group"].to_numpy(), m["mask"].to_numpy()
        c = m["c"].to_numpy(zero_copy_only=False).astype(np.float64)
        days = m["days"].to_numpy(zero_copy_only=False).astype(np.float64)
        rows = {x: np.flatnonzero((group == x) & ok) for x in {d[0] for d in counts.decode}}
        masks = {x: mask[at] for x, at in rows.items()}  # each group's masks, gathered once
        # each row's cell within an indicator of each combination of levels (-1: its area is
        # not at one of them) and within a denominator of the cube, computed once
        within = {}
        for n in {combo_of[k] for k in k_of.values()}:
            s = slot[n, g]
            within[n] = np.where(s >= 0, s * n_periods + r, -1)
        in_cube = g * n_periods + r
        at, weight, cube_at, cube_weight = [], [], [], []
        for x, bit, ind in counts.decode:  # the rows whose mask has the indicator's bit
            sel = rows[x][np.flatnonzero(masks[x] & (1 << bit))]
            if ind in k_of:
                cell = within[combo_of[k_of[ind]]][sel]
                inside = cell >= 0
                at.append(offsets[k_of[ind]] + cell[inside])
                weight.append((days if ind in counts.sums else c)[sel][inside])
            if ind in d_of:
                cube_at.append(in_cube[sel] + d_of[ind] * len(area_codes) * n_periods)
                cube_weight.append(c[sel])
        if at:  # bincount adds the masks that share a bit
            numerator = np.bincount(np.concatenate(at), np.concatenate(weight), total)
        if cube_at:
            flat = np.bincount(np.concatenate(cube_at), np.concatenate(cube_weight), cube.size)
            cube += flat.reshape(cube.shape)
    if numerator is None:
        numerator = np.zeros(total)
    if counts.medians is not None and counts.medians.num_rows:
        m = counts.medians
        ind_ids = m["ind"].to_numpy()
        k = _lookup(k_of, ind_ids)
        g, r, ok = cells(k >= 0, m["area_code"], m["period"].to_numpy())
        pos, inside = place(k[ok], g[ok], r[ok])
        numerator[pos[inside]] = m["numerator"].to_numpy(zero_copy_only=False)[ok][inside]
        d = _lookup(d_of, ind_ids)
        g, r, ok = cells(d >= 0, m["area_code"], m["period"].to_numpy())
        cube[d[ok], g[ok], r[ok]] = m["n"].to_numpy(zero_copy_only=False)[ok]
    if used and populations is not None and populations.num_rows:
        bands = list(POPULATIONS)
        band = np.array([d_of.get(ids[b], -1) for b in bands] + [-1], np.int64)
        d = band[positions(populations["band"], bands)]  # [-1]: not a band
        g, r, ok = cells(d >= 0, populations["area_code"], populations["period"].to_numpy())
        cube[d[ok], g[ok], r[ok]] = populations["numerator"].to_numpy(zero_copy_only=False)[ok]
    # per indicator: its denominators from the cube and its values
    denominator = np.zeros(total)
    value = numerator.copy()  # a count's and a median's value is the numerator
    no_den = np.zeros(total, bool)
    numerator_null = np.zeros(total, bool)
    value_null = np.zeros(total, bool)
    for n, ind in enumerate(inds):
        at = slice(offsets[n], offsets[n + 1])
        if den_of[n] == NO_DENOMINATOR:
            no_den[at] = True
            continue
        den = denominator[at]
        den[:] = cube[d_of[den_of[n]]][members[combo_of[n]]].ravel()
        no_value = den <= 0
        value_null[at] = no_value
        if ind.measure == "duration_median_days":  # nothing ended: no numerator either
            numerator_null[at] = no_value
        else:  # a rate; empty where the denominator is 0
            np.divide(numerator[at] * float(ind.per or 1), den, out=value[at], where=~no_value)
    return pa.table(
        {
            "indicator": keys(which, [i.name for i in inds]),
            "area_code": keys(area_at, dictionary),
            "period": keys(period_at, period_codes),
            "numerator": pa.array(numerator, pa.float64(), mask=numerator_null),
            "denominator": pa.array(denominator, pa.float64(), mask=no_den),
            "value": pa.array(value, pa.float64(), mask=value_null),
        },
        schema=SCHEMA,
    )


def _lookup(mapping: Mapping[int, int], keys: np.ndarray) -> np.ndarray:
    """``mapping[key]`` for each of ``keys`` (non-negative ids), -1 where absent."""
    if not len(keys):
        return np.zeros(0, np.int64)
    table = np.full(int(max(keys.max(), max(mapping, default=0))) + 1, -1, np.int64)
    for key, value in mapping.items():
        if key >= 0:
            table[key] = value
    return table[keys]
