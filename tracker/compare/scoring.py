"""How alike two claims are, in [0, 1], computed for all candidate pairs at once.

The score blends views of the claims' content tokens (see ``features``) and then applies
what policy text needs beyond word overlap:

- cosine of TF-IDF vectors of the content tokens (rewards the same rare words);
- IDF-weighted containment: the share of the lighter claim's weight found in the other, so
  one item of a list sentence still matches the sentence it was restated in; damped for very
  light claims, which would otherwise be "contained" in any sentence sharing two words;
- IDF-weighted Dice: the symmetric share, which keeps long claims honest;
- cosine of character 4-gram vectors of the content tokens, for word forms that stemming
  leaves apart ("denuclearisation" / "nuclear");
- actor agreement: "China is Japan's largest partner" and "the U.S. is Japan's third-largest
  partner" share most words but not who the position is about, so a pair whose subjects
  differ, and do not appear in the other claim at all, is penalised;
- thin evidence: a weak pair resting on one shared content word ("reduced tariffs on steel
  imports" / "opposed a steel takeover") is not a match at all.

Every measure is a row-wise dot product of sparse rows (``candidates.Side``), so a million
candidate pairs are scored in a few vectorised steps rather than a Python loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tracker.compare.candidates import Vectors, rowwise_dot

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
# A pair scoring below THIN_SCORE must share at least MIN_SHARED_CONTENT content words (actors
# aside). In the audit of every pair made on the seed briefs (benchmarks/pair_audit.py),
# pairs sharing at most one content word were right 7 times in 43; below 0.25 the rule drops
# 2 true pairs and about 20 wrong ones, keeps both gold sets, lifts Manifesto code agreement
# (33.6% -> 35.1%) and leaves the re-pairing rate of diff_scale.py unchanged.
THIN_SCORE = 0.25
MIN_SHARED_CONTENT = 2


@dataclass(frozen=True)
class PairMeasures:
    """Lexical measures of candidate pairs (aligned with the ``rows``/``cols`` they were
    computed for); ``lexical`` is the blended score in [0, 1]."""

    cosine: np.ndarray
    containment: np.ndarray
    dice: np.ndarray
    char_cosine: np.ndarray
    subject_mismatch: np.ndarray
    actors_disjoint: np.ndarray
    shared_weight: np.ndarray
    lexical: np.ndarray


def pair_measures(
    vectors: Vectors, rows: np.ndarray, cols: np.ndarray, cosines: np.ndarray
) -> PairMeasures:
    """Measure the pairs ``(old rows[k], new cols[k])`` whose TF-IDF cosine is ``cosines[k]``."""
    old, new = vectors.old, vectors.new
    w_old, w_new = old.weight[rows], new.weight[cols]
    shared_weight = rowwise_dot(old.weighted, new.tokens, rows, cols)
    shared_count = rowwise_dot(old.tokens, new.tokens, rows, cols)
    lighter = np.minimum(w_old, w_new)
    with np.errstate(divide="ignore", invalid="ignore"):
        contain = np.where(
            (lighter > 0) & (shared_count >= MIN_SHARED_TOKENS),
            shared_weight / lighter * np.minimum(1.0, lighter / CONFIDENT_WEIGHT),
            0.0,
        )
        total = w_old + w_new
        dice = np.where(total > 0, 2 * shared_weight / total, 0.0)
    char_cosine = rowwise_dot(old.chars, new.chars, rows, cols)

    has_subject_old = old.subject.getnnz(axis=1)[rows] > 0
    has_subject_new = new.subject.getnnz(axis=1)[cols] > 0
    same_subject = rowwise_dot(old.subject, new.subject, rows, cols) > 0
    old_subject_in_new = rowwise_dot(old.subject, new.actors, rows, cols) > 0
    new_subject_in_old = rowwise_dot(old.actors, new.subject, rows, cols) > 0
    mismatch = (
        has_subject_old
        & has_subject_new
        & ~same_subject
        & ~(old_subject_in_new & new_subject_in_old)
    )
    shared_actors = rowwise_dot(old.actors, new.actors, rows, cols)
    disjoint = (
        (old.actors.getnnz(axis=1)[rows] > 0)
        & (new.actors.getnnz(axis=1)[cols] > 0)
        & (shared_actors == 0)
    )
    factor = np.where(mismatch, SUBJECT_MISMATCH, np.where(disjoint, ACTORS_DISJOINT, 1.0))

    tokens = COSINE_WEIGHT * cosines + (1 - COSINE_WEIGHT) * (contain + dice) / 2
    base = (1 - CHAR_WEIGHT) * tokens + CHAR_WEIGHT * char_cosine
    score = np.minimum(1.0, base * factor)
    # Actors are tokens too ("a:japan"), so the content words shared are the rest.
    thin = (score < THIN_SCORE) & (shared_count - shared_actors < MIN_SHARED_CONTENT)
    score = np.where(thin, 0.0, score)
    return PairMeasures(
        cosine=cosines.astype(np.float64),
        containment=contain.astype(np.float64),
        dice=dice.astype(np.float64),
        char_cosine=char_cosine.astype(np.float64),
        subject_mismatch=mismatch.astype(np.float64),
        actors_disjoint=disjoint.astype(np.float64),
        shared_weight=shared_weight.astype(np.float64),
        lexical=score.astype(np.float64),
    )
