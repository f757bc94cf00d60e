"""JW301 contact rules: CD005, CD025, CD034, CS089, CD009, TR006, TR061, CS003 on Periode."""

from __future__ import annotations

from datetime import date

import pytest

from builders import Case, Cases, jw301, telefoon
from wijkzicht.ijw.basis import Adres, OpenPeriode
from wijkzicht.ijw.rules import check_message

CASES = Cases()
BRP = "JW301/Client/Contactgegevens/Contact[1]"  # Soort 01, NL address with phone
TIJDELIJK = "JW301/Client/Contactgegevens/Contact[2]"  # Soort 04, NL address, no phone
RELATIE = "JW301/Client/Relaties/Relatie[1]/Contact"  # Soort 02, NL address with phone


@CASES("CD005", jw301, "LandCode", "3521AB", path=f"{BRP}/Adres/LandCode")
def postcode_without_landcode(m):
    m.client.contactgegevens[0].adres.land_code = None


@CASES("CD005", jw301, "LandCode", "NL", path=f"{RELATIE}/Adres/LandCode")
def landcode_without_postcode(m):
    m.client.relaties[0].contact.adres.postcode = None  # correspondentie-adres, phone present


@CASES("CD025", jw301, "Huis", "NL", path=f"{BRP}/Adres/Huis")
def dutch_address_without_house(m):
    m.client.contactgegevens[0].adres.huis = None


@CASES("CD034", jw301, "Postcode", "01", path=f"{BRP}/Adres/Postcode")
def brp_address_without_postcode(m):
    m.client.contactgegevens[0].adres = Adres(straatnaam="Kanaalweg", plaatsnaam="Utrecht")


@CASES("CD034", jw301, "Postcode", "03")
def verblijf_contact_without_address(m):
    # Reading of CD034: the condition is on Soort alone, so no Adres at all misses it too.
    c = m.client.contactgegevens[0]
    c.soort, c.adres = "03", None


@CASES("CS089", jw301, "Postcode", "3521 AB", path=f"{BRP}/Adres/Postcode")
def dutch_postcode_with_space(m):
    m.client.contactgegevens[0].adres.postcode = "3521 AB"


@CASES("CS089", jw301, "Postcode", "0521AB")
def dutch_postcode_leading_zero(m):
    m.client.contactgegevens[0].adres.postcode = "0521AB"


@CASES("CD009", jw301, "Periode", "01", path=f"{BRP}/Periode")
def periode_on_brp_address(m):
    m.client.contactgegevens[0].periode = OpenPeriode(begindatum=date(2025, 1, 1))


@CASES("TR006", jw301, "Telefoon", "04", path=TIJDELIJK)
def contact_without_phone_or_address(m):
    m.client.contactgegevens[1].adres = None


@CASES("TR006", jw301, "Postcode", "04")
def foreign_address_without_house_or_phone(m):
    antwerpen = Adres(postcode="2000", plaatsnaam="Antwerpen", land_code="BE")
    m.client.contactgegevens[1].adres = antwerpen


@CASES("TR061", jw301, "Soort", "04", path="JW301/Client/Contactgegevens")
def only_a_temporary_address(m):
    del m.client.contactgegevens[0]


@CASES("CS003", jw301, "Einddatum", "2025-01-31", path=f"{TIJDELIJK}/Periode/Einddatum")
def periode_ends_before_it_begins(m):
    m.client.contactgegevens[1].periode.einddatum = date(2025, 1, 31)


@pytest.mark.parametrize("case", CASES.params())
def test_breaks_only_this_rule(case: Case):
    case.run()


def test_foreign_postcode_is_not_checked_as_dutch():
    m = jw301()
    a = m.client.contactgegevens[0].adres
    a.postcode, a.plaatsnaam, a.land_code, a.straatnaam = "1000", "Brussel", "BE", "Rue Neuve"
    assert check_message(m) == []


def test_phone_alone_is_enough_for_a_correspondence_contact():
    m = jw301()
    c = m.client.relaties[0].contact
    c.adres, c.telefoon = None, telefoon("0687654321")
    assert check_message(m) == []


@pytest.mark.parametrize("postcode", ["3521AB", "9999xx", "1000AA"])
def test_valid_dutch_postcodes(postcode):
    m = jw301()
    m.client.contactgegevens[0].adres.postcode = postcode
    assert check_message(m) == []
