"""What a figure measures: a few content words next to it ("R&D budget", "FDI stock").

Two figures of the same kind and unit (two dollar amounts, two shares) are one position's
figure only when they count the same thing: an R&D budget of $5 billion and an FDI stock of
$8 billion are two facts, not a move from 5 to 8. The claims store a quantity's kind, unit
and raw text but not its neighbourhood, so the measure is read at diff time from the claim's
text: the content words nearest the figure on each side, within its clause (a comma,
semicolon, parenthesis, dash or a joining word such as "and" ends it), as stems.

The same clause says how the figure is stated: as a goal (a target word, a modal, a deadline)
or as a fact already measured (a past-tense verb of measurement). A goal and a fact are two
figures even of one thing: "emissions were 20% below 2013" and "cut emissions 60% below 2013
by 2035" do not show a position moving from 20 to 60.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from tracker.claims.normalize import normalize
from tracker.compare.features import content_tokens
from tracker.compare.model import AMOUNT_KINDS, QuantityRef

# Content words taken on each side of a figure.
MEASURE_WORDS = 2
# Figures whose measure is read; years and ranks keep their own context rules.
MEASURED_KINDS = AMOUNT_KINDS | {"count"}

# Where the clause around a figure ends. Commas too: "an R&D budget of $5 billion, an FDI
# stock of $8 billion" names two measures, one per comma phrase.
_BOUNDARY = re.compile(
    r"[;:,()\[\]\u2014\u2013]|--|\.(?:\s|$)"
    r"|\b(?i:and|or|but|while|whereas|compared|versus|than)\b"
)
# "R&D", "M&A": one word, not two stray letters.
_AMPERSAND = re.compile(r"\b([A-Za-z]{1,3})&([A-Za-z]{1,3})\b")
# Words next to a figure that say how it is stated, not what it counts. Stems.
_NOT_MEASURE = frozenset(
    {
        "nearli",
        "rough",
        "approxim",
        "almost",
        "reach",
        "total",
        "stood",
        "stand",
        "amount",
        "worth",
        "valu",
        "level",
        "figur",
        "rose",
        "fell",
        "grew",
        "rise",
        "fall",
        "record",
        "estim",
        "project",
        "forecast",
        "expect",
        "percent",
        "billion",
        "million",
        "trillion",
        "thousand",
    }
)


# A figure stated as a goal: a word of aim or commitment in its clause...
_GOAL = re.compile(
    r"\b(?:targets?|targeted|targeting|goals?|aim(?:s|ed|ing)?|pledge[sd]?|pledging|"
    r"commit(?:s|ted|ting|ments?)?|plan(?:s|ned|ning)?|propos(?:e|es|ed|ing|als?)|"
    r"seek(?:s|ing)?|intend(?:s|ed)?|ambitions?|objectives?|will|would|shall|aspires?)\b",
    re.IGNORECASE,
)
# ...or a deadline ("by 2030", "by fiscal 2035").
_DEADLINE = re.compile(r"\bby\s+(?:the\s+end\s+of\s+)?(?:fiscal\s+|FY\s*)?(?:19|20)\d\d\b", re.I)
# A figure stated as a measured fact: a past-tense verb of measurement in its clause.
_FACT = re.compile(
    r"\b(?:was|were|exceeded|exceeding|reached|delivered|totall?ed|stood|fell|rose|grew|"
    r"recorded|amounted|achieved|increased|decreased|declined|dropped)\b",
    re.IGNORECASE,
)

Stated = Literal["goal", "fact"]


# What a year is to its claim. A baseline: "compared to 1990", "from 2005 levels", "since
# 2013". A deadline: a year the claim looks forward to ("in 2030" in a 2020 brief; "by 2030"
# is a deadline unit of its own). A date: a year at or before the brief's, after "in".
_BASELINE_BEFORE = re.compile(
    r"(?:compared\s+(?:to|with)|relative\s+to|from|below|above|since|than|against|"
    r"base(?:line)?\s+year(?:\s+of)?)\s+(?:the\s+)?(?:(?:fiscal|calendar)\s+(?:year\s+)?)?$",
    re.IGNORECASE,
)
_BASELINE_AFTER = re.compile(r"^\s*(?:levels?|baselines?|base\s+year)\b", re.IGNORECASE)
_IN_BEFORE = re.compile(
    r"\b(?:in|for|until|through)\s+(?:the\s+)?(?:(?:fiscal|calendar)\s+(?:year\s+)?)?$",
    re.IGNORECASE,
)
YearRole = Literal["baseline", "deadline", "date"]


@dataclass(frozen=True, slots=True)
class Measure:
    """What a figure counts (stems of its nearest content words; empty: nothing known), how
    its clause states it (``None`` when it says neither) and, for a year, its role."""

    words: frozenset[str] = frozenset()
    stated: Stated | None = None
    role: YearRole | None = None


def year_role(
    text: str, start: int, end: int, value: float, brief_year: int | None
) -> YearRole | None:
    """The role of the year ``value`` written at ``text[start:end]``: a baseline, a deadline,
    a date, or None when its words do not say ("the 2006 IPCC Guidelines", "Vision 2045")."""
    before, after = text[max(0, start - 40) : start], text[end : end + 20]
    if _BASELINE_BEFORE.search(before) or _BASELINE_AFTER.match(after):
        return "baseline"
    if _IN_BEFORE.search(before) and brief_year is not None:
        return "deadline" if value > brief_year else "date"
    return None


def _stated(clause: str) -> Stated | None:
    # A goal word outranks a fact verb: "the target was raised to 46%" states a goal.
    if _GOAL.search(clause) or _DEADLINE.search(clause):
        return "goal"
    if _FACT.search(clause):
        return "fact"
    return None


def _words(fragment: str) -> list[str]:
    stems = content_tokens(normalize(_AMPERSAND.sub(r"\1\2", fragment)))
    return [t for t in stems if not t.startswith("a:") and t not in _NOT_MEASURE]


def measure(text: str, start: int, end: int) -> Measure:
    """The measure of the figure at ``text[start:end]``: stems of its nearest content words,
    and whether its clause states it as a goal or a fact.

    Actors ("Japan", "U.S.") and words of statement ("about", "reached") are left out of the
    words; an empty set means the figure's clause names nothing it could be told apart by.
    """
    before = text[max(0, start - 120) : start]
    cuts = [m.end() for m in _BOUNDARY.finditer(before)]
    before = before[cuts[-1] :] if cuts else before
    after = text[end : end + 120]
    stop = _BOUNDARY.search(after)
    after = after[: stop.start()] if stop else after
    return Measure(
        frozenset(_words(before)[-MEASURE_WORDS:] + _words(after)[:MEASURE_WORDS]),
        _stated(f"{before} {after}"),
    )


def measures(
    text: str, quantities: Sequence[QuantityRef], brief_year: int | None = None
) -> tuple[Measure, ...]:
    """The measure of each quantity of a claim (in order), found by its raw text; a plain
    year gets its role instead (``year_role``, against the brief's year).

    Quantities are stored in text order, so each raw text is looked for after the previous
    one; a raw text not found (a claim edited by hand) measures nothing known.
    """
    out: list[Measure] = []
    pos = 0
    for q in quantities:
        at = text.find(q.raw, pos) if q.raw else -1
        if at >= 0 and q.kind == "year" and q.unit == "year":
            role = year_role(text, at, at + len(q.raw), q.value, brief_year)
            out.append(Measure(role=role))
            pos = at + len(q.raw)
            continue
        if at < 0 or q.kind not in MEASURED_KINDS:
            out.append(Measure())
            continue
        out.append(measure(text, at, at + len(q.raw)))
        pos = at + len(q.raw)
    return tuple(out)


def claim_words(text: str) -> frozenset[str]:
    """Every word of a claim that could name a measure (stems, as in :func:`measure`)."""
    return frozenset(_words(text))


def _no_words() -> frozenset[str]:
    return frozenset()


def same_measure(
    a: Measure,
    b: Measure,
    a_claim: Callable[[], frozenset[str]] = _no_words,
    b_claim: Callable[[], frozenset[str]] = _no_words,
) -> bool:
    """Whether figure ``a`` (of a claim whose words ``a_claim()`` gives) and ``b`` measure
    one thing. The claims' words are asked for only when the figures' own words do not
    decide: reading them is most of what pairing figures costs, and few pairs need it.

    Never when one is stated as a goal and the other as a fact, nor for two years of
    different roles (a baseline and a deadline). Otherwise yes when either
    names nothing or they share a word, and else only when one figure's words occur anywhere
    in the other claim: "defence spending ... the national cap of 1% of GDP" and "defence
    spending to 2% of GDP" name the cap and the spending next to their figures, but both
    speak of spending. An R&D budget against an FDI stock is no.
    """
    if a.stated and b.stated and a.stated != b.stated:
        return False
    if a.role != b.role:  # a baseline year is no deadline, a year of a name no date
        return False
    if not a.words or not b.words or not a.words.isdisjoint(b.words):
        return True
    return not b.words.isdisjoint(a_claim()) or not a.words.isdisjoint(b_claim())
