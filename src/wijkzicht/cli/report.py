"""``wijkzicht report``: the public *Staat van de jeugd* as one HTML file or a PDF."""

from __future__ import annotations

import time
from pathlib import Path

import click


@click.command(
    "report",
    epilog="""\b
Examples:
  wijkzicht report --db demostad.duckdb --out staat.html
  wijkzicht report --db demostad.duckdb --out staat-2023.pdf --period 2023 --lang en""",
)
@click.option(
    "--db",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The DuckDB store with indicator results (`wijkzicht indicators --refresh`).",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write: .html (self-contained) or .pdf (A4).",
)
@click.option("--period", help="The year to report on; default: the latest final year.")
@click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    default="nl",
    show_default=True,
    help="Language of the report.",
)
def command(db: Path, out: Path, period: str | None, lang: str) -> None:
    """Write the public report (only disclosure-controlled figures) for the gemeente and its
    wijken: conclusions, maps, trends, tables, the municipality's notes and the methods."""
    from wijkzicht.insight.figures import Figures, FiguresError
    from wijkzicht.report import ReportError, make
    from wijkzicht.report.content import report_period
    from wijkzicht.report.notes import notes_for

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("html", "pdf"):
        raise click.UsageError(f"--out must end in .html or .pdf, not {out.name!r}")
    started = time.perf_counter()
    try:
        figures = Figures(db)
        year = report_period(figures, period)
        data = make(figures, fmt=fmt, period=year, lang=lang, notes=notes_for(db, year))
    except FiguresError as e:
        raise click.ClickException(str(e)) from None
    except ReportError as e:
        raise click.UsageError(str(e)) from None
    out.write_bytes(data)
    took = time.perf_counter() - started
    click.echo(f"{fmt.upper()} report for {year} ({len(data):,} bytes, {took:.1f} s) -> {out}")
