"""Blocks written as paragraphs: table rows, form fields, list items, titles, hyphens.

A row of three or more short cells is a table row (``cell | cell``, with the header's cells
when the table has one); a short label beside a longer text is a form field (``label:
answer``); a bullet or an enumerator in a column of its own opens the block beside it; a
short paragraph without a stop is a title on one line; lower-case paragraphs under a lead-in
ending in ":" are its items; line-end hyphens are undone where the document's own
vocabulary says the word is one.
"""

from __future__ import annotations

import re
from collections import Counter

from tracker.claims.hyphens import dehyphenate
from tracker.ingest.pdf_blocks import BULLETS, Block, block_rows, is_bullet

_HYPHENS = frozenset("-\u2010\u2011")
# A list enumerator standing alone: "a", "b.", "c)", "(d)", "iv.", "(2)".
_ENUMERATOR = re.compile(r"^(?:\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})\)|(?:[a-z]|[ivx]{1,4})\.?)$")
# A stop at the end of a text, after any closing quotes or brackets.
TERMINAL = re.compile(r"[.!?;:][\"'”’)\]]*$")
# A table's cell holds up to this many words a line; a form's label up to this many words.
TABLE_CELL_WORDS = 8
_LABEL_WORDS = 25
# A form's question beside its answer: up to this many lines and words.
QUESTION_LINES = 6
QUESTION_WORDS = 70
# The longest title the cleanup takes for a heading (claims/sentence_ends.looks_like_heading).
_TITLE_WORDS = 20


def emit_blocks(blocks: list[Block], vocabulary: Counter[str]) -> list[str]:
    """The blocks written as paragraphs in reading order, row by row (sorts ``blocks``)."""
    blocks.sort(key=lambda b: (-round(b.top, 0), b.x0))
    out: list[str] = []
    header: list[str] | None = None
    header_at: int | None = None  # where the header row was written, until a row uses it
    for row in block_rows(blocks):
        texts = [block_lines(b, vocabulary) for b in row]
        if len(row) >= 2 and texts[0] in (["•"], ["-"], ["§"]):
            # A bullet set in a column of its own (hanging indent): it marks the next block as
            # a list item; as a cell or a label it made "•: text".
            row, texts = row[1:], [["• " + texts[1][0], *texts[1][1:]], *texts[2:]]
        elif len(row) >= 2 and len(texts[0]) == 1 and _ENUMERATOR.match(texts[0][0]):
            # So is an enumerator ("a", "b.", "(ii)"), in the numbered rows of a form. A bare
            # letter is written "(a)": before the item's text, "a National ..." reads as the
            # article "a".
            mark = texts[0][0]
            mark = f"({mark})" if mark.isalnum() else mark
            row, texts = row[1:], [[f"{mark} {texts[1][0]}", *texts[1][1:]], *texts[2:]]
        if len(row) >= 3 and all(b.words() <= TABLE_CELL_WORDS * len(b.lines) for b in row):
            cells = [" ".join(t) for t in texts]
            if header is not None and len(header) == len(cells):
                if header_at is not None:
                    # Each row carries the header's cells, so the header is no claim itself.
                    del out[header_at]
                    header_at = None
                out.append(
                    " | ".join(f"{h}: {c}" if h else c for h, c in zip(header, cells, strict=True))
                )
            else:
                header, header_at = cells, len(out)
                out.append(" | ".join(cells))
            continue
        header = header_at = None
        if len(row) >= 2 and is_label(row[-2], row[-1]):
            for lines in texts[:-2]:
                out.append("\n".join(lines))
            label = " ".join(texts[-2]).rstrip()
            joiner = " " if label.endswith(":") else ": "
            answer = texts[-1]
            out.append(label + joiner + "\n".join(answer))
            continue
        for lines in texts:
            out.append("\n".join(lines))
    return out


def one_line_titles(paragraphs: list[str]) -> list[str]:
    """A short paragraph without a stop is a title: written on one line, so that the cleanup
    sees it whole (its first line alone, ending on "ON" of "... COMMISSION ON / BEHALF OF
    ...", read as a sentence going on and the title became a claim)."""
    out: list[str] = []
    for para in paragraphs:
        flat = " ".join(para.split())
        if (
            "\n" in para
            and len(flat.split()) <= _TITLE_WORDS
            and not TERMINAL.search(flat)
            and " | " not in flat
            and ": " not in flat  # a form field ("Gases covered: ...") is a claim
            and not flat.startswith("•")
        ):
            para = flat
        out.append(para)
    return out


def mark_list_items(paragraphs: list[str]) -> list[str]:
    """Paragraphs that start in lower case under a lead-in ending in ":" are its list items.

    Their bullets are often drawn, not text, so the layout shows only an indented block that
    goes on from the lead-in ("… achievements, including:" / "the Safeguard Mechanism …").
    Written as bullet items, the claim layer can keep the lead-in as their context.
    """
    out: list[str] = []
    in_list = False
    for para in paragraphs:
        # After a paragraph without a stop, a lower-case start is its continuation (a block
        # cut by a page or a column break), which the cleanup joins.
        if in_list and para[:1].islower() and TERMINAL.search(out[-1].rstrip()):
            out.append("• " + para)
            continue
        in_list = para.rstrip().endswith(":")
        out.append(para)
    return out


def is_label(block: Block, answer: Block | None = None) -> bool:
    """A block that reads as a form's label: short, without a stop (or ending in ":").

    Beside a shorter ``answer`` a label may be a form's whole question, of a few lines (the
    UNFCCC's clarity forms quote the guidance: "Quantifiable information on the reference
    indicators, their values in the reference year(s), ..." beside "2017").
    """
    words = block.words()
    text = " ".join(line.text for line in block.lines)
    limit = _LABEL_WORDS
    if (
        answer is not None
        and len(block.lines) <= QUESTION_LINES
        and len(answer.lines) < len(block.lines)
    ):
        limit = QUESTION_WORDS
    return words <= limit and (text.endswith(":") or not TERMINAL.search(text))


def block_lines(block: Block, vocabulary: Counter[str]) -> list[str]:
    """The block's lines as text, bullets made plain and line-end hyphens resolved."""
    lines = [[w.text for w in line.words] for line in block.lines]
    if lines and lines[0] and (lines[0][0] in BULLETS or is_bullet(lines[0][0], block.lines[0])):
        lines[0][0] = "•"
    for i in range(len(lines) - 1):
        if not lines[i] or not lines[i + 1]:
            continue
        last, nxt = lines[i][-1], lines[i + 1][0]
        if len(last) > 1 and last[-1] in _HYPHENS and last[-2].isalpha() and nxt[:1].islower():
            lines[i][-1] = dehyphenate(last[:-1], nxt, vocabulary)
            lines[i + 1].pop(0)
    return [" ".join(words) for words in lines if words]
