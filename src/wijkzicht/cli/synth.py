"""``wijkzicht synth``: generate Demostad (or the whole country) with its message traffic."""

from __future__ import annotations

import time
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from wijkzicht.synth.run import DEFAULT_ERROR_RATE, DEFAULT_YEARS, PROFILES, generate


def parse_years(value: str) -> tuple[int, int]:
    """``2019-2024`` or ``2023`` → (first, last)."""
    first, _, last = value.partition("-")
    try:
        a, b = int(first), int(last or first)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a year range like 2019-2024") from None
    if not 2015 <= a <= b <= 2030:
        raise click.BadParameter(f"{value!r}: years must lie within 2015-2030, first <= last")
    return a, b


@click.command(
    "synth",
    epilog="""\b
Examples:
  wijkzicht synth --out demostad --seed 1
  wijkzicht synth --out demostad-small --youth 5000 --years 2022-2024
  wijkzicht synth --out nl --profile national""",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into (created if missing).",
)
@click.option("--seed", default=1, show_default=True, help="Same seed, byte-identical output.")
@click.option(
    "--years",
    default=None,
    help="Analysis years, e.g. 2019-2024 (default 2019-2024; national 2021-2024 to fit ~10 GB).",
)
@click.option(
    "--profile",
    type=click.Choice(PROFILES),
    default="demostad",
    show_default=True,
    help="One city (Demostad) or all ~342 municipalities (national).",
)
@click.option(
    "--youth",
    type=click.IntRange(min=100),
    default=None,
    help="Youth aged 0-17 (default 70,000 for Demostad, 3.5 million national).",
)
@click.option(
    "--zip/--no-zip",
    "zipped",
    default=None,
    help="Monthly zip archives instead of one file per message (national: zip).",
)
@click.option(
    "--error-rate",
    type=click.FloatRange(0, 0.1),
    default=DEFAULT_ERROR_RATE,
    show_default=True,
    help="Share of messages first sent with a deliberate error.",
)
def command(
    out: Path,
    seed: int,
    years: str | None,
    profile: str,
    youth: int | None,
    zipped: bool | None,
    error_rate: float,
) -> None:
    """Generate a synthetic city with its youth-care message traffic and ground truth."""
    first, last = parse_years(years or DEFAULT_YEARS[profile])
    console = Console(stderr=True)
    started = time.perf_counter()
    total = 1 if profile == "demostad" else None
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}"),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task("generating", total=total)

        def progress(name: str, n: int) -> None:
            bar.update(task, completed=n, description=f"generated {name}")

        try:
            summary = generate(
                out,
                seed=seed,
                first_year=first,
                last_year=last,
                profile=profile,
                youth=youth,
                zipped=zipped,
                error_rate=error_rate,
                progress=progress,
            )
        except FileExistsError as e:
            raise click.UsageError(str(e)) from None
    seconds = time.perf_counter() - started
    click.echo(
        f"{summary.gemeenten} gemeente(n), {summary.youth:,} youth, "
        f"{summary.trajectories:,} trajectories, {summary.messages:,} messages "
        f"({summary.message_bytes / 1e6:,.0f} MB XML), {summary.deliberate_errors:,} deliberate "
        f"errors, {summary.bij_records:,} BIJ records in {seconds:.1f} s -> {out}"
    )
