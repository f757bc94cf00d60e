"""Family life courses in the synthetic city: births, moves, leaving the city, divorce with a
change of custody, children leaving home.

Time is counted in day ordinals (``date.toordinal``). Each family is simulated on its own:
a fertility plan (number of children, mother's age at first birth, birth spacing) fixes the
children; the primary parent's address history is a walk with competing yearly hazards (move
within the city — more often in deprived buurten —, move out of the city, emigrate, divorce).
A child's address history is the address history of the parent with custody, cut at the
custody change and at the 18th birthday (from then on there is no gezagsdrager), until the
child leaves home and walks on their own.
"""

from __future__ import annotations

import bisect
import functools
import random
from dataclasses import dataclass
from datetime import date

from wijkzicht.synth.names import surname
from wijkzicht.synth.places import OutsideAddresses, Places
from wijkzicht.synth.population import Address, birthday

YEAR = 365.2425  # days


@dataclass(frozen=True)
class LifeRates:
    """Yearly hazards and shares of the family model (calibration in docs/synthetic-data.md)."""

    move_in_city: float = 0.035  # family moves within the city, × (1 + move_deprivation·dep)
    move_deprivation: float = 1.0
    move_out: float = 0.028  # family leaves the city for another gemeente
    emigrate: float = 0.003  # family leaves the country
    divorce: float = 0.008  # while there are minor children, + divorce_deprivation·dep
    divorce_deprivation: float = 0.012
    custody_change: float = 0.35  # after a divorce the children go to the other parent
    move_after_divorce: float = 0.5  # otherwise the custodial parent moves with them
    partner_in_city: float = 0.8  # the other parent's new address lies in the city
    same_wijk: float = 0.5  # a move within the city stays in the wijk
    young_move_in_city: float = 0.14  # young adults on their own
    young_move_out: float = 0.09
    leave_home_in_city: float = 0.55  # a child leaving home stays in the city
    in_mover_share: float = 0.14  # share of families that arrive during the years
    single_share: float = 0.2  # young adults (18-22) moving in alone, per family


DEFAULT_RATES = LifeRates()
_KIDS = (1, 2, 3, 4, 5)
_KIDS_CUM = (0.27, 0.72, 0.92, 0.985, 1.0)


@functools.lru_cache(maxsize=1 << 16)
def add_years(day: int, years: int) -> int:
    """:func:`birthday` on day numbers (date ordinals), remembered."""
    return birthday(date.fromordinal(day), years).toordinal()


class Proto:
    """A person while the city is being built; becomes a :class:`Person` when kept."""

    __slots__ = ("bd18", "bd23", "birth", "person", "sex", "spans", "surname")

    def __init__(self, birth: int, sex: str, surname: tuple[str | None, str] | None) -> None:
        self.birth = birth
        self.bd18 = add_years(birth, 18)
        self.bd23 = add_years(birth, 23)
        self.sex = sex
        self.surname = surname
        # [valid_from, valid_to or None, Address, gezagsdrager Proto or None]
        self.spans: list[list] = []
        self.person = None

    def address_at(self, day: int) -> Address | None:
        for f, t, addr, _ in self.spans:
            if f <= day and (t is None or day < t):
                return addr
        return None


class Families:
    """Generates families one by one; the caller stops when the city is full."""

    def __init__(self, rng: random.Random, places: Places, outside: OutsideAddresses,
                 rates: LifeRates, first_year: int, last_year: int) -> None:  # fmt: skip
        self.rng = rng
        self.places = places
        self.outside = outside
        self.rates = rates
        self.t0 = date(first_year, 1, 1).toordinal()
        self.t_end = date(last_year + 1, 1, 1).toordinal()
        self.dep = places.deprivation()
        codes = list(places.weights)
        self._codes = codes
        self._cum = _cumulative([places.weights[c] for c in codes])
        self._wijk: dict[str, tuple[list[str], list[float]]] = {}
        for wcode in {c[2:8] for c in codes}:
            sub = [c for c in codes if c[2:8] == wcode]
            self._wijk[wcode] = (sub, _cumulative([places.weights[c] for c in sub]))

    # --- places ----------------------------------------------------------------------------
    def city_address(self, near: str | None = None) -> Address:
        rng = self.rng
        if near is not None and rng.random() < self.rates.same_wijk:
            codes, cum = self._wijk[near[2:8]]
        else:
            codes, cum = self._codes, self._cum
        code = codes[bisect.bisect_right(cum, rng.random() * cum[-1])]
        return self.places.pools[code].take()

    # --- one address history ----------------------------------------------------------------
    def walk(self, spans: list[list], t: int, *, young: bool,
             divorce_until: int | None = None) -> tuple[int, bool] | None:  # fmt: skip
        """Continue the open address history ``spans`` from day ``t`` to the end of the last
        year. Returns (day, custody changes) of a divorce, if one happened."""
        rng, r, end = self.rng, self.rates, self.t_end
        divorce = None
        while True:
            addr = spans[-1][2]
            if addr.buurt_code is None:  # outside the city: no longer followed
                return divorce
            if young:
                r_move, r_out = r.young_move_in_city, r.young_move_out
            else:
                r_move = r.move_in_city * (1 + r.move_deprivation * self.dep[addr.buurt_code])
                r_out = r.move_out
            r_div = 0.0
            if divorce is None and divorce_until is not None and t < divorce_until:
                r_div = r.divorce + r.divorce_deprivation * self.dep[addr.buurt_code]
            total = r_move + r_out + r.emigrate + r_div
            t += int(rng.expovariate(total) * YEAR) + 1
            if t >= end:
                return divorce
            u = rng.random() * total
            if u < r_move:
                _move(spans, t, self.city_address(addr.buurt_code))
            elif u < r_move + r_out:
                _move(spans, t, self.outside.take())
            elif u < r_move + r_out + r.emigrate:
                spans[-1][1] = t
                return divorce
            else:
                change = rng.random() < r.custody_change
                divorce = (t, change)
                if not change and rng.random() < r.move_after_divorce:
                    _move(spans, t, self.city_address(addr.buurt_code))

    # --- whole families --------------------------------------------------------------------
    def family(self) -> list[Proto]:
        """One family's youth (children and a young parent) that lived in the city while aged
        0-22 during the years; empty when none did. Parents with custody are reachable through
        the children's spans."""
        rng, r, t0, t_end = self.rng, self.rates, self.t0, self.t_end
        n_kids = _KIDS[bisect.bisect_left(_KIDS_CUM, rng.random())]
        first_age = min(43.0, max(18.0, rng.gauss(30.5, 4.5)))
        earliest = t0 - 37 * YEAR
        b = int(earliest + rng.random() * (t_end - earliest))
        mother_birth = int(b - first_age * YEAR)
        births = [b]
        for _ in range(n_kids - 1):
            b = int(b + (1.1 + rng.gammavariate(2.0, 0.9)) * YEAR)
            if b - mother_birth > 45 * YEAR or b >= t_end:
                break
            births.append(b)
        births = [b for b in births if b < t_end]
        arrival = None
        if rng.random() < r.in_mover_share:
            arrival = int(t0 + rng.random() * (t_end - t0))
        horizon = t0 if arrival is None else arrival
        if births[-1] + 23 * YEAR <= horizon and mother_birth + 23 * YEAR <= horizon:
            return []  # nobody is young while living here
        if arrival is not None:
            since = arrival
        elif births[0] > t0:  # the first child is born during the years
            since = int(births[0] - rng.random() * 1.5 * YEAR)
        else:
            since = int(min(t0, births[0]) - rng.expovariate(0.2) * YEAR)
        since = max(since, int(mother_birth + 18 * YEAR))
        fam_name = surname(rng)
        primary = Proto(mother_birth, "V" if rng.random() < 0.88 else "M", None)
        primary.spans.append([since, None, self.city_address(), None])
        divorce = self.walk(primary.spans, max(since, t0), young=False,
                            divorce_until=add_years(births[-1], 18))  # fmt: skip
        partner = None
        if divorce is not None and divorce[1]:
            day = divorce[0]
            partner = Proto(int(mother_birth + rng.gauss(2.0, 3.0) * YEAR),
                            "M" if primary.sex == "V" else "V", fam_name)  # fmt: skip
            home = primary.address_at(day)
            near = home.buurt_code if home is not None else None
            new = self.city_address(near) if rng.random() < r.partner_in_city else None
            partner.spans.append([day, None, new or self.outside.take(), None])
            self.walk(partner.spans, day, young=False)
        out: list[Proto] = []
        for b in births:
            kid = Proto(b, "M" if rng.random() < 0.512 else "V", fam_name)
            start = max(b, since)
            leave = add_years(b, 18) + int(rng.gammavariate(2.0, 1.7) * YEAR)
            if partner is not None and start < divorce[0] < kid.bd18:
                _follow(kid, primary, start, divorce[0])
                _follow(kid, partner, divorce[0], leave)
                home_parent = partner
            else:
                _follow(kid, primary, start, leave)
                home_parent = primary
            self._leave_home(kid, home_parent, leave, resident=arrival is None, since=since)
            if self.is_young_here(kid):
                out.append(kid)
        for parent in (primary, partner):  # a young parent is youth too
            if parent is not None and self.is_young_here(parent):
                out.append(parent)
        return out

    def _leave_home(self, kid: Proto, parent: Proto, leave: int, *, resident: bool,
                    since: int) -> None:  # fmt: skip
        if leave >= self.t_end:  # still at home at the end of the years
            if kid.spans and kid.spans[-1][1] == leave:
                kid.spans[-1][1] = None
            return
        if kid.spans and kid.spans[-1][1] != leave:
            return  # the family emigrated earlier; the child with it
        home = parent.address_at(leave)
        if home is None and not (resident and leave < since):
            return  # the family had not arrived yet: the child never lived here
        if home is not None and home.buurt_code is None:  # left home outside the city
            if kid.spans:
                kid.spans[-1][1] = None
            return
        rng = self.rng
        if rng.random() < self.rates.leave_home_in_city:
            addr = self.city_address(home.buurt_code if home else None)
        else:
            addr = self.outside.take()
        kid.spans.append([leave, None, addr, None])
        self.walk(kid.spans, max(leave, self.t0), young=True)

    def single(self) -> Proto | None:
        """A young adult (18-22) moving into the city alone — student, first job — some time
        in the five years before or during the years; None when gone before the years."""
        rng = self.rng
        earliest = self.t0 - 5 * YEAR
        arrival = int(earliest + rng.random() * (self.t_end - earliest))
        p = Proto(int(arrival - rng.uniform(18.0, 22.0) * YEAR), rng.choice("MV"), None)
        p.spans.append([arrival, None, self.city_address(), None])
        self.walk(p.spans, arrival, young=True)
        return p if self.is_young_here(p) else None

    def is_young_here(self, p: Proto) -> bool:
        """Lived in the city while aged 0-22, some moment in the years generated."""
        lo, hi = max(self.t0, p.birth), min(self.t_end, p.bd23)
        if lo >= hi:
            return False
        for f, t, addr, _ in p.spans:
            if addr.buurt_code is not None and f < hi and (t is None or t > lo):
                return True
        return False


def _move(spans: list[list], t: int, addr: Address) -> None:
    if t <= spans[-1][0]:
        t = spans[-1][0] + 1
    spans[-1][1] = t
    spans.append([t, None, addr, None])


def _follow(kid: Proto, parent: Proto, start: int, stop: int) -> None:
    """Append to the kid's spans the parent's addresses between ``start`` and ``stop``, with the
    parent as gezagsdrager until the kid's 18th birthday."""
    bd18 = kid.bd18
    for f, t, addr, _ in parent.spans:
        lo, hi = max(f, start), stop if t is None else min(t, stop)
        if lo >= hi:
            continue
        if lo < bd18 < hi:
            _append(kid, lo, bd18, addr, parent)
            _append(kid, bd18, hi, addr, None)
        else:
            _append(kid, lo, hi, addr, parent if lo < bd18 else None)


def _append(kid: Proto, lo: int, hi: int, addr: Address, gezag: Proto | None) -> None:
    spans = kid.spans
    if spans and spans[-1][1] == lo and spans[-1][2] is addr and spans[-1][3] is gezag:
        spans[-1][1] = hi
    else:
        spans.append([lo, hi, addr, gezag])


def _cumulative(weights: list[float]) -> list[float]:
    out, s = [], 0.0
    for w in weights:
        s += w
        out.append(s)
    return out
