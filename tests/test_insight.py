"""Insight: area profiles from the store, similar areas, and conclusions in plain language —
on small hand-made stores, profiles and indicator rows whose answers are known."""

from __future__ import annotations

import math

import duckdb
import pytest
from scipy.stats import chi2_contingency, fisher_exact

from wijkzicht.insight import wording
from wijkzicht.insight.conclusions import conclusions, previous_period
from wijkzicht.insight.profiles import Profile, area_profiles
from wijkzicht.insight.similar import similar_areas
from wijkzicht.insight.stats import benjamini_hochberg, compare
from wijkzicht.store import migrate

GM, OVERVECHT, ZUID = "GM9999", "WK999901", "WK999902"


def row(indicator, area, period, x, n, *, per=1000, suppressed=False, value=None):
    if value is None and x is not None and n:
        value = x / n * per
    return {"indicator": indicator, "area_code": area, "period": period, "numerator": x,
            "denominator": n, "value": value, "suppressed": suppressed}  # fmt: skip


def profile(code, name, youth, shares, laag=None, een=None, uit=None, level="wijk"):
    bands = dict(zip(("0-3", "4-11", "12-17"), shares, strict=True)) if shares else {}
    return Profile(code, level, name, youth, bands, laag, een, uit)


# --- wording --------------------------------------------------------------------------------
def test_dutch_and_english_number_formatting() -> None:
    assert wording.number(1234567.891, 2) == "1.234.567,89"
    assert wording.number(1234567.891, 2, "en") == "1,234,567.89"
    assert wording.number(-0.04, 1) == "0,0"
    assert wording.percent(21.04, 0) == "21 %" and wording.percent(21.04, 1, "en") == "21.0%"
    assert wording.per_thousand(182.4) == "182 per 1.000"
    assert wording.per_thousand(8.06, 1, "en") == "8.1 per 1,000"
    assert [wording.p_text(p) for p in (0.0002, 0.0042, 0.034, 0.5)] == [
        "p < 0,001", "p = 0,004", "p = 0,03", "p = 0,50"]  # fmt: skip
    assert wording.decimals_for(182.0, 131.0) == 0
    assert wording.decimals_for(8.1, 12.0) == 1
    assert wording.decimals_for(131.2, 131.4) == 1  # never two different figures written alike
    assert wording.join(["A", "B", "C"]) == "A, B en C"
    assert wording.join(["A", "B"], "en") == "A and B"


@pytest.mark.parametrize(
    ("code", "before", "nl", "en"),
    [
        ("2024", "2023", "2024", "2024"),
        ("2024-H1", "2023-H2", "de eerste helft van 2024", "the first half of 2024"),
        ("2024-H2", "2024-H1", "de tweede helft van 2024", "the second half of 2024"),
        ("2024-Q1", "2023-Q4", "het eerste kwartaal van 2024", "the first quarter of 2024"),
        ("2024-01", "2023-12", "januari 2024", "January 2024"),
        ("2024-05", "2024-04", "mei 2024", "May 2024"),
    ],
)
def test_periods(code: str, before: str, nl: str, en: str) -> None:
    assert previous_period(code) == before
    assert (wording.period_phrase(code), wording.period_phrase(code, "en")) == (nl, en)


# --- statistics -----------------------------------------------------------------------------
def test_z_test_p_value_equals_scipy_chi_square() -> None:
    got = compare(364, 2000, 946, 8000)
    want = chi2_contingency([[364, 1636], [946, 7054]], correction=False).pvalue
    assert got.test == "z" and got.p_value == pytest.approx(want, rel=1e-9)
    assert got.statistic == pytest.approx(math.sqrt(chi2_contingency(
        [[364, 1636], [946, 7054]], correction=False).statistic))  # fmt: skip


def test_small_counts_use_fisher_exact() -> None:
    got = compare(4, 40, 30, 2000)
    assert got.test == "fisher"
    want = fisher_exact([[4, 36], [30, 1970]]).pvalue
    assert got.p_value == pytest.approx(want, rel=1e-12)


def test_benjamini_hochberg_against_hand_computed_values() -> None:
    # sorted 0.01, 0.03, 0.04, 0.5 (m = 4): 0.04, min(0.06, 0.0533), 0.0533, 0.5
    assert benjamini_hochberg([0.01, 0.04, 0.03, 0.5]) == pytest.approx(
        [0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5]
    )
    assert benjamini_hochberg([]) == []


# --- profiles from the store ----------------------------------------------------------------
@pytest.fixture
def store() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    migrate(con)
    con.executemany(
        "INSERT INTO areas VALUES (?, ?, ?, ?, ?, NULL, NULL)",
        [(GM, "gemeente", "Demostad", GM, None), (OVERVECHT, "wijk", "Overvecht", GM, OVERVECHT),
         ("BU99990101", "buurt", "Zuilen", GM, OVERVECHT),
         ("BU99990102", "buurt", "Tuinwijk", GM, OVERVECHT)],
    )  # fmt: skip
    pop = []
    for bu, counts in (("BU99990101", (100, 200, 100, 150)), ("BU99990102", (50, 50, 100, 90))):
        for (lo, hi), n in zip(((0, 3), (4, 11), (12, 17), (18, 22)), counts, strict=True):
            pop.append((2024, GM, OVERVECHT, bu, lo, hi, n))
            pop.append((2023, GM, OVERVECHT, bu, lo, hi, n + 7))
    con.executemany("INSERT INTO population VALUES (?, ?, ?, ?, ?, ?, ?)", pop)
    con.executemany(
        "INSERT INTO area_kenmerken VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(GM, 2023, 9000, 4000, 17.0, 8.0, 5.0), (GM, 2024, 9100, 4050, 18.0, 8.5, 5.5),
         (OVERVECHT, 2023, 3000, 1300, 31.5, 12.0, None),
         ("BU99990101", 2025, 2000, 900, 40.0, 14.0, 11.0)],
    )  # fmt: skip
    return con


def test_area_profiles_sum_buurten_and_take_the_newest_kenmerken(store) -> None:
    p = area_profiles(store, 2024)
    assert set(p) == {GM, OVERVECHT, "BU99990101", "BU99990102"}
    assert (p["BU99990101"].youth, p["BU99990102"].youth) == (400, 200)
    assert p[OVERVECHT].youth == p[GM].youth == 600  # 18-22 is not youth 0-17
    assert p[OVERVECHT].age_shares == pytest.approx({"0-3": 0.25, "4-11": 0.25 + 1 / 6,
                                                     "12-17": 1 / 3})  # fmt: skip
    assert list(p[OVERVECHT].age_shares) == ["0-3", "4-11", "12-17"]
    assert (p[GM].level, p[GM].name, p[GM].pct_laag_inkomen) == ("gemeente", "Demostad", 18.0)
    # 2023 is the newest up to 2024; a missing figure stays None
    assert (p[OVERVECHT].pct_laag_inkomen, p[OVERVECHT].pct_uitkering) == (31.5, None)
    assert p["BU99990101"].pct_laag_inkomen is None  # only 2025 is known
    assert area_profiles(store, 2023)[OVERVECHT].youth == 600 + 2 * 3 * 7  # 2 buurten, 3 bands


# --- similar areas --------------------------------------------------------------------------
@pytest.fixture
def profiles() -> dict[str, Profile]:
    ps = [
        profile("WK999901", "Overvecht", 1230, (0.25, 0.45, 0.30), 21.0, 8.0, 6.0),
        profile("WK999902", "Zuilen", 1180, (0.22, 0.44, 0.34), 19.0, 10.0, 8.0),
        profile("WK999903", "Binnenstad", 300, (0.35, 0.40, 0.25), 45.0, 15.0, 14.0),
        profile("WK999904", "Leidsche Rijn", 4000, (0.18, 0.42, 0.40), 5.0, 3.0, 1.5),
        profile("WK999905", "Oost", 2500, (0.28, 0.46, 0.26), 30.0, 12.0, 9.0),
        profile("WK999906", "Noordwest", 2400, (0.29, 0.46, 0.25), None, None, None),
        # a buurt exactly like Overvecht: another level, never similar to a wijk
        profile("BU99990101", "Zuilen-Oost", 1230, (0.25, 0.45, 0.30), 21.0, 8.0, 6.0, "buurt"),
        profile(GM, "Demostad", 11_610, (0.25, 0.44, 0.31), 20.0, 9.0, 6.0, "gemeente"),
    ]
    return {p.code: p for p in ps}


def test_similar_areas_are_the_constructed_ones(profiles) -> None:
    found = similar_areas(profiles, "WK999901", k=3)
    assert [s.code for s in found][:1] == ["WK999902"]
    assert all(s.code.startswith("WK") and s.code != "WK999901" for s in found)
    assert "WK999904" not in [s.code for s in found]  # four times the youth, far less poor
    assert [s.distance for s in found] == sorted(s.distance for s in found)
    zuilen = found[0]
    assert zuilen.name == "Zuilen"
    assert zuilen.reason_nl == (
        "Vergelijkbaar aantal jongeren (1.230 tegen 1.180) en vergelijkbaar aandeel huishoudens "
        "met een laag inkomen (21 % tegen 19 %)."
    )
    assert zuilen.reason_en == (
        "Similar number of young people (1,230 vs 1,180) and similar share of low-income "
        "households (21% vs 19%)."
    )
    assert similar_areas(profiles, "WK999901", k=1) == found[:1]


def test_missing_kenmerken_use_the_features_that_exist(profiles) -> None:
    found = similar_areas(profiles, "WK999906", k=5)
    assert found[0].code == "WK999905"  # the same size and age make-up
    assert len(found) == 5
    for s in found:
        assert "inkomen" not in s.reason_nl and "uitkering" not in s.reason_nl
    only = {"WK999906": profiles["WK999906"], "WK999901": profiles["WK999901"]}
    assert [s.code for s in similar_areas(only, "WK999906")] == ["WK999901"]


# --- conclusions ----------------------------------------------------------------------------
AREAS = {GM: profile(GM, "Demostad", 0, None, level="gemeente"),
         OVERVECHT: profile(OVERVECHT, "Overvecht", 0, None),
         ZUID: profile(ZUID, "Zuid", 0, None),
         "WK999903": profile("WK999903", "Oost", 0, None),
         "WK999904": profile("WK999904", "West", 0, None),
         "BU99990101": profile("BU99990101", "Zuilen", 0, None, level="buurt")}  # fmt: skip


def city_rows() -> list[dict]:
    return [
        row("jeugdhulp_0_17", GM, "2024", 1310, 10000),
        row("jeugdhulp_0_17", OVERVECHT, "2024", 364, 2000),  # 182 per 1,000: much more
        row("jeugdhulp_0_17", ZUID, "2024", 270, 2000),  # 135 per 1,000: about the same
    ]


def test_a_big_difference_is_significant_and_a_tiny_one_is_not() -> None:
    found = conclusions(city_rows(), AREAS, "2024")
    by_area = {c.area_code: c for c in found}
    assert set(by_area) == {OVERVECHT, ZUID}
    big, tiny = by_area[OVERVECHT], by_area[ZUID]
    assert big.significant and big.p_adjusted < 0.001
    assert not tiny.significant and tiny.p_adjusted > 0.3
    assert found[0] is big and big.score > 1 > tiny.score
    assert (big.value, big.other_value) == (182.0, 131.0)
    assert big.difference == pytest.approx(51.0)
    assert big.comparison == "city" and big.other_label == "heel Demostad"
    # the test sets the wijk against the rest of the city: 364/2000 vs 946/8000
    want = chi2_contingency([[364, 1636], [946, 7054]], correction=False).pvalue
    assert big.p_value == pytest.approx(want, rel=1e-9)
    assert big.test == "twee-proporties z-toets, Benjamini–Hochberg-gecorrigeerd"
    assert big.sentence == (
        "In Overvecht kregen 182 per 1.000 jongeren (0–17 jaar) jeugdhulp in 2024, duidelijk "
        "meer dan in heel Demostad (131 per 1.000; z-toets met BH-correctie, p < 0,001)."
    )
    assert tiny.sentence.startswith(
        "In Zuid kregen 135 per 1.000 jongeren (0–17 jaar) jeugdhulp in 2024, iets meer dan in "
        "heel Demostad (131 per 1.000; verschil niet statistisch betekenisvol; z-toets met "
        "BH-correctie, p = 0,"
    )


def test_english_sentence() -> None:
    big = conclusions(city_rows(), AREAS, "2024", area=OVERVECHT, lang="en")[0]
    assert big.test == "two-proportion z-test, Benjamini–Hochberg corrected"
    assert big.sentence == (
        "In Overvecht, 182 per 1,000 young people (aged 0–17) had youth care in 2024, clearly "
        "more than in Demostad as a whole (131 per 1,000; z-test with BH correction, p < 0.001)."
    )
    with pytest.raises(ValueError, match="language"):
        conclusions(city_rows(), AREAS, "2024", lang="fr")


def test_many_comparisons_are_corrected_with_benjamini_hochberg() -> None:
    rows = [row("jeugdhulp_0_17", GM, "2024", 1240, 10000)]
    # Overvecht alone would be significant (p ≈ 0.03); with three unremarkable wijken it is not
    rows += [row("jeugdhulp_0_17", OVERVECHT, "2024", 276, 2000)]
    for code, x in ((ZUID, 240), ("WK999903", 239), ("WK999904", 241)):
        rows.append(row("jeugdhulp_0_17", code, "2024", x, 2000))
    found = {c.area_code: c for c in conclusions(rows, AREAS, "2024")}
    ov = found[OVERVECHT]
    assert ov.p_value < 0.05 and ov.p_adjusted == pytest.approx(min(1, ov.p_value * 4))
    assert not ov.significant
    alone = conclusions(rows[:2], AREAS, "2024")[0]
    assert alone.significant and alone.p_adjusted == alone.p_value


def test_suppressed_rows_never_produce_conclusions() -> None:
    rows = [
        row("jeugdhulp_0_17", GM, "2024", 1310, 10000),
        # public: a suppressed cell is empty; a suppressed row with figures is never read either
        row("jeugdhulp_0_17", OVERVECHT, "2024", None, 2000, suppressed=True),
        row("jeugdhulp_0_17", ZUID, "2024", 600, 2000, suppressed=True),
        row("jeugdhulp_0_17", ZUID, "2023", 200, 2000),
    ]
    assert conclusions(rows, AREAS, "2024") == []
    assert conclusions(rows, AREAS, "2024", area=ZUID) == []
    # the city suppressed: nothing to compare a wijk with
    rows = [row("jeugdhulp_0_17", GM, "2024", 1310, 10000, suppressed=True),
            row("jeugdhulp_0_17", OVERVECHT, "2024", 364, 2000)]  # fmt: skip
    assert conclusions(rows, AREAS, "2024", area=OVERVECHT) == []


def test_only_rates_and_shares_of_people_are_compared() -> None:
    rows = city_rows()
    for area, x in ((GM, 900), (OVERVECHT, 400)):  # counts and shares of trajectories
        rows.append(row("trajecten_begonnen", area, "2024", x, None, value=x))
        rows.append(row("verwijzer_huisarts", area, "2024", x / 3, x, per=100))
    rows.append(row("zorg_dichtbij", GM, "2024", 393, 1310, per=100))  # % of youth with care
    rows.append(row("zorg_dichtbij", OVERVECHT, "2024", 200, 364, per=100))
    found = conclusions(rows, AREAS, "2024", area=OVERVECHT, limit=10)
    assert {c.indicator for c in found} == {"jeugdhulp_0_17", "zorg_dichtbij"}
    share = next(c for c in found if c.indicator == "zorg_dichtbij")
    assert share.sentence.startswith(
        "Jongeren met jeugdhulp van buurtteam of wijkpartner (% van jeugdhulp 0–17) in "
        "Overvecht in 2024: 55 %, duidelijk hoger dan in heel Demostad (30 %; "
    )


def test_this_period_against_the_previous_one_of_the_same_kind() -> None:
    rows = [
        row("jeugdbescherming", GM, "2024-H1", 120, 10000),
        row("jeugdbescherming", GM, "2023-H2", 80, 10000),
        row("jeugdbescherming", GM, "2024-Q1", 999, 10000),  # another kind: never compared
    ]
    (c,) = conclusions(rows, AREAS, "2024-H1")
    assert (c.comparison, c.period, c.other_label) == (
        "previous",
        "2024-H1",
        "de tweede helft van 2023",
    )
    assert (c.value, c.other_value) == (12.0, 8.0)
    assert c.sentence == (
        "In Demostad kregen 12,0 per 1.000 jongeren (0–17 jaar) jeugdbescherming in de eerste "
        "helft van 2024, duidelijk meer dan in de tweede helft van 2023 (8,0 per 1.000; z-toets "
        f"met BH-correctie, {wording.p_text(c.p_adjusted)})."
    )
    assert c.p_value == pytest.approx(
        chi2_contingency([[120, 9880], [80, 9920]], correction=False).pvalue
    )


def test_against_similar_areas_pools_their_counts(profiles) -> None:
    similar = similar_areas(profiles, OVERVECHT, k=2)
    codes = [s.code for s in similar]
    rows = [row("jeugdhulp_0_17", OVERVECHT, "2024", 364, 2000),
            row("jeugdhulp_0_17", codes[0], "2024", 150, 1000),
            row("jeugdhulp_0_17", codes[1], "2024", 80, 1000, suppressed=True),
            row("jeugdhulp_0_17", "WK999904", "2024", 500, 1000)]  # fmt: skip
    (c,) = conclusions(rows, profiles, "2024", area=OVERVECHT, similar=similar)
    assert c.comparison == "similar" and c.other_value == 150.0  # the suppressed one left out
    assert c.other_label == f"de vergelijkbare wijk {similar[0].name}"
    both = [r for r in rows if not r["suppressed"]] + [
        row("jeugdhulp_0_17", codes[1], "2024", 50, 500)
    ]
    (c,) = conclusions(both, profiles, "2024", area=OVERVECHT, similar=codes)
    assert c.other_value == pytest.approx(200 / 1500 * 1000)
    assert f"in de vergelijkbare wijken {similar[0].name} en {similar[1].name} (133 per 1.000" in (
        c.sentence
    )


def test_small_counts_use_fisher_and_say_so() -> None:
    rows = [row("jeugdreclassering", GM, "2024", 30, 5000),
            row("jeugdreclassering", "BU99990101", "2024", 4, 100)]  # fmt: skip
    (c,) = conclusions(rows, AREAS, "2024", area="BU99990101")
    assert c.test.startswith("exacte toets van Fisher")
    assert c.p_value == pytest.approx(fisher_exact([[4, 96], [26, 4874]]).pvalue)
    assert "toets van Fisher met BH-correctie" in c.sentence
    assert c.sentence.startswith("In Zuilen kregen 40,0 per 1.000 jongeren (12–22 jaar) "
                                 "jeugdreclassering in 2024")  # fmt: skip


def test_significant_first_then_by_size_and_limit() -> None:
    rows = [
        *city_rows(),
        # a wijk with a huge relative difference on a handful of youth: not significant
        row("jeugdbescherming", GM, "2024", 100, 10000),
        row("jeugdbescherming", OVERVECHT, "2024", 20, 2000),
        row("jeugdbescherming", "WK999903", "2024", 1, 20),
    ]
    found = conclusions(rows, AREAS, "2024", limit=10)
    small = next(c for c in found if c.area_code == "WK999903")
    assert not small.significant and abs(small.difference / small.other_value) > 3
    assert small.score > next(c for c in found if c.area_code == ZUID).score
    flags = [c.significant for c in found]
    assert flags == sorted(flags, reverse=True) and flags[0]
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    assert conclusions(rows, AREAS, "2024", limit=1) == found[:1]
