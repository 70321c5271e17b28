"""Turn scored candidate pairs into an alignment: one-to-one, then splits and merges.

One-to-one is greedy by score: the best pair is taken first and each claim is used once.
On sparse top-k candidates this is near-optimal for this task (claims rarely compete for the
same partner with similar scores) and, unlike the Hungarian method, linear in the number of
candidates. Ties break on reading order so the result is deterministic.

A claim left over after that whose best partner is already taken may still be part of it: a
list sentence in one year restated as separate sentences in another. When the leftover claim
is mostly contained in that partner, it joins the pair as a split (one old → several new) or
a merge (several old → one new).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# A leftover claim joins an existing pair when at least this share of its weight is in it...
SPLIT_CONTAINMENT = 0.7
# ...and its own score with that partner is at least this share of the pair's score.
SPLIT_RELATIVE_SCORE = 0.75


@dataclass(frozen=True, slots=True)
class Edge:
    """A scored candidate pair: indexes into the old and new claims."""

    old: int
    new: int
    score: float
    containment: float


@dataclass(frozen=True)
class Alignment:
    """Matched pairs with how each was made."""

    pairs: list[tuple[Edge, str]]  # (edge, "one-to-one" | "split" | "merge")
    unmatched_old: list[int]
    unmatched_new: list[int]


def align(edges: Iterable[Edge], n_old: int, n_new: int, threshold: float) -> Alignment:
    """Align claims given candidate edges; edges below ``threshold`` are ignored."""
    usable = sorted(
        (e for e in edges if e.score >= threshold),
        key=lambda e: (-e.score, e.old, e.new),
    )
    old_match: dict[int, Edge] = {}
    new_match: dict[int, Edge] = {}
    for edge in usable:
        if edge.old in old_match or edge.new in new_match:
            continue
        old_match[edge.old] = edge
        new_match[edge.new] = edge
    pairs: list[tuple[Edge, str]] = [(e, "one-to-one") for e in old_match.values()]

    extra_new: set[int] = set()
    extra_old: set[int] = set()
    for edge in usable:  # best first, so each leftover joins its strongest partner
        if edge.new not in new_match and edge.new not in extra_new and edge.old in old_match:
            anchor = old_match[edge.old]
            if (
                edge.containment >= SPLIT_CONTAINMENT
                and edge.score >= SPLIT_RELATIVE_SCORE * anchor.score
            ):
                pairs.append((edge, "split"))
                extra_new.add(edge.new)
        elif edge.old not in old_match and edge.old not in extra_old and edge.new in new_match:
            anchor = new_match[edge.new]
            if (
                edge.containment >= SPLIT_CONTAINMENT
                and edge.score >= SPLIT_RELATIVE_SCORE * anchor.score
            ):
                pairs.append((edge, "merge"))
                extra_old.add(edge.old)

    matched_old = set(old_match) | extra_old
    matched_new = set(new_match) | extra_new
    return Alignment(
        pairs=pairs,
        unmatched_old=[i for i in range(n_old) if i not in matched_old],
        unmatched_new=[j for j in range(n_new) if j not in matched_new],
    )


def group_duplicates(pairs: Iterable[tuple[int, int]], n: int) -> list[int]:
    """Union-find over near-duplicate pairs: the representative (lowest index) of each item."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(i) for i in range(n)]
