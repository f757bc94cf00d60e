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
}
