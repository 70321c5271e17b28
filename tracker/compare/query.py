"""How well a claim answers a free-text history query such as "defence spending".

The query goes through the claims' own normalisation and tokenisation, so "defence
spending", "defense spending" and "spending on defense" agree. Relevance is the share of the
query's weight (IDF of each content word) that the claim holds, scaled so that the whole
query appearing as a phrase (1.0) ranks above the same words scattered (at most 0.9).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from tracker.claims.normalize import normalize
from tracker.compare.candidates import background
from tracker.compare.features import claim_features, content_tokens
from tracker.compare.model import ClaimRef
from tracker.errors import SelectionError

# A claim must hold at least this share of the query's weight to be a hit: with two words,
# the rarer of them alone is not enough.
MIN_RELEVANCE = 0.6
SCATTERED = 0.9


def relevance_scorer(query: str) -> Callable[[ClaimRef], float]:
    """A function scoring claims against ``query`` in [0, 1]; 0 below ``MIN_RELEVANCE``."""
    norm = normalize(query).strip()
    if not norm:
        raise SelectionError("the history query is empty")
    tokens = set(content_tokens(norm))
    if not tokens:
        # Only numbers or stop words ("2030", "the"): fall back to the phrase itself.
        return lambda claim: 1.0 if norm in claim.norm_text else 0.0
    bg = background()
    weights = {t: math.log((bg.documents + 1) / (bg.df.get(t, 0) + 1)) + 1.0 for t in tokens}
    total = sum(weights.values())

    def score(claim: ClaimRef) -> float:
        if norm in claim.norm_text:
            return 1.0
        held = tokens.intersection(claim_features(claim).tokens)
        share = sum(weights[t] for t in held) / total
        return SCATTERED * share if share >= MIN_RELEVANCE else 0.0

    return score
