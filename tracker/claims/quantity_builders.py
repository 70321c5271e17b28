"""The builders of the quantity passes: a pattern's match, with the text around it, to a
candidate span (value, unit, kind), or None to reject it.

``quantities.extract_quantities`` runs the passes of ``_PASSES`` in priority order; the
patterns and word lists they use are data, in ``quantity_patterns``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tracker.claims.quantity_patterns import (
    _BARE_YEAR,
    _BEFORE_CHARS,
    _BEFORE_WINDOW,
    _BEFORE_WORD,
    _COUNT_DIGIT,
    _COUNT_WORD,
    _CURRENCY_BY_SIGN,
    _CURRENCY_BY_WORD,
    _DATE,
    _DEADLINE,
    _EMISSIONS,
    _FOOTNOTE,
    _HEAD_NOUN_WINDOW,
    _IRREGULAR_PLURALS,
    _LABEL_BEFORE,
    _LABEL_WORDS,
    _LINK_WORDS,
    _MASS_FACTOR,
    _MAX_RAW,
    _MONEY_PREFIX,
    _MONEY_SUFFIX,
    _NEXT_WORD,
    _NEXT_WORDS,
    _NOT_RANK_SUFFIXES,
    _ORDINALS,
    _PER,
    _PERCENT,
    _PREV_WORDS,
    _RANK_DIGIT,
    _RANK_WORD,
    _SCALES,
    _SPELLED,
    _STOP_WORDS,
    _YEAR_RANGE,
)


@dataclass(frozen=True, slots=True)
class _Span:
    """A candidate: ``kind`` None claims the characters without reporting a quantity."""

    start: int
    end: int
    value: float = 0.0
    unit: str = ""
    kind: str | None = None


def _decimal(number: str) -> Decimal | None:
    """Parse a matched number ("55,000", "18.5"); the pattern guarantees ASCII digits."""
    try:
        return Decimal(number.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the patterns only admit valid numbers
        return None


def _midpoint(low: str, high: str | None) -> Decimal | None:
    """The value of a number or of a range: ranges are represented by their midpoint."""
    a = _decimal(low)
    if a is None or high is None:
        return a
    b = _decimal(high)
    return None if b is None else (a + b) / 2


def _span(
    start: int, end: int, value: Decimal | float | None, unit: str, kind: str
) -> _Span | None:
    """A reported candidate, unless its value is unusable (overflow) or its text absurd."""
    if value is None or end - start > _MAX_RAW:
        return None
    number = float(value)
    if not math.isfinite(number):
        return None
    return _Span(start, end, number, unit, kind)


def _build_money(text: str, m: re.Match[str]) -> _Span | None:
    """Money with a currency sign or code before the number, or a currency word after it."""
    groups = m.groupdict()
    scale_word = groups["scale"] or groups["scale1"]
    scale = Decimal(1)
    if scale_word is not None:
        found = _SCALES.get(scale_word.casefold())
        if found is None:
            return None
        scale = found
    if groups.get("sym") is not None:
        marker = groups["sym"]
        currency = next((c for s, c in _CURRENCY_BY_SIGN.items() if s in marker), None)
        if currency is None:
            currency = _CURRENCY_BY_WORD.get(marker.strip().casefold())
    else:
        word = groups["word"].split()[0]  # "pounds sterling" -> "pounds"
        currency = _CURRENCY_BY_WORD.get(word.casefold())
    if currency is None:
        return None
    value = _midpoint(groups["a"], groups["b"])
    return _span(m.start(), m.end(), None if value is None else value * scale, currency, "money")


def _build_percent(text: str, m: re.Match[str]) -> _Span | None:
    """A percentage or percentage-point figure, optionally "of GDP"."""
    if m.group("a") is not None:
        value = _midpoint(m.group("a"), m.group("b"))
    elif m.group("e") is not None:
        value = _midpoint(m.group("e"), m.group("f"))
    else:
        value = _midpoint(m.group("c"), m.group("d"))
    unit_text = m.group("unit").casefold()
    unit = "pp" if "point" in unit_text or unit_text.startswith("pp") else "%"
    if m.group("gdp") is not None:
        unit += " of GDP"
    return _span(m.start(), m.end(), value, unit, "percent")


def _build_emissions(text: str, m: re.Match[str]) -> _Span | None:
    """A greenhouse-gas amount in tonnes of CO2 equivalent ("65 MtCO2e" is 65e6), or an
    intensity of one ("0.113 kgCO2e/S$": unit ``t CO2e/SGD``).

    A plain tonne or kilogram is an emission only with a gas after it ("100,000 tonnes of
    carbon dioxide"); "5 tonnes of steel" is left to the count pass.
    """
    groups = m.groupdict()
    gas = groups["gas1"] or groups["gas2"] or groups["gas3"]
    if groups["abbr"] is not None:
        key = groups["abbr"].casefold()
        if key in ("t", "kg") and gas is None:
            return None
    else:
        word = groups["word"].casefold()
        key = next((p for p in ("kilo", "mega", "giga") if word.startswith(p)), "t")
        if key == "t" and gas is None:
            return None
    value = _scaled(_midpoint(groups["a"], groups["b"]), groups["scale"])
    per = groups["per1"] or groups["per2"]
    unit = "t CO2e"
    if per is not None:
        spelt = " ".join(per.casefold().split())
        unit += "/" + _PER.get(spelt, spelt)
    return _span(
        m.start(), m.end(), None if value is None else value * _MASS_FACTOR[key], unit, "emissions"
    )


def _build_deadline(text: str, m: re.Match[str]) -> _Span | None:
    """A year that is a deadline: "by 2030", "until the end of 2035"."""
    return _span(m.start(), m.end(), int(m.group("year")), "by-year", "year")


def _build_date(text: str, m: re.Match[str]) -> _Span | None:
    """A day and month: claim the characters, report nothing."""
    return _Span(m.start(), m.end())


def _build_year_range(text: str, m: re.Match[str]) -> _Span | None:
    """A year range ("2008-2018"): one year quantity whose value is the first year."""
    first = m.group("y1") or m.group("y2")
    return _span(m.start(), m.end(), int(first), "year", "year")


def _build_bare_year(text: str, m: re.Match[str]) -> _Span | None:
    """A year 1900-2099 anywhere ("in 2027", "the 2019 agreement")."""
    return _span(m.start(), m.end(), int(m.group("year")), "year", "year")


def _context(text: str, start: int, end: int) -> tuple[list[str], str, list[str]]:
    """Up to two words before ``start`` and after ``end`` (casefolded).

    The middle element is "," when a comma immediately follows ``end``.
    """
    before = _PREV_WORDS.search(text[max(0, start - 40) : start])
    prev = [w.casefold() for w in before.groups() if w] if before else []
    after = _NEXT_WORDS.match(text, end)
    if after is None:
        return prev, "", []
    if after.group(1):
        return prev, ",", []
    return prev, "", [w for w in after.groups()[1:] if w]


def _is_rank(text: str, m: re.Match[str], word: str) -> bool:
    """Context filters for ordinals that are idioms, fractions or names, not ranks."""
    suffix = (m.group("suf") or "")[1:].casefold()
    if suffix in _NOT_RANK_SUFFIXES:
        return False
    prev, comma, next_raw = _context(text, m.start(), m.end())
    nxt = [w.casefold() for w in next_raw]
    last = prev[-1] if prev else ""
    if word == "first" and (last == "at" or nxt[:2] in (["of", "all"], ["and", "foremost"])):
        return False  # "at first", "first of all", "first and foremost": adverbs
    if prev[-2:] == ["in", "the"] and nxt[:1] in (["place"], ["instance"]):
        return False  # "in the first place"
    if last == "per":
        return False  # "per second"
    if last in ("a", "one") and nxt[:1] == ["of"]:
        return False  # "a third of", "one fifth of": fractions
    if word == "third" and nxt[:1] and nxt[0] in ("party", "parties", "country", "countries"):
        return False  # "third parties", "third countries": trade and legal terms
    if nxt[:1] and nxt[0] in ("century", "centuries"):
        return False  # "21st century": an era
    if m.group(0)[0].isupper():
        if comma:
            return False  # "First, ...": a discourse marker
        if next_raw and next_raw[0][0].isupper() and not suffix:
            return False  # "Second Thomas Shoal", "Seventh Fleet": part of a name
    return True


def _build_rank_word(text: str, m: re.Match[str]) -> _Span | None:
    """Ranks in words: "second-largest", "first-ever", "the fourth"."""
    word = m.group("w").casefold()
    value = _ORDINALS.get(word)
    if value is None or not _is_rank(text, m, word):
        return None
    return _span(m.start(), m.end(), value, "rank", "rank")


def _build_rank_digit(text: str, m: re.Match[str]) -> _Span | None:
    """Ranks in digits: "the 3rd", "21st-largest"."""
    if not _is_rank(text, m, ""):
        return None
    return _span(m.start(), m.end(), int(m.group("n")), "rank", "rank")


def _head_noun(text: str, pos: int) -> tuple[str, int] | None:
    """The head noun of the phrase after a number, and where it ends.

    The head is the first plural-looking word among the next three, skipping modifiers
    ("American", "new", "active-duty"); a stop word or the end of a sentence ends the search.
    """
    for _ in range(_HEAD_NOUN_WINDOW):
        m = _NEXT_WORD.match(text, pos)
        if m is None:
            return None
        token = m.group(1)
        word = token.rstrip(".")
        folded = word.casefold().rstrip("'\u2019")
        end = m.start(1) + len(word)
        if folded in _STOP_WORDS:
            return None
        if _plural(folded):
            return folded, end
        # A dot that ends a word which is not an abbreviation ("U.S.") ends the sentence.
        if token.endswith(".") and "." not in word:
            return None
        pos = m.end()
    return None


def _plural(word: str) -> bool:
    """A word that looks like a plural noun ("troops", "people"), the head of a count."""
    return word in _IRREGULAR_PLURALS or (
        "." not in word  # an abbreviation such as "U.S." is a modifier
        and len(word) >= 3
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is", "'s", "\u2019s"))
    )


def _head_noun_before(text: str, start: int) -> str | None:
    """The counted noun named before a number: "troops in Japan, around 50,000".

    Only when the word right before the number links it to what came earlier (an
    approximator such as "around", or "to", "from", "of", a form of "be" or "number"): a
    bare "55,000." names nothing. The nearest plural-looking word within a few words of the
    same clause (a semicolon, colon, parenthesis or full stop ends it) is the head.
    """
    window = text[max(0, start - _BEFORE_CHARS) : start]
    # "troops (54,000)": a figure in parentheses glosses the words before them.
    glossed = window.endswith("(")
    if glossed:
        window = window[:-1]
    cut = max(window.rfind(c) for c in ";:()[]")
    cut = max(cut, window.rfind(". "))
    words = _BEFORE_WORD.findall(window[cut + 1 :])
    if not words or (not glossed and words[-1].casefold() not in _LINK_WORDS):
        return None
    candidates: list[str] = words[-_BEFORE_WINDOW:] if glossed else words[-_BEFORE_WINDOW:-1]
    for word in reversed(candidates):
        folded = word.casefold()
        if folded in _LINK_WORDS or folded in _STOP_WORDS:
            continue
        if _plural(folded):
            return folded
    return None


def _count(text: str, m: re.Match[str], number: Decimal | None) -> _Span | None:
    """A count: a number (already scaled) and its head noun, or a bare scaled number."""
    label = _LABEL_BEFORE.search(text[max(0, m.start() - 30) : m.start()])
    if label is not None and label.group(1).casefold() in _LABEL_WORDS:
        return None
    after = m.end()
    if re.match(_FOOTNOTE, text[after : after + 2]):
        after += 1  # "54,000a troops": the noun follows the footnote mark
    head = _head_noun(text, after)
    if head is None:
        if m.group("scale") is None:
            before = _head_noun_before(text, m.start())
            if before is not None:
                return _span(m.start(), m.end(), number, before, "count")
            return None  # "Article 9", "about 55,000.": a number without a noun is no count
        return _span(m.start(), m.end(), number, "", "count")
    noun, end = head
    return _span(m.start(), end, number, noun, "count")


def _scaled(number: Decimal | None, scale_word: str | None) -> Decimal | None:
    """Multiply by a scale word ("million"), if any; None if the word is unknown."""
    if number is None or scale_word is None:
        return number
    scale = _SCALES.get(scale_word.casefold())
    return None if scale is None else number * scale


def _build_count_digit(text: str, m: re.Match[str]) -> _Span | None:
    """Counts in digits: "55,000 American troops", "1 million jobs", "1.5 degrees"."""
    number = _scaled(_midpoint(m.group("a"), m.group("b")), m.group("scale"))
    return _count(text, m, number)


def _build_count_word(text: str, m: re.Match[str]) -> _Span | None:
    """Spelled counts: "four new bases", "four times", "one million people"."""
    spelled = _SPELLED.get(m.group("w").casefold())
    if spelled is None or (spelled == 1 and m.group("scale") is None):
        return None
    return _count(text, m, _scaled(Decimal(spelled), m.group("scale")))


_Builder = Callable[[str, re.Match[str]], _Span | None]

# The passes, in priority order: see the docstring of ``quantities``.
_PASSES: tuple[tuple[re.Pattern[str], _Builder], ...] = (
    (_MONEY_PREFIX, _build_money),
    (_MONEY_SUFFIX, _build_money),
    (_PERCENT, _build_percent),
    (_EMISSIONS, _build_emissions),
    (_DEADLINE, _build_deadline),
    (_DATE, _build_date),
    (_YEAR_RANGE, _build_year_range),
    (_BARE_YEAR, _build_bare_year),
    (_RANK_WORD, _build_rank_word),
    (_RANK_DIGIT, _build_rank_digit),
    (_COUNT_DIGIT, _build_count_digit),
    (_COUNT_WORD, _build_count_word),
)

# Speed: most sentences hold no number, yet every pass scans every position. Each pass is
# skipped when the text cannot contain a match: all but the two word passes need an ASCII
# digit, and those two need one of their words. The word test reproduces re's
# case-insensitive matching on a lower-cased copy; re also equates "ı" and "İ" with "i" and
# "ſ" with "s", so those are folded first. Skipping never changes the result: a skipped pass
# would have found nothing (tests compare with running every pass).
_WORD_HINTS: dict[re.Pattern[str], tuple[str, ...]] = {
    _RANK_WORD: tuple(_ORDINALS),
    _COUNT_WORD: tuple(_SPELLED),
}
