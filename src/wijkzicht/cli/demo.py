"""``wijkzicht demo``: build Demostad, ingest it, compute the indicators and serve the
dashboard with demo users — one command for a first look."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import click
import duckdb

from wijkzicht.cli import ingest as ingest_cli
from wijkzicht.cli import synth as synth_cli
from wijkzicht.cli.serve import serve
from wijkzicht.store import connect

DEMO_KEY = "wijkzicht-demo-pseudonym-key-for-synthetic-data-only"
# What a municipality receives (the generator's truth/ and manifest stay out of the store).
DELIVERIES = ("berichten", "bij", "brp", "bevolking", "gebieden", "ervaring")


def write_providers(db: Path, path: Path) -> None:
    """The providers table (aanbieder;soort) of the synthetic networks serving the store's
    gemeenten (one for Demostad, ~342 for the national profile)."""
    from wijkzicht.care.providers import from_network, write_csv
    from wijkzicht.synth.providers import network

    con = connect(db, read_only=True)
    try:
        rows = con.execute(
            "SELECT g.code, list(w.code ORDER BY w.code) FILTER (WHERE w.code IS NOT NULL) "
            "FROM areas g LEFT JOIN areas w ON w.soort = 'wijk' AND w.gemeente_code = g.code "
            "WHERE g.soort = 'gemeente' GROUP BY g.code ORDER BY g.code"
        ).fetchall()
    finally:
        con.close()
    kinds: dict[str, str] = {}
    for gemeente, wijken in rows:
        kinds |= from_network(network(gemeente.removeprefix("GM"), wijken))
    write_csv(path, kinds)


def _ingested(db: Path) -> bool:
    if not db.exists():
        return False
    con = connect(db, read_only=True)
    try:
        row = con.execute(
            "SELECT count(*) FROM ingest_log WHERE status = 'completed' AND accepted > 0"
        ).fetchall()[0]
        return bool(row[0])
    except duckdb.Error:
        return False
    finally:
        con.close()


@click.command(
    "demo",
    epilog="Example: wijkzicht demo --dir demo --port 8000",
)
@click.option(
    "--dir",
    "folder",
    default="demo",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the synthetic city, the store and the web database.",
)
@click.option("--seed", default=1, show_default=True)
@click.option(
    "--youth",
    type=click.IntRange(min=100),
    default=None,
    help="Youth aged 0-17 (default 70,000: Demostad).",
)
@click.option("--years", default=None, help="Analysis years (default 2019-2024).")
@click.option(
    "--xsd-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Official iJw XSDs for validation (WIJKZICHT_IJW_XSD_DIR).",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--serve/--no-serve",
    "serving",
    default=True,
    show_default=True,
    help="Start the web server at the end.",
)
@click.pass_context
def command(ctx: click.Context, folder: Path, seed: int, youth: int | None, years: str | None,
            xsd_dir: Path | None, host: str, port: int, serving: bool) -> None:  # fmt: skip
    """Demostad end to end: synth → ingest → indicators → dashboard (synthetic data only)."""
    folder.mkdir(parents=True, exist_ok=True)
    city = folder / "demostad"
    db = folder / "demostad.duckdb"
    os.environ["WIJKZICHT_DEMO"] = "1"
    os.environ.setdefault("WIJKZICHT_PSEUDONYM_KEY", DEMO_KEY)
    if (city / "truth" / "indicators.csv").exists():
        click.echo(f"1/4 Demostad is already generated in {city}", err=True)
    else:
        if city.exists():  # an interrupted generation: the folder is the demo's own
            shutil.rmtree(city)
        click.echo("1/4 Generating Demostad (synthetic city and message traffic)…", err=True)
        ctx.invoke(synth_cli.command, out=city, seed=seed, years=years, profile="demostad",
                   youth=youth, zipped=False, error_rate=0.01)  # fmt: skip
    if _ingested(db):
        click.echo(f"2/4 The traffic is already in {db}", err=True)
    else:
        click.echo("2/4 Ingesting the message traffic and the area data…", err=True)
        paths = tuple(city / d for d in DELIVERIES if (city / d).exists())
        ctx.invoke(ingest_cli.command, paths=paths, db=db, xsd_dir=xsd_dir, kind="auto",
                   as_json=False)  # fmt: skip
    from wijkzicht.web import server, setup

    setup(db, demo=True)
    providers = folder / "aanbieders.csv"
    write_providers(db, providers)
    click.echo("3/4 Indicators per gemeente, wijk and buurt…", err=True)
    server.prepare_store(db, providers, echo=lambda m: click.echo(f"    {m}", err=True))
    server.prepare_django()
    from wijkzicht.web.accounts.users import create_demo_users

    passwords = create_demo_users()
    lines = ["", "Demo users (new passwords each start; synthetic data only):"]
    lines += [f"  {name:<10} {pw}" for name, pw in passwords.items()]
    lines.append("  Public pages need no login.\n")
    click.echo("\n".join(lines), err=True)
    if serving:
        click.echo("4/4 Starting the dashboard…", err=True)
        serve(db, host=host, port=port, providers=providers)
