"""Where a sentence ends: the rules ``clean_blocks`` rejoins broken sentences by.

Extraction breaks sentences at line ends, page breaks and removed running headers. A line
ends its sentence when it ends on a stop that is no abbreviation's; a line that ends on a
comma or a function word ("of", "the", "including") goes on; a short line without sentence
punctuation may be a heading, and then only the grammar of the next line joins it.
"""

from __future__ import annotations

import re

from tracker.claims.segment import ends_on_abbreviation

# A stop at the end of a text, after any closing quotes or brackets.
TERMINAL = re.compile(r"[.!?:;][\"'”’)\]]*$")
# One sentence ending and the next starting inside a line.
_INNER_SENTENCE_END = re.compile(r"[a-z0-9)%\"”’][.!?][\"'”’)]*\s+[A-Z\"“]")
# A text that ends on a word or a mark the sentence must go on after.
_FUNCTION_END = re.compile(
    r"(?:\b(?:a|an|the|and|or|but|nor|of|to|in|on|at|by|for|from|with|as|than|that|which|who|"
    r"whose|its|their|his|her|our|is|are|was|were|be|been|has|have|had|will|would|can|could|"
    r"should|may|might|must|into|onto|over|under|between|among|about|including|such|both|"
    r"this|these|those|not|more|less|most|using|through|within|towards?|against|during|"
    r"without|across|upon|via|whether)|[,\-–—(/&])$",
    re.IGNORECASE,
)


# The longest text ``_FUNCTION_END`` can match ("including", or a stop before a final newline).
_FUNCTION_END_REACH = 12


def ends_on_function_word(text: str) -> bool:
    """``_FUNCTION_END.search(text)``, looking only at the end of ``text``.

    The pattern is anchored at the end, so a search of the whole text tries (and fails at)
    every earlier position. ``\\b`` still sees the character before the window.
    """
    last = text[-1:]
    # A match ends on a letter, one of the marks, or a final newline: a sentence that ends on
    # a stop (most prose) is ruled out without a search.
    if not (last.isalpha() or last in ",-–—(/&\n"):
        return False
    return bool(_FUNCTION_END.search(text, max(0, len(text) - _FUNCTION_END_REACH)))


def title_cased(text: str) -> bool:
    """Every word longer than three letters starts in capitals or a digit ("Pricing Carbon
    Pollution", "2.1 Scope and Coverage")."""
    content = [w for w in text.split() if len(w) > 3]
    return all(w[:1].isupper() or w[:1].isdigit() or not w[:1].isalpha() for w in content)


def looks_like_heading(text: str) -> bool:
    """A short line with no sentence punctuation: a title, section heading or byline."""
    if TERMINAL.search(text):
        return False
    return len(text.split()) <= 20 and not _INNER_SENTENCE_END.search(text)


def ends_sentence(prev: str, nxt: str) -> bool:
    """Whether ``prev`` ends a sentence, given the text ``nxt`` that follows it.

    A stop after an abbreviation at the end of a line ("Dr.", "Donald J.", "the U.S.") is not
    a sentence end when the text goes on in lower case, or after a title or an initial.
    """
    if not TERMINAL.search(prev):
        return False
    kind = ends_on_abbreviation(prev)
    if kind is None:
        return True
    if kind == "acronym":
        return not nxt[:1].islower()
    return False


def continues(prev: str, nxt: str, *, nxt_is_heading_like: bool) -> bool:
    """Whether ``nxt`` continues a sentence that extraction broke at the end of ``prev``.

    ``prev`` is prose (headings never reach here), so a missing final stop already says the
    sentence was cut. A short next line without punctuation could be a real heading, though:
    then it only continues when the grammar says so (lower-case start, or ``prev`` ending on a
    comma or a function word).
    """
    if ends_sentence(prev, nxt):
        return False
    if not nxt_is_heading_like:
        return True
    return nxt[:1].islower() or nxt[:1] in ",;:)—–" or ends_on_function_word(prev)
