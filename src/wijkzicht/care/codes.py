"""The code tables of the care model (``docs/counting-rules.md`` §1, ``docs/care.md``).

One table per mapping, used by the care model, the indicators, the truth reference and the
synthetic generator alike. Pure data: importing this module imports nothing else.
"""

from __future__ import annotations

# iJw ProductCategorie (JZ020) → CBS hulpvorm (Beleidsinformatie Jeugd). 31–38 are the CBS
# categories "(2015)" in the same order; JB/JR are the GI measures (CBS chapter 5). The later
# categories are mapped on their names (domain §2: 43, 44 → met verblijf); categories without a
# CBS counterpart (42 vervoer, 46 crisis, 49 preventief justitieel kader, 50 maatwerk,
# 55 landelijk ingekocht) are absent: their care gets hulpvorm NULL — *uncertain*, set them
# here once the municipality knows what they contain.
HULPVORM: dict[str, str] = {
    "31": "01",
    "32": "02",
    "33": "03",
    "34": "04",
    "35": "11",
    "36": "12",
    "37": "13",
    "38": "14",
    "40": "02",  # persoonlijke verzorging: ambulant
    "41": "03",  # dagbehandeling: daghulp op locatie
    "43": "14",  # verblijf incl. behandeling: overig verblijf
    "44": "14",  # verblijf excl. behandeling: overig verblijf
    "45": "02",  # jeugdhulp ambulant
    "51": "02",  # generalistische basis-ggz: ambulant
    "52": "02",  # specialistische ggz: ambulant op locatie van de aanbieder
    "53": "02",  # kindergeneeskunde: ambulant
    "54": "02",  # jeugd-ggz: ambulant
    "47": "JR",
    "48": "JB",
}
MET_VERBLIJF = frozenset({"11", "12", "13", "14"})
# Categories delivered by a gecertificeerde instelling: the trajectory is the toewijzing itself.
GI_CATEGORIES = ("47", "48")
# The iJw category a BIJ-only trajectory is given (the CBS "(2015)" category of its hulpvorm).
CATEGORIE: dict[str, str] = {
    "01": "31",
    "02": "32",
    "03": "33",
    "04": "34",
    "11": "35",
    "12": "36",
    "13": "37",
    "14": "38",
    "JR": "47",
    "JB": "48",
}

# JZ588 RedenBeeindiging → CBS reden beëindiging; others (20, 36–39) have no CBS code.
REDEN_CBS: dict[str, str] = {"31": "01", "34": "02", "32": "03", "33": "04", "35": "05", "02": "05"}
# CBS → JZ588 for a reason known from BIJ only (05 is taken as 35; 02 overlijden is rare).
REDEN_JZ588: dict[str, str] = {"01": "31", "02": "34", "03": "32", "04": "33", "05": "35"}
TEMPORARY_STOP = "20"  # JZ588 20: levering tijdelijk beëindigd — the trajectory goes on
WITHDRAWN = "13"  # JZ002 RedenWijziging 13: verwijderd — the toewijzing never existed
VERWIJZER_ONBEKEND = "onbekend"

SOORTEN = ("zonder_verblijf", "met_verblijf", "jeugdbescherming", "jeugdreclassering")
AANBIEDER_SOORTEN = ("buurtteam", "wijkpartner", "regionaal", "landelijk", "gi")


def soort(hulpvorm: str | None) -> str | None:
    """zonder_verblijf / met_verblijf / jeugdbescherming / jeugdreclassering."""
    if hulpvorm is None:
        return None
    if hulpvorm == "JB":
        return "jeugdbescherming"
    if hulpvorm == "JR":
        return "jeugdreclassering"
    return "met_verblijf" if hulpvorm in MET_VERBLIJF else "zonder_verblijf"
