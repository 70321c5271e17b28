"""Chain each position through many snapshots: 2021 → 2023 → 2024.

A timeline is built from the same pairwise comparisons ``tracker diff`` makes: consecutive
periods are compared with :func:`~tracker.compare.engine.compare`, and each matched pair links
a claim to its restatement in the next period. Following those links gives one chain per
position, so a chain follows rewordings ("1 percent cap" → "2% of GDP") and never disagrees
with the pairwise diffs. A position that is missing from a period and stated again later is
joined across the gap by comparing what vanished with what appeared afterwards.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tracker.compare.engine import Reviews, compare
from tracker.compare.matcher import MatcherConfig
from tracker.compare.model import (
    BriefRef,
    Change,
    ClaimRef,
    DiffOptions,
    QuantityRef,
    Selection,
)
from tracker.compare.selection import load_selection, selection_filter, within_phrase
from tracker.compare.semantic import Encoder
from tracker.compare.topics import TopicLabeller
from tracker.errors import SelectionError
from tracker.store.db import read_snapshot
from tracker.store.models import Brief

Status = Literal[
    "changed-repeatedly", "changed-once", "appeared", "vanished", "transient", "stable"
]
# Report order: the positions that moved most come first.
STATUSES: tuple[Status, ...] = (
    "changed-repeatedly",
    "changed-once",
    "appeared",
    "vanished",
    "transient",
    "stable",
)
Granularity = Literal["year", "month", "brief"]
# Units whose values make a trajectory. Bare years are dates the claim mentions, not a
# position's figure; deadlines ("by 2030") annotate the point they belong to instead.
_NOT_TRAJECTORY = frozenset({"year", "by-year"})
# Words that frame a figure (see ``qualifiers``), and how far from it they are looked for.
_QUALIFIER = re.compile(
    r"\b(?:caps?|ceiling|limit|targets?|goals?|floor|threshold|pledge|above|below|"
    r"at least|at most|more than|less than|up to|nearly|almost|about|around|roughly)\b",
    re.IGNORECASE,
)
QUALIFIER_BEFORE = 45
QUALIFIER_AFTER = 20


@dataclass(frozen=True, slots=True)
class Period:
    """One snapshot of a timeline: a selection and the label reports show for it."""

    label: str
    selection: Selection


@dataclass(frozen=True, slots=True)
class Step:
    """A position as stated in one period."""

    period: int  # index into Timeline.periods
    claim: ClaimRef
    # The same claim in other briefs of the period, and extra parts of a split/merge.
    also: tuple[ClaimRef, ...] = ()
    # How it moved from the previous step (kind modified or unchanged); None for the first.
    change: Change | None = None


@dataclass(frozen=True, slots=True)
class Point:
    """One value of a quantity trajectory."""

    period: int
    value: float
    raw: str
    claim_id: int
    deadline: int | None  # "2% of GDP by 2027" → 2027
    # Words framing the figure, in text order: "above the cap of 1%" → ("above", "cap").
    qualifiers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Series:
    """The values one kind of figure took along a chain (e.g. "% of GDP": 1 → 2)."""

    kind: str
    unit: str
    points: tuple[Point, ...]


@dataclass(frozen=True, slots=True)
class Chain:
    """One position followed through the periods in which it was stated."""

    id: int
    topic: str
    terms: tuple[str, ...]
    status: Status
    steps: tuple[Step, ...]
    trajectory: tuple[Series, ...]
    relevance: float | None = None  # how well it matches a history query

    @property
    def changes(self) -> int:
        """Steps where the position was modified (wording, quantity or stance)."""
        return sum(1 for s in self.steps if s.change is not None and s.change.kind == "modified")

    def gaps(self, n_periods: int) -> tuple[int, ...]:
        """Periods (indexes) in which the position was not stated."""
        stated = {s.period for s in self.steps}
        return tuple(p for p in range(n_periods) if p not in stated)


@dataclass(frozen=True)
class Timeline:
    """Positions chained across an ordered list of periods."""

    periods: tuple[Period, ...]
    chains: tuple[Chain, ...]
    options: DiffOptions = field(default_factory=DiffOptions)
    # Set for `tracker history`: what the chains were chosen by.
    query: str | None = None
    claim_id: int | None = None
    # The matcher settings that linked the steps (None: the defaults, the shipped model).
    config: MatcherConfig | None = None

    @property
    def matcher(self) -> dict[str, object]:
        """The matcher's version, model and threshold that linked the steps."""
        return (self.config or MatcherConfig()).with_threshold(self.options.min_score).describe()

    @property
    def is_history(self) -> bool:
        """Chains chosen by a query or a claim, rather than every position of a diff."""
        return self.query is not None or self.claim_id is not None

    def brief(self, brief_id: int) -> BriefRef:
        """The brief (of any period) with this id."""
        for period in self.periods:
            for b in period.selection.briefs:
                if b.id == brief_id:
                    return b
        raise KeyError(brief_id)

    @property
    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
        for chain in self.chains:
            counts[chain.status] += 1
        return counts


# -- building ------------------------------------------------------------------------------


@dataclass
class _Unit:
    """A claim (with its near-duplicates) in one period, while chains are being linked."""

    period: int
    claim: ClaimRef
    also: list[ClaimRef]
    prev: _Unit | None = None
    next: _Unit | None = None
    change: Change | None = None  # from prev to this


def _link(a: _Unit, b: _Unit, change: Change) -> None:
    a.next, b.prev, b.change = b, a, change


def build_timeline(
    periods: Sequence[Period],
    options: DiffOptions | None = None,
    *,
    bridge_if: Callable[[ClaimRef], bool] | None = None,
    encoder: Encoder | None = None,
    reviews: Reviews | None = None,
    config: MatcherConfig | None = None,
) -> Timeline:
    """Chain the claims of ``periods`` (in the order given) into positions.

    Gaps are bridged for every chain, or with ``bridge_if`` only for chains holding a claim
    it accepts (a history query needs its own chains only, and bridging is the costly part
    on a long store). Chains come unlabelled: see ``label_chains``. ``encoder`` (optional
    sentence embeddings), ``reviews`` (reviewers' verdicts, fixed points of every link) and
    ``config`` (the matcher settings) are passed to every comparison.
    """
    options = options or DiffOptions()
    if len(periods) < 2:
        raise SelectionError("a timeline needs at least two periods")
    if encoder is not None and not encoder.remembers:
        # Each snapshot is on both sides of a comparison: encode its claims once.
        with encoder.remembering():
            return build_timeline(
                periods,
                options,
                bridge_if=bridge_if,
                encoder=encoder,
                reviews=reviews,
                config=config,
            )
    # Only matching settings apply to the pairwise comparisons; filters apply to chains.
    pairwise = DiffOptions(min_score=options.min_score)
    units: dict[int, _Unit] = {}  # claim id (any member) → its unit

    def unit(claim: ClaimRef, period: int, also: Sequence[ClaimRef] = ()) -> _Unit:
        found = units.get(claim.id)
        if found is None:
            found = units[claim.id] = _Unit(period, claim, [])
        for other in also:
            if other.id not in units:
                units[other.id] = found
                found.also.append(other)
        return found

    for k in range(len(periods) - 1):
        diff = compare(
            periods[k].selection,
            periods[k + 1].selection,
            pairwise,
            encoder=encoder,
            reviews=reviews,
            config=config,
        )
        # Register every claim first: a split or merge part must find its partner's unit.
        for ch in diff.changes:
            if ch.old is not None:
                unit(ch.old, k, ch.also_old)
            if ch.new is not None:
                unit(ch.new, k + 1, ch.also_new)
        for ch in diff.changes:
            if ch.old is None or ch.new is None:
                continue
            a, b = units[ch.old.id], units[ch.new.id]
            if ch.relation == "one-to-one":
                if a.next is None and b.prev is None and a is not b:
                    _link(a, b, ch)
            elif ch.relation == "split":
                _absorb(b, into=_partner(a, forward=True), units=units)
            else:  # merge
                _absorb(a, into=_partner(b, forward=False), units=units)

    _bridge_gaps(periods, units, pairwise, bridge_if, encoder, reviews, config)
    chains = _chains(periods, units)
    return Timeline(periods=tuple(periods), chains=tuple(chains), options=options, config=config)


def label_chains(periods: Sequence[Period], chains: Sequence[Chain]) -> list[Chain]:
    """The chains with their topic labels, words weighted across all claims of ``periods``."""
    labeller = TopicLabeller(c for p in periods for c in p.selection.claims)
    out = []
    for chain in chains:
        topic, terms = labeller.label([s.claim for s in chain.steps])
        out.append(replace(chain, topic=topic, terms=terms))
    return out


def _partner(u: _Unit, *, forward: bool) -> _Unit | None:
    return u.next if forward else u.prev


def _absorb(part: _Unit, into: _Unit | None, units: dict[int, _Unit]) -> None:
    """Fold a split/merge part into its partner's step, unless it is already chained."""
    if into is None or part is into or part.prev is not None or part.next is not None:
        return
    for claim in (part.claim, *part.also):
        units[claim.id] = into
        into.also.append(claim)


def _bridge_gaps(
    periods: Sequence[Period],
    units: dict[int, _Unit],
    options: DiffOptions,
    bridge_if: Callable[[ClaimRef], bool] | None,
    encoder: Encoder | None,
    reviews: Reviews | None,
    config: MatcherConfig | None,
) -> None:
    """Link a position that vanished with one that appeared at least two periods later.

    The leftovers are compared like two selections, so the same threshold and scoring decide
    whether "not stated in 2023" is a gap in one position or two different positions.
    """
    distinct: Iterable[_Unit] = {id(u): u for u in units.values()}.values()
    if bridge_if is not None:
        distinct = [
            u for chain in _walk_chains(distinct) if _any_claim(chain, bridge_if) for u in chain
        ]
    last = len(periods) - 1
    for k in range(last - 1):
        ends = sorted((u for u in distinct if u.period == k and u.next is None), key=_order)
        starts = sorted((u for u in distinct if u.period >= k + 2 and u.prev is None), key=_order)
        if not ends or not starts:
            continue
        by_claim = {u.claim.id: u for u in (*ends, *starts)}
        diff = compare(
            _pool("gap-old", ends),
            _pool("gap-new", starts),
            options,
            encoder=encoder,
            reviews=reviews,
            config=config,
        )
        for ch in diff.changes:
            if ch.old is None or ch.new is None or ch.relation != "one-to-one":
                continue
            a, b = by_claim.get(ch.old.id), by_claim.get(ch.new.id)
            if a is not None and b is not None and a.next is None and b.prev is None:
                _link(a, b, ch)


def _order(u: _Unit) -> tuple[dt.date, int, int]:
    return u.claim.order


def _pool(spec: str, group: Sequence[_Unit]) -> Selection:
    return Selection(spec=spec, briefs=(), claims=tuple(u.claim for u in group))


def _walk_chains(units: Iterable[_Unit]) -> list[list[_Unit]]:
    """The linked units as chains, in reading order of their first claims."""
    heads = sorted((u for u in units if u.prev is None), key=_order)
    chains = []
    for head in heads:
        chain: list[_Unit] = []
        node: _Unit | None = head
        while node is not None:
            chain.append(node)
            node = node.next
        chains.append(chain)
    return chains


def _any_claim(chain: Sequence[_Unit], accept: Callable[[ClaimRef], bool]) -> bool:
    return any(accept(c) for u in chain for c in (u.claim, *u.also))


def _chains(periods: Sequence[Period], units: dict[int, _Unit]) -> list[Chain]:
    chains: list[Chain] = []
    for chain in _walk_chains({id(u): u for u in units.values()}.values()):
        steps = [
            Step(u.period, u.claim, tuple(sorted(u.also, key=lambda c: c.order)), u.change)
            for u in chain
        ]
        chains.append(
            Chain(
                id=len(chains) + 1,
                topic="",
                terms=(),
                status=_status(steps, len(periods)),
                steps=tuple(steps),
                trajectory=trajectory(steps),
            )
        )
    return chains


def _status(steps: Sequence[Step], n_periods: int) -> Status:
    first, last = steps[0].period == 0, steps[-1].period == n_periods - 1
    if first and last:
        changes = sum(1 for s in steps if s.change is not None and s.change.kind == "modified")
        return (
            "stable" if changes == 0 else "changed-once" if changes == 1 else ("changed-repeatedly")
        )
    if last:
        return "appeared"
    if first:
        return "vanished"
    return "transient"


def trajectory(steps: Sequence[Step]) -> tuple[Series, ...]:
    """The figures a chain carries, one series per kind and unit, in step order.

    A series needs values in at least two steps: one value is not a trajectory. A claim often
    states several figures of one unit ("22% today, against the 36–38% goal for 2030"); each
    step contributes the one that continues the series: the value closest to the previous
    point, and in the first step a value the next step restates, else the first in the text
    (the headline figure comes first far more often than not).
    """
    candidates: dict[tuple[str, str], list[tuple[Step, list[QuantityRef]]]] = {}
    for step in steps:
        by_key: dict[tuple[str, str], list[QuantityRef]] = {}
        for q in step.claim.quantities:
            if q.unit not in _NOT_TRAJECTORY:
                by_key.setdefault((q.kind, q.unit), []).append(q)
        for key, qs in by_key.items():
            candidates.setdefault(key, []).append((step, qs))

    out: list[Series] = []
    for (kind, unit), stated in candidates.items():
        if len(stated) < 2:
            continue
        points: list[Point] = []
        for step, qs in stated:
            if points:
                previous = points[-1].value
                q = min(qs, key=lambda x: abs(x.value - previous))
            else:
                restated = {x.value for x in stated[1][1]}
                q = next((x for x in qs if x.value in restated), qs[0])
            points.append(
                Point(
                    step.period,
                    q.value,
                    q.raw,
                    step.claim.id,
                    _deadline(step.claim),
                    qualifiers(step.claim.text, q.raw),
                )
            )
        out.append(Series(kind, unit, tuple(points)))
    return tuple(out)


def qualifiers(text: str, raw: str) -> tuple[str, ...]:
    """Words just around a figure that say what kind of figure it is (cap, target, above).

    "1%" alone hides that one year calls it a cap and another a floor; these words carry that
    into the trajectory. Looked for a few words before the figure and fewer after it.
    """
    at = text.find(raw)
    if at < 0:
        return ()
    before = text[max(0, at - QUALIFIER_BEFORE) : at]
    after = text[at + len(raw) : at + len(raw) + QUALIFIER_AFTER]
    found = [(m.start(), m.group(0).lower()) for m in _QUALIFIER.finditer(before)]
    found += [
        (QUALIFIER_BEFORE + m.start(), m.group(0).lower()) for m in _QUALIFIER.finditer(after)
    ]
    return tuple(dict.fromkeys(word for _, word in sorted(found)))


def _deadline(claim: ClaimRef) -> int | None:
    """The year a figure is meant for: "by 2030", or a year after the brief's own date
    ("2% of GDP in 2027" in a 2024 brief); a past year ("since 2013") is not a deadline."""
    years = [q for q in claim.quantities if q.unit in _NOT_TRAJECTORY]
    by = next((q for q in years if q.unit == "by-year"), None)
    if by is None:
        by = next((q for q in years if q.value > claim.date.year), None)
    return None if by is None else int(by.value)


# -- periods and queries -------------------------------------------------------------------


def load_periods(
    session: Session, specs: Sequence[str], within: Sequence[str] = ()
) -> list[Period]:
    """Load the given selections (each narrowed by ``within``) as periods, in order."""
    if len(set(specs)) != len(specs):
        raise SelectionError("each selection may be given once")
    return [Period(spec, load_selection(session, spec, within)) for spec in specs]


def period_specs(
    session: Session, by: Granularity, within: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """(label, selection) for every year, month or brief that has briefs (of ``within``
    only, when given), oldest first."""
    stmt = select(Brief.id, Brief.date).order_by(Brief.date, Brief.id)
    if within:
        stmt = stmt.where(selection_filter(within[0], within[1:]))
    rows = session.execute(stmt).all()
    if by == "brief":
        return [(f"{d.isoformat()} #{i}", f"brief:{i}") for i, d in rows]
    fmt = "%Y" if by == "year" else "%Y-%m"
    labels = list(dict.fromkeys(d.strftime(fmt) for _, d in rows))
    return [(label, label) for label in labels]


def timeline(
    engine: Engine,
    specs: Sequence[str],
    options: DiffOptions | None = None,
    *,
    statuses: Sequence[Status] = (),
    encoder: Encoder | None = None,
    reviews: Reviews | None = None,
    config: MatcherConfig | None = None,
) -> Timeline:
    """``tracker diff A B C``: every position chained across the given selections.

    ``statuses`` and ``options.grep`` filter the chains reported; the summary counts what
    is reported. ``reviews`` are honoured in every link (see ``engine.compare``).
    """
    options = options or DiffOptions()
    with read_snapshot(engine) as session:
        periods = load_periods(session, specs, options.within)
    built = build_timeline(periods, options, encoder=encoder, reviews=reviews, config=config)
    chains = [
        c for c in built.chains if (not statuses or c.status in statuses) and _wanted(c, options)
    ]
    labelled = label_chains(built.periods, chains)
    ordered = tuple(_renumber(_report_order(labelled)))
    return Timeline(built.periods, ordered, options, config=config)


def _wanted(chain: Chain, options: DiffOptions) -> bool:
    if not options.grep:
        return True
    needle = options.grep.lower()
    return any(needle in c.text.lower() for s in chain.steps for c in (s.claim, *s.also))


def _report_order(chains: Sequence[Chain]) -> list[Chain]:
    """Status first (most movement first). Within a status: chains whose figures moved, then
    the other chains of several steps, each by topic (case-insensitive); then positions
    stated once, in reading order."""

    def figures_moved(chain: Chain) -> bool:
        return any(s.change is not None and "quantity" in s.change.aspects for s in chain.steps)

    return sorted(
        chains,
        key=lambda c: (
            STATUSES.index(c.status),
            len(c.steps) == 1,
            not figures_moved(c),
            c.topic.casefold() if len(c.steps) > 1 else "",
            c.steps[0].claim.order,
        ),
    )


def _renumber(chains: Sequence[Chain]) -> list[Chain]:
    """Chain ids follow report order, so "chain 3" means the same thing in every format."""
    return [replace(c, id=i) for i, c in enumerate(chains, 1)]


def history(
    engine: Engine,
    query: str | None = None,
    *,
    claim_id: int | None = None,
    by: Granularity = "year",
    limit: int = 5,
    options: DiffOptions | None = None,
    encoder: Encoder | None = None,
    reviews: Reviews | None = None,
    config: MatcherConfig | None = None,
) -> Timeline:
    """``tracker history``: the chains of one position across every period of the store.

    Give a free-text ``query`` (the best-matching chains, most relevant first, at most
    ``limit``) or a ``claim_id`` (the one chain holding that claim). ``reviews`` are
    honoured in every link.
    """
    from tracker.compare.query import relevance_scorer

    if (query is None) == (claim_id is None):
        raise SelectionError("give either a query or a claim id")
    options = options or DiffOptions()
    with read_snapshot(engine) as session:
        specs = period_specs(session, by, options.within)
        narrowed = within_phrase(options.within)
        if not specs:
            if options.within:
                raise SelectionError(f"no brief{narrowed} (see: tracker briefs)")
            raise SelectionError("no briefs stored yet (see: tracker ingest)")
        if len(specs) < 2:
            raise SelectionError(
                f"all briefs{narrowed} fall in one {by} ({specs[0][0]}): a history needs "
                "two; try --by month or --by brief"
            )
        periods = [
            Period(label, load_selection(session, spec, options.within)) for label, spec in specs
        ]
    if claim_id is not None:
        if not any(c.id == claim_id for p in periods for c in p.selection.claims):
            raise SelectionError(f"no claim with id {claim_id} (see: tracker claims BRIEF_ID)")
        built = build_timeline(
            periods,
            options,
            bridge_if=lambda c: c.id == claim_id,
            encoder=encoder,
            reviews=reviews,
            config=config,
        )
        chains = label_chains(periods, [c for c in built.chains if _holds(c, claim_id)])
        return Timeline(
            built.periods, tuple(_renumber(chains)), options, claim_id=claim_id, config=config
        )

    assert query is not None
    scorer = relevance_scorer(query)
    scores: dict[int, float] = {}

    def score(claim: ClaimRef) -> float:
        if claim.id not in scores:
            scores[claim.id] = scorer(claim)
        return scores[claim.id]

    built = build_timeline(
        periods,
        options,
        bridge_if=lambda c: score(c) > 0,
        encoder=encoder,
        reviews=reviews,
        config=config,
    )
    ranked: list[tuple[float, float, Chain]] = []
    for chain in built.chains:
        # Best claim first; then how much of the chain is about the query, so a chain that
        # states the position every year beats one that touches it once.
        per_step = [max(score(c) for c in (s.claim, *s.also)) for s in chain.steps]
        if max(per_step) > 0:
            ranked.append((max(per_step), sum(per_step), chain))
    ranked.sort(key=lambda r: (-r[0], -r[1], r[2].steps[0].claim.order))
    chosen = [replace(c, relevance=round(best, 3)) for best, _, c in ranked[:limit]]
    if not chosen:
        raise SelectionError(f"no claim matches {query!r} (try other words, or tracker search)")
    chosen = label_chains(periods, chosen)
    return Timeline(built.periods, tuple(_renumber(chosen)), options, query=query, config=config)


def _holds(chain: Chain, claim_id: int) -> bool:
    return any(c.id == claim_id for s in chain.steps for c in (s.claim, *s.also))
