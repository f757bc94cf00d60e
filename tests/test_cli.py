"""The command line: every command documented, with an example, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from wijkzicht import __version__
from wijkzicht.cli import COMMAND_MODULES, cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


@pytest.mark.parametrize("name", sorted(COMMAND_MODULES))
def test_every_command_has_help_with_an_example(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert f"wijkzicht {name}" in result.output


@pytest.mark.parametrize("name", sorted(COMMAND_MODULES))
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"wijkzicht {name}" in README


def test_command_modules_hold_the_commands_they_are_listed_for() -> None:
    """The group imports a command's module only when needed; the names must match."""
    for name in COMMAND_MODULES:
        assert cli.get_command(None, name).name == name
    assert cli.get_command(None, "nope") is None


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


@pytest.mark.parametrize("years", ["2024-2019", "twenty", "2010-2012"])
def test_synth_refuses_bad_years_with_a_reason(years: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["synth", "--out", str(tmp_path), "--years", years])
    assert result.exit_code == 2
    assert years in result.output
    assert not any(tmp_path.iterdir())  # nothing written


def test_synth_small_city_summary(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["synth", "--out", str(tmp_path), "--youth", "300", "--years", "2023-2024"]
    )
    assert result.exit_code == 0, result.output
    assert "1 gemeente(n)" in result.output
    assert (tmp_path / "manifest.json").is_file()
    assert list((tmp_path / "berichten").rglob("JW301_*.xml"))
