"""TR101: no duplicate classes within a message.

"For every class the logical key, combined with the logical keys of the classes above it, is
unique." The keys are the elements the iJw 3.2 specification marks as sleutelelement:

- JW301: Client Bsn · Relatie Nummer · Contact Soort · ToegewezenProduct ToewijzingNummer
- JW305: StartProduct ToewijzingNummer + Product + Begindatum
- JW307: StopProduct ToewijzingNummer + Product + Begindatum + RedenBeeindiging + Einddatum
- JW315: AangevraagdProduct ReferentieAanbieder — that is rule TR383, so not repeated here
- JW317: OngewijzigdProduct / TeWijzigenProduct ToewijzingNummer · NieuwProduct Product +
  GewensteIngangsdatum
- JW323/JW325: Client Bsn · Prestatie ReferentieNummer + VorigReferentieNummer (within its Client)

A message with one Client needs no Client check; keys are compared within their parent class.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from wijkzicht.ijw.rules.base import Ctx, fmt, fmt_nl, rule


@rule(
    "TR101",
    (301, 305, 307, 315, 317, 323, 325),
    "Binnen een bericht zijn dubbele regels niet toegestaan: de logische sleutel van iedere "
    "berichtklasse is uniek binnen de bovenliggende klasse.",
    "No duplicate classes within a message: each class's logical key is unique within its parent.",
)
def tr101(
    ctx: Ctx, base: str, item: str, names: tuple[str, ...], keys: Sequence[tuple[Hashable, ...]]
) -> None:
    """``keys[i]`` is the key of ``{base}/{item}[i+1]``; ``names`` label its parts."""
    if len(keys) < 2 or len(set(keys)) == len(keys):
        return
    first: dict[tuple[Hashable, ...], int] = {}
    for i, key in enumerate(keys, 1):
        j = first.setdefault(key, i)
        if j != i:
            shown = ", ".join(f"{n} {fmt(v)}" for n, v in zip(names, key, strict=True))
            shown_nl = ", ".join(f"{n} {fmt_nl(v)}" for n, v in zip(names, key, strict=True))
            ctx.add(
                "TR101",
                f"{base}/{item}[{i}]",
                f"{item}[{i}] repeats the logical key ({shown}) of {item}[{j}]",
                f"{item}[{i}] herhaalt de logische sleutel ({shown_nl}) van {item}[{j}]",
                shown,
            )
