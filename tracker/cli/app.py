"""The command group, its consoles and the error adapter shared by every command.

Every ``TrackerError`` from the library becomes a one-line ``Error: ...`` and a non-zero exit;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.console import Console

from tracker import __version__
from tracker.errors import TrackerError
from tracker.store.db import Database, archive_setting, open_database
from tracker.textsafe import visible_controls

if TYPE_CHECKING:
    from tracker.compare.semantic import Encoder

F = TypeVar("F", bound=Callable[..., Any])

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
# Piped output (logs, cron mail, README examples) is read later at any width: don't wrap
# tables at rich's 80-column default.
for _console in (out, err):
    if not _console.is_terminal:
        _console.width = 160


def handle_errors(func: F) -> F:
    """Turn library errors into clean one-line CLI errors."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TrackerError as exc:
            raise click.ClickException(shown(str(exc))) from None

    return wrapper  # type: ignore[return-value]


def shown(text: str) -> str:
    """Text from outside (file names, URLs, error reasons) as it may reach a terminal: control
    characters become visible symbols, so a file named with an escape sequence cannot recolour
    or retitle the terminal."""
    return visible_controls(text)


def open_db(ctx: click.Context, *, migrate: bool = True) -> Database:
    """The store of ``--db`` with its archive folder of ``--archive`` (or their defaults)."""
    return open_database(ctx.obj["db_url"], migrate=migrate, archive=ctx.obj["archive"])


def open_encoder(ctx: click.Context) -> Encoder | None:
    """The sentence-embedding model of ``--embeddings``, loaded now; None when not given.

    Loaded by the commands that compare claims only, so no other command pays for it.
    """
    path = ctx.obj.get("embeddings")
    if not path:
        return None
    from tracker.compare.semantic import load_encoder

    return load_encoder(path)


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="""Example:

\b
  tracker ingest snapshots/sample
  tracker diff 2021 2024
""",
)
@click.option(
    "--db",
    "db_url",
    envvar="TRACKER_DB",
    metavar="URL",
    help="SQLAlchemy URL or path of an SQLite file [env TRACKER_DB; default ./tracker.db].",
)
@click.option(
    "--config",
    "config_path",
    envvar="TRACKER_CONFIG",
    metavar="FILE",
    help="Sources file [env TRACKER_CONFIG; default tracker.toml beside an SQLite database, "
    "else in the current directory].",
)
@click.option(
    "--archive",
    "archive",
    envvar="TRACKER_ARCHIVE",
    metavar="DIR",
    help="Folder of the raw-brief archive; set it to one shared folder when several hosts or "
    "directories use one PostgreSQL store [env TRACKER_ARCHIVE; default snapshots/ beside an "
    "SQLite database, else in the current directory].",
)
@click.option(
    "--embeddings",
    "embeddings",
    envvar="TRACKER_EMBEDDINGS",
    metavar="DIR",
    help="Local sentence-embedding model (a sentence-transformers BERT directory) that diff "
    "and history use to veto pairs unlike in meaning; needs tracker[semantic] "
    "[env TRACKER_EMBEDDINGS; default off].",
)
@click.version_option(__version__, prog_name="tracker")
@click.pass_context
def cli(
    ctx: click.Context,
    db_url: str | None,
    config_path: str | None,
    archive: str | None,
    embeddings: str | None,
) -> None:
    """Track how policy positions change across dated briefs.

    Briefs are stored as dated snapshots of their claims; raw files are archived under
    snapshots/ beside the database (or in --archive DIR). The schema is created on first use.
    """
    ctx.obj = {
        "db_url": db_url,
        "config_path": config_path,
        # Made absolute now: a relative folder means the directory tracker was started in.
        "archive": archive_setting(archive),
        "embeddings": embeddings,
    }


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="tracker")
