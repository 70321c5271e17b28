"""Review decisions as fixed points of the alignment (``align(..., fixed=...)``)."""

from __future__ import annotations

import numpy as np

from tracker.compare.align import align

OLD = np.array([0, 0, 1])
NEW = np.array([0, 1, 1])
P = np.array([0.9, 0.2, 0.8])
C = np.zeros(3)


def pairs(fixed: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    got = align(OLD, NEW, P, C, 0.5, 2, 2, fixed=fixed)
    return sorted((e.old, e.new, relation) for e, relation in got.pairs)


def test_without_fixed_points_the_likeliest_pairs_are_taken() -> None:
    assert pairs([]) == [(0, 0, "one-to-one"), (1, 1, "one-to-one")]


def test_a_fixed_pair_below_the_threshold_takes_its_claims_out_of_the_assignment() -> None:
    got = align(OLD, NEW, P, C, 0.5, 2, 2, fixed=[(0, 1)])
    assert [(e.old, e.new, e.probability, r) for e, r in got.pairs] == [(0, 1, 0.2, "one-to-one")]
    # Old 1 and new 0 could only pair with a fixed claim: both are left alone.
    assert got.unmatched_old == [1] and got.unmatched_new == [0]


def test_a_second_fixed_partner_is_a_split_or_merge() -> None:
    assert pairs([(0, 0), (0, 1)]) == [(0, 0, "one-to-one"), (0, 1, "split")]
    assert pairs([(1, 1), (0, 1)]) == [(0, 1, "merge"), (1, 1, "one-to-one")]
    # Both claims already fixed: the later pair is left out.
    assert pairs([(0, 0), (1, 1), (0, 1)]) == [(0, 0, "one-to-one"), (1, 1, "one-to-one")]
