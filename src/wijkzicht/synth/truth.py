"""The ground truth the generator encoded: every trajectory and every deliberate error."""

from __future__ import annotations

import csv
from pathlib import Path

from wijkzicht.synth.care import REDEN_CBS, Trajectory
from wijkzicht.synth.providers import soort

TRAJECT_COLUMNS = [
    "traject_id",
    "gemeentecode",
    "bsn",
    "geboortedatum",
    "hulpvorm",
    "categorie",
    "soort",
    "aanbieder",
    "aanbieder_soort",
    "variant",
    "verwijzer",
    "begindatum",
    "einddatum",
    "reden_jz588",
    "reden_cbs",
    "crisis",
    "herhaald_beroep",
    "tijdelijke_stops",
    "bronnen",
]
FOUT_COLUMNS = ["bestand", "berichtcode", "afzender", "identificatie", "regel", "omschrijving"]


def sources(t: Trajectory) -> str:
    """Which sources show this trajectory: BIJ always; iJw unless it is free-access help."""
    return "bij" if t.provider.variant == "vrij_toegankelijk" else "bij+ijw"


def write_trajectories(
    trajectories: list[Trajectory], out: Path, gemeente_code: str, *, append: bool = False
) -> None:
    folder = out / "truth"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "trajecten.csv").open("a" if append else "w", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        if not append:
            w.writerow(TRAJECT_COLUMNS)
        for t in trajectories:
            w.writerow(
                [
                    f"{gemeente_code}-{t.tid}",
                    gemeente_code,
                    t.person.bsn,
                    t.person.birth_date.isoformat(),
                    t.hulpvorm,
                    t.categorie,
                    soort(t.hulpvorm),
                    t.provider.agb,
                    t.provider.kind,
                    t.provider.variant,
                    t.verwijzer,
                    t.begin.isoformat(),
                    t.end.isoformat() if t.end else "",
                    t.reden or "",
                    REDEN_CBS.get(t.reden or "", ""),
                    "ja" if t.crisis else "nee",
                    "ja" if t.herhaald else "nee",
                    ",".join(f"{a.isoformat()}/{b.isoformat()}" for a, b in t.pauses),
                    sources(t),
                ]
            )


def write_errors(rows: list[list[str]], out: Path, *, append: bool = False) -> None:
    folder = out / "truth"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "fouten.csv").open("a" if append else "w", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        if not append:
            w.writerow(FOUT_COLUMNS)
        w.writerows(rows)
