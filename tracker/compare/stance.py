"""Stance words of a claim and what they bear on: negators and opposing words, direction
words (up, down), modality (firm, tentative) and support.

``flips.stance_changes`` reads these marks to flag a polarity, direction or modality
change on what two matched claims share. Computed from the normalised text at diff time:
only matched pairs need it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.claims.lexicon import (
    ACTOR_OF,
    CESSATION,
    DOWN,
    FIRM,
    MODALS,
    NEGATIVE,
    NEGATORS,
    SUPPORT,
    TENTATIVE,
    UP,
)
from tracker.claims.tokens import word_token

StanceClass = str  # "negative", "up", "down", "firm" or "tentative"
_CLASS_OF: dict[str, StanceClass] = {
    **{w: "tentative" for w in TENTATIVE},
    **{w: "firm" for w in FIRM},
    **{w: "down" for w in DOWN | CESSATION},
    **{w: "up" for w in UP},
    **{w: "negative" for w in NEGATIVE},
    # "assist rather than penalize", "invest instead of cutting": the claim negates what
    # follows (only before their second word, ``_CONTRASTIVE``).
    "rather": "negative",
    "instead": "negative",
    **{w: "support" for w in SUPPORT},
}
# Content words after a stance word that it bears on: a negator or a direction verb on a few
# ("will reduce its dependence on nuclear power"); a modal only on the verb it governs
# (``_BEFORE_VERB`` below).
# "no" and "without" negate the noun right after them and the word after it ("no
# justification", "without customs checks", "without contribution from credits"), not a
# predicate.
NO_SCOPE_WORDS = 2
NOUN_NEGATORS = frozenset({"no", "without"})
SCOPE_WORDS: dict[StanceClass, int] = {
    "negative": 3,
    "up": 3,
    "down": 3,
    "support": 4,
}
# A modal bears on the verb it governs, past auxiliaries, adverbs and aspect verbs (which
# say how long a position holds, not what it is): "will continue to provide" bears on
# "provide", "should not be used" on "used". A verb with no content token ("could include")
# leaves it bearing on nothing.
_ASPECT = frozenset({"continue", "continues", "continued", "continuing", "remain", "remains"})
_BEFORE_VERB = _ASPECT | {
    "to",
    "be",
    "been",
    "being",
    "have",
    "has",
    "also",
    "now",
    "further",
    "still",
    "again",
    "jointly",
    "then",
    "soon",
}
# Verbs spelt like an adverb ("will apply", "must comply").
_LY_VERBS = frozenset({"apply", "supply", "comply", "rely", "reply", "imply", "multiply", "ally"})
# A direction word bears on its object and the object's "of"/"on" complement ("reduce its
# dependence on nuclear power"), not on a phrase another preposition starts ("the transition
# away from coal", "reducing emissions from the global fleet").
_ARGUMENT_START = frozenset(
    {
        "from",
        "away",
        "for",
        "in",
        "with",
        "by",
        "at",
        "into",
        "through",
        "under",
        "across",
        "within",
        "against",
        "between",
        "among",
        "over",
        "to",
    }
)
# A clause ends here: a stance word never bears on words past it.
_CLAUSE_END = frozenset({";", ":", "(", ")", "but", "while", "whereas", "although", "however"})
_STANCE_TOKEN = re.compile(r"[a-z][a-z0-9']*|\d+(?:\.\d+)?%?|[;:()\u2014]|--")
# Words that are modality only as verbs ("we plan to", "it aims to", "will target"), not as
# nouns ("the plan", "emissions targets").
_NOUN_OR_VERB = frozenset({"aim", "aims", "plan", "plans", "target", "targets"})
_SUBJECTS = frozenset({"we", "i", "it", "they", "he", "she", "to"}) | MODALS
_DETERMINERS = frozenset(
    {"the", "a", "an", "its", "their", "our", "his", "her", "this", "these", "those", "that"}
)
_BE = frozenset({"is", "are", "was", "were", "be", "been"})
# Verbs and be-forms before "against" that make it a position ("voted against").
_AGAINST_AFTER = _BE | frozenset(
    {
        "stand",
        "stands",
        "stood",
        "vote",
        "votes",
        "voted",
        "argue",
        "argues",
        "argued",
        "campaign",
        "campaigned",
        "remain",
        "remains",
    }
)
# Fixed phrases where a negator negates nothing: bounds and idioms.
_NOT_NEGATION = frozenset(
    {
        ("no", "later"),
        ("no", "more"),
        ("no", "less"),
        ("no", "fewer"),
        ("no", "sooner"),
        ("not", "least"),
        ("not", "only"),
        ("not", "just"),
        ("not", "merely"),
        ("spare", "no"),
        ("and", "without"),  # "with and without the provision": both cases, no refusal
        ("no", "or"),  # "with no or limited overshoot": none or a little, a bound
    }
)
# Negative words that refuse only when an infinitive follows ("declined to comment"); as
# plain verbs they describe a fall ("exports declined").
_NEEDS_TO = frozenset(
    {"fail", "fails", "failed", "failing", "decline", "declines", "declined", "declining"}
)
# Contrastive negation: the word and the word that must follow it.
_CONTRASTIVE = {"rather": "than", "instead": "of"}


# Light verbs: sharing "take" or "make" is not sharing a predicate ("must take the first
# step" / "could take steps"). Stems.
LIGHT_VERBS = frozenset({"take", "make", "give", "get", "put", "keep", "set", "go", "come"})


@dataclass(frozen=True, slots=True)
class StanceMark:
    """One stance word of a claim and the content tokens it bears on."""

    cls: StanceClass
    word: str
    scope: frozenset[str]
    # The word negates a predicate: a negator ("not"), or a verb of refusal followed by an
    # infinitive or "from" ("refused to exempt", "withdrawal from"), as opposed to a verb
    # opposing a thing ("oppose X").
    predicate: bool = False
    # The first content token it bears on: for a negator, the predicate it negates ("not
    # impede the delivery": "imped"), as opposed to that predicate's object.
    head: str | None = None
    # The content token after the head: for a negator, the negated predicate's object.
    object: str | None = None
    # The word before the stance word ("" at the start): what "no" negates a noun in
    # ("will approve no new licences": "approve").
    frame: str = ""
    # Where the word and the tokens it bears on stand among the claim's words (``words``):
    # which occurrence of a shared word it bears on, for ``aligned_words``.
    at: int = -1
    scope_at: tuple[int, ...] = ()


def _is_stance_use(words: Sequence[str], i: int, cls: StanceClass) -> bool:
    """Whether the stance word at ``words[i]`` is used as one (see the lists above)."""
    word = words[i]
    prev = words[i - 1] if i else ""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if (word, nxt) in _NOT_NEGATION or (prev, word) in _NOT_NEGATION:
        return False
    if word in _NOUN_OR_VERB:
        # "we plan to", "it aims to"; not "our plans to reduce", a noun with its infinitive.
        return prev not in _DETERMINERS and (nxt == "to" or prev in _SUBJECTS)
    if word in ("planned", "proposed") and prev in _DETERMINERS:
        return False  # "the planned levy": an adjective
    if word == "will" and prev in _DETERMINERS | {"political", "good"}:
        return False  # "their will to": a noun
    if word == "may" and nxt[:1].isdigit():
        return False  # "may 2024" after lower-casing: a month
    if word == "no" and nxt[:1].isdigit():
        return False  # "Law No. 37/2014": a number
    if word in CESSATION and prev in _DETERMINERS:
        return False  # "by the end of the year": a noun
    if word == "against":
        return prev in _AGAINST_AFTER
    if word == "opposition":
        return nxt == "to"
    if word == "ruled":
        return nxt == "out"
    if word in _CONTRASTIVE:
        return nxt == _CONTRASTIVE[word]
    if word in _NEEDS_TO:
        return nxt == "to"
    if word == "phase":
        return nxt in ("out", "down")
    return True


# Verbs the matcher's tokens leave out ("including" marks a list) that are still predicates
# a claim can negate ("the NDC does not include aviation" / "will be included").
_STANCE_ONLY = {"include": "includ", "includes": "includ", "included": "includ"}


def _stance_token(word: str) -> str:
    return word_token(word) or _STANCE_ONLY.get(word, "")


def stance_only_tokens(norm_text: str) -> frozenset[str]:
    """The stance tokens of a claim that are no content tokens (see ``_STANCE_ONLY``): what
    two claims share besides their content tokens when a stance word bears on it."""
    if "includ" not in norm_text:  # every pair asks, and most claims hold none
        return frozenset()
    words = _STANCE_TOKEN.findall(norm_text)
    return frozenset(_STANCE_ONLY[w] for w in words if w in _STANCE_ONLY)


# Sentential "not" follows an auxiliary or a modal ("do not", "will not", "are not"), or
# comes first or before "to" ("pledged not to raise"); elsewhere it contrasts two things ("a
# national service, not a world one"; "not for public use, but for transfer") and negates no
# predicate, though the claim still counts as negative.
_AUXILIARIES = (
    _BE
    | {"am", "do", "does", "did", "has", "have", "had", "ought", "need"}
    | (MODALS - NEGATORS - {"cannot"})  # will, would, shall, should, must, may, might, can, could
)


# Contracted negations, spelt out: "won't cut" is "will not cut", "don't have to" is "do not
# have to" ("cannot" is one word, and "can" and "not" too).
_CONTRACTED = {"won't": ("will", "not"), "can't": ("can", "not"), "cannot": ("can", "not")}
_CONTRACTED |= {"shan't": ("shall", "not"), "ain't": ("is", "not")}


def _uncontracted(word: str) -> tuple[str, ...]:
    if word in _CONTRACTED:
        return _CONTRACTED[word]
    if word.endswith("n't") and len(word) > 3:
        return (word[:-3], "not")
    return (word,)


# A direction verb in a relative clause ("barriers that limit access", "a policy which
# would weaken the treaty") describes the noun before it, not the claim's own position; one
# an opposing word bears on ("oppose tax increases") is that opposition, not a move up.
_RELATIVE = frozenset({"that", "which", "who", "whose"})


def _describes(words: Sequence[str], i: int) -> bool:
    before = words[max(0, i - 3) : i]
    if any(w in _RELATIVE for w in before[-2:]):
        return True
    return any(_CLASS_OF.get(w) == "negative" for w in before)


def _words(norm_text: str) -> list[str]:
    """The words stance is read from: hyphens and slashes split, contractions spelt out."""
    words = _STANCE_TOKEN.findall(norm_text.replace("-", " ").replace("/", " "))
    if "'" not in norm_text and "cannot" not in norm_text:
        return words  # most claims: no apostrophe, nothing to spell out (every pair asks)
    # Only a word with an apostrophe, or "cannot", is spelt out; every other stays itself.
    return [
        p
        for w in words
        for p in (
            _uncontracted(w.removesuffix("'s").strip("'")) if "'" in w or w == "cannot" else (w,)
        )
    ]


def affirms(mark: StanceMark, words: Sequence[str]) -> bool:
    """Whether a claim states plainly, in the same frame, the noun phrase that a noun
    negator negates: a reversal, not a description.

    "without customs checks" is reversed by "with customs checks", and "will approve no new
    licences" by "will approve new licences": the phrase itself, in its order (head, then
    object), after "with" or after the word the negator followed (words between that are no
    content words, "the" or "new", are skipped). A claim that only shares the words
    describes something else: "without the water levy, farmers would lose income" / "farmers
    pay the water levy", "saw no lasting growth" / "saw little lasting growth", "found no
    right to strike" / "defends the right to strike".
    """
    if mark.head is None:
        return False
    frame = "with" if mark.word == "without" else mark.frame
    tokens = [_stance_token(w) for w in words]
    content = [(i, t) for i, t in enumerate(tokens) if t]
    for k, (i, token) in enumerate(content):
        if token != mark.head:
            continue
        if mark.object is not None and (k + 1 >= len(content) or content[k + 1][1] != mark.object):
            continue
        # Back over the words before the phrase that are no content words ("the", "new"),
        # to the frame word or the claim's start.
        j = i - 1
        while j >= 0 and words[j] != frame and not tokens[j]:
            j -= 1
        if (words[j] if j >= 0 else "") == frame:
            return True
    return False


# The pairs of classes whose meeting on the two sides of a pair can flip a dimension: up
# against down, firm against tentative; any negative word can flip polarity on its own.
_OPPOSED = (("up", "down"), ("down", "up"), ("firm", "tentative"), ("tentative", "firm"))


def stance_classes(words: Sequence[str]) -> frozenset[StanceClass]:
    """The classes of the stance words among a claim's ``words``, whether or not each is
    used as one: a superset of the classes of its ``stance_marks``, without reading them."""
    return frozenset(_CLASS_OF[w] for w in words if w in _CLASS_OF)


def may_flip(old: frozenset[StanceClass], new: frozenset[StanceClass]) -> bool:
    """Whether claims holding stance words of these classes can differ in stance at all.

    Most matched pairs cannot (both say "will", neither negates), and reading their stance
    marks is most of what classifying a pair costs at scale.
    """
    if "negative" in old or "negative" in new:
        return True
    return any(a in old and b in new for a, b in _OPPOSED)


def stance_marks(words: Sequence[str]) -> tuple[StanceMark, ...]:
    """The stance words of a claim (its ``words``), each with the content tokens it bears on.

    A stance word bears on the next few content words of its clause (``SCOPE_WORDS``; actors
    left out, since naming a country is not taking a position on it): a modal on the verb it
    governs (``_BEFORE_VERB``), a direction word on its object up to a preposition that opens
    another phrase (``_ARGUMENT_START``). Only matched pairs need this, so it is computed at
    diff time.
    """
    marks: list[StanceMark] = []
    for i, word in enumerate(words):
        cls = _CLASS_OF.get(word)
        if cls is None or not _is_stance_use(words, i, cls):
            continue
        # (Stop words stay: polarity reads them, "stop X" opposes X wherever it stands.)
        if cls in ("up", "down") and word not in CESSATION and _describes(words, i):
            continue
        scope: list[str] = []
        scope_at: list[int] = []
        for at, later in enumerate(words[i + 1 :], start=i + 1):
            if later in _CLAUSE_END or later == "\u2014" or later == "--":
                break
            if cls in ("up", "down") and later in _ARGUMENT_START and (scope or later == "away"):
                break
            if word in NOUN_NEGATORS and later in ACTOR_OF:
                break  # "no Americans": the negated noun is an actor, no position
            if later in ACTOR_OF or _CLASS_OF.get(later) in ("negative", "firm", "tentative"):
                continue
            if cls in ("firm", "tentative"):
                if later in _BEFORE_VERB or (later.endswith("ly") and later not in _LY_VERBS):
                    continue
                token = _stance_token(later)
                if token:
                    scope.append(token)
                    scope_at.append(at)
                break
            token = _stance_token(later)
            if token:
                scope.append(token)
                scope_at.append(at)
                if len(scope) == (NO_SCOPE_WORDS if word in NOUN_NEGATORS else SCOPE_WORDS[cls]):
                    break
        nxt = words[i + 1] if i + 1 < len(words) else ""
        predicate = word in NEGATORS or nxt in ("to", "from")
        if word == "not" and not (
            i == 0 or nxt == "to" or any(w in _AUXILIARIES for w in words[max(0, i - 2) : i])
        ):
            predicate = False
        marks.append(
            StanceMark(
                cls,
                word,
                frozenset(scope),
                predicate,
                scope[0] if scope else None,
                scope[1] if len(scope) > 1 else None,
                words[i - 1] if i else "",
                i,
                tuple(scope_at),
            )
        )
    return tuple(marks)


def words(norm_text: str) -> tuple[str, ...]:
    """The words of a claim as stance reads them: ``StanceMark.scope_at`` indexes these."""
    return tuple(_words(norm_text))


def aligned_words(old: Sequence[str], new: Sequence[str]) -> dict[int, int]:
    """Which word of ``old`` stands where in ``new``: positions of the longest common
    subsequence blocks (``difflib``, on stems, so "reduce" and "reducing" align).

    Two claims share a predicate only where their texts align, not wherever a word recurs:
    "cut taxes" in one claim and "taxes" as the object of another verb in the other share
    the word, but the alignment pairs each occurrence with its counterpart in order.
    """
    a = [_stance_token(w) or w for w in old]
    b = [_stance_token(w) or w for w in new]
    out: dict[int, int] = {}
    for i, j, n in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_matching_blocks():
        out.update((i + k, j + k) for k in range(n))
    return out
