"""Rows to CSV text, the one way every ``--format csv`` output is written.

A header row names the columns; lines end in ``\\n``; fields are quoted only when they must
be (a comma, quote or line break inside); None is an empty field. Deterministic: the same
rows give the same bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

Cell = str | int | float | None


def write_rows(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """CSV text: the header, then one line per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return buffer.getvalue()
