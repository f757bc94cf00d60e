"""The places of a synthetic municipality: wijken and buurten, their boundaries, their
deprivation, and the postcode + huisnummer addresses inside them.

Boundaries are a guillotine tessellation of a square in RD New metres: the square is cut into
one rectangle per wijk, each wijk rectangle into one rectangle per buurt. Buurten therefore
nest in their wijk and the tessellation has no gaps and no overlaps; the gemeente is the square.
Deprivation is a smooth gradient across the square (one side poorer than the other) plus
noise per buurt, so poor buurten cluster in a few wijken, as they do in real cities.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from wijkzicht.synth import names
from wijkzicht.synth.population import Address, Buurt, Wijk

Rect = tuple[int, int, int, int]  # x0, y0, x1, y1 in RD New metres

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# letter pairs PostNL does not use in a PC6
_UNUSED_PAIRS = frozenset({"SA", "SD", "SS"})
OUTSIDE_PC4 = (9900, 9999)  # postcodes given to addresses outside the generated gemeenten


def split_rect(rect: Rect, weights: list[float]) -> list[Rect]:
    """Cut ``rect`` into ``len(weights)`` rectangles with areas in proportion to ``weights``
    (guillotine cuts along the longer side; integer coordinates shared by neighbours)."""
    if len(weights) == 1:
        return [rect]
    total = sum(weights)
    half, k = 0.0, 0
    while k < len(weights) - 1 and half + weights[k] / 2 < total / 2:
        half += weights[k]
        k += 1
    k = max(k, 1)
    frac = sum(weights[:k]) / total
    x0, y0, x1, y1 = rect
    if x1 - x0 >= y1 - y0:
        cut = x0 + round((x1 - x0) * frac)
        first, second = (x0, y0, cut, y1), (cut, y0, x1, y1)
    else:
        cut = y0 + round((y1 - y0) * frac)
        first, second = (x0, y0, x1, cut), (x0, cut, x1, y1)
    return split_rect(first, weights[:k]) + split_rect(second, weights[k:])


def ring(rect: Rect) -> list[tuple[int, int]]:
    """The closed exterior ring of ``rect``, counter-clockwise (RFC 7946)."""
    x0, y0, x1, y1 = rect
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]


def _centre(rect: Rect) -> tuple[float, float]:
    return (rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2


class AddressPool:
    """The addresses of one buurt. Each new residence takes a random free address, so no two
    households ever share one; the pool grows by whole PC6s when it runs out."""

    def __init__(self, rng: random.Random, buurt_code: str, gemeente_code: str, pc4: int,
                 letter_half: int, initial: int) -> None:  # fmt: skip
        self.rng = rng
        self.buurt_code = buurt_code
        self.gemeente_code = gemeente_code
        self.pc4 = pc4
        first_letters = _LETTERS[:13] if letter_half == 0 else _LETTERS[13:]
        self._pairs = [a + b for a in first_letters for b in _LETTERS if a + b not in _UNUSED_PAIRS]
        self._next_pair = 0
        self.all: list[Address] = []
        self.free: list[Address] = []
        while len(self.free) < initial:
            self._grow()

    def _grow(self) -> None:
        if self._next_pair >= len(self._pairs):
            raise RuntimeError(f"buurt {self.buurt_code} has used all PC6 codes of PC4 {self.pc4}")
        pc6 = f"{self.pc4:04d}{self._pairs[self._next_pair]}"
        self._next_pair += 1
        rng = self.rng
        n = rng.randint(6, 40)
        start, step = (1, 1) if rng.random() < 0.7 else (rng.choice((1, 2)), 2)
        for i in range(n):
            addr = Address(pc6, start + i * step, self.buurt_code, self.gemeente_code)
            self.all.append(addr)
            self.free.append(addr)

    def take(self) -> Address:
        free = self.free
        if not free:
            self._grow()
        i = self.rng.randrange(len(free))
        free[i], free[-1] = free[-1], free[i]
        return free.pop()


class OutsideAddresses:
    """Addresses outside the generated gemeente(n), handed out in sequence (share one instance
    between cities to keep them distinct in a national run)."""

    def __init__(self, gemeente_code: str = "9998", pc4_range: tuple[int, int] = OUTSIDE_PC4,
                 per_pc6: int = 50) -> None:  # fmt: skip
        self.gemeente_code = gemeente_code
        self.pc4_range = pc4_range
        self.per_pc6 = per_pc6
        self._n = 0

    def take(self) -> Address:
        n = self._n
        self._n += 1
        nr, pc6 = n % self.per_pc6 + 1, n // self.per_pc6
        pc4 = self.pc4_range[0] + pc6 // 676
        if pc4 > self.pc4_range[1]:
            raise RuntimeError("no outside addresses left")
        letters = _LETTERS[pc6 % 676 // 26] + _LETTERS[pc6 % 26]
        return Address(f"{pc4:04d}{letters}", nr, None, self.gemeente_code)


@dataclass
class Places:
    wijken: list[Wijk]
    buurt_specs: list[tuple[str, str, str, float]]  # code, name, wijk code, deprivation
    weights: dict[str, float]  # buurt code -> share of the city's families (sums to 1)
    boundaries: dict[str, list[tuple[int, int]]]  # statcode -> closed ring
    pools: dict[str, AddressPool]
    pc4_next: int  # first PC4 not used by this city

    def deprivation(self) -> dict[str, float]:
        return {code: dep for code, _, _, dep in self.buurt_specs}

    def buurten(self) -> list[Buurt]:
        """The buurten with the PC6 codes their address pools ended up with."""
        out = []
        for code, name, wijk_code, dep in self.buurt_specs:
            pc6s = tuple(sorted({a.postcode for a in self.pools[code].all}))
            out.append(Buurt(code, name, wijk_code, dep, pc6s))
        return out

    def addresses(self) -> list[Address]:
        return [a for code, *_ in self.buurt_specs for a in self.pools[code].all]


def build_places(rng: random.Random, *, gemeente_code: str, youth: int, n_wijken: int,
                 buurten_per_wijk: int, pc4_start: int, centre: tuple[int, int],
                 side: int) -> Places:  # fmt: skip
    """Wijken, buurten, boundaries, deprivation and address pools for one gemeente."""
    cx, cy = centre
    x0, y0 = cx - side // 2, cy - side // 2
    square: Rect = (x0, y0, x0 + side, y0 + side)
    wijk_rects = split_rect(square, [rng.uniform(0.6, 1.4) for _ in range(n_wijken)])
    # deprivation gradient: a poor pole and a rich pole on opposite sides of the square
    angle = rng.uniform(0, 2 * math.pi)
    poor = (cx + 0.45 * side * math.cos(angle), cy + 0.45 * side * math.sin(angle))
    rich = (cx - 0.45 * side * math.cos(angle), cy - 0.45 * side * math.sin(angle))

    def field(p: tuple[float, float]) -> float:
        dp, dr = math.dist(p, poor), math.dist(p, rich)
        return dr / (dp + dr + 1e-9)

    raw = [field(_centre(r)) + rng.gauss(0, 0.05) for r in wijk_rects]
    lo, hi = min(raw), max(raw)
    wijk_dep = [0.45 if hi == lo else 0.12 + 0.66 * (v - lo) / (hi - lo) for v in raw]

    gm = gemeente_code
    w_names = names.wijk_names(rng, n_wijken)
    counts = [max(1, round(buurten_per_wijk * rng.uniform(0.7, 1.3))) for _ in range(n_wijken)]
    b_names = names.buurt_names(rng, sum(counts))
    wijken: list[Wijk] = []
    specs: list[tuple[str, str, str, float]] = []
    weights: dict[str, float] = {}
    boundaries: dict[str, list[tuple[int, int]]] = {f"GM{gm}": ring(square)}
    pc4_of: dict[str, tuple[int, int]] = {}
    pc4 = pc4_start
    for w, (rect, n_b) in enumerate(zip(wijk_rects, counts, strict=True), start=1):
        wcode = f"WK{gm}{w:02d}"
        wijken.append(Wijk(wcode, w_names[w - 1]))
        boundaries[wcode] = ring(rect)
        b_rects = split_rect(rect, [rng.uniform(0.5, 1.5) for _ in range(n_b)])
        wfield = field(_centre(rect))
        for j, b_rect in enumerate(b_rects, start=1):
            bcode = f"BU{gm}{w:02d}{j:02d}"
            dep = wijk_dep[w - 1] + 0.5 * (field(_centre(b_rect)) - wfield) + rng.gauss(0, 0.06)
            dep = round(min(0.98, max(0.02, dep)), 3)
            weight = rng.lognormvariate(0, 0.55) * (1 + 0.6 * dep)
            bname = b_names[len(specs)]
            if n_b > 2 and rng.random() < 0.06:  # a business park: almost nobody lives there
                weight *= 0.03
                bname = f"{rng.choice(names.INDUSTRIAL_NAMES)} {w_names[w - 1]}"
            specs.append((bcode, bname, wcode, dep))
            weights[bcode] = weight
            boundaries[bcode] = ring(b_rect)
            # two buurten share a PC4, one taking PC6 letters A-M, the other N-Z
            pc4_of[bcode] = (pc4 + (j - 1) // 2, (j - 1) % 2)
        pc4 += (n_b + 1) // 2
    if pc4 > OUTSIDE_PC4[0]:
        raise ValueError(f"PC4 range of gemeente {gm} runs into the outside range ({pc4})")
    total = sum(weights.values())
    pools: dict[str, AddressPool] = {}
    for bcode in weights:
        weights[bcode] /= total
        b_pc4, half = pc4_of[bcode]
        # a family uses about 1.3 addresses over the years; some more stay vacant
        initial = int(weights[bcode] * youth * 1.1) + 10
        pools[bcode] = AddressPool(rng, bcode, gm, b_pc4, half, initial)
    return Places(wijken, specs, weights, boundaries, pools, pc4)
