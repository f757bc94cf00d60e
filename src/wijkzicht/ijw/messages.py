"""The 14 iJw 3.2 messages as typed models, in XSD element order.

Retour messages (302/306/308/316/318/320) reuse the heenbericht classes and append a
``retour_codes`` list as the last child of each class the XSD gives one; redefined list fields
keep their position, so the element order stays the XSD's.
"""

from __future__ import annotations

from datetime import date, time
from typing import ClassVar

from wijkzicht.ijw.basis import (
    Adres,
    BedragMetDC,
    Communicatie,
    Geboortedatum,
    GeslotenPeriode,
    Omvang,
    OpenPeriode,
    Product,
    Referentie,
    Telefoonnummers,
    TotaalBedragMetDC,
    VerkorteNaam,
    Verwijzer,
    VolledigeNaam,
)
from wijkzicht.ijw.fields import (
    AGB,
    BEDRAG,
    BSN,
    BUDGET,
    COMMENTAAR,
    DATUM,
    DECLARATIE_ID,
    DECLARATIENUMMER,
    EMAIL,
    GEMEENTE,
    NUMMER,
    ORGANISATIE,
    PERSOONSID,
    PRODUCTCODE,
    REFERENTIE,
    TIJD,
    VOLGORDE,
    VOLUME,
    Model,
    Simple,
    code,
    el,
    many,
    model,
    retour_codes,
    sub,
)
from wijkzicht.ijw.headers import DeclaratieAntwoordHeader, Header, RetourHeader

NS_BASIS = "http://www.istandaarden.nl/ijw/3_2/basisschema/schema"


def namespace(code_: str) -> str:
    """The namespace of message ``JWnnn``."""
    return f"http://www.istandaarden.nl/ijw/3_2/{code_.lower()}/schema"


class Message(Model):
    """A whole message (the ``Bericht`` root). Subclasses set the class variables."""

    code: ClassVar[str]  # "JW301"
    bericht_code: ClassVar[str]  # "436"
    sender: ClassVar[Simple]  # type of Header/Afzender
    receiver: ClassVar[Simple]  # type of Header/Ontvanger
    retour_of: ClassVar[str | None] = None  # the heenbericht a retour answers

    header: Header


# --------------------------------------------------------------------------- JW301 / JW302


@model
class Contact(Model):
    soort: str = el(code("AdresSoort"))
    adres: Adres | None = sub(Adres, optional=True)
    organisatie: str | None = el(ORGANISATIE, optional=True)
    telefoon: Telefoonnummers | None = sub(Telefoonnummers, optional=True)
    emailadres: str | None = el(EMAIL, optional=True)
    periode: OpenPeriode | None = sub(OpenPeriode, optional=True)


@model
class Relatie(Model):
    nummer: str = el(PERSOONSID)
    volgorde: int | None = el(VOLGORDE, optional=True)
    soort: str = el(code("SoortRelatie"))
    geboortedatum: Geboortedatum | None = sub(Geboortedatum, optional=True)
    geslacht: str | None = el(code("Geslacht"), optional=True)
    naam: VolledigeNaam = sub(VolledigeNaam)
    contact: Contact = sub(Contact)


@model
class ToegewezenProduct(Model):
    toewijzing_nummer: int = el(NUMMER)
    referentie_aanbieder: str | None = el(REFERENTIE, optional=True)
    product: Product | None = sub(Product, optional=True)
    toewijzingsdatum: date = el(DATUM)
    toewijzingstijd: time = el(TIJD)
    ingangsdatum: date = el(DATUM)
    einddatum: date | None = el(DATUM, optional=True)
    reden_wijziging: str | None = el(code("RedenWijziging"), optional=True)
    omvang: Omvang | None = sub(Omvang, optional=True)
    budget: int | None = el(BUDGET, optional=True)
    commentaar: str | None = el(COMMENTAAR, optional=True)


@model
class Client301(Model):
    bsn: str = el(BSN)
    geboortedatum: Geboortedatum = sub(Geboortedatum)
    geslacht: str = el(code("Geslacht"))
    naam: VolledigeNaam = sub(VolledigeNaam)
    communicatie: Communicatie | None = sub(Communicatie, optional=True)
    juridische_status: str | None = el(code("JuridischeStatus"), optional=True)
    wettelijke_vertegenwoordiging: str | None = el(
        code("WettelijkeVertegenwoordiging"), optional=True
    )
    commentaar: str | None = el(COMMENTAAR, optional=True)
    relaties: list[Relatie] = many(Relatie, "Relatie", optional=True)
    contactgegevens: list[Contact] = many(Contact, "Contact")
    toegewezen_producten: list[ToegewezenProduct] = many(ToegewezenProduct, "ToegewezenProduct")


@model
class JW301(Message):
    """Toewijzing Jeugdhulp."""

    code = "JW301"
    bericht_code = "436"
    sender = GEMEENTE
    receiver = AGB
    header: Header = sub(Header)
    client: Client301 = sub(Client301)


@model
class ContactRetour(Contact):
    retour_codes: list[str] = retour_codes()


@model
class RelatieRetour(Relatie):
    contact: ContactRetour = sub(ContactRetour)
    retour_codes: list[str] = retour_codes()


@model
class ToegewezenProductRetour(ToegewezenProduct):
    retour_codes: list[str] = retour_codes()


@model
class Client302(Client301):
    relaties: list[RelatieRetour] = many(RelatieRetour, "Relatie", optional=True)
    contactgegevens: list[ContactRetour] = many(ContactRetour, "Contact")
    toegewezen_producten: list[ToegewezenProductRetour] = many(
        ToegewezenProductRetour, "ToegewezenProduct"
    )
    retour_codes: list[str] = retour_codes()


@model
class JW302(Message):
    """Retour Toewijzing."""

    code = "JW302"
    bericht_code = "437"
    sender = GEMEENTE
    receiver = AGB
    retour_of = "JW301"
    header: RetourHeader = sub(RetourHeader)
    client: Client302 | None = sub(Client302, optional=True)


# --------------------------------------------------------------------------- JW305 - JW308


@model
class StartProduct(Model):
    toewijzing_nummer: int | None = el(NUMMER, optional=True)
    product: Product | None = sub(Product, optional=True)
    toewijzing_ingangsdatum: date | None = el(DATUM, optional=True)
    begindatum: date = el(DATUM)
    status_aanlevering: str = el(code("StatusAanlevering"))


@model
class Client305(Model):
    bsn: str = el(BSN)
    geboortedatum: Geboortedatum = sub(Geboortedatum)
    geslacht: str = el(code("Geslacht"))
    naam: VerkorteNaam = sub(VerkorteNaam)
    start_producten: list[StartProduct] = many(StartProduct, "StartProduct")


@model
class JW305(Message):
    """Start Jeugdhulp."""

    code = "JW305"
    bericht_code = "438"
    sender = AGB
    receiver = GEMEENTE
    header: Header = sub(Header)
    client: Client305 = sub(Client305)


@model
class StartProductRetour(StartProduct):
    retour_codes: list[str] = retour_codes()


@model
class Client306(Client305):
    start_producten: list[StartProductRetour] = many(StartProductRetour, "StartProduct")
    retour_codes: list[str] = retour_codes()


@model
class JW306(Message):
    """Retour Start Jeugdhulp."""

    code = "JW306"
    bericht_code = "439"
    sender = AGB
    receiver = GEMEENTE
    retour_of = "JW305"
    header: RetourHeader = sub(RetourHeader)
    client: Client306 | None = sub(Client306, optional=True)


@model
class StopProduct(Model):
    toewijzing_nummer: int | None = el(NUMMER, optional=True)
    product: Product | None = sub(Product, optional=True)
    toewijzing_ingangsdatum: date | None = el(DATUM, optional=True)
    begindatum: date = el(DATUM)
    reden_beeindiging: str = el(code("RedenBeeindiging"))
    einddatum: date = el(DATUM)
    status_aanlevering: str = el(code("StatusAanlevering"))


@model
class Client307(Model):
    bsn: str = el(BSN)
    geboortedatum: Geboortedatum = sub(Geboortedatum)
    geslacht: str = el(code("Geslacht"))
    naam: VerkorteNaam = sub(VerkorteNaam)
    stop_producten: list[StopProduct] = many(StopProduct, "StopProduct")


@model
class JW307(Message):
    """Stop Jeugdhulp."""

    code = "JW307"
    bericht_code = "440"
    sender = AGB
    receiver = GEMEENTE
    header: Header = sub(Header)
    client: Client307 = sub(Client307)


@model
class StopProductRetour(StopProduct):
    retour_codes: list[str] = retour_codes()


@model
class Client308(Client307):
    stop_producten: list[StopProductRetour] = many(StopProductRetour, "StopProduct")
    retour_codes: list[str] = retour_codes()


@model
class JW308(Message):
    """Retour Stop Jeugdhulp."""

    code = "JW308"
    bericht_code = "441"
    sender = AGB
    receiver = GEMEENTE
    retour_of = "JW307"
    header: RetourHeader = sub(RetourHeader)
    client: Client308 | None = sub(Client308, optional=True)


# --------------------------------------------------------------------------- JW315 - JW320


@model
class AangevraagdProduct(Model):
    referentie_aanbieder: str = el(REFERENTIE)
    beschikking_nummer: int | None = el(NUMMER, optional=True)
    product: Product | None = sub(Product, optional=True)
    beschikking_ingangsdatum: date | None = el(DATUM, optional=True)
    toewijzing_ingangsdatum: date = el(DATUM)
    toewijzing_einddatum: date | None = el(DATUM, optional=True)
    omvang: Omvang | None = sub(Omvang, optional=True)
    budget: int | None = el(BUDGET, optional=True)
    verwijzer: Verwijzer = sub(Verwijzer)
    raamcontract: str | None = el(code("JaNee"), optional=True)
    commentaar: str | None = el(COMMENTAAR, optional=True)


@model
class Client315(Model):
    bsn: str = el(BSN)
    geboortedatum: Geboortedatum = sub(Geboortedatum)
    geslacht: str = el(code("Geslacht"))
    naam: VerkorteNaam = sub(VerkorteNaam)
    gezagsdrager_bekend: str | None = el(code("JaNee"), optional=True)
    commentaar: str | None = el(COMMENTAAR, optional=True)
    aangevraagde_producten: list[AangevraagdProduct] = many(
        AangevraagdProduct, "AangevraagdProduct"
    )


@model
class JW315(Message):
    """Verzoek om toewijzing (VOT)."""

    code = "JW315"
    bericht_code = "446"
    sender = AGB
    receiver = GEMEENTE
    header: Header = sub(Header)
    client: Client315 = sub(Client315)


@model
class AangevraagdProductRetour(AangevraagdProduct):
    retour_codes: list[str] = retour_codes()


@model
class Client316(Client315):
    aangevraagde_producten: list[AangevraagdProductRetour] = many(
        AangevraagdProductRetour, "AangevraagdProduct"
    )
    retour_codes: list[str] = retour_codes()


@model
class JW316(Message):
    """Retour Verzoek om toewijzing."""

    code = "JW316"
    bericht_code = "447"
    sender = AGB
    receiver = GEMEENTE
    retour_of = "JW315"
    header: RetourHeader = sub(RetourHeader)
    client: Client316 | None = sub(Client316, optional=True)


@model
class OngewijzigdProduct(Model):
    toewijzing_nummer: int = el(NUMMER)


@model
class TeWijzigenProduct(Model):
    toewijzing_nummer: int = el(NUMMER)
    gewenste_ingangsdatum: date = el(DATUM)
    einddatum: date | None = el(DATUM, optional=True)
    omvang: Omvang | None = sub(Omvang, optional=True)
    budget: int | None = el(BUDGET, optional=True)


@model
class NieuwProduct(Model):
    product: Product | None = sub(Product, optional=True)
    gewenste_ingangsdatum: date = el(DATUM)
    einddatum: date | None = el(DATUM, optional=True)
    omvang: Omvang | None = sub(Omvang, optional=True)
    budget: int | None = el(BUDGET, optional=True)


@model
class Verzoek(Model):
    referentie_aanbieder: str = el(REFERENTIE)
    reden_verzoek: str = el(code("RedenVerzoek"))
    ongewijzigde_producten: list[OngewijzigdProduct] = many(
        OngewijzigdProduct, "OngewijzigdProduct", optional=True
    )
    te_wijzigen_producten: list[TeWijzigenProduct] = many(
        TeWijzigenProduct, "TeWijzigenProduct", optional=True
    )
    nieuwe_producten: list[NieuwProduct] = many(NieuwProduct, "NieuwProduct", optional=True)


@model
class Client317(Model):
    bsn: str = el(BSN)
    verzoek: Verzoek = sub(Verzoek)


@model
class JW317(Message):
    """Verzoek om wijziging (VOW)."""

    code = "JW317"
    bericht_code = "486"
    sender = AGB
    receiver = GEMEENTE
    header: Header = sub(Header)
    client: Client317 = sub(Client317)


@model
class OngewijzigdProductRetour(OngewijzigdProduct):
    retour_codes: list[str] = retour_codes()


@model
class TeWijzigenProductRetour(TeWijzigenProduct):
    retour_codes: list[str] = retour_codes()


@model
class NieuwProductRetour(NieuwProduct):
    retour_codes: list[str] = retour_codes()


@model
class VerzoekRetour(Verzoek):
    ongewijzigde_producten: list[OngewijzigdProductRetour] = many(
        OngewijzigdProductRetour, "OngewijzigdProduct", optional=True
    )
    te_wijzigen_producten: list[TeWijzigenProductRetour] = many(
        TeWijzigenProductRetour, "TeWijzigenProduct", optional=True
    )
    nieuwe_producten: list[NieuwProductRetour] = many(
        NieuwProductRetour, "NieuwProduct", optional=True
    )
    retour_codes: list[str] = retour_codes()


@model
class Client318(Client317):
    verzoek: VerzoekRetour = sub(VerzoekRetour)
    retour_codes: list[str] = retour_codes()


@model
class JW318(Message):
    """Retour Verzoek om wijziging."""

    code = "JW318"
    bericht_code = "487"
    sender = AGB
    receiver = GEMEENTE
    retour_of = "JW317"
    header: RetourHeader = sub(RetourHeader)
    client: Client318 | None = sub(Client318, optional=True)


@model
class Woonplaatsbeginsel(Model):
    gemeente: str = el(GEMEENTE)


@model
class Antwoord(Model):
    referentie_aanbieder: str = el(REFERENTIE)
    verzoek_antwoord: str = el(code("VerzoekAntwoord"))
    reden_afwijzing_verzoek: str | None = el(code("RedenAfwijzingVerzoek"), optional=True)
    woonplaatsbeginsel: Woonplaatsbeginsel | None = sub(Woonplaatsbeginsel, optional=True)


@model
class JW319(Message):
    """Antwoordbericht op een VOT of VOW."""

    code = "JW319"
    bericht_code = "488"
    sender = GEMEENTE
    receiver = AGB
    header: Header = sub(Header)
    antwoord: Antwoord = sub(Antwoord)


@model
class WoonplaatsbeginselRetour(Woonplaatsbeginsel):
    retour_codes: list[str] = retour_codes()


@model
class AntwoordRetour(Antwoord):
    woonplaatsbeginsel: WoonplaatsbeginselRetour | None = sub(
        WoonplaatsbeginselRetour, optional=True
    )
    retour_codes: list[str] = retour_codes()


@model
class JW320(Message):
    """Retour Antwoordbericht."""

    code = "JW320"
    bericht_code = "489"
    sender = GEMEENTE
    receiver = AGB
    retour_of = "JW319"
    header: RetourHeader = sub(RetourHeader)
    antwoord: AntwoordRetour | None = sub(AntwoordRetour, optional=True)


# --------------------------------------------------------------------------- JW323 / JW325


@model
class Prestatie(Model):
    product_referentie: Referentie = sub(Referentie)
    toewijzing_nummer: int = el(NUMMER)
    product_categorie: str = el(code("ProductCategorie"))
    product_code: str = el(PRODUCTCODE)
    product_periode: GeslotenPeriode = sub(GeslotenPeriode)
    geleverd_volume: int = el(VOLUME)
    eenheid: str = el(code("Eenheid"))
    product_tarief: int | None = el(BEDRAG, optional=True)
    ingediend_bedrag: BedragMetDC = sub(BedragMetDC)


@model
class Client323(Model):
    bsn: str = el(BSN)
    prestaties: list[Prestatie] = many(Prestatie, "Prestatie")


@model
class Declaratie(Model):
    declaratie_nummer: str = el(DECLARATIENUMMER)
    declaratie_periode: GeslotenPeriode = sub(GeslotenPeriode)
    declaratie_dagtekening: date = el(DATUM)
    totaal_ingediend_bedrag: TotaalBedragMetDC = sub(TotaalBedragMetDC)
    clienten: list[Client323] = many(Client323, "Client")


@model
class JW323(Message):
    """Declaratie Jeugdhulp."""

    code = "JW323"
    bericht_code = "490"
    sender = AGB
    receiver = GEMEENTE
    header: Header = sub(Header)
    declaratie: Declaratie = sub(Declaratie)


@model
class PrestatieRetour(Prestatie):
    retour_codes: list[str] = retour_codes()


@model
class Client325(Model):
    bsn: str = el(BSN)
    prestaties: list[PrestatieRetour] = many(PrestatieRetour, "Prestatie")
    retour_codes: list[str] = retour_codes()


@model
class DeclaratieAntwoord(Model):
    declaratie_nummer: str = el(DECLARATIE_ID)
    totaal_ingediend_bedrag: TotaalBedragMetDC = sub(TotaalBedragMetDC)
    totaal_toegekend_bedrag: TotaalBedragMetDC = sub(TotaalBedragMetDC)
    clienten: list[Client325] = many(Client325, "Client", optional=True)
    retour_codes: list[str] = retour_codes()


@model
class JW325(Message):
    """Declaratie-antwoord."""

    code = "JW325"
    bericht_code = "491"
    sender = GEMEENTE
    receiver = AGB
    header: DeclaratieAntwoordHeader = sub(DeclaratieAntwoordHeader)
    declaratie_antwoord: DeclaratieAntwoord | None = sub(DeclaratieAntwoord, optional=True)


MESSAGES: dict[str, type[Message]] = {
    m.code: m
    for m in (
        JW301,
        JW302,
        JW305,
        JW306,
        JW307,
        JW308,
        JW315,
        JW316,
        JW317,
        JW318,
        JW319,
        JW320,
        JW323,
        JW325,
    )
}
BY_BERICHTCODE: dict[str, type[Message]] = {m.bericht_code: m for m in MESSAGES.values()}
