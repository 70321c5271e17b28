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

A claim left over after that whose best partner is already taken may still be part of it, and
joins the pair as a split (one old → several new) or a merge (several old → one new) when
the pair clears the threshold and either
- the leftover claim is mostly contained in that partner (a list sentence in one year
  restated as separate sentences in another), or
- the pair is itself likely (``restatement``): official documents state one position in
  several places (a summary and the body, a target and its table), and a one-to-one
  assignment would keep only one of those links.

Review decisions are fixed points (``fixed``): a confirmed pair is matched whatever its
probability, and its two claims leave the assignment, which aligns the other claims around
it. (A rejected pair never reaches this module: the matcher drops it from the candidates,
so it can be neither a pair nor a lead.)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
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
    bounds = np.flatnonzero(np.r_[True, component[order][1:] != component[order][:-1], True])
    starts, ends = bounds[:-1], bounds[1:]
    # Most components are stars: one claim whose candidates are all its own (a single pair is
    # one too). The best matching of a star is its one best pair, found for all stars at once;
    # a star whose best gain is tied goes to the solver below like any other component, so
    # the result is the solver's in every case.
    rows_sorted, cols_sorted = rows[order], cols[order]
    one_old = _runs_constant(rows_sorted, starts, ends)
    one_new = _runs_constant(cols_sorted, starts, ends)
    star = one_old | one_new
    gain_sorted = gain[order]
    best_at, unique_best = _best_per_run(gain_sorted, starts)
    easy = star & unique_best
    chosen: list[int] = order[best_at[easy]].tolist()
    # Each pair's row and column within its component's dense matrix (claims numbered in
    # increasing order from 0 per component), computed for all components at once.
    local_row = _local_ids(component, rows)
    local_col = _local_ids(component, cols)
    for a, b in zip(starts[~easy].tolist(), ends[~easy].tolist(), strict=True):
        idx = order[a:b]
        r, c = local_row[idx], local_col[idx]
        n_r, n_c = int(r.max()) + 1, int(c.max()) + 1
        if n_r * n_c > MAX_DENSE_CELLS:
            chosen.extend(int(idx[k]) for k in _greedy(rows[idx], cols[idx], gain[idx]))
            continue
        weight = np.zeros((n_r, n_c))
        where = np.full((n_r, n_c), -1, dtype=np.int64)
        weight[r, c] = gain[idx]
        where[r, c] = idx
        ri, ci = linear_sum_assignment(weight, maximize=True)
        chosen.extend(int(where[x, y]) for x, y in zip(ri, ci, strict=True) if where[x, y] >= 0)
    return sorted(chosen)


def _local_ids(component: np.ndarray, claim: np.ndarray) -> np.ndarray:
    """Per pair: the rank of its claim among the distinct claims of its component (what
    ``np.unique(..., return_inverse=True)`` gives within each component)."""
    order = np.lexsort((claim, component))
    comp, value = component[order], claim[order]
    new_comp = np.r_[True, comp[1:] != comp[:-1]]
    new_value = new_comp | np.r_[True, value[1:] != value[:-1]]
    distinct = np.cumsum(new_value) - 1
    first_of_comp = distinct[new_comp][np.cumsum(new_comp) - 1]
    out = np.empty(len(claim), dtype=np.int64)
    out[order] = distinct - first_of_comp
    return out


def _runs_constant(values: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Per run ``values[start:end]``: whether every value in it is the same."""
    changes = np.r_[0, np.cumsum(values[1:] != values[:-1])]
    out: np.ndarray = changes[ends - 1] == changes[starts]
    return out


def _best_per_run(gain: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per run (``gain[starts[r]:starts[r + 1]]``): the position of its largest gain, and
    whether no other entry of the run ties with it."""
    run = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(gain)]))
    is_top = gain == np.maximum.reduceat(gain, starts)[run]
    ties = np.add.reduceat(is_top.astype(np.int64), starts)
    position = np.where(is_top, np.arange(len(gain)), len(gain))
    first: np.ndarray = np.minimum.reduceat(position, starts)
    unique: np.ndarray = ties == 1
    return first, unique


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
    restatement: float = math.inf,
    fixed: Sequence[tuple[int, int]] = (),
) -> Alignment:
    """Align claims given candidate pairs ``(old[k], new[k])`` with their match probability.

    Pairs below ``threshold`` are never matched. A claim left unmatched keeps its best
    candidate at or above ``lead_floor`` as a lead (below the threshold, or whose partner
    went to a more likely pair). A leftover claim joins its partner's pair as a split or merge
    when it is mostly contained in it, or when their probability is at least ``restatement``.

    ``fixed`` pairs (confirmed by a reviewer; each must be among the candidates) are matched
    first, in the order given: the first fixed pair of a claim is one-to-one, a later one
    that meets a claim already fixed on one side only is a split or merge of it, and one
    whose claims are both fixed already is left out. Their claims take no other partner.
    """
    at = (
        {(i, j): k for k, (i, j) in enumerate(zip(old.tolist(), new.tolist(), strict=True))}
        if len(fixed)
        else {}
    )
    fixed_pairs: list[tuple[Edge, str]] = []
    fixed_old: dict[int, Edge] = {}
    fixed_new: dict[int, Edge] = {}
    for i, j in fixed:
        k = at[(i, j)]
        edge = Edge(i, j, float(probability[k]), float(containment[k]))
        if i in fixed_old and j in fixed_new:
            continue
        relation = "split" if i in fixed_old else "merge" if j in fixed_new else "one-to-one"
        fixed_pairs.append((edge, relation))
        fixed_old.setdefault(i, edge)
        fixed_new.setdefault(j, edge)
    usable = probability >= threshold
    if fixed_pairs:
        usable &= ~np.isin(old, list(fixed_old)) & ~np.isin(new, list(fixed_new))
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
    pairs += fixed_pairs

    extra_new: set[int] = set()
    extra_old: set[int] = set()
    ranked_usable = np.lexsort((u_new, u_old, -u_p))  # best first: joins its best partner
    joins = (u_c[ranked_usable] >= SPLIT_CONTAINMENT) | (u_p[ranked_usable] >= restatement)
    for k in ranked_usable[joins].tolist():
        i, j, p, c = int(u_old[k]), int(u_new[k]), float(u_p[k]), float(u_c[k])
        split = j not in new_match and j not in extra_new and i in old_match
        merge = i not in old_match and i not in extra_old and j in new_match
        restated = p >= restatement
        if split and (restated or p >= SPLIT_RELATIVE * old_match[i].probability):
            pairs.append((Edge(i, j, p, c), "split"))
            extra_new.add(j)
        elif merge and (restated or p >= SPLIT_RELATIVE * new_match[j].probability):
            pairs.append((Edge(i, j, p, c), "merge"))
            extra_old.add(i)

    matched_old = set(old_match) | extra_old | set(fixed_old)
    matched_new = set(new_match) | extra_new | set(fixed_new)
    free_old = np.ones(n_old, dtype=bool)
    free_old[list(matched_old)] = False
    free_new = np.ones(n_new, dtype=bool)
    free_new[list(matched_new)] = False
    # A claim's lead is its first candidate in the ranking (best first; ties by old, then
    # new) among those at or above the floor, when the claim itself is unmatched.
    near = np.flatnonzero(probability >= lead_floor)
    ranked = near[np.lexsort((new[near], old[near], -probability[near]))]
    lead_old = _first_per_claim(ranked, old, free_old, old, new, probability, containment)
    lead_new = _first_per_claim(ranked, new, free_new, old, new, probability, containment)
    return Alignment(
        pairs=pairs,
        unmatched_old=np.flatnonzero(free_old).tolist(),
        unmatched_new=np.flatnonzero(free_new).tolist(),
        lead_old=lead_old,
        lead_new=lead_new,
    )


def _first_per_claim(
    ranked: np.ndarray,
    claim_of: np.ndarray,
    free: np.ndarray,
    old: np.ndarray,
    new: np.ndarray,
    probability: np.ndarray,
    containment: np.ndarray,
) -> dict[int, Edge]:
    """Each free claim's first pair in ``ranked`` (``claim_of[k]`` names a pair's claim on
    one side), as edges in ranking order."""
    ranked = ranked[free[claim_of[ranked]]]
    _, first = np.unique(claim_of[ranked], return_index=True)
    picked = ranked[np.sort(first)]
    return {
        int(claim_of[k]): Edge(
            int(old[k]), int(new[k]), float(probability[k]), float(containment[k])
        )
        for k in picked.tolist()
    }


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
