"""Rows to CSV text, the one way every ``--format csv`` output is written.

A header row names the columns; lines end in ``\\n``; fields are quoted only when they must
be (a comma, quote or line break inside); None is an empty field; text that a spreadsheet
would run as a formula starts with an apostrophe. Deterministic: the same rows give the same
bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

Cell = str | int | float | None

# A spreadsheet runs a cell that starts with one of these as a formula; text from a brief
# could then run one on an analyst's machine ("=HYPERLINK(...)"). Such text cells get a
# leading apostrophe, which spreadsheets show as plain text (OWASP's CSV-injection advice).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(cell: Cell) -> Cell:
    if cell is None:
        return ""
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


def write_rows(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """CSV text: the header, then one line per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(cell) for cell in row])
    return buffer.getvalue()
