"""How alike two claims are, in [0, 1], and why.

The score blends two lexical views of the content tokens and then applies what policy text
needs beyond word overlap:

- cosine of TF-IDF vectors (symmetric; rewards the same rare words and phrases);
- IDF-weighted containment (the share of the shorter claim's weight found in the longer one),
  so one item of a list sentence still matches the sentence it was restated in;
- actor agreement: "China is Japan's largest partner" and "the U.S. is Japan's third-largest
  partner" share most words but not who the position is about, so a claim whose subject does
  not appear in the other claim at all is penalised;
- quantity agreement: two claims that both put a number on the same unit (% of GDP, USD,
  troops) are more likely to be one position whose figure moved.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.compare.features import Features
from tracker.compare.model import ClaimRef

COSINE_WEIGHT = 0.55
CONTAINMENT_WEIGHT = 0.45
SUBJECT_MISMATCH = 0.6
ACTORS_DISJOINT = 0.8
QUANTITY_BONUS = 0.05
# Containment only counts when this much shared weight backs it, so a two-word claim does not
# "contain" in every sentence that mentions its two words.
MIN_SHARED_TOKENS = 2


@dataclass(frozen=True, slots=True)
class Scored:
    """A candidate pair's score with its parts (kept for explanations and tuning)."""

    score: float
    cosine: float
    containment: float
    factor: float


def _weight(tokens: frozenset[str], idf: dict[str, float]) -> float:
    return sum(idf.get(t, 1.0) for t in tokens)


def containment(fa: Features, fb: Features, idf: dict[str, float]) -> float:
    """IDF-weighted share of the lighter claim's distinct tokens found in the other."""
    ta, tb = frozenset(fa.tokens), frozenset(fb.tokens)
    shared = ta & tb
    if len(shared) < MIN_SHARED_TOKENS:
        return 0.0
    lighter = min(_weight(ta, idf), _weight(tb, idf))
    return _weight(shared, idf) / lighter if lighter else 0.0


def actor_factor(fa: Features, fb: Features) -> float:
    """Penalty when the claims are about different actors."""
    if (
        fa.subject
        and fb.subject
        and fa.subject != fb.subject
        and (fa.subject not in fb.actors or fb.subject not in fa.actors)
    ):
        return SUBJECT_MISMATCH
    if fa.actors and fb.actors and not (fa.actors & fb.actors):
        return ACTORS_DISJOINT
    return 1.0


def _quantity_units(claim: ClaimRef) -> set[tuple[str, str]]:
    return {(q.kind, q.unit) for q in claim.quantities if q.kind not in ("year", "rank")}


def score_pair(
    a: ClaimRef, fa: Features, b: ClaimRef, fb: Features, cosine: float, idf: dict[str, float]
) -> Scored:
    """Score one candidate pair."""
    contain = containment(fa, fb, idf)
    factor = actor_factor(fa, fb)
    base = COSINE_WEIGHT * cosine + CONTAINMENT_WEIGHT * contain
    if _quantity_units(a) & _quantity_units(b):
        base += QUANTITY_BONUS
    return Scored(score=min(1.0, base * factor), cosine=cosine, containment=contain, factor=factor)
