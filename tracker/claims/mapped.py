"""Text that remembers where each of its characters came from.

Cleanup rewrites the extracted text (drops link syntax, running headers, escapes; joins broken
sentences), but every claim must keep its span in the archived text. ``Mapped`` carries, for
each character of the cleaned text, its offset in the original, so spans survive any number of
edits without re-searching for the claim afterwards.

Most text is never edited: a plain line of prose is a run of consecutive original characters.
Such a ``Mapped`` keeps only the offset of its first character, and builds the per-character
array only when an edit needs it (``offsets``), so clean paragraphs cost no bookkeeping.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence

# A run of white space that is not already one plain space: a single space between words
# needs no work, and matching only the other runs spares a match object per word.
_SPACE_RUN = re.compile(r"\s{2,}|[^\S ]")


class Mapped:
    """A string plus the original offset of each of its characters."""

    __slots__ = ("_base", "_offsets", "text")

    def __init__(self, text: str, offsets: array[int] | None = None, base: int = 0) -> None:
        """``offsets`` gives each character's origin; without it, the characters are the
        consecutive originals from ``base`` on."""
        self.text = text
        self._offsets = offsets
        self._base = base

    @classmethod
    def of(cls, text: str, start: int = 0) -> Mapped:
        """Wrap a slice of the original that begins at ``start``."""
        return cls(text, None, start)

    @property
    def offsets(self) -> array[int]:
        """The original offset of each character."""
        if self._offsets is None:
            self._offsets = array("q", range(self._base, self._base + len(self.text)))
        return self._offsets

    def origin(self, index: int) -> int:
        """The original offset of character ``index`` (``0 <= index < len(self)``)."""
        if self._offsets is None:
            return self._base + index
        return self._offsets[index]

    def __len__(self) -> int:
        return len(self.text)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapped):
            return NotImplemented
        return self.text == other.text and self.offsets == other.offsets

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return f"Mapped({self.text!r}, {list(self.offsets)!r})"

    def slice(self, start: int, end: int) -> Mapped:
        """The characters ``start:end``, keeping their origins."""
        if self._offsets is None:
            start, end, _ = slice(start, end).indices(len(self.text))
            return Mapped(self.text[start:end], None, self._base + start)
        return Mapped(self.text[start:end], self._offsets[start:end])

    def strip(self) -> Mapped:
        """Drop surrounding white space."""
        text = self.text
        # Most lines and paragraphs have nothing to strip: no copy then.
        if not text or not (text[0].isspace() or text[-1].isspace()):
            return self
        left = len(text) - len(text.lstrip())
        right = len(text.rstrip())
        return self.slice(left, max(left, right))

    def span(self, start: int = 0, end: int | None = None) -> tuple[int, int]:
        """The original span covered by characters ``start:end`` (end exclusive)."""
        end = len(self.text) if end is None else end
        if end <= start:
            origin = self.origin(start) if start < len(self.text) else 0
            return origin, origin
        return self.origin(start), self.origin(end - 1) + 1

    def keep_groups(self, pattern: re.Pattern[str]) -> Mapped:
        """Replace each match of ``pattern`` by its numbered groups, in order.

        Characters of the kept groups keep their origins, so ``[text](#)`` becomes ``text``
        whose offsets still point inside the brackets of the original.
        """
        parts: list[str] = []
        offs = array("q")
        pos = 0
        for match in pattern.finditer(self.text):
            offsets = self.offsets
            parts.append(self.text[pos : match.start()])
            offs.extend(offsets[pos : match.start()])
            for group in range(1, (pattern.groups or 0) + 1):
                g_start, g_end = match.span(group)
                if g_start >= 0:
                    parts.append(self.text[g_start:g_end])
                    offs.extend(offsets[g_start:g_end])
            pos = match.end()
        if pos == 0:
            return self
        parts.append(self.text[pos:])
        offs.extend(self.offsets[pos:])
        return Mapped("".join(parts), offs)

    def collapse_spaces(self) -> Mapped:
        """Fold every run of white space into one space (mapped to the run's first char)."""
        text = self.text
        # Every white-space character but the plain space is unprintable, so printable text
        # without a double space has nothing to fold (a C-speed test, no regex scan).
        if "  " not in text and text.isprintable():
            return self
        return _join_pieces(self, _SPACE_RUN, " ")


def join(parts: list[Mapped], sep: str = " ", seps: Sequence[str] | None = None) -> Mapped:
    """Concatenate mapped strings; each separator maps to the end of the part before it.

    ``seps`` gives each gap its own separator (``seps[i - 1]`` before ``parts[i]``)."""
    texts: list[str] = []
    offs = array("q")
    for i, part in enumerate(parts):
        if i:
            gap = sep if seps is None else seps[i - 1]
            texts.append(gap)
            anchor = offs[-1] + 1 if offs else 0
            offs.extend([anchor] * len(gap))
        texts.append(part.text)
        offs.extend(part.offsets)
    return Mapped("".join(texts), offs)


def _join_pieces(m: Mapped, pattern: re.Pattern[str], repl: str) -> Mapped:
    parts: list[str] = []
    offs = array("q")
    pos = 0
    for match in pattern.finditer(m.text):
        if match.group() == repl:
            continue
        offsets = m.offsets
        parts.append(m.text[pos : match.start()])
        offs.extend(offsets[pos : match.start()])
        parts.append(repl)
        offs.extend([offsets[match.start()]] * len(repl))
        pos = match.end()
    if pos == 0:
        return m
    parts.append(m.text[pos:])
    offs.extend(m.offsets[pos:])
    return Mapped("".join(parts), offs)
