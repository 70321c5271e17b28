"""The figures a chain states, as one series per kind and unit (e.g. "% of GDP": 1 → 2)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from tracker.compare.model import ClaimRef, QuantityRef
from tracker.compare.timeline import Point, Series, Step

# Units whose values make a trajectory. Bare years are dates the claim mentions, not a
# position's figure; deadlines ("by 2030") annotate the point they belong to instead.
_NOT_TRAJECTORY = frozenset({"year", "by-year"})
# Words that frame a figure (see ``qualifiers``), and how far from it they are looked for.
_QUALIFIER = re.compile(
    r"\b(?:caps?|ceiling|limit|targets?|goals?|floor|threshold|pledge|above|below|"
    r"at least|at most|more than|less than|up to|nearly|almost|about|around|roughly)\b",
    re.IGNORECASE,
)
QUALIFIER_BEFORE = 45
QUALIFIER_AFTER = 20


def trajectory(steps: Sequence[Step]) -> tuple[Series, ...]:
    """The figures a chain carries, one series per kind and unit, in step order.

    A series needs values in at least two steps: one value is not a trajectory. A claim often
    states several figures of one unit ("22% today, against the 36–38% goal for 2030"); each
    step contributes the one that continues the series: the value closest to the previous
    point, and in the first step a value the next step restates, else the first in the text
    (the headline figure comes first far more often than not).
    """
    candidates: dict[tuple[str, str], list[tuple[Step, list[QuantityRef]]]] = {}
    for step in steps:
        by_key: dict[tuple[str, str], list[QuantityRef]] = {}
        for q in step.claim.quantities:
            if q.unit not in _NOT_TRAJECTORY:
                by_key.setdefault((q.kind, q.unit), []).append(q)
        for key, qs in by_key.items():
            candidates.setdefault(key, []).append((step, qs))

    out: list[Series] = []
    for (kind, unit), stated in candidates.items():
        if len(stated) < 2:
            continue
        points: list[Point] = []
        for step, qs in stated:
            if points:
                previous = points[-1].value
                q = min(qs, key=lambda x: abs(x.value - previous))
            else:
                restated = {x.value for x in stated[1][1]}
                q = next((x for x in qs if x.value in restated), qs[0])
            points.append(
                Point(
                    step.period,
                    q.value,
                    q.raw,
                    step.claim.id,
                    _deadline(step.claim),
                    qualifiers(step.claim.text, q.raw),
                )
            )
        out.append(Series(kind, unit, tuple(points)))
    return tuple(out)


def qualifiers(text: str, raw: str) -> tuple[str, ...]:
    """Words just around a figure that say what kind of figure it is (cap, target, above).

    "1%" alone hides that one year calls it a cap and another a floor; these words carry that
    into the trajectory. Looked for a few words before the figure and fewer after it.
    """
    at = text.find(raw)
    if at < 0:
        return ()
    before = text[max(0, at - QUALIFIER_BEFORE) : at]
    after = text[at + len(raw) : at + len(raw) + QUALIFIER_AFTER]
    found = [(m.start(), m.group(0).lower()) for m in _QUALIFIER.finditer(before)]
    found += [
        (QUALIFIER_BEFORE + m.start(), m.group(0).lower()) for m in _QUALIFIER.finditer(after)
    ]
    return tuple(dict.fromkeys(word for _, word in sorted(found)))


def _deadline(claim: ClaimRef) -> int | None:
    """The year a figure is meant for: "by 2030", or a year after the brief's own date
    ("2% of GDP in 2027" in a 2024 brief); a past year ("since 2013") is not a deadline."""
    years = [q for q in claim.quantities if q.unit in _NOT_TRAJECTORY]
    by = next((q for q in years if q.unit == "by-year"), None)
    if by is None:
        by = next((q for q in years if q.value > claim.date.year), None)
    return None if by is None else int(by.value)
