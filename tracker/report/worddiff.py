"""Word-level diff of two claims (difflib on tokens), shared by every renderer."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of words that is the same on both sides, or only in the old or the new claim."""

    op: Literal["same", "old", "new"]
    text: str


def word_diff(old: str, new: str) -> list[Segment]:
    """Segments that turn ``old`` into ``new``, word by word.

    Tokens are compared case-sensitively but white space is ignored, so re-wrapped text
    shows no change. ``autojunk`` is off: claims are short and every word matters.
    """
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(Segment("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(Segment("old", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(Segment("new", " ".join(b[j1:j2])))
    return out
