"""Lines to blocks: segments at wide gaps, stacked at the body's line pitch.

A line is cut into segments where a gap is wider than a font size (columns, table cells), a
justified line with wide spaces excepted; segments stacked below each other at the line
pitch of the body text make a block (a paragraph, a table cell, a form field); blocks that
start on the same baseline are a row.
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass, field

from tracker.ingest.pdf_lines import Line

# Glyphs fonts put in the private-use area (Symbol, Wingdings) for bullets, and the
# ordinary ones.
BULLETS = frozenset("•●▪■◦‣○□➢►▶–\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf06e\uf0a8\uf02d\uf0f0")
# A word gap wider than this many font sizes separates columns or table cells.
_COLUMN_GAP = 1.0
_TABLE_GAP = 3.0


@dataclass
class Block:
    """Lines stacked at the line pitch: a paragraph, a table cell or a form field."""

    lines: list[Line] = field(default_factory=list)

    @property
    def top(self) -> float:
        return self.lines[0].base

    @property
    def x0(self) -> float:
        return min(line.x0 for line in self.lines)

    @property
    def x1(self) -> float:
        return max(line.x1 for line in self.lines)

    @property
    def size(self) -> float:
        return self.lines[0].size

    def words(self) -> int:
        return sum(len(line.words) for line in self.lines)


def body_pitch(pages: list[list[Line]], body: float) -> float:
    """The usual distance between two lines of one paragraph of body text."""
    gaps = [
        round(a.base - b.base, 1)
        for lines in pages
        for a, b in itertools.pairwise(lines)
        if abs(a.size - body) < 0.6 and abs(b.size - body) < 0.6 and 0 < a.base - b.base < 3 * body
    ]
    if not gaps:
        return 1.25 * body
    # Most steps are within a paragraph; the median is robust to the wider paragraph gaps.
    # (The most common step was tried: it splits paragraphs whose leading varies slightly.)
    return float(statistics.median_low(gaps))


def _segments(line: Line) -> list[Line]:
    out = [Line([line.words[0]], line.page_height, line.marker_start)]
    for word in line.words[1:]:
        prev = out[-1].words[-1]
        if word.x0 - prev.x1 > _COLUMN_GAP * max(word.size, prev.size):
            out.append(Line([word], line.page_height))
        else:
            out[-1].words.append(word)
    return _justified(line, out)


def _justified(line: Line, segments: list[Line]) -> list[Line]:
    """A justified line whose spaces came out wide is one segment, not a row of one-word
    cells: four or more segments of one or two words each, none of them a table's gap apart
    ("The  Parliament's  Standing  Committee  for ..." was cut into eight blocks). A bullet
    set before it stays a segment of its own."""
    head = segments[:1] if is_bullet(segments[0].words[0].text, segments[0]) else []
    body = segments[len(head) :]
    if len(body) < 4 or any(len(seg.words) > 2 for seg in body):
        return segments
    if any(b.x0 - a.x1 > _TABLE_GAP * line.size for a, b in itertools.pairwise(body)):
        return segments
    words = [w for seg in body for w in seg.words]
    return [*head, Line(words, line.page_height, body[0].marker_start)]


def stack_blocks(lines: list[Line], pitch: float) -> list[Block]:
    """Stack the segments of the lines into blocks (paragraphs and cells), in reading order."""
    blocks: list[Block] = []
    open_blocks: list[Block] = []
    for line in lines:
        segments = _segments(line)
        # Table cells are set far apart; a justified line with wide spaces is not a table.
        table = len(segments) >= 3 and all(
            b.x0 - a.x1 > _TABLE_GAP * line.size for a, b in itertools.pairwise(segments)
        )
        for seg in segments:
            target = None
            # A line of three or more cells is a table row: its cells stack with nothing.
            # (Starting a new block beside every hanging bullet was tried: it split the
            # wrapped lines of items whose bullet repeats down the column, 5.3% -> 5.9%.)
            candidates = [] if table else reversed(open_blocks)
            for block in candidates:
                last = block.lines[-1]
                step = last.base - seg.base
                if (
                    0 < step <= max(pitch, last.size) * 1.2
                    and seg.x0 < block.x1 + 1
                    and seg.x1 > block.x0 - 1
                    and abs(seg.size - last.size) < 1.0
                    and not is_bullet(seg.words[0].text, seg)
                ):
                    target = block
                    break
            if target is None:
                target = Block()
                blocks.append(target)
                if not table:
                    open_blocks.append(target)
            target.lines.append(seg)
        # A block whose last line is far above the current line can take no more lines.
        open_blocks = [b for b in open_blocks if b.lines[-1].base - line.base <= 3 * pitch]
    return blocks


def is_bullet(head: str, seg: Line) -> bool:
    """Whether ``head``, the first word of ``seg``, is a list item's bullet."""
    if head in BULLETS:
        return True
    if len(seg.words) == 1 and head in ("-", "§"):
        return True  # a hyphen or section sign alone before a column of text: a bullet
    # "o" as a sub-bullet (Courier "o" in Word documents), set apart from its text.
    return head == "o" and len(seg.words) > 1 and seg.words[1].x0 - seg.words[0].x1 > 2


def block_rows(blocks: list[Block]) -> list[list[Block]]:
    """Blocks that start on the same baseline, left to right; others alone, top to bottom."""
    rows: list[list[Block]] = []
    for block in blocks:  # already top to bottom by first line
        if rows and abs(rows[-1][0].top - block.top) < 0.6 * block.size:
            rows[-1].append(block)
        else:
            rows.append([block])
    for row in rows:
        row.sort(key=lambda b: b.x0)
    return rows
