"""The youth-care network of a synthetic city: buurtteams, neighbourhood partners, regional and
national providers and a gecertificeerde instelling, with what they deliver and how they are paid.
"""

from __future__ import annotations

from dataclasses import dataclass

# The category → hulpvorm table lives with the care model (one table, domain §2); re-exported.
from wijkzicht.care.codes import HULPVORM as HULPVORM
from wijkzicht.care.codes import MET_VERBLIJF as MET_VERBLIJF
from wijkzicht.care.codes import soort as soort


@dataclass(frozen=True)
class Provider:
    agb: str  # 8 digits (synthetic)
    name: str
    kind: str  # buurtteam | wijkpartner | regionaal | landelijk | gi
    variant: str  # vrij_toegankelijk | taakgericht | inspanningsgericht | outputgericht
    categories: tuple[str, ...]  # iJw ProductCategorie it delivers
    wijk_code: str | None = None  # buurtteams work in one wijk
    active_from: int = 0  # first year it delivers care (0 = always)

    def product_code(self, categorie: str) -> str:
        return f"{categorie}A{(int(self.agb[-2:]) % 7) + 1:02d}"


# Tariff in eurocent per hour (inspanningsgericht) or per etmaal (verblijf); synthetic.
TARIEF = {
    "32": 9_800,
    "33": 7_500,
    "34": 8_200,
    "35": 4_500,
    "36": 19_500,
    "37": 39_000,
    "38": 24_000,
    "52": 13_500,
    "54": 11_800,
    "47": 8_900,
    "48": 9_300,
}
# Eenheid per category: verblijf per etmaal (14), otherwise per uur (04).
EENHEID = {c: ("14" if HULPVORM[c] in MET_VERBLIJF else "04") for c in HULPVORM}


def network(gemeente_code: str, wijk_codes: list[str]) -> list[Provider]:
    """The providers serving one city. AGB codes are synthetic and derived from the gemeente."""
    g = gemeente_code
    out = [
        Provider(
            f"98{g}{i:02d}",
            f"Buurtteam {i:02d}",
            "buurtteam",
            "vrij_toegankelijk",
            ("31",),
            wijk_code=w,
        )
        for i, w in enumerate(wijk_codes, 1)
    ]
    out += [
        Provider(
            f"97{g}01",
            "Wijkpartner Jeugd & Gezin",
            "wijkpartner",
            "taakgericht",
            ("32", "34"),
            active_from=2020,
        ),
        Provider(
            f"97{g}02",
            "Samen in de Wijk",
            "wijkpartner",
            "taakgericht",
            ("32", "34"),
            active_from=2020,
        ),
        Provider(
            f"96{g}01",
            "Regionale Jeugdhulp Midden",
            "regionaal",
            "inspanningsgericht",
            ("32", "33", "34"),
        ),
        Provider(f"96{g}02", "Pleegzorg Regio", "regionaal", "inspanningsgericht", ("35",)),
        Provider(f"96{g}03", "Gezinshuizen Regio", "regionaal", "outputgericht", ("36", "38")),
        Provider(f"95{g}01", "Landelijke Jeugdzorg Plus", "landelijk", "outputgericht", ("37",)),
        Provider(
            f"95{g}02",
            "Kinder- en Jeugdpsychiatrie NL",
            "landelijk",
            "inspanningsgericht",
            ("52", "54"),
        ),
        Provider(
            f"94{g}01", "Gecertificeerde Instelling Regio", "gi", "inspanningsgericht", ("47", "48")
        ),
    ]
    return out
