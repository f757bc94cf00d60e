"""Built-in name lists for the synthetic city: first names, surnames with voorvoegsels,
and the parts of municipality, wijk and buurt names.

Typed by hand: common Dutch names (including names common among Dutch families of Moroccan,
Turkish, Surinamese and other descent, as in any Dutch city). No external data.
"""

from __future__ import annotations

import random

# fmt: off
BOYS = (
    "Noah", "Sem", "Liam", "Lucas", "Daan", "Finn", "Levi", "Luuk", "Mees", "Sam", "Jesse",
    "Milan", "Bram", "Thijs", "Lars", "Ruben", "Thomas", "Tim", "Max", "Julian", "Gijs",
    "Stijn", "Jens", "Teun", "Hugo", "Olivier", "Mats", "Siem", "Otis", "Boaz", "Adam",
    "Mohammed", "Ayoub", "Yusuf", "Rayan", "Omar", "Ibrahim", "Emir", "Mert", "Daniël",
    "David", "Jayden", "Benjamin", "Floris", "Jurre", "Wout", "Tijn", "Sven", "Kyan", "Dex",
    "Jan", "Pieter", "Kees", "Willem", "Joost", "Mark", "Dennis", "Erik", "Vincent", "Rik",
)
GIRLS = (
    "Emma", "Julia", "Mila", "Tess", "Sophie", "Zoë", "Sara", "Nora", "Yara", "Eva", "Liv",
    "Lotte", "Evi", "Noor", "Anna", "Lieke", "Fenna", "Lynn", "Saar", "Lisa", "Fleur", "Roos",
    "Sanne", "Isa", "Femke", "Maud", "Esmee", "Jasmijn", "Amira", "Ilse", "Nina", "Vera",
    "Lina", "Hanna", "Olivia", "Sofia", "Fatima", "Aya", "Ella", "Fay", "Elin", "Nova",
    "Salma", "Elif", "Zeynep", "Hiba", "Jade", "Floor", "Merel", "Iris", "Johanna", "Maria",
    "Cornelia", "Marieke", "Linda", "Sandra", "Petra", "Anouk", "Kim", "Naomi",
)
# (voorvoegsel or None, geslachtsnaam); the first entries are the most frequent
SURNAMES: tuple[tuple[str | None, str], ...] = (
    ("de", "Jong"), (None, "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("van", "Dijk"),
    (None, "Bakker"), (None, "Janssen"), (None, "Visser"), (None, "Smit"), (None, "Meijer"),
    ("de", "Boer"), (None, "Mulder"), ("de", "Groot"), (None, "Bos"), (None, "Vos"),
    (None, "Peters"), (None, "Hendriks"), ("van", "Leeuwen"), (None, "Dekker"),
    (None, "Brouwer"), ("de", "Wit"), (None, "Dijkstra"), (None, "Smits"), ("de", "Graaf"),
    ("van der", "Meer"), ("van der", "Linden"), (None, "Kok"), (None, "Jacobs"),
    ("de", "Haan"), (None, "Vermeulen"), ("van den", "Heuvel"), ("van der", "Veen"),
    ("van den", "Broek"), ("de", "Bruijn"), ("de", "Bruin"), ("van der", "Heijden"),
    (None, "Schouten"), ("van", "Beek"), (None, "Willems"), ("van", "Vliet"),
    ("van de", "Ven"), (None, "Hoekstra"), (None, "Maas"), (None, "Verhoeven"),
    (None, "Koster"), ("van", "Dam"), ("van der", "Wal"), (None, "Prins"), (None, "Blom"),
    (None, "Huisman"), ("de", "Jonge"), (None, "Kuipers"), ("van", "Veen"), (None, "Post"),
    (None, "Veenstra"), (None, "Kramer"), ("van den", "Brink"), (None, "Scholten"),
    ("van", "Wijk"), (None, "Postma"), (None, "Martens"), (None, "Vink"), ("de", "Ruiter"),
    (None, "Timmermans"), (None, "Groen"), (None, "Gerritsen"), (None, "Jonker"),
    ("van", "Loon"), (None, "Boersma"), ("van der", "Velden"), (None, "Evers"),
    ("ter", "Horst"), ("in 't", "Veld"), ("van 't", "Hof"), ("op de", "Beek"),
    (None, "Yılmaz"), (None, "Kaya"), (None, "Demir"), (None, "Öztürk"), (None, "Şahin"),
    ("El", "Amrani"), (None, "Bouzid"), ("El", "Idrissi"), (None, "Benali"), (None, "Ouali"),
    (None, "Pinas"), (None, "Ramdin"), (None, "Sedney"), (None, "Nguyen"), (None, "Kowalski"),
)
# fmt: on

# --- places ---------------------------------------------------------------------------------
# fmt: off
GEMEENTE_HEADS = (
    "Aal", "Ber", "Bos", "Brede", "Dal", "Drie", "Eem", "Elst", "Gans", "Grave", "Haren",
    "Hoog", "Kamp", "Klaas", "Laag", "Lede", "Maas", "Mid", "Neder", "Noord", "Oost", "Over",
    "Ras", "Rijn", "Schie", "Sloe", "Stad", "Ter", "Uit", "Valk", "Veld", "Vlie", "Wad",
    "Wester", "Wier", "Zand", "Zuid", "Zwaag",
)
GEMEENTE_TAILS = (
    "dam", "dijk", "horst", "broek", "wijk", "hoven", "woude", "loo", "veen", "huizen",
    "recht", "sloot", "lo", "burg", "kerk", "meer", "zijl", "wold", "haven", "berg",
)
WIJK_NAMES = (
    "Binnenstad", "Oost", "West", "Noordoost", "Zuidwest", "Noordwest", "Zuid", "Noord",
    "Vechtoever", "Hoogveld", "Molenkamp", "Lindenhof", "Nieuw-Oost", "Kanaalzone", "Zeeheldenwijk",
    "Vogelzang", "Eikenrode", "Bos en Heide", "De Meent", "Het Lageveld", "Stadsweide",
    "Rivierenland", "Polderwijk", "Kruiskamp", "Hof van Zuid", "De Hoef", "Vinkenveld",
    "Waterwijk", "Parkwijk", "Oude Dorp",
)
BUURT_THEMES = (
    "Bloemen", "Schilders", "Vogel", "Rivieren", "Componisten", "Bomen", "Zeehelden",
    "Sterren", "Vruchten", "Dichters", "Planeten", "Edelstenen", "Kruiden", "Molen",
    "Provincie", "Eiland", "Vaarten", "Landjuweel", "Kastelen", "Vesting", "Hofjes",
    "Burgemeesters", "Beroepen", "Weide", "Duinen", "Polder", "Kerk", "Spoor", "Haven",
    "Verzets", "Muziek", "Boeren", "Vissers", "Lanen", "Park", "Tuinen",
)
BUURT_SUFFIXES = ("buurt", "wijk", "kwartier", "hof", "dorp", "park")
INDUSTRIAL_NAMES = ("Bedrijventerrein", "Industrieterrein", "Kantorenpark", "Stationsgebied")
# fmt: on


def first_name(rng: random.Random, sex: str, *, second: float = 0.3) -> str:
    """A first name, with probability ``second`` followed by a second one ("Daan Pieter")."""
    pool = BOYS if sex == "M" else GIRLS
    # skewed towards the front of the list: the popular names
    name = pool[int(len(pool) * rng.random() ** 1.6)]
    if rng.random() < second:
        other = pool[rng.randrange(len(pool))]
        if other != name:
            name = f"{name} {other}"
    return name


def surname(rng: random.Random) -> tuple[str | None, str]:
    return SURNAMES[int(len(SURNAMES) * rng.random() ** 1.4)]


def gemeente_name(index: int) -> str:
    """A unique made-up municipality name for ``index`` (0 ≤ index < 760)."""
    heads, tails = GEMEENTE_HEADS, GEMEENTE_TAILS
    if not 0 <= index < len(heads) * len(tails):
        raise ValueError(f"no made-up gemeente name for index {index}")
    # step through the grid so that neighbouring indexes do not share a head
    i = (index * 7) % (len(heads) * len(tails))
    head, tail = heads[i % len(heads)], tails[i // len(heads)]
    return head + tail


def wijk_names(rng: random.Random, n: int) -> list[str]:
    names = list(WIJK_NAMES)
    rng.shuffle(names)
    out = names[:n]
    while len(out) < n:  # more wijken than names: number them
        out.append(f"{names[len(out) % len(names)]} {len(out) // len(names) + 1}")
    return out


def buurt_names(rng: random.Random, n: int) -> list[str]:
    combos = [t + s for t in BUURT_THEMES for s in BUURT_SUFFIXES]
    rng.shuffle(combos)
    out = combos[:n]
    while len(out) < n:
        out.append(f"{combos[len(out) % len(combos)]} {len(out) // len(combos) + 1}")
    return out
