"""The ``wijkzicht`` command: one thin subcommand per library entry point.

Each subcommand lives in its own module and is registered in :data:`COMMAND_MODULES`.
"""

from __future__ import annotations

import importlib

import click

from wijkzicht import __version__

COMMAND_MODULES = [
    "wijkzicht.cli.synth",
    "wijkzicht.cli.ingest",
    "wijkzicht.cli.quarantine",
    "wijkzicht.cli.indicators",
    "wijkzicht.cli.export",
    "wijkzicht.cli.report",
    "wijkzicht.cli.serve",
    "wijkzicht.cli.demo",
    "wijkzicht.cli.openapi",
]


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example: wijkzicht synth --out demostad --seed 1",
)
@click.version_option(__version__, prog_name="wijkzicht")
def cli() -> None:
    """Wijkzicht: youth-care message traffic in, neighbourhood indicators out."""


for _name in COMMAND_MODULES:
    _module = importlib.import_module(_name)
    cli.add_command(_module.command)


def main() -> None:
    cli()
