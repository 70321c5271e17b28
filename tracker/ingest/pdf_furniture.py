"""Page furniture and footnotes: what is not the body of a PDF page.

Running headers and footers (a short line in the top or bottom band that repeats on other
pages, digits ignored), page numbers, anything in the outermost band, table-of-contents
entries and lines of leader dots go; footnotes (a run of small lines at the page foot that
starts with a marker) are taken out of the page to be written at the end of the text.
"""

from __future__ import annotations

import re
from collections import Counter

from tracker.ingest.pdf_lines import MARKER, Line

# A page number: "12", "- 3 -", "(iv)", "Page 2 of 10", "2/10".
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-–—(]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–—)]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.I
)
# A table-of-contents entry: a title, a run of leader dots, a page number.
_CONTENTS = re.compile(r"(?:\.\s?){5,}\s*\d{1,4}$")
# A line of leader dots or rules only (the blanks of a form): no text.
_LEADERS = re.compile(r"^[\s._…]{3,}$")

# Fractions of the page height: anything in the outer band is page furniture; a line in the
# wider band is when it repeats or is a page number.
_OUTER_BAND = 0.04
_BAND = 0.09
# A running header or footer is a short line.
_FURNITURE_WORDS = 12
# Footnotes are set smaller than the body: Word's defaults are 11 pt body and 10 pt notes,
# a ratio of 0.91 (0.9 missed them).
_NOTE_SIZE = 0.95


def _key(text: str) -> str:
    """A line's text as running headers are compared: lower case, numbers alike."""
    return re.sub(r"\d+", "#", text.lower()).strip()


def band_repeats(pages: list[list[Line]]) -> tuple[Counter[str], int]:
    """Running headers and footers: on how many pages each line of the bands appears (its
    digits ignored), and on how many it must appear to be a running one."""
    seen: Counter[str] = Counter()
    for lines in pages:
        for key in {_key(line.text) for line in lines if _in_band(line, _BAND)}:
            seen[key] += 1
    repeats = 2 if len(pages) <= 4 else max(3, len(pages) // 5)
    return seen, repeats


def is_furniture(line: Line, seen: Counter[str], repeats: int) -> bool:
    """A line of page furniture: anything in the outer band, a table-of-contents entry, a
    line of leaders, or a short line of the bands that repeats on ``repeats`` pages of
    ``seen`` (``band_repeats``) or is a page number."""
    return bool(
        _in_band(line, _OUTER_BAND)
        or _CONTENTS.search(line.text)
        or _LEADERS.match(line.text)
        or (
            _in_band(line, _BAND)
            and len(line.words) <= _FURNITURE_WORDS
            and (seen[_key(line.text)] >= repeats or _PAGE_NUMBER.match(line.text))
        )
    )


def without_edge_numbers(lines: list[Line]) -> list[Line]:
    """The page's lines without a page number as its first or last line.

    Outside the bands, too: a page number set well above the foot (a wide bottom margin) was
    a paragraph "19" between two sentences. A number alone on the page's last or first line
    is the page's number, not a table cell (a table row holds its cells on one line).
    """
    lines = list(lines)
    for end in (-1, 0):
        if lines and len(lines[end].words) <= 4 and _PAGE_NUMBER.match(lines[end].text):
            del lines[end]
    return lines


def _in_band(line: Line, band: float) -> bool:
    h = line.page_height
    return line.base > h * (1 - band) or line.base - 0.25 * line.size < h * band


def split_footnotes(lines: list[Line], body: float) -> tuple[list[Line], list[str]]:
    """Lines of the page body, and its footnotes (a run of small lines at the page foot that
    starts with a marker)."""
    end = len(lines)
    start = end
    while start > 0 and lines[start - 1].size < _NOTE_SIZE * body:
        start -= 1
    run = lines[start:end]
    if not run or run[0].base > run[0].page_height * 0.6:
        return lines, []
    first = next((i for i, line in enumerate(run) if _starts_note(line)), None)
    if first is None:
        return lines, []
    notes: list[str] = []
    for line in run[first:]:
        if _starts_note(line) or not notes:
            notes.append(line.text)
        else:
            notes[-1] += " " + line.text
    return lines[: start + first], notes


def _starts_note(line: Line) -> bool:
    head = line.words[0].text
    return line.marker_start or (bool(MARKER.match(head)) and len(line.words) > 1)
