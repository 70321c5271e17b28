"""Turn scored candidate pairs into an alignment: one-to-one with a "no counterpart" option,
then splits and merges, and a lead for each claim left alone.

Most claims of a brief have no counterpart in the other. Greedy first-come alignment pairs
such a claim with whatever neighbour is left, so the one-to-one step is a maximum-weight
matching on log-odds instead: a pair is worth ``logit(p) - logit(threshold)``, positive only
above the threshold, and leaving a claim unmatched is worth 0. The matching therefore never
takes a pair below the threshold, and among pairs above it, it prefers the set of pairs that
is most likely right as a whole (a claim does not take a partner that two better pairs need).

Candidate graphs are sparse and fall apart into small connected components; each component
is solved exactly with the Hungarian method (``scipy.optimize.linear_sum_assignment``). A
component too large for a dense solve (rare: one generic claim near hundreds of others)
falls back to best-first greedy within it.

A claim left over after that whose best partner is already taken may still be part of it: a
list sentence in one year restated as separate sentences in another. When the leftover claim
is mostly contained in that partner and the pair clears the threshold, it joins the pair as
a split (one old → several new) or a merge (several old → one new).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

# A leftover claim joins an existing pair when at least this share of its weight is in it...
SPLIT_CONTAINMENT = 0.7
# ...and its own probability with that partner is at least this share of the pair's: a part
# of a list sentence is about as likely a match as the sentence's main counterpart.
SPLIT_RELATIVE = 0.75
# Components with more cells than this are aligned greedily (dense Hungarian is O(n³)).
MAX_DENSE_CELLS = 250_000


@dataclass(frozen=True, slots=True)
class Edge:
    """A scored candidate pair: indexes into the old and new claims."""

    old: int
    new: int
    probability: float
    containment: float


@dataclass(frozen=True)
class Alignment:
    """Matched pairs with how each was made, and the best candidate of each claim left out."""

    pairs: list[tuple[Edge, str]]  # (edge, "one-to-one" | "split" | "merge")
    unmatched_old: list[int]
    unmatched_new: list[int]
    lead_old: dict[int, Edge]  # unmatched old claim → its best candidate
    lead_new: dict[int, Edge]  # unmatched new claim → its best candidate


def _logit(p: np.ndarray | float) -> np.ndarray:
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-9, 1 - 1e-9)
    out: np.ndarray = np.log(q / (1 - q))
    return out


def _greedy(rows: np.ndarray, cols: np.ndarray, gain: np.ndarray) -> list[int]:
    """Indexes of pairs chosen best first, each claim used once (ties by old, then new)."""
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    chosen: list[int] = []
    for k in np.lexsort((cols, rows, -gain)).tolist():
        i, j = int(rows[k]), int(cols[k])
        if i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            chosen.append(k)
    return chosen


def _matching(rows: np.ndarray, cols: np.ndarray, gain: np.ndarray, n_old: int) -> list[int]:
    """Indexes of the pairs of a maximum-gain one-to-one matching (all gains > 0)."""
    if len(rows) == 0:
        return []
    n_new = int(cols.max()) + 1
    graph = coo_matrix(
        (np.ones(len(rows)), (rows, n_old + cols)), shape=(n_old + n_new, n_old + n_new)
    )
    _, label = connected_components(graph, directed=False)
    component = label[rows]
    order = np.lexsort((cols, rows, component))
    chosen: list[int] = []
    bounds = np.flatnonzero(np.r_[True, component[order][1:] != component[order][:-1], True])
    for a, b in itertools.pairwise(bounds):
        idx = order[a:b]
        if len(idx) == 1:
            chosen.append(int(idx[0]))
            continue
        r_ids, r = np.unique(rows[idx], return_inverse=True)
        c_ids, c = np.unique(cols[idx], return_inverse=True)
        if len(r_ids) * len(c_ids) > MAX_DENSE_CELLS:
            chosen.extend(int(idx[k]) for k in _greedy(rows[idx], cols[idx], gain[idx]))
            continue
        weight = np.zeros((len(r_ids), len(c_ids)))
        where = np.full((len(r_ids), len(c_ids)), -1, dtype=np.int64)
        weight[r, c] = gain[idx]
        where[r, c] = idx
        ri, ci = linear_sum_assignment(weight, maximize=True)
        chosen.extend(int(where[x, y]) for x, y in zip(ri, ci, strict=True) if where[x, y] >= 0)
    return sorted(chosen)


def align(
    old: np.ndarray,
    new: np.ndarray,
    probability: np.ndarray,
    containment: np.ndarray,
    threshold: float,
    n_old: int,
    n_new: int,
    *,
    lead_floor: float = 0.0,
) -> Alignment:
    """Align claims given candidate pairs ``(old[k], new[k])`` with their match probability.

    Pairs below ``threshold`` are never matched. A claim left unmatched keeps its best
    candidate at or above ``lead_floor`` as a lead (below the threshold, or whose partner
    went to a more likely pair).
    """
    usable = probability >= threshold
    u_old, u_new = old[usable], new[usable]
    u_p, u_c = probability[usable], containment[usable]
    gain = _logit(u_p) - _logit(threshold) + 1e-6  # a pair at the threshold still counts
    chosen = _matching(u_old, u_new, gain, n_old)
    old_match: dict[int, Edge] = {}
    new_match: dict[int, Edge] = {}
    for k in chosen:
        edge = Edge(int(u_old[k]), int(u_new[k]), float(u_p[k]), float(u_c[k]))
        old_match[edge.old] = new_match[edge.new] = edge
    pairs: list[tuple[Edge, str]] = [(old_match[i], "one-to-one") for i in sorted(old_match)]

    extra_new: set[int] = set()
    extra_old: set[int] = set()
    for k in np.lexsort((u_new, u_old, -u_p)).tolist():  # best first: joins its best partner
        i, j, p, c = int(u_old[k]), int(u_new[k]), float(u_p[k]), float(u_c[k])
        if c < SPLIT_CONTAINMENT:
            continue
        split = j not in new_match and j not in extra_new and i in old_match
        merge = i not in old_match and i not in extra_old and j in new_match
        if split and p >= SPLIT_RELATIVE * old_match[i].probability:
            pairs.append((Edge(i, j, p, c), "split"))
            extra_new.add(j)
        elif merge and p >= SPLIT_RELATIVE * new_match[j].probability:
            pairs.append((Edge(i, j, p, c), "merge"))
            extra_old.add(i)

    matched_old = set(old_match) | extra_old
    matched_new = set(new_match) | extra_new
    lead_old: dict[int, Edge] = {}
    lead_new: dict[int, Edge] = {}
    ranked = np.lexsort((new, old, -probability))
    for k in ranked[probability[ranked] >= lead_floor].tolist():
        i, j = int(old[k]), int(new[k])
        edge = Edge(i, j, float(probability[k]), float(containment[k]))
        if i not in matched_old and i not in lead_old:
            lead_old[i] = edge
        if j not in matched_new and j not in lead_new:
            lead_new[j] = edge
    return Alignment(
        pairs=pairs,
        unmatched_old=[i for i in range(n_old) if i not in matched_old],
        unmatched_new=[j for j in range(n_new) if j not in matched_new],
        lead_old=lead_old,
        lead_new=lead_new,
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
