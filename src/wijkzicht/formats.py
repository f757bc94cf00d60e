"""The CSV exchange formats other than iJw (``docs/synthetic-output.md``): one header list per
kind, written by the synthetic generator and recognised by ingest."""

from __future__ import annotations

CSV_HEADERS: dict[str, list[str]] = {
    "bij": [
        "bsn",
        "geboortedatum",
        "geslacht",
        "postcode",
        "gemeentecode",
        "aanbieder",
        "verwijzer",
        "hulpvorm",
        "gestart_met_crisis",
        "datum_aanvang",
        "datum_einde",
        "reden_beeindiging",
        "periode",  # the delivery's half year (2023H1): identical rows in two periods stay two
    ],
    "brp": [
        "bsn",
        "geslachtsnaam",
        "voornamen",
        "geboortedatum",
        "geslacht",
        "bsn_gezagsdrager",
        "postcode",
        "huisnummer",
        "gemeentecode",
        "datum_aanvang",
        "datum_einde",
    ],
    "bevolking": [
        "jaar",
        "gemeentecode",
        "wijkcode",
        "buurtcode",
        "leeftijd_van",
        "leeftijd_tot",
        "aantal",
    ],
    "ervaring": ["bsn", "aanbieder", "jaar", "nut_effect", "tevredenheid", "zonder_hulp_verder"],
    # area characteristics (CBS Kerncijfers wijken en buurten): one row per area and year;
    # percentages with a decimal comma (or point), empty when unknown or secret
    "kerncijfers": [
        "jaar",
        "gebiedscode",  # GM0344 / WK034401 / BU03440101
        "soort",  # gemeente / wijk / buurt
        "inwoners",
        "huishoudens",
        "pct_laag_inkomen",  # % of households with a low income
        "pct_eenouder",  # % of households with one parent
        "pct_uitkering",  # % of residents aged 15-64 on a benefit
    ],
}
