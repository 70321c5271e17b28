"""The comparison engine: align the claims of two selections and classify each change."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from tracker.compare.classify import classify
from tracker.compare.matcher import MatcherConfig, match
from tracker.compare.model import (
    KINDS,
    Change,
    ClaimRef,
    Diff,
    DiffOptions,
    Lead,
    ReportFilter,
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


def compare(
    old: Selection,
    new: Selection,
    options: DiffOptions | None = None,
    *,
    encoder: Encoder | None = None,
    config: MatcherConfig | None = None,
) -> Diff:
    """Match and classify the claims of two loaded selections (see ``matcher``).

    ``options.min_score`` overrides the matcher's probability threshold; every change is
    returned (see ``filtered`` for the report filters). With an ``encoder``
    (optional sentence embeddings, see ``semantic``), candidate pairs whose embedding cosine
    is below the config's ``semantic_veto`` cannot match.
    """
    with collector_paused():
        return _compare(old, new, options or DiffOptions(), encoder, config)


def _compare(
    old: Selection,
    new: Selection,
    options: DiffOptions,
    encoder: Encoder | None,
    config: MatcherConfig | None,
) -> Diff:
    config = (config or MatcherConfig()).with_threshold(options.min_score)
    found = match(old.claims, new.claims, config, encoder=encoder)
    alignment = found.alignment

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
