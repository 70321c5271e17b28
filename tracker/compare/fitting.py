"""Fitting the pair model (``probability.PairModel``) and measuring it, shared by
``benchmarks/fit_matcher.py`` and ``tracker matcher fit``.

A labelled pair is one evidence row (``evidence.FEATURE_NAMES``) with a verdict: ``same`` or
``related`` is a right pair, the model's positive class and what counts when a report is
measured; recall is of the ``same`` pairs. Rows of each source (manifestos, official
series, briefs...) are weighted to the same total, so the source with most labels does not
decide what a match looks like. No storage here: rows come in as arrays.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tracker.compare.evidence import FEATURE_NAMES
from tracker.compare.matcher import MatcherConfig, score_candidates
from tracker.compare.model import ClaimRef
from tracker.compare.probability import PairModel
from tracker.compare.semantic import Encoder

# A reported pair is right when both claims share a specific subject ("same" or "related"),
# and the model's probability is that of a right pair: a "related" pair (the tariff refused,
# then cut) is a position that moved, which is what a diff shows as modified. Fitted on
# "same" alone, the model was stricter than what users and the alignments count as right,
# and found fewer of the "same" pairs too (frozen split, benchmarks/README.md).
POSITIVE = ("same", "related")
TARGET = POSITIVE


def fit_logistic(
    x: np.ndarray, y: np.ndarray, weight: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Standardise the columns and fit an L2 logistic regression (C=1): the mean, scale,
    weights and intercept of a ``PairModel``."""
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=1.0, max_iter=2000)
    clf.fit((x - mean) / scale, y, sample_weight=weight)
    return mean, scale, np.asarray(clf.coef_[0], dtype=np.float64), float(clf.intercept_[0])


def recalibration(z: np.ndarray, y: np.ndarray, weight: np.ndarray) -> tuple[float, float]:
    """Platt scaling ``(a, b)``: the labels ``y`` fitted on log-odds ``z`` as ``a z + b``.

    Given out-of-fold log-odds, it corrects a model's over- (a < 1) or under-confidence on
    units it was not fitted on.
    """
    from sklearn.linear_model import LogisticRegression

    platt = LogisticRegression(C=1e6, max_iter=1000)
    platt.fit(z[:, None], y, sample_weight=weight)
    return float(platt.coef_[0][0]), float(platt.intercept_[0])


def pair_model(
    fitted: tuple[np.ndarray, np.ndarray, np.ndarray, float],
    *,
    version: str,
    threshold: float,
    meta: dict[str, Any],
    recalibrated: tuple[float, float] = (1.0, 0.0),
    restatement: float = math.inf,
    features: tuple[str, ...] = FEATURE_NAMES,
) -> PairModel:
    """A ``PairModel`` over ``features`` (the evidence columns it was fitted on) from
    ``fit_logistic``'s result.

    A recalibration ``z' = a z + b`` is linear in the log-odds, so it folds into the weights
    and the intercept: the model file stays a plain logistic model. The version gets a digest
    of the fitted numbers, so two fits never share a name (reports name the model).
    """
    mean, scale, weights, intercept = fitted
    a, b = recalibrated
    weights = a * weights
    digest = hashlib.sha256(np.concatenate([mean, scale, weights]).tobytes()).hexdigest()[:6]
    return PairModel(
        version=f"{version}-{digest}",
        features=features,
        mean=mean,
        scale=scale,
        weights=weights,
        intercept=a * intercept + b,
        threshold=threshold,
        meta={**meta, "positive": list(TARGET), "recalibration": [round(a, 4), round(b, 4)]},
        restatement=restatement,
    )


def source_weights(sources: Sequence[str]) -> np.ndarray:
    """Per labelled pair, a weight that gives every source the same total weight (the
    weights average 1)."""
    counts = Counter(sources)
    return np.asarray([len(sources) / (len(counts) * counts[s]) for s in sources])


def reliability(
    p: np.ndarray, y: np.ndarray, bins: int = 10, *, edges: Sequence[float] | None = None
) -> list[tuple[str, int, float, float]]:
    """(bin, pairs, mean probability, share positive) per probability bin: ``bins`` equal
    bins, or the bins between ``edges``."""
    out = []
    digits = 1 if edges is None else 2
    for a, b in itertools.pairwise(np.linspace(0, 1, bins + 1) if edges is None else edges):
        inside = (p >= a) & ((p < b) if b < 1 else (p <= b))
        if inside.any():
            out.append(
                (
                    f"{a:.{digits}f}-{b:.{digits}f}",
                    int(inside.sum()),
                    float(p[inside].mean()),
                    float(y[inside].mean()),
                )
            )
    return out


@dataclass(frozen=True)
class PairScores:
    """How a model does on labelled rows at a threshold, pair by pair."""

    pairs: int
    reported: int  # rows at or above the threshold
    precision: float  # share of the reported rows labelled same or related
    same: int
    recall: float  # share of the "same" rows reported
    brier: float  # mean squared error of the probability against a right pair
    reliability: list[tuple[str, int, float, float]]  # share of right pairs per bin


def pair_scores(
    model: PairModel, x: np.ndarray, labels: Sequence[str], threshold: float | None = None
) -> PairScores:
    """Precision, recall, Brier score and reliability of ``model`` on labelled rows."""
    cut = model.threshold if threshold is None else threshold
    p = model.probability(x, FEATURE_NAMES)
    right = np.asarray([lab in POSITIVE for lab in labels], dtype=bool)
    same = np.asarray([lab == "same" for lab in labels], dtype=bool)
    reported = p >= cut
    n_rep, n_same = int(reported.sum()), int(same.sum())
    return PairScores(
        pairs=len(labels),
        reported=n_rep,
        precision=float(right[reported].mean()) if n_rep else float("nan"),
        same=n_same,
        recall=float(reported[same].mean()) if n_same else float("nan"),
        brier=float(np.mean((p - right) ** 2)) if len(labels) else float("nan"),
        reliability=reliability(p, right.astype(np.float64)),
    )


def evidence_rows(
    old: Sequence[ClaimRef],
    new: Sequence[ClaimRef],
    index: Sequence[tuple[int, int]],
    config: MatcherConfig | None = None,
    encoder: Encoder | None = None,
) -> np.ndarray:
    """The evidence row of each pair ``(i, j)`` of ``index``, computed as the matcher does
    inside the diff of ``old`` and ``new`` (the candidate search's own pairs and these); with
    an ``encoder``, the embedding cosine is one more column."""
    if not index:
        return np.zeros((0, len(FEATURE_NAMES) + (encoder is not None)))
    rows = np.asarray([i for i, _ in index], dtype=np.int64)
    cols = np.asarray([j for _, j in index], dtype=np.int64)
    scored = score_candidates(
        old, new, config or MatcherConfig(), pairs=(rows, cols), encoder=encoder
    )
    where = {
        (i, j): k
        for k, (i, j) in enumerate(zip(scored.rows.tolist(), scored.cols.tolist(), strict=True))
    }
    matrix: np.ndarray = scored.evidence[[where[p] for p in index]]
    return matrix
