"""The complex types of the basisschema (``CDT_…``); their children are in the ``ijw`` namespace."""

from __future__ import annotations

from datetime import date

from wijkzicht.ijw.fields import (
    AGB,
    BEDRAG,
    DATUM,
    HUISLETTER,
    HUISNUMMER,
    IDENTIFICATIE,
    LANDCODE,
    LANDNUMMER,
    NAAM,
    NAAM_VERWIJZER,
    PLAATSNAAM,
    POSTCODE,
    PRODUCTCODE,
    REFERENTIENUMMER,
    STRAATNAAM,
    TAAL,
    TELEFOONNUMMER,
    TOEVOEGING,
    TOTAALBEDRAG,
    VERSIE,
    VOLUME,
    VOORLETTERS,
    VOORVOEGSEL,
    Model,
    code,
    el,
    model,
    sub,
)


class Basis(Model):
    basis = True


@model
class BerichtIdentificatie(Basis):
    identificatie: str = el(IDENTIFICATIE)
    dagtekening: date = el(DATUM)


@model
class XsdVersie(Basis):
    basisschema_xsd_versie: str = el(VERSIE)
    bericht_xsd_versie: str = el(VERSIE)


@model
class Geboortedatum(Basis):
    datum: date = el(DATUM)
    datum_gebruik: str | None = el(code("DatumGebruik"), optional=True)


@model
class Achternaam(Basis):
    achternaam: str = el(NAAM)
    voorvoegsel: str | None = el(VOORVOEGSEL, optional=True)


@model
class VolledigeNaam(Basis):
    geslachtsnaam: Achternaam = sub(Achternaam)
    partnernaam: Achternaam | None = sub(Achternaam, optional=True)
    voornamen: str | None = el(NAAM, optional=True)
    voorletters: str | None = el(VOORLETTERS, optional=True)
    naam_gebruik: str = el(code("NaamGebruik"))


@model
class VerkorteNaam(Basis):
    geslachtsnaam: Achternaam = sub(Achternaam)
    voornamen: str | None = el(NAAM, optional=True)
    voorletters: str | None = el(VOORLETTERS, optional=True)


@model
class Huis(Basis):
    huisnummer: int = el(HUISNUMMER)
    huisletter: str | None = el(HUISLETTER, optional=True)
    huisnummer_toevoeging: str | None = el(TOEVOEGING, optional=True)
    aanduiding_woonadres: str | None = el(code("AanduidingWoonadres"), optional=True)


@model
class Adres(Basis):
    huis: Huis | None = sub(Huis, optional=True)
    postcode: str | None = el(POSTCODE, optional=True)
    straatnaam: str | None = el(STRAATNAAM, optional=True)
    plaatsnaam: str | None = el(PLAATSNAAM, optional=True)
    land_code: str | None = el(LANDCODE, optional=True)


@model
class Telefoon(Basis):
    telefoonnummer: str = el(TELEFOONNUMMER)
    landnummer: str = el(LANDNUMMER)


@model
class Telefoonnummers(Basis):
    telefoon01: Telefoon = sub(Telefoon)
    telefoon02: Telefoon | None = sub(Telefoon, optional=True)


@model
class Communicatie(Basis):
    vorm: str = el(code("Communicatievorm"))
    taal: str | None = el(TAAL, optional=True)


@model
class OpenPeriode(Basis):
    begindatum: date | None = el(DATUM, optional=True)
    einddatum: date | None = el(DATUM, optional=True)


@model
class GeslotenPeriode(Basis):
    begindatum: date = el(DATUM)
    einddatum: date = el(DATUM)


@model
class Product(Basis):
    categorie: str = el(code("ProductCategorie"))
    code: str | None = el(PRODUCTCODE, optional=True)


@model
class Omvang(Basis):
    volume: int = el(VOLUME)
    eenheid: str = el(code("Eenheid"))
    frequentie: str = el(code("Frequentie"))


@model
class Verwijzer(Basis):
    type: str = el(code("TypeVerwijzer"))
    naam: str | None = el(NAAM_VERWIJZER, optional=True)
    zorgverlener_code: str | None = el(AGB, optional=True)


@model
class Referentie(Basis):
    referentie_nummer: str = el(REFERENTIENUMMER)
    vorig_referentie_nummer: str | None = el(REFERENTIENUMMER, optional=True)


@model
class BedragMetDC(Basis):
    bedrag: int = el(BEDRAG)
    debet_credit: str = el(code("DebetCredit"))


@model
class TotaalBedragMetDC(Basis):
    totaal_bedrag: int = el(TOTAALBEDRAG)
    debet_credit: str = el(code("DebetCredit"))
