"""Area characteristics like CBS *Kerncijfers wijken en buurten*: ``gebieden/kerncijfers.csv``.

One row per buurt, wijk and gemeente per year: inwoners (all ages, from the youth 0-17 of
``bevolking`` at about a fifth of the residents), huishoudens, and three deprivation figures
driven by the buurt's ``deprivation`` (0..1) with a little noise:

- ``pct_laag_inkomen`` ≈ 4 + 30 · deprivation (% of households with a low income)
- ``pct_eenouder`` ≈ 3 + 12 · deprivation (% of households with one parent)
- ``pct_uitkering`` ≈ 1 + 12 · deprivation (% of residents aged 15-64 on a benefit)

Wijk and gemeente rows aggregate their buurten: counts are sums, household percentages are
weighted by households and ``pct_uitkering`` by inwoners. As CBS does, the percentages of an
area with fewer than :data:`MIN_INWONERS` residents are left empty. The noise comes from its
own ``random.Random`` seeded from the city's seed, so no other output changes.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import TextIO

from wijkzicht.formats import CSV_HEADERS
from wijkzicht.synth.areas_out import population_counts
from wijkzicht.synth.population import City

HEADER = ";".join(CSV_HEADERS["kerncijfers"])
MIN_INWONERS = 50  # fewer residents: the percentages are left empty


class KerncijfersWriter:
    """Appends the kerncijfers rows of one city after another into ``gebieden/kerncijfers.csv``."""

    def __init__(self, out: str | Path) -> None:
        self.path = Path(out) / "gebieden" / "kerncijfers.csv"
        self._f: TextIO | None = None
        self.rows = 0

    def __enter__(self) -> KerncijfersWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, city: City, seed: int) -> None:
        if self._f is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._f = self.path.open("w", encoding="utf-8", newline="\n")
            self._f.write(HEADER + "\n")
        lines = kerncijfers_rows(city, seed)
        if lines:
            self._f.write("\n".join(lines) + "\n")
        self.rows += len(lines)

    def close(self) -> None:
        if self._f is not None:
            self._f.close()
            self._f = None


# Per buurt: inwoners, huishoudens, and the three percentages before rounding.
_Figures = tuple[int, int, float, float, float]


def buurt_figures(city: City, seed: int) -> dict[tuple[int, str], _Figures]:
    """(year, buurt code) → (inwoners, huishoudens, % laag inkomen, % eenouder, % uitkering)."""
    rng = random.Random(f"kerncijfers:{seed}:{city.gemeente_code}")
    counts = population_counts(city)
    out: dict[tuple[int, str], _Figures] = {}
    for b in sorted(city.buurten, key=lambda b: b.code):
        dep = b.deprivation
        # fixed per buurt: share of residents aged 0-17, household size, figure offsets
        youth_share = 0.2 * (1 + 0.3 * (dep - 0.5)) * rng.uniform(0.85, 1.15)
        hh_size = (1.6 + 2.4 * youth_share) * rng.uniform(0.92, 1.08)
        base = (rng.gauss(0, 1.5), rng.gauss(0, 0.8), rng.gauss(0, 0.8))
        others = rng.randint(5, 40)  # residents of a buurt (almost) without youth
        for y in range(city.first_year, city.last_year + 1):
            youth = sum(counts.get((y, b.code, lo), 0) for lo in (0, 4, 12))
            inwoners = round(youth / youth_share) if youth else others
            huishoudens = max(1, round(inwoners / hh_size))
            drift = [rng.gauss(0, 0.4) for _ in range(3)]
            out[(y, b.code)] = (
                inwoners,
                huishoudens,
                _pct(4 + 30 * dep + base[0] + drift[0]),
                _pct(3 + 12 * dep + base[1] + drift[1]),
                _pct(1 + 12 * dep + base[2] + drift[2]),
            )
    return out


def kerncijfers_rows(city: City, seed: int) -> list[str]:
    """Per year: the gemeente, its wijken, its buurten (in code order)."""
    figures = buurt_figures(city, seed)
    gm = f"GM{city.gemeente_code}"
    lines = []
    for y in range(city.first_year, city.last_year + 1):
        parts: dict[str, list[_Figures]] = {gm: []}
        for b in city.buurten:
            f = figures[(y, b.code)]
            parts[gm].append(f)
            parts.setdefault(b.wijk_code, []).append(f)
        lines.append(_line(y, gm, "gemeente", _aggregate(parts[gm])))
        for w in sorted(city.wijken, key=lambda w: w.code):
            lines.append(_line(y, w.code, "wijk", _aggregate(parts.get(w.code, []))))
        for b in sorted(city.buurten, key=lambda b: b.code):
            lines.append(_line(y, b.code, "buurt", figures[(y, b.code)]))
    return lines


def _aggregate(parts: list[_Figures]) -> _Figures:
    inwoners = sum(p[0] for p in parts)
    huishoudens = sum(p[1] for p in parts)
    if not parts:
        return (0, 0, 0.0, 0.0, 0.0)
    return (
        inwoners,
        huishoudens,
        sum(p[1] * p[2] for p in parts) / max(huishoudens, 1),
        sum(p[1] * p[3] for p in parts) / max(huishoudens, 1),
        sum(p[0] * p[4] for p in parts) / max(inwoners, 1),
    )


def _line(year: int, code: str, soort: str, f: _Figures) -> str:
    inwoners, huishoudens, *pcts = f
    shown = ["" if inwoners < MIN_INWONERS else _comma(p) for p in pcts]
    return ";".join([str(year), code, soort, str(inwoners), str(huishoudens), *shown])


def _pct(x: float) -> float:
    return min(100.0, max(0.0, x))


def _comma(x: float) -> str:
    """One decimal with a decimal comma, as Dutch semicolon CSVs write numbers."""
    return f"{x:.1f}".replace(".", ",")
