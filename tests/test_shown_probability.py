"""Reports print a probability rounded down, so a figure never crosses a band edge or the
threshold that the exact probability is below."""

from __future__ import annotations

import pytest

from tracker.compare.model import WEAK_MATCH
from tracker.report.describe import shown_probability


@pytest.mark.parametrize(
    ("p", "shown"),
    [
        (0.8496, "0.84"),
        (0.85, "0.85"),
        (0.6999, "0.69"),
        (0.7, "0.70"),
        (0.29, "0.29"),
        (0.9999, "0.99"),
        (1.0, "1.00"),
        (0.0, "0.00"),
    ],
)
def test_probabilities_print_rounded_down(p: float, shown: str) -> None:
    assert shown_probability(p) == shown


def test_a_weak_link_never_prints_at_the_probable_band() -> None:
    just_below = WEAK_MATCH - 1e-4
    assert float(shown_probability(just_below)) < WEAK_MATCH
    assert float(shown_probability(WEAK_MATCH)) == WEAK_MATCH
