"""``wijkzicht quarantine``: list the rejected items and why."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click
import duckdb
from rich.console import Console
from rich.table import Table

from wijkzicht import settings as settings_mod
from wijkzicht.store import connect, quarantine

COLUMNS = ("source", "member", "code", "identificatie", "rule", "reason", "reason_nl")


@click.command(
    "quarantine", epilog="Example: wijkzicht quarantine --db demostad.duckdb --format csv"
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="DuckDB store file. Default: WIJKZICHT_DB.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
def command(db: Path | None, fmt: str) -> None:
    """List quarantined items: source, zip member, message code, Identificatie, rule, reason."""
    db_path = db or settings_mod.load().db
    try:
        con = connect(db_path, read_only=True)
    except (FileNotFoundError, duckdb.Error) as exc:
        Console(stderr=True, soft_wrap=True).print(f"[red]Error:[/red] {exc}", highlight=False)
        sys.exit(1)
    with con:
        rows = quarantine(con)
    columns = (*COLUMNS, "key")
    if fmt == "json":
        click.echo(json.dumps([{c: r[c] for c in columns} for r in rows], ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow(["" if r[c] is None else r[c] for c in columns])
    else:
        table = Table(title=f"Quarantine of {db_path}: {len(rows)} item(s)")
        for c in COLUMNS:
            table.add_column(c, overflow="fold")
        for r in rows:
            table.add_row(*("" if r[c] is None else str(r[c]) for c in COLUMNS))
        Console().print(table)


if __name__ == "__main__":
    command()
