"""Layout-aware PDF text: positions of every character, read back as paragraphs.

A PDF's text layer is glyphs at positions, not prose. Read in content order (what pypdf's
``extract_text`` gives), official submissions come out with page numbers and running footers
inside sentences, footnote numbers glued to words ("energy mix1"), footnotes as sentences,
line-end hyphens kept, and the two columns of a form (label | answer) interleaved line by line.
Here pypdfium2 (PDFium, the reader of Chrome) gives each character's box, baseline and font
size, and the page is rebuilt from them:

1. characters → words (a gap wider than a fraction of the font size splits) and words →
   lines (shared baseline); raised small digits are footnote markers and are dropped, and a
   sign of a symbol font standing alone is a bullet;
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

The steps live beside this module: 1 in ``pdf_lines.py``, 2 and 3 in ``pdf_furniture.py``, 4
in ``pdf_blocks.py``, 5 and 6 in ``pdf_paragraphs.py``, and ruled tables in ``pdf_tables.py``
(their rules found by ``pdf_rules.py``). Here the document is opened and its pages composed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from tracker.claims.hyphens import word_counts
from tracker.errors import InputError
from tracker.ingest.pdf_blocks import body_pitch, stack_blocks
from tracker.ingest.pdf_furniture import (
    band_repeats,
    is_furniture,
    split_footnotes,
    without_edge_numbers,
)
from tracker.ingest.pdf_lines import Line, page_lines
from tracker.ingest.pdf_paragraphs import emit_blocks, mark_list_items, one_line_titles
from tracker.ingest.pdf_rules import Rules, page_rules
from tracker.ingest.pdf_tables import find_tables, table_rows


@dataclass(frozen=True)
class PdfText:
    """What the layout reader found: text plus the info dictionary's fields."""

    text: str
    title: str | None
    author: str | None
    created: dt.date | None


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
        pages: list[list[Line]] = []
        rules: list[Rules] = []
        for index in range(len(document)):
            page = document[index]
            try:
                pages.append(page_lines(page))
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


def _compose(pages: list[list[Line]], rules: list[Rules] | None = None) -> str:
    """The text of the document: furniture removed, footnotes at the end, blocks in order."""
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            for word in line.words:
                sizes[round(word.size, 1)] += len(word.text)
    if not sizes:
        return ""
    body = sizes.most_common(1)[0][0]

    seen, repeats = band_repeats(pages)

    vocabulary = word_counts(w.text for lines in pages for line in lines for w in line.words)
    pitch = body_pitch(pages, body)

    paragraphs: list[str] = []
    notes: list[str] = []
    for number, lines in enumerate(pages):
        kept = [line for line in lines if not is_furniture(line, seen, repeats)]
        kept = without_edge_numbers(kept)
        kept, page_notes = split_footnotes(kept, body)
        notes.extend(page_notes)
        page_rules_ = rules[number] if rules else None
        free, tables = find_tables(kept, page_rules_) if page_rules_ else (kept, [])
        for table in tables:
            # The text above a table comes before it; text beside it, after it.
            above = [line for line in free if line.base > table.top]
            free = [line for line in free if line.base <= table.top]
            paragraphs.extend(emit_blocks(stack_blocks(above, pitch), vocabulary))
            paragraphs.extend(table_rows(table, pitch, vocabulary))
        paragraphs.extend(emit_blocks(stack_blocks(free, pitch), vocabulary))
    text = "\n\n".join(p for p in mark_list_items(one_line_titles(paragraphs)) if p.strip())
    if notes:
        # A Markdown heading, so that the cleanup sees it as one even after a last paragraph
        # without a stop (as a plain line it was joined to "-- o 0 o --" above it).
        text += "\n\n# Footnotes\n\n" + "\n".join(notes)
    return text + "\n" if text else ""
