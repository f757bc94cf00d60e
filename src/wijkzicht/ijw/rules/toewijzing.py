"""JW301 Toewijzing: one walk over the message that applies every level-2 rule."""

from __future__ import annotations

from wijkzicht.ijw.messages import JW301
from wijkzicht.ijw.rules import addresses, persons, products
from wijkzicht.ijw.rules.base import Ctx
from wijkzicht.ijw.rules.dates import cs003, tr134
from wijkzicht.ijw.rules.keys import tr101


def check_jw301(ctx: Ctx, msg: JW301) -> None:
    c = msg.client
    p = "JW301/Client"
    persons.cs002(ctx, f"{p}/Bsn", c.bsn)
    persons.check_geboortedatum(ctx, f"{p}/Geboortedatum", c.geboortedatum)
    persons.cs050(ctx, f"{p}/Naam", c.naam)
    persons.cs318(ctx, f"{p}/Naam", c.naam)
    if c.communicatie is not None:
        persons.cd007(ctx, f"{p}/Communicatie", c.communicatie)

    for i, r in enumerate(c.relaties, 1):
        rp = f"{p}/Relaties/Relatie[{i}]"
        if r.geboortedatum is not None:
            persons.check_geboortedatum(ctx, f"{rp}/Geboortedatum", r.geboortedatum)
        persons.cs050(ctx, f"{rp}/Naam", r.naam)
        addresses.check_contact(ctx, f"{rp}/Contact", r.contact)

    for i, ct in enumerate(c.contactgegevens, 1):
        addresses.check_contact(ctx, f"{p}/Contactgegevens/Contact[{i}]", ct)
    addresses.tr061(ctx, f"{p}/Contactgegevens", c.contactgegevens)

    entries: list[products.Entry] = []
    for i, tp in enumerate(c.toegewezen_producten, 1):
        tpp = f"{p}/ToegewezenProducten/ToegewezenProduct[{i}]"
        tr134(ctx, f"{tpp}/Toewijzingsdatum", tp.toewijzingsdatum, "Toewijzingsdatum")
        cs003(ctx, f"{tpp}/Einddatum", tp.einddatum, tp.ingangsdatum, "Einddatum", "Ingangsdatum")
        products.check_shape(
            ctx,
            tpp,
            product=tp.product,
            omvang=tp.omvang,
            budget=tp.budget,
            end=tp.einddatum,
            end_name="Einddatum",
        )
        products.cs335(ctx, tpp, tp.reden_wijziging, tp.ingangsdatum, tp.einddatum)
        products.cs336(ctx, tpp, tp.reden_wijziging)
        if not products.removed(tp.reden_wijziging, tp.ingangsdatum, tp.einddatum):
            entries.append((i, tp.product, tp.ingangsdatum, tp.einddatum))
    products.tr302(ctx, f"{p}/ToegewezenProducten", "ToegewezenProduct", entries)

    tr101(ctx, f"{p}/Relaties", "Relatie", ("Nummer",), [(r.nummer,) for r in c.relaties])
    tr101(
        ctx,
        f"{p}/Contactgegevens",
        "Contact",
        ("Soort",),
        [(ct.soort,) for ct in c.contactgegevens],
    )
    tr101(
        ctx,
        f"{p}/ToegewezenProducten",
        "ToegewezenProduct",
        ("ToewijzingNummer",),
        [(tp.toewijzing_nummer,) for tp in c.toegewezen_producten],
    )
