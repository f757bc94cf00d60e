"""The rows of :meth:`Figures.values` the API serves, with a small LRU in front.

A page of an unfiltered indicator (≈ 14,000 rows for Demostad) costs ~40 ms to build and
only 100 rows of it are sent; paging through it would rebuild it for every page. The
figures of a process never change, so recent answers are kept, bounded by their total number
of rows (≈ 400 bytes each), per :class:`Figures` (a new store gets a new cache)."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict

from wijkzicht.insight.figures import Figures

ROW_BUDGET = 100_000  # rows kept per Figures (≈ 40 MB)

_lock = threading.Lock()
_caches: weakref.WeakKeyDictionary[Figures, OrderedDict] = weakref.WeakKeyDictionary()


def values(f: Figures, indicator: str | None = None, *, area: str | None = None,
           period: str | None = None, level: str | None = None,
           raw: bool = False) -> list[dict]:  # fmt: skip
    """``f.values(…)``, remembered; callers must not change the rows."""
    key = (indicator, area, period, level, raw)
    with _lock:
        cache = _caches.setdefault(f, OrderedDict())
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    rows = f.values(indicator, area=area, period=period, level=level, raw=raw)
    if len(rows) <= ROW_BUDGET:
        with _lock:
            cache[key] = rows
            while sum(len(r) for r in cache.values()) > ROW_BUDGET:
                cache.popitem(last=False)
    return rows
