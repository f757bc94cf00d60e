"""Disclosure control on hand-made tables: rounding, secrets, rates, secondary suppression."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from wijkzicht.indicators.disclosure import (
    Cell,
    _order_key,
    as_cell,
    protect,
    protect_table,
    round_count,
    violations,
)

GM, W1, W2 = "GM9999", "WK999901", "WK999902"
B11, B12, B13, B21 = "BU99990101", "BU99990102", "BU99990103", "BU99990201"
PARENT = {GM: None, W1: GM, W2: GM, B11: W1, B12: W1, B13: W1, B21: W2}


def row(indicator: str, area: str, numerator, denominator=None, value=None, period="2020"):
    return {
        "indicator": indicator,
        "area_code": area,
        "parent_area_code": PARENT[area],
        "period": period,
        "numerator": numerator,
        "denominator": denominator,
        "value": value if value is not None else float(numerator or 0),
    }


def public(cells: list[Cell]) -> dict[tuple[str, str], tuple]:
    return {
        (c.indicator, c.area_code): ("•" if c.suppressed else (c.numerator, c.denominator, c.value))
        for c in cells
    }


def test_round_to_the_nearest_multiple_of_five():
    assert [round_count(n) for n in (8, 9, 10, 12, 13, 17, 18, 102, 103)] == [
        10, 10, 10, 10, 15, 15, 20, 100, 105
    ]  # fmt: skip


def test_counts_0_to_7_are_secret_and_the_rest_rounded():
    rows = [row("trajecten_begonnen", a, n) for a, n in ((GM, 0), (W1, 7), (W2, 8))]
    out = protect(rows)
    assert [c.suppressed for c in out] == [True, True, False]
    assert (out[0].numerator, out[0].value) == (None, None)  # empty, never 0
    assert (out[2].numerator, out[2].denominator, out[2].value) == (10, None, 10.0)


def test_rates_are_computed_from_the_rounded_counts():
    rows = [
        row("jeugdhulp_0_17", GM, 12, 403, 12 / 403 * 1000),
        row("jeugdhulp_0_17", W1, 8, 6, 8 / 6 * 1000),  # a small population is a secret too
        row("jeugdhulp_0_17", W2, 4, 397, 4 / 397 * 1000),
    ]
    out = public(protect(rows, partitions=()))
    assert out["jeugdhulp_0_17", GM] == (10, 405, pytest.approx(10 / 405 * 1000))
    assert out["jeugdhulp_0_17", W1] == "•"
    assert out["jeugdhulp_0_17", W2] == "•"


def test_durations_publish_the_rounded_count_and_the_exact_mean_only():
    rows = [
        row("trajecten_duur_gemiddeld", GM, 4004, 22, 182.0),
        row("trajecten_duur_gemiddeld", W1, 1000, 13, 1000 / 13),
        row("trajecten_duur_gemiddeld", W2, 3004, 9, 3004 / 9),
    ]
    out = public(protect(rows))
    assert out["trajecten_duur_gemiddeld", GM] == (None, 20, 182.0)
    assert out["trajecten_duur_gemiddeld", W2] == (None, 10, pytest.approx(3004 / 9))


def test_secondary_suppression_hides_the_smallest_other_child():
    rows = [
        row("trajecten_begonnen", GM, 100),
        row("trajecten_begonnen", W1, 60),
        row("trajecten_begonnen", W2, 40),
        row("trajecten_begonnen", B11, 3),  # secret: W1 - B12 - B13 would show it
        row("trajecten_begonnen", B12, 27),
        row("trajecten_begonnen", B13, 30),
        row("trajecten_begonnen", B21, 40),
    ]
    out = public(protect(rows))
    assert out["trajecten_begonnen", B11] == "•"
    assert out["trajecten_begonnen", B12] == "•"  # the smallest other child
    assert out["trajecten_begonnen", B13] == (30, None, 30.0)
    assert out["trajecten_begonnen", W1] == (60, None, 60.0)
    assert out["trajecten_begonnen", GM] == (100, None, 100.0)
    assert violations(protect(rows)) == []


def test_an_only_child_that_is_secret_hides_its_parent_and_that_cascades():
    rows = [
        row("trajecten_begonnen", GM, 30),
        row("trajecten_begonnen", W1, 25),
        row("trajecten_begonnen", W2, 5),
        row("trajecten_begonnen", B11, 25),
        row("trajecten_begonnen", B21, 5),
    ]
    out = public(protect(rows))
    # W2 and B21 are secret; GM - W1 would show W2, so W1 goes; B11 is W1's only child
    # (B11 = W1), so it goes too
    assert out["trajecten_begonnen", W2] == "•"
    assert out["trajecten_begonnen", W1] == "•"
    assert out["trajecten_begonnen", B11] == "•"
    assert out["trajecten_begonnen", GM] == (30, None, 30.0)
    assert violations(protect(rows)) == []


def test_partitions_of_a_total_are_protected_like_areas():
    rows = [
        row("trajecten_begonnen", GM, 50),
        row("trajecten_begonnen_nieuw", GM, 46),
        row("trajecten_begonnen_herhaald_beroep", GM, 4),
    ]
    out = public(protect(rows))
    assert out["trajecten_begonnen_herhaald_beroep", GM] == "•"
    assert out["trajecten_begonnen_nieuw", GM] == "•"
    assert out["trajecten_begonnen", GM] == (50, None, 50.0)


def test_a_share_hides_when_its_denominator_indicator_is_hidden():
    rows = [
        row("trajecten_begonnen", GM, 40),
        row("trajecten_begonnen", W1, 35),
        row("trajecten_begonnen", W2, 5),
        row("verwijzer_huisarts", GM, 20, 40, 50.0),
        row("verwijzer_huisarts", W1, 18, 35, 18 / 35 * 100),
        row("verwijzer_huisarts", W2, 2, 5, 40.0),
    ]
    out = public(protect(rows, partitions=()))
    assert out["trajecten_begonnen", W1] == "•"  # secondary
    assert out["verwijzer_huisarts", W1] == "•"  # would show trajecten_begonnen of W1
    assert out["verwijzer_huisarts", GM] == (20, 40, 50.0)


def test_protect_leaves_its_input_alone_and_accepts_csv_strings():
    rows = [row("trajecten_begonnen", GM, 12)]
    protect(rows)
    assert rows[0]["numerator"] == 12
    text = {k: ("" if v is None else str(v)) for k, v in rows[0].items()}
    assert as_cell(text).numerator == 12.0
    assert protect([text])[0].numerator == 10


def test_violations_finds_what_should_not_be_public():
    ok = [Cell("trajecten_begonnen", GM, None, "2020", 10, None, 10.0)]
    assert violations(ok) == []
    small = [Cell("trajecten_begonnen", GM, None, "2020", 5, None, 5.0)]
    assert "public numerator 5" in violations(small)[0]
    unrounded = [Cell("trajecten_begonnen", GM, None, "2020", 12, None, 12.0)]
    assert "multiple of 5" in violations(unrounded)[0]
    shown = [Cell("trajecten_begonnen", GM, None, "2020", 10, None, 10.0, suppressed=True)]
    assert "suppressed but shows" in violations(shown)[0]
    exact_rate = [Cell("jeugdhulp_0_17", GM, None, "2020", 10, 400, 12 / 403 * 1000)]
    assert "rounded counts" in violations(exact_rate)[0]
    days = [Cell("trajecten_duur_gemiddeld", GM, None, "2020", 4004, 20, 182.0)]
    assert "days" in violations(days)[0]
    derivable = [
        Cell("trajecten_begonnen", W1, GM, "2020", 60, None, 60.0),
        Cell("trajecten_begonnen", B11, W1, "2020", None, None, None, suppressed=True),
        Cell("trajecten_begonnen", B12, W1, "2020", 30, None, 30.0),
    ]
    assert violations(derivable) == [
        f"trajecten_begonnen {B11} 2020: derivable (parent = sum of children)"
    ]
    hidden_parent = [
        Cell("trajecten_begonnen", W1, GM, "2020", None, None, None, suppressed=True),
        Cell("trajecten_begonnen", B11, W1, "2020", 30, None, 30.0),
        Cell("trajecten_begonnen", B12, W1, "2020", 30, None, 30.0),
    ]
    assert "derivable" in violations(hidden_parent)[0]
    share_of_hidden = [
        Cell("trajecten_beeindigd", GM, None, "2020", None, None, None, suppressed=True),
        Cell("trajecten_beeindigd_voortijdig", GM, None, "2020", 10, 20, 50.0),
    ]
    assert violations(share_of_hidden) == [
        f"trajecten_beeindigd_voortijdig {GM} 2020: shows hidden trajecten_beeindigd"
    ]


def city_rows(seed: int = 9) -> tuple[list[dict], dict[str, str | None]]:
    """The exact rows of a small generated city (with ``parent_area_code``) and its areas."""
    from wijkzicht.synth import reference
    from wijkzicht.synth.care import simulate
    from wijkzicht.synth.city import generate_city

    city = generate_city(seed, youth=1500, n_wijken=3, buurten_per_wijk=3, last_year=2019)
    parent = {f"GM{city.gemeente_code}": None}
    parent |= {w.code: f"GM{city.gemeente_code}" for w in city.wijken}
    parent |= {b.code: b.wijk_code for b in city.buurten}
    rows = [
        dict(zip(reference.COLUMNS, r, strict=True)) | {"parent_area_code": parent[r[1]]}
        for r in reference.rows(city, simulate(city, seed))
    ]
    return rows, parent


def test_a_whole_generated_city_protected_has_no_violations():
    rows, _ = city_rows()
    out = protect(rows)
    assert violations(out) == []
    assert 0 < sum(c.suppressed for c in out) < len(out)
    assert violations(rows)  # the raw figures are not fit to leave


def test_the_table_form_takes_parents_from_a_mapping_and_keeps_the_row_order():
    rows, parent = city_rows()
    rows = rows[::-1]  # any order in, the same order out
    table = pa.Table.from_pylist([{k: v for k, v in r.items() if k != "parent_area_code"}
                                  for r in rows])  # fmt: skip
    out = protect_table(table, parents=parent).to_pylist()
    cells = protect(rows)
    assert [(r["indicator"], r["area_code"], r["period"]) for r in out] == [
        (c.indicator, c.area_code, c.period) for c in cells
    ]
    assert [(r["numerator"], r["denominator"], r["value"], r["suppressed"]) for r in out] == [
        (c.numerator, c.denominator, c.value, c.suppressed) for c in cells
    ]
    assert violations(out) == []


def test_the_same_cells_in_another_order_give_the_same_public_cells():
    """Secondary suppression visits groups in a fixed order; the cells are put in order
    first, so an export, the stored results and the CLI agree however the rows came."""
    import random

    rows, _ = city_rows(10)  # a city where the order of the rows used to matter
    expected = {(c.indicator, c.area_code, c.period): c for c in protect(rows)}
    for seed in range(3):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        got = protect(shuffled)
        assert [(c.indicator, c.area_code, c.period) for c in got] == [
            (r["indicator"], r["area_code"], r["period"]) for r in shuffled
        ]  # the input's order is kept
        assert {(c.indicator, c.area_code, c.period): c for c in got} == expected


@pytest.mark.parametrize("fractional", [False, True])
def test_the_order_key_orders_cells_as_the_pair_count_area(fractional):
    """Secondary suppression picks "the smallest public child, by exact count, then area" by
    one number per cell: it must order (and tie) exactly as the pairs do, whole counts (the
    arithmetic key) or not (the dense rank)."""
    rng = np.random.default_rng(7)
    count = rng.integers(0, 40, 5_000).astype(np.float64)
    if fractional:
        count = count / 4
    area = rng.integers(-1, 30, 5_000)
    key = _order_key(count, area)
    pairs = list(zip(count.tolist(), area.tolist(), strict=True))
    i, j = rng.integers(0, 5_000, (2, 20_000))
    for a, b in zip(i.tolist(), j.tolist(), strict=True):
        assert (key[a] < key[b]) == (pairs[a] < pairs[b])
        assert (key[a] == key[b]) == (pairs[a] == pairs[b])
