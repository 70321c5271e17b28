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

import numpy as np

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


def align(
    old: np.ndarray,
    new: np.ndarray,
    score: np.ndarray,
    containment: np.ndarray,
    threshold: float,
    n_old: int,
    n_new: int,
) -> Alignment:
    """Align claims given candidate pairs ``(old[k], new[k])`` with their scores.

    Pairs below ``threshold`` are ignored. The arrays are walked best first (ties by old,
    then new index) as plain ints: a large diff has a million candidates, and only the
    chosen ones become ``Edge`` objects.
    """
    usable = score >= threshold
    old, new, score, containment = old[usable], new[usable], score[usable], containment[usable]
    order = np.lexsort((new, old, -score))
    ranked = list(
        zip(
            old[order].tolist(),
            new[order].tolist(),
            score[order].tolist(),
            containment[order].tolist(),
            strict=True,
        )
    )
    old_match: dict[int, Edge] = {}
    new_match: dict[int, Edge] = {}
    for i, j, s, c in ranked:
        if i in old_match or j in new_match:
            continue
        old_match[i] = new_match[j] = Edge(i, j, s, c)
    pairs: list[tuple[Edge, str]] = [(e, "one-to-one") for e in old_match.values()]

    extra_new: set[int] = set()
    extra_old: set[int] = set()
    for i, j, s, c in ranked:  # best first, so each leftover joins its strongest partner
        if c < SPLIT_CONTAINMENT:
            continue
        split = j not in new_match and j not in extra_new and i in old_match
        merge = i not in old_match and i not in extra_old and j in new_match
        if split and s >= SPLIT_RELATIVE_SCORE * old_match[i].score:
            pairs.append((Edge(i, j, s, c), "split"))
            extra_new.add(j)
        elif merge and s >= SPLIT_RELATIVE_SCORE * new_match[j].score:
            pairs.append((Edge(i, j, s, c), "merge"))
            extra_old.add(i)

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
