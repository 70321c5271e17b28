"""Ruled tables of a PDF page: words put in their drawn cells, rows written as paragraphs.

Where a page draws its table (``pdf_rules.py``), each word goes to the cell its middle lies
in, and the cells that start at the rule ending the row above make the next row. Each cell
is read as a small page of its own; a row of a label and its answer is a form field, a row
across the table without a stop a heading, a row of three or more cells one line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from tracker.ingest.pdf_blocks import Block, is_bullet
from tracker.ingest.pdf_lines import Line, Word
from tracker.ingest.pdf_paragraphs import (
    QUESTION_LINES,
    QUESTION_WORDS,
    TABLE_CELL_WORDS,
    TERMINAL,
    block_lines,
    is_label,
)
from tracker.ingest.pdf_rules import Cell, Rules


@dataclass
class Table:
    """A ruled table: rows top to bottom, each its cells left to right (as blocks)."""

    rows: list[list[Block]]

    @property
    def top(self) -> float:
        return max(line.base for row in self.rows for cell in row for line in cell.lines)


# A form row's number: "(d)", "b.", "4 (a)", "(a)(ii)", "1.", "II".
_ROW_NUMBER = re.compile(
    r"^(?:\d{1,2}\.?\s?)?(?:\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})[.)]){0,3}$|^[IVX]{1,4}\.?$"
)
# Cells of a table row have the same rule above them within this distance (points).
_ROW_SLACK = 2.0


def find_tables(lines: list[Line], rules: Rules) -> tuple[list[Line], list[Table]]:
    """The lines outside ruled tables, and the tables (top to bottom), from one page.

    Each word goes to the cell its middle lies in; a table is a run of rows of cells, each
    row starting at the rule that ends the row above it. A "table" whose rows are all one
    cell wide is a box around text (a framed paragraph): its lines stay as they were.
    """
    cells: dict[Cell, list[Line]] = {}
    free: list[Line] = []
    for line in lines:
        rest: list[Word] = []
        parts: dict[Cell, Line] = {}  # the part of this line in each cell
        for word in line.words:
            cell = rules.cell((word.x0 + word.x1) / 2, word.base + 0.3 * word.size)
            if cell is None:
                rest.append(word)
            elif cell in parts:
                parts[cell].words.append(word)
            else:
                parts[cell] = Line([word], line.page_height, line.marker_start)
                cells.setdefault(cell, []).append(parts[cell])
        if rest:
            free.append(line if len(rest) == len(line.words) else Line(rest, line.page_height))
    if not cells:
        return lines, []
    rows: list[list[Cell]] = []
    for cell in sorted(cells, key=lambda c: (-c.top, c.left)):
        if rows and abs(rows[-1][0].top - cell.top) <= _ROW_SLACK:
            rows[-1].append(cell)
        else:
            rows.append([cell])
    tables: list[list[list[Cell]]] = []
    for row in rows:
        bottom = min(c.bottom for c in tables[-1][-1]) if tables else None
        if bottom is not None and abs(bottom - row[0].top) <= _ROW_SLACK * 2:
            tables[-1].append(row)
        else:
            tables.append([row])
    out: list[Table] = []
    for table in tables:
        if all(len(row) == 1 for row in table):
            free.extend(line for row in table for cell in row for line in cells[cell])
            continue
        out.append(Table([[Block(cells[cell]) for cell in row] for row in table]))
    free.sort(key=lambda line: (-line.base, line.x0))
    return free, out


def _cell_blocks(cell: Block, pitch: float) -> list[Block]:
    """The paragraphs of a ruled cell, as blocks.

    The cell's walls are drawn, so its lines are not cut at wide gaps into columns (a
    justified cell has wide spaces, and "Base year: 1990" became three cells); a paragraph
    ends where the line pitch opens, or where a bullet starts an item.
    """
    paragraphs: list[Block] = []
    left, right = cell.x0, cell.x1
    for line in cell.lines:
        last = paragraphs[-1].lines[-1] if paragraphs else None
        goes_on = (
            last is not None
            and line.words[0].text[:1].islower()
            and not TERMINAL.search(last.text)
            and 0 < last.base - line.base <= 3 * max(pitch, last.size)
        )
        if (
            not goes_on
            and (
                last is None
                or not 0 < last.base - line.base <= max(pitch, last.size) * 1.2
                or is_bullet(line.words[0].text, line)
                # A line that stops well short of the cell's width, before a capital: the end
                # of an entry of a list set one per line ("Fuel combustion" / "Transport").
                or (
                    last.x1 < right - 0.25 * (right - left)
                    and line.words[0].text[:1].isupper()
                    and not last.words[-1].text.endswith((",", "-"))
                )
            )
        ):
            paragraphs.append(Block([line]))
        else:
            paragraphs[-1].lines.append(line)
    return paragraphs


def _cell_paragraphs(cell: Block, pitch: float, vocabulary: Counter[str]) -> list[str]:
    """The paragraphs of a ruled cell, each on one line."""
    return [" ".join(block_lines(p, vocabulary)) for p in _cell_blocks(cell, pitch)]


def _fields(labels: list[Block], answers: list[Block], vocabulary: Counter[str]) -> list[str]:
    """A row of a label cell and an answer cell, as ``label: answer`` paragraphs.

    A label cell of one paragraph takes the answer's first paragraph, wherever it sits in
    the cell (centred beside a question of several lines); a label cell of several (a form
    that rules only its sections: "(a) …", "(b) …" in one cell, their answers beside them in
    the next) takes for each label the answers that start beside it, before the next label.
    """

    def text(block: Block) -> str:
        return " ".join(block_lines(block, vocabulary))

    def field_of(label: Block, mine: list[Block]) -> list[str]:
        head = text(label)
        if mine and (
            is_label(label, mine[0])
            or (len(label.lines) <= QUESTION_LINES and not TERMINAL.search(head))
        ):
            first = text(mine[0])
            first = first[2:] if first.startswith("• ") else first
            joiner = " " if head.endswith(":") else ": "
            return [head + joiner + first, *(text(a) for a in mine[1:])]
        return [head, *(text(a) for a in mine)]

    if len(labels) == 1:
        return field_of(labels[0], answers)
    out: list[str] = []
    slack = 0.5 * max((b.size for b in labels), default=0.0)
    first_top = labels[0].top if labels else float("-inf")
    out.extend(text(a) for a in answers if a.top > first_top + slack)
    for i, label in enumerate(labels):
        below = labels[i + 1].top if i + 1 < len(labels) else float("-inf")
        mine = [a for a in answers if below + slack < a.top <= label.top + slack]
        out.extend(field_of(label, mine))
    return out


def _is_table_heading(text: str, cell: Block, table: Table) -> bool:
    """A one-cell row spanning the table's width, short and without a stop."""
    left = min(c.x0 for row in table.rows for c in row)
    right = max(c.x1 for row in table.rows for c in row)
    wide = cell.x1 - cell.x0 >= 0.6 * (right - left)
    return wide and len(text.split()) <= QUESTION_WORDS // 2 and not TERMINAL.search(text)


def table_rows(table: Table, pitch: float, vocabulary: Counter[str]) -> list[str]:
    """A ruled table written as paragraphs.

    Each cell is read as a small page of its own (paragraphs, bullets, hyphens). A row of
    three or more cells is one line ``header: cell | header: cell`` (the first such row of
    short cells is the header), unless a cell lists bulleted items: then each item is a
    paragraph of its own under the lead-in ``header: cell | header:`` (``_bulleted_row``);
    a row of a label and its answer is ``label: answer``, the answer's further paragraphs
    following on their own; a row of one cell is its paragraphs.
    """
    out: list[str] = []
    header: list[str] | None = None
    for row in table.rows:
        cells = [_cell_paragraphs(cell, pitch, vocabulary) for cell in row]
        if len(row) >= 2 and len(cells[0]) == 1 and cells[0][0] and _ROW_NUMBER.match(cells[0][0]):
            # The numbers of a form's rows in a column of their own ("(d)", "4 (a)", "1."):
            # they open the row's first cell, as the free text's enumerators do.
            number = [w for line in row[0].lines for w in line.words]
            head = row[1].lines[0]
            opened = Line(number + head.words, head.page_height, head.marker_start)
            row = [Block([opened, *row[1].lines[1:]]), *row[2:]]
            cells = [_cell_paragraphs(cell, pitch, vocabulary) for cell in row]
        if len(row) == 1:
            if len(cells[0]) == 1 and _is_table_heading(cells[0][0], row[0], table):
                # A row across the table without a stop is a section of the form ("1.
                # Quantifiable information on the reference point"): a heading, as the
                # cleanup reads a Markdown one, not a claim cut short.
                out.append("# " + cells[0][0])
            else:
                out.extend(cells[0])
            continue
        if len(row) == 2:
            out.extend(
                _fields(_cell_blocks(row[0], pitch), _cell_blocks(row[1], pitch), vocabulary)
            )
            continue
        texts = [" ".join(c) for c in cells]
        if header is None and all(len(t.split()) <= TABLE_CELL_WORDS for t in texts):
            header = texts
            out.append(" | ".join(texts))
            continue
        if header is None or len(header) != len(texts):
            out.append(" | ".join(texts))
        elif any(map(_bulleted, cells)):
            out.extend(_bulleted_row(header, cells, texts))
        else:
            out.append(" | ".join(map(_with_header, header, texts)))
    return out


def _with_header(header: str, text: str) -> str:
    """A cell of a row under its column's header: ``header: text`` (either may be empty)."""
    return f"{header}: {text}" if header and text else text


def _bulleted(paragraphs: list[str]) -> bool:
    """Whether a cell is a list: more than one paragraph, bullets among them."""
    return len(paragraphs) > 1 and any(p.startswith("• ") for p in paragraphs)


def _bulleted_row(header: list[str], cells: list[list[str]], texts: list[str]) -> list[str]:
    """A header's row whose cells list items ("STRATEGY: • … • …"): each item on its own,
    under a lead-in of the row's other cells and its column's header ("KEY PROGRAMME: … |
    STRATEGY:"), so that each is a claim with its context instead of one claim per row.
    ``texts`` are the cells' paragraphs joined, as the row's line would show them."""
    lists = [_bulleted(c) for c in cells]
    lead = " | ".join(
        _with_header(h, t)
        for h, t, is_list in zip(header, texts, lists, strict=True)
        if t and not is_list
    )
    out: list[str] = []
    for h, c, is_list in zip(header, cells, lists, strict=True):
        if is_list:
            out.append(f"{lead} | {h}:" if lead else f"{h}:")
            out.extend(p if p.startswith("• ") else f"• {p}" for p in c)
    return out
