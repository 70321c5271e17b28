"""What the matcher knows about a claim: content tokens, actors, subject, stance evidence.

Features are computed from the claim's normalised text (see ``claims.normalize``), so
"defence spending" and "defense spending", "U.S." and "United States" already agree here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import snowballstemmer

from tracker.compare.lexicon import (
    ACTOR_OF,
    DOWN,
    FIRM,
    MODALS,
    NEGATIVE,
    STOP_WORDS,
    TENTATIVE,
    UP,
)
from tracker.compare.model import ClaimRef

_LETTERS = re.compile(r"[a-z]+")
_STANCE_WORDS = NEGATIVE | UP | DOWN | FIRM | TENTATIVE
# Bump when tokenisation, stemming or the actor lexicon changes: tokens stored with an older
# version are recomputed at diff time.
FEATURES_VERSION = 1
SUBJECT_WINDOW = 3
_NOT_ONLY = re.compile(r"\bnot (?:only|just|merely)\b")
_WORD = re.compile(r"[a-z][a-z0-9']*|\d+(?:\.\d+)?%?")
_stemmer = snowballstemmer.stemmer("english")


# Token of each word seen so far ("" for a word that is not a content word): a corpus has far
# fewer distinct words than running words, and the Snowball stemmer is pure Python.
_TOKEN_OF: dict[str, str] = {}


def _token(word: str) -> str:
    # Modal verbs and negators say how a position is held, not what it is about: they feed
    # stance detection, not topical similarity.
    if len(word) < 2 or word[0].isdigit() or word in STOP_WORDS or word in MODALS:
        return ""
    stem: str = _stemmer.stemWord(word)
    return stem


@dataclass(frozen=True, slots=True)
class Features:
    """Matching features of one claim."""

    tokens: tuple[str, ...]  # stemmed content words; actors appear as their key ("a:japan")
    actors: frozenset[str]
    subject: str | None  # the first actor named: who holds or is described by the position


# First words of actor aliases: most words start none, and skip the n-gram look-ups.
_ACTOR_FIRST = frozenset(alias.split()[0] for alias in ACTOR_OF)


def _actor_at(words: list[str], i: int) -> tuple[str, int] | None:
    """The actor named by the words starting at ``i`` (longest alias first), and its length."""
    for n in (3, 2, 1):
        if i + n <= len(words):
            key = ACTOR_OF.get(" ".join(words[i : i + n]) if n > 1 else words[i])
            if key is not None:
                return key, n
    return None


def _words(norm_text: str) -> list[str]:
    found: list[str] = _WORD.findall(norm_text.replace("-", " ").replace("/", " "))
    if "'" not in norm_text:  # most claims: nothing to take off the words
        return found
    return [w.removesuffix("'s").strip("'") for w in found]


def content_tokens(norm_text: str) -> tuple[str, ...]:
    """The content tokens of a claim: stems of its content words, actors as ``a:<key>``.

    Stored with each claim at ingest (with ``FEATURES_VERSION``), so a diff of a large corpus
    does not tokenise every claim again. Works on a plain word list (actor aliases are looked
    up as 1–3-word n-grams) rather than with one big regex alternation.
    """
    words = _words(norm_text)
    tokens: list[str] = []
    token_of = _TOKEN_OF
    if _ACTOR_FIRST.isdisjoint(words):  # most claims name no actor: no n-gram look-ups
        for word in words:
            token = token_of.get(word)
            if token is None:
                token = token_of[word] = _token(word)
            if token:
                tokens.append(token)
        return tuple(tokens)
    i, n = 0, len(words)
    while i < n:
        word = words[i]
        if word in _ACTOR_FIRST:
            actor = _actor_at(words, i)
            if actor is not None:
                tokens.append("a:" + actor[0].replace(" ", "_"))
                i += actor[1]
                continue
        i += 1
        token = token_of.get(word)
        if token is None:
            token = token_of[word] = _token(word)
        if token:
            tokens.append(token)
    return tuple(tokens)


def surface_tokens(norm_text: str) -> list[tuple[str, str]]:
    """Each word of a claim with its content token ("" for stop words), in text order.

    The same tokenisation as :func:`content_tokens`, keeping the words as written so that a
    report can show "defense spending" rather than the stems "defens spend". An actor alias
    of several words is one entry.
    """
    words = _words(norm_text)
    out: list[tuple[str, str]] = []
    i, n = 0, len(words)
    while i < n:
        word = words[i]
        actor = _actor_at(words, i) if word in _ACTOR_FIRST else None
        if actor is not None:
            out.append((" ".join(words[i : i + actor[1]]), "a:" + actor[0].replace(" ", "_")))
            i += actor[1]
            continue
        token = _TOKEN_OF.get(word)
        if token is None:
            token = _TOKEN_OF[word] = _token(word)
        out.append((word, token))
        i += 1
    return out


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


@dataclass(frozen=True, slots=True)
class Stance:
    """Stance evidence words found in a claim."""

    negative: frozenset[str]
    up: frozenset[str]
    down: frozenset[str]
    firm: frozenset[str]
    tentative: frozenset[str]


def stance(norm_text: str) -> Stance:
    """Collect the stance-bearing words of a claim (only matched pairs need them)."""
    if "not " in norm_text:
        # "not only X but Y" affirms X: drop it before looking for negators.
        norm_text = _NOT_ONLY.sub(" ", norm_text)
    words = _STANCE_WORDS.intersection(_LETTERS.findall(norm_text))
    return Stance(
        negative=words & NEGATIVE,
        up=words & UP,
        down=words & DOWN,
        firm=words & FIRM,
        tentative=words & TENTATIVE,
    )
