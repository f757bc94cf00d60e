"""The synthetic city: BSNs, families and places, and the files written for them."""

from __future__ import annotations

import csv
import itertools
import json
import re
import statistics
import types
from datetime import date
from pathlib import Path

import pytest

from wijkzicht.ijw.bsn import is_valid_bsn
from wijkzicht.synth.areas_out import AGE_BANDS, AreaWriter, write_areas
from wijkzicht.synth.bsn import BsnRangeExhaustedError, BsnSequence
from wijkzicht.synth.city import generate_city, iter_national_cities, national_sizes
from wijkzicht.synth.population import City, Person

SMALL = {"youth": 3_000, "n_wijken": 4, "buurten_per_wijk": 5}


@pytest.fixture(scope="module")
def city() -> City:
    return generate_city(7, **SMALL)


@pytest.fixture(scope="module")
def out(city: City, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("city")
    write_areas(city, path)
    return path


def _sample_days(city: City) -> list[date]:
    return [date(y, m, 1) for y in range(city.first_year, city.last_year + 1) for m in (1, 7)]


def _in_city_on(p: Person, day: date) -> bool:
    a = p.address_on(day)
    return a is not None and a.buurt_code is not None


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


# --- BSNs -----------------------------------------------------------------------------------
def test_bsn_sequence_is_unique_valid_and_seeded() -> None:
    first = BsnSequence(3).take(50_000)
    assert len(set(first)) == len(first)
    assert all(is_valid_bsn(b) and b[0] == "9" for b in first)
    assert BsnSequence(3).take(1_000) == first[:1_000]
    assert BsnSequence(4).take(1_000) != first[:1_000]


def test_bsn_prefixes_are_used_in_turn_until_exhausted() -> None:
    seq = BsnSequence(1, prefix=("9999", "9998"))
    numbers = []
    with pytest.raises(BsnRangeExhaustedError):
        while True:
            numbers.append(next(seq))
    assert len(numbers) == len(set(numbers)) > 18_000  # ~10/11 of 2 x 10,000 bodies
    assert all(is_valid_bsn(b) for b in numbers)
    assert {b[:4] for b in numbers} == {"9999", "9998"}
    assert numbers[0].startswith("9999") and numbers[-1].startswith("9998")
    with pytest.raises(ValueError, match="overlap"):
        BsnSequence(1, prefix=("9", "99"))


# --- the city -------------------------------------------------------------------------------
def test_same_seed_gives_identical_files(city: City, out: Path, tmp_path: Path) -> None:
    again = generate_city(7, **SMALL)
    write_areas(again, tmp_path)
    files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert len(files) == 3 + (city.last_year - city.first_year + 1)
    for rel in files:
        assert (tmp_path / rel).read_bytes() == (out / rel).read_bytes(), rel
    other = generate_city(8, **SMALL)
    assert [p.bsn for p in other.youth[:50]] != [p.bsn for p in city.youth[:50]]


def test_bsns_are_unique_and_valid(city: City) -> None:
    persons = city.persons()
    bsns = [p.bsn for p in persons]
    assert len(set(bsns)) == len(bsns)
    assert all(is_valid_bsn(b) and b.startswith("9") for b in bsns)
    assert len({p.pid for p in persons}) == len(persons)


def test_youth_count_meets_the_request(city: City) -> None:
    census = date(city.last_year, 1, 1)
    n = sum(1 for p in city.youth if 0 <= p.age_on(census) < 18 and _in_city_on(p, census))
    assert abs(n - SMALL["youth"]) <= 0.03 * SMALL["youth"]


def test_youth_list_is_everyone_young_in_the_city(city: City) -> None:
    start, end = date(city.first_year, 1, 1), date(city.last_year, 12, 31)
    for p in city.youth:
        assert p.birth_date <= end and p.age_on(start) <= 22
        assert any(r.address.buurt_code is not None for r in p.residences)
    # an adult who is not in the youth list was never 0-22 in the city during the years
    youth = {p.pid for p in city.youth}
    for p in city.adults:
        if p.pid not in youth:
            assert not any(p.age_on(d) <= 22 and _in_city_on(p, d) for d in _sample_days(city))


def test_residences_are_sorted_and_do_not_overlap(city: City) -> None:
    for p in city.persons():
        assert p.residences, p.pid
        for r in p.residences:
            assert r.valid_to is None or r.valid_from < r.valid_to
            assert r.valid_from >= p.birth_date
        for a, b in zip(p.residences, p.residences[1:], strict=False):
            assert a.valid_to is not None and a.valid_to <= b.valid_from


def test_child_lives_with_gezagsdrager(city: City) -> None:
    by_bsn = {p.bsn: p for p in city.persons()}
    adults = {p.bsn for p in city.adults}
    checked = 0
    for p in city.youth:
        for day in _sample_days(city):
            gezag = p.gezagsdrager_on(day)
            if gezag is None:
                continue
            assert gezag in adults and p.age_on(day) < 18
            assert by_bsn[gezag].address_on(day) == p.address_on(day)
            checked += 1
        for r in p.residences:  # no gezag from the 18th birthday on
            if r.gezagsdrager_bsn is not None:
                assert p.age_on(r.valid_from) < 18
    assert checked > 10 * SMALL["youth"]


def test_life_events_happen(city: City) -> None:
    t0 = date(city.first_year, 1, 1)
    births = [p for p in city.youth if p.birth_date >= t0]
    moved_out = [p for p in city.youth if p.residences[-1].address.buurt_code is None]
    moved_in = [p for p in city.youth if p.residences[0].valid_from > max(p.birth_date, t0)]
    custody = [
        p for p in city.youth if len({r.gezagsdrager_bsn for r in p.residences} - {None}) > 1
    ]
    within = [
        p for p in city.youth if len({r.address.buurt_code for r in p.residences} - {None}) > 1
    ]
    n = SMALL["youth"]
    assert 0.2 * n < len(births) < 0.5 * n  # six birth cohorts of about n/18
    assert len(moved_out) > 0.05 * n and len(moved_in) > 0.05 * n and len(within) > 0.1 * n
    assert len(custody) >= 3
    outside = {r.address.gemeente_code for p in moved_out for r in p.residences[-1:]}
    assert outside == {"9998"}


def test_area_codes_nest(city: City) -> None:
    gm = city.gemeente_code
    wijken = {w.code for w in city.wijken}
    assert all(re.fullmatch(rf"WK{gm}\d\d", w) for w in wijken)
    assert len(city.wijken) == SMALL["n_wijken"]
    for b in city.buurten:
        assert re.fullmatch(rf"BU{gm}\d\d\d\d", b.code) and b.wijk_code == "WK" + b.code[2:8]
        assert b.wijk_code in wijken and 0 <= b.deprivation <= 1
        assert b.postcodes and all(re.fullmatch(r"[1-9]\d{3}[A-Z]{2}", pc) for pc in b.postcodes)
    codes = {b.code for b in city.buurten}
    used = {r.address.buurt_code for p in city.persons() for r in p.residences}
    assert used - {None} <= codes
    # every wijk has its own range of PC4 codes
    pc4 = {
        w: {int(pc[:4]) for b in city.buurten if b.wijk_code == w for pc in b.postcodes}
        for w in wijken
    }
    ranges = sorted((min(v), max(v)) for v in pc4.values())
    assert all(a[1] < b[0] for a, b in itertools.pairwise(ranges))


def test_deprivation_differs_between_wijken() -> None:
    city = generate_city(11, youth=2_000, n_wijken=10, buurten_per_wijk=4)
    means = [
        statistics.mean(b.deprivation for b in city.buurten if b.wijk_code == w.code)
        for w in city.wijken
    ]
    assert max(means) - min(means) > 0.3
    census = date(2024, 1, 1)
    homes = [p.address_on(census) for p in city.youth]
    sizes = [
        sum(1 for a in homes if a is not None and a.buurt_code == b.code) for b in city.buurten
    ]
    assert max(sizes) > 2 * statistics.median(sizes) > 4 * min(sizes)  # buurt sizes vary


# --- the files ------------------------------------------------------------------------------
def test_pc6_table_covers_every_address(city: City, out: Path) -> None:
    years = range(city.first_year, city.last_year + 1)
    for y in years:
        header = (out / "gebieden" / f"pc6hnr{y}0801_gwb.csv").read_text().splitlines()[0]
        assert header == f"PC6;Huisnummer;Buurt{y};Wijk{y};Gemeente{y}"
    rows = _read(out / "gebieden" / f"pc6hnr{city.last_year}0801_gwb.csv")
    table = {(r["PC6"], int(r["Huisnummer"])): r for r in rows}
    assert len(table) == len(rows)
    for p in city.persons():
        for res in p.residences:
            a = res.address
            if a.buurt_code is None:
                assert (a.postcode, a.huisnummer) not in table
                continue
            row = table[a.postcode, a.huisnummer]
            assert f"BU{int(row[f'Buurt{city.last_year}']):08d}" == a.buurt_code
            assert f"WK{int(row[f'Wijk{city.last_year}']):06d}" == "WK" + a.buurt_code[2:8]
            assert f"{int(row[f'Gemeente{city.last_year}']):04d}" == city.gemeente_code


def test_population_table_equals_brp_count(city: City, out: Path) -> None:
    pc6 = {
        (r["PC6"], r["Huisnummer"]): f"BU{int(r[f'Buurt{city.last_year}']):08d}"
        for r in _read(out / "gebieden" / f"pc6hnr{city.last_year}0801_gwb.csv")
    }
    brp = _read(out / "brp" / "brp_extract.csv")
    assert ";".join(brp[0]) == (
        "bsn;geslachtsnaam;voornamen;geboortedatum;geslacht;bsn_gezagsdrager;postcode;"
        "huisnummer;gemeentecode;datum_aanvang;datum_einde"
    )
    expected: dict[tuple[str, str, str], int] = {}
    for y in range(city.first_year, city.last_year + 1):
        day = date(y, 1, 1)
        for r in brp:
            start = date.fromisoformat(r["datum_aanvang"])
            end = date.fromisoformat(r["datum_einde"]) if r["datum_einde"] else None
            if not (start <= day and (end is None or day < end)):
                continue
            buurt = pc6.get((r["postcode"], r["huisnummer"]))
            if buurt is None:
                continue
            born = date.fromisoformat(r["geboortedatum"])
            age = y - born.year - ((born.month, born.day) > (1, 1))
            for lo, hi in AGE_BANDS:
                if lo <= age <= hi:
                    key = (str(y), buurt, str(lo))
                    expected[key] = expected.get(key, 0) + 1
    rows = _read(out / "bevolking" / "bevolking_buurt.csv")
    assert len(rows) == len(city.buurten) * len(AGE_BANDS) * 6
    got = {(r["jaar"], r["buurtcode"], r["leeftijd_van"]): int(r["aantal"]) for r in rows}
    assert {k: v for k, v in got.items() if v} == expected
    assert {r["gemeentecode"] for r in rows} == {f"GM{city.gemeente_code}"}


def test_geojson_tiles_the_gemeente(city: City, out: Path) -> None:
    doc = json.loads((out / "gebieden" / "gebieden.geojson").read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert doc["crs"]["properties"]["name"].endswith("28992")
    feats = {f["properties"]["statcode"]: f for f in doc["features"]}
    assert len(feats) == 1 + len(city.wijken) + len(city.buurten)

    def box(code: str) -> tuple[int, int, int, int]:
        ring = feats[code]["geometry"]["coordinates"][0]
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        assert ring[0] == ring[-1] and len(ring) == 5
        return min(xs), min(ys), max(xs), max(ys)

    def area(b: tuple[int, int, int, int]) -> int:
        return (b[2] - b[0]) * (b[3] - b[1])

    def inside(a: tuple, b: tuple) -> bool:
        return b[0] <= a[0] and b[1] <= a[1] and a[2] <= b[2] and a[3] <= b[3]

    gm = box(f"GM{city.gemeente_code}")
    assert sum(area(box(w.code)) for w in city.wijken) == area(gm)
    for w in city.wijken:
        assert inside(box(w.code), gm)
        buurten = [box(b.code) for b in city.buurten if b.wijk_code == w.code]
        assert sum(map(area, buurten)) == area(box(w.code))  # no gaps, no overlaps
        assert all(inside(b, box(w.code)) and area(b) > 0 for b in buurten)
    for b in city.buurten:
        props = feats[b.code]["properties"]
        assert props["soort"] == "buurt" and props["wijkcode"] == b.wijk_code
        assert props["gemeentecode"] == f"GM{city.gemeente_code}"


# --- the country ----------------------------------------------------------------------------
def test_national_sizes_are_skewed_and_exact() -> None:
    sizes = national_sizes(1, 342, 3_500_000)
    assert sum(sizes) == 3_500_000 and len(sizes) == 342
    assert max(sizes) > 15 * statistics.median(sizes) and min(sizes) >= 200
    assert national_sizes(1, 342, 3_500_000) == sizes


def test_national_run_streams(tmp_path: Path) -> None:
    cities = iter_national_cities(5, n_gemeenten=5, total_youth=20_000)
    assert isinstance(cities, types.GeneratorType)
    codes, bsns, pc6 = [], set(), set()
    total = 0
    with AreaWriter(tmp_path, brp_per_gemeente=True) as writer:
        for c in cities:
            codes.append(c.gemeente_code)
            persons = c.persons()
            assert not bsns & {p.bsn for p in persons}
            bsns |= {p.bsn for p in persons}
            own = {a.postcode for a in c.addresses}
            assert not pc6 & own
            pc6 |= own
            census = date(c.last_year, 1, 1)
            n = sum(1 for p in c.youth if 0 <= p.age_on(census) < 18 and _in_city_on(p, census))
            assert abs(n - c.youth_target) <= 0.03 * c.youth_target
            total += c.youth_target
            writer.write(c)
    assert codes == ["9000", "9001", "9002", "9003", "9004"] and total == 20_000
    doc = json.loads((tmp_path / "gebieden" / "gebieden.geojson").read_text(encoding="utf-8"))
    assert sum(f["properties"]["soort"] == "gemeente" for f in doc["features"]) == 5
    rows = _read(tmp_path / "bevolking" / "bevolking_buurt.csv")
    assert {r["gemeentecode"] for r in rows} == {f"GM{c}" for c in codes}
    # one BRP extract per gemeente (a national file would outgrow the ingest's item limit)
    extracts = sorted(p.name for p in (tmp_path / "brp").iterdir())
    assert extracts == [f"brp_extract_{c}.csv" for c in codes]
    for code in codes:
        brp = (tmp_path / "brp" / f"brp_extract_{code}.csv").read_text().splitlines()
        assert brp[0].startswith("bsn;") and sum(line.startswith("bsn;") for line in brp) == 1
        assert len(brp) > 100


@pytest.mark.slow
def test_demostad_default_size() -> None:
    city = generate_city(1)
    census = date(2024, 1, 1)
    n = sum(1 for p in city.youth if 0 <= p.age_on(census) < 18 and _in_city_on(p, census))
    assert abs(n - 70_000) <= 0.03 * 70_000
    assert len(city.wijken) == 10 and 80 <= len(city.buurten) <= 120
    young = sum(1 for p in city.youth if p.age_on(census) <= 22 and _in_city_on(p, census))
    assert 80_000 < young < 100_000  # about 90,000 aged 0-22 at a moment
