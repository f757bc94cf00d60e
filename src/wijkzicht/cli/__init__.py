"""The ``wijkzicht`` command: one thin subcommand per library entry point.

Each subcommand lives in its own module and is registered in :data:`COMMAND_MODULES`. A
module is imported only when its command is needed (run, or listed by ``--help``): the
modules import very different libraries (the web app, reports, pandas, ibis), and importing
all of them cost every command ~0.5 s CPU at start-up.
"""

from __future__ import annotations

import importlib

import click

from wijkzicht import __version__

# command name → the module whose ``command`` it is
COMMAND_MODULES = {
    "synth": "wijkzicht.cli.synth",
    "ingest": "wijkzicht.cli.ingest",
    "quarantine": "wijkzicht.cli.quarantine",
    "indicators": "wijkzicht.cli.indicators",
    "export": "wijkzicht.cli.export",
    "report": "wijkzicht.cli.report",
    "serve": "wijkzicht.cli.serve",
    "demo": "wijkzicht.cli.demo",
    "openapi": "wijkzicht.cli.openapi",
}


class _LazyGroup(click.Group):
    """Click's lazily loading group: a command's module is imported when it is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(name)
        return None if module is None else importlib.import_module(module).command


@click.group(
    cls=_LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example: wijkzicht synth --out demostad --seed 1",
)
@click.version_option(__version__, prog_name="wijkzicht")
def cli() -> None:
    """Wijkzicht: youth-care message traffic in, neighbourhood indicators out."""


def main() -> None:
    cli()
