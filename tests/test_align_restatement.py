"""A claim whose partner is taken joins that pair when the two are likely themselves
(``align(..., restatement=...)``): one position stated twice in a brief; two claims both in
pairs already are linked as "restated" at the same bar."""

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


def test_a_claim_joins_one_pair_only_and_a_likely_pair_of_two_taken_claims_is_restated() -> None:
    # Old 1's best partner (new 0) is taken by old 0; old 1 joins it once, as a merge. Its
    # second-best (new 1, taken by old 2) is no second join, but both claims are in pairs now
    # and the pair clears the bar, so it is linked as "restated".
    got = relations([0, 1, 1, 2], [0, 0, 1, 1], [0.97, 0.9, 0.88, 0.96], 0.85)
    assert got == [
        (0, 0, "one-to-one"),
        (1, 0, "merge"),
        (1, 1, "restated"),
        (2, 1, "one-to-one"),
    ]


def test_a_position_stated_twice_in_both_briefs_gets_all_four_links() -> None:
    # Old 0 and 1 state one target, as do new 0 and 1: the assignment takes 0-0 and 1-1, and
    # the crossed pairs are restatements of both.
    old, new, p = [0, 0, 1, 1], [0, 1, 0, 1], [0.97, 0.92, 0.91, 0.96]
    assert relations(old, new, p, 0.9) == [
        (0, 0, "one-to-one"),
        (0, 1, "restated"),
        (1, 0, "restated"),
        (1, 1, "one-to-one"),
    ]
    # Below the bar the crossed pairs stay out, and without a bar there are none.
    assert relations(old, new, p, 0.95) == [(0, 0, "one-to-one"), (1, 1, "one-to-one")]
    assert relations(old, new, p, math.inf) == [(0, 0, "one-to-one"), (1, 1, "one-to-one")]


def test_a_restated_pair_never_touches_a_claim_left_alone_or_a_pair_below_the_threshold() -> None:
    # New 2 is in no pair (its only candidate is below the threshold), so it gets no link.
    got = relations([0, 1, 0], [0, 1, 2], [0.95, 0.95, 0.5], 0.4)
    assert got == [(0, 0, "one-to-one"), (1, 1, "one-to-one")]


def test_two_related_claims_each_with_a_near_certain_partner_are_not_linked_across() -> None:
    # A brief diffed with itself: every claim has its own partner at p ≈ 1, and a crossed
    # pair at 0.92 is two neighbouring positions, not one restated.
    old, new, p = [0, 0, 1, 1], [0, 1, 0, 1], [0.999, 0.92, 0.92, 0.999]
    assert relations(old, new, p, 0.9) == [(0, 0, "one-to-one"), (1, 1, "one-to-one")]
