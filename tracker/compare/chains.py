"""Chain each position through many snapshots: 2021 → 2023 → 2024.

Consecutive periods are compared with :func:`~tracker.compare.engine.compare`, and each
matched pair links a claim to its restatement in the next period. A position that is missing
from a period and stated again later is joined across the gap by comparing what vanished
with what appeared afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from tracker.claims.identity import claim_hash
from tracker.compare.engine import Reviews, compare
from tracker.compare.matcher import MatcherConfig
from tracker.compare.model import Change, ClaimRef, DiffOptions, Review, Selection
from tracker.compare.semantic import Encoder
from tracker.compare.timeline import Chain, Period, Status, Step, Timeline
from tracker.compare.topics import TopicLabeller
from tracker.compare.trajectories import trajectory
from tracker.errors import SelectionError


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
            options,
            encoder=encoder,
            reviews=_carried(reviews, units, k, periods[k + 1].selection.claims),
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

    _bridge_gaps(periods, units, options, bridge_if, encoder, reviews, config)
    chains = _chains(periods, units)
    return Timeline(periods=tuple(periods), chains=tuple(chains), options=options, config=config)


def _carried(
    reviews: Reviews | None, units: dict[int, _Unit], k: int, later: Sequence[ClaimRef]
) -> Reviews | None:
    """The decisions for the link from period ``k`` to ``k + 1``, with confirmed pairs that
    skip a period carried along their chain.

    An analyst who confirms a 2021 claim with a 2024 one, in a diff of those two years, says
    the position continued; if the timeline already links the 2021 claim to a 2023 claim, the
    link that honours the verdict is 2023 → 2024. So a confirmed pair from an earlier claim
    of a chain to a claim of period ``k + 1`` fixes the chain's claim of period ``k`` to it,
    with the analyst's verdict shown, unless that pair has a verdict of its own (a rejection
    wins).
    """
    if not reviews or k == 0:
        return reviews
    confirmed: dict[str, list[tuple[str, Review]]] = {}
    for (old_h, new_h), review in reviews.items():
        if review.verdict in ("same", "related"):
            confirmed.setdefault(old_h, []).append((new_h, review))
    wanted = {claim_hash(c.text) for c in later}
    extra: dict[tuple[str, str], Review] = {}
    ends = {id(u): u for u in units.values() if u.period == k and u.prev is not None}
    for end in ends.values():
        here = claim_hash(end.claim.text)
        earlier = end.prev
        while earlier is not None:
            for claim in (earlier.claim, *earlier.also):
                for new_h, review in confirmed.get(claim_hash(claim.text), ()):
                    if new_h in wanted and (here, new_h) not in reviews:
                        extra.setdefault((here, new_h), review)
            earlier = earlier.prev
    return {**reviews, **extra} if extra else reviews


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
