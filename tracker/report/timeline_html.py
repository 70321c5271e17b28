"""Standalone HTML timeline report (``templates/timeline.html``).

Like the change report, the template gets one documented context built here and never
reaches into engine objects; the quantity charts are plain inline SVG whose coordinates are
computed here, so the page needs no script library and no network.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker import __version__
from tracker.compare.timeline import STATUSES, Chain, Series, Step, Timeline
from tracker.report.describe import (
    STATUS_TITLES,
    point_label,
    quantity_phrase,
    stance_phrase,
    step_change_phrase,
)
from tracker.report.html import ClaimView, SelectionView, environment
from tracker.report.worddiff import Segment, word_diff

CHART_WIDTH = 460
CHART_HEIGHT = 136
_PAD_X, _PAD_TOP, _PAD_BOTTOM = 80, 26, 40


@dataclass(frozen=True)
class StepView:
    """One period of a chain: the claim, or ``None`` where the position was not stated."""

    period: str
    claim: ClaimView | None
    segments: tuple[Segment, ...]  # word diff against the previous step (new side shown)
    change: str | None  # "modified (wording, quantity), score 0.376"
    modified: bool
    quantities: tuple[str, ...]  # figures that moved
    context: tuple[str, ...]  # a year, rank or count named on one side only
    stance: tuple[str, ...]
    also: int


@dataclass(frozen=True)
class PointView:
    x: float
    y: float
    label: str  # "2% of GDP by 2027"
    period: str


@dataclass(frozen=True)
class ChartView:
    """An inline SVG line chart of one quantity series."""

    title: str  # "% of GDP"
    summary: str  # the series as text, for screen readers and print
    width: int
    height: int
    points: tuple[PointView, ...]
    ticks: tuple[tuple[float, str], ...]  # (x, period label) along the bottom

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class ChainView:
    anchor: str
    id: int
    topic: str
    status: str
    status_title: str
    span: str
    changes: int
    relevance: float | None
    steps: tuple[StepView, ...]
    charts: tuple[ChartView, ...]
    search_text: str


@dataclass(frozen=True)
class StatusGroupView:
    status: str
    title: str
    chains: tuple[ChainView, ...]


@dataclass(frozen=True)
class TimelineContext:
    """Everything ``timeline.html`` renders."""

    title: str
    periods: tuple[tuple[str, SelectionView], ...]
    status_counts: tuple[tuple[str, int], ...]
    total: int
    is_history: bool
    groups: tuple[StatusGroupView, ...]


def _chart(tl: Timeline, series: Series) -> ChartView:
    n = len(tl.periods)
    inner_w = CHART_WIDTH - 2 * _PAD_X
    inner_h = CHART_HEIGHT - _PAD_TOP - _PAD_BOTTOM
    low = min(p.value for p in series.points)
    high = max(p.value for p in series.points)

    def x(period: int) -> float:
        return _PAD_X + (inner_w * period / (n - 1) if n > 1 else inner_w / 2)

    def y(value: float) -> float:
        if high == low:
            return _PAD_TOP + inner_h / 2
        return _PAD_TOP + inner_h * (high - value) / (high - low)

    points = tuple(
        PointView(
            x(p.period),
            y(p.value),
            point_label(p, series.unit),
            tl.periods[p.period].label,
        )
        for p in series.points
    )
    summary = " → ".join(f"{p.label} ({p.period})" for p in points)
    return ChartView(
        title=series.unit or series.kind,
        summary=summary,
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        points=points,
        ticks=tuple((x(i), p.label) for i, p in enumerate(tl.periods)),
    )


def _step_view(tl: Timeline, step: Step, previous: Step | None) -> StepView:
    b = tl.brief(step.claim.brief_id)
    c = step.claim
    claim = ClaimView(c.text, c.brief_id, b.title, b.source, c.date.isoformat(), c.start, c.end)
    change = step.change
    modified = change is not None and change.kind == "modified"
    quantities = change.quantities if change is not None else ()
    segments = (
        tuple(word_diff(previous.claim.text, c.text)) if modified and previous is not None else ()
    )
    return StepView(
        period=tl.periods[step.period].label,
        claim=claim,
        segments=segments,
        change=step_change_phrase(change) if change is not None else None,
        modified=modified,
        quantities=tuple(quantity_phrase(q) for q in quantities if q.moved),
        context=tuple(quantity_phrase(q) for q in quantities if not q.moved),
        stance=tuple(stance_phrase(s) for s in change.stance) if change else (),
        also=len(step.also),
    )


def _chain_view(tl: Timeline, chain: Chain) -> ChainView:
    by_period = {s.period: s for s in chain.steps}
    first, last = chain.steps[0].period, chain.steps[-1].period
    shown = range(len(tl.periods)) if tl.is_history else range(first, last + 1)
    steps: list[StepView] = []
    previous: Step | None = None
    for p in shown:
        step = by_period.get(p)
        if step is None:
            steps.append(StepView(tl.periods[p].label, None, (), None, False, (), (), (), 0))
            continue
        steps.append(_step_view(tl, step, previous))
        previous = step
    span_first, span_last = tl.periods[first].label, tl.periods[last].label
    text = " ".join([chain.topic, *(s.claim.text for s in chain.steps)])
    return ChainView(
        anchor=f"chain-{chain.id}",
        id=chain.id,
        topic=chain.topic or "(no content words)",
        status=chain.status,
        status_title=STATUS_TITLES[chain.status],
        span=span_first if first == last else f"{span_first} → {span_last}",
        changes=chain.changes,
        relevance=chain.relevance,
        steps=tuple(steps),
        charts=tuple(_chart(tl, s) for s in chain.trajectory),
        search_text=text.lower(),
    )


def build_timeline_context(tl: Timeline) -> TimelineContext:
    """Turn a timeline into the report's context."""
    labels = " → ".join(p.label for p in tl.periods)
    if tl.query is not None:
        title = f"History of “{tl.query}”: {labels}"
    elif tl.claim_id is not None:
        title = f"History of claim {tl.claim_id}: {labels}"
    else:
        title = f"How positions moved: {labels}"
    views = [_chain_view(tl, c) for c in tl.chains]
    groups: tuple[StatusGroupView, ...]
    if tl.is_history:
        # Relevance order, as the library ranked them: one group.
        groups = (StatusGroupView("all", "Matching positions", tuple(views)),)
    else:
        groups = tuple(
            StatusGroupView(s, STATUS_TITLES[s], tuple(v for v in views if v.status == s))
            for s in STATUSES
            if any(v.status == s for v in views)
        )
    summary = tl.summary
    return TimelineContext(
        title=title,
        periods=tuple(
            (
                p.label,
                SelectionView(p.selection.spec, len(p.selection.claims), p.selection.briefs),
            )
            for p in tl.periods
        ),
        status_counts=tuple((s, summary[s]) for s in STATUSES),
        total=len(views),
        is_history=tl.is_history,
        groups=groups,
    )


def render_timeline_html(tl: Timeline) -> str:
    """The timeline as one standalone HTML page."""
    template = environment().get_template("timeline.html")
    return template.render(ctx=build_timeline_context(tl), version=__version__)
