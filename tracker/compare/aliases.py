"""Acronyms the briefs define themselves, so that a long form and its short form match.

A brief writes "the open radio access network (Open RAN)" once and "Open RAN" after that;
an NDC defines "greenhouse gas (GHG)" and then speaks of "GHG emissions"; the next year's
brief may use either form. To the lexical evidence these are different words. The matcher
collects every definition written in either selection of a diff and, in each claim's
content tokens, adds the other form of any defined term it uses: a claim that says "GHG"
also carries "greenhous gas", and one that says "greenhouse gas" also carries "ghg". Tokens
are only added, never removed, and only for definitions the diff's own text makes.

Definitions are found with the Schwartz & Hearst (2003) rule: the short form sits in
parentheses right after its long form, and its letters occur, in order, in the words before
it, the first letter opening the first word of the long form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tracker.compare.candidates import background
from tracker.compare.features import content_tokens

# "(GHG)", "(Open RAN)", "(K-ETS)", "(LULUCF)": one or two words, 2-12 characters, a capital.
_DEFINED = re.compile(r"\(([A-Za-z][\w&.\-]*(?: [A-Za-z][\w&.\-]*)?)\)")
_WORDS_BEFORE = re.compile(r"[\w'’&.\-]+")
# Two-letter short forms that are also English words: lower-cased, "US" is "us".
_WORDS_TOO = frozenset({"am", "an", "as", "at", "be", "by", "do", "go", "he", "if", "in", "is"})
_WORDS_TOO |= frozenset({"it", "me", "my", "no", "of", "on", "or", "so", "to", "up", "us", "we"})


@dataclass(frozen=True, slots=True)
class Alias:
    """One defined term: its short form as written, and the content tokens of both forms."""

    written: str  # "GHG", "Open RAN": a claim uses the short form only in this case
    short: tuple[str, ...]
    long: tuple[str, ...]

    def used_in(self, text: str) -> bool:
        """Whether ``text`` writes the short form as a word, in its defined case.

        Lower-cased, many short forms are words ("ACT", "FIRST", "STEM"): only the case the
        brief defined is the term.
        """
        return (
            self.written in text and re.search(rf"\b{re.escape(self.written)}\b", text) is not None
        )


def _long_form(short: str, words: list[str]) -> str | None:
    """The long form of ``short`` ending the ``words`` before it (Schwartz & Hearst), or None."""
    text = " ".join(words)
    s, k = len(short) - 1, len(text) - 1
    while s >= 0:
        char = short[s].lower()
        if not char.isalnum():
            s -= 1
            continue
        # The short form's first character must open a word of the long form.
        while k >= 0 and (text[k].lower() != char or (s == 0 and k > 0 and text[k - 1].isalnum())):
            k -= 1
        if k < 0:
            return None
        k -= 1
        s -= 1
    start = text.rfind(" ", 0, k + 1) + 1
    return text[start:]


def definitions(texts: Iterable[str]) -> tuple[Alias, ...]:
    """Every acronym definition written in ``texts``, in a stable order, without repeats."""
    found: dict[tuple[str, ...], tuple[str, tuple[str, ...]]] = {}
    for text in texts:
        if "(" not in text:  # most claims define nothing
            continue
        for m in _DEFINED.finditer(text):
            short = m.group(1)
            letters = [c for c in short if c.isalnum()]
            if not (2 <= len(letters) <= 12) or sum(c.isupper() for c in short) < 2:
                continue  # "(see above)", "(a)", "(2030)": not an acronym
            if short.lower() in _WORDS_TOO:
                continue
            before = _WORDS_BEFORE.findall(text[: m.start()])
            window = before[-min(len(letters) + 5, 2 * len(letters)) :]
            long = _long_form(short, window)
            if long is None or len(long.split()) < 2:
                continue
            short_tokens = content_tokens(short.lower())
            long_tokens = content_tokens(long.lower())
            if not short_tokens or len(long_tokens) < 2 or set(short_tokens) <= set(long_tokens):
                continue
            if any(t.startswith("a:") for t in (*short_tokens, *long_tokens)):
                continue  # a country or organisation: actors are matched as actors already
            found.setdefault(short_tokens, (short, long_tokens))
    return tuple(Alias(w, s, lf) for s, (w, lf) in sorted(found.items()))


def _contains(tokens: Sequence[str], part: tuple[str, ...]) -> bool:
    n = len(part)
    if n == 1:
        return part[0] in tokens
    first = part[0]
    return any(
        tokens[i] == first and tuple(tokens[i : i + n]) == part for i in range(len(tokens) - n + 1)
    )


class Expander:
    """Adds to a claim's tokens the other form of every defined term it uses."""

    def __init__(self, aliases: Sequence[Alias]) -> None:
        # A claim uses a form of a defined term only if it holds every token of it: index
        # each form by its rarest token in background prose ("servic" of "nation health
        # servic" is rarer than "nation"), so most claims cost one set test.
        df = background().df
        self._by_token: dict[str, list[tuple[int, Alias]]] = {}
        for k, alias in enumerate(aliases):
            for token in {
                min(form, key=lambda t: (df.get(t, 0), t)) for form in (alias.short, alias.long)
            }:
                self._by_token.setdefault(token, []).append((k, alias))

    def __call__(self, tokens: tuple[str, ...], text: str) -> tuple[str, ...]:
        """``tokens`` (of the claim ``text``) with the missing form of each term it uses."""
        by_token = self._by_token
        if not by_token or by_token.keys().isdisjoint(tokens):
            return tokens
        present = set(tokens)
        hits = sorted({hit for t in present for hit in by_token.get(t, ())})
        added: list[str] = []
        for _, alias in hits:
            # Most hits share only a first token ("national"): the set test rules them out
            # before the scan for the form's tokens in order.
            has_short = present.issuperset(alias.short) and _contains(tokens, alias.short)
            has_long = present.issuperset(alias.long) and _contains(tokens, alias.long)
            if has_short and not has_long and alias.used_in(text):
                added.extend(alias.long)
            elif has_long and not has_short:
                added.extend(alias.short)
        return tokens + tuple(added) if added else tokens
