"""Characters to words to lines: what PDFium reports of a page's text, grouped by position.

pypdfium2 gives each character's tight and loose box, baseline and font size. A word ends at
a gap wider than a fraction of the font size (measured between advances) or where the
baseline moves; a line is the words on a shared baseline, left to right. Raised small
digits are footnote markers: their own words, then dropped, with a note on the line they
start. Invisible text (the OCR layer of a scan) is left out.
"""

from __future__ import annotations

import ctypes
import math
import re
from dataclasses import dataclass
from typing import Any

_SOFT_HYPHENS = frozenset("\x02\xad")
_ORDINAL_LETTERS = frozenset("stndrh")
# A footnote marker's text: digits, asterisks, daggers, section signs (and commas between).
MARKER = re.compile(r"^[\d*†‡§,]+$")
# Asterisks as note markers ("2030**.", "*Including", "TWh **"): a PDF has no Markdown, and
# left in they read as bold markup ("**132.74 TWh …") or fused markers.
_ASTERISKS = re.compile(r"^\*+$|(?<=[\w%)])\*+(?=[.,;:)]*$)|^\*+(?=[\w(])")


# Fonts of pictures, not letters: a bullet or check mark drawn in one of them often comes
# out as an ASCII sign ("!" in SymbolMT or Wingdings), read as punctuation by what follows.
_SYMBOL_FONT = re.compile(r"(?:^|\+)(?:Symbol|Wingdings|Webdings|ZapfDingbats|Dingbats)", re.I)


def _symbol_font(raw: Any, handle: Any, index: int) -> bool:
    """Whether the character at ``index`` is drawn in a symbol font (by its name). Asked
    only of the first character of a word that is ASCII punctuation, so a buffer per call
    costs nothing and keeps readers on several threads apart."""
    name, flags = ctypes.create_string_buffer(128), ctypes.c_int()
    raw.FPDFText_GetFontInfo(handle, index, name, len(name), ctypes.byref(flags))
    return bool(_SYMBOL_FONT.search(name.value.decode("latin-1")))


# A word drawn again within this share of the font size across and up from the same word is
# a shadow or fake-bold copy.
SHADOW_ACROSS = 0.35
SHADOW_UP = 0.4


@dataclass
class Word:
    """A word of a page: its text, horizontal extent, baseline and font size."""

    text: str
    x0: float
    x1: float
    base: float  # baseline, PDF units (upwards)
    size: float
    raised: bool = False  # superscript: set above the baseline in a smaller size


@dataclass
class Line:
    """Words on a shared baseline, left to right, and the height of their page."""

    words: list[Word]
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


def page_lines(page: Any) -> list[Line]:
    """The lines of one page, top to bottom, each with its words left to right."""
    import pypdfium2.raw as raw

    _width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        words = _words(textpage, raw)
    finally:
        textpage.close()
    return _lines(words, height)


def _words(textpage: Any, raw: Any) -> list[Word]:
    """The visible words of a text page, in content order.

    Sizes are the height of each character's font box: the nominal font size is often 1 with
    the scale in the text matrix. Invisible text (render mode 3) is left out: it is the OCR
    layer of a scanned page, which the reader refuses like any scan.
    """
    handle = textpage.raw
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    loose = raw.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    words: list[Word] = []
    chars: list[str] = []
    cur: Word | None = None
    # The right edge of the last character's loose box (its advance): word gaps are measured
    # between advances. The tight boxes that place words are narrower than the advance by the
    # side bearings, so a narrow glyph ("1", "I") looked set apart: "1990" came out "1 990"
    # and letter-spaced headings "U PDATED".
    edge = 0.0
    ordinal = False  # the raised letters of "1st", "2nd" are being added to their number
    soft = False  # a generated space or line end came after the current word
    glyph = False  # the current word is one sign of a symbol font

    def close() -> None:
        nonlocal cur, glyph
        if cur is not None and chars:
            # A sign of a symbol font standing alone is a bullet or a check mark, not text.
            cur.text = "•" if glyph and len(chars) == 1 else "".join(chars)
            words.append(cur)
        cur = None
        chars.clear()
        glyph = False

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
                cur = Word("", x0, x1, base, size, raised=True)
                edge = loose.right
                chars.append(ch)
                continue
            same_line = abs(shift) < 0.45 * max(size, cur.size)
            back_down = cur.raised and not small and abs(shift) > 0.15 * size
            apart = gap > 0.25 * max(size, cur.size) or gap < -max(size, cur.size)
            if back_down or not same_line or apart:
                close()
        if cur is None:
            cur = Word("", x0, x1, base, size)
            glyph = 32 < code < 127 and not ch.isalnum() and _symbol_font(raw, handle, i)
        else:
            cur.x1 = max(cur.x1, x1)
            if not cur.raised and size > cur.size:
                cur.size = size
        edge = loose.right
        chars.append(ch)
    close()
    return _without_copies(words)


def _without_copies(words: list[Word]) -> list[Word]:
    """The words of a page without the copies of words drawn twice in one place.

    Some PDFs fake bold type or a drop shadow by drawing the text twice, a point or two
    apart, as another text object later in the page: read as it is, every word came out
    twice ("ASSUMPTIONS ASSUMPTIONS", "Methodology Methodology for for"). A copy is the same
    text within about a third of the font size of an earlier word, across and up, and not
    the word just before it. Whole words are compared, never single glyphs: in a dense table
    a digit often lies that near the same digit of another cell.
    """
    # Words kept so far, by text and baseline (whole points), with their place in the page.
    drawn: dict[tuple[str, int], list[tuple[float, float, int]]] = {}
    kept: list[Word] = []
    for index, word in enumerate(words):
        row, rows = round(word.base), math.ceil(SHADOW_UP * word.size)
        copy = any(
            index - seen_at > 1
            and abs(word.x0 - x_seen) < SHADOW_ACROSS * word.size
            and abs(word.base - base_seen) < SHADOW_UP * word.size
            for r in range(row - rows, row + rows + 1)
            for x_seen, base_seen, seen_at in drawn.get((word.text, r), ())
        )
        if not copy:
            drawn.setdefault((word.text, row), []).append((word.x0, word.base, index))
            kept.append(word)
    return kept


def _lines(words: list[Word], height: float) -> list[Line]:
    """Group words on a shared baseline; superscript markers are dropped, noted at a start."""
    _mark_raised_digits(words)
    for word in words:
        if "*" in word.text:
            word.text = _ASTERISKS.sub("", word.text)
    words = [w for w in words if w.text]
    lines: list[Line] = []
    for word in sorted(
        (w for w in words if not w.raised or not MARKER.match(w.text)),
        key=lambda w: (-w.base, w.x0),
    ):
        if lines and abs(lines[-1].base - word.base) < 0.4 * max(word.size, lines[-1].size):
            lines[-1].words.append(word)
        else:
            lines.append(Line([word], height))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    markers = [w for w in words if w.raised and MARKER.match(w.text)]
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


def _mark_raised_digits(words: list[Word]) -> None:
    """A small run of digits set above the baseline of a word it touches is a footnote marker.

    (``_words`` catches a marker that directly follows its word's last character; this one
    catches markers written as text objects of their own.) Only words whose baseline is up to
    0.8 of a font size below the marker's can be its neighbour, so the words are bucketed by
    baseline and each candidate looks at the few buckets below it: comparing every digit with
    every word of the page made reading a page quadratic.
    """
    candidates = [w for w in words if not w.raised and MARKER.match(w.text)]
    if not candidates:
        return
    buckets: dict[int, list[Word]] = {}
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
