"""Claims: JW323 Declaratie and JW325 Declaratie-antwoord.

Rules CS340, CS100, CS337, TR319, TR335, CD087, CS339, CD060, CS325, TR315, TR316, TR416, TR358,
TR342, and the walkers of both messages (which also apply CS002, TR134, TR137 and TR101).
"""

from __future__ import annotations

from datetime import date

from wijkzicht.ijw.basis import GeslotenPeriode, Referentie
from wijkzicht.ijw.messages import JW323, JW325, Prestatie
from wijkzicht.ijw.rules import persons
from wijkzicht.ijw.rules.base import Ctx, fmt_period, last_day_of_month, rule, years_before
from wijkzicht.ijw.rules.dates import tr134, tr137
from wijkzicht.ijw.rules.keys import tr101

FIRST_DAY = date(2021, 1, 1)  # CS100
_ACCEPTING = frozenset(("0200", "8001"))  # DeclaratieAntwoord retour codes that are no rejection


def signed(amount: int, debet_credit: str) -> int:
    return amount if debet_credit == "D" else -amount


def show_signed(value: int) -> str:
    return f"{abs(value)} {'D' if value >= 0 else 'C'}"


@rule(
    "CS340",
    (323,),
    "DeclaratiePeriode is precies één hele kalendermaand.",
    "The DeclaratiePeriode is exactly one calendar month (first to last day).",
)
def cs340(ctx: Ctx, path: str, periode: GeslotenPeriode) -> None:
    b, e = periode.begindatum, periode.einddatum
    if b.day != 1 or e != last_day_of_month(b):
        shown = fmt_period(b, e)
        ctx.add(
            "CS340",
            path,
            f"DeclaratiePeriode {shown} is not exactly one calendar month",
            f"DeclaratiePeriode {shown} is niet precies één kalendermaand",
            shown,
        )


@rule(
    "CS100",
    (323,),
    "Begindatum van DeclaratiePeriode en ProductPeriode is op of na 01-01-2021.",
    "The Begindatum of the DeclaratiePeriode and of each ProductPeriode is on or after 2021-01-01.",
)
def cs100(ctx: Ctx, path: str, begin: date, name: str) -> None:
    # Reading: the constraint sits on the period; its Begindatum is checked (the Einddatum
    # follows it by TR137).
    if begin < FIRST_DAY:
        ctx.add(
            "CS100",
            path,
            f"{name} Begindatum {begin.isoformat()} is before 2021-01-01",
            f"{name} Begindatum {begin.isoformat()} ligt vóór 01-01-2021",
            begin,
        )


@rule(
    "CS337",
    (323,),
    "Einddatum van de ProductPeriode valt in dezelfde kalendermaand en hetzelfde jaar als de "
    "Begindatum.",
    "A ProductPeriode begins and ends in the same calendar month.",
)
def cs337(ctx: Ctx, path: str, periode: GeslotenPeriode) -> None:
    b, e = periode.begindatum, periode.einddatum
    if b.month != e.month or b.year != e.year:
        ctx.add(
            "CS337",
            f"{path}/Einddatum",
            f"ProductPeriode Einddatum {e.isoformat()} is not in the calendar month of Begindatum "
            f"{b.isoformat()}",
            f"ProductPeriode Einddatum {e.isoformat()} valt niet in de kalendermaand van "
            "Begindatum "
            f"{b.isoformat()}",
            e,
        )


@rule(
    "TR319",
    (323,),
    "Een declaratie bevat alleen prestaties waarvan de ProductPeriode in de huidige of een "
    "voorgaande declaratieperiode valt.",
    "A ProductPeriode does not end after the end of the DeclaratiePeriode.",
)
def tr319(ctx: Ctx, path: str, periode: GeslotenPeriode, decl_end: date) -> None:
    # Reading: "within the current or an earlier DeclaratiePeriode" = not after its Einddatum.
    if periode.einddatum > decl_end or periode.begindatum > decl_end:
        shown = fmt_period(periode.begindatum, periode.einddatum)
        ctx.add(
            "TR319",
            path,
            f"ProductPeriode {shown} lies after the end {decl_end.isoformat()} of the "
            "DeclaratiePeriode",
            f"ProductPeriode {shown} ligt na het einde {decl_end.isoformat()} van de "
            "DeclaratiePeriode",
            shown,
        )


@rule(
    "TR335",
    (323,),
    "Einddatum van de ProductPeriode ligt niet meer dan 5 jaar vóór de DeclaratieDagtekening.",
    "A ProductPeriode's Einddatum is at most 5 years before the DeclaratieDagtekening.",
)
def tr335(ctx: Ctx, path: str, end: date, limit: date, dagtekening: date) -> None:
    if end < limit:
        ctx.add(
            "TR335",
            path,
            f"ProductPeriode Einddatum {end.isoformat()} is more than 5 years before "
            f"DeclaratieDagtekening {dagtekening.isoformat()}",
            f"ProductPeriode Einddatum {end.isoformat()} ligt meer dan 5 jaar vóór "
            f"DeclaratieDagtekening {dagtekening.isoformat()}",
            end,
        )


@rule(
    "CD087",
    (323,),
    "ProductTarief is verplicht als Eenheid niet 83 (euro's) is, anders leeg laten.",
    "ProductTarief is filled if and only if Eenheid is not 83 (euro's).",
)
def cd087(ctx: Ctx, path: str, pr: Prestatie) -> None:
    if pr.eenheid == "83":
        if pr.product_tarief is not None:
            ctx.add(
                "CD087",
                f"{path}/ProductTarief",
                f"ProductTarief {pr.product_tarief} is filled while Eenheid is 83 (euro's)",
                f"ProductTarief {pr.product_tarief} is gevuld terwijl Eenheid 83 (euro's) is",
                pr.product_tarief,
            )
    elif pr.product_tarief is None:
        ctx.add(
            "CD087",
            f"{path}/ProductTarief",
            f"ProductTarief is missing while Eenheid is {pr.eenheid}",
            f"ProductTarief ontbreekt terwijl Eenheid {pr.eenheid} is",
            pr.eenheid,
        )


@rule(
    "CS339",
    (323,),
    "Als Eenheid 83 (euro's) is, is IngediendBedrag gelijk aan GeleverdVolume.",
    "With Eenheid 83 (euro's) the IngediendBedrag equals the GeleverdVolume.",
)
def cs339(ctx: Ctx, path: str, pr: Prestatie) -> None:
    if pr.eenheid == "83" and pr.ingediend_bedrag.bedrag != pr.geleverd_volume:
        b, v = pr.ingediend_bedrag.bedrag, pr.geleverd_volume
        ctx.add(
            "CS339",
            f"{path}/IngediendBedrag/Bedrag",
            f"IngediendBedrag {b} differs from GeleverdVolume {v} while Eenheid is 83 (euro's)",
            f"IngediendBedrag {b} wijkt af van GeleverdVolume {v} terwijl Eenheid 83 (euro's) is",
            b,
        )


@rule(
    "CD060",
    (323, 325),
    "VorigReferentieNummer is verplicht als DebetCredit van het IngediendBedrag C (credit) is, "
    "anders leeg laten.",
    "VorigReferentieNummer is filled if and only if the IngediendBedrag is credit (C).",
)
def cd060(ctx: Ctx, path: str, ref: Referentie, debet_credit: str) -> None:
    vorig = ref.vorig_referentie_nummer
    if debet_credit == "C" and vorig is None:
        ctx.add(
            "CD060",
            f"{path}/ProductReferentie/VorigReferentieNummer",
            f"VorigReferentieNummer is missing while ReferentieNummer {ref.referentie_nummer} is "
            "credit (C)",
            f"VorigReferentieNummer ontbreekt terwijl ReferentieNummer {ref.referentie_nummer} "
            "credit (C) is",
            ref.referentie_nummer,
        )
    elif debet_credit == "D" and vorig is not None:
        ctx.add(
            "CD060",
            f"{path}/ProductReferentie/VorigReferentieNummer",
            f"VorigReferentieNummer {vorig} is filled while the IngediendBedrag is debet (D)",
            f"VorigReferentieNummer {vorig} is gevuld terwijl het IngediendBedrag debet (D) is",
            vorig,
        )


@rule(
    "CS325",
    (323, 325),
    "Als (Totaal)Bedrag 0 is, dan DebetCredit D (debet).",
    "An amount of 0 has DebetCredit D.",
)
def cs325(ctx: Ctx, path: str, amount: int, debet_credit: str, name: str) -> None:
    if amount == 0 and debet_credit != "D":
        ctx.add(
            "CS325",
            f"{path}/DebetCredit",
            f"{name} is 0 with DebetCredit {debet_credit}; a zero amount must be D",
            f"{name} is 0 met DebetCredit {debet_credit}; een bedrag van 0 moet D zijn",
            debet_credit,
        )


@rule(
    "TR315",
    (323,),
    "VorigReferentieNummer van de Prestatie is uniek in het bericht.",
    "A VorigReferentieNummer occurs at most once in the message.",
)
def tr315(ctx: Ctx, vorige: list[tuple[str, str]]) -> None:
    """``vorige`` holds (prestatie path, VorigReferentieNummer) for each credit prestatie."""
    if len(vorige) < 2:
        return
    first: dict[str, str] = {}
    for path, vorig in vorige:
        other = first.setdefault(vorig, path)
        if other != path:
            ctx.add(
                "TR315",
                f"{path}/ProductReferentie/VorigReferentieNummer",
                f"VorigReferentieNummer {vorig} is already used by {other}",
                f"VorigReferentieNummer {vorig} is al gebruikt door {other}",
                vorig,
            )


@rule(
    "TR316",
    (323,),
    "Debetregels worden niet in hetzelfde bericht gecrediteerd: VorigReferentieNummer is geen "
    "ReferentieNummer uit hetzelfde bericht.",
    "No crediting of a debet in the same message: a VorigReferentieNummer is not a "
    "ReferentieNummer of the same message.",
)
def tr316(ctx: Ctx, vorige: list[tuple[str, str]], referenties: set[str]) -> None:
    for path, vorig in vorige:
        if vorig in referenties:
            ctx.add(
                "TR316",
                f"{path}/ProductReferentie/VorigReferentieNummer",
                f"VorigReferentieNummer {vorig} credits a Prestatie with ReferentieNummer {vorig} "
                "in the same message",
                f"VorigReferentieNummer {vorig} crediteert een Prestatie met ReferentieNummer "
                f"{vorig} "
                "in hetzelfde bericht",
                vorig,
            )


DebetKey = tuple[int, str, str, date, date]


@rule(
    "TR416",
    (323,),
    "Geen twee debetprestaties met gelijke ToewijzingNummer, ProductCategorie, ProductCode en "
    "ProductPeriode in het bericht.",
    "No two debet prestaties with the same ToewijzingNummer, ProductCategorie, ProductCode and "
    "ProductPeriode in the message.",
)
def tr416(ctx: Ctx, debets: list[tuple[str, DebetKey]]) -> None:
    """``debets`` holds (prestatie path, key) for each debet prestatie of the message."""
    # Reading: the rule text names no client, so debets are compared across the whole message
    # (a ToewijzingNummer is unique per gemeente anyway).
    if len(debets) < 2:
        return
    first: dict[DebetKey, str] = {}
    for path, key in debets:
        other = first.setdefault(key, path)
        if other != path:
            nr, cat, code, b, e = key
            shown = (
                f"ToewijzingNummer {nr}, Product {cat}/{code}, ProductPeriode {fmt_period(b, e)}"
            )
            ctx.add(
                "TR416",
                path,
                f"debet Prestatie ({shown}) repeats the debet Prestatie {other}",
                f"debetprestatie ({shown}) herhaalt de debetprestatie {other}",
                shown,
            )


@rule(
    "TR358",
    (323,),
    "TotaalIngediendBedrag is gelijk aan de som van de IngediendBedragen van alle prestaties "
    "(debet opgeteld, credit afgetrokken).",
    "TotaalIngediendBedrag equals the sum of all IngediendBedrag (debet added, credit subtracted).",
)
def tr358(ctx: Ctx, path: str, total: int, total_dc: str, computed: int) -> None:
    stated = signed(total, total_dc)
    if stated != computed:
        s, c = show_signed(stated), show_signed(computed)
        ctx.add(
            "TR358",
            f"{path}/TotaalBedrag",
            f"TotaalIngediendBedrag {s} differs from the sum of the prestaties {c}",
            f"TotaalIngediendBedrag {s} wijkt af van de som van de prestaties {c}",
            s,
        )


@rule(
    "TR342",
    (325,),
    "Som van IngediendBedrag van de (afgewezen) prestaties = TotaalIngediendBedrag − "
    "TotaalToegekendBedrag; bij afkeur van DeclaratieAntwoord is TotaalToegekendBedrag 0.",
    "The listed (rejected) prestaties explain TotaalIngediendBedrag − TotaalToegekendBedrag; "
    "TotaalToegekendBedrag is 0 when the DeclaratieAntwoord itself is rejected.",
)
def tr342(ctx: Ctx, path: str, ingediend: int, toegekend: int, listed: int, rejected: bool) -> None:
    where = f"{path}/TotaalToegekendBedrag/TotaalBedrag"
    t = show_signed(toegekend)
    if rejected:
        if toegekend != 0:
            ctx.add(
                "TR342",
                where,
                f"TotaalToegekendBedrag {t} must be 0 when DeclaratieAntwoord is rejected",
                f"TotaalToegekendBedrag {t} moet 0 zijn als DeclaratieAntwoord is afgekeurd",
                t,
            )
    elif ingediend - toegekend != listed:
        i, s = show_signed(ingediend), show_signed(listed)
        ctx.add(
            "TR342",
            where,
            f"TotaalToegekendBedrag {t} does not match TotaalIngediendBedrag {i} minus the listed "
            f"prestaties {s}",
            f"TotaalToegekendBedrag {t} past niet bij TotaalIngediendBedrag {i} min de vermelde "
            f"prestaties {s}",
            t,
        )


def _prestatie_keys(prestaties: list) -> list[tuple[str, str | None]]:
    return [
        (pr.product_referentie.referentie_nummer, pr.product_referentie.vorig_referentie_nummer)
        for pr in prestaties
    ]


_PRESTATIE_KEY = ("ReferentieNummer", "VorigReferentieNummer")


def check_jw323(ctx: Ctx, msg: JW323) -> None:
    d = msg.declaratie
    p = "JW323/Declaratie"
    dp = d.declaratie_periode
    dpp = f"{p}/DeclaratiePeriode"
    cs100(ctx, f"{dpp}/Begindatum", dp.begindatum, "DeclaratiePeriode")
    cs340(ctx, dpp, dp)
    tr134(ctx, f"{dpp}/Begindatum", dp.begindatum, "DeclaratiePeriode Begindatum")
    tr137(ctx, f"{dpp}/Einddatum", dp.einddatum, dp.begindatum, "DeclaratiePeriode Einddatum")
    tot = d.totaal_ingediend_bedrag
    cs325(
        ctx,
        f"{p}/TotaalIngediendBedrag",
        tot.totaal_bedrag,
        tot.debet_credit,
        "TotaalIngediendBedrag",
    )

    decl_end = dp.einddatum
    limit = years_before(d.declaratie_dagtekening, 5)
    computed = 0
    referenties: set[str] = set()
    vorige: list[tuple[str, str]] = []
    debets: list[tuple[str, DebetKey]] = []
    for ci, cl in enumerate(d.clienten, 1):
        cp = f"{p}/Clienten/Client[{ci}]"
        persons.cs002(ctx, f"{cp}/Bsn", cl.bsn)
        for pi, pr in enumerate(cl.prestaties, 1):
            prp = f"{cp}/Prestaties/Prestatie[{pi}]"
            per = pr.product_periode
            perp = f"{prp}/ProductPeriode"
            cs100(ctx, f"{perp}/Begindatum", per.begindatum, "ProductPeriode")
            cs337(ctx, perp, per)
            tr134(ctx, f"{perp}/Begindatum", per.begindatum, "ProductPeriode Begindatum")
            tr137(
                ctx, f"{perp}/Einddatum", per.einddatum, per.begindatum, "ProductPeriode Einddatum"
            )
            tr319(ctx, perp, per, decl_end)
            tr335(ctx, f"{perp}/Einddatum", per.einddatum, limit, d.declaratie_dagtekening)
            cd087(ctx, prp, pr)
            cs339(ctx, prp, pr)
            bedrag = pr.ingediend_bedrag
            ref = pr.product_referentie
            cd060(ctx, prp, ref, bedrag.debet_credit)
            cs325(
                ctx, f"{prp}/IngediendBedrag", bedrag.bedrag, bedrag.debet_credit, "IngediendBedrag"
            )
            referenties.add(ref.referentie_nummer)
            if bedrag.debet_credit == "D":
                computed += bedrag.bedrag
                debets.append(
                    (
                        prp,
                        (
                            pr.toewijzing_nummer,
                            pr.product_categorie,
                            pr.product_code,
                            per.begindatum,
                            per.einddatum,
                        ),
                    )
                )
            else:
                computed -= bedrag.bedrag
            if ref.vorig_referentie_nummer is not None:
                vorige.append((prp, ref.vorig_referentie_nummer))
        if len(cl.prestaties) > 1:
            tr101(
                ctx, f"{cp}/Prestaties", "Prestatie", _PRESTATIE_KEY, _prestatie_keys(cl.prestaties)
            )
    if len(d.clienten) > 1:
        tr101(ctx, f"{p}/Clienten", "Client", ("Bsn",), [(cl.bsn,) for cl in d.clienten])
    tr358(ctx, f"{p}/TotaalIngediendBedrag", tot.totaal_bedrag, tot.debet_credit, computed)
    tr315(ctx, vorige)
    tr316(ctx, vorige, referenties)
    tr416(ctx, debets)


def check_jw325(ctx: Ctx, msg: JW325) -> None:
    da = msg.declaratie_antwoord
    if da is None:  # header-level rejection: nothing but the header
        return
    p = "JW325/DeclaratieAntwoord"
    ti, tt = da.totaal_ingediend_bedrag, da.totaal_toegekend_bedrag
    cs325(
        ctx,
        f"{p}/TotaalIngediendBedrag",
        ti.totaal_bedrag,
        ti.debet_credit,
        "TotaalIngediendBedrag",
    )
    cs325(
        ctx,
        f"{p}/TotaalToegekendBedrag",
        tt.totaal_bedrag,
        tt.debet_credit,
        "TotaalToegekendBedrag",
    )
    listed = 0
    for ci, cl in enumerate(da.clienten, 1):
        cp = f"{p}/Clienten/Client[{ci}]"
        persons.cs002(ctx, f"{cp}/Bsn", cl.bsn)
        for pi, pr in enumerate(cl.prestaties, 1):
            prp = f"{cp}/Prestaties/Prestatie[{pi}]"
            per = pr.product_periode
            perp = f"{prp}/ProductPeriode"
            tr134(ctx, f"{perp}/Begindatum", per.begindatum, "ProductPeriode Begindatum")
            tr137(
                ctx, f"{perp}/Einddatum", per.einddatum, per.begindatum, "ProductPeriode Einddatum"
            )
            bedrag = pr.ingediend_bedrag
            cd060(ctx, prp, pr.product_referentie, bedrag.debet_credit)
            cs325(
                ctx, f"{prp}/IngediendBedrag", bedrag.bedrag, bedrag.debet_credit, "IngediendBedrag"
            )
            listed += signed(bedrag.bedrag, bedrag.debet_credit)
        if len(cl.prestaties) > 1:
            tr101(
                ctx, f"{cp}/Prestaties", "Prestatie", _PRESTATIE_KEY, _prestatie_keys(cl.prestaties)
            )
    if len(da.clienten) > 1:
        tr101(ctx, f"{p}/Clienten", "Client", ("Bsn",), [(cl.bsn,) for cl in da.clienten])
    # Reading: the DeclaratieAntwoord is rejected when its own RetourCodes hold anything other
    # than 0200 (geen opmerking) or 8001 (volledig toegewezen).
    rejected = any(code not in _ACCEPTING for code in da.retour_codes)
    tr342(
        ctx,
        p,
        signed(ti.totaal_bedrag, ti.debet_credit),
        signed(tt.totaal_bedrag, tt.debet_credit),
        listed,
        rejected,
    )
