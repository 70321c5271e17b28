"""Rich consoles that render into a string, and the line wrapping of the text reports.

Kept apart from the renderers so that the listings (`claims`, `runs`, `search`) can use them
without importing the comparison engine.
"""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text


def buffer_console(buffer: io.StringIO, *, color: bool, width: int | None = None) -> Console:
    """A console writing to ``buffer``: ANSI colour only when ``color``; no markup
    highlighting or emoji codes (claim text prints as written). Lines are wrapped by ``put``
    at ``width``; the console itself never wraps."""
    return Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        soft_wrap=True,
        emoji=False,
        width=width or 10_000,
    )


# Below this many columns for the text after an indent, wrapping does more harm than good.
MIN_WRAP = 24


def put(console: Console, text: Text, width: int | None, *, hang: int = 0) -> None:
    """Print one line of a report, wrapped at ``width`` (None: never wrapped).

    Continuation lines start under the first line's text: its leading spaces plus ``hang``
    (so a timeline step's text wraps under itself, not under its year).
    """
    plain = text.plain
    indent = len(plain) - len(plain.lstrip(" "))
    if width is None or len(plain) <= width or width - indent - hang < MIN_WRAP:
        console.print(text)
        return
    body = text[indent:]
    first = body.wrap(console, width - indent, overflow="fold")[0]
    first.rstrip()
    console.print(Text(" " * indent) + first)
    rest = body[len(first.plain) :]
    rest = rest[len(rest.plain) - len(rest.plain.lstrip(" ")) :]
    for line in rest.wrap(console, width - indent - hang, overflow="fold"):
        line.rstrip()
        console.print(Text(" " * (indent + hang)) + line)
