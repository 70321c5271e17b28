"""The ruled cells of a PDF page: which cell of a drawn table a point lies in.

Official PDFs draw their tables: thin horizontal and vertical rules (path objects) around
every cell. Where the rules are drawn they say exactly what the glyph positions alone leave
open: which lines of a cell that wraps belong together, and which cells make a row. Read
without them, a measures table whose cells wrap over several lines came out as a run of
fragments ("to 2030. | actions. | CH4 from ..."), and a form's answer centred beside a
question of several lines stayed apart from it.

Only the geometry is used (no colours, no text): a rule is a path object at most
``_THIN`` points thick and at least ``_MIN_RULE`` long; a cell is the space between the
nearest rules on its four sides. A point with no rule on one of its sides is in no cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# A drawn rule is thinner than this (points), and longer than ``_MIN_RULE``.
_THIN = 3.0
_MIN_RULE = 8.0
# Rules within this distance (points) meet; ends of segments drawn cell by cell overlap.
_SLACK = 2.0
# A cell taller or wider than this share of the page is a frame around the page, no cell.
_FRAME = 0.8


@dataclass(frozen=True)
class Cell:
    """A cell of a ruled table, by the rules around it (PDF units, y upwards)."""

    left: float
    right: float
    top: float
    bottom: float


@dataclass(frozen=True)
class Rules:
    """The horizontal rules (y, x0, x1) and vertical rules (x, y0, y1) of one page."""

    horizontal: tuple[tuple[float, float, float], ...]
    vertical: tuple[tuple[float, float, float], ...]
    width: float
    height: float

    def __bool__(self) -> bool:
        # A cell needs two rules each way.
        return len(self.horizontal) >= 2 and len(self.vertical) >= 2

    def cell(self, x: float, y: float) -> Cell | None:
        """The cell that the point ``(x, y)`` lies in, or ``None``."""
        above = below = left = right = None
        for ry, x0, x1 in self.horizontal:
            if x0 - _SLACK <= x <= x1 + _SLACK:
                if ry > y and (above is None or ry < above):
                    above = ry
                elif ry < y and (below is None or ry > below):
                    below = ry
        if above is None or below is None:
            return None
        for rx, y0, y1 in self.vertical:
            if y0 - _SLACK <= y <= y1 + _SLACK:
                if rx < x and (left is None or rx > left):
                    left = rx
                elif rx > x and (right is None or rx < right):
                    right = rx
        if left is None or right is None:
            return None
        if above - below > _FRAME * self.height or right - left > _FRAME * self.width:
            return None
        return Cell(round(left, 0), round(right, 0), round(above, 0), round(below, 0))


def page_rules(page: Any) -> Rules:
    """The drawn rules of a pypdfium2 page: thin path objects, and the edges of rectangles.

    A cell drawn as a stroked rectangle gives its four edges; a filled one (a shaded header
    row) gives them too, and they coincide with its borders.
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    width, height = page.get_size()
    horizontal: list[tuple[float, float, float]] = []
    vertical: list[tuple[float, float, float]] = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=4):
        try:
            x0, y0, x1, y1 = obj.get_bounds()
        except pdfium.PdfiumError:  # a path PDFium cannot measure is no rule
            continue
        w, h = x1 - x0, y1 - y0
        if h <= _THIN and w >= _MIN_RULE:
            horizontal.append(((y0 + y1) / 2, x0, x1))
        elif w <= _THIN and h >= _MIN_RULE:
            vertical.append(((x0 + x1) / 2, y0, y1))
    return _grid(horizontal, vertical, width, height)


def _grid(
    horizontal: list[tuple[float, float, float]],
    vertical: list[tuple[float, float, float]],
    width: float,
    height: float,
) -> Rules:
    """Only the rules of a grid: a horizontal rule whose ends meet vertical rules, a
    vertical rule whose ends meet horizontal ones. Underlines, strokes of drawn glyphs and
    the bars beside a quotation meet nothing, and read as cell walls they cut lines of
    running text into words."""

    def meets_vertical(x: float, y: float) -> bool:
        return any(
            abs(vx - x) <= _SLACK and vy0 - _SLACK <= y <= vy1 + _SLACK for vx, vy0, vy1 in vertical
        )

    def meets_horizontal(x: float, y: float) -> bool:
        return any(
            abs(hy - y) <= _SLACK and hx0 - _SLACK <= x <= hx1 + _SLACK
            for hy, hx0, hx1 in horizontal
        )

    h = tuple(r for r in horizontal if meets_vertical(r[1], r[0]) and meets_vertical(r[2], r[0]))
    v = tuple(r for r in vertical if meets_horizontal(r[0], r[1]) and meets_horizontal(r[0], r[2]))
    return Rules(h, v, width, height)
