"""The generated command reference is current, and every command documents itself."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from cogapp import Cog

from tracker.cli import cli

CLI_MD = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def _commands(command: click.Command, path: list[str]) -> list[tuple[str, click.Command]]:
    found = [(" ".join(path), command)]
    if isinstance(command, click.Group):
        for name in sorted(command.list_commands(click.Context(command))):
            sub = command.get_command(click.Context(command), name)
            assert sub is not None
            found += _commands(sub, [*path, name])
    return found


COMMANDS = _commands(cli, ["tracker"])


def test_cli_reference_is_current() -> None:
    """docs/cli.md holds what `cog -r docs/cli.md` writes today (run it after changing a
    command)."""
    cog = Cog()
    # Cog's --check mode returns non-zero (and names the file) when the output would change.
    status = cog.main(["cog", "--check", str(CLI_MD)])
    assert status == 0, "docs/cli.md is out of date: run `make docs`"


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_has_help_and_an_example(name: str, command: click.Command) -> None:
    assert command.help and command.help.strip(), f"{name} has no help text"
    assert command.epilog and "tracker" in command.epilog, f"{name} has no example"
    assert f"## {name}\n" in CLI_MD.read_text(encoding="utf-8")
