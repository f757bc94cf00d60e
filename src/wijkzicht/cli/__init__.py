"""The ``wijkzicht`` command: one thin subcommand per library entry point.

Each subcommand lives in its own module and is registered in :data:`COMMAND_MODULES`. A
module is imported only when its command is needed (run, or listed by ``--help``): the
modules import very different libraries (the web app, reports, pandas, ibis), and importing
all of them cost every command ~0.5 s CPU at start-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping

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


class _Commands(MutableMapping[str, click.Command]):
    """The group's commands by name; a command's module is imported on first use."""

    def __init__(self, modules: dict[str, str]):
        self._modules = dict(modules)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        command = self._loaded.get(name)
        if command is None:
            command = importlib.import_module(self._modules[name]).command
            self._loaded[name] = command
        return command

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._modules.setdefault(name, "")  # added, not imported: never looked up
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self._modules[name]
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)


@click.group(
    commands=_Commands(COMMAND_MODULES),
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example: wijkzicht synth --out demostad --seed 1",
)
@click.version_option(__version__, prog_name="wijkzicht")
def cli() -> None:
    """Wijkzicht: youth-care message traffic in, neighbourhood indicators out."""


def main() -> None:
    cli()
