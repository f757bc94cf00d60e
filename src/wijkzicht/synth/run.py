"""Generate a synthetic city (or a whole country) with everything it produces, into a folder."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from wijkzicht import __version__
from wijkzicht.synth import areas_out
from wijkzicht.synth.care import simulate
from wijkzicht.synth.city import generate_city, iter_national_cities
from wijkzicht.synth.deliveries import write_bij, write_survey
from wijkzicht.synth.kerncijfers import KerncijfersWriter
from wijkzicht.synth.mistakes import inject
from wijkzicht.synth.population import City
from wijkzicht.synth.reference import write_indicators
from wijkzicht.synth.traffic import Traffic, declaraties, trajectory_traffic
from wijkzicht.synth.truth import write_errors, write_trajectories
from wijkzicht.synth.write_traffic import TrafficWriter

PROFILES = ("demostad", "national")
# Six years of a whole country's traffic would take ~13 GB zipped; four fit in about 10 GB.
DEFAULT_YEARS = {"demostad": "2019-2024", "national": "2021-2024"}
DEFAULT_ERROR_RATE = 0.01


@dataclass
class Summary:
    """What a run produced (also written to ``manifest.json``)."""

    seed: int
    profile: str
    first_year: int
    last_year: int
    gemeenten: int = 0
    youth: int = 0
    trajectories: int = 0
    messages: int = 0
    message_bytes: int = 0
    deliberate_errors: int = 0
    bij_records: int = 0
    survey_answers: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def manifest(self) -> dict:
        return {"generator": f"wijkzicht {__version__}", **self.__dict__}


Progress = Callable[[str, int], None]


def generate(
    out: str | Path,
    *,
    seed: int = 1,
    first_year: int = 2019,
    last_year: int = 2024,
    profile: str = "demostad",
    youth: int | None = None,
    zipped: bool | None = None,
    error_rate: float = DEFAULT_ERROR_RATE,
    progress: Progress | None = None,
) -> Summary:
    """Write the synthetic city (``demostad``) or country (``national``) into ``out``.

    ``progress(stage, n)`` is called as work advances (``n`` gemeenten done for national).
    ``out`` must be new or empty (:class:`FileExistsError` otherwise).
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose from {', '.join(PROFILES)}")
    out = Path(out)
    if out.is_dir() and any(out.iterdir()):
        # stale files would mix in (and an archive that exists is not written over)
        raise FileExistsError(
            f"{out} is not empty: the generator writes a whole city into a new or empty folder"
            " (another run's files would mix with this one's); remove it or choose another"
        )
    out.mkdir(parents=True, exist_ok=True)
    summary = Summary(seed, profile, first_year, last_year)
    if profile == "demostad":
        cities: Iterable[City] = [
            generate_city(seed, youth=youth or 70_000, first_year=first_year, last_year=last_year)
        ]
        zipped = bool(zipped)
    else:
        cities = iter_national_cities(
            seed, total_youth=youth or 3_500_000, first_year=first_year, last_year=last_year
        )
        zipped = True if zipped is None else zipped
    writer = TrafficWriter(out, zipped=zipped)
    areas = areas_out.AreaWriter(out, brp_per_gemeente=profile == "national")
    kerncijfers = KerncijfersWriter(out)
    try:
        for n, city in enumerate(cities, 1):
            _one_city(city, out, seed, error_rate, writer, areas, summary, append=n > 1)
            kerncijfers.write(city, seed)
            if progress:
                progress(city.name, n)
    finally:
        writer.close()
        areas.close()
        kerncijfers.close()
    summary.messages = writer.count
    summary.message_bytes = writer.bytes
    # no timings in the manifest: the same seed gives byte-identical output
    (out / "manifest.json").write_text(
        json.dumps(summary.manifest(), indent=2, sort_keys=True) + "\n"
    )
    return summary


def _one_city(
    city: City,
    out: Path,
    seed: int,
    error_rate: float,
    writer: TrafficWriter,
    areas: areas_out.AreaWriter,
    summary: Summary,
    *,
    append: bool,
) -> None:
    city_seed = seed * 100_003 + int(city.gemeente_code)
    trajectories = simulate(city, city_seed)
    traffic = Traffic(city, city_seed, date(city.last_year, 12, 31))
    for t in trajectories:
        trajectory_traffic(t, traffic)
    declaraties(traffic)
    inject(traffic, error_rate, city_seed)
    errors = writer.write(traffic.sent, city.gemeente_code)
    areas.write(city)
    summary.gemeenten += 1
    summary.youth += len(city.youth)
    summary.trajectories += len(trajectories)
    summary.deliberate_errors += len(errors)
    summary.bij_records += write_bij(city, trajectories, out, city_seed)
    summary.survey_answers += write_survey(city, trajectories, out, city_seed, append=append)
    write_trajectories(trajectories, out, city.gemeente_code, append=append)
    write_indicators(city, trajectories, out, append=append)
    write_errors(errors, out, append=append)
    for s in traffic.sent:
        summary.counts[s.msg.code] = summary.counts.get(s.msg.code, 0) + 1
