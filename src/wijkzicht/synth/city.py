"""Demostad: a synthetic municipality with wijken, buurten, addresses and the families who
live there over the years — the people and places the care generator works on.

>>> city = generate_city(1, youth=500, n_wijken=2, buurten_per_wijk=3)
>>> city.gemeente_code, len(city.wijken)
('9999', 2)
"""

from __future__ import annotations

import gc
import hashlib
import math
import random
from collections.abc import Iterator
from datetime import date

from wijkzicht.synth import names
from wijkzicht.synth.bsn import BsnSequence
from wijkzicht.synth.households import DEFAULT_RATES, Families, LifeRates, Proto
from wijkzicht.synth.places import OutsideAddresses, build_places
from wijkzicht.synth.population import City, Person, Residence

DEMOSTAD_CENTRE = (136_000, 455_000)  # RD New metres, roughly where Utrecht lies


def city_side(youth: int) -> int:
    """Side of the city's square in metres: about 10 km for 70,000 youth."""
    return int(min(14_000, max(2_000, 10_000 * math.sqrt(youth / 70_000))) // 10 * 10)


def generate_city(
    seed: int,
    *,
    gemeente_code: str = "9999",
    name: str = "Demostad",
    youth: int = 70_000,
    first_year: int = 2019,
    last_year: int = 2024,
    n_wijken: int = 10,
    buurten_per_wijk: int = 10,
    pc4_start: int = 9000,
    centre: tuple[int, int] = DEMOSTAD_CENTRE,
    side: int | None = None,
    bsns: BsnSequence | None = None,
    outside: OutsideAddresses | None = None,
    rates: LifeRates = DEFAULT_RATES,
) -> City:
    """Generate one municipality. The same arguments give an identical :class:`City`.

    ``youth`` is the number of residents aged 0-17 on 1 January of ``last_year`` (met within a
    family's size); the youth list holds everyone who lived in the city while aged 0-22 at
    some moment from 1 January ``first_year`` to 31 December ``last_year``. Pass ``bsns`` and
    ``outside`` to share them between cities (national run): BSNs and outside addresses then
    stay unique across the cities.
    """
    if len(gemeente_code) != 4 or not gemeente_code.isdigit():
        raise ValueError(f"gemeente_code must be 4 digits: {gemeente_code!r}")
    if first_year > last_year or youth < 1 or n_wijken < 1 or buurten_per_wijk < 1:
        raise ValueError("need first_year <= last_year and positive sizes")
    gc_was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of small objects and no cycles: collection only costs
    try:
        return _generate(
            seed, gemeente_code, name, youth, first_year, last_year, n_wijken,
            buurten_per_wijk, pc4_start, centre, side, bsns, outside, rates,
        )  # fmt: skip
    finally:
        if gc_was_enabled:
            gc.enable()


def _generate(seed: int, gemeente_code: str, name: str, youth: int, first_year: int,
              last_year: int, n_wijken: int, buurten_per_wijk: int, pc4_start: int,
              centre: tuple[int, int], side: int | None, bsns: BsnSequence | None,
              outside: OutsideAddresses | None, rates: LifeRates) -> City:  # fmt: skip
    rng = random.Random(seed)
    bsns = bsns if bsns is not None else BsnSequence(seed)
    outside = outside if outside is not None else OutsideAddresses()
    places = build_places(
        rng,
        gemeente_code=gemeente_code,
        youth=youth,
        n_wijken=n_wijken,
        buurten_per_wijk=buurten_per_wijk,
        pc4_start=pc4_start,
        centre=centre,
        side=side or city_side(youth),
    )
    families = Families(rng, places, outside, rates, first_year, last_year)
    census = date(last_year, 1, 1).toordinal()
    kept: list[Proto] = []
    counted = 0
    while counted < youth:
        found = families.family()
        for p in found:
            kept.append(p)
            if p.birth <= census < p.bd18:
                here = p.address_at(census)
                counted += here is not None and here.buurt_code is not None
        if found and rng.random() < rates.single_share:
            single = families.single()
            if single is not None:
                kept.append(single)
    youth_persons, adults = _materialise(rng, kept, bsns)
    return City(
        gemeente_code=gemeente_code,
        name=name,
        wijken=places.wijken,
        buurten=places.buurten(),
        youth=youth_persons,
        adults=adults,
        first_year=first_year,
        last_year=last_year,
        addresses=places.addresses(),
        boundaries=places.boundaries,
        youth_target=youth,
    )


def _materialise(
    rng: random.Random, kept: list[Proto], bsns: BsnSequence
) -> tuple[list[Person], list[Person]]:
    """Give the kept youth and their gezagsdragers a BSN, names and residences."""
    persons: list[tuple[Proto, Person]] = []
    adults: list[Person] = []

    def make(p: Proto) -> Person:
        # children and the second parent carry the family name; the primary parent their own
        vv, last = p.surname if p.surname is not None else names.surname(rng)
        person = Person(
            pid=len(persons) + 1,
            bsn=next(bsns),
            birth_date=date.fromordinal(p.birth),
            sex=p.sex,
            first_name=names.first_name(rng, p.sex),
            last_name=last,
            voorvoegsel=vv,
            gezagsdrager_bsn=None,
        )
        p.person = person
        persons.append((p, person))
        return person

    youth: list[Person] = []
    for p in kept:
        for span in p.spans:
            parent = span[3]
            if parent is not None and parent.person is None:
                adults.append(make(parent))
        youth.append(p.person if p.person is not None else make(p))
    days: dict[int | None, date | None] = {None: None}
    for p, person in persons:
        res = []
        for f, t, addr, parent in p.spans:
            gezag = parent.person.bsn if parent is not None else None
            start = days.get(f) or days.setdefault(f, date.fromordinal(f))
            end = days.get(t) if t in days else days.setdefault(t, date.fromordinal(t))
            res.append(Residence(start, end, addr, gezag))
            if gezag is not None:
                person.gezagsdrager_bsn = gezag
        person.residences = res
    return youth, adults


# --- the whole country ----------------------------------------------------------------------
NATIONAL_FIRST_CODE = 9000  # gemeente codes 9000, 9001, …: no real municipality uses them
# the four largest cities' share of all youth 0-17 (Amsterdam, Rotterdam, Den Haag, Utrecht)
_BIG_SHARES = (0.043, 0.036, 0.032, 0.020)
_GRID_STEP = 15_000  # metres between the centres of neighbouring gemeenten


def national_sizes(seed: int, n_gemeenten: int, total_youth: int, *,
                   minimum: int = 200) -> list[int]:  # fmt: skip
    """Youth 0-17 per gemeente: a skewed (log-normal) distribution summing to ``total_youth``;
    with 20 or more gemeenten the four largest take the shares of the four big cities."""
    if n_gemeenten < 1 or total_youth < n_gemeenten:
        raise ValueError("need at least one gemeente and one youth per gemeente")
    minimum = min(minimum, max(1, total_youth // (2 * n_gemeenten)))  # small test countries
    rng = random.Random(f"wijkzicht-national-sizes:{seed}")
    raw = [rng.lognormvariate(0.0, 0.8) for _ in range(n_gemeenten)]
    big = _BIG_SHARES if n_gemeenten >= 20 else ()
    where = rng.sample(range(n_gemeenten), len(big))
    rest = 1.0 - sum(big)
    rest_raw = sum(v for i, v in enumerate(raw) if i not in where)
    shares = [rest * v / rest_raw for v in raw]
    for i, share in zip(where, big, strict=True):
        shares[i] = share
    # every gemeente gets the minimum; the rest is shared out, largest remainders first
    rest = total_youth - n_gemeenten * minimum
    exact = [rest * s for s in shares]
    sizes = [minimum + int(x) for x in exact]
    by_remainder = sorted(range(n_gemeenten), key=lambda i: int(exact[i]) - exact[i])
    for i in by_remainder[: total_youth - sum(sizes)]:
        sizes[i] += 1
    return sizes


def iter_national_cities(
    seed: int,
    *,
    n_gemeenten: int = 342,
    total_youth: int = 3_500_000,
    first_year: int = 2019,
    last_year: int = 2024,
    first_code: int = NATIONAL_FIRST_CODE,
    bsn_prefix: str | tuple[str, ...] = ("9", "8"),
    rates: LifeRates = DEFAULT_RATES,
) -> Iterator[City]:
    """Yield the gemeenten of a synthetic country one at a time (stream them to disk; memory
    stays flat). BSNs and outside addresses are unique over all gemeenten."""
    if first_code < 1000 or first_code + n_gemeenten > 9998:
        raise ValueError("gemeente codes must stay within 1000..9997 (9998 is 'outside')")
    sizes = national_sizes(seed, n_gemeenten, total_youth)
    bsns = BsnSequence(seed, prefix=bsn_prefix)
    outside = OutsideAddresses()
    cols = math.ceil(math.sqrt(n_gemeenten))
    pc4 = 1000
    for i, youth in enumerate(sizes):
        code = f"{first_code + i:04d}"
        row, col = divmod(i, cols)
        centre = (
            DEMOSTAD_CENTRE[0] + round((col - (cols - 1) / 2) * _GRID_STEP),
            DEMOSTAD_CENTRE[1] + round(((cols - 1) / 2 - row) * _GRID_STEP),
        )
        n_wijken = min(30, max(2, round(math.sqrt(youth) / 26)))
        city = generate_city(
            _city_seed(seed, code),
            gemeente_code=code,
            name=names.gemeente_name(i),
            youth=youth,
            first_year=first_year,
            last_year=last_year,
            n_wijken=n_wijken,
            buurten_per_wijk=min(15, max(2, round(youth / 700 / n_wijken))),
            pc4_start=pc4,
            centre=centre,
            bsns=bsns,
            outside=outside,
            rates=rates,
        )
        pc4 = max(int(a.postcode[:4]) for a in city.addresses) + 1
        yield city


def _city_seed(seed: int, gemeente_code: str) -> int:
    digest = hashlib.sha256(f"wijkzicht-city:{seed}:{gemeente_code}".encode()).digest()
    return int.from_bytes(digest[:8], "big")
