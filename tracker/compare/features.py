"""What the matcher knows about a claim: content tokens, actors, subject (stance words are
in ``stance``).

Features are computed from the claim's normalised text (see ``claims.normalize``), so
"defence spending" and "defense spending", "U.S." and "United States" already agree here.
"""

from __future__ import annotations

from dataclasses import dataclass

# Re-exported: the matcher's modules read the tokenisation through this module.
from tracker.claims.tokens import FEATURES_VERSION as FEATURES_VERSION
from tracker.claims.tokens import content_tokens as content_tokens
from tracker.claims.tokens import surface_tokens as surface_tokens
from tracker.compare.model import ClaimRef

SUBJECT_WINDOW = 3


@dataclass(frozen=True, slots=True)
class Features:
    """Matching features of one claim."""

    tokens: tuple[str, ...]  # stemmed content words; actors appear as their key ("a:japan")
    actors: frozenset[str]
    subject: str | None  # the first actor named: who holds or is described by the position


def from_tokens(tokens: tuple[str, ...]) -> Features:
    """Features from content tokens (computed now or stored at ingest)."""
    if not any(t.startswith("a:") for t in tokens):  # most claims name no actor
        return Features(tokens=tokens, actors=frozenset(), subject=None)
    actors = [t[2:].replace("_", " ") for t in tokens if t.startswith("a:")]
    # The grammatical subject is approximated by an actor among the first content words:
    # "China is Japan's largest partner" → china; "... support for peace in the Taiwan Strait"
    # has no subject actor (Taiwan is named late, as an object).
    subject = next(
        (t[2:].replace("_", " ") for t in tokens[:SUBJECT_WINDOW] if t.startswith("a:")), None
    )
    return Features(tokens=tokens, actors=frozenset(actors), subject=subject)


def features(norm_text: str) -> Features:
    """Compute the features of a claim from its normalised text."""
    return from_tokens(content_tokens(norm_text))


def claim_tokens(claim: ClaimRef) -> tuple[str, ...]:
    """Content tokens stored at ingest, or computed when they are missing or stale."""
    if claim.tokens is not None:
        return tuple(claim.tokens.split())
    return content_tokens(claim.norm_text)


def claim_features(claim: ClaimRef) -> Features:
    """Features from the tokens stored at ingest, or computed when they are missing or stale."""
    stored = claim.tokens
    if stored is not None and ":" not in stored:
        # Only actor tokens ("a:japan") hold a colon (content tokens are letters, digits and
        # apostrophes): a claim naming no actor needs no look at its tokens one by one.
        return Features(tokens=tuple(stored.split()), actors=frozenset(), subject=None)
    return from_tokens(claim_tokens(claim))
