"""Content tokens of a claim: stemmed content words, actors as ``a:<key>``.

Computed from the claim's normalised text (see ``normalize``) when a brief is stored and kept
with each claim (``claims.tokens``, with ``FEATURES_VERSION``), so that a diff of a large
corpus does not tokenise every claim again. The matcher reads them through
``tracker.compare.features``; they live here, with the claim pipeline, because ingest writes
them and must not reach into the matcher to do so.
"""

from __future__ import annotations

import re

import snowballstemmer

from tracker.claims.lexicon import ACTOR_OF, MODALS, STOP_WORDS

# Bump when tokenisation, stemming or the actor lexicon changes: tokens stored with an older
# version are recomputed at diff time.
FEATURES_VERSION = 1
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


def word_token(word: str) -> str:
    """The content token of one word ("" for a stop word or modal verb), remembered."""
    token = _TOKEN_OF.get(word)
    if token is None:
        token = _TOKEN_OF[word] = _token(word)
    return token


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
