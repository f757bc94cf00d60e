"""Message headers: the heenbericht header, the retour header and the JW325 header."""

from __future__ import annotations

from datetime import date

from wijkzicht.ijw.basis import BerichtIdentificatie, XsdVersie
from wijkzicht.ijw.fields import (
    BERICHTCODE,
    DATUM,
    IDENTIFICATIE,
    VERSIE,
    VERSIE_NR,
    Model,
    el,
    model,
    retour_codes,
    sub,
)
from wijkzicht.ijw.fields import Simple as _Simple

# Afzender/Ontvanger are a gemeente code or an AGB code depending on the message;
# the reader checks the exact type per message (see messages.PARTIES).
PARTY = _Simple("LDT_Partij", str, 1, 8, r"[0-9]{4}|[0-9]{8}")


@model
class Header(Model):
    bericht_code: str = el(BERICHTCODE)
    bericht_versie: int = el(VERSIE_NR)
    bericht_subversie: int = el(VERSIE_NR)
    afzender: str = el(PARTY)
    ontvanger: str = el(PARTY)
    bericht_identificatie: BerichtIdentificatie = sub(BerichtIdentificatie)
    xsd_versie: XsdVersie = sub(XsdVersie)


@model
class RetourHeader(Header):
    """Header of 302/306/308/316/318/320: the heen header copied, then the retour's own id."""

    identificatie_retour: str = el(IDENTIFICATIE)
    dagtekening_retour: date = el(DATUM)
    xslt_versie: str | None = el(VERSIE, optional=True)
    xsd_versie_retour: XsdVersie = sub(XsdVersie)
    retour_codes: list[str] = retour_codes(optional=True)


@model
class DeclaratieAntwoordHeader(Header):
    """Header of JW325: refers to the JW323 it answers."""

    declaratie_identificatie: BerichtIdentificatie = sub(BerichtIdentificatie)
    xslt_versie: str | None = el(VERSIE, optional=True)
    xsd_versie_declaratie: XsdVersie = sub(XsdVersie)
    retour_codes: list[str] = retour_codes()
