"""Quantities in English policy sentences: percentages, money, counts, years and ranks.

A claim such as "raise defence spending to 2% of GDP by 2027" changes meaning when one of its
numbers changes, so the comparison engine pairs claims and then compares their quantities.
This module turns a sentence into a list of :class:`Quantity` values, each with a normalised
``value`` and ``unit`` (so "1 percent of gross domestic product" and "1% of GDP" compare
equal) and the exact span of text it came from.

Design
------
Extraction is a fixed sequence of *passes*, most specific first. Each pass is one compiled
regular expression plus a small builder that turns a match into a candidate span (or rejects
it after looking at a few words of context). A candidate is kept only if none of its
characters has already been claimed by an earlier pass, so the order of the passes is the
whole disambiguation policy:

1. money (``$4.5 billion``, ``20 trillion yen``): a currency marker beats everything else;
2. percentages (``2% of GDP``, ``36-38 percent``, ``between 40 and 50 percent``);
3. deadlines (``by 2030``, ``by the end of 2021``, ``until 2035``);
4. day-and-month dates (``16 April``, ``8-14 April``): claimed but not reported, so that the
   day numbers can never become counts or ranks, while the year next to them still can;
5. year ranges (``2008-2018``), then bare years 1900-2099 (``in 2027``);
6. ranks (``second-largest``, ``the 3rd``), filtered by context (``at first`` is no rank);
7. counts of a noun (``55,000 American troops``, ``four new bases``, ``1 million jobs``).

Why not one big pattern: separate passes keep each pattern small enough to read and test,
and the claimed-character mask makes the interaction between them explicit.

Linear time: every repetition in the patterns is either bounded (``\\s{1,3}``, words of at
most 40 letters) or a run of digits, and every number pattern starts with a look-behind that
refuses to start inside a run of digits. Each run of digits is therefore scanned from its
start only, a bounded number of times per pass, and context checks look at a bounded number
of words. There are no nested unbounded quantifiers, so nothing backtracks catastrophically.

Robustness: patterns use ``[0-9]`` rather than ``\\d`` (which would accept other scripts'
digits), and all look-ups of matched words go through ``casefold()`` and ``dict.get`` because
case-insensitive matching accepts oddities such as the long s in "\u017fecond"; an unknown
word makes the candidate disappear instead of raising.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["Quantity", "extract_quantities", "format_value", "quantity_key"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """One quantity found in a text.

    ``value`` is normalised: 46.0 for "46%", 4.5e9 for "$4.5 billion", 2.0 for
    "second-largest", 2030.0 for "by 2030"; a range ("36-38%") gets its midpoint (a year
    range its first year). ``unit`` is normalised per ``kind``:

    * ``percent``: ``"%"``, ``"% of GDP"``, ``"pp"`` (percentage points), ``"pp of GDP"``;
    * ``money``: an ISO currency code, ``"USD"``, ``"EUR"``, ``"JPY"``, ``"GBP"`` or ``"CNY"``;
    * ``count``: the lower-cased head noun ("troops"), or ``""`` for a bare scaled number
      such as "1.2 billion";
    * ``year``: ``"year"``, or ``"by-year"`` for a deadline (by/until/before a year);
    * ``rank``: ``"rank"``.

    ``raw`` is exactly ``text[start:end]`` of the text passed to :func:`extract_quantities`.
    """

    value: float
    unit: str
    raw: str
    start: int
    end: int
    kind: str


# --------------------------------------------------------------------------------------
# Pattern building blocks. Patterns are raw strings; ``re`` itself decodes the \uXXXX escapes
# (written as escapes because dashes and quotes that look like ASCII are easy to mistype).
# --------------------------------------------------------------------------------------

# A number: either properly grouped thousands ("55,000", "1,234,567.5") or a plain run of
# digits ("2030", "18.5"). The negative look-ahead stops "1,2345" from reading as "1,234".
_NUM = r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?"

# Where a number may start. Not inside a word or another number ("G7", "1,234", "2.5"), not
# after a currency sign (the money pass owns those), not in a model name ("F-35", "COVID-19"),
# not in "2+2" or "24/7", and not as the tail of a range ("36-38") which its head owns.
_LB = (
    r"(?<![\w.+\\$\u20ac\u00a5\u00a3\uffe5])(?<![0-9]/)"
    r"(?<![A-Za-z]-)(?<![0-9],)(?<![0-9][-\u2013\u2014])"
)

# A lower-case letter glued to a number and followed by no other letter is a footnote mark
# left by a PDF or Markdown conversion ("54,000a troops"). Not b, k, m, s or x: those are
# scales, decades and multipliers ("5m", "2030s", "10x").
_FOOTNOTE = r"[acdef](?!\w)"
# Where a count or year may end: not glued to letters ("5G", "2030s") unless a footnote
# mark, a percent sign, "2+2", a hyphen ("5-year", "55,000-strong") or a further digit group.
# A double hyphen, an em dash, an en dash or a slash before a word is punctuation, not part of
# the number: "around 50,000--and", "60,000\u2014and" ("24/7" and "50\u201360" still refuse).
_RB = rf"(?!(?!{_FOOTNOTE})[\w%+]|[.,][0-9]|-(?!-)|[/\u2013](?=[0-9]))"

_DASH = r"[-\u2013\u2014]"
_SCALE_WORD = r"(?i:thousand|million|billion|trillion)"
_YEAR = r"(?:19|20)[0-9]{2}"
# A year is not followed by a scale word: "2000 million people" is a count.
_YEAR_RB = rf"(?!(?!{_FOOTNOTE})[\w%+]|/(?=[0-9])|[.,][0-9]|\s{{1,2}}{_SCALE_WORD}\b)"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.)"
)
_DAY = r"[0-9]{1,2}(?:st|nd|rd|th)?"


def _num(name: str) -> str:
    """A named number group (several numbers can occur in one pattern)."""
    return f"(?P<{name}>{_NUM})"


_SCALES: dict[str, Decimal] = {
    "thousand": Decimal(10) ** 3,
    "k": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6,
    "m": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "b": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
    "tn": Decimal(10) ** 12,
    "trn": Decimal(10) ** 12,
}

# Money. Scale words may be spelled out or abbreviated ("$4.5bn", "$5 bn"); single letters
# ("$5m", "$3B") only when glued to the number, since a lone "m" after a space is too vague.
_MONEY_SCALE = rf"(?:\s{{0,2}}(?P<scale>{_SCALE_WORD}|bn|mn|tn|trn)\b|(?P<scale1>[mMbBkK])\b)"
_CURRENCY_SIGN = (
    r"(?P<sym>"
    # "US$5", "U.S. $5", "US\$5" (a backslash-escaped dollar, common in text converted from
    # Markdown or LaTeX; the raw text then starts at the backslash).
    r"(?<![A-Za-z])(?:US|U\.S\.)\s?\\?\$"
    # A bare dollar, but not "A$" or "HK$": another currency we do not normalise.
    r"|(?<![A-Za-z\\])\\?\$"
    r"|[\u20ac\u00a5\u00a3\uffe5]"
    r"|(?<![A-Za-z])(?:USD|EUR|JPY|GBP|CNY|RMB)\s?"
    r")"
)
_MONEY_PREFIX = re.compile(
    rf"{_CURRENCY_SIGN}\s?{_num('a')}"
    rf"(?:\s?{_DASH}\s?(?:\\?\$|[\u20ac\u00a5\u00a3\uffe5])?{_num('b')})?"
    rf"{_MONEY_SCALE}?(?![\w%]|[.,][0-9])"
)
_MONEY_SUFFIX = re.compile(
    rf"{_LB}{_num('a')}(?:\s?{_DASH}\s?{_num('b')})?{_MONEY_SCALE}?\s{{1,3}}"
    r"(?:(?i:U\.?S\.?|American)\s{1,2})?"
    r"(?P<word>(?i:dollars?|yen|euros?|pounds?(?:\s{1,2}sterling)?|yuan|renminbi)"
    r"|USD|EUR|JPY|GBP|CNY|RMB)\b"
)
_CURRENCY_BY_SIGN: dict[str, str] = {
    "$": "USD",
    "\u20ac": "EUR",
    "\u00a5": "JPY",
    "\uffe5": "JPY",
    "\u00a3": "GBP",
}
_CURRENCY_BY_WORD: dict[str, str] = {
    "dollar": "USD",
    "dollars": "USD",
    "usd": "USD",
    "yen": "JPY",
    "jpy": "JPY",
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "gbp": "GBP",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
}

# Percentages. Percentage points are tried before plain percent so "2 percentage points" is
# not read as "2 percent" followed by a stray word.
_PP_UNIT = (
    r"(?i:percentage[\s-]{1,2}points?|per\s?cent(?:age)?\s{1,2}points?)\b"
    r"|%\s{0,2}(?i:points?)\b|pp\b|ppts?\b"
)
_PCT_UNIT = r"%|(?i:per\s?cent|per-cent|pct)\b|pc\b"
_GDP = (
    r"\s{1,3}(?i:of)\s{1,3}"
    # "of GDP", "of its GDP", "of Japan's GDP", "of the country's nominal GDP".
    r"(?:(?:(?i:its|their|the|our|this|that)|[A-Za-z][\w.]{0,30}['\u2019]s)\s{1,3}){0,2}"
    r"(?:(?i:nominal|annual|real)\s{1,3})?"
    r"(?:GDP|(?i:gross\s{1,3}domestic\s{1,3}product))\b"
)
_PERCENT = re.compile(
    r"(?:"
    rf"\b(?i:between)\s{{1,3}}{_num('a')}(?:\s{{0,2}}(?:%|(?i:per\s?cent)\b))?"
    rf"\s{{1,3}}(?i:and)\s{{1,3}}{_num('b')}"
    # "36 to 38 percent" is a range, but "from 26 to 46 percent" is a change of two numbers.
    rf"|(?<!(?i:from)\s){_LB}{_num('e')}\s{{1,3}}(?i:to)\s{{1,3}}{_num('f')}"
    rf"|{_LB}{_num('c')}(?:\s{{0,2}}%)?(?:\s?{_DASH}\s?{_num('d')})?"
    r")"
    # "46 percent", "46%" and the adjectival "a 46-percent cut".
    rf"(?:\s{{0,2}}|-)(?P<unit>{_PP_UNIT}|{_PCT_UNIT})(?P<gdp>{_GDP})?"
)

# Deadlines: the cue word decides the unit, so it is part of the raw text.
_DEADLINE = re.compile(
    r"\b(?i:by|until|till|before|no\s{1,2}later\s{1,2}than)\s{1,3}"
    r"(?:(?i:the)\s{1,3}(?i:end|middle|start|beginning|close)\s{1,3}(?i:of)\s{1,3}"
    r"|(?i:end|mid|early|late)[-\s])?"
    r"(?:(?i:fiscal)\s{1,3}(?:(?i:year)\s{1,3})?|FY\s?)?"
    rf"(?:{_MONTH}\s{{1,3}}(?:{_DAY},?\s{{1,3}})?|{_DAY}\s{{1,3}}{_MONTH},?\s{{1,3}})?"
    rf"(?P<year>{_YEAR}){_YEAR_RB}"
)

# Day-and-month dates, claimed so their day numbers are never reported.
_DATE = re.compile(
    rf"{_LB}{_DAY}(?:\s?{_DASH}\s?{_DAY})?\s{{1,3}}(?:(?i:of)\s{{1,3}})?{_MONTH}(?![A-Za-z])"
    rf"|(?<![A-Za-z]){_MONTH}\s{{1,3}}{_DAY}(?:\s?{_DASH}\s?{_DAY})?(?![\w]|[.,][0-9])"
)

_YEAR_RANGE = re.compile(
    rf"{_LB}(?:FY\s?)?(?P<y1>{_YEAR})\s?[-\u2013\u2014/]\s?(?:{_YEAR}|[0-9]{{2}})"
    r"(?![\w%+/]|[.,\-\u2013][0-9])"
    rf"|\b(?i:between)\s{{1,3}}(?P<y2>{_YEAR})\s{{1,3}}(?i:and)\s{{1,3}}{_YEAR}{_YEAR_RB}"
)
_BARE_YEAR = re.compile(rf"{_LB}(?:FY\s?)?(?P<year>{_YEAR}){_YEAR_RB}")

# Ranks. A hyphenated suffix ("-largest", "-ever") belongs to the raw text.
_ORDINALS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
}
_ORD_SUFFIX = r"(?P<suf>-[A-Za-z]{1,20})?(?![\w\-])"
_RANK_WORD = re.compile(r"(?<![\w\-\u2013])(?P<w>(?i:" + "|".join(_ORDINALS) + "))" + _ORD_SUFFIX)
_RANK_DIGIT = re.compile(rf"{_LB}(?P<n>[0-9]{{1,3}})(?:st|nd|rd|th){_ORD_SUFFIX}")
# Hyphenated idioms that contain an ordinal but rank nothing.
_NOT_RANK_SUFFIXES = frozenset(
    {"hand", "rate", "class", "party", "guess", "strike", "use", "person", "century"}
)

# Counts. Spelled-out numbers stop at twelve: beyond that writers use digits.
_SPELLED: dict[str, int] = {
    "one": 1,  # only with a scale word ("one million"): "one base" is no claim about numbers
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_COUNT_DIGIT = re.compile(
    rf"{_LB}{_num('a')}(?:\s?{_DASH}\s?{_num('b')})?"
    rf"(?:\s{{1,2}}(?P<scale>{_SCALE_WORD})\b)?{_RB}"
)
_COUNT_WORD = re.compile(
    r"(?<![\w\-\u2013])(?P<w>(?i:" + "|".join(_SPELLED) + "))"
    rf"(?:\s{{1,2}}(?P<scale>{_SCALE_WORD})\b)?(?![\w\-])"
)

# One word after a number, for the head-noun search. Letters, apostrophes, hyphens and dots
# ("U.S.", "active-duty", "troops."), at most 40 characters so the scan stays bounded.
# A double hyphen is a dash ("troops--and"), not part of the word.
_NEXT_WORD = re.compile(
    r"\s{1,3}([A-Za-z](?:[A-Za-z.'\u2019]|-(?!-)){0,39})(?![A-Za-z.'\u2019]|-(?!-))"
)
_HEAD_NOUN_WINDOW = 3
# Plurals that do not end in "s".
_IRREGULAR_PLURALS = frozenset({"people", "personnel", "children", "men", "women", "staff"})
# Words that end a noun phrase: a number followed by one of these has no noun of its own
# ("70 of the", "5 and"). Includes common words ending in "s" that are not plural nouns.
_STOP_TEXT = """
a an the of to in on at by for from with and or nor but than as is are was were be been
being has have had does do did it its this these those that which who whom whose his hers
per each every over under between into onto since until before after about while during
through across against among amongst towards toward upon within without via vs versus plus
minus thus perhaps always sometimes whereas besides nevertheless afterwards also not remains
means seems includes represents accounts makes reaches exceeds stands equals totals shows
says goes comes becomes requires takes gives ago
"""
_STOP_WORDS = frozenset(_STOP_TEXT.split())
# Words that make the number after them an identifier, not a count: "Section 232 tariffs",
# "Article 5 commitments", "No. 2 ships".
_LABEL_TEXT = """
article articles section sections chapter resolution title no number pillar phase stage
level tier annex paragraph para part volume vol rule item clause amendment category class
type block grade route flight unit division
"""
_LABEL_WORDS = frozenset(_LABEL_TEXT.split())

# A quantity phrase longer than this is garbage (a run of digits); it also keeps ``raw``
# within the store's column width.
_MAX_RAW = 200

# A count whose noun comes before it ("U.S. forces in Japan number around 50,000"): the word
# right before the number must be one of these, and the noun is searched in the few words
# before that (bounded in characters too, so the scan stays linear).
_LINK_TEXT = """
around about some nearly roughly approximately almost over than least to from of at by is are
was were be number numbers numbered total totals totalled totaled reached reach
"""
_LINK_WORDS = frozenset(_LINK_TEXT.split())
_BEFORE_WINDOW = 6
_BEFORE_CHARS = 80
_BEFORE_WORD = re.compile(r"[A-Za-z][A-Za-z.'\u2019\-]{0,39}")

# Context windows for the rank and count filters.
_LABEL_BEFORE = re.compile(r"([A-Za-z]+)\.?\s{1,3}$")
_PREV_WORDS = re.compile(r"(?:([A-Za-z]+)\s+)?([A-Za-z]+)\s+$")
_NEXT_WORDS = re.compile(r"(,)|\s{1,3}([A-Za-z]{1,40})(?:\s{1,3}([A-Za-z]{1,40}))?")


# --------------------------------------------------------------------------------------
# Builders: a match (plus the text around it) to a candidate span, or None to reject.
# --------------------------------------------------------------------------------------


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

# The passes, in priority order: see the module docstring.
_PASSES: tuple[tuple[re.Pattern[str], _Builder], ...] = (
    (_MONEY_PREFIX, _build_money),
    (_MONEY_SUFFIX, _build_money),
    (_PERCENT, _build_percent),
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
_DIGIT = re.compile(r"[0-9]")


def _re_casefold(text: str) -> str:
    """``text`` lower-cased the way ``re``'s IGNORECASE compares ASCII letters."""
    if not text.isascii():
        text = text.replace("\u0130", "i").replace("\u0131", "i").replace("\u017f", "s")
    return text.lower()


def _passes_for(text: str) -> list[tuple[re.Pattern[str], _Builder]]:
    """The passes that can match in ``text``, in priority order."""
    has_digit = _DIGIT.search(text) is not None
    folded: str | None = None
    passes = []
    for pattern, build in _PASSES:
        hints = _WORD_HINTS.get(pattern)
        if hints is None:
            if has_digit:
                passes.append((pattern, build))
            continue
        if folded is None:
            folded = _re_casefold(text)
        if any(hint in folded for hint in hints):
            passes.append((pattern, build))
    return passes


def extract_quantities(text: str) -> list[Quantity]:
    """All quantities in ``text``, sorted by ``start`` and non-overlapping.

    Offsets index ``text`` itself and ``raw == text[start:end]``. Never raises on any string.
    """
    return _extract(text, _passes_for(text))


def _extract(text: str, passes: Sequence[tuple[re.Pattern[str], _Builder]]) -> list[Quantity]:
    # One byte per character: 1 once a pass has claimed it. Overlap is a C-level find.
    claimed = bytearray(len(text))
    found: list[Quantity] = []
    for pattern, build in passes:
        for m in pattern.finditer(text):
            span = build(text, m)
            if span is None or claimed.find(1, span.start, span.end) != -1:
                continue
            claimed[span.start : span.end] = b"\x01" * (span.end - span.start)
            if span.kind is not None:
                found.append(
                    Quantity(
                        value=span.value,
                        unit=span.unit,
                        raw=text[span.start : span.end],
                        start=span.start,
                        end=span.end,
                        kind=span.kind,
                    )
                )
    found.sort(key=lambda q: q.start)
    return found


# --------------------------------------------------------------------------------------
# Formatting and comparison.
# --------------------------------------------------------------------------------------

_SYMBOLS: dict[str, str] = {"USD": "$", "EUR": "\u20ac", "JPY": "\u00a5", "GBP": "\u00a3"}
_SCALE_NAMES: tuple[tuple[float, str], ...] = (
    (1e12, "trillion"),
    (1e9, "billion"),
    (1e6, "million"),
)


def _plain(x: float) -> str:
    """A number with thousands separators and at most three decimals: "55,000", "18.5"."""
    if x == int(x):
        return f"{int(x):,}"
    text = f"{x:,.3f}".rstrip("0").rstrip(".")
    # A tiny value would round to "0": show it in full rather than lie.
    return text if text not in ("0", "-0") else repr(x)


def _with_scale(x: float) -> str:
    """A number with a scale word from a million up: "4.5 billion", "300 million", "55,000"."""
    for size, name in _SCALE_NAMES:
        if abs(x) >= size:
            return f"{_plain(x / size)} {name}"
    return _plain(x)


def _ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd"."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"  # 11th, 12th, 13th: the teens are irregular
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_value(q: Quantity) -> str:
    """A short human form of a quantity's normalised value and unit.

    "2% of GDP", "0.5 pp", "$4.5 billion", "¥20 trillion", "55,000 troops", "1 million jobs",
    "2030" (also for the deadline "by 2030"), "2nd".
    """
    if not math.isfinite(q.value):
        return f"{q.value} {q.unit}".strip()
    if q.kind == "percent":
        number = _plain(q.value)
        return f"{number}{q.unit}" if q.unit.startswith("%") else f"{number} {q.unit}"
    if q.kind == "money":
        symbol = _SYMBOLS.get(q.unit)
        amount = _with_scale(q.value)
        return f"{symbol}{amount}" if symbol else f"{amount} {q.unit}"
    if q.kind == "count":
        return f"{_with_scale(q.value)} {q.unit}".strip()
    if q.kind == "year":
        # A deadline and a plain year read the same; the unit ("by-year") keeps them apart.
        return str(int(q.value))
    if q.kind == "rank":
        return _ordinal(int(q.value))
    return f"{_plain(q.value)} {q.unit}".strip()


def quantity_key(q: Quantity) -> tuple[str, str]:
    """``(kind, unit)``: two quantities are comparable (e.g. in paired claims) iff keys match."""
    return q.kind, q.unit
