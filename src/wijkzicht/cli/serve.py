"""``wijkzicht serve``: the dashboard, the REST API and the admin over a store."""

from __future__ import annotations

import os
import sys
from functools import partial
from pathlib import Path

import click


@click.command(
    "serve",
    epilog="Example: WIJKZICHT_SECRET_KEY=… wijkzicht serve --db demostad.duckdb --port 8000",
)
@click.option(
    "--db",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The DuckDB store written by `wijkzicht ingest`.",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 32),
    help="Worker processes (one per core is a good start).",
)
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Threads per worker.",
)
@click.option(
    "--providers",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV aanbieder;soort naming each provider's kind.",
)
def command(db: Path, host: str, port: int, workers: int, threads: int,
            providers: Path | None) -> None:  # fmt: skip
    """Serve the dashboard and /api/v1 (needs WIJKZICHT_SECRET_KEY outside the demo)."""
    serve(db, host=host, port=port, workers=workers, threads=threads, providers=providers)


def serve(db: Path, *, host: str, port: int, workers: int = 2, threads: int = 4,
          providers: Path | None = None) -> None:  # fmt: skip
    from django.core.exceptions import ImproperlyConfigured

    from wijkzicht.web import server, setup

    os.environ["WIJKZICHT_DB"] = str(db.resolve())
    try:
        setup(db)
    except ImproperlyConfigured as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    echo = partial(click.echo, err=True)
    server.prepare_store(db, providers, echo=echo)
    server.prepare_django()
    server.run(host, port, workers, threads, echo=echo)
