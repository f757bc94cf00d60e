"""Date rules that are shared by several messages: CS003, TR134, TR137.

That a date *exists* (the first half of TR134/TR137) is already guaranteed by the reader, which
refuses impossible dates as an XSD error; here only the order of dates is checked.
"""

from __future__ import annotations

from datetime import date

from wijkzicht.ijw.rules.base import Ctx, rule


@rule(
    "CS003",
    (301, 315, 317),
    "Einddatum is groter dan of gelijk aan de Begindatum (of Ingangsdatum) van de periode.",
    "An end date is on or after the begin date (or Ingangsdatum) of its period.",
)
def cs003(
    ctx: Ctx, path: str, end: date | None, begin: date | None, end_name: str, begin_name: str
) -> None:
    if end is not None and begin is not None and end < begin:
        ctx.add(
            "CS003",
            path,
            f"{end_name} {end.isoformat()} is before {begin_name} {begin.isoformat()}",
            f"{end_name} {end.isoformat()} ligt vóór {begin_name} {begin.isoformat()}",
            end,
        )


@rule(
    "TR134",
    (301, 305, 307, 315, 323, 325),
    "Vullen met een bestaande datum die niet groter is dan de Dagtekening van het bericht.",
    "A date (birth, toewijzing, start, stop, period begin) is not after the message's Dagtekening.",
)
def tr134(ctx: Ctx, path: str, value: date, name: str) -> None:
    if value > ctx.dagtekening:
        dag = ctx.dagtekening.isoformat()
        ctx.add(
            "TR134",
            path,
            f"{name} {value.isoformat()} is after the Dagtekening {dag} of the message",
            f"{name} {value.isoformat()} ligt na de Dagtekening {dag} van het bericht",
            value,
        )


@rule(
    "TR137",
    (323, 325),
    "Einddatum is groter dan of gelijk aan de Begindatum van de periode en niet groter dan de "
    "Dagtekening van het bericht.",
    "A period's Einddatum is on or after its Begindatum and not after the message's Dagtekening.",
)
def tr137(ctx: Ctx, path: str, end: date, begin: date, name: str = "Einddatum") -> None:
    if end < begin:
        ctx.add(
            "TR137",
            path,
            f"{name} {end.isoformat()} is before Begindatum {begin.isoformat()}",
            f"{name} {end.isoformat()} ligt vóór Begindatum {begin.isoformat()}",
            end,
        )
    elif end > ctx.dagtekening:
        dag = ctx.dagtekening.isoformat()
        ctx.add(
            "TR137",
            path,
            f"{name} {end.isoformat()} is after the Dagtekening {dag} of the message",
            f"{name} {end.isoformat()} ligt na de Dagtekening {dag} van het bericht",
            end,
        )
