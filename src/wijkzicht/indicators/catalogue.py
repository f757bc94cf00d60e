"""The indicator catalogue: every indicator defined once, as data (no engine).

The Ibis expressions, the plain-Python truth reference (``wijkzicht.synth.reference``) and
``docs/indicators.md`` are all derived from :data:`CATALOGUE`. The counting rules are those of
``docs/counting-rules.md``; this module names, for each indicator, *what* is counted.

An indicator = a **measure** (how trajectories become a number per area and period) applied to
the trajectories that pass its **filter**, for youth in an **age** band, optionally divided by a
**denominator** and multiplied by **per**:

- ``filter`` maps a trajectory column to the allowed values (a set of strings) or to a bool;
  a trajectory passes when every column matches. Columns: see :data:`COLUMNS`.
- ``ages`` = (lowest, highest) completed age, inclusive, from the birth *month*; the day the
  age is taken on depends on the measure (see :data:`MEASURES`).
- ``denominator`` is a population (:data:`POPULATIONS`, youth living in the area on the first
  day of the period), the name of another indicator (its numerator for the same area and
  period: shares and durations), or None (a count: value = numerator).
- ``per``: 1,000 (rate), 100 (percentage) or 1 (mean / median); None for counts.
- ``disclosure``: how :mod:`wijkzicht.indicators.disclosure` protects the row (:data:`RULES`).

Every row is ``indicator, area_code, period, numerator, denominator, value``; the value is
empty when the denominator is 0 (or, for a median, when nothing ended).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

LEVELS = ("gemeente", "wijk", "buurt")
# the address column of each level, and all three
LEVEL_COLUMN = {"gemeente": "gemeente_code", "wijk": "wijk_code", "buurt": "buurt_code"}
AREA = tuple(LEVEL_COLUMN.values())
AREA_LEVELS = LEVELS  # all three
SPLIT_LEVELS = ("gemeente", "wijk")  # detailed splits: at buurt level nearly everything is secret

JEUGDHULP = frozenset({"zonder_verblijf", "met_verblijf"})

COLUMNS: dict[str, str] = {
    "soort": "zonder_verblijf / met_verblijf / jeugdbescherming / jeugdreclassering "
    "(from the CBS hulpvorm: 11–14 met verblijf, JB, JR, else zonder verblijf)",
    "hulpvorm": "CBS hulpvorm: 01–04 (zonder verblijf), 11–14 (met verblijf), JB, JR",
    "categorie": "iJw product category (31–38, 47, 48, 52, 54, …)",
    "aanbieder_soort": "buurtteam / wijkpartner / regionaal / landelijk / gi",
    "verwijzer": "COD327 code 01–08, or onbekend",
    "reden_cbs": "CBS reden beëindiging 01–05, or '' (empty: no CBS mapping, or still running)",
    "crisis": "gestart met crisis (bool)",
    "herhaald_beroep": "an earlier trajectory of the same youth (any hulpvorm, any provider) "
    "ended before this one began (bool)",
    "herinstroom_12m": "the same youth begins another trajectory (any hulpvorm, any provider) "
    "1 to 365 days after this one's einddatum (bool; False while running)",
}

MEASURES: dict[str, tuple[str, str]] = {
    # name: (English, Dutch)
    "youth_in_period": (
        "distinct youth with at least one matching trajectory that overlaps the period "
        "(begindatum ≤ last day and einddatum empty or ≥ first day), of the age band on the "
        "later of begindatum and the first day of the period; each youth counts once, in the "
        "area of their most recent address in the city within the period",
        "unieke jongeren met minstens één passend traject dat de periode overlapt "
        "(begindatum ≤ laatste dag en einddatum leeg of ≥ eerste dag), met de leeftijd op de "
        "laatste van begindatum en eerste dag van de periode; een jongere telt één keer, in het "
        "gebied van het laatste adres in de gemeente binnen de periode",
    ),
    "youth_on_peildatum": (
        "distinct youth with a matching trajectory running on the peildatum (the last day of "
        "the period: begindatum ≤ peildatum and einddatum empty or ≥ peildatum), of the age band "
        "on the peildatum; a jeugdbescherming trajectory that ends on the peildatum does not "
        "count; the area is that of the youth's address in the city on the peildatum",
        "unieke jongeren met een passend traject dat op de peildatum loopt (de laatste dag van "
        "de periode), met de leeftijd op de peildatum; een jeugdbeschermingstraject dat op de "
        "peildatum eindigt telt niet; gebied = het adres in de gemeente op de peildatum",
    ),
    "trajectories_begun": (
        "matching trajectories with begindatum in the period, of youth of the age band on the "
        "begindatum, in the area of the youth's most recent address in the city within the "
        "period",
        "passende trajecten met begindatum in de periode, van jongeren met de leeftijd op de "
        "begindatum, in het gebied van het laatste adres in de gemeente binnen de periode",
    ),
    "trajectories_ended": (
        "matching trajectories with einddatum in the period, of youth of the age band on the "
        "begindatum, in the area of the youth's most recent address in the city within the "
        "period",
        "passende trajecten met einddatum in de periode, van jongeren met de leeftijd op de "
        "begindatum, in het gebied van het laatste adres in de gemeente binnen de periode",
    ),
    "duration_mean_days": (
        "the total duration in days (einddatum − begindatum + 1) of the matching trajectories "
        "ended in the period (counted as trajectories_ended)",
        "de totale duur in dagen (einddatum − begindatum + 1) van de passende trajecten die in "
        "de periode eindigden (geteld als trajectories_ended)",
    ),
    "duration_median_days": (
        "the median duration in days (einddatum − begindatum + 1) of the matching trajectories "
        "ended in the period (counted as trajectories_ended); not additive over areas or periods",
        "de mediane duur in dagen (einddatum − begindatum + 1) van de passende trajecten die in "
        "de periode eindigden; niet optelbaar over gebieden of perioden",
    ),
}
YOUTH_MEASURES = ("youth_in_period", "youth_on_peildatum")
TRAJECTORY_MEASURES = (
    "trajectories_begun",
    "trajectories_ended",
    "duration_mean_days",
    "duration_median_days",
)

POPULATIONS: dict[str, tuple[int, int]] = {
    "pop_0_17": (0, 17),
    "pop_0_22": (0, 22),
    "pop_12_22": (12, 22),
}

RULES: dict[str, str] = {
    "rate": "numerator and denominator are counts: rounded to multiples of 5, secret when 0–7; "
    "the value is computed from the rounded counts",
    "count": "the numerator is a count: rounded to a multiple of 5, secret when 0–7; value = "
    "rounded numerator",
    "duration": "the denominator (ended trajectories) is a count: rounded, secret when 0–7; the "
    "numerator (days) is not published; the value is the exact mean or median",
}


@dataclass(frozen=True)
class Indicator:
    name: str
    label_nl: str
    label_en: str
    family: str
    measure: str
    filter: Mapping[str, frozenset[str] | bool] = field(hash=False)
    ages: tuple[int, int]
    denominator: str | None
    per: int | None
    levels: tuple[str, ...]
    disclosure: str
    description_nl: str
    description_en: str

    def matches(self, row: Mapping[str, object]) -> bool:
        """Whether a trajectory (any mapping or object with the :data:`COLUMNS`) passes."""
        get = row.get if isinstance(row, Mapping) else lambda k: getattr(row, k)
        for column, allowed in self.filter.items():
            value = get(column)
            if isinstance(allowed, bool):
                if bool(value) is not allowed:
                    return False
            elif (value or "") not in allowed:
                return False
        return True


# --- building the catalogue -------------------------------------------------------------------
HULPVORMEN = {
    "01": ("door wijk-/buurtteam", "by the neighbourhood team"),
    "02": ("ambulant op locatie van de aanbieder", "ambulatory at the provider"),
    "03": ("daghulp op locatie van de aanbieder", "day care at the provider"),
    "04": ("in het netwerk van de jeugdige", "in the youth's own network"),
    "11": ("pleegzorg", "foster care"),
    "12": ("gezinsgericht verblijf", "family-style residential care"),
    "13": ("gesloten plaatsing", "secure residential care"),
    "14": ("overig verblijf", "other residential care"),
}
VERWIJZERS = {
    "gemeente": ("01", "gemeente / buurtteam", "municipality / neighbourhood team"),
    "huisarts": ("02", "huisarts", "general practitioner"),
    "jeugdarts": ("03", "jeugdarts", "youth health doctor"),
    "gecertificeerde_instelling": ("04", "gecertificeerde instelling", "certified institution"),
    "medisch_specialist": ("05", "medisch specialist", "medical specialist"),
    "zelfverwijzer": ("06", "zelfverwijzer / geen verwijzer", "self-referral / none"),
    "rechter": ("08", "rechter, OvJ of JJI", "court, prosecutor or youth custody"),
    "onbekend": ("onbekend", "onbekend", "unknown"),
}
REDENEN = {
    "01": ("volgens plan", "according to plan"),
    "02": ("voortijdig, in overeenstemming", "early, by agreement"),
    "03": ("voortijdig, eenzijdig door de cliënt", "early, by the client"),
    "04": ("voortijdig, eenzijdig door de aanbieder", "early, by the provider"),
    "05": ("voortijdig, externe omstandigheden", "early, external circumstances"),
    "": ("onbekend / geen CBS-reden", "unknown / no CBS reason"),
}
AANBIEDERS = {
    "buurtteam": ("het buurtteam", "the neighbourhood team"),
    "wijkpartner": ("de wijkpartners", "the neighbourhood partners"),
    "regionaal": ("regionale aanbieders", "regional providers"),
    "landelijk": ("landelijke aanbieders", "national providers"),
}


EMPTY = "''"


def _describe(
    measure: str,
    filt: Mapping[str, frozenset[str] | bool],
    ages: tuple[int, int],
    denominator: str | None,
    per: int | None,
    subject: tuple[str, str],
) -> tuple[str, str]:
    """(Dutch, English) description generated from the definition."""
    en_m, nl_m = MEASURES[measure]
    lo, hi = ages
    conds = " and ".join(  # EMPTY shows the empty value
        f"{c} = {v}"
        if isinstance(v, bool)
        else f"{c} ∈ {{{', '.join(x or EMPTY for x in sorted(v))}}}"
        for c, v in filt.items()
    )
    if measure == "duration_mean_days":
        value_en = "numerator / denominator: the mean duration in days"
        value_nl = "teller / noemer: de gemiddelde duur in dagen"
    elif measure == "duration_median_days":
        value_en = "the numerator (median days); empty when nothing ended"
        value_nl = "de teller (mediaan in dagen); leeg als niets eindigde"
    elif denominator is None:
        value_en, value_nl = "the numerator (a count)", "de teller (een aantal)"
    elif per == 1000:
        value_en = "numerator / denominator × 1,000"
        value_nl = "teller / noemer × 1.000"
    else:
        value_en = "numerator / denominator × 100 (a percentage)"
        value_nl = "teller / noemer × 100 (een percentage)"
    if denominator is None:
        den_en = den_nl = "none"
    elif denominator in POPULATIONS:
        a, b = POPULATIONS[denominator]
        den_en = (
            f"youth aged {a}–{b} living in the area on the first day of the period "
            "(BRP address history, age from the birth month)"
        )
        den_nl = (
            f"jongeren van {a}–{b} jaar die op de eerste dag van de periode in het gebied wonen"
        )
    else:
        den_en = f"the numerator of `{denominator}` for the same area and period"
        den_nl = f"de teller van `{denominator}` voor hetzelfde gebied en dezelfde periode"
    en = (
        f"{subject[1]}. Trajectories: {conds}; age {lo}–{hi}. Numerator: {en_m}. "
        f"Denominator: {den_en}. Value: {value_en}."
    )
    nl = (
        f"{subject[0]}. Trajecten: {conds}; leeftijd {lo}–{hi} jaar. Teller: {nl_m}. "
        f"Noemer: {den_nl}. Waarde: {value_nl}."
    )
    return nl, en


def _ind(
    name: str,
    label: tuple[str, str],
    family: str,
    measure: str,
    filt: dict[str, frozenset[str] | bool],
    ages: tuple[int, int],
    denominator: str | None,
    per: int | None,
    levels: tuple[str, ...] = AREA_LEVELS,
) -> Indicator:
    if measure in ("duration_mean_days", "duration_median_days"):
        disclosure = "duration"
    elif denominator is None:
        disclosure = "count"
    else:
        disclosure = "rate"
    nl, en = _describe(measure, filt, ages, denominator, per, label)
    return Indicator(
        name=name,
        label_nl=label[0],
        label_en=label[1],
        family=family,
        measure=measure,
        filter=MappingProxyType(dict(filt)),
        ages=ages,
        denominator=denominator,
        per=per,
        levels=levels,
        disclosure=disclosure,
        description_nl=nl,
        description_en=en,
    )


def _youth_care() -> list[Indicator]:
    out = []
    bands = {"0_17": ((0, 17), "pop_0_17"), "0_22": ((0, 22), "pop_0_22")}
    for suffix, (ages, pop) in bands.items():
        a = f"{ages[0]}–{ages[1]}"
        out.append(
            _ind(
                f"jeugdhulp_{suffix}",
                (
                    f"Jongeren met jeugdhulp ({a} jaar), per 1.000",
                    f"Youth with youth care ({a}), per 1,000",
                ),
                "jeugdhulp",
                "youth_in_period",
                {"soort": JEUGDHULP},
                ages,
                pop,
                1000,
            )
        )
        for soort, nl, en, codes in (
            (
                "zonder_verblijf",
                "zonder verblijf",
                "without accommodation",
                ("01", "02", "03", "04"),
            ),
            ("met_verblijf", "met verblijf", "with accommodation", ("11", "12", "13", "14")),
        ):
            out.append(
                _ind(
                    f"jeugdhulp_{soort}_{suffix}",
                    (
                        f"Jongeren met jeugdhulp {nl} ({a} jaar), per 1.000",
                        f"Youth with youth care {en} ({a}), per 1,000",
                    ),
                    "jeugdhulp",
                    "youth_in_period",
                    {"soort": frozenset({soort})},
                    ages,
                    pop,
                    1000,
                )
            )
            for code in codes:
                h_nl, h_en = HULPVORMEN[code]
                out.append(
                    _ind(
                        f"jeugdhulp_hulpvorm_{code}_{suffix}",
                        (
                            f"Jongeren met jeugdhulp {nl}: {h_nl} ({a} jaar), per 1.000",
                            f"Youth with youth care {en}: {h_en} ({a}), per 1,000",
                        ),
                        "jeugdhulp",
                        "youth_in_period",
                        {"hulpvorm": frozenset({code})},
                        ages,
                        pop,
                        1000,
                        SPLIT_LEVELS,
                    )
                )
    out.append(
        _ind(
            "jeugdbescherming",
            (
                "Jongeren met jeugdbescherming (0–17 jaar), per 1.000",
                "Youth under a child protection measure (0–17), per 1,000",
            ),
            "jeugdbescherming",
            "youth_in_period",
            {"soort": frozenset({"jeugdbescherming"})},
            (0, 17),
            "pop_0_17",
            1000,
        )
    )
    out.append(
        _ind(
            "jeugdreclassering",
            (
                "Jongeren met jeugdreclassering (12–22 jaar), per 1.000",
                "Youth under juvenile probation (12–22), per 1,000",
            ),
            "jeugdreclassering",
            "youth_in_period",
            {"soort": frozenset({"jeugdreclassering"})},
            (12, 22),
            "pop_12_22",
            1000,
        )
    )
    return out


def _peildatum() -> list[Indicator]:
    rows = [
        ("jeugdhulp_peildatum_0_17", "jeugdhulp", "youth care", JEUGDHULP, (0, 17), "pop_0_17"),
        ("jeugdhulp_peildatum_0_22", "jeugdhulp", "youth care", JEUGDHULP, (0, 22), "pop_0_22"),
        (
            "jeugdhulp_zonder_verblijf_peildatum_0_17",
            "jeugdhulp zonder verblijf",
            "youth care without accommodation",
            frozenset({"zonder_verblijf"}),
            (0, 17),
            "pop_0_17",
        ),
        (
            "jeugdhulp_met_verblijf_peildatum_0_17",
            "jeugdhulp met verblijf",
            "youth care with accommodation",
            frozenset({"met_verblijf"}),
            (0, 17),
            "pop_0_17",
        ),
        (
            "jeugdbescherming_peildatum",
            "jeugdbescherming",
            "a child protection measure",
            frozenset({"jeugdbescherming"}),
            (0, 17),
            "pop_0_17",
        ),
        (
            "jeugdreclassering_peildatum",
            "jeugdreclassering",
            "juvenile probation",
            frozenset({"jeugdreclassering"}),
            (12, 22),
            "pop_12_22",
        ),
    ]
    out = []
    for name, nl, en, soorten, ages, pop in rows:
        a = f"{ages[0]}–{ages[1]}"
        family = "jeugdhulp" if name.startswith("jeugdhulp") else name.split("_")[0]
        out.append(
            _ind(
                name,
                (
                    f"Jongeren met {nl} op de peildatum ({a} jaar), per 1.000",
                    f"Youth with {en} on the reference date ({a}), per 1,000",
                ),
                family,
                "youth_on_peildatum",
                {"soort": soorten},
                ages,
                pop,
                1000,
            )
        )
    return out


def _trajectories() -> list[Indicator]:
    jh = {"soort": JEUGDHULP}
    ages = (0, 22)
    out = [
        _ind(
            "trajecten_begonnen",
            ("Begonnen jeugdhulptrajecten", "Youth care trajectories begun"),
            "trajecten",
            "trajectories_begun",
            jh,
            ages,
            None,
            None,
        ),
    ]
    for name, nl, en, extra in (
        ("nieuw", "nieuw (geen eerdere hulp)", "new (no earlier care)", {"herhaald_beroep": False}),
        ("herhaald_beroep", "herhaald beroep", "repeat (earlier care)", {"herhaald_beroep": True}),
        ("crisis", "gestart met crisis", "begun as a crisis", {"crisis": True}),
    ):
        out.append(
            _ind(
                f"trajecten_begonnen_{name}",
                (f"Begonnen jeugdhulptrajecten: {nl}", f"Youth care trajectories begun: {en}"),
                "trajecten",
                "trajectories_begun",
                {**jh, **extra},
                ages,
                None,
                None,
                SPLIT_LEVELS,
            )
        )
    out.append(
        _ind(
            "trajecten_beeindigd",
            ("Beëindigde jeugdhulptrajecten", "Youth care trajectories ended"),
            "trajecten",
            "trajectories_ended",
            jh,
            ages,
            None,
            None,
        )
    )
    for code, (nl, en) in REDENEN.items():
        out.append(
            _ind(
                f"trajecten_beeindigd_reden_{code or 'onbekend'}",
                (f"Beëindigde jeugdhulptrajecten: {nl}", f"Youth care trajectories ended: {en}"),
                "trajecten",
                "trajectories_ended",
                {**jh, "reden_cbs": frozenset({code})},
                ages,
                None,
                None,
                SPLIT_LEVELS,
            )
        )
    out.append(
        _ind(
            "trajecten_beeindigd_voortijdig",
            (
                "Voortijdig beëindigde jeugdhulptrajecten (%)",
                "Youth care trajectories ended early (%)",
            ),
            "trajecten",
            "trajectories_ended",
            {**jh, "reden_cbs": frozenset({"02", "03", "04", "05"})},
            ages,
            "trajecten_beeindigd",
            100,
            SPLIT_LEVELS,
        )
    )
    for measure, name, nl, en in (
        ("duration_mean_days", "trajecten_duur_gemiddeld", "gemiddelde", "mean"),
        ("duration_median_days", "trajecten_duur_mediaan", "mediane", "median"),
    ):
        out.append(
            _ind(
                name,
                (
                    f"Beëindigde jeugdhulptrajecten: {nl} duur in dagen",
                    f"Youth care trajectories ended: {en} duration in days",
                ),
                "trajecten",
                measure,
                jh,
                ages,
                "trajecten_beeindigd",
                1,
                SPLIT_LEVELS,
            )
        )
    for soort, nl, en, band in (
        ("jeugdbescherming", "jeugdbeschermingsmaatregelen", "child protection measures", (0, 17)),
        (
            "jeugdreclassering",
            "jeugdreclasseringstrajecten",
            "juvenile probation trajectories",
            (12, 22),
        ),
    ):
        for measure, verb_nl, verb_en, suffix in (
            ("trajectories_begun", "Begonnen", "begun", "begonnen"),
            ("trajectories_ended", "Beëindigde", "ended", "beeindigd"),
        ):
            out.append(
                _ind(
                    f"{soort}_{suffix}",
                    (f"{verb_nl} {nl}", f"{en.capitalize()} {verb_en}"),
                    soort,
                    measure,
                    {"soort": frozenset({soort})},
                    band,
                    None,
                    None,
                )
            )
    return out


def _route_and_place() -> list[Indicator]:
    jh = {"soort": JEUGDHULP}
    out = []
    for name, (code, nl, en) in VERWIJZERS.items():
        out.append(
            _ind(
                f"verwijzer_{name}",
                (
                    f"Begonnen jeugdhulptrajecten verwezen door {nl} (%)",
                    f"Youth care trajectories begun, referred by {en} (%)",
                ),
                "verwijzer",
                "trajectories_begun",
                {**jh, "verwijzer": frozenset({code})},
                (0, 22),
                "trajecten_begonnen",
                100,
                SPLIT_LEVELS,
            )
        )
    out.append(
        _ind(
            "instroom_specialistische_ggz",
            (
                "Instroom in specialistische jeugd-ggz (0–17 jaar), per 1.000",
                "Inflow into specialist youth mental health care (0–17), per 1,000",
            ),
            "ggz",
            "trajectories_begun",
            {"categorie": frozenset({"52", "54"})},
            (0, 17),
            "pop_0_17",
            1000,
        )
    )
    out.append(
        _ind(
            "zorg_dichtbij",
            (
                "Jongeren met jeugdhulp van buurtteam of wijkpartner (% van jeugdhulp 0–17)",
                "Youth with care from the neighbourhood team or partners (% of youth care 0–17)",
            ),
            "zorg_dichtbij",
            "youth_in_period",
            {**jh, "aanbieder_soort": frozenset({"buurtteam", "wijkpartner"})},
            (0, 17),
            "jeugdhulp_0_17",
            100,
        )
    )
    for kind, (nl, en) in AANBIEDERS.items():
        out.append(
            _ind(
                f"zorg_dichtbij_{kind}" if kind in ("buurtteam", "wijkpartner") else f"zorg_{kind}",
                (
                    f"Jongeren met jeugdhulp van {nl} (% van jeugdhulp 0–17)",
                    f"Youth with care from {en} (% of youth care 0–17)",
                ),
                "zorg_dichtbij",
                "youth_in_period",
                {**jh, "aanbieder_soort": frozenset({kind})},
                (0, 17),
                "jeugdhulp_0_17",
                100,
                SPLIT_LEVELS,
            )
        )
    out.append(
        _ind(
            "herinstroom_12m",
            (
                "Beëindigde jeugdhulptrajecten met een nieuw traject binnen 12 maanden (%)",
                "Youth care trajectories ended and followed by a new one within 12 months (%)",
            ),
            "herinstroom",
            "trajectories_ended",
            {**jh, "herinstroom_12m": True},
            (0, 22),
            "trajecten_beeindigd",
            100,
        )
    )
    return out


CATALOGUE: tuple[Indicator, ...] = (
    *_youth_care(),
    *_peildatum(),
    *_trajectories(),
    *_route_and_place(),
)
BY_NAME: Mapping[str, Indicator] = MappingProxyType({i.name: i for i in CATALOGUE})

# Splits whose parts add up exactly to a total (every trajectory in exactly one part): a hidden
# part could be derived from the total, so disclosure control treats them like areas.
PARTITIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("trajecten_begonnen", ("trajecten_begonnen_nieuw", "trajecten_begonnen_herhaald_beroep")),
    ("trajecten_begonnen", tuple(f"verwijzer_{v}" for v in VERWIJZERS)),
    ("trajecten_beeindigd", tuple(f"trajecten_beeindigd_reden_{c or 'onbekend'}" for c in REDENEN)),
)


def get(name: str) -> Indicator:
    """The indicator called ``name`` (``KeyError`` with the known names otherwise)."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown indicator {name!r}; see docs/indicators.md") from None
