"""The synthetic city's people and places: the contract between the city generator
(:mod:`wijkzicht.synth.city`) and the care generator (:mod:`wijkzicht.synth.care`).

A youth's residence history *is* the address of their gezagsdrager (woonplaatsbeginsel): when
custody changes, the child's residence changes with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


def birthday(born: date, years: int) -> date:
    """The day ``years`` after ``born`` on which :meth:`Person.age_on` first gives ``years``
    (1 March for a 29 February birth in a common year)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)


@dataclass(frozen=True)
class Buurt:
    code: str  # "BU99990101"
    name: str
    wijk_code: str  # "WK999901"
    deprivation: float  # 0 (well-off) .. 1 (most deprived); drives care use
    postcodes: tuple[str, ...]  # PC6 codes ("1234AB") that lie in this buurt


@dataclass(frozen=True)
class Wijk:
    code: str  # "WK999901"
    name: str


@dataclass(frozen=True)
class Address:
    postcode: str  # PC6 without space, "1234AB"
    huisnummer: int
    buurt_code: str | None  # None when the address lies outside the city
    gemeente_code: str  # 4 digits; another code when the family moved out of the city


@dataclass(frozen=True)
class Residence:
    valid_from: date
    valid_to: date | None  # exclusive; None = still living there
    address: Address
    # added by the city generator: the parent with custody during this residence (None for
    # adults and from the 18th birthday on); a custody change starts a new Residence
    gezagsdrager_bsn: str | None = None


@dataclass
class Person:
    pid: int  # stable id within the run (never written to message traffic)
    bsn: str  # passes the eleven-test, from the synthetic range (see synth.bsn)
    birth_date: date
    sex: str  # "M" or "V"
    first_name: str
    last_name: str
    voorvoegsel: str | None
    gezagsdrager_bsn: str | None  # parent with custody (also a Person in adults, or None)
    residences: list[Residence] = field(default_factory=list)  # sorted, non-overlapping

    def address_on(self, day: date) -> Address | None:
        """Where this person lived on ``day`` (None before birth/arrival or after leaving NL)."""
        for r in self.residences:
            if r.valid_from <= day and (r.valid_to is None or day < r.valid_to):
                return r.address
        return None

    def gezagsdrager_on(self, day: date) -> str | None:
        """BSN of the parent with custody on ``day`` (None when adult or not registered)."""
        for r in self.residences:
            if r.valid_from <= day and (r.valid_to is None or day < r.valid_to):
                return r.gezagsdrager_bsn
        return None

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


@dataclass
class City:
    gemeente_code: str  # 4 digits, "9999" for Demostad
    name: str
    wijken: list[Wijk]
    buurten: list[Buurt]
    youth: list[Person]  # everyone aged 0-22 at any moment in the years generated
    adults: list[Person]  # the gezagsdragers of the youth
    first_year: int
    last_year: int
    # added by the city generator (defaults keep hand-built fixtures short):
    addresses: list[Address] = field(default_factory=list)  # every address in the city
    boundaries: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # statcode -> ring
    youth_target: int | None = None  # requested number of youth 0-17 on 1 January of last_year

    def persons(self) -> list[Person]:
        """Youth and adults, each once (a young parent can be in both lists), by ``pid``."""
        seen: dict[int, Person] = {p.pid: p for p in self.youth}
        for p in self.adults:
            seen.setdefault(p.pid, p)
        return sorted(seen.values(), key=lambda p: p.pid)

    def buurt(self, code: str) -> Buurt:
        return self._buurt_index()[code]

    def _buurt_index(self) -> dict[str, Buurt]:
        idx = self.__dict__.get("_idx")
        if idx is None:
            idx = {b.code: b for b in self.buurten}
            self.__dict__["_idx"] = idx
        return idx
