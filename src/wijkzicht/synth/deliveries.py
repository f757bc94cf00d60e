"""The other sources the city produces besides iJw traffic: BIJ deliveries (Beleidsinformatie
Jeugd, per provider per half year) and client-experience survey answers."""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from datetime import date
from pathlib import Path

from wijkzicht.formats import CSV_HEADERS
from wijkzicht.synth.care import BURN_IN_YEARS, REDEN_CBS, Trajectory
from wijkzicht.synth.population import City


def _ymd(d: date | None) -> str:
    return "" if d is None else d.strftime("%Y%m%d")


def half_years(first_year: int, last_year: int) -> list[tuple[int, int, date, date]]:
    out = []
    for y in range(first_year, last_year + 1):
        out.append((y, 1, date(y, 1, 1), date(y, 6, 30)))
        out.append((y, 2, date(y, 7, 1), date(y, 12, 31)))
    return out


def write_bij(city: City, trajectories: list[Trajectory], out: Path, seed: int) -> int:
    """One CSV per provider per half year with every trajectory active in it.

    Like real deliveries, about 1 in 10 trajectories that end in a half year is first
    delivered without its end date; the next delivery closes it.
    """
    folder = out / "bij"
    folder.mkdir(parents=True, exist_ok=True)
    rows: dict[tuple[str, int, int], list[list[str]]] = defaultdict(list)
    for t in trajectories:
        rng = random.Random(f"{seed}:bij:{t.tid}")
        late_end = rng.random() < 0.10
        pending_close = False
        # from the first simulated year: providers delivered to CBS before the analysis years
        # too, and without that history earlier buurtteam help (herhaald beroep) is invisible
        for year, half, lo, hi in half_years(city.first_year - BURN_IN_YEARS, city.last_year):
            active = t.begin <= hi and (t.end is None or t.end >= lo)
            if not active and not pending_close:
                continue
            ended = t.end is not None and t.end <= hi
            if pending_close:
                pending_close = False
            elif ended and late_end and not (year == city.last_year and half == 2):
                ended, pending_close = False, True
            addr = t.person.address_on(min(hi, t.end or hi)) or t.person.residences[-1].address
            if addr.buurt_code is None:  # left the city: the last address in the city counts
                inside = [r.address for r in t.person.residences if r.address.buurt_code]
                addr = inside[-1]
            rows[(t.provider.agb, year, half)].append(
                [
                    t.person.bsn,
                    _ymd(t.person.birth_date),
                    t.person.sex,
                    addr.postcode,
                    city.gemeente_code,
                    t.provider.agb,
                    t.verwijzer,
                    t.hulpvorm,
                    "01" if t.crisis else "02",
                    _ymd(t.begin),
                    _ymd(t.end) if ended else "",
                    REDEN_CBS.get(t.reden or "", "") if ended else "",
                    f"{year}H{half}",
                ]
            )
    n = 0
    for (agb, year, half), body in sorted(rows.items()):
        with (folder / f"bij_{agb}_{year}H{half}.csv").open("w", newline="") as f:
            w = csv.writer(f, delimiter=";", lineterminator="\n")
            w.writerow(CSV_HEADERS["bij"])
            w.writerows(sorted(body))
            n += len(body)
    return n


def write_survey(
    city: City, trajectories: list[Trajectory], out: Path, seed: int, *, append: bool = False
) -> int:
    """Yearly client-experience answers for about a quarter of the trajectories that ended."""
    folder = out / "ervaring"
    folder.mkdir(parents=True, exist_ok=True)
    by_year: dict[int, list[list[str]]] = defaultdict(list)
    for t in trajectories:
        if t.end is None or not (city.first_year <= t.end.year <= city.last_year):
            continue
        rng = random.Random(f"{seed}:cevo:{t.tid}")
        if rng.random() > 0.25:
            continue
        good = t.reden in ("31", "34")
        base = 4 if good else 3
        nut = min(5, max(1, base + rng.choice((-1, 0, 0, 1))))
        tevreden = min(5, max(1, base + rng.choice((-1, 0, 0, 1))))
        verder = "ja" if rng.random() < (0.7 if good else 0.35) else "nee"
        by_year[t.end.year].append(
            [t.person.bsn, t.provider.agb, str(t.end.year), str(nut), str(tevreden), verder]
        )
    n = 0
    for year in range(city.first_year, city.last_year + 1):
        with (folder / f"cevo_{year}.csv").open("a" if append else "w", newline="") as f:
            w = csv.writer(f, delimiter=";", lineterminator="\n")
            if not append:
                w.writerow(CSV_HEADERS["ervaring"])
            w.writerows(sorted(by_year[year]))
            n += len(by_year[year])
    return n
