"""``--format`` and ``-o FILE``, shared by every command that prints a result.

The format of ``-o FILE`` follows its suffix (``.html``, ``.md``, ``.json``, ``.csv``) unless
``--format`` says otherwise, so ``tracker diff 2021 2024 -o changes.csv`` needs no flag.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from tracker.cli.term import err, out
from tracker.textsafe import visible_controls

F = TypeVar("F", bound=Callable[..., Any])

REPORT_FORMATS = ("text", "json", "csv", "markdown", "html")
LIST_FORMATS = ("text", "json", "csv")
SUFFIX_FORMATS = {
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".csv": "csv",
}


def format_option(formats: Sequence[str] = REPORT_FORMATS) -> Callable[[F], F]:
    """``--format``: one of ``formats``; unset means the suffix of ``-o FILE``, else text."""

    def decorate(func: F) -> F:
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(list(formats)),
            default=None,
            help="Output format [default: from the suffix of -o FILE, else text].",
        )(func)

    return decorate


def output_option(func: F) -> F:
    """``-o FILE``: write there (atomically) instead of standard output."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write to FILE instead of standard output (.html, .md, .json or .csv set the format).",
    )(func)


def chosen_format(fmt: str | None, output: Path | None, formats: Sequence[str]) -> str:
    """The format to render: ``--format`` if given, else the one ``-o FILE``'s suffix names.

    A suffix naming a format this command does not write is a usage error rather than a
    file whose content belies its name.
    """
    if fmt is not None:
        return fmt
    if output is None:
        return "text"
    implied = SUFFIX_FORMATS.get(output.suffix.lower())
    if implied is None:
        return "text"
    if implied not in formats:
        raise click.UsageError(
            f"{output.name}: this command writes {', '.join(formats)}; give --format"
        )
    return implied


def report_color(output: Path | None) -> bool:
    """Whether a text report gets ANSI colour: on standard output only, when colour is on."""
    return output is None and out.color


def report_width(output: Path | None) -> int | None:
    """The width to wrap a text report at: the terminal's, never a file's or a pipe's."""
    return out.width if output is None else None


def emit(text: str, output: Path | None, *, color: bool = False) -> None:
    """Write a rendered result to ``output`` atomically, or to standard output."""
    if output is not None:
        from tracker.fsutil import write_atomically

        write_atomically(output, text.encode("utf-8"))
        err.write(visible_controls(f"wrote {output}"))
    else:
        click.echo(text, nl=False, color=color)
