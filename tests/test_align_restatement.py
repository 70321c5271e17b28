"""A claim whose partner is taken joins that pair when the two are likely themselves
(``align(..., restatement=...)``): one position stated twice in a brief."""

from __future__ import annotations

import math

import numpy as np

from tracker.compare.align import align


def relations(
    old: list[int], new: list[int], p: list[float], restatement: float
) -> list[tuple[int, int, str]]:
    got = align(
        np.array(old),
        np.array(new),
        np.array(p),
        np.zeros(len(p)),  # no containment: only the bar can join
        0.6,
        3,
        3,
        restatement=restatement,
    )
    return sorted((e.old, e.new, relation) for e, relation in got.pairs)


def test_without_a_restatement_bar_the_assignment_is_one_to_one() -> None:
    assert relations([0, 0], [0, 1], [0.95, 0.9], math.inf) == [(0, 0, "one-to-one")]


def test_a_likely_second_partner_joins_as_a_split_or_a_merge() -> None:
    assert relations([0, 0], [0, 1], [0.95, 0.9], 0.85) == [
        (0, 0, "one-to-one"),
        (0, 1, "split"),
    ]
    assert relations([0, 1], [2, 2], [0.95, 0.9], 0.85) == [
        (0, 2, "one-to-one"),
        (1, 2, "merge"),
    ]


def test_a_second_partner_below_the_bar_stays_out_and_keeps_no_lead_on_a_taken_claim() -> None:
    got = align(
        np.array([0, 0]),
        np.array([0, 1]),
        np.array([0.95, 0.8]),
        np.zeros(2),
        0.6,
        1,
        2,
        restatement=0.85,
    )
    assert [(e.old, e.new) for e, _ in got.pairs] == [(0, 0)]
    assert got.unmatched_new == [1]
    assert (got.lead_new[1].old, got.lead_new[1].probability) == (0, 0.8)


def test_a_claim_joins_one_pair_only_and_both_sides_taken_is_no_join() -> None:
    # Old 1's best partner (new 0) is taken by old 0; old 1 joins it once, as a merge, and
    # its second-best (new 1, taken by old 2) does not make a second join.
    got = relations([0, 1, 1, 2], [0, 0, 1, 1], [0.97, 0.9, 0.88, 0.96], 0.85)
    assert got == [(0, 0, "one-to-one"), (1, 0, "merge"), (2, 1, "one-to-one")]
