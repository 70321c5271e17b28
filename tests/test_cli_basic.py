"""The command line: help on every command, `python -m tracker`, clean one-line errors."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tracker import __version__
from tracker.cli import cli

ROOT = Path(__file__).resolve().parent.parent

BRIEF = (
    "Date: 2022-03-15\n"
    "Title: Fuel levy plan\n\n"
    "The ministry will raise the fuel levy by 5% in 2026 to fund new buses.\n"
    "Rural towns will receive money for cycling paths before the next election.\n"
)


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command and subcommand, as the words that invoke it."""
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from command_paths(command, (*prefix, name))


ALL_COMMANDS = [(), *command_paths(cli)]


def test_the_walk_finds_the_commands() -> None:
    assert {"ingest", "briefs", "claims", "diff", "db"} <= {p[0] for p in ALL_COMMANDS if p}
    assert ("db", "upgrade") in ALL_COMMANDS
    assert ("db", "current") in ALL_COMMANDS


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=lambda p: " ".join(p) or "tracker")
def test_every_command_has_help_with_an_example(runner: CliRunner, path: tuple[str, ...]) -> None:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    assert command.help and command.help.strip()
    result = runner.invoke(cli, [*path, "--help"], prog_name="tracker")
    assert result.exit_code == 0, result.output
    assert "Example" in result.stdout
    assert result.stdout.startswith(f"Usage: {' '.join(('tracker', *path))}")


def test_python_dash_m_tracker() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: tracker")
    assert "ingest" in result.stdout
    assert "Example" in result.stdout


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"tracker, version {__version__}"


def test_briefs_on_an_empty_database_prints_a_hint(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["--db", str(tmp_path / "t.db"), "briefs"])
    assert result.exit_code == 0
    assert "No briefs stored yet" in result.stdout
    assert "tracker ingest" in result.stdout


def test_database_from_the_environment(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "env" / "from-env.db"
    result = runner.invoke(cli, ["briefs"], env={"TRACKER_DB": str(path)})
    assert result.exit_code == 0, result.output
    assert path.exists()


def test_claims_of_a_missing_brief_is_a_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["--db", str(tmp_path / "t.db"), "claims", "999"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert result.stderr == "Error: no brief with id 999 (see: tracker briefs)\n"


def test_ingest_with_a_bad_date_fails_cleanly(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "levy.txt"
    path.write_text(BRIEF, encoding="utf-8")
    db = str(tmp_path / "t.db")
    result = runner.invoke(cli, ["--db", db, "ingest", str(path), "--date", "not-a-date"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    [line] = result.stderr.strip().splitlines()
    assert str(path) in line
    assert "cannot parse date 'not-a-date'" in line
    assert "0 stored" in result.stdout
    assert "No briefs stored yet" in runner.invoke(cli, ["--db", db, "briefs"]).stdout


def test_ingest_without_paths_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["--db", str(tmp_path / "t.db"), "ingest"])
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


def test_briefs_and_claims_after_ingest(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "levy.txt"
    path.write_text(BRIEF, encoding="utf-8")
    db = str(tmp_path / "t.db")
    result = runner.invoke(cli, ["--db", db, "ingest", str(path)])
    assert result.exit_code == 0, result.output
    assert "brief 1 (2022-03-15, 2 claims)" in result.stdout

    listing = runner.invoke(cli, ["--db", db, "briefs"])
    assert listing.exit_code == 0
    row = listing.stdout.strip().splitlines()[-1].split()
    assert row[:3] == ["1", "2022-03-15", "2"]
    assert "Fuel levy plan" in listing.stdout

    shown = runner.invoke(cli, ["--db", db, "claims", "1"])
    assert shown.exit_code == 0
    assert shown.stdout.startswith("Fuel levy plan (2022-03-15, 2 claims)")
    start = BRIEF.index("The ministry")
    end = BRIEF.index("buses.") + len("buses.")
    # The store-wide claim id, as search, diff and history --claim use it.
    assert "claim 1  The ministry will raise the fuel levy by 5% in 2026 to fund new buses." in (
        shown.stdout
    )
    assert f"[{start}:{end}]" in shown.stdout
    assert "5% → 5 %" in shown.stdout


def test_claims_shows_bracketed_words_verbatim(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "quote.txt"
    path.write_text(
        "Date: 2022-03-15\n\nThe minister said the levy was [sic] temporary until next year.\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "t.db")
    assert runner.invoke(cli, ["--db", db, "ingest", str(path)]).exit_code == 0
    shown = runner.invoke(cli, ["--db", db, "claims", "1"])
    assert "the levy was [sic] temporary" in shown.stdout
