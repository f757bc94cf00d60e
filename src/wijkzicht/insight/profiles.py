"""What an area is like, from the store: its youth by age band (``population``) and its
characteristics (``area_kenmerken``, CBS *Kerncijfers wijken en buurten*).

The youth of a wijk or gemeente is the sum of its buurten; the age shares are those of the
population table's bands within 0–17. Characteristics are taken from the newest year up to the
year asked for (CBS publishes them later than the population); a figure that is missing stays
None.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import duckdb

LEVEL_OF_PREFIX = {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}
KENMERKEN = ("pct_laag_inkomen", "pct_eenouder", "pct_uitkering")


@dataclass(frozen=True)
class Profile:
    code: str
    level: str  # gemeente | wijk | buurt
    name: str
    youth: int  # residents aged 0-17 on 1 January of the year
    age_shares: dict[str, float] = field(default_factory=dict, hash=False)  # "0-3" → share
    pct_laag_inkomen: float | None = None  # % of households with a low income
    pct_eenouder: float | None = None  # % of one-parent households
    pct_uitkering: float | None = None  # % of residents aged 15-64 on a benefit


def level_of(code: str) -> str:
    """``gemeente`` / ``wijk`` / ``buurt`` from a CBS area code."""
    try:
        return LEVEL_OF_PREFIX[code[:2]]
    except KeyError:
        raise ValueError(f"{code!r} is not a CBS area code (GM…, WK…, BU…)") from None


def area_profiles(con: duckdb.DuckDBPyConnection, year: int) -> dict[str, Profile]:
    """A profile of every area in ``areas``, ``population`` (for ``year``) or ``area_kenmerken``."""
    names = {
        code: (soort, naam)
        for code, soort, naam in con.execute("SELECT code, soort, naam FROM areas").fetchall()
    }
    bands: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for gm, wk, bu, lo, hi, n in con.execute(
        """
        SELECT gemeente_code, wijk_code, buurt_code, leeftijd_van, leeftijd_tot, sum(aantal)
        FROM population WHERE jaar = ? AND leeftijd_tot <= 17
        GROUP BY ALL
        """,
        [year],
    ).fetchall():
        for code in (gm, wk, bu):
            if code:
                bands[code][f"{lo}-{hi}"] += int(n or 0)
    kenmerken = {row[0]: row[1:] for row in _kenmerken(con, year)}
    profiles = {}
    for code in sorted(set(names) | set(bands) | set(kenmerken)):
        soort, naam = names.get(code, (None, None))
        counts = bands.get(code, {})
        youth = sum(counts.values())
        shares = {b: n / youth for b, n in sorted(counts.items(), key=_band_key)} if youth else {}
        k = kenmerken.get(code, (None, None, None))
        profiles[code] = Profile(
            code=code,
            level=soort or level_of(code),
            name=naam or code,
            youth=youth,
            age_shares=shares,
            pct_laag_inkomen=k[0],
            pct_eenouder=k[1],
            pct_uitkering=k[2],
        )
    return profiles


def _kenmerken(con: duckdb.DuckDBPyConnection, year: int) -> list[tuple]:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'area_kenmerken'"
    ).fetchone()
    if not exists or not exists[0]:  # a store from before schema version 3
        return []
    return con.execute(
        f"""
        SELECT area_code, {", ".join(KENMERKEN)} FROM area_kenmerken WHERE jaar <= ?
        QUALIFY row_number() OVER (PARTITION BY area_code ORDER BY jaar DESC) = 1
        """,  # noqa: S608 - fixed column names
        [year],
    ).fetchall()


def _band_key(item: tuple[str, int]) -> int:
    return int(item[0].split("-")[0])
