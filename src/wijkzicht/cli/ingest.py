"""``wijkzicht ingest``: files, folders and zips into the store."""

from __future__ import annotations

import json
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import click
import duckdb
from rich.console import Console
from rich.table import Table

from wijkzicht import settings as settings_mod
from wijkzicht.ingest.process import KINDS
from wijkzicht.ingest.run import ingest
from wijkzicht.ingest.writer import Counts
from wijkzicht.store import Keys, connect
from wijkzicht.store.schema import StoreVersionError

EXIT_CONFIG = 2


@click.command(
    "ingest",
    epilog="Example: WIJKZICHT_PSEUDONYM_KEY=… wijkzicht ingest demostad/ --db demostad.duckdb",
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="DuckDB store file (created when missing). Default: WIJKZICHT_DB.",
)
@click.option(
    "--xsd-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder with the official iJw XSDs. Default: WIJKZICHT_IJW_XSD_DIR.",
)
@click.option(
    "--kind",
    type=click.Choice(["auto", *KINDS]),
    default="auto",
    show_default=True,
    help="Treat every item as this kind instead of recognising it by content.",
)
@click.option("--json", "as_json", is_flag=True, help="Print only a JSON object with the counts.")
def command(paths: tuple[Path, ...], db: Path | None, xsd_dir: Path | None, kind: str,
            as_json: bool) -> None:  # fmt: skip
    """Read iJw messages, BIJ/BRP/population/pc6/survey/kerncijfers CSVs and GeoJSON into the store.

    PATHS are files, folders (read recursively, in sorted order) and zip archives. Each file
    or zip member is one received item: accepted, quarantined with a reason, or a duplicate
    of an item already stored. Needs WIJKZICHT_PSEUDONYM_KEY (or _FILE).
    """
    err = Console(stderr=True, soft_wrap=True)
    try:
        settings = settings_mod.load()
        keys = Keys(settings.secret())
    except settings_mod.SettingsError as exc:
        err.print(f"[red]Error:[/red] {exc}", highlight=False)
        sys.exit(EXIT_CONFIG)
    if xsd_dir is not None:
        settings = settings.replace(ijw_xsd_dir=xsd_dir)
    if settings.ijw_xsd_dir is None:
        err.print(
            "Note: no XSD folder (--xsd-dir or WIJKZICHT_IJW_XSD_DIR): only the built-in rules "
            "validate iJw messages.",
            highlight=False,
        )
    elif not Path(settings.ijw_xsd_dir).is_dir():
        err.print(f"[red]Error:[/red] XSD folder {settings.ijw_xsd_dir} does not exist")
        sys.exit(EXIT_CONFIG)
    db_path = db or settings.db
    try:
        con = connect(db_path)
    except (duckdb.Error, StoreVersionError) as exc:
        err.print(f"[red]Error:[/red] cannot open the store {db_path}: {exc}", highlight=False)
        sys.exit(1)
    try:
        with _Progress(err) as progress:
            _, counts = ingest(
                list(paths),
                con,
                keys,
                settings,
                kind=None if kind == "auto" else kind,
                progress=progress,
            )
    except (duckdb.Error, OSError, BrokenProcessPool) as exc:
        err.print(f"[red]Error:[/red] the run stopped: {exc}", highlight=False)
        sys.exit(1)
    finally:
        con.close()
    if as_json:
        click.echo(json.dumps(counts.as_dict()))
    else:
        _summary(Console(), counts, db_path)


class _Progress:
    """A rich progress display on stderr, only when stderr is a terminal."""

    def __init__(self, console: Console):
        self.console = console
        self.bar = None

    def __enter__(self):
        if not self.console.is_terminal:
            return None
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.completed:,} items"),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self.bar.start()
        task = self.bar.add_task("ingest", total=None, detail="")

        def update(counts: Counts) -> None:
            self.bar.update(
                task,
                completed=counts.received,
                detail=f"{counts.accepted:,} accepted, {counts.quarantined:,} quarantined, "
                f"{counts.duplicates:,} duplicates",
            )

        return update

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


def _summary(console: Console, counts: Counts, db: Path) -> None:
    table = Table(title=f"Ingest into {db}", show_header=True)
    table.add_column("")
    table.add_column("items", justify="right")
    for name, value in counts.as_dict().items():
        table.add_row(name, f"{value:,}")
    for kind, n in sorted(counts.by_kind.items()):
        table.add_row(f"  new {kind}", f"{n:,}")
    console.print(table)
    if counts.quarantined:
        console.print(
            f"{counts.quarantined:,} item(s) quarantined: see `wijkzicht quarantine --db {db}`."
        )
    if counts.reclassified:
        console.print(
            f"{counts.reclassified:,} item(s) of earlier runs changed status under the "
            "cross-message rules (a predecessor arrived, or a rule now applies)."
        )


if __name__ == "__main__":
    command()
