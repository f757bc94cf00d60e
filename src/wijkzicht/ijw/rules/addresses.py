"""Rules on JW301 contact data: CD005, CD025, CD034, CS089, CD009, TR006, TR061 (and CS003 on
Contact/Periode). They apply to every Contact: the client's and each Relatie's."""

from __future__ import annotations

import re

from wijkzicht.ijw.messages import Contact
from wijkzicht.ijw.rules.base import Ctx, rule
from wijkzicht.ijw.rules.dates import cs003

NL_POSTCODE = re.compile(r"[1-9][0-9]{3}[A-Za-z]{2}")
_POSTCODE_REQUIRED = frozenset(("01", "03"))
_CLIENT_ADDRESS = frozenset(("01", "02", "03"))


@rule(
    "CD005",
    (301,),
    "LandCode is verplicht als Postcode gevuld is, anders leeg laten.",
    "Adres/LandCode is filled if and only if Postcode is filled.",
)
def cd005(ctx: Ctx, path: str, contact: Contact) -> None:
    adres = contact.adres
    if adres is None:
        return
    if adres.postcode is not None and adres.land_code is None:
        ctx.add(
            "CD005",
            f"{path}/Adres/LandCode",
            f"LandCode is missing while Postcode {adres.postcode} is filled",
            f"LandCode ontbreekt terwijl Postcode {adres.postcode} gevuld is",
            None,
        )
    elif adres.postcode is None and adres.land_code is not None:
        ctx.add(
            "CD005",
            f"{path}/Adres/LandCode",
            f"LandCode {adres.land_code} is filled while Postcode is empty",
            f"LandCode {adres.land_code} is gevuld terwijl Postcode leeg is",
            adres.land_code,
        )


@rule(
    "CD025",
    (301,),
    "Huis is verplicht als LandCode NL (Nederland) is.",
    "Adres/Huis is required when LandCode is NL.",
)
def cd025(ctx: Ctx, path: str, contact: Contact) -> None:
    adres = contact.adres
    if adres is not None and adres.land_code == "NL" and adres.huis is None:
        ctx.add(
            "CD025",
            f"{path}/Adres/Huis",
            "Huis is missing while LandCode is NL",
            "Huis ontbreekt terwijl LandCode NL is",
            None,
        )


@rule(
    "CD034",
    (301,),
    "Postcode is verplicht als Soort adres 01 (BRP-adres) of 03 (verblijfadres) is.",
    "Adres/Postcode is required when the Contact Soort is 01 (BRP) or 03 (verblijf).",
)
def cd034(ctx: Ctx, path: str, contact: Contact) -> None:
    # Reading of the rule text: the condition is on Soort alone, so a Contact of Soort 01/03
    # without any Adres also misses its Postcode.
    if contact.soort in _POSTCODE_REQUIRED and (
        contact.adres is None or contact.adres.postcode is None
    ):
        ctx.add(
            "CD034",
            f"{path}/Adres/Postcode",
            f"Postcode is missing while Contact Soort is {contact.soort}",
            f"Postcode ontbreekt terwijl Contact Soort {contact.soort} is",
            None,
        )


@rule(
    "CS089",
    (301,),
    "Als LandCode NL is, heeft Postcode het formaat van een Nederlandse postcode (1234AB).",
    "With LandCode NL the Postcode has the Dutch format [1-9][0-9]{3}[A-Za-z]{2} (no space).",
)
def cs089(ctx: Ctx, path: str, contact: Contact) -> None:
    adres = contact.adres
    if (
        adres is not None
        and adres.land_code == "NL"
        and adres.postcode is not None
        and NL_POSTCODE.fullmatch(adres.postcode) is None
    ):
        ctx.add(
            "CS089",
            f"{path}/Adres/Postcode",
            f"Postcode '{adres.postcode}' is not a Dutch postcode (1234AB) while LandCode is NL",
            f"Postcode '{adres.postcode}' is geen Nederlandse postcode (1234AB) terwijl LandCode "
            "NL is",
            adres.postcode,
        )


@rule(
    "CD009",
    (301,),
    "Periode alleen vullen als Soort adres 04 (tijdelijk verblijfadres) is.",
    "Contact/Periode is only allowed when the Contact Soort is 04 (temporary address).",
)
def cd009(ctx: Ctx, path: str, contact: Contact) -> None:
    if contact.periode is not None and contact.soort != "04":
        ctx.add(
            "CD009",
            f"{path}/Periode",
            f"Periode is filled while Contact Soort is {contact.soort}, not 04",
            f"Periode is gevuld terwijl Contact Soort {contact.soort} is, niet 04",
            contact.soort,
        )


@rule(
    "TR006",
    (301,),
    "Contact bevat Telefoon en/of de combinatie Huis en Postcode.",
    "A Contact holds a Telefoon and/or both Huis and Postcode.",
)
def tr006(ctx: Ctx, path: str, contact: Contact) -> None:
    if contact.telefoon is not None:
        return
    adres = contact.adres
    if adres is None or adres.huis is None or adres.postcode is None:
        ctx.add(
            "TR006",
            path,
            f"Contact (Soort {contact.soort}) has no Telefoon and no Huis with Postcode",
            f"Contact (Soort {contact.soort}) heeft geen Telefoon en geen Huis met Postcode",
            contact.soort,
        )


@rule(
    "TR061",
    (301,),
    "Bij een Client komt minstens één Contact voor met Soort 01, 02 of 03.",
    "The client has at least one Contact with Soort 01 (BRP), 02 (correspondentie) or 03 "
    "(verblijf).",
)
def tr061(ctx: Ctx, path: str, contacts: list[Contact]) -> None:
    for c in contacts:
        if c.soort in _CLIENT_ADDRESS:
            return
    soorten = ", ".join(c.soort for c in contacts) or "none"
    ctx.add(
        "TR061",
        path,
        f"Contactgegevens has no Contact with Soort 01, 02 or 03 (found Soort {soorten})",
        f"Contactgegevens heeft geen Contact met Soort 01, 02 of 03 (gevonden Soort {soorten})",
        soorten,
    )


def check_contact(ctx: Ctx, path: str, contact: Contact) -> None:
    """All Contact-level rules of one Contact."""
    cd005(ctx, path, contact)
    cd025(ctx, path, contact)
    cd034(ctx, path, contact)
    cs089(ctx, path, contact)
    cd009(ctx, path, contact)
    tr006(ctx, path, contact)
    periode = contact.periode
    if periode is not None:
        cs003(
            ctx,
            f"{path}/Periode/Einddatum",
            periode.einddatum,
            periode.begindatum,
            "Einddatum",
            "Begindatum",
        )
