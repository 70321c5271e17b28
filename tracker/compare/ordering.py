"""Which chains a timeline reports, in which order, and under which numbers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from tracker.compare.model import ClaimRef
from tracker.compare.timeline import STATUSES, Chain, Status


def chosen_chains(
    chains: Sequence[Chain], statuses: Sequence[Status] = (), grep: str | None = None
) -> list[Chain]:
    """The chains of one of ``statuses`` (any, when empty) holding ``grep`` (case-insensitive)."""
    return [c for c in chains if (not statuses or c.status in statuses) and _mentions(c, grep)]


def _mentions(chain: Chain, grep: str | None) -> bool:
    if not grep:
        return True
    needle = grep.lower()
    return any(needle in c.text.lower() for s in chain.steps for c in (s.claim, *s.also))


def report_order(chains: Sequence[Chain]) -> list[Chain]:
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


def renumber(chains: Sequence[Chain]) -> list[Chain]:
    """Chain ids follow report order, so "chain 3" means the same thing in every format."""
    return [replace(c, id=i) for i, c in enumerate(chains, 1)]


def most_relevant(
    chains: Sequence[Chain], score: Callable[[ClaimRef], float], limit: int
) -> list[Chain]:
    """At most ``limit`` chains holding a claim that ``score`` rates above 0, most relevant
    first, each with its ``relevance`` (the best score of its claims)."""
    ranked: list[tuple[float, float, Chain]] = []
    for chain in chains:
        # Best claim first; then how much of the chain is about the query, so a chain that
        # states the position every year beats one that touches it once.
        per_step = [max(score(c) for c in (s.claim, *s.also)) for s in chain.steps]
        if max(per_step) > 0:
            ranked.append((max(per_step), sum(per_step), chain))
    ranked.sort(key=lambda r: (-r[0], -r[1], r[2].steps[0].claim.order))
    return [replace(c, relevance=round(best, 3)) for best, _, c in ranked[:limit]]


def holds(chain: Chain, claim_id: int) -> bool:
    """Whether the chain states the claim with this id (in a step or among its ``also``)."""
    return any(c.id == claim_id for s in chain.steps for c in (s.claim, *s.also))
