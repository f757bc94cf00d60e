"""Who gets which youth care when: the trajectories of a synthetic city (the ground truth).

Each youth gets care episodes from a yearly hazard that depends on age, the deprivation of the
buurt they live in and the year (use rises to 2020 and falls after). An episode is one
trajectory at one provider in one hulpvorm. The simulation starts
BURN_IN_YEARS before the first analysis year so that the stock on 1 January of that year
is realistic.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from wijkzicht.care.codes import HULPVORM
from wijkzicht.care.codes import REDEN_CBS as REDEN_CBS  # re-exported (one table)
from wijkzicht.synth.population import City, Person, birthday
from wijkzicht.synth.providers import Provider, network

BURN_IN_YEARS = 3

# Start hazard multiplier per calendar year (1.0 = the 2019 level); rises to 2020, falls after.
YEAR_FACTOR = {
    2016: 0.94,
    2017: 0.96,
    2018: 0.98,
    2019: 1.0,
    2020: 1.06,
    2021: 1.0,
    2022: 0.95,
    2023: 0.92,
    2024: 0.90,
    2025: 0.88,
    2026: 0.87,
}
# The buurtteams take over more of the help over the years (the area-based way of working).
BUURTTEAM_TREND = {2019: 0.88, 2020: 1.0, 2021: 1.12, 2022: 1.25, 2023: 1.32, 2024: 1.38}
BASE_HAZARD = 0.068  # yearly chance of a new episode for an average youth in 2019

# (kind, categorie, weight, mean duration in days)
EPISODE_TYPES: list[tuple[str, str, float, int]] = [
    ("buurtteam", "31", 9.0, 170),
    ("wijkpartner", "32", 12.0, 230),
    ("wijkpartner", "34", 4.0, 260),
    ("regionaal", "32", 16.0, 290),
    ("regionaal", "33", 4.0, 300),
    ("regionaal", "34", 3.0, 260),
    ("regionaal", "35", 1.35, 820),
    ("regionaal", "36", 0.8, 560),
    ("regionaal", "38", 1.3, 380),
    ("landelijk", "37", 0.5, 170),
    ("landelijk", "52", 6.0, 330),
    ("landelijk", "54", 5.0, 300),
    ("gi", "48", 2.6, 520),
    ("gi", "47", 1.0, 270),
]

VERWIJZER_MIX = {
    "buurtteam": {"01": 0.75, "06": 0.25},
    "wijkpartner": {"01": 0.85, "06": 0.15},
    "regionaal": {"01": 0.42, "02": 0.25, "03": 0.10, "04": 0.13, "05": 0.05, "06": 0.05},
    "landelijk": {"02": 0.45, "05": 0.28, "01": 0.15, "03": 0.07, "04": 0.05},
    "gi": {"08": 1.0},
}
GESLOTEN_VERWIJZER = {"08": 0.6, "04": 0.4}
REDEN_MIX = {
    "31": 0.60,
    "34": 0.12,
    "32": 0.09,
    "33": 0.04,
    "35": 0.03,
    "36": 0.05,
    "38": 0.03,
    "39": 0.04,
}


@dataclass
class Trajectory:
    """One trajectory as it really happened (the truth the traffic encodes)."""

    tid: int
    person: Person
    provider: Provider
    categorie: str
    verwijzer: str
    begin: date
    end: date | None  # last day of care; None = still running at the horizon
    reden: str | None  # JZ588 code; None while running
    crisis: bool
    herhaald: bool = False  # the youth had care that ended before this began
    pauses: list[tuple[date, date]] = field(default_factory=list)  # (last day, restart day)

    @property
    def hulpvorm(self) -> str:
        return HULPVORM[self.categorie]


def _pick(rng: random.Random, mix: dict[str, float]) -> str:
    x = rng.random() * sum(mix.values())
    for key, w in mix.items():
        x -= w
        if x <= 0:
            return key
    return next(reversed(mix))


def _age_weights(kind: str, categorie: str, age: int) -> float:
    if categorie == "47":
        return 1.0 if 12 <= age <= 17 else 0.0
    if categorie == "48":
        return 1.0 if age < 17 else 0.0
    if categorie == "37":
        return 1.0 if 12 <= age <= 17 else 0.0
    if categorie in ("52", "54"):
        return 1.6 if age >= 10 else (0.3 if age >= 4 else 0.0)
    if kind == "buurtteam":
        return 1.0
    return 0.4 if age < 4 else 1.0


def _age_hazard(age: int) -> float:
    if age < 4:
        return 0.45
    if age < 12:
        return 1.0
    return 1.25 if age < 18 else 0.0


def _cum_weights(age: int, year: int) -> list[float]:
    """Cumulative episode-type weights for a youth of ``age`` in ``year``."""
    total, out = 0.0, []
    trend = BUURTTEAM_TREND.get(year, 0.88 if year < 2019 else 1.38)
    for kind, cat, w, _ in EPISODE_TYPES:
        if not (year < 2020 and kind == "wijkpartner"):  # the partners start in 2020
            total += w * _age_weights(kind, cat, age) * (trend if kind == "buurtteam" else 1.0)
        out.append(total)
    return out


def simulate(city: City, seed: int, *, horizon: date | None = None) -> list[Trajectory]:
    """All trajectories of the city's youth from BURN_IN_YEARS before ``city.first_year`` up to
    ``horizon`` (default: 31 December of ``city.last_year``)."""
    horizon = horizon or date(city.last_year, 12, 31)
    start = date(city.first_year - BURN_IN_YEARS, 1, 1)
    providers = network(city.gemeente_code, [w.code for w in city.wijken])
    by_kind: dict[str, list[Provider]] = {}
    for p in providers:
        by_kind.setdefault(p.kind, []).append(p)
    buurtteam_of = {p.wijk_code: p for p in by_kind["buurtteam"]}
    deprivation = {b.code: b.deprivation for b in city.buurten}

    candidates = {
        (kind, cat): [p for p in by_kind[kind] if cat in p.categories]
        for kind, cat, _, _ in EPISODE_TYPES
    }
    years = range(start.year, horizon.year + 1)
    cum_weights = {(age, y): _cum_weights(age, y) for age in range(18) for y in years}

    out: list[Trajectory] = []
    tid = 0
    for person in city.youth:
        rng = random.Random(seed * 10_000_019 + person.pid)
        busy: dict[str, date] = {}  # provider agb -> day the current trajectory there ends
        first_end: date | None = None  # earliest end of an earlier trajectory
        born = person.birth_date.year
        for year in range(max(start.year, born), min(horizon.year, born + 18) + 1):
            y0 = max(date(year, 1, 1), start)
            mid = date(year, 7, 1)
            age = person.age_on(mid)
            addr = person.address_on(mid) or person.address_on(y0)
            if addr is None or addr.buurt_code is None or age >= 18 or age < 0:
                continue
            lam = (
                BASE_HAZARD
                * YEAR_FACTOR.get(year, 0.85)
                * _age_hazard(age)
                * (0.35 + 1.9 * deprivation.get(addr.buurt_code, 0.5))
            )
            # a youth who had care comes back more often
            if first_end is not None and first_end < y0:
                lam *= 1.6
            n = _poisson(rng, lam)
            days = sorted(rng.randrange(0, 365) for _ in range(n))
            for offset in days:
                begin = date(year, 1, 1) + timedelta(days=offset)
                if begin > horizon or begin < person.birth_date:
                    continue
                here = person.address_on(begin)
                if here is None or here.buurt_code is None:
                    continue
                age_b = person.age_on(begin)
                if age_b >= 18:
                    continue
                cw = cum_weights[(age_b, year)]
                if cw[-1] <= 0:
                    continue
                kind, cat, _, mean_days = rng.choices(EPISODE_TYPES, cum_weights=cw)[0]
                if kind == "buurtteam":
                    provider = buurtteam_of["WK" + here.buurt_code[2:8]]
                else:
                    provider = rng.choice(candidates[(kind, cat)])
                if busy.get(provider.agb, date.min) >= begin - timedelta(days=1):
                    continue  # one trajectory at a time per youth and provider, never touching
                traj = _episode(rng, tid, person, provider, cat, mean_days, begin, horizon)
                traj.herhaald = first_end is not None and first_end < begin
                busy[provider.agb] = traj.end or date.max
                if traj.end is not None:
                    first_end = min(first_end or traj.end, traj.end)
                out.append(traj)
                tid += 1
    return out


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _episode(
    rng: random.Random,
    tid: int,
    person: Person,
    provider: Provider,
    cat: str,
    mean_days: int,
    begin: date,
    horizon: date,
) -> Trajectory:
    sigma = 0.7
    mu = math.log(mean_days) - sigma * sigma / 2
    length = max(14, int(rng.lognormvariate(mu, sigma)))
    end = begin + timedelta(days=length)
    reden = _pick(rng, REDEN_MIX)
    # Care stops when the youth leaves the city (externe omstandigheden) ...
    for r in person.residences:
        if begin < r.valid_from <= end and r.address.buurt_code is None:
            end, reden = r.valid_from - timedelta(days=1), "35"
            break
    # ... and jeugdbescherming ends at 18 by law; other care mostly too (some continues to 23).
    eighteen = birthday(person.birth_date, 18)
    if end >= eighteen and (cat == "48" or rng.random() < 0.7):
        end, reden = eighteen - timedelta(days=1), "31"
    verwijzer_mix = GESLOTEN_VERWIJZER if cat == "37" else VERWIJZER_MIX[provider.kind]
    crisis_p = 0.12 if HULPVORM[cat] in {"12", "13", "14"} else 0.015
    traj = Trajectory(
        tid=tid,
        person=person,
        provider=provider,
        categorie=cat,
        verwijzer=_pick(rng, verwijzer_mix),
        begin=begin,
        end=end,
        reden=reden,
        crisis=provider.kind not in ("buurtteam", "gi") and rng.random() < crisis_p,
    )
    # A temporary stop (reden 20) and restart on the same toewijzing, for some iJw care.
    ijw_care = provider.variant in ("inspanningsgericht", "outputgericht")
    if ijw_care and cat not in ("47", "48") and length > 120 and rng.random() < 0.06:
        pause_from = begin + timedelta(days=rng.randrange(30, length - 60))
        pause_to = pause_from + timedelta(days=rng.randrange(14, 45))
        if pause_to < end:
            traj.pauses.append((pause_from, pause_to))
    if end > horizon:
        traj.end, traj.reden = None, None
        traj.pauses = [p for p in traj.pauses if p[1] <= horizon]
    return traj
