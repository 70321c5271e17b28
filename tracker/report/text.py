"""Terminal rendering of a diff: grouped by kind, word-level diffs, quantities highlighted."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from tracker.compare.model import Change, Diff
from tracker.report.describe import (
    GROUP_TITLES,
    brief_label,
    groups,
    headline,
    lead_in_lines,
    quantity_label,
    quantity_phrase,
    stance_phrase,
    summary_line,
)
from tracker.report.worddiff import word_diff


def buffer_console(buffer: io.StringIO, *, color: bool) -> Console:
    """A console writing to ``buffer``: ANSI colour only when ``color``; no wrapping, markup
    highlighting or emoji codes (claim text prints as written)."""
    return Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        soft_wrap=True,
        emoji=False,
    )


def _selection_line(label: str, diff: Diff, old: bool) -> str:
    sel = diff.old if old else diff.new
    briefs = "; ".join(f"#{b.id} {b.shown_date} {b.title}" for b in sel.briefs)
    return f"{label} {sel.spec}: {len(sel.briefs)} brief(s), {len(sel.claims)} claims — {briefs}"


def _diff_text(change: Change) -> Text:
    assert change.old is not None and change.new is not None
    text = Text("    ")
    for seg in word_diff(change.old.text, change.new.text):
        if text.plain.strip():
            text.append(" ")
        if seg.op == "same":
            text.append(seg.text)
        elif seg.op == "old":
            text.append(f"[-{seg.text}-]", style="red strike")
        else:
            text.append(f"{{+{seg.text}+}}", style="green bold")
    return text


def _change(console: Console, diff: Diff, change: Change) -> None:
    console.print(Text("  • " + headline(change), style="bold"))
    if change.kind == "modified":
        console.print(_diff_text(change))
        for q in change.quantities:
            style = "cyan" if q.moved else "dim"
            console.print(Text(f"    {quantity_label(q)}: {quantity_phrase(q)}", style=style))
        for s in change.stance:
            console.print(Text("    stance " + stance_phrase(s), style="magenta"))
    else:
        claim = change.new if change.kind != "removed" else change.old
        assert claim is not None
        prefix = {"added": "+ ", "removed": "- ", "unchanged": "= "}[change.kind]
        style = {"added": "green", "removed": "red", "unchanged": ""}[change.kind]
        console.print(Text("    " + prefix + claim.text, style=style))
    for line in lead_in_lines(change):
        console.print(Text("    " + line, style="dim"))
    if change.old is not None:
        console.print(Text(f"    old: {brief_label(diff, change.old)}", style="dim"))
    if change.new is not None:
        console.print(Text(f"    new: {brief_label(diff, change.new)}", style="dim"))
    others = len(change.also_old) + len(change.also_new)
    if others:
        console.print(Text(f"    (also stated in {others} other brief(s))", style="dim"))


def render_text(diff: Diff, *, color: bool = False) -> str:
    """The diff as terminal text; ANSI colour only when ``color``.

    Lines are not wrapped here (soft wrap): the terminal wraps them to its own width, and
    piped output keeps one line per claim for grep.
    """
    buffer = io.StringIO()
    console = buffer_console(buffer, color=color)
    console.print(_selection_line("from", diff, True))
    console.print(_selection_line("to  ", diff, False))
    for kind, group in groups(diff):
        console.print()
        console.print(Text(f"{GROUP_TITLES[kind]} ({len(group)})", style="bold underline"))
        for change in group:
            _change(console, diff, change)
    console.print()
    console.print(summary_line(diff))
    return buffer.getvalue()
