"""Terminal rendering of a diff: grouped by kind, word-level diffs, quantities highlighted."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from tracker.compare.model import Change, Diff
from tracker.report.console import buffer_console, put
from tracker.report.describe import (
    GROUP_TITLES,
    brief_label,
    groups,
    headline,
    lead_in_lines,
    lead_line,
    quantity_label,
    quantity_phrase,
    review_phrase,
    stance_phrase,
    summary_line,
)
from tracker.report.worddiff import word_diff


def _selection_line(label: str, diff: Diff, old: bool) -> str:
    sel = diff.old if old else diff.new
    briefs = "; ".join(f"#{b.id} {b.shown_date} {b.title}" for b in sel.briefs)
    return f"{label} {sel.spec}: {len(sel.briefs)} brief(s), {len(sel.claims)} claims — {briefs}"


def word_diff_text(old: str, new: str, indent: str = "    ") -> Text:
    """The word diff of two claim texts as styled text: ``[-removed-]`` in red, ``{+added+}``
    in green (the markers stay when colour is off, so plain output shows the change too)."""
    text = Text(indent)
    for seg in word_diff(old, new):
        if text.plain.strip():
            text.append(" ")
        if seg.op == "same":
            text.append(seg.text)
        elif seg.op == "old":
            text.append(f"[-{seg.text}-]", style="red strike")
        else:
            text.append(f"{{+{seg.text}+}}", style="green bold")
    return text


def _change(console: Console, diff: Diff, change: Change, width: int | None) -> None:
    put(console, Text("  • " + headline(change), style="bold"), width, hang=2)
    if change.review is not None:
        line = Text("    reviewed: " + review_phrase(change.review), style="blue")
        put(console, line, width, hang=2)
    if change.kind == "modified":
        assert change.old is not None and change.new is not None
        put(console, word_diff_text(change.old.text, change.new.text), width)
        for q in change.quantities:
            style = "cyan" if q.moved else "dim"
            line = Text(f"    {quantity_label(q)}: {quantity_phrase(q)}", style=style)
            put(console, line, width, hang=2)
        for s in change.stance:
            put(console, Text("    stance " + stance_phrase(s), style="magenta"), width, hang=2)
    else:
        claim = change.new if change.kind != "removed" else change.old
        assert claim is not None
        prefix = {"added": "+ ", "removed": "- ", "unchanged": "= "}[change.kind]
        style = {"added": "green", "removed": "red", "unchanged": ""}[change.kind]
        put(console, Text("    " + prefix + claim.text, style=style), width, hang=2)
    for lead_in in lead_in_lines(change):
        put(console, Text("    " + lead_in, style="dim"), width, hang=2)
    lead = lead_line(diff, change)
    if lead is not None:
        put(console, Text("    " + lead, style="dim italic"), width, hang=2)
    if change.old is not None:
        put(console, Text(f"    old: {brief_label(diff, change.old)}", style="dim"), width, hang=5)
    if change.new is not None:
        put(console, Text(f"    new: {brief_label(diff, change.new)}", style="dim"), width, hang=5)
    others = len(change.also_old) + len(change.also_new)
    if others:
        console.print(Text(f"    (also stated in {others} other brief(s))", style="dim"))


def render_text(
    diff: Diff, *, color: bool = False, width: int | None = None, sort: str = "order"
) -> str:
    """The diff as terminal text; ANSI colour only when ``color``.

    With ``width`` (a terminal's), lines are wrapped to it with hanging indents; without,
    each claim stays on one line, for grep. ``sort``: ``order`` lists each kind in reading
    order, ``score`` as the HTML report does (figures and stance first, best matched first).
    """
    buffer = io.StringIO()
    console = buffer_console(buffer, color=color, width=width)
    put(console, Text(_selection_line("from", diff, True)), width, hang=6)
    put(console, Text(_selection_line("to  ", diff, False)), width, hang=6)
    for kind, group in groups(diff, sort):
        console.print()
        console.print(Text(f"{GROUP_TITLES[kind]} ({len(group)})", style="bold underline"))
        for change in group:
            _change(console, diff, change, width)
    console.print()
    put(console, Text(summary_line(diff)), width)
    return buffer.getvalue()
