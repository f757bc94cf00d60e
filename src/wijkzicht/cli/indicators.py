"""``wijkzicht indicators``: indicator figures from a store, public by default."""

from __future__ import annotations

from pathlib import Path

import click
import pyarrow as pa
from rich.console import Console
from rich.table import Table

from wijkzicht.indicators import results
from wijkzicht.indicators.catalogue import CATALOGUE, LEVELS
from wijkzicht.indicators.output import FORMATS, number, to_csv, to_json
from wijkzicht.indicators.run import IndicatorError, MemoryLimitError, Request, indicator_table
from wijkzicht.store import connect


def request_options(f):
    """The filters ``indicators`` and ``export`` share."""
    for decorator in reversed(
        [
            click.option("--db", "db", type=click.Path(exists=True, dir_okay=False,
                         path_type=Path), help="The DuckDB store written by `wijkzicht ingest`."),
            click.option("--period", "periods", multiple=True,
                         help="2023, 2023-H1, 2023-Q2 or 2023-05 (repeatable; default: all)."),
            click.option("--level", type=click.Choice(LEVELS), help="Only this area level."),
            click.option("--area", help="Only this area code (GM…, WK…, BU…)."),
            click.option("--indicator", help="Only this indicator (see --list)."),
            click.option("--raw", is_flag=True,
                         help="Exact figures, without disclosure control (analysts only)."),
            click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb",
                         show_default=True, help="Run on embedded DuckDB or on Spark (local)."),
            click.option("--providers", type=click.Path(exists=True, dir_okay=False),
                         help="CSV aanbieder;soort naming each provider's kind."),
        ]
    ):  # fmt: skip
        f = decorator(f)
    return f


def build_request(periods, level, area, indicator, raw, engine, providers) -> Request:
    return Request(periods=periods or None, level=level, area=area, indicator=indicator,
                   raw=raw, engine=engine, providers=providers)  # fmt: skip


def fetch(db: Path, request: Request) -> pa.Table:
    con = connect(db, read_only=True)
    try:
        return indicator_table(con, request)
    except MemoryLimitError as e:
        raise click.ClickException(str(e)) from None
    except IndicatorError as e:
        raise click.UsageError(str(e)) from None
    finally:
        con.close()


@click.command(
    "indicators",
    epilog="""\b
Examples:
  wijkzicht indicators --db demostad.duckdb --period 2023 --level wijk
  wijkzicht indicators --db demostad.duckdb --indicator jeugdhulp_0_17 --format table
  wijkzicht indicators --db demostad.duckdb --raw --engine spark
  wijkzicht indicators --db demostad.duckdb --refresh
  wijkzicht indicators --list""",
)
@click.option("--list", "list_only", is_flag=True, help="List the indicators and stop.")
@click.option("--refresh", is_flag=True,
              help="Store every indicator (raw and public) in the store for the dashboard, the "
              "API and the report; recomputed only when the store changed.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.pass_context
def command(ctx: click.Context, list_only: bool, refresh: bool, fmt: str, **kwargs) -> None:
    """Indicators per gemeente, wijk and buurt; suppressed cells are empty, never 0."""
    if list_only:
        for ind in CATALOGUE:
            click.echo(f"{ind.name}\t{ind.label_nl}")
        return
    if kwargs["db"] is None:
        raise click.UsageError("--db is required")
    if refresh:
        con = connect(kwargs["db"])
        try:
            n = results.refresh(con, kwargs["providers"])
        except MemoryLimitError as e:
            raise click.ClickException(str(e)) from None
        finally:
            con.close()
        click.echo(f"{n:,} indicator rows stored in {kwargs['db']}")
        return
    rows = fetch(kwargs.pop("db"), build_request(**kwargs))
    if fmt == "csv":
        click.echo(to_csv(rows), nl=False)
    elif fmt == "json":
        click.echo(to_json(rows))
    else:
        table = Table(*("indicator", "gebied", "periode", "teller", "noemer", "waarde"))
        for r in rows.to_pylist():
            cells = (
                ["•"] * 3
                if r["suppressed"]
                else [number(r["numerator"]), number(r["denominator"]), number(r["value"])]
            )
            table.add_row(r["indicator"], r["area_code"], r["period"], *cells)
        Console().print(table)


command = request_options(command)
