"""Factories of small, VALID iJw 3.2 messages with realistic (fictitious) Dutch data.

Every call returns fresh objects, so a test may change any field of the result. The messages
pass the XSD and every level-2 rule (tests/test_rules_*.py check both). BSNs are test numbers
999 9xx xxx that pass the eleven-test; AGB codes and references are made up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import Any

import pytest

from wijkzicht.ijw.basis import (
    Achternaam,
    Adres,
    BedragMetDC,
    BerichtIdentificatie,
    Communicatie,
    Geboortedatum,
    GeslotenPeriode,
    Huis,
    Omvang,
    OpenPeriode,
    Product,
    Referentie,
    Telefoon,
    Telefoonnummers,
    TotaalBedragMetDC,
    VerkorteNaam,
    Verwijzer,
    VolledigeNaam,
    XsdVersie,
)
from wijkzicht.ijw.errors import IjwError
from wijkzicht.ijw.headers import DeclaratieAntwoordHeader, Header
from wijkzicht.ijw.messages import (
    JW301,
    JW305,
    JW307,
    JW315,
    JW317,
    JW319,
    JW323,
    JW325,
    AangevraagdProduct,
    Antwoord,
    Client301,
    Client305,
    Client307,
    Client315,
    Client317,
    Client323,
    Client325,
    Contact,
    Declaratie,
    DeclaratieAntwoord,
    Message,
    NieuwProduct,
    OngewijzigdProduct,
    Prestatie,
    PrestatieRetour,
    Relatie,
    StartProduct,
    StopProduct,
    TeWijzigenProduct,
    ToegewezenProduct,
    Verzoek,
    Woonplaatsbeginsel,
)
from wijkzicht.ijw.rules import check_message

GEMEENTE = "0344"  # Utrecht
AANBIEDER = "41412345"  # fictitious AGB code of a jeugdhulpaanbieder
BSN_SANNE = "999900031"
BSN_DAAN = "999900043"
BSN_NOOR = "999900055"
INVALID_BSN = "999900032"  # fails the eleven-test


def header(
    bericht_code: str, afzender: str, ontvanger: str, dagtekening: date, identificatie: str
) -> Header:
    return Header(
        bericht_code=bericht_code,
        bericht_versie=3,
        bericht_subversie=2,
        afzender=afzender,
        ontvanger=ontvanger,
        bericht_identificatie=BerichtIdentificatie(
            identificatie=identificatie, dagtekening=dagtekening
        ),
        xsd_versie=XsdVersie(basisschema_xsd_versie="1.0.0", bericht_xsd_versie="1.0.0"),
    )


def naam_kort(
    achternaam: str, voornamen: str, voorletters: str, voorvoegsel: str | None = None
) -> VerkorteNaam:
    return VerkorteNaam(
        geslachtsnaam=Achternaam(achternaam=achternaam, voorvoegsel=voorvoegsel),
        voornamen=voornamen,
        voorletters=voorletters,
    )


def naam_vol(
    achternaam: str, voornamen: str, voorletters: str, voorvoegsel: str | None = None
) -> VolledigeNaam:
    return VolledigeNaam(
        geslachtsnaam=Achternaam(achternaam=achternaam, voorvoegsel=voorvoegsel),
        voornamen=voornamen,
        voorletters=voorletters,
        naam_gebruik="1",
    )


def adres_nl(
    huisnummer: int, postcode: str, straat: str, plaats: str, huisletter: str | None = None
) -> Adres:
    return Adres(
        huis=Huis(huisnummer=huisnummer, huisletter=huisletter),
        postcode=postcode,
        straatnaam=straat,
        plaatsnaam=plaats,
        land_code="NL",
    )


def telefoon(nummer: str) -> Telefoonnummers:
    return Telefoonnummers(telefoon01=Telefoon(telefoonnummer=nummer, landnummer="0031"))


def omvang(volume: int, eenheid: str = "04", frequentie: str = "2") -> Omvang:
    return Omvang(volume=volume, eenheid=eenheid, frequentie=frequentie)


# --------------------------------------------------------------------------- JW301


def toegewezen_product(
    nummer: int,
    categorie: str | None = "45",
    code: str | None = "45A03",
    ingang: date = date(2025, 3, 10),
    eind: date | None = date(2025, 12, 31),
    volume: int | None = 3,
    eenheid: str = "04",
    frequentie: str = "2",
    budget: int | None = None,
) -> ToegewezenProduct:
    return ToegewezenProduct(
        toewijzing_nummer=nummer,
        product=None if categorie is None else Product(categorie=categorie, code=code),
        toewijzingsdatum=date(2025, 3, 3),
        toewijzingstijd=time(10, 15, 0),
        ingangsdatum=ingang,
        einddatum=eind,
        omvang=None if volume is None else omvang(volume, eenheid, frequentie),
        budget=budget,
    )


def jw301() -> JW301:
    """Toewijzing from Utrecht: ambulante jeugdhulp 3 uur per week and 10 uur jeugd-ggz in total."""
    return JW301(
        header=header("436", GEMEENTE, AANBIEDER, date(2025, 3, 3), "TW2025-00317"),
        client=Client301(
            bsn=BSN_SANNE,
            geboortedatum=Geboortedatum(datum=date(2012, 6, 18)),
            geslacht="2",
            naam=naam_vol("Jansen", "Sanne Maria", "SM"),
            communicatie=Communicatie(vorm="1", taal="Arabisch"),
            relaties=[
                Relatie(
                    nummer="1",
                    volgorde=1,
                    soort="10",  # ouder
                    geboortedatum=Geboortedatum(datum=date(1984, 11, 2)),
                    geslacht="2",
                    naam=naam_vol("Jansen", "Marieke", "M"),
                    contact=Contact(
                        soort="02",
                        adres=adres_nl(12, "3521AB", "Kanaalweg", "Utrecht", huisletter="A"),
                        telefoon=telefoon("0612345678"),
                        emailadres="m.jansen@example.nl",
                    ),
                )
            ],
            contactgegevens=[
                Contact(
                    soort="01",
                    adres=adres_nl(12, "3521AB", "Kanaalweg", "Utrecht", huisletter="A"),
                    telefoon=telefoon("0301234567"),
                ),
                Contact(
                    soort="04",
                    adres=adres_nl(3, "3581KP", "Biltstraat", "Utrecht"),
                    organisatie="Logeerhuis De Linde",
                    periode=OpenPeriode(begindatum=date(2025, 2, 1), einddatum=date(2025, 4, 30)),
                ),
            ],
            toegewezen_producten=[
                toegewezen_product(2025001),
                toegewezen_product(
                    2025002,
                    categorie="54",
                    code="54B12",
                    ingang=date(2025, 4, 1),
                    eind=date(2025, 9, 30),
                    volume=10,
                    frequentie="6",
                ),
            ],
        ),
    )


# --------------------------------------------------------------------------- JW305 / JW307


def jw305() -> JW305:
    """Start of both products of the JW301 toewijzing."""
    return JW305(
        header=header("438", AANBIEDER, GEMEENTE, date(2025, 4, 7), "ST2025-0042"),
        client=Client305(
            bsn=BSN_SANNE,
            geboortedatum=Geboortedatum(datum=date(2012, 6, 18)),
            geslacht="2",
            naam=naam_kort("Jansen", "Sanne Maria", "SM"),
            start_producten=[
                StartProduct(
                    toewijzing_nummer=2025001,
                    product=Product(categorie="45", code="45A03"),
                    toewijzing_ingangsdatum=date(2025, 3, 10),
                    begindatum=date(2025, 3, 17),
                    status_aanlevering="1",
                ),
                StartProduct(
                    toewijzing_nummer=2025002,
                    product=Product(categorie="54", code="54B12"),
                    toewijzing_ingangsdatum=date(2025, 4, 1),
                    begindatum=date(2025, 4, 3),
                    status_aanlevering="1",
                ),
            ],
        ),
    )


def stop_product(
    nummer: int = 2025001,
    categorie: str = "45",
    code: str = "45A03",
    toewijzing_ingang: date = date(2025, 3, 10),
    begin: date = date(2025, 3, 17),
    reden: str = "31",
    eind: date = date(2025, 10, 3),
    status: str = "1",
) -> StopProduct:
    return StopProduct(
        toewijzing_nummer=nummer,
        product=Product(categorie=categorie, code=code),
        toewijzing_ingangsdatum=toewijzing_ingang,
        begindatum=begin,
        reden_beeindiging=reden,
        einddatum=eind,
        status_aanlevering=status,
    )


def jw307() -> JW307:
    """Both products stopped: the ambulante hulp volgens plan, the jeugd-ggz at its Einddatum."""
    return JW307(
        header=header("440", AANBIEDER, GEMEENTE, date(2025, 10, 6), "SP2025-0107"),
        client=Client307(
            bsn=BSN_SANNE,
            geboortedatum=Geboortedatum(datum=date(2012, 6, 18)),
            geslacht="2",
            naam=naam_kort("Jansen", "Sanne Maria", "SM"),
            stop_producten=[
                stop_product(),
                stop_product(
                    2025002,
                    categorie="54",
                    code="54B12",
                    toewijzing_ingang=date(2025, 4, 1),
                    begin=date(2025, 4, 3),
                    eind=date(2025, 9, 30),
                ),
            ],
        ),
    )


# --------------------------------------------------------------------------- JW315 / JW317 / JW319


def aangevraagd_product(
    referentie: str,
    categorie: str | None = "45",
    code: str | None = "45A03",
    ingang: date = date(2025, 3, 1),
    eind: date | None = date(2025, 8, 31),
    volume: int | None = 2,
    eenheid: str = "04",
    frequentie: str = "2",
    budget: int | None = None,
) -> AangevraagdProduct:
    return AangevraagdProduct(
        referentie_aanbieder=referentie,
        product=None if categorie is None else Product(categorie=categorie, code=code),
        toewijzing_ingangsdatum=ingang,
        toewijzing_einddatum=eind,
        omvang=None if volume is None else omvang(volume, eenheid, frequentie),
        budget=budget,
        verwijzer=Verwijzer(type="02", zorgverlener_code="01012345"),  # huisarts by AGB code
    )


def jw315() -> JW315:
    """VOT after a huisarts referral: ambulant 2 uur per week, and verblijf on a budget."""
    second = aangevraagd_product(
        "VOT-2025-0043",
        categorie="43",
        code=None,
        eind=date(2025, 12, 31),
        volume=None,
        budget=2_500_000,
    )
    second.beschikking_nummer = 20250117
    second.beschikking_ingangsdatum = date(2025, 2, 10)
    second.verwijzer = Verwijzer(type="01", naam="Buurtteam Jeugd Overvecht")
    return JW315(
        header=header("446", AANBIEDER, GEMEENTE, date(2025, 2, 14), "VOT2025-0042"),
        client=Client315(
            bsn=BSN_DAAN,
            geboortedatum=Geboortedatum(datum=date(2009, 1, 1), datum_gebruik="2"),
            geslacht="1",
            naam=naam_kort("Bakker", "Daan", "D", voorvoegsel="de"),
            gezagsdrager_bekend="1",
            aangevraagde_producten=[aangevraagd_product("VOT-2025-0042"), second],
        ),
    )


def nieuw_product(
    categorie: str | None = "45",
    code: str | None = "45A05",
    ingang: date = date(2025, 7, 1),
    eind: date | None = date(2025, 12, 31),
    volume: int | None = 1,
    eenheid: str = "04",
    frequentie: str = "2",
    budget: int | None = None,
) -> NieuwProduct:
    return NieuwProduct(
        product=None if categorie is None else Product(categorie=categorie, code=code),
        gewenste_ingangsdatum=ingang,
        einddatum=eind,
        omvang=None if volume is None else omvang(volume, eenheid, frequentie),
        budget=budget,
    )


def jw317() -> JW317:
    """VOW: keep the jeugd-ggz, raise the ambulante hulp to 4 uur per week, add a new product."""
    return JW317(
        header=header("486", AANBIEDER, GEMEENTE, date(2025, 6, 2), "VOW2025-0007"),
        client=Client317(
            bsn=BSN_SANNE,
            verzoek=Verzoek(
                referentie_aanbieder="VOW-2025-0007",
                reden_verzoek="2",
                ongewijzigde_producten=[OngewijzigdProduct(toewijzing_nummer=2025002)],
                te_wijzigen_producten=[
                    TeWijzigenProduct(
                        toewijzing_nummer=2025001,
                        gewenste_ingangsdatum=date(2025, 7, 1),
                        einddatum=date(2025, 12, 31),
                        omvang=omvang(4),
                    )
                ],
                nieuwe_producten=[nieuw_product()],
            ),
        ),
    )


def jw319() -> JW319:
    """Rejection of a VOT on the woonplaatsbeginsel: Amsterdam is responsible."""
    return JW319(
        header=header("488", GEMEENTE, AANBIEDER, date(2025, 2, 21), "ANT2025-0012"),
        antwoord=Antwoord(
            referentie_aanbieder="VOT-2025-0042",
            verzoek_antwoord="1",
            reden_afwijzing_verzoek="8",
            woonplaatsbeginsel=Woonplaatsbeginsel(gemeente="0363"),
        ),
    )


def jw319_in_onderzoek() -> JW319:
    """The other valid shape of an answer: the request is under investigation."""
    msg = jw319()
    msg.antwoord = Antwoord(referentie_aanbieder="VOT-2025-0042", verzoek_antwoord="2")
    return msg


# --------------------------------------------------------------------------- JW323 / JW325


def prestatie(
    referentie: str,
    nummer: int = 2025001,
    categorie: str = "45",
    code: str = "45A03",
    begin: date = date(2025, 4, 1),
    eind: date = date(2025, 4, 30),
    volume: int = 12,
    eenheid: str = "04",
    tarief: int | None = 8550,
    debet_credit: str = "D",
    vorig: str | None = None,
    bedrag: int | None = None,
) -> Prestatie:
    if bedrag is None:
        bedrag = volume if tarief is None else volume * tarief
    return Prestatie(
        product_referentie=Referentie(referentie_nummer=referentie, vorig_referentie_nummer=vorig),
        toewijzing_nummer=nummer,
        product_categorie=categorie,
        product_code=code,
        product_periode=GeslotenPeriode(begindatum=begin, einddatum=eind),
        geleverd_volume=volume,
        eenheid=eenheid,
        product_tarief=tarief,
        ingediend_bedrag=BedragMetDC(bedrag=bedrag, debet_credit=debet_credit),
    )


def jw323() -> JW323:
    """Claim over April 2025: 12 uur ambulant, a credit of 4 uur over March, and a budget claim.

    Total: 102 600 − 34 200 + 25 000 = 93 400 eurocent debet.
    """
    return JW323(
        header=header("490", AANBIEDER, GEMEENTE, date(2025, 5, 6), "DEC2025-0004"),
        declaratie=Declaratie(
            declaratie_nummer="D202504001",
            declaratie_periode=GeslotenPeriode(
                begindatum=date(2025, 4, 1), einddatum=date(2025, 4, 30)
            ),
            declaratie_dagtekening=date(2025, 5, 6),
            totaal_ingediend_bedrag=TotaalBedragMetDC(totaal_bedrag=93_400, debet_credit="D"),
            clienten=[
                Client323(
                    bsn=BSN_SANNE,
                    prestaties=[
                        prestatie("P2025-000101"),
                        prestatie(
                            "P2025-000102",
                            begin=date(2025, 3, 17),
                            eind=date(2025, 3, 31),
                            volume=4,
                            debet_credit="C",
                            vorig="P2025-000031",
                        ),
                    ],
                ),
                Client323(
                    bsn=BSN_NOOR,
                    prestaties=[
                        prestatie(
                            "P2025-000103",
                            nummer=2025044,
                            categorie="43",
                            code="43A01",
                            volume=25_000,
                            eenheid="83",
                            tarief=None,
                        )
                    ],
                ),
            ],
        ),
    )


def _retour(p: Prestatie, *codes: str) -> PrestatieRetour:
    fields = {name: getattr(p, name) for name in p.__dataclass_fields__}
    return PrestatieRetour(**fields, retour_codes=list(codes))


def jw325() -> JW325:
    """Answer to that claim: the budget prestatie (25 000) is rejected, 68 400 is granted."""
    rejected = _retour(jw323().declaratie.clienten[1].prestaties[0], "9369")
    return JW325(
        header=DeclaratieAntwoordHeader(
            bericht_code="491",
            bericht_versie=3,
            bericht_subversie=2,
            afzender=GEMEENTE,
            ontvanger=AANBIEDER,
            bericht_identificatie=BerichtIdentificatie(
                identificatie="DA2025-0004", dagtekening=date(2025, 5, 16)
            ),
            xsd_versie=XsdVersie(basisschema_xsd_versie="1.0.0", bericht_xsd_versie="1.0.0"),
            declaratie_identificatie=BerichtIdentificatie(
                identificatie="DEC2025-0004", dagtekening=date(2025, 5, 6)
            ),
            xsd_versie_declaratie=XsdVersie(
                basisschema_xsd_versie="1.0.0", bericht_xsd_versie="1.0.0"
            ),
            retour_codes=["0200"],
        ),
        declaratie_antwoord=DeclaratieAntwoord(
            declaratie_nummer="D202504001",
            totaal_ingediend_bedrag=TotaalBedragMetDC(totaal_bedrag=93_400, debet_credit="D"),
            totaal_toegekend_bedrag=TotaalBedragMetDC(totaal_bedrag=68_400, debet_credit="D"),
            clienten=[Client325(bsn=BSN_NOOR, prestaties=[rejected], retour_codes=["0200"])],
            retour_codes=["0200"],
        ),
    )


BUILDERS = {
    "JW301": jw301,
    "JW305": jw305,
    "JW307": jw307,
    "JW315": jw315,
    "JW317": jw317,
    "JW319": jw319,
    "JW323": jw323,
    "JW325": jw325,
}


# --------------------------------------------------------------------------- rule test helpers


def only(
    msg: Message, code: str, *, element: str | None = None, value: str | None = None
) -> list[IjwError]:
    """Check ``msg`` and assert that it breaks exactly rule ``code``; return the violations.

    Each reason (English and Dutch) must end with the code and, when given, name ``element`` and
    show ``value``.
    """
    errors = check_message(msg)
    assert {e.rule for e in errors} == {code}, [(e.rule, e.path, e.en) for e in errors]
    for e in errors:
        assert e.en.endswith(f"({code})") and e.nl.endswith(f"({code})"), (e.en, e.nl)
        assert e.path.startswith(msg.code + "/"), e.path
        if element is not None:
            assert element in e.en and element in e.nl, (element, e.en, e.nl)
        if value is not None:
            assert value in e.en and value in e.nl, (value, e.en, e.nl)
    return errors


def codes(msg: Message) -> set[str]:
    return {e.rule for e in check_message(msg)}


@dataclass
class Case:
    """A valid message broken in one way, expected to break exactly one rule."""

    code: str
    builder: Callable[[], Message]
    mutate: Callable[[Any], None]
    element: str
    value: str | None
    path: str | None

    def run(self) -> list[IjwError]:
        msg = self.builder()
        self.mutate(msg)
        errors = only(msg, self.code, element=self.element, value=self.value)
        if self.path is not None:
            assert self.path in {e.path for e in errors}, [e.path for e in errors]
        return errors


class Cases(list):
    """A list of :class:`Case` filled by decorating the mutation functions."""

    def __call__(
        self,
        code: str,
        builder: Callable[[], Message],
        element: str,
        value: str | None = None,
        path: str | None = None,
    ) -> Callable[[Callable[[Any], None]], Callable[[Any], None]]:
        def deco(fn: Callable[[Any], None]) -> Callable[[Any], None]:
            self.append(Case(code, builder, fn, element, value, path))
            return fn

        return deco

    def params(self) -> list[Any]:
        return [pytest.param(c, id=f"{c.code}-{c.mutate.__name__}") for c in self]
