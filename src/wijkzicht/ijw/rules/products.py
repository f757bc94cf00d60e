"""Rules on the shape of a (requested) toewijzing — product, Omvang, Budget, Einddatum — and on
repeated products: CD041, CD075–CD080, CD095, CD096, CS338, CS343, CS335, CS336, TR302, TR386,
TR410.

The same shape rules apply to JW301 ToegewezenProduct, JW315 AangevraagdProduct and JW317
NieuwProduct/TeWijzigenProduct; the walkers pass the values and the element names.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from wijkzicht.ijw.basis import Omvang, Product
from wijkzicht.ijw.rules.base import Ctx, fmt_period, fmt_period_nl, rule

CUTOFF = date(
    2020, 12, 31
)  # "Einddatum groter dan 31-12-2020 of leeg" (CD080, CD095, CD096, CS338)
_FREQ_UNITS = frozenset(("14", "16", "83", "84"))  # etmaal, dagdeel, euro's, stuks (inspanning)
_FREQ_ALLOWED = frozenset(("2", "4", "6"))
_REMOVED = frozenset(("13", "01"))  # RedenWijziging of toewijzingen that do not count for TR302


def show_product(p: Product | None) -> str:
    if p is None:
        return "(none)"
    return f"{p.categorie}/{p.code}" if p.code is not None else p.categorie


def show_omvang(o: Omvang) -> str:
    return f"Volume {o.volume}, Eenheid {o.eenheid}, Frequentie {o.frequentie}"


def _after_cutoff_or_open(end: date | None) -> bool:
    return end is None or end > CUTOFF


@rule(
    "CD041",
    (301, 315, 317),
    "Omvang is verplicht als Code in Product gevuld is.",
    "Omvang is required when Product/Code is filled.",
)
def cd041(ctx: Ctx, path: str, product: Product | None, omvang: Omvang | None) -> None:
    if omvang is None and product is not None and product.code is not None:
        ctx.add(
            "CD041",
            f"{path}/Omvang",
            f"Omvang is missing while Product/Code {product.code} is filled",
            f"Omvang ontbreekt terwijl Product/Code {product.code} gevuld is",
            product.code,
        )


@rule(
    "CD079",
    (301, 315, 317),
    "Product is verplicht als Budget leeg is.",
    "Product is required when Budget is empty.",
)
def cd079(ctx: Ctx, path: str, product: Product | None, budget: int | None) -> None:
    if product is None and budget is None:
        ctx.add(
            "CD079",
            f"{path}/Product",
            "Product is missing while Budget is empty",
            "Product ontbreekt terwijl Budget leeg is",
            None,
        )


@rule(
    "CD077",
    (301, 315, 317),
    "Omvang leeg laten als Budget gevuld is.",
    "Omvang is empty when Budget is filled.",
)
@rule(
    "CD078",
    (301, 315, 317),
    "Budget leeg laten als Omvang gevuld is.",
    "Budget is empty when Omvang is filled.",
)
def cd077_cd078(ctx: Ctx, path: str, omvang: Omvang | None, budget: int | None) -> None:
    # One condition seen from both elements: a class with both breaks both rules.
    if omvang is not None and budget is not None:
        shown = show_omvang(omvang)
        ctx.add(
            "CD077",
            f"{path}/Omvang",
            f"Omvang ({shown}) is filled while Budget {budget} is filled",
            f"Omvang ({shown}) is gevuld terwijl Budget {budget} gevuld is",
            shown,
        )
        ctx.add(
            "CD078",
            f"{path}/Budget",
            f"Budget {budget} is filled while Omvang ({shown}) is filled",
            f"Budget {budget} is gevuld terwijl Omvang ({shown}) gevuld is",
            budget,
        )


@rule(
    "CD075",
    (301, 315, 317),
    "Einddatum is verplicht als Budget gevuld is.",
    "The Einddatum (ToewijzingEinddatum in JW315) is required when Budget is filled.",
)
def cd075(ctx: Ctx, path: str, budget: int | None, end: date | None, end_name: str) -> None:
    if budget is not None and end is None:
        ctx.add(
            "CD075",
            f"{path}/{end_name}",
            f"{end_name} is missing while Budget {budget} is filled",
            f"{end_name} ontbreekt terwijl Budget {budget} gevuld is",
            budget,
        )


@rule(
    "CD076",
    (301, 315, 317),
    "Einddatum is verplicht als Frequentie 2 (per week) is.",
    "The Einddatum (ToewijzingEinddatum in JW315) is required when Omvang/Frequentie is 2 (per "
    "week).",
)
def cd076(ctx: Ctx, path: str, omvang: Omvang | None, end: date | None, end_name: str) -> None:
    if omvang is not None and omvang.frequentie == "2" and end is None:
        ctx.add(
            "CD076",
            f"{path}/{end_name}",
            f"{end_name} is missing while Omvang/Frequentie is 2 (per week)",
            f"{end_name} ontbreekt terwijl Omvang/Frequentie 2 (per week) is",
            "2",
        )


@rule(
    "CD080",
    (301,),
    "Omvang leeg laten als Code in Product leeg is en Einddatum leeg of later dan 31-12-2020 is.",
    "ToegewezenProduct: no Omvang without Product/Code when Einddatum is empty or after "
    "2020-12-31.",
)
@rule(
    "CD095",
    (315,),
    "Omvang leeg laten als Code in Product leeg is en ToewijzingEinddatum leeg of later dan "
    "31-12-2020 is.",
    "AangevraagdProduct: no Omvang without Product/Code when ToewijzingEinddatum is empty or after "
    "2020-12-31.",
)
@rule(
    "CD096",
    (317,),
    "Omvang leeg laten als Code in Product van NieuwProduct leeg is en Einddatum leeg of later dan "
    "31-12-2020 is.",
    "NieuwProduct: no Omvang without Product/Code when Einddatum is empty or after 2020-12-31.",
)
def cd080(
    ctx: Ctx,
    path: str,
    product: Product | None,
    omvang: Omvang | None,
    end: date | None,
    end_name: str,
    code: str = "CD080",
) -> None:
    # Reading of the rule text "Code in Product leeg": also true when Product itself is absent.
    if omvang is None or (product is not None and product.code is not None):
        return
    if _after_cutoff_or_open(end):
        when_en = "empty" if end is None else f"{end.isoformat()} (after 2020-12-31)"
        when_nl = "leeg" if end is None else f"{end.isoformat()} (na 31-12-2020)"
        shown = show_omvang(omvang)
        ctx.add(
            code,
            f"{path}/Omvang",
            f"Omvang ({shown}) is filled while Product {show_product(product)} has no Code "
            f"and {end_name} is {when_en}",
            f"Omvang ({shown}) is gevuld terwijl Product {show_product(product)} geen Code heeft "
            f"en {end_name} {when_nl} is",
            shown,
        )


@rule(
    "CS338",
    (301, 317),
    "Als Eenheid 14, 16, 83 of 84 is en Einddatum leeg of later dan 31-12-2020, dan Frequentie "
    "2, 4 of 6.",
    "With Eenheid 14, 16, 83 or 84 and an Einddatum that is empty or after 2020-12-31, "
    "Frequentie is "
    "2, 4 or 6.",
)
@rule(
    "CS343",
    (315,),
    "Als Eenheid 14, 16, 83 of 84 is en ToewijzingEinddatum leeg of later dan 31-12-2020, dan "
    "Frequentie 2, 4 of 6.",
    "With Eenheid 14, 16, 83 or 84 and a ToewijzingEinddatum that is empty or after 2020-12-31, "
    "Frequentie is 2, 4 or 6.",
)
def cs338(
    ctx: Ctx, path: str, omvang: Omvang | None, end: date | None, end_name: str, code: str = "CS338"
) -> None:
    if (
        omvang is not None
        and omvang.eenheid in _FREQ_UNITS
        and omvang.frequentie not in _FREQ_ALLOWED
        and _after_cutoff_or_open(end)
    ):
        f, e = omvang.frequentie, omvang.eenheid
        ctx.add(
            code,
            f"{path}/Omvang/Frequentie",
            f"Frequentie {f} is not allowed with Eenheid {e} when {end_name} is empty or after "
            "2020-12-31 (expected 2, 4 or 6)",
            f"Frequentie {f} is niet toegestaan bij Eenheid {e} als {end_name} leeg is of na "
            "31-12-2020 ligt (verwacht 2, 4 of 6)",
            f,
        )


def check_shape(
    ctx: Ctx,
    path: str,
    *,
    product: Product | None,
    omvang: Omvang | None,
    budget: int | None,
    end: date | None,
    end_name: str,
    with_product: bool = True,
    cd080_code: str = "CD080",
    cs338_code: str = "CS338",
) -> None:
    """The product/Omvang/Budget/Einddatum rules of one (requested) toewijzing.

    ``with_product`` is False for JW317 TeWijzigenProduct, which has no Product element, so the
    rules conditioned on Product (CD041, CD079, CD096) do not apply to it.
    """
    if with_product:
        cd041(ctx, path, product, omvang)
        cd079(ctx, path, product, budget)
        cd080(ctx, path, product, omvang, end, end_name, cd080_code)
    cd077_cd078(ctx, path, omvang, budget)
    cd075(ctx, path, budget, end, end_name)
    cd076(ctx, path, omvang, end, end_name)
    cs338(ctx, path, omvang, end, end_name, cs338_code)


@rule(
    "CS335",
    (301,),
    "RedenWijziging 13 (verwijderd) alleen als Einddatum gelijk is aan Ingangsdatum.",
    "RedenWijziging 13 (verwijderd) is only used when Einddatum equals Ingangsdatum.",
)
def cs335(ctx: Ctx, path: str, reden: str | None, begin: date, end: date | None) -> None:
    if reden == "13" and end != begin:
        shown = end.isoformat() if end is not None else "empty"
        shown_nl = end.isoformat() if end is not None else "leeg"
        ctx.add(
            "CS335",
            f"{path}/RedenWijziging",
            f"RedenWijziging 13 (verwijderd) while Einddatum {shown} differs from Ingangsdatum "
            f"{begin.isoformat()}",
            f"RedenWijziging 13 (verwijderd) terwijl Einddatum {shown_nl} afwijkt van Ingangsdatum "
            f"{begin.isoformat()}",
            "13",
        )


@rule(
    "CS336",
    (301,),
    "RedenWijziging 01 (administratieve correctie, vervallen) niet gebruiken.",
    "RedenWijziging 01 (administratieve correctie, vervallen) is not used.",
)
def cs336(ctx: Ctx, path: str, reden: str | None) -> None:
    if reden == "01":
        ctx.add(
            "CS336",
            f"{path}/RedenWijziging",
            "RedenWijziging 01 (administratieve correctie, vervallen) is no longer allowed",
            "RedenWijziging 01 (administratieve correctie, vervallen) mag niet meer gebruikt "
            "worden",
            "01",
        )


def removed(reden: str | None, begin: date, end: date | None) -> bool:
    """A toewijzing withdrawn as if never issued (TR302: RedenWijziging 13 or 01, Einddatum =
    Ingangsdatum); it takes no part in the overlap check."""
    return reden in _REMOVED and end == begin


def same_product(a: Product | None, b: Product | None) -> bool:
    """Do two products count as "the same" for TR302/TR386/TR410? Compared on code when both
    have one, else on category; a class without Product clashes with every other."""
    if a is None or b is None:
        return True
    if a.categorie != b.categorie:
        return False
    return a.code is None or b.code is None or a.code == b.code


# (position in its list, product, begin, end or None for open-ended)
Entry = tuple[int, Product | None, date, date | None]


@rule(
    "TR302",
    (301,),
    "Een Product komt alleen vaker in een toewijzingsbericht voor als de periodes niet overlappen "
    "(op code, anders categorie, anders elk product; verwijderde toewijzingen tellen niet mee).",
    "A product is only repeated in a JW301 with non-overlapping periods (same code, else same "
    "category, else any product; removed toewijzingen do not count).",
)
@rule(
    "TR386",
    (315,),
    "Een Product komt alleen vaker in een verzoek om toewijzing voor als de periodes niet "
    "overlappen (op code, anders categorie, anders elk product).",
    "A product is only repeated in a JW315 with non-overlapping periods (same code, else same "
    "category, else any product).",
)
@rule(
    "TR410",
    (317,),
    "Een Product komt alleen vaker als NieuwProduct voor als de periodes niet overlappen (op code, "
    "anders categorie, anders elk product).",
    "A product is only repeated among JW317 NieuwProducten with non-overlapping periods (same "
    "code, "
    "else same category, else any product).",
)
def tr302(ctx: Ctx, base: str, item: str, entries: Sequence[Entry], code: str = "TR302") -> None:
    """Report each class whose period overlaps an earlier class with the same product."""
    n = len(entries)
    for x in range(1, n):
        i, pi, bi, ei = entries[x]
        for y in range(x):
            j, pj, bj, ej = entries[y]
            if same_product(pi, pj) and (ej is None or bi <= ej) and (ei is None or bj <= ei):
                shown = show_product(pi)
                here, there = fmt_period(bi, ei), fmt_period(bj, ej)
                ctx.add(
                    code,
                    f"{base}/{item}[{i}]/Product",
                    f"{item}[{i}] Product {shown} ({here}) overlaps {item}[{j}] with the same "
                    f"product {show_product(pj)} ({there})",
                    f"{item}[{i}] Product {shown} ({fmt_period_nl(bi, ei)}) overlapt met "
                    f"{item}[{j}] "
                    f"met hetzelfde product {show_product(pj)} ({fmt_period_nl(bj, ej)})",
                    shown,
                )
                break
