"""Line-end hyphens: a word split by the line break, or a compound the wrap broke at.

Both readers meet them: PDF text ("emis-" / "sions", "fourth-" / "largest") and hard-wrapped
text, whose wrappers break after a compound's hyphen ("longer-" / "term"). The document's own
words decide, the same way in both.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

# What is stripped from a word before it is counted, and from a line's next word before it
# is looked up: punctuation around it, not the hyphen itself.
_AROUND = ".,;:()\"'“”’"
_AFTER = ".,;:)\"'”’"


def word_counts(words: Iterable[str]) -> Counter[str]:
    """How often each word (lower case, punctuation around it stripped) occurs: the
    vocabulary :func:`dehyphenate` consults."""
    return Counter(w.lower().strip(_AROUND) for w in words)


def dehyphenate(
    head: str, tail: str, vocabulary: Counter[str], *, compound_first: bool = False
) -> str:
    """``emis`` + ``sions`` → ``emissions``; ``fourth`` + ``largest`` → ``fourth-largest``.

    The document decides: the word as one (without its trailing punctuation) is more common in
    it than as a compound, else the hyphen stays when both halves are words of the document.
    ``compound_first`` keeps the hyphen whenever the word as one is not the more common:
    for text a wrapper broke into lines, which breaks after a compound's hyphen and never
    splits a word ("longer-" / "term", though "longer" occurs nowhere else).
    """
    word = tail.rstrip(_AFTER)
    joined, compound = (head + word).lower(), f"{head}-{word}".lower()
    if vocabulary[joined] > vocabulary[compound]:
        return head + tail
    if (
        compound_first
        or vocabulary[compound]
        or (vocabulary[head.lower()] and vocabulary[word.lower()])
    ):
        return f"{head}-{tail}"
    return head + tail
