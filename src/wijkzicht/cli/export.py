"""``wijkzicht export``: indicator figures to CSV, Excel or Parquet, public by default."""

from __future__ import annotations

from pathlib import Path

import click

from wijkzicht.cli.indicators import build_request, fetch, request_options
from wijkzicht.indicators.output import export


@click.command(
    "export",
    epilog="""\b
Examples:
  wijkzicht export --db demostad.duckdb --out staat-2023.xlsx --period 2023
  wijkzicht export --db demostad.duckdb --out alles.parquet
  wijkzicht export --db demostad.duckdb --out ruw.csv --raw""",
)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write: .csv, .xlsx or .parquet.")  # fmt: skip
@request_options
def command(out: Path, db: Path | None, **kwargs) -> None:
    """Write indicators to a file for partners (suppressed unless --raw)."""
    if db is None:
        raise click.UsageError("--db is required")
    rows = fetch(db, build_request(**kwargs))
    try:
        kind = export(rows, out)
    except ValueError as e:
        raise click.UsageError(str(e)) from None
    click.echo(f"{rows.num_rows:,} rows ({kind}) -> {out}")
