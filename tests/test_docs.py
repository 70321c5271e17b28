"""The generated command reference is current, and every command documents itself."""

from __future__ import annotations

import difflib
from pathlib import Path

import click
import pytest

from tracker.cli import cli
from tracker.cli.reference import reference

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
    """docs/cli.md holds what `cog -r docs/cli.md` (make docs) writes today."""
    page = CLI_MD.read_text(encoding="utf-8")
    generated = page.split("]]] -->\n", 1)[1].split("<!-- [[[end]]]", 1)[0]
    fresh = reference()
    diff = "\n".join(
        difflib.unified_diff(generated.splitlines(), fresh.splitlines(), "docs/cli.md", "now")
    )
    assert generated == fresh, f"docs/cli.md is out of date: run `make docs`\n{diff[:3000]}"


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_has_help_and_an_example(name: str, command: click.Command) -> None:
    assert command.help and command.help.strip(), f"{name} has no help text"
    assert command.epilog and "tracker" in command.epilog, f"{name} has no example"
    assert f"## {name}\n" in CLI_MD.read_text(encoding="utf-8")
