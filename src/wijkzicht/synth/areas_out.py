"""Write a synthetic city's people and places in the formats of ``docs/synthetic-output.md``:

- ``brp/brp_extract.csv`` — person → address history, one row per residence (national run:
  one extract per gemeente, ``brp/brp_extract_<gemeentecode>.csv``, as each gemeente keeps
  its own BRP; one national file would outgrow the ingest's item size limit)
- ``bevolking/bevolking_buurt.csv`` — youth per buurt and age band on 1 January of each year
- ``gebieden/pc6hnr<YYYY>0801_gwb.csv`` — postcode + huisnummer → buurt, one file per year
- ``gebieden/gebieden.geojson`` — gemeente, wijk and buurt boundaries (EPSG:28992)

:class:`AreaWriter` opens the files once and appends city after city (national run); rows are
sorted within a city and numbers are formatted the same way every time, so the same seed gives
byte-identical files.
"""

from __future__ import annotations

import gc
import json
from datetime import date
from pathlib import Path
from typing import TextIO

from wijkzicht.formats import CSV_HEADERS
from wijkzicht.synth.population import City

BRP_HEADER = ";".join(CSV_HEADERS["brp"])
BEVOLKING_HEADER = ";".join(CSV_HEADERS["bevolking"])
AGE_BANDS = ((0, 3), (4, 11), (12, 17), (18, 22))  # inclusive, as CBS publishes them
CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}


class AreaWriter:
    """Appends the area and population files of one city after another.

    >>> with AreaWriter("out") as w:  # doctest: +SKIP
    ...     for city in cities:
    ...         w.write(city)
    """

    def __init__(self, out: str | Path, *, brp_per_gemeente: bool = False) -> None:
        self.out = Path(out)
        self.brp_per_gemeente = brp_per_gemeente
        self._brp: TextIO | None = None
        self._bevolking: TextIO | None = None
        self._pc6: dict[int, TextIO] = {}
        self._geo: TextIO | None = None
        self._features = 0
        self.years: tuple[int, int] | None = None
        self.rows: dict[str, int] = {"brp": 0, "bevolking": 0, "pc6": 0, "features": 0}

    def __enter__(self) -> AreaWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _open(self, city: City) -> None:
        self.years = (city.first_year, city.last_year)
        if not self.brp_per_gemeente:
            self._brp = _text(self.out / "brp" / "brp_extract.csv", BRP_HEADER)
        self._bevolking = _text(self.out / "bevolking" / "bevolking_buurt.csv", BEVOLKING_HEADER)
        for y in range(city.first_year, city.last_year + 1):
            header = f"PC6;Huisnummer;Buurt{y};Wijk{y};Gemeente{y}"
            self._pc6[y] = _text(self.out / "gebieden" / f"pc6hnr{y}0801_gwb.csv", header)
        self._geo = _text(self.out / "gebieden" / "gebieden.geojson", None)
        head = json.dumps({"type": "FeatureCollection", "name": "gebieden", "crs": CRS})
        self._geo.write(head[:-1] + ', "features": [\n')

    def write(self, city: City) -> None:
        """Append ``city``'s rows to every file (opening the files on the first city)."""
        gc_was_enabled = gc.isenabled()
        gc.disable()  # a city is millions of objects; collecting them finds nothing to free
        try:
            self._write(city)
        finally:
            if gc_was_enabled:
                gc.enable()

    def _write(self, city: City) -> None:
        if self.years is None:
            self._open(city)
        elif self.years != (city.first_year, city.last_year):
            raise ValueError("all cities in one output must cover the same years")
        assert self._bevolking and self._geo
        if self.brp_per_gemeente:
            with _text(self.out / "brp" / f"brp_extract_{city.gemeente_code}.csv", BRP_HEADER) as f:
                self.rows["brp"] += _write_lines(f, brp_rows(city))
        else:
            assert self._brp
            self.rows["brp"] += _write_lines(self._brp, brp_rows(city))
        self.rows["bevolking"] += _write_lines(self._bevolking, bevolking_rows(city))
        pc6 = pc6_rows(city)
        for f in self._pc6.values():
            self.rows["pc6"] += _write_lines(f, pc6)
        for feature in features(city):
            if self._features:
                self._geo.write(",\n")
            self._geo.write(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
            self._features += 1
        self.rows["features"] = self._features

    def close(self) -> None:
        if self._geo is not None:
            self._geo.write("\n]}\n")
        for f in (self._brp, self._bevolking, self._geo, *self._pc6.values()):
            if f is not None:
                f.close()
        self._brp = self._bevolking = self._geo = None
        self._pc6 = {}


def write_areas(city: City, out: str | Path) -> dict[str, int]:
    """Write one city's BRP extract, population table, pc6 tables and boundaries into ``out``."""
    with AreaWriter(out) as w:
        w.write(city)
    return w.rows


# --- rows -----------------------------------------------------------------------------------
def brp_rows(city: City) -> list[str]:
    """One line per residence of every youth and gezagsdrager, sorted by BSN and start date."""
    iso: dict[date | None, str] = {None: ""}
    lines: list[str] = []
    append = lines.append
    for p in sorted(city.persons(), key=lambda p: p.bsn):
        name = f"{p.voorvoegsel} {p.last_name}" if p.voorvoegsel else p.last_name
        head = f"{p.bsn};{name};{p.first_name};{p.birth_date.isoformat()};{p.sex};"
        for r in p.residences:  # sorted by valid_from (the Person contract)
            a = r.address
            start = iso.get(r.valid_from) or iso.setdefault(r.valid_from, r.valid_from.isoformat())
            end = iso.get(r.valid_to)
            if end is None:
                end = iso.setdefault(r.valid_to, r.valid_to.isoformat())  # type: ignore[union-attr]
            append(
                f"{head}{r.gezagsdrager_bsn or ''};{a.postcode};{a.huisnummer};"
                f"{a.gemeente_code};{start};{end}"
            )
    return lines


def population_counts(city: City) -> dict[tuple[int, str, int], int]:
    """(year, buurt code, age band start) → youth 0-22 living there on 1 January."""
    first, last = city.first_year, city.last_year
    band_of = {age: lo for lo, hi in AGE_BANDS for age in range(lo, hi + 1)}
    counts: dict[tuple[int, str, int], int] = {}
    for p in city.youth:
        b = p.birth_date
        # age on 1 January of year y is y - b.year - 1, or y - b.year when born on 1 January
        offset = b.year + (0 if (b.month, b.day) == (1, 1) else 1)
        for r in p.residences:
            code = r.address.buurt_code
            if code is None:
                continue
            f, t = r.valid_from, r.valid_to
            y0 = f.year if (f.month, f.day) == (1, 1) else f.year + 1  # first 1 January in it
            y1 = last if t is None else t.year if (t.month, t.day) != (1, 1) else t.year - 1
            for y in range(max(y0, first), min(y1, last) + 1):
                lo = band_of.get(y - offset)
                if lo is not None:
                    key = (y, code, lo)
                    counts[key] = counts.get(key, 0) + 1
    return counts


def bevolking_rows(city: City) -> list[str]:
    """Every buurt × age band × year, zeros included."""
    counts = population_counts(city)
    gm = f"GM{city.gemeente_code}"
    out = []
    for y in range(city.first_year, city.last_year + 1):
        for b in sorted(city.buurten, key=lambda b: b.code):
            for lo, hi in AGE_BANDS:
                n = counts.get((y, b.code, lo), 0)
                out.append(f"{y};{gm};{b.wijk_code};{b.code};{lo};{hi};{n}")
    return out


def pc6_rows(city: City) -> list[str]:
    """PC6;Huisnummer;Buurt;Wijk;Gemeente with integer codes, as CBS publishes them."""
    rows = sorted((a.postcode, a.huisnummer, a.buurt_code or "") for a in city.addresses)
    gm = int(city.gemeente_code)
    return [f"{pc};{nr};{int(bu[2:])};{int(bu[2:8])};{gm}" for pc, nr, bu in rows]


def features(city: City) -> list[dict]:
    """GeoJSON features: the gemeente, its wijken, its buurten (in code order)."""
    gm = city.gemeente_code
    out = [_feature(city, f"GM{gm}", city.name, "gemeente", None)]
    for w in sorted(city.wijken, key=lambda w: w.code):
        out.append(_feature(city, w.code, w.name, "wijk", w.code))
    for b in sorted(city.buurten, key=lambda b: b.code):
        out.append(_feature(city, b.code, b.name, "buurt", b.wijk_code))
    return out


def _feature(city: City, code: str, name: str, soort: str, wijk: str | None) -> dict:
    ring = city.boundaries.get(code)
    geometry = {"type": "Polygon", "coordinates": [[list(p) for p in ring]]} if ring else None
    return {
        "type": "Feature",
        "properties": {
            "statcode": code,
            "statnaam": name,
            "soort": soort,
            "gemeentecode": f"GM{city.gemeente_code}",
            "wijkcode": wijk,
        },
        "geometry": geometry,
    }


def _text(path: Path, header: str | None) -> TextIO:
    path.parent.mkdir(parents=True, exist_ok=True)
    f = path.open("w", encoding="utf-8", newline="\n")
    if header is not None:
        f.write(header + "\n")
    return f


def _write_lines(f: TextIO, lines: list[str]) -> int:
    if lines:
        f.write("\n".join(lines))
        f.write("\n")
    return len(lines)
