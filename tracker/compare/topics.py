"""Short topic labels for chains of claims: "defense spending", "emissions target".

A label is the chain's most telling key phrase: two adjacent content words that recur in its
claims, weighted by how rare the words are in the timeline and in background policy prose.
When no phrase recurs, the two or three most telling words stand in. Labels are for reading
and sorting; nothing is matched on them.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from tracker.compare.candidates import pooled_idf
from tracker.compare.features import claim_tokens, surface_tokens
from tracker.compare.model import ClaimRef

# Acronyms among the actor keys of the lexicon, shown in capitals.
_ACRONYMS = frozenset({"usa", "uk", "eu", "nato", "asean", "un", "wto", "imf", "who", "g7"})
MAX_TERMS = 3
RECURRING = 3


def _display(token: str, surface: str) -> str:
    if not token.startswith("a:"):
        return surface
    key = token[2:].replace("_", " ")
    return key.upper() if key in _ACRONYMS else key.title()


class TopicLabeller:
    """Labels chains of a timeline, weighting words by their rarity across all its claims."""

    def __init__(self, claims: Iterable[ClaimRef]) -> None:
        df: Counter[str] = Counter()
        n = 0
        for claim in claims:
            df.update(set(claim_tokens(claim)))
            n += 1
        terms = list(df)
        local = np.fromiter((df[t] for t in terms), dtype=np.float64, count=len(terms))
        idf = pooled_idf(terms, local, max(n, 1)) if terms else np.zeros(0)
        # Topical weight: rare in general (IDF) but recurring in this timeline. A word stated
        # once in the whole timeline ("blueberries") is a detail of one claim, not its topic;
        # beyond a few claims, recurrence says no more (the IDF already discounts it).
        weight = idf * np.log1p(np.minimum(local, RECURRING))
        self._weight: dict[str, float] = dict(zip(terms, weight.tolist(), strict=True))

    def label(self, claims: Sequence[ClaimRef]) -> tuple[str, tuple[str, ...]]:
        """(label, terms) for the claims of one chain; terms are its most telling words."""
        word_count: Counter[str] = Counter()  # in how many claims each token appears
        phrase_count: Counter[tuple[str, str]] = Counter()
        surface: dict[str, Counter[str]] = {}
        for claim in claims:
            pairs = surface_tokens(claim.norm_text)
            for word, token in pairs:
                if token:
                    surface.setdefault(token, Counter())[word] += 1
            word_count.update({t for _, t in pairs if t})
            phrase_count.update(
                {
                    (a, b)
                    for (_, a), (_, b) in itertools.pairwise(pairs)
                    if a and b and a != b and not a.startswith("a:") and not b.startswith("a:")
                }
            )
        if not word_count:
            return "", ()

        def shown(token: str) -> str:
            # The commonest spelling of the word in the chain; ties to the shorter, then a-z.
            words = surface[token]
            word = min(words, key=lambda w: (-words[w], len(w), w))
            return _display(token, word)

        def weight(token: str) -> float:
            return float(self._weight.get(token, 1.0))

        ranked = sorted(word_count, key=lambda t: (-word_count[t] * weight(t), t))
        terms = tuple(shown(t) for t in ranked[:MAX_TERMS])
        # A phrase must recur (in two claims, or half of a longer chain) to speak for it all;
        # a one-claim chain takes its best phrase.
        need = 1 if len(claims) == 1 else max(2, (len(claims) + 1) // 2)
        phrases = [p for p, c in phrase_count.items() if c >= need]
        if phrases:
            best = min(
                phrases,
                key=lambda p: (-phrase_count[p] * (weight(p[0]) + weight(p[1])), p),
            )
            return f"{shown(best[0])} {shown(best[1])}", terms
        return ", ".join(terms), terms
