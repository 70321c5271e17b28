"""Terminal conventions shared by every command: colour, width, and the two consoles.

Colour follows ``--color auto|always|never`` (on the group and on every command), else the
``NO_COLOR`` convention (https://no-color.org: any non-empty value turns colour off), else
whether the stream is a terminal. A command-line flag beats the environment.

The consoles are rich ``Console`` objects made on first use, not at import: rich costs about
50 ms to import, and ``tracker --help`` or ``tracker briefs --format json`` never need it.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from rich.console import Console

ColorSetting = Literal["auto", "always", "never"]
COLOR_CHOICES: tuple[ColorSetting, ...] = ("auto", "always", "never")
# Piped output (logs, cron mail, README examples) is read later at any width: tables are not
# cut to rich's 80-column default.
PIPED_WIDTH = 160

_setting: dict[str, ColorSetting] = {"color": "auto"}


def set_color(setting: ColorSetting) -> None:
    """Record ``--color`` for this invocation; the consoles are rebuilt to follow it."""
    _setting["color"] = setting
    out.reset()
    err.reset()


def no_color_env() -> bool:
    """Whether ``NO_COLOR`` asks for no colour (set to a non-empty value)."""
    return bool(os.environ.get("NO_COLOR"))


def use_color(is_terminal: bool, setting: ColorSetting | None = None) -> bool:
    """Whether output to a stream should carry ANSI colour and styles."""
    chosen = setting or _setting["color"]
    if chosen == "always":
        return True
    if chosen == "never":
        return False
    return is_terminal and not no_color_env() and os.environ.get("TERM") != "dumb"


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _console_class() -> type[Console]:
    """rich's Console, except that a closed pipe raises ``BrokenPipeError`` (which the command
    group turns into a quiet exit 0) instead of rich's own ``SystemExit(1)``."""
    from rich.console import Console

    class QuietPipeConsole(Console):
        def on_broken_pipe(self) -> None:
            raise BrokenPipeError

    return QuietPipeConsole


class Stream:
    """Standard output or standard error as the commands write to it."""

    def __init__(self, *, stderr: bool) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    @property
    def file(self) -> Any:
        """The stream itself, looked up now (tests swap ``sys.stdout``)."""
        return sys.stderr if self._stderr else sys.stdout

    @property
    def is_terminal(self) -> bool:
        """Whether the stream is a terminal (never decides colour on its own: see ``color``)."""
        return _isatty(self.file)

    @property
    def color(self) -> bool:
        """Whether to write ANSI colour and styles to this stream."""
        return use_color(self.is_terminal)

    @property
    def width(self) -> int | None:
        """The terminal's width to wrap at; None when piped (one line per item, for grep)."""
        if not self.is_terminal:
            return None
        return shutil.get_terminal_size().columns

    @property
    def console(self) -> Console:
        """The rich console of this stream, built on first use for the current settings."""
        if self._console is None or self._console.file is not self.file:
            terminal = self.is_terminal
            self._console = _console_class()(
                file=self.file,
                stderr=self._stderr,
                highlight=False,
                soft_wrap=True,
                # Colour decided here, not by rich: --color always on a pipe styles it too.
                force_terminal=True if self.color else None,
                color_system="auto" if self.color else None,
                width=None if terminal else PIPED_WIDTH,
            )
        return self._console

    def reset(self) -> None:
        """Forget the console so that the next use follows changed settings."""
        self._console = None

    def print(self, *objects: Any, **kwargs: Any) -> None:
        """``Console.print`` on this stream."""
        self.console.print(*objects, **kwargs)

    def write(self, line: str) -> None:
        """One plain line, without rich (for the fast paths and machine-readable output)."""
        self.file.write(line + "\n")


out = Stream(stderr=False)
err = Stream(stderr=True)
