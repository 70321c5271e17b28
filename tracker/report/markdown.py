"""Markdown rendering of a diff, for pasting into a memo."""

from __future__ import annotations

from tracker.compare.model import Change, Diff
from tracker.report.describe import (
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


def escape_md(text: str) -> str:
    """Escape characters Markdown would read as syntax inside claim text."""
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def _diff_md(change: Change) -> str:
    assert change.old is not None and change.new is not None
    parts = []
    for seg in word_diff(change.old.text, change.new.text):
        text = escape_md(seg.text)
        parts.append(
            text if seg.op == "same" else f"~~{text}~~" if seg.op == "old" else f"**{text}**"
        )
    return " ".join(parts)


def _change(diff: Diff, change: Change) -> list[str]:
    lines = [f"- **{headline(change)}**"]
    if change.review is not None:
        lines.append(f"  - reviewed: {escape_md(review_phrase(change.review))}")
    if change.kind == "modified":
        lines.append(f"  - {_diff_md(change)}")
        lines += [
            f"  - {quantity_label(q)}: {escape_md(quantity_phrase(q))}" for q in change.quantities
        ]
        lines += [f"  - stance {escape_md(stance_phrase(s))}" for s in change.stance]
    else:
        claim = change.new if change.kind != "removed" else change.old
        assert claim is not None
        lines.append(f"  - {escape_md(claim.text)}")
    lines += [f"  - {escape_md(line)}" for line in lead_in_lines(change)]
    lead = lead_line(diff, change)
    if lead is not None:
        lines.append(f"  - _{escape_md(lead)}_")
    if change.old is not None:
        lines.append(f"  - old: {escape_md(brief_label(diff, change.old))}")
    if change.new is not None:
        lines.append(f"  - new: {escape_md(brief_label(diff, change.new))}")
    return lines


def render_markdown(diff: Diff) -> str:
    """The diff as a Markdown document."""
    out = [
        f"# Changes from {escape_md(diff.old.spec)} to {escape_md(diff.new.spec)}",
        "",
        f"{summary_line(diff)}.",
        "",
    ]
    for label, sel in (("From", diff.old), ("To", diff.new)):
        out.append(
            f"**{label} {escape_md(sel.spec)}:** "
            + "; ".join(f"{escape_md(b.title)} ({b.shown_date})" for b in sel.briefs)
        )
        out.append("")
    for kind, group in groups(diff):
        out += [f"## {kind.capitalize()} ({len(group)})", ""]
        for change in group:
            out += _change(diff, change)
        out.append("")
    return "\n".join(out).rstrip() + "\n"
