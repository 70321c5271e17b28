"""Layout-aware PDF text: positions of every character, read back as paragraphs.

A PDF's text layer is glyphs at positions, not prose. Read in content order (what pypdf's
``extract_text`` gives), official submissions come out with page numbers and running footers
inside sentences, footnote numbers glued to words ("energy mix1"), footnotes as sentences,
line-end hyphens kept, and the two columns of a form (label | answer) interleaved line by line.
Here pypdfium2 (PDFium, the reader of Chrome) gives each character's box, baseline and font
size, and the page is rebuilt from them:

1. characters → words (a gap wider than a fraction of the font size splits) and words →
   lines (shared baseline); raised small digits are footnote markers and are dropped;
2. running headers and footers go: a line in the top or bottom band that repeats on other
   pages (digits ignored), a bare page number there, or anything in the outermost band;
3. footnotes go to the end of the text, under a ``# Footnotes`` heading (which the claim
   cleanup treats as the end of the body: the notes stay in the archived text as context);
4. lines split at wide gaps into segments, and segments stacked at the body's line pitch
   into blocks (paragraphs, table cells, form fields);
5. blocks that start on the same baseline are a row: three or more short cells are a table
   row, written as one line ``cell | cell | cell`` (with the header's cells when the table has
   one); a short label beside a longer text is a form field, written ``label: answer``;
6. line-end hyphens are undone where the document's own vocabulary says the word is one
   ("emis- sions" → "emissions") and kept where it says it is a compound ("fourth-largest").

Each paragraph keeps its visual lines (``Document.hard_wrapped``: the cleanup joins them) and
paragraphs are separated by a blank line. Only what the layout shows is used; there is no
model and nothing to tune per document.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tracker.errors import InputError
from tracker.ingest.pdf_rules import Cell, Rules, page_rules


@dataclass(frozen=True)
class PdfText:
    """What the layout reader found: text plus the info dictionary's fields."""

    text: str
    title: str | None
    author: str | None
    created: dt.date | None


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    base: float  # baseline, PDF units (upwards)
    size: float
    raised: bool = False  # superscript: set above the baseline in a smaller size


@dataclass
class _Line:
    words: list[_Word]
    page_height: float
    marker_start: bool = False  # a footnote marker was dropped at its start

    @property
    def base(self) -> float:
        return self.words[0].base

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class _Block:
    lines: list[_Line] = field(default_factory=list)

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


# Glyphs fonts put in the private-use area (Symbol, Wingdings) for bullets, and the
# ordinary ones.
_BULLETS = frozenset("•●▪■◦‣○□➢►▶–\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf06e\uf0a8\uf02d\uf0f0")
_SOFT_HYPHENS = frozenset("\x02\xad")
_ORDINAL_LETTERS = frozenset("stndrh")
_HYPHENS = frozenset("-\u2010\u2011")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-–—(]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–—)]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.I
)
_MARKER = re.compile(r"^[\d*†‡§,]+$")
# Asterisks as note markers ("2030**.", "*Including", "TWh **"): a PDF has no Markdown, and
# left in they read as bold markup ("**132.74 TWh …") or fused markers.
_ASTERISKS = re.compile(r"^\*+$|(?<=[\w%)])\*+(?=[.,;:)]*$)|^\*+(?=[\w(])")
# A list enumerator standing alone: "a", "b.", "c)", "(d)", "iv.", "(2)".
_ENUMERATOR = re.compile(r"^(?:\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})\)|(?:[a-z]|[ivx]{1,4})\.?)$")
# A table-of-contents entry: a title, a run of leader dots, a page number.
_CONTENTS = re.compile(r"(?:\.\s?){5,}\s*\d{1,4}$")
_TERMINAL = re.compile(r"[.!?;:][\"'”’)\]]*$")
# A line of leader dots or rules only (the blanks of a form): no text.
_LEADERS = re.compile(r"^[\s._…]{3,}$")

# Fractions of the page height: anything in the outer band is page furniture; a line in the
# wider band is when it repeats or is a page number.
_OUTER_BAND = 0.04
_BAND = 0.09
# A running header or footer is a short line.
_FURNITURE_WORDS = 12
# A word gap wider than this many font sizes separates columns or table cells.
_COLUMN_GAP = 1.0
_TABLE_GAP = 3.0
_TABLE_CELL_WORDS = 8
# Footnotes are set smaller than the body: Word's defaults are 11 pt body and 10 pt notes,
# a ratio of 0.91 (0.9 missed them).
_NOTE_SIZE = 0.95
_LABEL_WORDS = 25
# A form's question beside its answer: up to this many lines and words.
_QUESTION_LINES = 6
_QUESTION_WORDS = 70
# The longest title the cleanup takes for a heading (``_looks_like_heading``).
_TITLE_WORDS = 20


def read_pdf_layout(data: bytes) -> PdfText:
    """Text of a PDF rebuilt from its layout, plus title, author and creation date.

    Raises ``InputError`` for an encrypted file (when the empty password does not open it)
    and for a file PDFium cannot parse. A PDF without a text layer gives empty text.
    """
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise InputError("the PDF is encrypted (a password is needed to read it)") from None
        raise InputError(f"cannot read the PDF ({message.splitlines()[0]})") from None
    try:
        meta = document.get_metadata_dict(skip_empty=True)
        pages: list[list[_Line]] = []
        rules: list[Rules] = []
        for index in range(len(document)):
            page = document[index]
            try:
                pages.append(_page_lines(page))
                rules.append(page_rules(page))
            finally:
                page.close()
    finally:
        document.close()
    text = _compose(pages, rules)
    return PdfText(
        text=text,
        title=(meta.get("Title") or "").strip() or None,
        author=(meta.get("Author") or "").strip() or None,
        created=_pdf_date(meta.get("CreationDate")),
    )


def _pdf_date(value: str | None) -> dt.date | None:
    """``D:20201231182535+11'00'`` → 2020-12-31; a malformed date is no date."""
    match = re.match(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?", (value or "").strip())
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
    except ValueError:
        return None


def _page_lines(page: Any) -> list[_Line]:
    """The lines of one page, top to bottom, each with its words left to right."""
    import pypdfium2.raw as raw

    _width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        words = _words(textpage, raw)
    finally:
        textpage.close()
    return _lines(words, height)


def _words(textpage: Any, raw: Any) -> list[_Word]:
    """The visible words of a text page, in content order.

    Sizes are the height of each character's font box: the nominal font size is often 1 with
    the scale in the text matrix. Invisible text (render mode 3) is left out: it is the OCR
    layer of a scanned page, which the reader refuses like any scan.
    """
    handle = textpage.raw
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    loose = raw.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    words: list[_Word] = []
    chars: list[str] = []
    cur: _Word | None = None
    # The right edge of the last character's loose box (its advance): word gaps are measured
    # between advances. The tight boxes that place words are narrower than the advance by the
    # side bearings, so a narrow glyph ("1", "I") looked set apart: "1990" came out "1 990"
    # and letter-spaced headings "U PDATED".
    edge = 0.0
    ordinal = False  # the raised letters of "1st", "2nd" are being added to their number
    soft = False  # a generated space or line end came after the current word

    def close() -> None:
        nonlocal cur
        if cur is not None and chars:
            cur.text = "".join(chars)
            words.append(cur)
        cur = None
        chars.clear()

    for i in range(raw.FPDFText_CountChars(handle)):
        code = raw.FPDFText_GetUnicode(handle, i)
        ch = chr(code) if code else ""
        if not ch:
            close()
            continue
        if raw.FPDFText_IsGenerated(handle, i):
            # PDFium's guess at a space or line end: a break, unless the raised suffix of an
            # ordinal follows ("7" "\r\n" "th": the suffix sits higher, so it looked like a
            # new line).
            soft = True
            continue
        if ch.isspace():
            close()
            continue
        if ch in _SOFT_HYPHENS:
            ch = "-"
        elif ord(ch) < 32 or ch == "\ufffd":
            continue
        # One call per character: cheaper than keying a cache by the object's address
        # (``ctypes.cast`` cost more than the call it saved).
        obj = raw.FPDFText_GetTextObject(handle, i)
        if obj and raw.FPDFTextObj_GetTextRenderMode(obj) == 3:
            continue
        raw.FPDFText_GetCharBox(handle, i, left, right, bottom, top)
        raw.FPDFText_GetLooseCharBox(handle, i, loose)
        raw.FPDFText_GetCharOrigin(handle, i, ox, oy)
        size = abs(loose.top - loose.bottom) or (top.value - bottom.value) or 1.0
        x0, x1, base = left.value, right.value, oy.value
        if cur is not None:
            gap = loose.left - edge
            shift = base - cur.base
            small = size < 0.8 * cur.size
            raised = small and 0.2 * cur.size < shift < 0.8 * cur.size
            if (
                raised
                and gap < 0.3 * cur.size
                and ch in _ORDINAL_LETTERS
                and (ordinal or (chars and chars[-1].isdigit()))
            ):
                soft = False
                # "1st", "2nd": the suffix belongs to its number (it is no footnote marker).
                ordinal = True
                cur.x1 = max(cur.x1, x1)
                edge = loose.right
                chars.append(ch)
                continue
        ordinal = False
        if soft:
            soft = False
            close()
        if cur is not None:
            gap = loose.left - edge
            shift = base - cur.base
            small = size < 0.8 * cur.size
            raised = small and 0.2 * cur.size < shift < 0.8 * cur.size
            if raised and -0.5 < gap < 0.3 * cur.size:
                # A superscript: its own word, so that a footnote number is not glued on.
                close()
                cur = _Word("", x0, x1, base, size, raised=True)
                edge = loose.right
                chars.append(ch)
                continue
            same_line = abs(shift) < 0.45 * max(size, cur.size)
            back_down = cur.raised and not small and abs(shift) > 0.15 * size
            apart = gap > 0.25 * max(size, cur.size) or gap < -max(size, cur.size)
            if back_down or not same_line or apart:
                close()
        if cur is None:
            cur = _Word("", x0, x1, base, size)
        else:
            cur.x1 = max(cur.x1, x1)
            if not cur.raised and size > cur.size:
                cur.size = size
        edge = loose.right
        chars.append(ch)
    close()
    return words


def _lines(words: list[_Word], height: float) -> list[_Line]:
    """Group words on a shared baseline; superscript markers are dropped, noted at a start."""
    _mark_raised_digits(words)
    for word in words:
        if "*" in word.text:
            word.text = _ASTERISKS.sub("", word.text)
    words = [w for w in words if w.text]
    lines: list[_Line] = []
    for word in sorted(
        (w for w in words if not w.raised or not _MARKER.match(w.text)),
        key=lambda w: (-w.base, w.x0),
    ):
        if lines and abs(lines[-1].base - word.base) < 0.4 * max(word.size, lines[-1].size):
            lines[-1].words.append(word)
        else:
            lines.append(_Line([word], height))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    markers = [w for w in words if w.raised and _MARKER.match(w.text)]
    for marker in markers:
        for line in lines:
            if (
                0 < marker.base - line.base < line.size
                and marker.x1 <= line.x0 + 0.5 * line.size
                and line.x0 - marker.x1 < 2 * line.size
            ):
                line.marker_start = True
    return lines


# Words are bucketed by baseline in steps of this many points for the footnote-marker check.
_BUCKET = 4.0


def _mark_raised_digits(words: list[_Word]) -> None:
    """A small run of digits set above the baseline of a word it touches is a footnote marker.

    (``_words`` catches a marker that directly follows its word's last character; this one
    catches markers written as text objects of their own.) Only words whose baseline is up to
    0.8 of a font size below the marker's can be its neighbour, so the words are bucketed by
    baseline and each candidate looks at the few buckets below it: comparing every digit with
    every word of the page made reading a page quadratic.
    """
    candidates = [w for w in words if not w.raised and _MARKER.match(w.text)]
    if not candidates:
        return
    buckets: dict[int, list[_Word]] = {}
    for word in words:
        buckets.setdefault(int(word.base // _BUCKET), []).append(word)
    reach = max(w.size for w in words)
    for word in candidates:
        low, high = int((word.base - 0.8 * reach) // _BUCKET), int(word.base // _BUCKET)
        word.raised = any(
            other is not word
            and word.size < 0.8 * other.size
            and 0.1 * other.size < word.base - other.base < 0.8 * other.size
            and (
                -0.5 * other.size < word.x0 - other.x1 < 1.5 * other.size
                or 0 <= other.x0 - word.x1 < 1.5 * other.size
            )
            for key in range(low, high + 1)
            for other in buckets.get(key, ())
        )


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def _compose(pages: list[list[_Line]], rules: list[Rules] | None = None) -> str:
    """The text of the document: furniture removed, footnotes at the end, blocks in order."""
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            for word in line.words:
                sizes[round(word.size, 1)] += len(word.text)
    if not sizes:
        return ""
    body = sizes.most_common(1)[0][0]

    # Running headers and footers: a line of the bands that repeats on other pages.
    seen: Counter[str] = Counter()
    for lines in pages:
        for key in {_key(line.text) for line in lines if _in_band(line, _BAND)}:
            seen[key] += 1
    repeats = 2 if len(pages) <= 4 else max(3, len(pages) // 5)

    vocabulary = Counter(
        w.text.lower().strip(".,;:()\"'“”’")
        for lines in pages
        for line in lines
        for w in line.words
    )
    pitch = _body_pitch(pages, body)

    paragraphs: list[str] = []
    notes: list[str] = []
    for number, lines in enumerate(pages):
        kept = [
            line
            for line in lines
            if not (
                _in_band(line, _OUTER_BAND)
                or _CONTENTS.search(line.text)
                or _LEADERS.match(line.text)
                or (
                    _in_band(line, _BAND)
                    and len(line.words) <= _FURNITURE_WORDS
                    and (seen[_key(line.text)] >= repeats or _PAGE_NUMBER.match(line.text))
                )
            )
        ]
        kept = _without_edge_numbers(kept)
        kept, page_notes = _split_footnotes(kept, body)
        notes.extend(page_notes)
        page_rules_ = rules[number] if rules else None
        free, tables = _tables(kept, page_rules_) if page_rules_ else (kept, [])
        for table in tables:
            # The text above a table comes before it; text beside it, after it.
            above = [line for line in free if line.base > table.top]
            free = [line for line in free if line.base <= table.top]
            paragraphs.extend(_emit(_blocks(above, pitch), vocabulary))
            paragraphs.extend(_table_rows(table, pitch, vocabulary))
        paragraphs.extend(_emit(_blocks(free, pitch), vocabulary))
    text = "\n\n".join(p for p in _mark_list_items(_one_line_titles(paragraphs)) if p.strip())
    if notes:
        # A Markdown heading, so that the cleanup sees it as one even after a last paragraph
        # without a stop (as a plain line it was joined to "-- o 0 o --" above it).
        text += "\n\n# Footnotes\n\n" + "\n".join(notes)
    return text + "\n" if text else ""


@dataclass
class _Table:
    """A ruled table: rows top to bottom, each its cells left to right (as blocks)."""

    rows: list[list[_Block]]

    @property
    def top(self) -> float:
        return max(line.base for row in self.rows for cell in row for line in cell.lines)


# A form row's number: "(d)", "b.", "4 (a)", "(a)(ii)", "1.", "II".
_ROW_NUMBER = re.compile(
    r"^(?:\d{1,2}\.?\s?)?(?:\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})[.)]){0,3}$|^[IVX]{1,4}\.?$"
)
# Cells of a table row have the same rule above them within this distance (points).
_ROW_SLACK = 2.0


def _tables(lines: list[_Line], rules: Rules) -> tuple[list[_Line], list[_Table]]:
    """The lines outside ruled tables, and the tables (top to bottom), from one page.

    Each word goes to the cell its middle lies in; a table is a run of rows of cells, each
    row starting at the rule that ends the row above it. A "table" whose rows are all one
    cell wide is a box around text (a framed paragraph): its lines stay as they were.
    """
    cells: dict[Cell, list[_Line]] = {}
    free: list[_Line] = []
    for line in lines:
        rest: list[_Word] = []
        parts: dict[Cell, _Line] = {}  # the part of this line in each cell
        for word in line.words:
            cell = rules.cell((word.x0 + word.x1) / 2, word.base + 0.3 * word.size)
            if cell is None:
                rest.append(word)
            elif cell in parts:
                parts[cell].words.append(word)
            else:
                parts[cell] = _Line([word], line.page_height, line.marker_start)
                cells.setdefault(cell, []).append(parts[cell])
        if rest:
            free.append(line if len(rest) == len(line.words) else _Line(rest, line.page_height))
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
    out: list[_Table] = []
    for table in tables:
        if all(len(row) == 1 for row in table):
            free.extend(line for row in table for cell in row for line in cells[cell])
            continue
        out.append(_Table([[_Block(cells[cell]) for cell in row] for row in table]))
    free.sort(key=lambda line: (-line.base, line.x0))
    return free, out


def _cell_blocks(cell: _Block, pitch: float) -> list[_Block]:
    """The paragraphs of a ruled cell, as blocks.

    The cell's walls are drawn, so its lines are not cut at wide gaps into columns (a
    justified cell has wide spaces, and "Base year: 1990" became three cells); a paragraph
    ends where the line pitch opens, or where a bullet starts an item.
    """
    paragraphs: list[_Block] = []
    left, right = cell.x0, cell.x1
    for line in cell.lines:
        last = paragraphs[-1].lines[-1] if paragraphs else None
        goes_on = (
            last is not None
            and line.words[0].text[:1].islower()
            and not _TERMINAL.search(last.text)
            and 0 < last.base - line.base <= 3 * max(pitch, last.size)
        )
        if (
            not goes_on
            and (
                last is None
                or not 0 < last.base - line.base <= max(pitch, last.size) * 1.2
                or _is_bullet(line.words[0].text, line)
                # A line that stops well short of the cell's width, before a capital: the end
                # of an entry of a list set one per line ("Fuel combustion" / "Transport").
                or (
                    last.x1 < right - 0.25 * (right - left)
                    and line.words[0].text[:1].isupper()
                    and not last.words[-1].text.endswith((",", "-"))
                )
            )
        ):
            paragraphs.append(_Block([line]))
        else:
            paragraphs[-1].lines.append(line)
    return paragraphs


def _cell_paragraphs(cell: _Block, pitch: float, vocabulary: Counter[str]) -> list[str]:
    """The paragraphs of a ruled cell, each on one line."""
    return [" ".join(_block_lines(p, vocabulary)) for p in _cell_blocks(cell, pitch)]


def _fields(labels: list[_Block], answers: list[_Block], vocabulary: Counter[str]) -> list[str]:
    """A row of a label cell and an answer cell, as ``label: answer`` paragraphs.

    A label cell of one paragraph takes the answer's first paragraph, wherever it sits in
    the cell (centred beside a question of several lines); a label cell of several (a form
    that rules only its sections: "(a) …", "(b) …" in one cell, their answers beside them in
    the next) takes for each label the answers that start beside it, before the next label.
    """

    def text(block: _Block) -> str:
        return " ".join(_block_lines(block, vocabulary))

    def field_of(label: _Block, mine: list[_Block]) -> list[str]:
        head = text(label)
        if mine and (
            _is_label(label, mine[0])
            or (len(label.lines) <= _QUESTION_LINES and not _TERMINAL.search(head))
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


def _is_table_heading(text: str, cell: _Block, table: _Table) -> bool:
    """A one-cell row spanning the table's width, short and without a stop."""
    left = min(c.x0 for row in table.rows for c in row)
    right = max(c.x1 for row in table.rows for c in row)
    wide = cell.x1 - cell.x0 >= 0.6 * (right - left)
    return wide and len(text.split()) <= _QUESTION_WORDS // 2 and not _TERMINAL.search(text)


def _table_rows(table: _Table, pitch: float, vocabulary: Counter[str]) -> list[str]:
    """A ruled table written as paragraphs.

    Each cell is read as a small page of its own (paragraphs, bullets, hyphens). A row of
    three or more cells is one line ``header: cell | header: cell`` (the first such row of
    short cells is the header); a row of a label and its answer is ``label: answer``, the
    answer's further paragraphs following on their own; a row of one cell is its paragraphs.
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
            opened = _Line(number + head.words, head.page_height, head.marker_start)
            row = [_Block([opened, *row[1].lines[1:]]), *row[2:]]
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
        if header is None and all(len(t.split()) <= _TABLE_CELL_WORDS for t in texts):
            header = texts
            out.append(" | ".join(texts))
            continue
        if header is not None and len(header) == len(texts):
            out.append(
                " | ".join(
                    f"{h}: {c}" if h and c else c for h, c in zip(header, texts, strict=True)
                )
            )
        else:
            out.append(" | ".join(texts))
    return out


def _without_edge_numbers(lines: list[_Line]) -> list[_Line]:
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


def _in_band(line: _Line, band: float) -> bool:
    h = line.page_height
    return line.base > h * (1 - band) or line.base - 0.25 * line.size < h * band


def _body_pitch(pages: list[list[_Line]], body: float) -> float:
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


def _split_footnotes(lines: list[_Line], body: float) -> tuple[list[_Line], list[str]]:
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


def _starts_note(line: _Line) -> bool:
    head = line.words[0].text
    return line.marker_start or (bool(_MARKER.match(head)) and len(line.words) > 1)


def _segments(line: _Line) -> list[_Line]:
    out = [_Line([line.words[0]], line.page_height, line.marker_start)]
    for word in line.words[1:]:
        prev = out[-1].words[-1]
        if word.x0 - prev.x1 > _COLUMN_GAP * max(word.size, prev.size):
            out.append(_Line([word], line.page_height))
        else:
            out[-1].words.append(word)
    return _justified(line, out)


def _justified(line: _Line, segments: list[_Line]) -> list[_Line]:
    """A justified line whose spaces came out wide is one segment, not a row of one-word
    cells: four or more segments of one or two words each, none of them a table's gap apart
    ("The  Parliament's  Standing  Committee  for ..." was cut into eight blocks). A bullet
    set before it stays a segment of its own."""
    head = segments[:1] if _is_bullet(segments[0].words[0].text, segments[0]) else []
    body = segments[len(head) :]
    if len(body) < 4 or any(len(seg.words) > 2 for seg in body):
        return segments
    if any(b.x0 - a.x1 > _TABLE_GAP * line.size for a, b in itertools.pairwise(body)):
        return segments
    words = [w for seg in body for w in seg.words]
    return [*head, _Line(words, line.page_height, body[0].marker_start)]


def _blocks(lines: list[_Line], pitch: float) -> list[_Block]:
    """Stack the segments of the lines into blocks (paragraphs and cells), in reading order."""
    blocks: list[_Block] = []
    open_blocks: list[_Block] = []
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
                    and not _is_bullet(seg.words[0].text, seg)
                ):
                    target = block
                    break
            if target is None:
                target = _Block()
                blocks.append(target)
                if not table:
                    open_blocks.append(target)
            target.lines.append(seg)
        # A block whose last line is far above the current line can take no more lines.
        open_blocks = [b for b in open_blocks if b.lines[-1].base - line.base <= 3 * pitch]
    return blocks


def _is_bullet(head: str, seg: _Line) -> bool:
    if head in _BULLETS:
        return True
    if len(seg.words) == 1 and head in ("-", "§"):
        return True  # a hyphen or section sign alone before a column of text: a bullet
    # "o" as a sub-bullet (Courier "o" in Word documents), set apart from its text.
    return head == "o" and len(seg.words) > 1 and seg.words[1].x0 - seg.words[0].x1 > 2


def _rows(blocks: list[_Block]) -> list[list[_Block]]:
    """Blocks that start on the same baseline, left to right; others alone, top to bottom."""
    rows: list[list[_Block]] = []
    for block in blocks:  # already top to bottom by first line
        if rows and abs(rows[-1][0].top - block.top) < 0.6 * block.size:
            rows[-1].append(block)
        else:
            rows.append([block])
    for row in rows:
        row.sort(key=lambda b: b.x0)
    return rows


def _emit(blocks: list[_Block], vocabulary: Counter[str]) -> list[str]:
    blocks.sort(key=lambda b: (-round(b.top, 0), b.x0))
    out: list[str] = []
    header: list[str] | None = None
    header_at: int | None = None  # where the header row was written, until a row uses it
    for row in _rows(blocks):
        texts = [_block_lines(b, vocabulary) for b in row]
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
        if len(row) >= 3 and all(b.words() <= _TABLE_CELL_WORDS * len(b.lines) for b in row):
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
        if len(row) >= 2 and _is_label(row[-2], row[-1]):
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


def _one_line_titles(paragraphs: list[str]) -> list[str]:
    """A short paragraph without a stop is a title: written on one line, so that the cleanup
    sees it whole (its first line alone, ending on "ON" of "... COMMISSION ON / BEHALF OF
    ...", read as a sentence going on and the title became a claim)."""
    out: list[str] = []
    for para in paragraphs:
        flat = " ".join(para.split())
        if (
            "\n" in para
            and len(flat.split()) <= _TITLE_WORDS
            and not _TERMINAL.search(flat)
            and " | " not in flat
            and ": " not in flat  # a form field ("Gases covered: ...") is a claim
            and not flat.startswith("•")
        ):
            para = flat
        out.append(para)
    return out


def _mark_list_items(paragraphs: list[str]) -> list[str]:
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
        if in_list and para[:1].islower() and _TERMINAL.search(out[-1].rstrip()):
            out.append("• " + para)
            continue
        in_list = para.rstrip().endswith(":")
        out.append(para)
    return out


def _is_label(block: _Block, answer: _Block | None = None) -> bool:
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
        and len(block.lines) <= _QUESTION_LINES
        and len(answer.lines) < len(block.lines)
    ):
        limit = _QUESTION_WORDS
    return words <= limit and (text.endswith(":") or not _TERMINAL.search(text))


def _block_lines(block: _Block, vocabulary: Counter[str]) -> list[str]:
    """The block's lines as text, bullets made plain and line-end hyphens resolved."""
    lines = [[w.text for w in line.words] for line in block.lines]
    if lines and lines[0] and (lines[0][0] in _BULLETS or _is_bullet(lines[0][0], block.lines[0])):
        lines[0][0] = "•"
    for i in range(len(lines) - 1):
        if not lines[i] or not lines[i + 1]:
            continue
        last, nxt = lines[i][-1], lines[i + 1][0]
        if len(last) > 1 and last[-1] in _HYPHENS and last[-2].isalpha() and nxt[:1].islower():
            lines[i][-1] = _dehyphenate(last[:-1], nxt, vocabulary)
            lines[i + 1].pop(0)
    return [" ".join(words) for words in lines if words]


def _dehyphenate(head: str, tail: str, vocabulary: Counter[str]) -> str:
    """``emis`` + ``sions`` → ``emissions``; ``fourth`` + ``largest`` → ``fourth-largest``.

    The document decides: the word as one (without its trailing punctuation) is more common in
    it than as a compound, else the hyphen stays when both halves are words of the document.
    """
    word = tail.rstrip(".,;:)\"'”’")
    joined, compound = (head + word).lower(), f"{head}-{word}".lower()
    if vocabulary[joined] > vocabulary[compound]:
        return head + tail
    if vocabulary[compound] or (vocabulary[head.lower()] and vocabulary[word.lower()]):
        return f"{head}-{tail}"
    return head + tail
