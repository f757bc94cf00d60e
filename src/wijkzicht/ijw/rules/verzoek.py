"""Requests and answers: JW315 (VOT), JW317 (VOW), JW319 (antwoord).

Rules CD043, CD066–CD068, TR383 (JW315), TR352, TR353, TR380 (JW317), CD085, CD086, TR377,
TR409 (JW319), and the walkers of the three messages.
"""

from __future__ import annotations

from datetime import date

from wijkzicht.ijw.basis import Verwijzer
from wijkzicht.ijw.messages import JW315, JW317, JW319, AangevraagdProduct, Antwoord, Verzoek
from wijkzicht.ijw.rules import persons, products
from wijkzicht.ijw.rules.base import Ctx, rule
from wijkzicht.ijw.rules.dates import cs003
from wijkzicht.ijw.rules.keys import tr101

_ZORGVERLENER_TYPES = frozenset(("02", "03", "04", "05"))  # huisarts, jeugdarts, GI, specialist


@rule(
    "CD043",
    (315,),
    "BeschikkingIngangsdatum is verplicht als BeschikkingNummer gevuld is, anders leeg laten.",
    "BeschikkingIngangsdatum is filled if and only if BeschikkingNummer is filled.",
)
def cd043(ctx: Ctx, path: str, ap: AangevraagdProduct) -> None:
    nummer, datum = ap.beschikking_nummer, ap.beschikking_ingangsdatum
    if nummer is not None and datum is None:
        ctx.add(
            "CD043",
            f"{path}/BeschikkingIngangsdatum",
            f"BeschikkingIngangsdatum is missing while BeschikkingNummer {nummer} is filled",
            f"BeschikkingIngangsdatum ontbreekt terwijl BeschikkingNummer {nummer} gevuld is",
            nummer,
        )
    elif nummer is None and datum is not None:
        ctx.add(
            "CD043",
            f"{path}/BeschikkingIngangsdatum",
            f"BeschikkingIngangsdatum {datum.isoformat()} is filled while BeschikkingNummer is "
            "empty",
            f"BeschikkingIngangsdatum {datum.isoformat()} is gevuld terwijl BeschikkingNummer "
            "leeg is",
            datum,
        )


@rule(
    "CD066",
    (315,),
    "Als Type verwijzer 02, 03, 04 of 05 is en ZorgverlenerCode gevuld, dan Naam verwijzer leeg.",
    "Verwijzer Type 02–05 with a ZorgverlenerCode has no Naam.",
)
def cd066(ctx: Ctx, path: str, v: Verwijzer) -> None:
    if v.type in _ZORGVERLENER_TYPES and v.zorgverlener_code is not None and v.naam is not None:
        ctx.add(
            "CD066",
            f"{path}/Naam",
            f"Verwijzer Naam '{v.naam}' is filled while Type is {v.type} and ZorgverlenerCode "
            f"{v.zorgverlener_code} is filled",
            f"Verwijzer Naam '{v.naam}' is gevuld terwijl Type {v.type} is en ZorgverlenerCode "
            f"{v.zorgverlener_code} gevuld is",
            v.naam,
        )


@rule(
    "CD067",
    (315,),
    "Als Type verwijzer 02, 03, 04 of 05 is en ZorgverlenerCode leeg, dan Naam verwijzer gevuld.",
    "Verwijzer Type 02–05 without a ZorgverlenerCode has a Naam.",
)
def cd067(ctx: Ctx, path: str, v: Verwijzer) -> None:
    if v.type in _ZORGVERLENER_TYPES and v.zorgverlener_code is None and v.naam is None:
        ctx.add(
            "CD067",
            f"{path}/Naam",
            f"Verwijzer Naam is missing while Type is {v.type} and ZorgverlenerCode is empty",
            f"Verwijzer Naam ontbreekt terwijl Type {v.type} is en ZorgverlenerCode leeg is",
            v.type,
        )


@rule(
    "CD068",
    (315,),
    "Als Type verwijzer niet 02, 03, 04 of 05 is, dan ZorgverlenerCode leeg.",
    "Verwijzer types other than 02–05 have no ZorgverlenerCode.",
)
def cd068(ctx: Ctx, path: str, v: Verwijzer) -> None:
    if v.type not in _ZORGVERLENER_TYPES and v.zorgverlener_code is not None:
        ctx.add(
            "CD068",
            f"{path}/ZorgverlenerCode",
            f"ZorgverlenerCode {v.zorgverlener_code} is filled while Verwijzer Type is {v.type}",
            f"ZorgverlenerCode {v.zorgverlener_code} is gevuld terwijl Verwijzer Type {v.type} is",
            v.zorgverlener_code,
        )


@rule(
    "TR383",
    (315,),
    "ReferentieAanbieder is uniek voor elk AangevraagdProduct binnen het bericht.",
    "Each AangevraagdProduct has its own ReferentieAanbieder within the message.",
)
def tr383(ctx: Ctx, base: str, refs: list[str]) -> None:
    if len(refs) < 2 or len(set(refs)) == len(refs):
        return
    first: dict[str, int] = {}
    for i, ref in enumerate(refs, 1):
        j = first.setdefault(ref, i)
        if j != i:
            ctx.add(
                "TR383",
                f"{base}/AangevraagdProduct[{i}]/ReferentieAanbieder",
                f"ReferentieAanbieder '{ref}' of AangevraagdProduct[{i}] is already used by "
                f"AangevraagdProduct[{j}]",
                f"ReferentieAanbieder '{ref}' van AangevraagdProduct[{i}] is al gebruikt door "
                f"AangevraagdProduct[{j}]",
                ref,
            )


def check_jw315(ctx: Ctx, msg: JW315) -> None:
    c = msg.client
    p = "JW315/Client"
    persons.cs002(ctx, f"{p}/Bsn", c.bsn)
    persons.check_geboortedatum(ctx, f"{p}/Geboortedatum", c.geboortedatum)
    entries: list[products.Entry] = []
    for i, ap in enumerate(c.aangevraagde_producten, 1):
        app = f"{p}/AangevraagdeProducten/AangevraagdProduct[{i}]"
        cs003(
            ctx,
            f"{app}/ToewijzingEinddatum",
            ap.toewijzing_einddatum,
            ap.toewijzing_ingangsdatum,
            "ToewijzingEinddatum",
            "ToewijzingIngangsdatum",
        )
        products.check_shape(
            ctx,
            app,
            product=ap.product,
            omvang=ap.omvang,
            budget=ap.budget,
            end=ap.toewijzing_einddatum,
            end_name="ToewijzingEinddatum",
            cd080_code="CD095",
            cs338_code="CS343",
        )
        cd043(ctx, app, ap)
        vp = f"{app}/Verwijzer"
        cd066(ctx, vp, ap.verwijzer)
        cd067(ctx, vp, ap.verwijzer)
        cd068(ctx, vp, ap.verwijzer)
        entries.append((i, ap.product, ap.toewijzing_ingangsdatum, ap.toewijzing_einddatum))
    base = f"{p}/AangevraagdeProducten"
    products.tr302(ctx, base, "AangevraagdProduct", entries, "TR386")
    # TR101 for AangevraagdProduct (key ReferentieAanbieder) is exactly TR383.
    tr383(ctx, base, [ap.referentie_aanbieder for ap in c.aangevraagde_producten])


@rule(
    "TR352",
    (317,),
    "Een verzoek om wijziging bevat minstens 1 OngewijzigdProduct of TeWijzigenProduct.",
    "A VOW holds at least one OngewijzigdProduct or TeWijzigenProduct.",
)
def tr352(ctx: Ctx, path: str, v: Verzoek) -> None:
    if not v.ongewijzigde_producten and not v.te_wijzigen_producten:
        n = len(v.nieuwe_producten)
        ctx.add(
            "TR352",
            path,
            f"Verzoek has no OngewijzigdProduct and no TeWijzigenProduct (only {n} NieuwProduct)",
            f"Verzoek heeft geen OngewijzigdProduct en geen TeWijzigenProduct (alleen {n} "
            "NieuwProduct)",
            n,
        )


@rule(
    "TR353",
    (317,),
    "Een verzoek om wijziging bevat minstens 1 TeWijzigenProduct of NieuwProduct.",
    "A VOW holds at least one TeWijzigenProduct or NieuwProduct.",
)
def tr353(ctx: Ctx, path: str, v: Verzoek) -> None:
    if not v.te_wijzigen_producten and not v.nieuwe_producten:
        n = len(v.ongewijzigde_producten)
        ctx.add(
            "TR353",
            path,
            f"Verzoek has no TeWijzigenProduct and no NieuwProduct (only {n} OngewijzigdProduct)",
            f"Verzoek heeft geen TeWijzigenProduct en geen NieuwProduct (alleen {n} "
            "OngewijzigdProduct)",
            n,
        )


@rule(
    "TR380",
    (317,),
    "GewensteIngangsdatum van een NieuwProduct ligt na de Dagtekening van het bericht.",
    "A NieuwProduct's GewensteIngangsdatum is after the message's Dagtekening.",
)
def tr380(ctx: Ctx, path: str, value: date) -> None:
    if value <= ctx.dagtekening:
        dag = ctx.dagtekening.isoformat()
        ctx.add(
            "TR380",
            f"{path}/GewensteIngangsdatum",
            f"GewensteIngangsdatum {value.isoformat()} is not after the Dagtekening {dag}",
            f"GewensteIngangsdatum {value.isoformat()} ligt niet na de Dagtekening {dag}",
            value,
        )


def check_jw317(ctx: Ctx, msg: JW317) -> None:
    c = msg.client
    p = "JW317/Client"
    persons.cs002(ctx, f"{p}/Bsn", c.bsn)
    v = c.verzoek
    vp = f"{p}/Verzoek"
    tr352(ctx, vp, v)
    tr353(ctx, vp, v)
    for i, tw in enumerate(v.te_wijzigen_producten, 1):
        twp = f"{vp}/TeWijzigenProducten/TeWijzigenProduct[{i}]"
        cs003(
            ctx,
            f"{twp}/Einddatum",
            tw.einddatum,
            tw.gewenste_ingangsdatum,
            "Einddatum",
            "GewensteIngangsdatum",
        )
        products.check_shape(
            ctx,
            twp,
            product=None,
            omvang=tw.omvang,
            budget=tw.budget,
            end=tw.einddatum,
            end_name="Einddatum",
            with_product=False,
        )
    entries: list[products.Entry] = []
    for i, np_ in enumerate(v.nieuwe_producten, 1):
        npp = f"{vp}/NieuweProducten/NieuwProduct[{i}]"
        cs003(
            ctx,
            f"{npp}/Einddatum",
            np_.einddatum,
            np_.gewenste_ingangsdatum,
            "Einddatum",
            "GewensteIngangsdatum",
        )
        tr380(ctx, npp, np_.gewenste_ingangsdatum)
        products.check_shape(
            ctx,
            npp,
            product=np_.product,
            omvang=np_.omvang,
            budget=np_.budget,
            end=np_.einddatum,
            end_name="Einddatum",
            cd080_code="CD096",
        )
        entries.append((i, np_.product, np_.gewenste_ingangsdatum, np_.einddatum))
    products.tr302(ctx, f"{vp}/NieuweProducten", "NieuwProduct", entries, "TR410")
    if len(v.ongewijzigde_producten) > 1:
        tr101(
            ctx,
            f"{vp}/OngewijzigdeProducten",
            "OngewijzigdProduct",
            ("ToewijzingNummer",),
            [(o.toewijzing_nummer,) for o in v.ongewijzigde_producten],
        )
    if len(v.te_wijzigen_producten) > 1:
        tr101(
            ctx,
            f"{vp}/TeWijzigenProducten",
            "TeWijzigenProduct",
            ("ToewijzingNummer",),
            [(t.toewijzing_nummer,) for t in v.te_wijzigen_producten],
        )
    if len(v.nieuwe_producten) > 1:
        # A repeated key (same Product and GewensteIngangsdatum) always overlaps too (TR410).
        tr101(
            ctx,
            f"{vp}/NieuweProducten",
            "NieuwProduct",
            ("Product", "GewensteIngangsdatum"),
            [
                (products.show_product(n.product), n.gewenste_ingangsdatum)
                for n in v.nieuwe_producten
            ],
        )


@rule(
    "CD085",
    (319,),
    "RedenAfwijzingVerzoek is verplicht als VerzoekAntwoord 1 (verzoek afgewezen) is.",
    "RedenAfwijzingVerzoek is required when VerzoekAntwoord is 1 (rejected).",
)
def cd085(ctx: Ctx, path: str, a: Antwoord) -> None:
    if a.verzoek_antwoord == "1" and a.reden_afwijzing_verzoek is None:
        ctx.add(
            "CD085",
            f"{path}/RedenAfwijzingVerzoek",
            "RedenAfwijzingVerzoek is missing while VerzoekAntwoord is 1 (verzoek afgewezen)",
            "RedenAfwijzingVerzoek ontbreekt terwijl VerzoekAntwoord 1 (verzoek afgewezen) is",
            "1",
        )


@rule(
    "CD086",
    (319,),
    "RedenAfwijzingVerzoek leeg laten als VerzoekAntwoord 2 (aanvraag in onderzoek) is.",
    "RedenAfwijzingVerzoek is empty when VerzoekAntwoord is 2 (under investigation).",
)
def cd086(ctx: Ctx, path: str, a: Antwoord) -> None:
    if a.verzoek_antwoord == "2" and a.reden_afwijzing_verzoek is not None:
        r = a.reden_afwijzing_verzoek
        ctx.add(
            "CD086",
            f"{path}/RedenAfwijzingVerzoek",
            f"RedenAfwijzingVerzoek {r} is filled while VerzoekAntwoord is 2 (aanvraag in "
            "onderzoek)",
            f"RedenAfwijzingVerzoek {r} is gevuld terwijl VerzoekAntwoord 2 (aanvraag in "
            "onderzoek) is",
            r,
        )


@rule(
    "TR377",
    (319,),
    "Als RedenAfwijzingVerzoek 8 (woonplaatsbeginsel) is, dan berichtklasse Woonplaatsbeginsel "
    "opnemen.",
    "With RedenAfwijzingVerzoek 8 (woonplaatsbeginsel) the Woonplaatsbeginsel class is present.",
)
def tr377(ctx: Ctx, path: str, a: Antwoord) -> None:
    if a.reden_afwijzing_verzoek == "8" and a.woonplaatsbeginsel is None:
        ctx.add(
            "TR377",
            f"{path}/Woonplaatsbeginsel",
            "Woonplaatsbeginsel is missing while RedenAfwijzingVerzoek is 8 (woonplaatsbeginsel)",
            "Woonplaatsbeginsel ontbreekt terwijl RedenAfwijzingVerzoek 8 (woonplaatsbeginsel) is",
            "8",
        )


@rule(
    "TR409",
    (319,),
    "Als RedenAfwijzingVerzoek niet 8 (woonplaatsbeginsel) is, dan berichtklasse "
    "Woonplaatsbeginsel weglaten.",
    "Without RedenAfwijzingVerzoek 8 the Woonplaatsbeginsel class is absent.",
)
def tr409(ctx: Ctx, path: str, a: Antwoord) -> None:
    if a.reden_afwijzing_verzoek != "8" and a.woonplaatsbeginsel is not None:
        r = a.reden_afwijzing_verzoek
        shown, shown_nl = (r, r) if r is not None else ("empty", "leeg")
        g = a.woonplaatsbeginsel.gemeente
        ctx.add(
            "TR409",
            f"{path}/Woonplaatsbeginsel",
            f"Woonplaatsbeginsel (Gemeente {g}) is present while RedenAfwijzingVerzoek is "
            f"{shown}, not 8",
            f"Woonplaatsbeginsel (Gemeente {g}) is aanwezig terwijl RedenAfwijzingVerzoek "
            f"{shown_nl} is, "
            "niet 8",
            g,
        )


def check_jw319(ctx: Ctx, msg: JW319) -> None:
    a = msg.antwoord
    p = "JW319/Antwoord"
    cd085(ctx, p, a)
    cd086(ctx, p, a)
    tr377(ctx, p, a)
    tr409(ctx, p, a)
