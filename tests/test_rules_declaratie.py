"""JW323 Declaratie and JW325 Declaratie-antwoord: CS340, CS100, CS337, TR319, TR335, CD087,
CS339, CD060, CS325, TR315, TR316, TR416, TR358, TR342, TR134/TR137 and TR101."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from builders import BSN_SANNE, Case, Cases, codes, jw323, jw325, only, prestatie
from wijkzicht.ijw.basis import GeslotenPeriode
from wijkzicht.ijw.rules import check_message
from wijkzicht.ijw.rules.declaratie import signed

CASES = Cases()
D = "JW323/Declaratie"
P1 = f"{D}/Clienten/Client[1]/Prestaties/Prestatie[1]"  # debet, 12 uur April, 102 600
P2 = f"{D}/Clienten/Client[1]/Prestaties/Prestatie[2]"  # credit, 4 uur March, 34 200
P3 = f"{D}/Clienten/Client[2]/Prestaties/Prestatie[1]"  # debet, 25 000 euro's (Eenheid 83)
DA = "JW325/DeclaratieAntwoord"
DAP = f"{DA}/Clienten/Client[1]/Prestaties/Prestatie[1]"


def pr(m, client=0, i=0):
    return m.declaratie.clienten[client].prestaties[i]


def retotal(m) -> None:
    """Make TotaalIngediendBedrag the signed sum of the prestaties again (TR358)."""
    total = sum(
        signed(p.ingediend_bedrag.bedrag, p.ingediend_bedrag.debet_credit)
        for c in m.declaratie.clienten
        for p in c.prestaties
    )
    t = m.declaratie.totaal_ingediend_bedrag
    t.totaal_bedrag, t.debet_credit = abs(total), "D" if total >= 0 else "C"


def move(m, header: date, periode: tuple[date, date], dagtekening: date) -> None:
    m.header.bericht_identificatie.dagtekening = header
    m.declaratie.declaratie_periode = GeslotenPeriode(begindatum=periode[0], einddatum=periode[1])
    m.declaratie.declaratie_dagtekening = dagtekening


def set_period(p, begin: date, end: date) -> None:
    p.product_periode = GeslotenPeriode(begindatum=begin, einddatum=end)


# --------------------------------------------------------------------------- periods


@CASES("CS340", jw323, "DeclaratiePeriode", "2025-04-02..2025-04-30", path=f"{D}/DeclaratiePeriode")
def period_not_from_the_first(m):
    m.declaratie.declaratie_periode.begindatum = date(2025, 4, 2)


@CASES("CS340", jw323, "DeclaratiePeriode", "2025-03-01..2025-04-30")
def period_of_two_months(m):
    m.declaratie.declaratie_periode.begindatum = date(2025, 3, 1)


@CASES("CS100", jw323, "ProductPeriode", "2020-12-01", path=f"{P2}/ProductPeriode/Begindatum")
def late_credit_before_2021(m):
    set_period(pr(m, 0, 1), date(2020, 12, 1), date(2020, 12, 31))


@CASES("CS100", jw323, "Begindatum", "2020-12-01", path=f"{D}/DeclaratiePeriode/Begindatum")
def whole_claim_in_december_2020(m):
    move(m, date(2021, 1, 6), (date(2020, 12, 1), date(2020, 12, 31)), date(2021, 1, 6))
    set_period(pr(m, 0, 0), date(2020, 12, 1), date(2020, 12, 31))
    set_period(pr(m, 0, 1), date(2020, 12, 1), date(2020, 12, 15))
    set_period(pr(m, 1, 0), date(2020, 12, 1), date(2020, 12, 31))


@CASES(
    "CS337", jw323, "ProductPeriode Einddatum", "2025-03-31", path=f"{P2}/ProductPeriode/Einddatum"
)
def prestatie_spans_two_months(m):
    set_period(pr(m, 0, 1), date(2025, 2, 20), date(2025, 3, 31))


@CASES("TR319", jw323, "ProductPeriode", "2025-05-01..2025-05-05", path=f"{P1}/ProductPeriode")
def prestatie_after_declaratieperiode(m):
    set_period(pr(m), date(2025, 5, 1), date(2025, 5, 5))


@CASES("TR335", jw323, "DeclaratieDagtekening", "2025-11-30", path=f"{P2}/ProductPeriode/Einddatum")
def credit_more_than_five_years_late(m):
    move(m, date(2031, 1, 10), (date(2030, 12, 1), date(2030, 12, 31)), date(2031, 1, 10))
    set_period(pr(m, 0, 0), date(2030, 12, 1), date(2030, 12, 31))
    set_period(pr(m, 0, 1), date(2025, 11, 17), date(2025, 11, 30))
    set_period(pr(m, 1, 0), date(2030, 12, 1), date(2030, 12, 31))


def test_tr335_boundary_is_exactly_five_years():
    m = jw323()
    m.declaratie.declaratie_dagtekening = date(2025, 5, 6)
    set_period(pr(m, 0, 1), date(2020, 5, 1), date(2020, 5, 6))
    assert codes(m) == {"CS100"}  # 2020 is before 2021, but exactly 5 years is allowed
    set_period(pr(m, 0, 1), date(2020, 5, 1), date(2020, 5, 5))
    assert codes(m) == {"CS100", "TR335"}


@CASES(
    "TR137", jw323, "ProductPeriode Einddatum", "2025-04-05", path=f"{P1}/ProductPeriode/Einddatum"
)
def product_period_ends_before_it_begins(m):
    set_period(pr(m), date(2025, 4, 10), date(2025, 4, 5))


@CASES("TR137", jw323, "Dagtekening", "2025-04-30", path=f"{D}/DeclaratiePeriode/Einddatum")
def claim_sent_before_the_month_ended(m):
    m.header.bericht_identificatie.dagtekening = date(2025, 4, 29)


@CASES("TR137", jw325, "Dagtekening", "2025-04-30", path=f"{DAP}/ProductPeriode/Einddatum")
def answer_dated_before_the_prestatie_ended(m):
    m.header.bericht_identificatie.dagtekening = date(2025, 4, 29)


def test_tr134_on_a_period_begin_comes_with_tr137_on_its_end():
    # A Begindatum after the Dagtekening drags the Einddatum (≥ Begindatum) along: both rules.
    m = jw323()
    m.header.bericht_identificatie.dagtekening = date(2025, 3, 31)
    errors = check_message(m)
    assert {e.rule for e in errors} == {"TR134", "TR137"}
    assert f"{D}/DeclaratiePeriode/Begindatum" in {e.path for e in errors if e.rule == "TR134"}
    m = jw325()
    m.header.bericht_identificatie.dagtekening = date(2025, 3, 31)
    assert codes(m) == {"TR134", "TR137"}


# --------------------------------------------------------------------------- amounts


@CASES("CD087", jw323, "ProductTarief", "04", path=f"{P1}/ProductTarief")
def hours_without_tariff(m):
    pr(m).product_tarief = None


@CASES("CD087", jw323, "ProductTarief", "2500", path=f"{P3}/ProductTarief")
def euros_with_tariff(m):
    pr(m, 1).product_tarief = 2500


@CASES("CS339", jw323, "GeleverdVolume", "25100", path=f"{P3}/IngediendBedrag/Bedrag")
def euros_amount_differs_from_volume(m):
    pr(m, 1).ingediend_bedrag.bedrag = 25_100
    retotal(m)


@CASES(
    "CD060",
    jw323,
    "VorigReferentieNummer",
    "P2025-000102",
    path=f"{P2}/ProductReferentie/VorigReferentieNummer",
)
def credit_without_previous_reference(m):
    pr(m, 0, 1).product_referentie.vorig_referentie_nummer = None


@CASES("CD060", jw323, "VorigReferentieNummer", "P2025-000001")
def debet_with_previous_reference(m):
    pr(m).product_referentie.vorig_referentie_nummer = "P2025-000001"


@CASES(
    "CD060",
    jw325,
    "VorigReferentieNummer",
    "P2025-000099",
    path=f"{DAP}/ProductReferentie/VorigReferentieNummer",
)
def answer_debet_with_previous_reference(m):
    m.declaratie_antwoord.clienten[0].prestaties[
        0
    ].product_referentie.vorig_referentie_nummer = "P2025-000099"


@CASES("CS325", jw323, "IngediendBedrag", "C", path=f"{P2}/IngediendBedrag/DebetCredit")
def zero_credit(m):
    pr(m, 0, 1).ingediend_bedrag.bedrag = 0
    retotal(m)


@CASES("CS325", jw323, "TotaalIngediendBedrag", "C", path=f"{D}/TotaalIngediendBedrag/DebetCredit")
def zero_total_as_credit(m):
    pr(m).ingediend_bedrag.bedrag = 0
    del m.declaratie.clienten[1]
    del m.declaratie.clienten[0].prestaties[1]
    m.declaratie.totaal_ingediend_bedrag.totaal_bedrag = 0
    m.declaratie.totaal_ingediend_bedrag.debet_credit = "C"


@CASES("CS325", jw325, "TotaalToegekendBedrag", "C", path=f"{DA}/TotaalToegekendBedrag/DebetCredit")
def nothing_granted_as_credit(m):
    da = m.declaratie_antwoord
    da.totaal_toegekend_bedrag.totaal_bedrag, da.totaal_toegekend_bedrag.debet_credit = 0, "C"
    da.totaal_ingediend_bedrag.totaal_bedrag = 25_000  # only the rejected prestatie was claimed


@CASES(
    "TR358",
    jw323,
    "TotaalIngediendBedrag",
    "93500 D",
    path=f"{D}/TotaalIngediendBedrag/TotaalBedrag",
)
def total_off_by_one_euro(m):
    m.declaratie.totaal_ingediend_bedrag.totaal_bedrag = 93_500


@CASES("TR358", jw323, "TotaalIngediendBedrag", "93400 C")
def total_with_wrong_sign(m):
    m.declaratie.totaal_ingediend_bedrag.debet_credit = "C"


@CASES(
    "TR315",
    jw323,
    "VorigReferentieNummer",
    "P2025-000031",
    path=f"{D}/Clienten/Client[1]/Prestaties/Prestatie[3]/ProductReferentie/VorigReferentieNummer",
)
def same_debet_credited_twice(m):
    again = copy.deepcopy(pr(m, 0, 1))
    again.product_referentie.referentie_nummer = "P2025-000104"
    m.declaratie.clienten[0].prestaties.append(again)
    retotal(m)


@CASES(
    "TR316",
    jw323,
    "VorigReferentieNummer",
    "P2025-000101",
    path=f"{P2}/ProductReferentie/VorigReferentieNummer",
)
def credit_of_a_debet_in_the_same_message(m):
    pr(m, 0, 1).product_referentie.vorig_referentie_nummer = "P2025-000101"


@CASES(
    "TR416",
    jw323,
    "ToewijzingNummer 2025001",
    "2025-04-01..2025-04-30",
    path=f"{D}/Clienten/Client[1]/Prestaties/Prestatie[3]",
)
def same_debet_claimed_twice(m):
    m.declaratie.clienten[0].prestaties.append(prestatie("P2025-000104"))
    retotal(m)


@CASES(
    "TR101",
    jw323,
    "ReferentieNummer",
    "P2025-000101",
    path=f"{D}/Clienten/Client[1]/Prestaties/Prestatie[3]",
)
def reference_number_repeated_for_another_month(m):
    m.declaratie.clienten[0].prestaties.append(
        prestatie("P2025-000101", begin=date(2025, 3, 17), eind=date(2025, 3, 31))
    )
    retotal(m)


@CASES("TR101", jw323, "Bsn", BSN_SANNE, path=f"{D}/Clienten/Client[2]")
def client_listed_twice(m):
    m.declaratie.clienten[1].bsn = BSN_SANNE


@CASES("TR101", jw325, "ReferentieNummer", "P2025-000103")
def rejected_prestatie_listed_twice(m):
    da = m.declaratie_antwoord
    da.clienten[0].prestaties.append(copy.deepcopy(da.clienten[0].prestaties[0]))
    da.totaal_toegekend_bedrag.totaal_bedrag = 43_400


def test_a_debet_may_be_claimed_again_for_another_client_number():
    m = jw323()
    m.declaratie.clienten[1].prestaties.append(prestatie("P2025-000104", nummer=2025045))
    retotal(m)
    assert check_message(m) == []


# --------------------------------------------------------------------------- JW325 TR342


@CASES(
    "TR342",
    jw325,
    "TotaalToegekendBedrag",
    "70000 D",
    path=f"{DA}/TotaalToegekendBedrag/TotaalBedrag",
)
def granted_does_not_match_rejections(m):
    m.declaratie_antwoord.totaal_toegekend_bedrag.totaal_bedrag = 70_000


@CASES("TR342", jw325, "TotaalToegekendBedrag", "68400 D")
def rejected_answer_grants_something(m):
    da = m.declaratie_antwoord
    da.retour_codes, da.clienten = ["9367"], []


def test_rejected_answer_grants_nothing():
    m = jw325()
    da = m.declaratie_antwoord
    da.retour_codes, da.clienten = ["9367"], []
    da.totaal_toegekend_bedrag.totaal_bedrag = 0
    assert check_message(m) == []


def test_fully_granted_answer():
    m = jw325()
    da = m.declaratie_antwoord
    da.retour_codes, da.clienten = ["8001"], []
    da.totaal_toegekend_bedrag.totaal_bedrag = 93_400
    assert check_message(m) == []


def test_header_only_answer_has_nothing_to_check():
    m = jw325()
    m.declaratie_antwoord = None
    assert check_message(m) == []


def test_rejected_credit_counts_negative():
    m = jw325()
    da = m.declaratie_antwoord
    p = da.clienten[0].prestaties[0]
    p.ingediend_bedrag.debet_credit = "C"
    p.product_referentie.vorig_referentie_nummer = "P2025-000020"
    da.totaal_toegekend_bedrag.totaal_bedrag = 118_400  # 93 400 − (−25 000)
    assert check_message(m) == []


def test_reasons_name_both_totals():
    m = jw325()
    m.declaratie_antwoord.totaal_toegekend_bedrag.totaal_bedrag = 70_000
    (e,) = only(m, "TR342")
    assert "93400 D" in e.en and "25000 D" in e.en and "93400 D" in e.nl


@pytest.mark.parametrize("case", CASES.params())
def test_breaks_only_this_rule(case: Case):
    case.run()
