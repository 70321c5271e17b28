"""The claim pipeline's fast paths give exactly what the general code gives.

Cleanup skips the markup passes a paragraph cannot match, keeps the offsets of unedited text
as one start offset, searches end-anchored patterns only at the end, and rules out
boilerplate with substring tests; clause splitting visits only the characters that change its
state. Each shortcut is compared here with the code as it was before it (kept below as the
reference), on generated text full of the characters the shortcuts reason about.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tracker.claims.cleanup as cleanup
import tracker.claims.line_kinds as line_kinds
import tracker.claims.markup as markup
import tracker.claims.sentence_ends as sentence_ends
import tracker.claims.split as split
from tests.conftest import seed_manifest, seed_text
from tracker.claims import extract_claims
from tracker.claims.cleanup import clean_blocks
from tracker.claims.mapped import Mapped

# -- the reference: the code before the fast paths ------------------------------------------


def _ref_keep_groups(text: str, offs: list[int], pattern: re.Pattern[str]) -> tuple[str, list[int]]:
    parts: list[str] = []
    out: list[int] = []
    pos = 0
    for match in pattern.finditer(text):
        parts.append(text[pos : match.start()])
        out.extend(offs[pos : match.start()])
        for group in range(1, (pattern.groups or 0) + 1):
            g_start, g_end = match.span(group)
            if g_start >= 0:
                parts.append(text[g_start:g_end])
                out.extend(offs[g_start:g_end])
        pos = match.end()
    if pos == 0:
        return text, offs
    parts.append(text[pos:])
    out.extend(offs[pos:])
    return "".join(parts), out


def _ref_collapse(text: str, offs: list[int]) -> tuple[str, list[int]]:
    parts: list[str] = []
    out: list[int] = []
    pos = 0
    for match in re.finditer(r"\s+", text):
        if match.group() == " ":
            continue
        parts.append(text[pos : match.start()])
        out.extend(offs[pos : match.start()])
        parts.append(" ")
        out.append(offs[match.start()])
        pos = match.end()
    if pos == 0:
        return text, offs
    parts.append(text[pos:])
    out.extend(offs[pos:])
    return "".join(parts), out


def _ref_strip_inline(m: Mapped) -> Mapped:
    text, offs = m.text, list(m.offsets)
    for pattern in (
        markup._LINK, markup._ESCAPE, markup._BOLD, markup._ITALIC,
        markup._SPACE_BEFORE_PUNCT,
    ):  # fmt: skip
        text, offs = _ref_keep_groups(text, offs, pattern)
    text, offs = _ref_collapse(text, offs)
    left = len(text) - len(text.lstrip())
    right = max(left, len(text.rstrip()))
    return Mapped(text[left:right], array("q", offs[left:right]))


def _ref_top_level_commas(text: str) -> list[int]:
    depth = 0
    quoted = False
    out = []
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch in '“”"':
            quoted = not quoted if ch == '"' else ch == "“"
        elif ch == "," and depth == 0 and not quoted:
            out.append(i)
    return out


# The modules that define or call a shortcut: each binds it under its own name, so each
# binding is replaced.
_BINDERS = (cleanup, line_kinds, markup, sentence_ends, split)


@contextmanager
def _general_paths() -> Iterator[None]:
    """Run cleanup and splitting with every shortcut replaced by the reference."""
    references: list[tuple[object, object]] = [
        (markup.strip_inline, _ref_strip_inline),
        (line_kinds.is_boilerplate, lambda text: bool(line_kinds._BOILERPLATE.search(text))),
        (
            sentence_ends.ends_on_function_word,
            lambda text: bool(sentence_ends._FUNCTION_END.search(text)),
        ),
        (split._top_level_commas, _ref_top_level_commas),
    ]
    saved = []
    for module in _BINDERS:
        for name, value in list(vars(module).items()):
            for fast, ref in references:
                if value is fast:
                    saved.append((module, name, value))
                    setattr(module, name, ref)
    # Where the shortcuts are called: a move that left one unpatched would compare the fast
    # paths with themselves.
    assert {f"{m.__name__.rsplit('.', 1)[-1]}.{n}" for m, n, _ in saved} >= {
        "cleanup.strip_inline",
        "cleanup.ends_on_function_word",
        "sentence_ends.ends_on_function_word",
        "line_kinds.is_boilerplate",
        "split._top_level_commas",
    }
    try:
        yield
    finally:
        for module, name, value in saved:
            setattr(module, name, value)


def _blocks(text: str, hard_wrapped: bool) -> list[tuple[str, str, list[int], str | None]]:
    return [
        (b.kind, b.text, list(b.m.offsets), b.section)
        for b in clean_blocks(text, hard_wrapped=hard_wrapped)
    ]


# -- generated text ---------------------------------------------------------------------------

# Markup, white space of every kind, the four non-ASCII letters that case-insensitive regexes
# fold to ASCII, boilerplate and function words in both cases, brackets and quotes.
PIECES = [
    *"aA.,;:!?*_#[]()\\$-–—/&“”\"'’{}\n\r \t\u00a0\u2028\x0c\u00ad0123456789%",
    "\u0130", "\u0131", "\u017f", "\u212a", "  ", "\n\n", "**", "__", "](#)", "[link](#)",
    "# ", "- ", "1. ", "\\$", " .", " ,", "word", "Word", "We will", "the", "The", "Including",
    "INCLUDING", "and", "of", "between", "a", "ALL RIGHTS RESERVED", "all rights reserved",
    "Share this", "tags:", "Download the PDF", "views expressed", "Subscribe to",
    "would like to thank", "editorial independence", "This article was originally published",
    "accept all cookies", "full list of our supporters", "nonpartisan organization",
    "are solely those of the authors", "Sign up for our newsletter", "Read more", "Related",
    "(Getty/A/B)", "PISM BULLETIN",
    "Jonas Berg", " is a senior fellow at ", "U.S.", "e.g.", ", and ", "; ", " whereas ",
    "increasing", "build", "per cent", "£5 billion", "Japan will raise spending",
]  # fmt: skip
pieced = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)
any_text = st.one_of(st.text(), pieced)


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_strip_inline_fast_path_equals_the_reference(text: str) -> None:
    for m in (Mapped.of(text, 7), Mapped(text, array("q", range(3, 3 + 2 * len(text), 2)))):
        fast, ref = markup.strip_inline(m), _ref_strip_inline(m)
        assert (fast.text, list(fast.offsets)) == (ref.text, list(ref.offsets))


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_pattern_shortcuts_equal_the_patterns(text: str) -> None:
    assert line_kinds.is_boilerplate(text) == bool(line_kinds._BOILERPLATE.search(text))
    assert sentence_ends.ends_on_function_word(text) == bool(
        sentence_ends._FUNCTION_END.search(text)
    )
    assert split._top_level_commas(text) == _ref_top_level_commas(text)


def test_pattern_shortcuts_on_each_piece_alone_and_in_context() -> None:
    for piece in PIECES:
        for text in (piece, piece.upper(), f"Xa {piece}", f"{piece} of", f"- {piece}\n"):
            assert line_kinds.is_boilerplate(text) == bool(line_kinds._BOILERPLATE.search(text))
            assert sentence_ends.ends_on_function_word(text) == bool(
                sentence_ends._FUNCTION_END.search(text)
            )
            fast, ref = markup.strip_inline(Mapped.of(text)), _ref_strip_inline(Mapped.of(text))
            assert (fast.text, list(fast.offsets)) == (ref.text, list(ref.offsets))


@settings(max_examples=200, deadline=None)
@given(any_text, st.booleans())
def test_cleanup_and_claims_equal_the_general_paths(text: str, hard_wrapped: bool) -> None:
    fast_blocks, fast_claims = _blocks(text, hard_wrapped), extract_claims(text)
    with _general_paths():
        assert _blocks(text, hard_wrapped) == fast_blocks
        assert extract_claims(text) == fast_claims


@pytest.mark.evaluation
def test_general_paths_on_the_seed_briefs() -> None:
    for brief in seed_manifest():
        text = seed_text(brief["file"][:3])
        fast_blocks, fast_claims = _blocks(text, False), extract_claims(text)
        assert len(fast_claims) > 20
        with _general_paths():
            assert _blocks(text, False) == fast_blocks
            assert extract_claims(text) == fast_claims


def test_the_shortcuts_really_fire() -> None:
    """The comparisons above would be empty if every input took the general path."""
    assert line_kinds.is_boilerplate("All Rights Reserved 2024")
    assert line_kinds.is_boilerplate("ALL RIGHTS RE\u017fERVED")  # the long s folds to "s"
    assert not line_kinds.is_boilerplate("We will raise spending.")
    assert sentence_ends.ends_on_function_word("a sentence cut after the")
    assert not sentence_ends.ends_on_function_word("a sentence that ends.")
    assert not sentence_ends.ends_on_function_word("ends on the\u212a")  # no word boundary
    plain = Mapped.of("One plain line of prose.", 40)
    assert markup.strip_inline(plain) is plain
    assert markup.strip_inline(Mapped.of("a  **b**", 0)).text == "a b"


# -- stance words: a text with no apostrophe and no "cannot" is split as it stands -----------

_STANCE_ALPHABET = st.sampled_from(
    ["we", "will", "not", "cannot", "can't", "won't", "don't", "x's", "'", "-", "/", " ", "no"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_STANCE_ALPHABET, max_size=30).map("".join))
def test_stance_words_fast_path_equals_spelling_every_word_out(text: str) -> None:
    import tracker.compare.stance as stance

    words = stance._STANCE_TOKEN.findall(text.replace("-", " ").replace("/", " "))
    spelt = [p for w in words for p in stance._uncontracted(w.removesuffix("'s").strip("'"))]
    assert stance._words(text) == spelt


# -- stance: a pair whose stance words cannot oppose each other is not read for marks -------

_STANCE_SENTENCE = st.lists(
    st.sampled_from(
        [
            "we",
            "will",
            "may",
            "aim",
            "to",
            "not",
            "won't",
            "no",
            "without",
            "cut",
            "raise",
            "reduce",
            "increase",
            "support",
            "oppose",
            "end",
            "the",
            "tariffs",
            "nuclear",
            "power",
            "use",
            "of",
            "dependence",
            "-",
            "targets",
            "plan",
            "should",
            "must",
        ]
    ),
    min_size=1,
    max_size=14,
).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(_STANCE_SENTENCE, _STANCE_SENTENCE)
def test_stance_precheck_changes_no_result(old: str, new: str) -> None:
    import tracker.compare.flips as flips
    from tests.conftest import claim_ref

    a, b = claim_ref(old), claim_ref(new, brief=2)
    fast = flips.stance_changes(a, b)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(flips, "may_flip", lambda _a, _b: True)
        assert flips.stance_changes(a, b) == fast


def test_stance_precheck_skips_pairs_that_cannot_flip() -> None:
    from tracker.compare.stance import may_flip, stance_classes, words

    def classes(text: str) -> frozenset[str]:
        return stance_classes(words(text))

    firm = classes("we will raise the levy")
    assert not may_flip(firm, classes("we will raise the levy further"))
    assert may_flip(firm, classes("we may raise the levy"))  # firm → tentative
    assert may_flip(firm, classes("we will cut the levy"))  # up → down
    assert may_flip(firm, classes("we won't raise the levy"))  # a contracted negator
