"""How alike two claims are, in [0, 1], and why.

The score blends lexical views of the claims' content tokens (see ``features``) and then
applies what policy text needs beyond word overlap:

- cosine of character 4-gram vectors of the content tokens, for word forms that
  stemming leaves apart ("denuclearisation" / "nuclear");
- cosine of TF-IDF vectors (unigrams and bigrams; rewards the same rare words and phrases);
- IDF-weighted containment: the share of the lighter claim's weight found in the other, so
  one item of a list sentence still matches the sentence it was restated in; damped for very
  light claims, which would otherwise be "contained" in any sentence sharing two words;
- IDF-weighted Dice: the symmetric share, which keeps long claims honest;
- actor agreement: "China is Japan's largest partner" and "the U.S. is Japan's third-largest
  partner" share most words but not who the position is about, so a pair whose subjects
  differ, and do not appear in the other claim at all, is penalised.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.compare.features import Features

COSINE_WEIGHT = 0.4
# Share of the character n-gram cosine in the final score (the rest is the token view).
CHAR_WEIGHT = 0.45
SUBJECT_MISMATCH = 0.6
ACTORS_DISJOINT = 0.8
# Containment only counts when at least this many distinct tokens back it.
MIN_SHARED_TOKENS = 2
# A claim lighter than this (summed IDF of its distinct tokens; a typical five-word claim
# weighs about 40) is too short for its containment in another claim to mean much.
CONFIDENT_WEIGHT = 40.0


@dataclass(frozen=True, slots=True)
class Scored:
    """A candidate pair's score with its parts (kept for explanations and tuning)."""

    score: float
    cosine: float
    containment: float
    dice: float
    factor: float


def _weight(tokens: frozenset[str], idf: dict[str, float]) -> float:
    return sum(idf.get(t, 1.0) for t in tokens)


def overlap(fa: Features, fb: Features, idf: dict[str, float]) -> tuple[float, float]:
    """IDF-weighted (containment, Dice) of the two claims' distinct tokens."""
    ta, tb = frozenset(fa.tokens), frozenset(fb.tokens)
    shared = ta & tb
    wa, wb, ws = _weight(ta, idf), _weight(tb, idf), _weight(shared, idf)
    lighter = min(wa, wb)
    if not lighter or len(shared) < MIN_SHARED_TOKENS:
        contain = 0.0
    else:
        contain = ws / lighter * min(1.0, lighter / CONFIDENT_WEIGHT)
    dice = 2 * ws / (wa + wb) if wa + wb else 0.0
    return contain, dice


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


def score_pair(
    fa: Features, fb: Features, cosine: float, char_cosine: float, idf: dict[str, float]
) -> Scored:
    """Score one candidate pair from its token cosine and character n-gram cosine."""
    contain, dice = overlap(fa, fb, idf)
    factor = actor_factor(fa, fb)
    tokens = COSINE_WEIGHT * cosine + (1 - COSINE_WEIGHT) * (contain + dice) / 2
    base = (1 - CHAR_WEIGHT) * tokens + CHAR_WEIGHT * char_cosine
    return Scored(min(1.0, base * factor), cosine, contain, dice, factor)
