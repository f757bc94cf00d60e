"""Regieberichten JW305 Start and JW307 Stop: CS058, TR018, and the walkers of both messages."""

from __future__ import annotations

from datetime import date

from wijkzicht.ijw.messages import JW305, JW307
from wijkzicht.ijw.rules import persons
from wijkzicht.ijw.rules.base import Ctx, rule
from wijkzicht.ijw.rules.dates import tr134
from wijkzicht.ijw.rules.keys import tr101
from wijkzicht.ijw.rules.products import show_product

_STATUS_ALLOWED = frozenset(("1", "3"))


@rule(
    "CS058",
    (305, 307),
    "StatusAanlevering is 1 (eerste aanlevering) of 3 (verwijderen aanlevering).",
    "StatusAanlevering is 1 (first delivery) or 3 (delete delivery).",
)
def cs058(ctx: Ctx, path: str, status: str) -> None:
    if status not in _STATUS_ALLOWED:
        ctx.add(
            "CS058",
            f"{path}/StatusAanlevering",
            f"StatusAanlevering {status} is not allowed (only 1 or 3)",
            f"StatusAanlevering {status} is niet toegestaan (alleen 1 of 3)",
            status,
        )


@rule(
    "TR018",
    (307,),
    "Einddatum is groter dan of gelijk aan Begindatum.",
    "A StopProduct's Einddatum is on or after its Begindatum.",
)
def tr018(ctx: Ctx, path: str, end: date, begin: date) -> None:
    if end < begin:
        ctx.add(
            "TR018",
            f"{path}/Einddatum",
            f"Einddatum {end.isoformat()} is before Begindatum {begin.isoformat()}",
            f"Einddatum {end.isoformat()} ligt vóór Begindatum {begin.isoformat()}",
            end,
        )


def check_jw305(ctx: Ctx, msg: JW305) -> None:
    c = msg.client
    p = "JW305/Client"
    persons.cs002(ctx, f"{p}/Bsn", c.bsn)
    persons.check_geboortedatum(ctx, f"{p}/Geboortedatum", c.geboortedatum)
    for i, sp in enumerate(c.start_producten, 1):
        spp = f"{p}/StartProducten/StartProduct[{i}]"
        tr134(ctx, f"{spp}/Begindatum", sp.begindatum, "Begindatum")
        cs058(ctx, spp, sp.status_aanlevering)
    if len(c.start_producten) > 1:
        tr101(
            ctx,
            f"{p}/StartProducten",
            "StartProduct",
            ("ToewijzingNummer", "Product", "Begindatum"),
            [
                (sp.toewijzing_nummer, show_product(sp.product), sp.begindatum)
                for sp in c.start_producten
            ],
        )


def check_jw307(ctx: Ctx, msg: JW307) -> None:
    c = msg.client
    p = "JW307/Client"
    persons.cs002(ctx, f"{p}/Bsn", c.bsn)
    persons.check_geboortedatum(ctx, f"{p}/Geboortedatum", c.geboortedatum)
    for i, sp in enumerate(c.stop_producten, 1):
        spp = f"{p}/StopProducten/StopProduct[{i}]"
        tr134(ctx, f"{spp}/Einddatum", sp.einddatum, "Einddatum")
        tr018(ctx, spp, sp.einddatum, sp.begindatum)
        cs058(ctx, spp, sp.status_aanlevering)
    if len(c.stop_producten) > 1:
        tr101(
            ctx,
            f"{p}/StopProducten",
            "StopProduct",
            ("ToewijzingNummer", "Product", "Begindatum", "RedenBeeindiging", "Einddatum"),
            [
                (
                    sp.toewijzing_nummer,
                    show_product(sp.product),
                    sp.begindatum,
                    sp.reden_beeindiging,
                    sp.einddatum,
                )
                for sp in c.stop_producten
            ],
        )
