"""Markdown rendering of a timeline, for pasting into a memo."""

from __future__ import annotations

from tracker.compare.timeline import STATUSES, Chain, Timeline
from tracker.report.describe import (
    STATUS_TITLES,
    quantity_phrase,
    stance_phrase,
    step_change_phrase,
    trajectory_phrase,
)
from tracker.report.markdown import escape_md
from tracker.report.timeline_text import chain_heading, period_line, summary_line


def _chain(tl: Timeline, chain: Chain) -> list[str]:
    lines = [f"### {escape_md(chain_heading(tl, chain))}", ""]
    by_period = {s.period: s for s in chain.steps}
    first, last = chain.steps[0].period, chain.steps[-1].period
    shown = range(len(tl.periods)) if tl.is_history else range(first, last + 1)
    for p in shown:
        label = escape_md(tl.periods[p].label)
        step = by_period.get(p)
        if step is None:
            lines.append(f"- **{label}**: *not stated*")
            continue
        brief = tl.brief(step.claim.brief_id)
        lines.append(
            f"- **{label}**: {escape_md(step.claim.text)} "
            f"(claim {step.claim.id}, brief {brief.id}, {escape_md(brief.title)}, "
            f"{brief.shown_date})"
        )
        if step.change is not None:
            evidence = [step_change_phrase(step.change)]
            evidence += [
                quantity_phrase(q) if q.moved else f"context: {quantity_phrase(q)}"
                for q in step.change.quantities
            ]
            evidence += ["stance " + stance_phrase(s) for s in step.change.stance]
            lines.append(f"  - {escape_md('; '.join(evidence))}")
    for series in chain.trajectory:
        points = trajectory_phrase(series, [p.label for p in tl.periods])
        lines.append(f"- trajectory: {escape_md(points)}")
    lines.append("")
    return lines


def render_timeline_markdown(tl: Timeline) -> str:
    """The timeline as a Markdown document."""
    if tl.query is not None:
        title = f"# History of “{escape_md(tl.query)}”"
    elif tl.claim_id is not None:
        title = f"# History of claim {tl.claim_id}"
    else:
        title = "# Positions across " + " → ".join(escape_md(p.label) for p in tl.periods)
    out = [title, "", f"Periods: {escape_md(period_line(tl))}.", ""]
    if tl.is_history:
        for chain in tl.chains:
            out += _chain(tl, chain)
        return "\n".join(out).rstrip() + "\n"
    out += [f"{summary_line(tl)}.", ""]
    for status in STATUSES:
        group = [c for c in tl.chains if c.status == status]
        if group:
            out += [f"## {STATUS_TITLES[status]} ({len(group)})", ""]
            for chain in group:
                out += _chain(tl, chain)
    return "\n".join(out).rstrip() + "\n"
