"""The comparison engine: align the claims of two selections and classify each change."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace

from tracker.claims.identity import claim_hash
from tracker.compare.classify import classify
from tracker.compare.matcher import FixedPoints, MatcherConfig, match
from tracker.compare.model import (
    KINDS,
    Change,
    ClaimRef,
    Diff,
    DiffOptions,
    Lead,
    ReportFilter,
    Review,
    Selection,
)
from tracker.compare.semantic import Encoder


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with Python's cyclic garbage collector off (back on afterwards).

    A diff builds hundreds of thousands of small objects that all stay alive (claims, token
    tuples, sets, changes). Each time enough of them accumulate, the collector walks every
    tracked object, so at 100k × 100k claims it took about a fifth of the diff (measured
    with benchmarks/diff_scale.py: 25 s with it, 20 s without) while finding nothing to
    free: the engine makes no reference cycles worth collecting, and peak memory was the
    same. Reference counting still frees everything as usual. Nested use is fine: only the
    outermost block turns the collector back on, and only if it was on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# Reviewers' current verdicts by (old claim hash, new claim hash): see tracker.store.reviews.
Reviews = Mapping[tuple[str, str], Review]


def compare(
    old: Selection,
    new: Selection,
    options: DiffOptions | None = None,
    *,
    encoder: Encoder | None = None,
    config: MatcherConfig | None = None,
    reviews: Reviews | None = None,
) -> Diff:
    """Match and classify the claims of two loaded selections (see ``matcher``).

    ``options.min_score`` overrides the matcher's probability threshold; every change is
    returned (see ``filtered`` for the report filters). With an ``encoder``
    (optional sentence embeddings, see ``semantic``), candidate pairs whose embedding cosine
    is below the config's ``semantic_veto`` cannot match. ``reviews`` are fixed points: a
    pair confirmed ``same`` or ``related`` is always paired (and carries its ``review``), one
    rejected as ``different`` never is; everything else is aligned around them.
    """
    with collector_paused():
        return _compare(old, new, options or DiffOptions(), encoder, config, reviews or {})


def fixed_points(
    old: Sequence[ClaimRef], new: Sequence[ClaimRef], reviews: Reviews
) -> tuple[FixedPoints, list[str], list[str]]:
    """The reviews that concern these claims, by index; and each claim's hash.

    A claim stated twice on one side (same text) is confirmed through its first statement
    and rejected through all. ``same`` verdicts are fixed before ``related`` ones, so a
    claim confirmed with two partners pairs one-to-one with its ``same`` partner.
    """
    if not reviews:
        return FixedPoints(), [], []
    h_old = [claim_hash(c.text) for c in old]
    h_new = [claim_hash(c.text) for c in new]
    at_old: dict[str, list[int]] = {}
    at_new: dict[str, list[int]] = {}
    for i, h in enumerate(h_old):
        at_old.setdefault(h, []).append(i)
    for j, h in enumerate(h_new):
        at_new.setdefault(h, []).append(j)
    confirmed: list[tuple[str, int, int]] = []
    rejected: set[tuple[int, int]] = set()
    for (ho, hn), review in reviews.items():
        olds, news = at_old.get(ho), at_new.get(hn)
        if not olds or not news:
            continue
        if review.confirmed:
            confirmed.append((review.verdict, olds[0], news[0]))
        else:
            rejected.update((i, j) for i in olds for j in news)
    confirmed.sort(key=lambda t: (t[0] != "same", t[1], t[2]))
    fixed = FixedPoints(tuple((i, j) for _, i, j in confirmed), frozenset(rejected))
    return fixed, h_old, h_new


def _compare(
    old: Selection,
    new: Selection,
    options: DiffOptions,
    encoder: Encoder | None,
    config: MatcherConfig | None,
    reviews: Reviews,
) -> Diff:
    config = (config or MatcherConfig()).with_threshold(options.min_score)
    fixed, h_old, h_new = fixed_points(old.claims, new.claims, reviews)
    found = match(old.claims, new.claims, config, encoder=encoder, fixed=fixed)
    alignment = found.alignment

    def review_of(i: int, j: int) -> Review | None:
        """The confirming review of a pair, made on its claims or their near-duplicates."""
        if not fixed.confirmed:
            return None
        for a in (i, *found.old_members.get(i, ())):
            for b in (j, *found.new_members.get(j, ())):
                got = reviews.get((h_old[a], h_new[b]))
                if got is not None and got.confirmed:
                    return got
        return None

    def also_old(i: int) -> tuple[ClaimRef, ...]:
        members = found.old_members.get(i)  # most claims have no near-duplicate
        return tuple(old.claims[k] for k in members) if members else ()

    def also_new(j: int) -> tuple[ClaimRef, ...]:
        members = found.new_members.get(j)
        return tuple(new.claims[k] for k in members) if members else ()

    changes: list[Change] = []
    for edge, relation in alignment.pairs:
        a, b = old.claims[edge.old], new.claims[edge.new]
        kind, aspects, quantities, stances = classify(a, b)
        changes.append(
            Change(
                kind=kind,
                old=a,
                new=b,
                score=round(found.lexical[(edge.old, edge.new)], 3),
                probability=round(edge.probability, 3),
                aspects=aspects,
                quantities=quantities,
                stance=stances,
                relation=relation,
                also_old=also_old(edge.old),
                also_new=also_new(edge.new),
                review=review_of(edge.old, edge.new),
            )
        )
    for i in alignment.unmatched_old:
        if found.old_reps[i]:
            e = alignment.lead_old.get(i)
            lead = None if e is None else Lead(new.claims[e.new], round(e.probability, 3))
            changes.append(
                Change(kind="removed", old=old.claims[i], new=None, also_old=also_old(i), lead=lead)
            )
    for j in alignment.unmatched_new:
        if found.new_reps[j]:
            e = alignment.lead_new.get(j)
            lead = None if e is None else Lead(old.claims[e.old], round(e.probability, 3))
            changes.append(
                Change(kind="added", old=None, new=new.claims[j], also_new=also_new(j), lead=lead)
            )

    changes.sort(key=_sort_key)
    return Diff(old=old, new=new, changes=tuple(changes), matcher=config.describe())


def filtered(diff: Diff, report: ReportFilter) -> Diff:
    """The diff with only the changes ``report`` keeps (the summary counts those)."""
    if report == ReportFilter():
        return diff
    return replace(diff, changes=tuple(c for c in diff.changes if report.keeps(c)))


def _sort_key(change: Change) -> tuple[int, tuple[object, ...], tuple[object, ...]]:
    """Kind first (modified, added, removed, unchanged), then reading order."""
    primary = change.old or change.new
    secondary = change.new or change.old
    assert primary is not None and secondary is not None
    return (KINDS.index(change.kind), primary.order, secondary.order)
