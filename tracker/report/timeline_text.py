"""Terminal rendering of a timeline: each position's steps through the periods."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from tracker.compare.timeline import STATUSES, Chain, Step, Timeline
from tracker.report.describe import (
    STATUS_TITLES,
    quantity_label,
    quantity_phrase,
    stance_phrase,
    step_change_phrase,
    trajectory_phrase,
)
from tracker.report.text import buffer_console


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def period_line(tl: Timeline) -> str:
    """ "2021 (2 briefs, 139 claims) · 2023 (1 brief, 36 claims)"."""
    parts = []
    for p in tl.periods:
        briefs, claims = len(p.selection.briefs), len(p.selection.claims)
        parts.append(f"{p.label} ({_count(briefs, 'brief')}, {_count(claims, 'claim')})")
    return " · ".join(parts)


def chain_heading(tl: Timeline, chain: Chain) -> str:
    """ "defense spending — changed once, 2023 → 2024"."""
    first, last = tl.periods[chain.steps[0].period], tl.periods[chain.steps[-1].period]
    span = first.label if first is last else f"{first.label} → {last.label}"
    status = STATUS_TITLES[chain.status].lower()
    topic = chain.topic or "(no content words)"
    return f"[{chain.id}] {topic} — {status}, {span}"


def _step(console: Console, tl: Timeline, width: int, step: Step) -> None:
    label = tl.periods[step.period].label.ljust(width)
    brief = tl.brief(step.claim.brief_id)
    console.print(
        Text(f"  {label}  ")
        + Text(step.claim.text)
        + Text(f"  (claim {step.claim.id}, #{brief.id} {brief.title})", style="dim")
    )
    pad = " " * (width + 4)
    if step.change is not None:
        style = "yellow" if step.change.kind == "modified" else "dim"
        console.print(Text(pad + step_change_phrase(step.change), style=style))
        for q in step.change.quantities:
            style = "cyan" if q.moved else "dim"
            console.print(Text(f"{pad}{quantity_label(q)}: {quantity_phrase(q)}", style=style))
        for s in step.change.stance:
            console.print(Text(pad + "stance " + stance_phrase(s), style="magenta"))
    if step.also:
        console.print(
            Text(
                pad + f"(also stated in {len(step.also)} other claim(s) of this period)",
                style="dim",
            )
        )


def _chain(console: Console, tl: Timeline, chain: Chain, *, every_period: bool) -> None:
    width = max(len(p.label) for p in tl.periods)
    console.print(Text(chain_heading(tl, chain), style="bold"))
    by_period = {s.period: s for s in chain.steps}
    first, last = chain.steps[0].period, chain.steps[-1].period
    shown = range(len(tl.periods)) if every_period else range(first, last + 1)
    for p in shown:
        step = by_period.get(p)
        if step is None:
            console.print(Text(f"  {tl.periods[p].label.ljust(width)}  — not stated", style="dim"))
        else:
            _step(console, tl, width, step)
    for series in chain.trajectory:
        points = trajectory_phrase(series, [p.label for p in tl.periods])
        console.print(Text(f"  trajectory: {points}", style="cyan bold"))
    console.print()


def _one_line(console: Console, tl: Timeline, chain: Chain) -> None:
    step = chain.steps[0]
    brief = tl.brief(step.claim.brief_id)
    console.print(
        Text(f"  [{chain.id}] {tl.periods[step.period].label}  ")
        + Text(step.claim.text)
        + Text(f"  (#{brief.id})", style="dim")
    )


def summary_line(tl: Timeline) -> str:
    """ "2 changed repeatedly, 5 changed once, …"."""
    s = tl.summary
    return ", ".join(f"{s[k]} {STATUS_TITLES[k].lower()}" for k in STATUSES)


def render_timeline_text(tl: Timeline, *, color: bool = False) -> str:
    """A timeline as terminal text; ANSI colour only when ``color``.

    A history (query or claim) shows its chains in relevance order with every period, so
    the years a position was not stated are visible. A multi-way diff groups chains by
    status; a position stated once is one line.
    """
    buffer = io.StringIO()
    console = buffer_console(buffer, color=color)
    if tl.query is not None:
        n = len(tl.chains)
        console.print(
            Text(f"history of “{tl.query}”: {_count(n, 'position')}, most relevant first")
        )
    elif tl.claim_id is not None:
        console.print(Text(f"history of claim {tl.claim_id}"))
    console.print(Text(f"periods: {period_line(tl)}"))
    console.print()
    if tl.is_history:
        for chain in tl.chains:
            _chain(console, tl, chain, every_period=True)
        return buffer.getvalue()
    for status in STATUSES:
        group = [c for c in tl.chains if c.status == status]
        if not group:
            continue
        console.print(Text(f"{STATUS_TITLES[status]} ({len(group)})", style="bold underline"))
        for chain in group:
            if len(chain.steps) == 1:
                _one_line(console, tl, chain)
            else:
                _chain(console, tl, chain, every_period=False)
        console.print()
    console.print(summary_line(tl))
    return buffer.getvalue()
