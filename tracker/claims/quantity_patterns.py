"""What a figure looks like: the regular expressions and word lists of the quantity passes.

Data for ``quantities``, which turns each match into a ``Quantity`` (and documents the
passes and their order). Patterns are raw strings; ``re`` itself decodes the \\uXXXX
escapes (written as escapes because dashes and quotes that look like ASCII are easy to
mistype).
"""

from __future__ import annotations

import re
from decimal import Decimal

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

# Greenhouse-gas amounts, the figures of an emissions target: "65 MtCO2e", "536 MtCO2eq",
# "1.2 Gt CO2e", "523 Mt", "815 megatonnes", "51.2 million tonnes of CO2 equivalent",
# "100,000 tonnes of carbon dioxide", "1.457 Gg CO2e" and intensities ("0.113 kgCO2e/S$",
# "8 tonnes of CO2e per capita"). A plain tonne ("tonnes of steel") is a count, not an
# emission: it needs a gas after it; kt, Mt, Gt and their spelt forms are emissions alone.
_GAS = (
    r"(?:CO2|CO\u2082)(?:\s?-?\s?(?i:eq|e|equivalents?)\b)?"
    r"|(?i:carbon\s{1,2}dioxide|greenhouse\s{1,2}gas(?:es)?)(?:\s{1,2}(?i:equivalents?))?"
    r"|GHGs?\b"
)
_EMISSIONS = re.compile(
    rf"{_LB}{_num('a')}(?:\s?{_DASH}\s?{_num('b')})?"
    rf"(?:\s{{1,3}}(?P<scale>{_SCALE_WORD}))?\s{{0,2}}"
    r"(?:"
    # An abbreviation, glued to the gas or not: "MtCO2e", "Mt CO2-eq", "Mt".
    rf"(?P<abbr>MMT|[kMG]t|Gg|Tg|kg|t)(?:\s?(?P<gas1>{_GAS})|(?!\w))"
    # A word: "megatonnes", "million tonnes of CO2 equivalent", "metric tons of carbon dioxide".
    r"|(?P<word>(?i:(?:kilo|mega|giga)?(?:metric\s{1,2})?(?:tonnes?|tons?)))\b"
    rf"(?:\s{{1,3}}(?i:of)\s{{1,3}}(?P<gas2>{_GAS})|\s{{0,2}}(?P<gas3>{_GAS}))?"
    r")"
    # An intensity: "/S$", "per capita", "per unit of GDP".
    r"(?:\s?/\s?(?P<per1>S\$|US\$|\$|GDP|[A-Za-z]{2,12})"
    r"|\s{1,3}(?i:per)\s{1,3}(?P<per2>(?i:capita|person|head|unit\s{1,2}of\s{1,2}GDP)"
    r"|S\$\s?GDP|GDP))?"
    r"(?!\w)"
)
_MASS_FACTOR: dict[str, Decimal] = {
    "kg": Decimal("0.001"),
    "t": Decimal(1),
    "kt": Decimal(10) ** 3,
    "gg": Decimal(10) ** 3,  # a gigagram is a thousand tonnes
    "mt": Decimal(10) ** 6,
    "mmt": Decimal(10) ** 6,  # million metric tons
    "tg": Decimal(10) ** 6,
    "gt": Decimal(10) ** 9,
    "kilo": Decimal(10) ** 3,
    "mega": Decimal(10) ** 6,
    "giga": Decimal(10) ** 9,
}

# What an intensity is per, as written ("S$", "per capita") to one spelling.
_PER: dict[str, str] = {
    "s$": "SGD",
    "us$": "USD",
    "$": "USD",
    "gdp": "GDP",
    "unit of gdp": "GDP",
    "s$gdp": "SGD of GDP",
    "s$ gdp": "SGD of GDP",
    "capita": "capita",
    "person": "capita",
    "head": "capita",
}

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
