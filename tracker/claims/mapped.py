"""Text that remembers where each of its characters came from.

Cleanup rewrites the extracted text (drops link syntax, running headers, escapes; joins broken
sentences), but every claim must keep its span in the archived text. ``Mapped`` carries, for
each character of the cleaned text, its offset in the original, so spans survive any number of
edits without re-searching for the claim afterwards.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass


# A run of white space that is not already one plain space: a single space between words
# needs no work, and matching only the other runs spares a match object per word.
_SPACE_RUN = re.compile(r"\s{2,}|[^\S ]")


@dataclass(frozen=True)
class Mapped:
    """A string plus the original offset of each of its characters."""

    text: str
    offsets: array[int]

    @classmethod
    def of(cls, text: str, start: int = 0) -> Mapped:
        """Wrap a slice of the original that begins at ``start``."""
        return cls(text, array("q", range(start, start + len(text))))

    def __len__(self) -> int:
        return len(self.text)

    def slice(self, start: int, end: int) -> Mapped:
        """The characters ``start:end``, keeping their origins."""
        return Mapped(self.text[start:end], self.offsets[start:end])

    def strip(self) -> Mapped:
        """Drop surrounding white space."""
        text = self.text
        # Most lines and paragraphs have nothing to strip: no copy of their offsets then.
        if not text or not (text[0].isspace() or text[-1].isspace()):
            return self
        left = len(text) - len(text.lstrip())
        right = len(text.rstrip())
        return self.slice(left, max(left, right))

    def span(self, start: int = 0, end: int | None = None) -> tuple[int, int]:
        """The original span covered by characters ``start:end`` (end exclusive)."""
        end = len(self.text) if end is None else end
        if end <= start:
            origin = self.offsets[start] if start < len(self.offsets) else 0
            return origin, origin
        return self.offsets[start], self.offsets[end - 1] + 1

    def keep_groups(self, pattern: re.Pattern[str]) -> Mapped:
        """Replace each match of ``pattern`` by its numbered groups, in order.

        Characters of the kept groups keep their origins, so ``[text](#)`` becomes ``text``
        whose offsets still point inside the brackets of the original.
        """
        parts: list[str] = []
        offs = array("q")
        pos = 0
        for match in pattern.finditer(self.text):
            parts.append(self.text[pos : match.start()])
            offs.extend(self.offsets[pos : match.start()])
            for group in range(1, (pattern.groups or 0) + 1):
                g_start, g_end = match.span(group)
                if g_start >= 0:
                    parts.append(self.text[g_start:g_end])
                    offs.extend(self.offsets[g_start:g_end])
            pos = match.end()
        if pos == 0:
            return self
        parts.append(self.text[pos:])
        offs.extend(self.offsets[pos:])
        return Mapped("".join(parts), offs)

    def collapse_spaces(self) -> Mapped:
        """Fold every run of white space into one space (mapped to the run's first char)."""
        return _join_pieces(self, _SPACE_RUN, " ")


def join(parts: list[Mapped], sep: str = " ") -> Mapped:
    """Concatenate mapped strings; each separator maps to the end of the part before it."""
    texts: list[str] = []
    offs = array("q")
    for i, part in enumerate(parts):
        if i:
            texts.append(sep)
            anchor = offs[-1] + 1 if offs else 0
            offs.extend([anchor] * len(sep))
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
        parts.append(m.text[pos : match.start()])
        offs.extend(m.offsets[pos : match.start()])
        parts.append(repl)
        offs.extend([m.offsets[match.start()]] * len(repl))
        pos = match.end()
    if pos == 0:
        return m
    parts.append(m.text[pos:])
    offs.extend(m.offsets[pos:])
    return Mapped("".join(parts), offs)
