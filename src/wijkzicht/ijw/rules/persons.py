"""Rules on persons: BSN (CS002), birth date (TR002, CS139, TR134), names (CS050, CS318),
interpreter (CD007)."""

from __future__ import annotations

from datetime import date

from wijkzicht.ijw.basis import Communicatie, Geboortedatum, VolledigeNaam
from wijkzicht.ijw.bsn import is_valid_bsn
from wijkzicht.ijw.rules.base import Ctx, fmt, fmt_nl, rule
from wijkzicht.ijw.rules.dates import tr134

UNKNOWN_BIRTH_DATE = date(1900, 1, 1)


@rule(
    "CS002",
    (301, 305, 307, 315, 317, 323, 325),
    "Bsn voldoet aan de 11-proef.",
    "Every Bsn passes the eleven-test.",
)
def cs002(ctx: Ctx, path: str, bsn: str) -> None:
    if not is_valid_bsn(bsn):
        ctx.add(
            "CS002",
            path,
            f"Bsn {bsn} fails the eleven-test",
            f"Bsn {bsn} voldoet niet aan de 11-proef",
            bsn,
        )


@rule(
    "TR002",
    (301, 305, 307, 315),
    "Geboortedatum ligt niet meer dan 120 jaar vóór de Dagtekening, tenzij de geboortedatum "
    "onbekend is (DatumGebruik 3 en Datum 01-01-1900).",
    "A Geboortedatum is at most 120 years before the Dagtekening unless it is unknown "
    "(DatumGebruik 3 with Datum 1900-01-01).",
)
def tr002(ctx: Ctx, path: str, gd: Geboortedatum) -> None:
    if gd.datum < ctx.years_before_dagtekening(120) and not (
        gd.datum_gebruik == "3" and gd.datum == UNKNOWN_BIRTH_DATE
    ):
        dag = ctx.dagtekening.isoformat()
        ctx.add(
            "TR002",
            f"{path}/Datum",
            f"Geboortedatum {gd.datum.isoformat()} is more than 120 years before the Dagtekening "
            f"{dag}",
            f"Geboortedatum {gd.datum.isoformat()} ligt meer dan 120 jaar vóór de Dagtekening "
            f"{dag}",
            gd.datum,
        )


@rule(
    "CS139",
    (301, 305, 307, 315),
    "DatumGebruik en Datum van de Geboortedatum zijn in overeenstemming (3: 01-01-1900, "
    "2: dag en maand 01-01, 1: dag 01).",
    "Geboortedatum DatumGebruik matches Datum (3: 1900-01-01, 2: day and month 01-01, 1: day 01).",
)
def cs139(ctx: Ctx, path: str, gd: Geboortedatum) -> None:
    use = gd.datum_gebruik
    if use is None:
        return
    d = gd.datum
    if use == "3":
        ok, want_en, want_nl = d == UNKNOWN_BIRTH_DATE, "1900-01-01", "01-01-1900"
    elif use == "2":
        ok, want_en, want_nl = (
            d.month == 1 and d.day == 1,
            "day and month 01-01",
            "dag en maand 01-01",
        )
    else:  # "1": day unknown
        ok, want_en, want_nl = d.day == 1, "day 01", "dag 01"
    if not ok:
        ctx.add(
            "CS139",
            f"{path}/Datum",
            f"Geboortedatum {d.isoformat()} does not match DatumGebruik {use}, which requires "
            f"{want_en}",
            f"Geboortedatum {d.isoformat()} past niet bij DatumGebruik {use}, dat {want_nl} "
            "vereist",
            d,
        )


def check_geboortedatum(ctx: Ctx, path: str, gd: Geboortedatum) -> None:
    """TR134, TR002 and CS139 on one Geboortedatum."""
    tr134(ctx, f"{path}/Datum", gd.datum, "Geboortedatum")
    tr002(ctx, path, gd)
    cs139(ctx, path, gd)


_WITH_PARTNER = frozenset("1234")
_WITHOUT_PARTNER = frozenset("16")


@rule(
    "CS050",
    (301,),
    "Als Partnernaam gevuld is, dan NaamGebruik 1, 2, 3 of 4; anders NaamGebruik 1 of 6.",
    "With a Partnernaam NaamGebruik is 1, 2, 3 or 4; without one it is 1 or 6.",
)
def cs050(ctx: Ctx, path: str, naam: VolledigeNaam) -> None:
    use = naam.naam_gebruik
    if naam.partnernaam is not None:
        if use not in _WITH_PARTNER:
            ctx.add(
                "CS050",
                f"{path}/NaamGebruik",
                f"NaamGebruik {use} is not allowed with a Partnernaam (expected 1, 2, 3 or 4)",
                f"NaamGebruik {use} is niet toegestaan bij een Partnernaam (verwacht 1, 2, 3 of 4)",
                use,
            )
    elif use not in _WITHOUT_PARTNER:
        ctx.add(
            "CS050",
            f"{path}/NaamGebruik",
            f"NaamGebruik {use} is not allowed without a Partnernaam (expected 1 or 6)",
            f"NaamGebruik {use} is niet toegestaan zonder Partnernaam (verwacht 1 of 6)",
            use,
        )


@rule(
    "CS318",
    (301,),
    "NaamGebruik van de Client is niet 6 (niet-natuurlijk persoon).",
    "The client's NaamGebruik is not 6 (non-natural person).",
)
def cs318(ctx: Ctx, path: str, naam: VolledigeNaam) -> None:
    if naam.naam_gebruik == "6":
        ctx.add(
            "CS318",
            f"{path}/NaamGebruik",
            "NaamGebruik 6 (non-natural person) is not allowed for the Client",
            "NaamGebruik 6 (niet-natuurlijk persoon) is niet toegestaan voor de Client",
            "6",
        )


@rule(
    "CD007",
    (301,),
    "Taal is verplicht als Communicatie/Vorm 1 (tolk taal) is, anders leeg.",
    "Communicatie/Taal is filled if and only if Vorm is 1 (language interpreter).",
)
def cd007(ctx: Ctx, path: str, com: Communicatie) -> None:
    if com.vorm == "1" and com.taal is None:
        ctx.add(
            "CD007",
            f"{path}/Taal",
            "Taal is missing while Communicatie/Vorm is 1 (tolk taal)",
            "Taal ontbreekt terwijl Communicatie/Vorm 1 (tolk taal) is",
            None,
        )
    elif com.vorm != "1" and com.taal is not None:
        ctx.add(
            "CD007",
            f"{path}/Taal",
            f"Taal {fmt(com.taal)} is filled while Communicatie/Vorm is {com.vorm}, not 1",
            f"Taal {fmt_nl(com.taal)} is gevuld terwijl Communicatie/Vorm {com.vorm} is, niet 1",
            com.taal,
        )
