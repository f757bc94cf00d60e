"""The truth reference follows docs/counting-rules.md: hand-made youths, one rule each."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from functools import cache

import pytest

from wijkzicht.indicators.catalogue import CATALOGUE
from wijkzicht.indicators.periods import periods_of_years
from wijkzicht.synth import reference
from wijkzicht.synth.care import Trajectory, simulate
from wijkzicht.synth.city import generate_city
from wijkzicht.synth.population import Address, Buurt, City, Person, Residence, Wijk
from wijkzicht.synth.providers import HULPVORM, Provider

GM, W1, W2 = "GM9999", "WK999901", "WK999902"
B11, B12, B21 = "BU99990101", "BU99990102", "BU99990201"

REGIONAL = Provider("96999901", "Regionaal", "regionaal", "inspanningsgericht", ("32", "35"))
OTHER = Provider("96999902", "Ander", "regionaal", "inspanningsgericht", ("32",))
BUURTTEAM = Provider("98999901", "Buurtteam", "buurtteam", "vrij_toegankelijk", ("31",), W1)
GI = Provider("94999901", "GI", "gi", "inspanningsgericht", ("47", "48"))
GGZ = Provider("95999902", "GGZ", "landelijk", "inspanningsgericht", ("52", "54"))


def address(buurt: str | None, nr: int = 1) -> Address:
    if buurt is None:
        return Address("9900AA", nr, None, "9998")
    return Address(f"90{buurt[-3:-2]}{buurt[-1]}AA", nr, buurt, "9999")


def person(pid: int, born: date, *moves: tuple[date, str | None]) -> Person:
    """A youth living at the given buurten from the given days (None: outside the city)."""
    residences = []
    for k, (start, buurt) in enumerate(moves):
        end = moves[k + 1][0] if k + 1 < len(moves) else None
        residences.append(Residence(start, end, address(buurt, pid)))
    return Person(pid, f"99900{pid:04d}", born, "V", "Anna", "Jansen", None, None, residences)


def city(*youth: Person) -> City:
    return City(
        gemeente_code="9999",
        name="Teststad",
        wijken=[Wijk(W1, "Een"), Wijk(W2, "Twee")],
        buurten=[
            Buurt(B11, "Een-een", W1, 0.5, ()),
            Buurt(B12, "Een-twee", W1, 0.5, ()),
            Buurt(B21, "Twee-een", W2, 0.5, ()),
        ],
        youth=list(youth),
        adults=[],
        first_year=2019,
        last_year=2020,
    )


_tid = iter(range(10**6))


def traject(
    who: Person,
    begin: date,
    end: date | None,
    *,
    categorie: str = "32",
    provider: Provider = REGIONAL,
    verwijzer: str = "02",
    reden: str | None = "31",
    crisis: bool = False,
) -> Trajectory:
    return Trajectory(
        next(_tid), who, provider, categorie, verwijzer, begin, end, reden if end else None, crisis
    )


def table(c: City, ts: list[Trajectory]) -> dict[tuple[str, str, str], tuple]:
    return {(r[0], r[1], r[2]): r[3:] for r in reference.rows(c, ts)}


def num(t: dict, indicator: str, area: str, period: str) -> float | int | None:
    return t[indicator, area, period][0]


# --- rows and shape ----------------------------------------------------------------------------
def test_every_indicator_area_and_period_has_one_row():
    c = city(person(1, date(2010, 5, 15), (date(2010, 5, 15), B11)))
    rows = reference.rows(c, [])
    periods = periods_of_years(2019, 2020)
    per_level = {"gemeente": 1, "wijk": 2, "buurt": 3}
    expected = sum(sum(per_level[lv] for lv in i.levels) for i in CATALOGUE) * len(periods)
    assert len(rows) == expected == len({r[:3] for r in rows})
    assert rows == sorted(rows, key=lambda r: r[:3])
    t = table(c, [])
    assert t["jeugdhulp_0_17", B11, "2019"] == (0, 1, 0.0)
    assert t["jeugdhulp_0_17", B12, "2019"] == (0, 0, None)  # nobody lives there: no value
    assert t["trajecten_begonnen", GM, "2019"] == (0, None, 0.0)
    assert t["trajecten_duur_mediaan", GM, "2019"] == (None, 0, None)


def test_youth_in_period_overlap_and_rate():
    a = person(1, date(2010, 5, 15), (date(2010, 5, 15), B11))
    b = person(2, date(2012, 1, 1), (date(2012, 1, 1), B11))
    t = table(city(a, b), [traject(a, date(2020, 3, 10), date(2020, 8, 20))])
    for area in (B11, W1, GM):
        assert t["jeugdhulp_0_17", area, "2020"] == (1, 2, 500.0)
    assert num(t, "jeugdhulp_0_17", B12, "2020") == 0
    assert num(t, "jeugdhulp_0_17", W2, "2020") == 0
    assert [num(t, "jeugdhulp_0_17", GM, f"2020-{m:02d}") for m in range(1, 13)] == [
        0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0
    ]  # fmt: skip
    assert [num(t, "jeugdhulp_0_17", GM, f"2020-Q{q}") for q in (1, 2, 3, 4)] == [1, 1, 1, 0]
    assert num(t, "jeugdhulp_zonder_verblijf_0_17", GM, "2020") == 1
    assert num(t, "jeugdhulp_met_verblijf_0_17", GM, "2020") == 0
    assert num(t, "jeugdhulp_hulpvorm_02_0_17", W1, "2020") == 1
    assert num(t, "jeugdhulp_0_17", GM, "2019") == 0


def test_a_youth_counts_once_per_indicator_but_in_every_subtotal():
    a = person(1, date(2010, 5, 15), (date(2010, 5, 15), B11))
    ts = [
        traject(a, date(2020, 1, 10), date(2020, 3, 1)),
        traject(a, date(2020, 2, 1), date(2020, 9, 1), provider=OTHER),
        traject(a, date(2020, 5, 1), None, categorie="35"),
    ]
    t = table(city(a), ts)
    assert num(t, "jeugdhulp_0_17", GM, "2020") == 1
    assert num(t, "jeugdhulp_zonder_verblijf_0_17", GM, "2020") == 1
    assert num(t, "jeugdhulp_met_verblijf_0_17", GM, "2020") == 1
    assert num(t, "trajecten_begonnen", GM, "2020") == 3


# --- trajectories ------------------------------------------------------------------------------
def test_touching_or_overlapping_segments_at_one_provider_are_one_trajectory():
    a = person(1, date(2010, 5, 15), (date(2010, 5, 15), B11))
    touching = [
        traject(a, date(2020, 1, 1), date(2020, 3, 31), reden="37"),
        traject(a, date(2020, 4, 1), date(2020, 6, 30), reden="34"),  # begins the next day
        traject(a, date(2020, 5, 1), date(2020, 5, 31)),  # inside: overlaps
    ]
    t = table(city(a), touching)
    assert num(t, "trajecten_begonnen", GM, "2020") == 1
    assert num(t, "trajecten_beeindigd", GM, "2020") == 1
    assert num(t, "trajecten_beeindigd", GM, "2020-Q1") == 0
    assert num(t, "trajecten_beeindigd_reden_02", GM, "2020") == 1  # the reden of the last
    assert t["trajecten_duur_gemiddeld", GM, "2020"] == (182, 1, 182.0)
    assert num(t, "jeugdhulp_0_17", GM, "2020") == 1
    # one day apart at the same provider, or touching at another provider: two trajectories
    gap = [traject(a, date(2020, 1, 1), date(2020, 3, 31)), traject(a, date(2020, 4, 2), None)]
    assert num(table(city(a), gap), "trajecten_begonnen", GM, "2020") == 2
    other = [
        traject(a, date(2020, 1, 1), date(2020, 3, 31)),
        traject(a, date(2020, 4, 1), None, provider=OTHER),
    ]
    assert num(table(city(a), other), "trajecten_begonnen", GM, "2020") == 2


def test_herhaald_beroep_needs_an_earlier_trajectory_that_ended_before():
    a = person(1, date(2010, 5, 15), (date(2010, 5, 15), B11))
    ts = [
        traject(a, date(2019, 1, 1), date(2019, 3, 31)),
        traject(a, date(2019, 3, 1), date(2019, 12, 31), provider=OTHER),  # overlaps: nieuw
        traject(a, date(2019, 6, 1), date(2019, 7, 1), provider=BUURTTEAM, categorie="31"),
    ]
    t = table(city(a), ts)
    assert num(t, "trajecten_begonnen", GM, "2019") == 3
    assert num(t, "trajecten_begonnen_nieuw", GM, "2019") == 2
    assert num(t, "trajecten_begonnen_herhaald_beroep", GM, "2019") == 1
    assert num(t, "trajecten_begonnen_herhaald_beroep", GM, "2019-Q2") == 1


def test_ended_by_reason_premature_share_durations_and_reentry():
    a = person(1, date(2010, 5, 15), (date(2010, 5, 15), B11))
    b = person(2, date(2011, 5, 15), (date(2011, 5, 15), B11))
    ts = [
        traject(a, date(2019, 1, 1), date(2019, 1, 10), reden="31"),  # 10 days; re-entry
        traject(a, date(2020, 1, 9), None),  # 364 days after the end: re-entry
        traject(b, date(2019, 1, 1), date(2019, 1, 30), reden="32"),  # 30 days
        traject(b, date(2020, 3, 1), date(2020, 3, 31), reden="36"),  # > 365 days later: no
        traject(b, date(2019, 1, 1), date(2019, 2, 9), reden="35", provider=OTHER),  # 40 days
    ]
    t = table(city(a, b), ts)
    assert num(t, "trajecten_beeindigd", GM, "2019") == 3
    assert num(t, "trajecten_beeindigd_reden_01", GM, "2019") == 1
    assert num(t, "trajecten_beeindigd_reden_03", GM, "2019") == 1
    assert num(t, "trajecten_beeindigd_reden_05", GM, "2019") == 1
    assert num(t, "trajecten_beeindigd_reden_onbekend", GM, "2020") == 1  # 36: no CBS reason
    assert t["trajecten_beeindigd_voortijdig", GM, "2019"] == pytest.approx((2, 3, 200 / 3))
    assert t["trajecten_duur_gemiddeld", GM, "2019"] == pytest.approx((80, 3, 80 / 3))
    assert t["trajecten_duur_mediaan", GM, "2019"] == (30, 3, 30.0)
    assert t["trajecten_duur_mediaan", GM, "2019-01"] == (20, 2, 20.0)  # median of 10 and 30
    t2 = table(city(a, b), [traject(a, date(2019, 1, 1), date(2019, 1, 3)), ts[2]])
    assert t2["trajecten_duur_mediaan", GM, "2019-01"] == (16.5, 2, 16.5)  # of 3 and 30
    # re-entry: of the ended, a begin within 1..365 days after the end
    assert t["herinstroom_12m", GM, "2019"] == pytest.approx((1, 3, 100 / 3))


def test_verwijzer_crisis_ggz_and_care_close_to_home():
    a = person(1, date(2010, 5, 15), (date(2010, 5, 15), B11))
    b = person(2, date(2004, 5, 15), (date(2004, 5, 15), B11))
    ts = [
        traject(a, date(2020, 1, 5), None, provider=BUURTTEAM, categorie="31", verwijzer="01"),
        traject(a, date(2020, 2, 5), None, provider=GGZ, categorie="52", verwijzer="02"),
        traject(b, date(2020, 3, 5), None, provider=GGZ, categorie="54", verwijzer="", crisis=True),
    ]
    t = table(city(a, b), ts)
    assert t["verwijzer_gemeente", GM, "2020"] == pytest.approx((1, 3, 100 / 3))
    assert t["verwijzer_huisarts", W1, "2020"] == pytest.approx((1, 3, 100 / 3))
    assert num(t, "verwijzer_onbekend", GM, "2020") == 1
    assert num(t, "trajecten_begonnen_crisis", GM, "2020") == 1
    # GGZ inflow: trajectories begun in 52/54 by youth 0–17 (b is 15) per 1,000 youth 0–17
    assert t["instroom_specialistische_ggz", B11, "2020"] == (2, 2, 1000.0)
    # care close to home: share of youth with jeugdhulp (0–17) helped by buurtteam/wijkpartner
    assert t["zorg_dichtbij", GM, "2020"] == (1, 2, 50.0)
    assert t["zorg_dichtbij_buurtteam", GM, "2020"] == (1, 2, 50.0)
    assert t["zorg_landelijk", GM, "2020"] == (2, 2, 100.0)
    assert t["zorg_regionaal", GM, "2020"] == (0, 2, 0.0)


# --- peildatum ---------------------------------------------------------------------------------
def test_peildatum_is_the_last_day_and_jeugdbescherming_excludes_ending_on_it():
    a = person(1, date(2010, 5, 15), (date(2010, 5, 15), B11))
    b = person(2, date(2010, 6, 15), (date(2010, 6, 15), B11))
    c = person(3, date(2010, 7, 15), (date(2010, 7, 15), B11))
    ts = [
        traject(a, date(2020, 1, 1), date(2020, 6, 30), categorie="48", provider=GI),
        traject(b, date(2020, 1, 1), date(2020, 7, 1), categorie="48", provider=GI),
        traject(c, date(2020, 1, 1), date(2020, 6, 30)),  # jeugdhulp ending on the peildatum
        traject(c, date(2020, 6, 30), date(2020, 6, 30), categorie="47", provider=GI),  # JR: 1 day
    ]
    t = table(city(a, b, c), ts)
    for period in ("2020-H1", "2020-Q2", "2020-06"):
        assert num(t, "jeugdbescherming_peildatum", GM, period) == 1  # b only
        assert num(t, "jeugdhulp_peildatum_0_17", GM, period) == 1  # c counts
        assert num(t, "jeugdreclassering_peildatum", GM, period) == 0  # c is 9: not 12–22
    assert num(t, "jeugdbescherming", GM, "2020-H1") == 2
    assert num(t, "jeugdbescherming_peildatum", GM, "2020-Q1") == 2
    assert num(t, "jeugdbescherming_peildatum", GM, "2020-07") == 0
    assert num(t, "jeugdbescherming_peildatum", GM, "2020") == 0
    assert num(t, "jeugdhulp_peildatum_0_17", GM, "2020-05") == 1


# --- where ---------------------------------------------------------------------------------
def test_area_is_the_latest_address_in_the_period_and_population_the_first_day():
    a = person(1, date(2010, 5, 15), (date(2010, 5, 15), B11), (date(2020, 5, 15), B21))
    t = table(city(a), [traject(a, date(2020, 1, 1), None)])
    assert num(t, "jeugdhulp_0_17", B21, "2020") == 1
    assert num(t, "jeugdhulp_0_17", W2, "2020") == 1
    assert num(t, "jeugdhulp_0_17", B11, "2020") == 0
    assert num(t, "jeugdhulp_0_17", W1, "2020-Q1") == 1
    assert num(t, "jeugdhulp_0_17", B21, "2020-Q2") == 1
    assert num(t, "jeugdhulp_0_17", B21, "2020-05") == 1  # moved within the month
    assert num(t, "jeugdhulp_0_17", B11, "2020-04") == 1
    assert num(t, "jeugdhulp_0_17", GM, "2020") == 1  # once in the gemeente
    # population: where the youth lived on the first day of the period
    assert t["jeugdhulp_0_17", B11, "2020"][1] == 1
    assert t["jeugdhulp_0_17", B21, "2020"][1] == 0
    assert t["jeugdhulp_0_17", B21, "2020-H2"][1] == 1
    assert t["jeugdhulp_0_17", B21, "2020-06"][1] == 1
    assert t["jeugdhulp_0_17", B21, "2020-05"][1] == 0
    # trajectories begun count in the latest address in the period of the begin
    assert num(t, "trajecten_begonnen", B21, "2020") == 1
    assert num(t, "trajecten_begonnen", B11, "2020-01") == 1


def test_a_youth_who_left_the_city_counts_where_they_last_lived_and_then_nowhere():
    a = person(1, date(2010, 5, 15), (date(2010, 5, 15), B12), (date(2020, 5, 15), None))
    t = table(city(a), [traject(a, date(2020, 1, 1), date(2020, 9, 30))])
    assert num(t, "jeugdhulp_0_17", B12, "2020") == 1
    assert num(t, "jeugdhulp_0_17", B12, "2020-05") == 1
    assert num(t, "jeugdhulp_0_17", GM, "2020-06") == 0
    assert num(t, "jeugdhulp_0_17", GM, "2020-H2") == 0
    assert num(t, "jeugdhulp_peildatum_0_17", GM, "2020-H1") == 0  # outside on 30 June
    assert num(t, "jeugdhulp_peildatum_0_17", B12, "2020-04") == 1
    assert num(t, "trajecten_beeindigd", GM, "2020") == 1  # the year: last lived in B12
    assert num(t, "trajecten_beeindigd", GM, "2020-Q3") == 0  # not in the city in Q3
    assert t["jeugdhulp_0_17", GM, "2020-H2"][1] == 0  # nor in the population


# --- age -------------------------------------------------------------------------------------
def test_the_18th_birthday_comes_on_the_first_of_the_birth_month():
    a = person(1, date(2002, 3, 20), (date(2002, 3, 20), B11))  # 18 from 1 March 2020
    b = person(2, date(2002, 3, 20), (date(2002, 3, 20), B11))
    ts = [traject(a, date(2020, 3, 5), None), traject(b, date(2020, 2, 28), None)]
    t = table(city(a, b), ts)
    assert num(t, "jeugdhulp_0_17", GM, "2020") == 1  # b: 17 on its begin; a: 18 on 5 March
    assert num(t, "jeugdhulp_0_17", GM, "2020-02") == 1
    assert num(t, "jeugdhulp_0_17", GM, "2020-03") == 0
    assert num(t, "jeugdhulp_0_22", GM, "2020-03") == 2
    assert t["jeugdhulp_0_17", GM, "2020-02"][1] == 2  # population on 1 February: both 17
    assert t["jeugdhulp_0_17", GM, "2020-03"][1] == 0  # on 1 March: both 18
    assert t["jeugdhulp_0_22", GM, "2020-03"][1] == 2
    assert num(t, "jeugdhulp_peildatum_0_17", GM, "2020-02") == 1
    assert num(t, "jeugdhulp_peildatum_0_17", GM, "2020-Q1") == 0  # 18 on 31 March
    assert num(t, "trajecten_begonnen", GM, "2020") == 2  # jeugdhulp trajectories: 0–22


def test_the_23rd_birthday_ends_jeugdhulp_0_22_and_jeugdreclassering():
    a = person(1, date(1997, 7, 10), (date(1997, 7, 10), B11))  # 23 from 1 July 2020
    b = person(2, date(2008, 1, 31), (date(2008, 1, 31), B11))  # 12 from 1 January 2020
    ts = [
        traject(a, date(2019, 6, 1), None),
        traject(a, date(2019, 6, 1), None, categorie="47", provider=GI),
        traject(b, date(2019, 6, 1), None, categorie="47", provider=GI),
    ]
    t = table(city(a, b), ts)
    assert num(t, "jeugdhulp_0_22", GM, "2020-H1") == 1
    assert num(t, "jeugdhulp_0_22", GM, "2020-H2") == 0
    assert num(t, "jeugdhulp_0_22", GM, "2020") == 1  # age on 1 January: 22
    assert num(t, "jeugdhulp_0_22", GM, "2020-06") == 1
    assert num(t, "jeugdhulp_0_22", GM, "2020-07") == 0
    assert num(t, "jeugdhulp_0_17", GM, "2019") == 0
    assert num(t, "jeugdreclassering", GM, "2019") == 1  # b is 11 in 2019
    assert num(t, "jeugdreclassering", GM, "2020-H1") == 2
    assert num(t, "jeugdreclassering", GM, "2020-H2") == 1
    assert t["jeugdreclassering", GM, "2020"][1] == 2  # pop 12–22 on 1 January: 22 and 12
    assert t["jeugdreclassering", GM, "2019"][1] == 1  # b is 11
    assert t["jeugdreclassering", GM, "2020-H2"][1] == 1  # a is 23 on 1 July


# --- a generated city --------------------------------------------------------------------------
@cache
def small_city() -> tuple[City, list[Trajectory]]:
    c = generate_city(
        5, youth=1200, n_wijken=2, buurten_per_wijk=3, first_year=2020, last_year=2021
    )
    return c, simulate(c, 5)


def test_generated_city_yearly_jeugdhulp_equals_a_direct_count_of_the_truth():
    c, ts = small_city()
    t = table(c, ts)
    code = c.gemeente_code
    for year in (2020, 2021):
        first, last = date(year, 1, 1), date(year, 12, 31)

        def in_city_during(p: Person, first: date = first, last: date = last) -> bool:
            return any(
                r.address.buurt_code is not None
                and r.address.gemeente_code == code
                and r.valid_from <= last
                and (r.valid_to is None or r.valid_to > first)
                for r in p.residences
            )

        def age(p: Person, day: date) -> int:
            b = p.birth_date
            return day.year - b.year - (day.month < b.month)

        direct = {
            tr.person.bsn
            for tr in ts
            if HULPVORM[tr.categorie] not in ("JB", "JR")
            and tr.begin <= last
            and (tr.end is None or tr.end >= first)
            and age(tr.person, max(tr.begin, first)) < 18
            and in_city_during(tr.person)
        }
        assert len(direct) > 50
        assert num(t, "jeugdhulp_0_17", f"GM{code}", str(year)) == len(direct)


def test_generated_city_areas_add_up_and_flags_match_the_truth():
    c, ts = small_city()
    merged = reference.trajects(ts)
    assert len(merged) == len(ts)  # the generator never lets trajectories at one provider touch
    assert sum(m.herhaald_beroep for m in merged) == sum(t.herhaald for t in ts)
    t = table(c, ts)
    wijken = {b.wijk_code for b in c.buurten}
    for period in ("2020", "2021-Q3", "2021-11"):
        for name in ("jeugdhulp_0_17", "trajecten_begonnen", "jeugdhulp_peildatum_0_22"):
            total = num(t, name, f"GM{c.gemeente_code}", period)
            assert total == sum(num(t, name, w, period) for w in wijken)
            assert total == sum(num(t, name, b.code, period) for b in c.buurten)


def test_write_indicators_appends_semicolon_rows(tmp_path):
    a = person(1, date(2010, 5, 15), (date(2010, 5, 15), B11))
    c = city(a)
    n = reference.write_indicators(c, [traject(a, date(2020, 3, 10), None)], tmp_path)
    reference.write_indicators(c, [], tmp_path, append=True)
    with (tmp_path / "truth" / "indicators.csv").open() as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert rows[0] == reference.COLUMNS
    assert len(rows) == 1 + 2 * n
    found = [r for r in rows if r[:3] == ["jeugdhulp_0_17", B11, "2020"]]
    assert found[0] == ["jeugdhulp_0_17", B11, "2020", "1", "1", "1000.000000"]
    assert ["trajecten_duur_mediaan", GM, "2020", "", "0", ""] in rows


def test_ages_are_taken_from_the_birth_month():
    p = person(1, date(2002, 3, 20), (date(2002, 3, 20), B11))
    assert reference.age_on(p, date(2020, 2, 29)) == 17
    assert reference.age_on(p, date(2020, 3, 1)) == 18
    assert reference.age_on(p, date(2020, 3, 1) - timedelta(days=1)) == 17
