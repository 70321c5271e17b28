"""Property-based tests: the readers and the claim extractor on arbitrary input.

Whatever bytes arrive under whatever suffix, a reader returns a document or raises one of the
project's own errors (which the CLI turns into one line); the claim extractor never raises and
every span it returns maps back into the text. Example counts are modest and there is no
deadline: the suite runs on loaded 2-core machines, where a per-example deadline flakes.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_readers import PDF_LINES, make_pdf
from tracker.claims import extract_claims
from tracker.errors import TrackerError
from tracker.ingest.readers import SUPPORTED_SUFFIXES, read_document
from tracker.store.doctor import derived_from

# TRACKER_FUZZ_EXAMPLES=5000 runs a longer search by hand; the suite keeps it short.
SETTINGS = settings(
    max_examples=int(os.environ.get("TRACKER_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SUFFIXES = [*sorted(SUPPORTED_SUFFIXES), "", ".bin"]

# Pieces that steer the readers into their interesting paths: front matter, markup, PDF
# syntax, headers, encodings' byte-order marks.
PREFIXES = [
    b"",
    b"---\n",
    b"---\ntitle: x\ndate: 2020-01-01\n---\n",
    b"Date: ",
    b"Title: ",
    b"<!DOCTYPE html><html><body><p>",
    b"<html><head><meta name='date' content='",
    b"%PDF-1.4\n",
    codecs.BOM_UTF8,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
    codecs.BOM_UTF32_BE,
]

_TEXT = st.text(
    alphabet=st.sampled_from(
        [*"abcXYZ019 .,;:!?-*#[]()<>/\\\"'\n\t$%&", "é", "—", "’", "€", "\x00", "\x1b"]
    ),
    max_size=300,
)


@st.composite
def _encoded_text(draw: st.DrawFn) -> bytes:
    codec = draw(st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "cp1252", "latin-1"]))
    text = draw(_TEXT)
    return text.encode(codec, errors="replace")


@st.composite
def _damaged_pdf(draw: st.DrawFn) -> bytes:
    data = bytearray(make_pdf(PDF_LINES, title="Tram", created="20220301120000Z"))
    for _ in range(draw(st.integers(0, 4))):
        i = draw(st.integers(0, len(data) - 1))
        data[i] = draw(st.integers(0, 255))
    cut = draw(st.integers(1, len(data)))
    return bytes(data[:cut])


FILE_BYTES = st.one_of(
    st.binary(max_size=600),
    st.builds(lambda p, b: p + b, st.sampled_from(PREFIXES), st.binary(max_size=300)),
    st.builds(lambda p, b: p + b, st.sampled_from(PREFIXES), _encoded_text()),
    _damaged_pdf(),
)


@SETTINGS
@given(data=FILE_BYTES, suffix=st.sampled_from(SUFFIXES))
def test_readers_raise_only_tracker_errors(data: bytes, suffix: str) -> None:
    try:
        doc = read_document(Path(f"brief{suffix}"), data)
    except TrackerError as exc:
        message = str(exc)
        assert message
        assert "\n" not in message
        return
    assert doc.text.strip()
    assert "\x00" not in doc.text


# Prose-like text with the syntax cleanup and splitting react to: markdown, bullets, lists,
# abbreviations, numbers, brackets, quotes, blank lines.
_WORDS = st.sampled_from(
    [
        "The",
        "ministry",
        "will",
        "raise",
        "increasing",
        "U.S.",
        "Dr.",
        "e.g.",
        "5%",
        "$4.5 billion",
        "by 2030",
        "1 percent of GDP",
        "and",
        "whereas",
        "[link](#)",
        "**bold**",
        "*it*",
        "\\$",
        "# Heading",
        "- item",
        "1.",
        "(note",
        ")",
        "“quote”",
        ";",
        ",",
        ".",
        "?",
        "\n",
        "\n\n",
        "\r\n",
        "  ",
        "\t",
        "ÉCOLE",
        "ﬁ",
        "İ",
        "\u200b",
        "\x1b[31m",
    ]
)
CLAIM_TEXT = st.one_of(
    st.text(max_size=400),
    st.lists(_WORDS, max_size=120).map(" ".join),
    st.lists(_WORDS, max_size=120).map("".join),
)


@SETTINGS
@given(text=CLAIM_TEXT, hard_wrapped=st.booleans())
def test_claim_spans_map_back_into_the_text(text: str, hard_wrapped: bool) -> None:
    claims = extract_claims(text, hard_wrapped=hard_wrapped)
    for claim in claims:
        assert 0 <= claim.start < claim.end <= len(text)
        assert derived_from(claim.text, text[claim.start : claim.end])
        for q in claim.quantities:
            assert claim.start <= q.start < q.end <= claim.end
            assert derived_from(q.raw, text[q.start : q.end])
