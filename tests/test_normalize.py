"""Normalisation folds, and properties of the claim pipeline on arbitrary text."""

from __future__ import annotations

import unicodedata
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tracker.claims.normalize as norm
from tracker.claims import extract_claims
from tracker.claims.cleanup import clean_blocks
from tracker.claims.normalize import canonical_document, normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Defence spending will rise.", "defense spending will rise."),
        ("the programme centre", "the program center"),
        ("1 percent of gross domestic product", "1% of gdp"),
        ("2 per cent of GDP", "2% of gdp"),
        ("36 %", "36%"),
        ("a rise of 2 percentage points", "a rise of 2 pp"),
        ("The U.S. and the United States", "the usa and usa"),
        ("US troops", "usa troops"),
        ("U.S.-Japan ties", "usa-japan ties"),
        ("the United States of America", "usa"),
        ("talk to us about it", "talk to us about it"),
        ("the United Kingdom and Britain", "uk and uk"),
        ("the European Union", "the eu"),
        ("the PRC and the DPRK", "the china and the north korea"),
        ("organisation and modernised forces", "organization and modernized forces"),
        ("a promise to revise the premises", "a promise to revise the premises"),
        ("\\$4.5 billion", "$4.5 billion"),
        ("“Peers” — ‘really’", "\"peers\" - 'really'"),
        ("  many\u00a0 spaces\n\tand lines ", "many spaces and lines"),
    ],
)
def test_known_folds(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_same_position_in_two_house_styles_normalises_equal() -> None:
    british = "Japan will raise defence spending to 2 per cent of gross domestic product."
    american = "Japan will raise defense spending to 2% of GDP."
    assert normalize(british) == normalize(american)


def test_doubled_escape_is_removed_in_one_pass() -> None:
    once = normalize("costs \\\\$5")
    assert once == "costs $5"
    assert normalize(once) == once


def test_canonical_document_folds_only_layout() -> None:
    assert canonical_document("A  brief\r\nwith lines\r") == "A brief with lines"
    assert canonical_document("defence") != canonical_document("defense")


# -- properties ----------------------------------------------------------------------------

MARKDOWN_PIECES = [
    *"ab A.U.S,;:!?*_#[]()\\$-–—“”'\"\n\r \t0123456789%\x0c\u2028",
    "**",
    "](#)",
    "# ",
    "\n\n",
    "U.S.",
    "e.g.",
    "- ",
    "1. ",
    "\\$",
    "[link](#)",
    "increasing",
    ", and ",
    "; ",
    " whereas ",
    "build",
    "(Getty/A/B)",
    " is a senior fellow at ",
    "Jonas Berg",
    "PISM BULLETIN",
    "per cent",
    "defence",
]
markdownish = st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=80).map("".join)
any_text = st.one_of(st.text(), markdownish)


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_normalize_is_idempotent_and_total(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert once == once.strip()
    assert "  " not in once


@settings(max_examples=200, deadline=None)
@given(any_text, st.booleans())
def test_clean_blocks_offsets_are_in_bounds_and_increasing(text: str, hard_wrapped: bool) -> None:
    for block in clean_blocks(text, hard_wrapped=hard_wrapped):
        offsets = list(block.m.offsets)
        assert len(offsets) == len(block.text)
        assert all(0 <= o < len(text) for o in offsets)
        assert all(a < b for a, b in pairwise(offsets))
        assert block.kind in ("text", "heading")


@settings(max_examples=200, deadline=None)
@given(any_text, st.booleans())
def test_extract_claims_spans_are_in_bounds(text: str, hard_wrapped: bool) -> None:
    previous_start = 0
    for claim in extract_claims(text, hard_wrapped=hard_wrapped):
        assert 0 <= claim.start < claim.end <= len(text)
        assert claim.start >= previous_start
        previous_start = claim.start
        assert claim.text and claim.text == claim.text.strip()
        assert claim.norm_text == normalize(claim.text)
        for quantity in claim.quantities:
            assert claim.start <= quantity.start < quantity.end <= claim.end


# -- the hint tests that skip regex passes never change the result --------------------------


def _normalize_every_pass(text: str) -> str:
    """normalize as it was before the hint tests: every pattern runs on every text."""
    text = unicodedata.normalize("NFKC", text).translate(norm._PUNCT)
    text = norm._DOLLAR_ESCAPE.sub(r"\1", text)
    text = norm._US_UPPER.sub("usa", text).lower()
    for pattern, repl, _hints in norm._PHRASES:
        text = pattern.sub(repl, text)
    text = norm._ISE.sub(norm._ise, text)
    text = " ".join(norm._SPELLING.get(w, w) for w in text.split())
    return norm._SPACES.sub(" ", text).strip()


_FOLD_PIECES = st.sampled_from(
    [
        " ", "  ", ".", "-", "%", "\\", "$", "5", "0", "The", "the", "United", "States",
        "Kingdom", "of", "America", "U.S.", "U.S", "US", "us", "U.S.A", "U.K.", "E.U.",
        "European", "Union", "Britain", "per", "cent", "percent", "percentage", "points",
        "point", "gross", "domestic", "product", "PRC", "DPRK", "People's", "Republic",
        "China", "Democratic", "Korea", "greenhouse", "gases", "GHG", "carbon", "dioxide",
        "CO2", "organise", "organisation", "promise", "defence", "\u00a0", "\u2014", "ise",
    ]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_FOLD_PIECES, max_size=30).map("".join))
def test_hints_never_change_normalize(text: str) -> None:
    assert normalize(text) == _normalize_every_pass(text)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_hints_never_change_normalize_on_any_text(text: str) -> None:
    assert normalize(text) == _normalize_every_pass(text)
