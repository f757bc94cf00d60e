"""Product shape and repetition rules on JW301, JW315 and JW317: CS003, CD041, CD075–CD080,
CD095, CD096, CS338, CS343, CS335, CS336, TR302, TR386, TR410, plus TR101 on ToegewezenProduct."""

from __future__ import annotations

from datetime import date

import pytest

from builders import (
    Case,
    Cases,
    aangevraagd_product,
    codes,
    jw301,
    jw315,
    jw317,
    nieuw_product,
    omvang,
    only,
    toegewezen_product,
)
from wijkzicht.ijw.basis import Product
from wijkzicht.ijw.rules import check_message
from wijkzicht.ijw.rules.base import Ctx
from wijkzicht.ijw.rules.products import same_product, tr302

CASES = Cases()
TP1 = "JW301/Client/ToegewezenProducten/ToegewezenProduct[1]"
TP2 = "JW301/Client/ToegewezenProducten/ToegewezenProduct[2]"
AP1 = "JW315/Client/AangevraagdeProducten/AangevraagdProduct[1]"
AP2 = "JW315/Client/AangevraagdeProducten/AangevraagdProduct[2]"
TW1 = "JW317/Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct[1]"
NP1 = "JW317/Client/Verzoek/NieuweProducten/NieuwProduct[1]"


def tp(m, i=0):
    return m.client.toegewezen_producten[i]


def ap(m, i=0):
    return m.client.aangevraagde_producten[i]


def tw(m):
    return m.client.verzoek.te_wijzigen_producten[0]


def np_(m):
    return m.client.verzoek.nieuwe_producten[0]


# --------------------------------------------------------------------------- CS003


@CASES("CS003", jw301, "Einddatum", "2025-03-09", path=f"{TP1}/Einddatum")
def toewijzing_ends_before_ingang(m):
    tp(m).einddatum = date(2025, 3, 9)


@CASES("CS003", jw315, "ToewijzingEinddatum", "2025-02-28", path=f"{AP1}/ToewijzingEinddatum")
def request_ends_before_it_begins(m):
    ap(m).toewijzing_einddatum = date(2025, 2, 28)


@CASES("CS003", jw317, "GewensteIngangsdatum", "2025-06-30", path=f"{TW1}/Einddatum")
def change_ends_before_it_begins(m):
    tw(m).einddatum = date(2025, 6, 30)


@CASES("CS003", jw317, "Einddatum", "2025-06-30", path=f"{NP1}/Einddatum")
def new_product_ends_before_it_begins(m):
    np_(m).einddatum = date(2025, 6, 30)


# --------------------------------------------------------------------------- CD041


@CASES("CD041", jw301, "Omvang", "45A03", path=f"{TP1}/Omvang")
def specific_toewijzing_without_omvang(m):
    tp(m).omvang = None


@CASES("CD041", jw315, "Omvang", "45A03", path=f"{AP1}/Omvang")
def specific_request_without_omvang(m):
    ap(m).omvang = None


@CASES("CD041", jw317, "Omvang", "45A05", path=f"{NP1}/Omvang")
def specific_new_product_without_omvang(m):
    np_(m).omvang = None


# --------------------------------------------------------------------------- CD079


@CASES("CD079", jw301, "Product", path=f"{TP2}/Product")
def toewijzing_without_product_or_budget(m):
    t = tp(m, 1)
    t.product, t.omvang = None, None
    t.ingangsdatum, t.einddatum = date(2026, 1, 1), date(2026, 6, 30)  # no overlap (TR302)


@CASES("CD079", jw315, "Budget", path=f"{AP2}/Product")
def request_without_product_or_budget(m):
    a = ap(m, 1)
    a.product, a.budget = None, None
    a.toewijzing_ingangsdatum = date(2025, 9, 1)  # after AangevraagdProduct[1] (TR386)


@CASES("CD079", jw317, "Product", path=f"{NP1}/Product")
def new_product_without_product_or_budget(m):
    np_(m).product, np_(m).omvang = None, None


# --------------------------------------------------------------------------- CD075 / CD076


@CASES("CD075", jw301, "Budget", "500000", path=f"{TP2}/Einddatum")
def budget_toewijzing_without_end(m):
    m.client.toegewezen_producten[1] = toegewezen_product(
        2025002,
        categorie="54",
        code=None,
        ingang=date(2025, 4, 1),
        eind=None,
        volume=None,
        budget=500_000,
    )


@CASES("CD075", jw315, "ToewijzingEinddatum", "2500000", path=f"{AP2}/ToewijzingEinddatum")
def budget_request_without_end(m):
    ap(m, 1).toewijzing_einddatum = None


@CASES("CD075", jw317, "Einddatum", "30000", path=f"{TW1}/Einddatum")
def budget_change_without_end(m):
    t = tw(m)
    t.omvang, t.budget, t.einddatum = None, 30_000, None


@CASES("CD076", jw301, "Einddatum", "per week", path=f"{TP1}/Einddatum")
def weekly_toewijzing_without_end(m):
    tp(m).einddatum = None


@CASES("CD076", jw315, "ToewijzingEinddatum", "2 (per week)", path=f"{AP1}/ToewijzingEinddatum")
def weekly_request_without_end(m):
    ap(m).toewijzing_einddatum = None


@CASES("CD076", jw317, "Einddatum", "per week", path=f"{NP1}/Einddatum")
def weekly_new_product_without_end(m):
    np_(m).einddatum = None


@CASES("CD076", jw317, "Einddatum", "per week", path=f"{TW1}/Einddatum")
def weekly_change_without_end(m):
    tw(m).einddatum = None


def test_monthly_toewijzing_may_be_open_ended():
    m = jw301()
    tp(m).einddatum, tp(m).omvang = None, omvang(12, "04", "4")
    assert check_message(m) == []


# --------------------------------------------------------------------------- CD077 / CD078


@pytest.mark.parametrize(
    ("builder", "mutate", "where"),
    [
        (jw301, lambda m: setattr(tp(m), "budget", 120_000), TP1),
        (jw315, lambda m: setattr(ap(m), "budget", 80_000), AP1),
        (jw317, lambda m: setattr(tw(m), "budget", 60_000), TW1),
        (jw317, lambda m: setattr(np_(m), "budget", 40_000), NP1),
    ],
    ids=["JW301", "JW315", "JW317-TeWijzigen", "JW317-Nieuw"],
)
def test_cd077_cd078_budget_and_omvang_exclude_each_other(builder, mutate, where):
    # One condition seen from both elements: a class with both breaks CD077 (on Omvang) and
    # CD078 (on Budget); neither can be broken alone.
    m = builder()
    mutate(m)
    errors = check_message(m)
    assert {(e.rule, e.path) for e in errors} == {
        ("CD077", f"{where}/Omvang"),
        ("CD078", f"{where}/Budget"),
    }
    for e in errors:
        assert "Omvang" in e.en and "Budget" in e.en and "Omvang" in e.nl and "Budget" in e.nl
        assert "Volume" in e.en and str(m.code) in e.path


# --------------------------------------------------------------------------- CD080 / CD095 / CD096


@CASES("CD080", jw301, "Omvang", "Volume 10", path=f"{TP2}/Omvang")
def aspecific_toewijzing_with_omvang(m):
    tp(m, 1).product.code = None


@CASES("CD095", jw315, "ToewijzingEinddatum", "2025-12-31", path=f"{AP2}/Omvang")
def aspecific_request_with_omvang(m):
    a = ap(m, 1)
    a.budget, a.omvang = None, omvang(4, "04", "4")


@CASES("CD096", jw317, "Einddatum", "2025-12-31", path=f"{NP1}/Omvang")
def aspecific_new_product_with_omvang(m):
    np_(m).product.code = None


def test_cd080_does_not_apply_to_toewijzingen_ending_before_2021():
    m = jw301()
    t = tp(m, 1)
    t.product.code = None
    t.ingangsdatum, t.einddatum = date(2020, 7, 1), date(2020, 12, 31)
    assert check_message(m) == []
    t.einddatum = date(2021, 1, 1)
    only(m, "CD080", value="2021-01-01")


# --------------------------------------------------------------------------- CS338 / CS343


@CASES("CS338", jw301, "Frequentie", "Eenheid 14", path=f"{TP1}/Omvang/Frequentie")
def daily_etmaal_toewijzing(m):
    tp(m).omvang = omvang(1, "14", "1")


@CASES("CS338", jw317, "Frequentie", "Eenheid 84", path=f"{TW1}/Omvang/Frequentie")
def daily_stuks_change(m):
    tw(m).omvang = omvang(2, "84", "1")


@CASES("CS338", jw317, "Frequentie", "Eenheid 83", path=f"{NP1}/Omvang/Frequentie")
def daily_euros_new_product(m):
    np_(m).omvang = omvang(2500, "83", "1")


@CASES("CS343", jw315, "Frequentie", "Eenheid 16", path=f"{AP1}/Omvang/Frequentie")
def daily_dagdeel_request(m):
    ap(m).omvang = omvang(1, "16", "1")


@pytest.mark.parametrize("eenheid", ["01", "04", "82"])
def test_cs338_other_units_may_be_daily(eenheid):
    m = jw301()
    tp(m).omvang = omvang(1, eenheid, "1")
    assert check_message(m) == []


def test_cs338_not_for_toewijzingen_ending_before_2021():
    m = jw301()
    t = tp(m)
    t.omvang = omvang(1, "14", "1")
    t.ingangsdatum, t.einddatum = date(2020, 9, 1), date(2020, 12, 31)
    assert check_message(m) == []


# --------------------------------------------------------------------------- CS335 / CS336


@CASES("CS335", jw301, "RedenWijziging 13", "2025-09-30", path=f"{TP2}/RedenWijziging")
def removed_without_equal_dates(m):
    tp(m, 1).reden_wijziging = "13"


@CASES("CS336", jw301, "RedenWijziging 01", "01", path=f"{TP2}/RedenWijziging")
def obsolete_administrative_correction(m):
    tp(m, 1).reden_wijziging = "01"


def test_cs335_removed_toewijzing_with_equal_dates_passes():
    m = jw301()
    tp(m, 1).reden_wijziging = "13"
    tp(m, 1).einddatum = tp(m, 1).ingangsdatum
    assert check_message(m) == []


# --------------------------------------------------------------------------- TR302 / TR386 / TR410


@CASES("TR302", jw301, "Product", "45/45A03", path=f"{TP2}/Product")
def same_code_overlapping(m):
    m.client.toegewezen_producten[1] = toegewezen_product(2025002, ingang=date(2025, 12, 1))


@CASES("TR302", jw301, "Product", "45")
def same_category_overlapping(m):
    m.client.toegewezen_producten[1] = toegewezen_product(
        2025002, code=None, volume=None, budget=400_000, ingang=date(2025, 6, 1)
    )


@CASES("TR302", jw301, "Product", "(none)")
def generic_overlaps_any_product(m):
    m.client.toegewezen_producten[1] = toegewezen_product(
        2025002, categorie=None, volume=None, budget=400_000, ingang=date(2025, 6, 1)
    )


@CASES("TR302", jw301, "ToegewezenProduct[1]", "open")
def open_ended_overlaps_later(m):
    t = tp(m)
    t.einddatum, t.omvang = None, omvang(12, "04", "4")
    m.client.toegewezen_producten[1] = toegewezen_product(
        2025002, ingang=date(2027, 1, 1), eind=date(2027, 6, 30)
    )


@CASES("TR386", jw315, "Product", "45", path=f"{AP2}/Product")
def request_same_category_overlapping(m):
    ap(m, 1).product = Product(categorie="45")


@CASES(
    "TR410",
    jw317,
    "Product",
    "45/45A05",
    path="JW317/Client/Verzoek/NieuweProducten/NieuwProduct[2]/Product",
)
def new_products_overlapping(m):
    m.client.verzoek.nieuwe_producten.append(nieuw_product(ingang=date(2025, 10, 1)))


def test_tr302_adjacent_periods_do_not_overlap():
    m = jw301()
    m.client.toegewezen_producten[1] = toegewezen_product(
        2025002, ingang=date(2026, 1, 1), eind=date(2026, 6, 30)
    )
    assert check_message(m) == []
    m.client.toegewezen_producten[1].ingangsdatum = date(2025, 12, 31)  # one shared day
    only(m, "TR302")


def test_tr302_removed_toewijzing_does_not_count():
    m = jw301()
    removed = toegewezen_product(2025002, ingang=date(2025, 5, 1), eind=date(2025, 5, 1))
    removed.reden_wijziging = "13"
    corrected = toegewezen_product(2025003, categorie="54", code="54B12", ingang=date(2025, 5, 1))
    m.client.toegewezen_producten[1:] = [removed, corrected]
    assert check_message(m) == []


def test_tr386_third_request_reported_once():
    m = jw315()
    m.client.aangevraagde_producten.append(
        aangevraagd_product("VOT-2025-0044", ingang=date(2025, 4, 1))
    )
    errors = check_message(m)
    assert [(e.rule, e.path) for e in errors] == [("TR386", f"{AP1[:-3]}[3]/Product")]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (Product(categorie="45", code="45A03"), Product(categorie="45", code="45A03"), True),
        (Product(categorie="45", code="45A03"), Product(categorie="45", code="45A04"), False),
        (Product(categorie="45", code="45A03"), Product(categorie="45"), True),
        (Product(categorie="45"), Product(categorie="54"), False),
        (None, Product(categorie="54", code="54B12"), True),
        (None, None, True),
    ],
)
def test_same_product(a, b, same):
    assert same_product(a, b) is same
    assert same_product(b, a) is same


def test_tr302_function_without_a_message():
    ctx = Ctx("JW301", date(2025, 1, 1))
    p = Product(categorie="45", code="45A03")
    entries = [(1, p, date(2025, 1, 1), date(2025, 3, 31)), (2, p, date(2025, 3, 31), None)]
    tr302(ctx, "X", "ToegewezenProduct", entries)
    assert [e.path for e in ctx.errors] == ["X/ToegewezenProduct[2]/Product"]
    assert "2025-03-31..open" in ctx.errors[0].en


# ------------------------------------------------------------------ TR101 on ToegewezenProduct


@CASES("TR101", jw301, "ToewijzingNummer", "2025001", path=TP2)
def toewijzing_number_twice(m):
    tp(m, 1).toewijzing_nummer = 2025001


def test_products_of_other_messages_are_not_mixed():
    # The toewijzing shape rules need no other message; a valid VOT stays valid when checked alone.
    assert codes(jw315()) == set()


@pytest.mark.parametrize("case", CASES.params())
def test_breaks_only_this_rule(case: Case):
    case.run()
