"""Rules on persons: CS002 (BSN), TR002/CS139/TR134 (birth date), CS050/CS318 (names), CD007."""

from __future__ import annotations

from datetime import date

import pytest

from builders import (
    INVALID_BSN,
    Case,
    Cases,
    jw301,
    jw305,
    jw307,
    jw315,
    jw317,
    jw323,
    jw325,
    only,
)
from wijkzicht.ijw.basis import Achternaam, Communicatie, Geboortedatum
from wijkzicht.ijw.rules import check_message

CASES = Cases()


# --------------------------------------------------------------------------- CS002


@CASES("CS002", jw301, "Bsn", INVALID_BSN, path="JW301/Client/Bsn")
def bsn_301(m):
    m.client.bsn = INVALID_BSN


@CASES("CS002", jw305, "Bsn", INVALID_BSN, path="JW305/Client/Bsn")
def bsn_305(m):
    m.client.bsn = INVALID_BSN


@CASES("CS002", jw307, "Bsn", INVALID_BSN, path="JW307/Client/Bsn")
def bsn_307(m):
    m.client.bsn = INVALID_BSN


@CASES("CS002", jw315, "Bsn", INVALID_BSN, path="JW315/Client/Bsn")
def bsn_315(m):
    m.client.bsn = INVALID_BSN


@CASES("CS002", jw317, "Bsn", "000000000", path="JW317/Client/Bsn")
def bsn_317_zeros(m):
    m.client.bsn = "000000000"  # passes the sum but is never a BSN


@CASES("CS002", jw323, "Bsn", INVALID_BSN, path="JW323/Declaratie/Clienten/Client[2]/Bsn")
def bsn_323(m):
    m.declaratie.clienten[1].bsn = INVALID_BSN


@CASES("CS002", jw325, "Bsn", INVALID_BSN, path="JW325/DeclaratieAntwoord/Clienten/Client[1]/Bsn")
def bsn_325(m):
    m.declaratie_antwoord.clienten[0].bsn = INVALID_BSN


# --------------------------------------------------------------------------- TR134 birth dates


@CASES("TR134", jw301, "Geboortedatum", "2025-03-04", path="JW301/Client/Geboortedatum/Datum")
def born_after_dagtekening_301(m):
    m.client.geboortedatum.datum = date(2025, 3, 4)


@CASES(
    "TR134",
    jw301,
    "Geboortedatum",
    "2025-04-01",
    path="JW301/Client/Relaties/Relatie[1]/Geboortedatum/Datum",
)
def relatie_born_after_dagtekening(m):
    m.client.relaties[0].geboortedatum.datum = date(2025, 4, 1)


@CASES("TR134", jw305, "Geboortedatum", "2025-04-08")
def born_after_dagtekening_305(m):
    m.client.geboortedatum.datum = date(2025, 4, 8)


@CASES("TR134", jw307, "Geboortedatum", "2025-10-07")
def born_after_dagtekening_307(m):
    m.client.geboortedatum.datum = date(2025, 10, 7)


@CASES("TR134", jw315, "Geboortedatum", "2025-02-15")
def born_after_dagtekening_315(m):
    m.client.geboortedatum = Geboortedatum(datum=date(2025, 2, 15))


# --------------------------------------------------------------------------- TR002


@CASES("TR002", jw301, "Geboortedatum", "1904-05-05", path="JW301/Client/Geboortedatum/Datum")
def older_than_120_301(m):
    m.client.geboortedatum.datum = date(1904, 5, 5)


@CASES("TR002", jw301, "Geboortedatum", "1903-01-01")
def relatie_older_than_120(m):
    m.client.relaties[0].geboortedatum.datum = date(1903, 1, 1)


@CASES("TR002", jw305, "Geboortedatum", "1900-01-01")
def year_1900_but_known_305(m):
    m.client.geboortedatum.datum = date(1900, 1, 1)  # without DatumGebruik 3 it is a real date


@CASES("TR002", jw307, "Geboortedatum", "1899-12-31")
def older_than_120_307(m):
    m.client.geboortedatum.datum = date(1899, 12, 31)


@CASES("TR002", jw315, "Geboortedatum", "1901-01-01")
def older_than_120_315(m):
    m.client.geboortedatum.datum = date(1901, 1, 1)  # DatumGebruik 2 fits 01-01


def test_tr002_boundary_is_exactly_120_years():
    m = jw301()  # Dagtekening 2025-03-03
    m.client.geboortedatum.datum = date(1905, 3, 3)
    assert check_message(m) == []
    m.client.geboortedatum.datum = date(1905, 3, 2)
    only(m, "TR002")


def test_tr002_unknown_birth_date_is_exempt():
    m = jw301()
    m.client.geboortedatum = Geboortedatum(datum=date(1900, 1, 1), datum_gebruik="3")
    assert check_message(m) == []


def test_tr002_dagtekening_on_29_february():
    m = jw305()
    m.header.bericht_identificatie.dagtekening = date(2020, 2, 29)
    for sp in m.client.start_producten:
        sp.begindatum = date(2020, 2, 3)
    m.client.geboortedatum.datum = date(1900, 2, 28)  # 1900 has no 29 February
    assert check_message(m) == []
    m.client.geboortedatum.datum = date(1900, 2, 27)
    only(m, "TR002", value="1900-02-27")


# --------------------------------------------------------------------------- CS139


@CASES("CS139", jw301, "DatumGebruik 3", "2012-06-18", path="JW301/Client/Geboortedatum/Datum")
def unknown_but_dated(m):
    m.client.geboortedatum.datum_gebruik = "3"


@CASES("CS139", jw315, "DatumGebruik 2", "2009-06-01")
def month_unknown_not_january(m):
    m.client.geboortedatum.datum = date(2009, 6, 1)


@CASES("CS139", jw305, "DatumGebruik 1", "2012-06-18")
def day_unknown_not_first(m):
    m.client.geboortedatum.datum_gebruik = "1"


@CASES("CS139", jw301, "DatumGebruik 1", "1984-11-02")
def relatie_day_unknown(m):
    m.client.relaties[0].geboortedatum.datum_gebruik = "1"


@CASES("CS139", jw307, "DatumGebruik 2", "2012-01-18")
def month_unknown_day_known(m):
    m.client.geboortedatum = Geboortedatum(datum=date(2012, 1, 18), datum_gebruik="2")


@pytest.mark.parametrize(
    ("datum", "gebruik"),
    [
        (date(2012, 6, 1), "1"),
        (date(2012, 1, 1), "2"),
        (date(1900, 1, 1), "3"),
        (date(2012, 1, 1), "1"),
    ],
)
def test_cs139_consistent_dates_pass(datum, gebruik):
    m = jw301()
    m.client.geboortedatum = Geboortedatum(datum=datum, datum_gebruik=gebruik)
    assert check_message(m) == []


# --------------------------------------------------------------------------- names


@CASES("CS050", jw301, "NaamGebruik", "2", path="JW301/Client/Naam/NaamGebruik")
def partner_name_use_without_partner(m):
    m.client.naam.naam_gebruik = "2"


@CASES("CS050", jw301, "NaamGebruik", "5", path="JW301/Client/Relaties/Relatie[1]/Naam/NaamGebruik")
def relatie_pseudonym_with_partner(m):
    m.client.relaties[0].naam.partnernaam = Achternaam(achternaam="Visser")
    m.client.relaties[0].naam.naam_gebruik = "5"


@CASES("CS050", jw301, "NaamGebruik", "6")
def relatie_non_natural_with_partner(m):
    # For the client this breaks CS318 too (see below); for a relation only CS050.
    m.client.relaties[0].naam.partnernaam = Achternaam(achternaam="Visser")
    m.client.relaties[0].naam.naam_gebruik = "6"


@CASES("CS318", jw301, "NaamGebruik 6", "6", path="JW301/Client/Naam/NaamGebruik")
def client_non_natural_person(m):
    m.client.naam.naam_gebruik = "6"


def test_relatie_may_be_non_natural_person():
    m = jw301()
    m.client.relaties[0].naam.naam_gebruik = "6"  # e.g. a bewindvoerder organisation
    assert check_message(m) == []


@pytest.mark.parametrize("use", ["1", "2", "3", "4"])
def test_cs050_partner_name_uses(use):
    m = jw301()
    m.client.naam.partnernaam = Achternaam(achternaam="Yilmaz")
    m.client.naam.naam_gebruik = use
    assert check_message(m) == []


def test_client_non_natural_person_with_partner_breaks_both():
    m = jw301()
    m.client.naam.partnernaam = Achternaam(achternaam="Yilmaz")
    m.client.naam.naam_gebruik = "6"
    assert {e.rule for e in check_message(m)} == {"CS050", "CS318"}


# --------------------------------------------------------------------------- CD007


@CASES("CD007", jw301, "Taal", path="JW301/Client/Communicatie/Taal")
def interpreter_without_language(m):
    m.client.communicatie.taal = None


@CASES("CD007", jw301, "Taal", "Pools")
def language_with_sign_interpreter(m):
    m.client.communicatie = Communicatie(vorm="2", taal="Pools")


def test_sign_interpreter_without_language_passes():
    m = jw301()
    m.client.communicatie = Communicatie(vorm="2")
    assert check_message(m) == []


@pytest.mark.parametrize("case", CASES.params())
def test_breaks_only_this_rule(case: Case):
    case.run()
