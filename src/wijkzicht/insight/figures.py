"""The figures everything shown to people reads: areas and stored indicator results, in memory.

:class:`Figures` is loaded once from a store (read-only) and answers the questions the
dashboard pages, the REST API, the CSV export and the report ask — all through the same
methods, so a figure is the same wherever it appears. ``raw=True`` gives exact figures
(analysts only; the web layer checks the role and writes the audit log); the default is the
public, disclosure-controlled figures.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from wijkzicht.indicators import results
from wijkzicht.indicators.catalogue import BY_NAME, CATALOGUE, Indicator
from wijkzicht.indicators.periods import KINDS, Period, parse
from wijkzicht.store import connect as store_connect

COLUMNS = ("indicator", "area_code", "period", "numerator", "denominator", "value", "suppressed")
# Messages about a period keep arriving for a while (late starts, stops and declaraties):
# figures of a period that ended less than this long before the newest message are provisional.
PROVISIONAL_DAYS = 92
# Recent answers of :meth:`Figures.values` are kept up to this many rows in all (≈ 40 MB): an
# unfiltered indicator is ~14,000 Demostad rows, and the API pages through it.
VALUES_ROW_BUDGET = 100_000


class FiguresError(LookupError):
    """Unknown indicator, area or period, or a store without indicator results."""


@dataclass(frozen=True)
class Area:
    code: str
    level: str  # gemeente | wijk | buurt
    name: str
    parent: str | None  # the wijk of a buurt, the gemeente of a wijk


Cell = tuple[float | None, float | None, float | None, bool]  # numerator, denominator, value, ⨯


class Figures:
    """Areas and indicator results of one store, exact and public, indexed for lookups."""

    def __init__(self, db: str | Path) -> None:
        self.db = Path(db)
        con = store_connect(self.db, read_only=True)
        try:
            if not con.execute("SELECT count(*) FROM indicator_results_state").fetchall()[0][0]:
                raise FiguresError(
                    f"{self.db} has no indicator results yet: run `wijkzicht indicators "
                    f"--db {self.db} --refresh` (or `wijkzicht serve`, which does it)"
                )
            self.state, self.computed = con.execute(
                "SELECT state, computed FROM indicator_results_state"
            ).fetchall()[0]
            self.areas: dict[str, Area] = {}
            self._geometry: dict[str, dict] = {}
            for code, level, name, gm, wk, geometry in con.execute(
                "SELECT code, soort, naam, gemeente_code, wijk_code, geometry FROM areas "
                "ORDER BY code"
            ).fetchall():
                parent = wk if level == "buurt" else gm if level == "wijk" else None
                self.areas[code] = Area(code, level, name or code, parent)
                if geometry:
                    self._geometry[code] = json.loads(geometry)
            last = con.execute("SELECT max(dagtekening) FROM messages").fetchall()[0][0]
            self.last_message: date | None = last
            self._public = _index(results.load(con, public=True).to_pylist())
            self._raw: dict | None = None
        finally:
            con.close()
        self.periods: list[str] = sorted(
            {p for cells in self._public.values() for p in cells}, key=_period_key
        )
        self._answers: OrderedDict[tuple, list[dict]] = OrderedDict()
        self._lock = threading.Lock()

    # --- areas ---------------------------------------------------------------------------
    def area(self, code: str) -> Area:
        try:
            return self.areas[code]
        except KeyError:
            raise FiguresError(f"unknown area {code!r}") from None

    @property
    def gemeente(self) -> Area:
        return next(a for a in self.areas.values() if a.level == "gemeente")

    def level(self, level: str) -> list[Area]:
        return [a for a in self.areas.values() if a.level == level]

    def children(self, code: str) -> list[Area]:
        return [a for a in self.areas.values() if a.parent == code]

    def geojson(self, level: str) -> dict:
        """The boundaries of every area of ``level`` as a GeoJSON FeatureCollection."""
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": a.code,
                    "properties": {"code": a.code, "naam": a.name},
                    "geometry": self._geometry[a.code],
                }
                for a in self.level(level)
                if a.code in self._geometry
            ],
        }

    # --- periods -------------------------------------------------------------------------
    def periods_of(self, kind: str) -> list[str]:
        if kind not in KINDS:
            raise FiguresError(f"unknown period kind {kind!r}; choose {', '.join(KINDS)}")
        return [p for p in self.periods if parse(p).kind == kind]

    def latest(self, kind: str = "year", *, final: bool = True) -> str:
        """The newest period of ``kind`` — with ``final``, the newest that is not provisional."""
        codes = self.periods_of(kind)
        if final:
            codes = [c for c in codes if not self.provisional(c)] or codes
        if not codes:
            raise FiguresError("the store has no periods")
        return codes[-1]

    def provisional(self, period: str) -> bool:
        """Voorlopig: late messages about this period may still arrive."""
        if self.last_message is None:
            return True
        return parse(period).end > self.last_message - timedelta(days=PROVISIONAL_DAYS)

    def check_period(self, period: str) -> str:
        try:
            code = parse(period).code
        except ValueError as e:
            raise FiguresError(str(e)) from None
        if code not in self.periods:
            raise FiguresError(f"no figures for period {period!r}")
        return code

    # --- values --------------------------------------------------------------------------
    def indicator(self, name: str) -> Indicator:
        try:
            return BY_NAME[name]
        except KeyError:
            raise FiguresError(f"unknown indicator {name!r}") from None

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return CATALOGUE

    def cell(self, indicator: str, area: str, period: str, *, raw: bool = False) -> Cell | None:
        return self._index(raw).get((indicator, area), {}).get(period)

    def series(self, indicator: str, area: str, kind: str = "year", *, raw: bool = False):
        """``[(period, cell)]`` in time order for one indicator and area."""
        cells = self._index(raw).get((indicator, area), {})
        return [(p, cells[p]) for p in self.periods_of(kind) if p in cells]

    def values(
        self,
        indicator: str | None = None,
        *,
        area: str | None = None,
        period: str | None = None,
        level: str | None = None,
        raw: bool = False,
    ) -> list[dict]:
        """Rows ``indicator, area_code, period, numerator, denominator, value, suppressed``
        — the query the pages, the API and the CSV export share. The list is the caller's;
        the row dicts are shared with later answers and must not be changed."""
        if indicator is not None:
            self.indicator(indicator)
        if area is not None:
            self.area(area)
        if period is not None:
            period = self.check_period(period)
        key = (indicator, area, period, level, raw)
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return list(self._answers[key])
        rows = self._rows(indicator, area, period, level, raw)
        if len(rows) <= VALUES_ROW_BUDGET:
            with self._lock:
                self._answers[key] = rows
                while sum(len(r) for r in self._answers.values()) > VALUES_ROW_BUDGET:
                    self._answers.popitem(last=False)
        return list(rows)

    def _rows(self, indicator, area, period, level, raw: bool) -> list[dict]:
        names = [indicator] if indicator else [i.name for i in CATALOGUE]
        codes = [area] if area else [a.code for a in self.areas.values()]
        if level:
            codes = [c for c in codes if self.areas[c].level == level]
        index = self._index(raw)
        rows = []
        for name in names:
            for code in codes:
                cells = index.get((name, code), {})
                for p in [period] if period else self.periods:
                    if p in cells:
                        rows.append(dict(zip(COLUMNS, (name, code, p, *cells[p]), strict=True)))
        return rows

    def _index(self, raw: bool) -> dict[tuple[str, str], dict[str, Cell]]:
        if not raw:
            return self._public
        if self._raw is None:
            con = store_connect(self.db, read_only=True)
            try:
                self._raw = _index(results.load(con, public=False).to_pylist())
            finally:
                con.close()
        return self._raw


def _index(rows: list[dict]) -> dict[tuple[str, str], dict[str, Cell]]:
    out: dict[tuple[str, str], dict[str, Cell]] = defaultdict(dict)
    for r in rows:
        out[(r["indicator"], r["area_code"])][r["period"]] = (
            r["numerator"],
            r["denominator"],
            r["value"],
            r["suppressed"],
        )
    return dict(out)


def _period_key(code: str) -> tuple:
    p: Period = parse(code)
    return (p.start, -KINDS.index(p.kind))
