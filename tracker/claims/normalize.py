"""Canonical text of a claim, for matching and hashing.

Two briefs state one position in different spellings and forms: "defence" and "defense",
"1 percent of gross domestic product" and "1% of GDP", "the U.S." and "the United States".
``normalize`` folds those into one form so that lexical matching compares meaning-bearing
words, not house styles. The result is lower-case, ASCII punctuation, single-spaced.
"""

from __future__ import annotations

import re
import unicodedata

_PUNCT = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": " - ",
        "‐": "-",
        "…": "...",
        "\u00a0": " ",
    }
)

# British → American spellings seen in policy prose, plus the generic -ise/-isation family.
_SPELLING = {
    "defence": "defense",
    "offence": "offense",
    "licence": "license",
    "labour": "labor",
    "centre": "center",
    "centres": "centers",
    "programme": "program",
    "programmes": "programs",
    "favour": "favor",
    "behaviour": "behavior",
    "neighbour": "neighbor",
    "neighbours": "neighbors",
    "honour": "honor",
    "endeavour": "endeavor",
    "fulfil": "fulfill",
    "analyse": "analyze",
    "catalogue": "catalog",
    "dialogue": "dialog",
    "enrol": "enroll",
    "travelling": "traveling",
    "modelling": "modeling",
    "aluminium": "aluminum",
    "sulphur": "sulfur",
    "tonnes": "tons",
    "tonne": "ton",
    "judgement": "judgment",
}
_ISE = re.compile(r"\b(\w{3,})is(e|es|ed|ing|ation|ations)\b")
# Every match of _ISE contains one of these.
_ISE_HINTS = ("ise", "ising", "isation")
_ISE_KEEP = frozenset(
    [
        "advise",
        "advised",
        "advising",
        "comprise",
        "comprised",
        "compromise",
        "compromised",
        "despise",
        "enterprise",
        "enterprises",
        "exercise",
        "exercises",
        "exercised",
        "expertise",
        "franchise",
        "improvise",
        "merchandise",
        "premise",
        "premises",
        "promise",
        "promises",
        "promised",
        "promising",
        "revise",
        "revised",
        "revising",
        "supervise",
        "surprise",
        "surprised",
        "televise",
        "wise",
        "otherwise",
        "likewise",
        "raise",
        "raised",
        "raising",
        "praise",
        "praised",
        "rise",
        "arise",
        "arising",
        "arisen",
        "noise",
        "poise",
        "precise",
        "concise",
        "paradise",
        "treatise",
        "cruise",
        "cruises",
    ]
)

# (pattern, replacement, substrings one of which the text must contain for the pattern to
# match): the cheap `in` tests skip most of the regex scans, which dominated normalize.
_PHRASES: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = [
    (re.compile(r"\bgross domestic product\b"), "gdp", ("gross domestic product",)),
    # Before the percent rule, which would otherwise turn "percentage points" into "% points".
    (re.compile(r"\bpercentage points?\b"), "pp", ("percentage point",)),
    (re.compile(r"\bper\s?cent(?:age)?\b"), "%", ("cent",)),
    (re.compile(r"(\d)\s+%"), r"\1%", ("%",)),
    (
        re.compile(r"\b(?:the\s+)?united states of america\b|\bu\.s\.a\.?"),
        "usa",
        ("united states of america", "u.s.a"),
    ),
    (
        re.compile(r"\b(?:the\s+)?united states\b|\bu\.s\.(?=\W|$)|\bu\.s\b|\bus(?=-)"),
        "usa",
        ("united states", "u.s", "us-"),
    ),
    (
        re.compile(r"\b(?:the\s+)?united kingdom\b|\bu\.k\.(?=\W|$)|\bbritain\b"),
        "uk",
        ("united kingdom", "u.k.", "britain"),
    ),
    (re.compile(r"\beuropean union\b|\be\.u\.(?=\W|$)"), "eu", ("european union", "e.u.")),
    (
        re.compile(r"\bpeople's republic of china\b|\bprc\b"),
        "china",
        ("people's republic of china", "prc"),
    ),
    (
        re.compile(r"\bdemocratic people's republic of korea\b|\bdprk\b"),
        "north korea",
        ("democratic people's republic of korea", "dprk"),
    ),
    (re.compile(r"\bgreenhouse gas(?:es)?\b|\bghg\b"), "ghg", ("greenhouse gas", "ghg")),
    (re.compile(r"\bcarbon dioxide\b|\bco2\b"), "co2", ("carbon dioxide", "co2")),
]
# Upper-case "US" (the country) must be told from "us" (the pronoun) before lower-casing.
_US_UPPER = re.compile(r"\bUS\b|\bU\.S\.(?=\W|$)")
_SPACES = re.compile(r"\s+")
# A run of backslashes before the character goes at once (a doubled `\\$` too), so that
# normalize stays idempotent.
_DOLLAR_ESCAPE = re.compile(r"\\+([$*_#])")


def _ise(match: re.Match[str]) -> str:
    word = match.group(0)
    if word in _ISE_KEEP:
        return word
    return f"{match.group(1)}iz{match.group(2)}"


def normalize(text: str) -> str:
    """Fold spelling, abbreviations, punctuation and case into a canonical form."""
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT)
    if "\\" in text:
        text = _DOLLAR_ESCAPE.sub(r"\1", text)
    if "US" in text or "U.S." in text:
        text = _US_UPPER.sub("usa", text)
    text = text.lower()
    # Each hint test runs on the text as the previous passes left it, so a replacement that
    # creates a later pattern's input ("5 per cent" -> "5 %" -> "5%") is still seen.
    for pattern, repl, hints in _PHRASES:
        if any(hint in text for hint in hints):
            text = pattern.sub(repl, text)
    if any(hint in text for hint in _ISE_HINTS):
        text = _ISE.sub(_ise, text)
    words = text.split()
    return " ".join(_SPELLING.get(w, w) for w in words)


def canonical_document(text: str) -> str:
    """The form of a whole brief that its content hash is computed from.

    Only layout is folded (Unicode form, line endings, runs of white space): two files whose
    words differ are different briefs even if they normalise to the same claims.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _SPACES.sub(" ", text).strip()
