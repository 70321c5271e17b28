"""What the matcher knows about a claim: content tokens, actors, subject, stance evidence.

Features are computed from the claim's normalised text (see ``claims.normalize``), so
"defence spending" and "defense spending", "U.S." and "United States" already agree here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from tracker.compare.lexicon import (
    ACTOR_OF,
    ACTOR_PATTERN,
    DOWN,
    FIRM,
    MODALS,
    NEGATIVE,
    STOP_WORDS,
    TENTATIVE,
    UP,
)

SUBJECT_WINDOW = 3
_NOT_ONLY = re.compile(r"\bnot (?:only|just|merely)\b")
_WORD = re.compile(r"[a-z][a-z0-9']*|\d+(?:\.\d+)?%?")
_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    stem: str = _stemmer.stemWord(word)
    return stem


@dataclass(frozen=True, slots=True)
class Features:
    """Matching features of one claim."""

    tokens: tuple[str, ...]  # stemmed content words; actors appear as their key ("a:japan")
    actors: frozenset[str]
    subject: str | None  # the first actor named: who holds or is described by the position
    words: frozenset[str]  # all lower-case words, for stance evidence

    @property
    def content(self) -> str:
        """Tokens joined, the form fed to TF-IDF and fuzzy matching."""
        return " ".join(self.tokens)


def features(norm_text: str) -> Features:
    """Compute the features of a claim from its normalised text."""
    actors: list[str] = []

    def mark(match: re.Match[str]) -> str:
        key = ACTOR_OF[match.group(1)]
        actors.append(key)
        return " a:" + key.replace(" ", "_") + " "

    marked = ACTOR_PATTERN.sub(mark, norm_text)
    tokens: list[str] = []
    for piece in marked.split():
        if piece.startswith("a:"):
            tokens.append(piece)
            continue
        for word in _WORD.findall(piece.replace("-", " ").replace("/", " ")):
            # Modal verbs and negators say how a position is held, not what it is about:
            # they feed stance detection, not topical similarity.
            if word in STOP_WORDS or word in MODALS or word[0].isdigit() or len(word) < 2:
                continue
            word = word.removesuffix("'s").strip("'")
            if word and word not in STOP_WORDS:
                tokens.append(_stem(word))
    # "not only X but Y" affirms X: drop it before looking for negators.
    words = frozenset(re.findall(r"[a-z]+", _NOT_ONLY.sub(" ", norm_text)))
    # The grammatical subject is approximated by an actor among the first content words:
    # "China is Japan's largest partner" → china; "... support for peace in the Taiwan Strait"
    # has no subject actor (Taiwan is named late, as an object).
    subject = next(
        (t[2:].replace("_", " ") for t in tokens[:SUBJECT_WINDOW] if t.startswith("a:")), None
    )
    return Features(
        tokens=tuple(tokens),
        actors=frozenset(actors),
        subject=subject,
        words=words,
    )


@dataclass(frozen=True, slots=True)
class Stance:
    """Stance evidence words found in a claim."""

    negative: frozenset[str]
    up: frozenset[str]
    down: frozenset[str]
    firm: frozenset[str]
    tentative: frozenset[str]


def stance(f: Features) -> Stance:
    """Collect the stance-bearing words of a claim."""
    return Stance(
        negative=f.words & NEGATIVE,
        up=f.words & UP,
        down=f.words & DOWN,
        firm=f.words & FIRM,
        tentative=f.words & TENTATIVE,
    )
