"""Sentence segmentation of cleaned prose paragraphs, with character offsets.

A rule-based splitter with an abbreviation list (see benchmarks/README.md for how it compares
with blingfire, pysbd and syntok on the seed briefs). Policy prose is dense with "U.S.",
"e.g.", initials ("Marcos Jr."), decimals and quoted speech; those are the cases the rules
below exist for. Paragraph breaks are hard boundaries, so the splitter only sees one
paragraph at a time, which also keeps its cost linear.
"""

from __future__ import annotations

import re

# Lower-cased tokens (without their final period) after which a period does not end a sentence.
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "mt",
        "ft",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "adm",
        "gov",
        "sen",
        "rep",
        "rev",
        "hon",
        "pres",
        "amb",
        "sec",
        "dept",
        "univ",
        "inc",
        "ltd",
        "co",
        "corp",
        "llc",
        "plc",
        "bros",
        "est",
        "approx",
        "vs",
        "etc",
        "al",
        "cf",
        "ca",
        "e.g",
        "i.e",
        "viz",
        "no",
        "nos",
        "vol",
        "vols",
        "fig",
        "figs",
        "p",
        "pp",
        "para",
        "art",
        "sect",
        "ch",
        "op",
        "ed",
        "eds",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "a.m",
        "p.m",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "u.s.a",
        "d.c",
        "n.y",
    ]
)

# A candidate boundary: terminal punctuation, optional closing quotes/brackets, white space.
_BOUNDARY = re.compile(r"([.!?…]+)([\"'”’)\]]*)(\s+)")
_WORD_BEFORE = re.compile(r"([\w.'’-]+)$")
# What may start a sentence: a capital, a digit, an opening quote or bracket.
_STARTER = re.compile(r"[\"“‘'(\[]*[A-Z0-9]")


def _is_abbreviation(token: str) -> bool:
    low = token.lower().rstrip(".")
    if low in ABBREVIATIONS:
        return True
    # Initials and dotted acronyms: "J." "U.S" "e.g"
    return (
        bool(re.fullmatch(r"(?:[a-z]\.)*[a-z]", low))
        and len(low.replace(".", "")) <= 3
        and ("." in low or len(low) == 1)
    )


# Abbreviations are short; a longer token before a period is never one. Looking back only this
# far keeps a paragraph of many non-final periods ("Dr. Dr. Dr. ...") linear.
_MAX_TOKEN = 40


def _token_before(text: str, start: int, end: int) -> str:
    """The word (letters, digits, dots, apostrophes, hyphens) that ends at ``end``."""
    window = max(start, end - _MAX_TOKEN - 1)
    word = _WORD_BEFORE.search(text, window, end)
    if word is None:
        return ""
    if word.start(1) == window and window > start:
        return ""  # longer than any abbreviation
    return word.group(1)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of the sentences in one paragraph of ``text``.

    Spans exclude the white space between sentences. A paragraph without terminal
    punctuation is one sentence.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    while start < n and text[start].isspace():
        start += 1
    for match in _BOUNDARY.finditer(text):
        end = match.end(2)
        nxt = match.end()
        if nxt >= n or end <= start:
            continue
        if not _STARTER.match(text, nxt):
            continue
        punct = match.group(1)
        if punct == ".":
            token = _token_before(text, start, match.start(1) + 1)
            # "the U.S. The next sentence" is ambiguous; a following lower-case word or a
            # capitalised name after a title abbreviation keeps the sentence going, but a
            # dotted country acronym followed by a common sentence opener ends it.
            if _is_abbreviation(token) and not _acronym_ends_sentence(token, text, nxt):
                continue
        spans.append((start, end))
        start = nxt
    end = len(text.rstrip())
    if end > start:
        spans.append((start, end))
    return spans


_OPENERS = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "these",
        "that",
        "those",
        "it",
        "its",
        "in",
        "on",
        "at",
        "for",
        "but",
        "and",
        "however",
        "moreover",
        "yet",
        "so",
        "such",
        "they",
        "we",
        "he",
        "she",
        "there",
        "while",
        "although",
        "as",
        "after",
        "before",
        "since",
        "when",
        "if",
        "our",
        "their",
    ]
)


def _acronym_ends_sentence(token: str, text: str, nxt: int) -> bool:
    """After "U.S." or "D.C.", a typical sentence opener means the sentence did end."""
    low = token.lower().rstrip(".")
    if low in {"etc", "a.m", "p.m"}:
        # These end a list or a time; a capital after them starts a new sentence.
        return bool(re.match(r"[\"“‘'(]*[A-Z]", text[nxt : nxt + 5]))
    if low not in {"u.s", "u.k", "u.n", "e.u", "u.s.a", "d.c", "n.y"}:
        return False
    following = re.match(r"[\"“‘'(]*([A-Za-z]+)", text[nxt : nxt + 40])
    if following is None:
        return False
    word = following.group(1)
    return word.lower() in _OPENERS and word[0].isupper()


# Dotted acronyms that can end a sentence ("... ships were sold to the U.S."): after them a
# capital may start a new sentence, a lower-case word cannot.
_ACRONYMS = frozenset(["u.s", "u.k", "u.n", "e.u", "u.s.a", "d.c", "n.y"])
# Abbreviations that usually close a list or a time, and so often end a sentence.
_CLOSING = frozenset(["etc", "a.m", "p.m"])


def ends_on_abbreviation(text: str) -> str | None:
    """Whether ``text`` (a line, say) ends on an abbreviation's period, and of what kind.

    ``"acronym"`` for a dotted acronym that may or may not end the sentence ("the U.S."),
    ``"title"`` for one that never does ("Dr.", "Prime Minister Narendra J.", "e.g."), else
    ``None`` (no period, or an ordinary sentence end).
    """
    stripped = text.rstrip()
    if not stripped.endswith("."):
        return None
    token = _token_before(stripped, 0, len(stripped))
    if not token or not _is_abbreviation(token):
        return None
    low = token.lower().rstrip(".")
    if low in _CLOSING:
        return None
    if low in ("e.g", "i.e"):
        return "title"
    if low in _ACRONYMS or re.fullmatch(r"(?:[a-z]\.){1,3}[a-z]", low):
        return "acronym"
    return "title"
