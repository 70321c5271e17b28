"""What each line of extracted text is, before sentences are rejoined: ``classify_line``.

A line is a heading (Markdown ``#``, a numbered section in capitals, a table or figure
title, a run-in heading alone), text (prose, or a list item with its marker), or dropped
(running headers, photo captions and credits, author blurbs, donor and site boilerplate).
Also here: the list-marker styles (``marker_style``), and the byline and tail-section
headings that ``clean_blocks`` acts on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from tracker.claims.mapped import Mapped
from tracker.claims.markup import RUN_IN
from tracker.claims.sentence_ends import TERMINAL

_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
# List markers: bullets, "1." / "1)", and letters or roman numerals ("a.", "(ii)", "(B)")
# when an item in capitals follows or the marker is set off by a wide space, as legal text
# sets it (a wrapped line can start with "(a) of this section").
_BULLET = re.compile(
    r"^(?:[-*•‣◦]|\d{1,2}[.)])\s+"
    r"|^(?:\\?\((?:[a-z]{1,2}|[ivx]{1,5}|[A-Z]|\d{1,2})\\?\)|(?:[a-z]|[ivx]{1,5})[.)])"
    r"(?:\s{2,}|\s+(?=[A-Z“\"]))"
)
_CAPTION_CREDIT = re.compile(
    # Not the target of a Markdown link ("[Arizona](https://…/fact-sheet.pdf)").
    r"(?<!\])\((?:[^()]*/[^()]*|[^()]*\b(?:Getty|AFP|Reuters|AP Photo|Photo|Image|Credit|"
    r"Shutterstock)\b[^()]*)\)\s*$"
)
NUMBERED_CAPTION = re.compile(
    r"^(?:Table|Figure|Fig\.|Chart|Graph|Box|Map|Exhibit)\s+[A-Z]?\d+(?:[.-]\d+)*[.:]?\s+\S"
)
_CAPTION_PREFIX = re.compile(r"^(?:Photo|Image|Picture|Caption|Source|Credit)s?\s*[:|]", re.I)
_AUTHOR_BLURB = re.compile(
    r"^(?:[A-Z][\w.'’-]+\s){1,4}(?:is|was|serves as)\s+(?:a|an|the)\s+(?:[\w-]+\s){0,4}?"
    r"(?:fellow|director|analyst|professor|researcher|assistant|editor|president|head|lecturer|"
    r"associate|scholar|expert|chair|member|correspondent|reporter|officer|adviser|advisor|"
    r"consultant|specialist|manager|coordinator)\b"
)
_BOILERPLATE = re.compile(
    r"would like to thank|full list of (?:our )?supporters|editorial (?:discretion|independence)|"
    r"nonpartisan organi[sz]ation|are (?:those|solely those) of the authors?|views expressed|"
    r"all rights reserved|subscribe to|sign up for (?:our|the) newsletter|accept (?:all )?cookies|"
    r"this (?:article|brief|piece) (?:was|is) (?:originally )?published|^share this|"
    r"^read more\b|^related\b|^tags?:|^download (?:the )?pdf",
    re.IGNORECASE,
)
_NAME = r"[A-Z][a-z'’-]+(?:\s[A-Z]\.)?(?:\s(?:van|von|de|da|del|der|bin)?\s?[A-Z][a-z'’-]+){1,2}"
# "Oskar Pietrewicz, Damian Wnukowski": a byline, not a section heading.
BYLINE = re.compile(rf"^(?:By\s+)?{_NAME}(?:(?:,\s*|\s+and\s+|\s*&\s*){_NAME})*$")
# A section titled like this ends the body: what follows is about the authors or the publisher.
TAIL_HEADINGS = re.compile(
    r"^(?:authors?|about the authors?|author information|footnotes|notes|references|"
    r"endnotes|acknowledg(?:e)?ments|related content|more from)$",
    re.IGNORECASE,
)


@dataclass
class Unit:
    """A line as ``classify_line`` read it: heading, text or dropped."""

    kind: Literal["text", "heading", "drop"]
    m: Mapped
    bullet: bool = False
    marker: str | None = None
    marked: bool = False  # a markdown ``#`` heading: a heading by the author's own markup


def mapped_lines(text: str) -> list[Mapped]:
    """The lines of ``text``, each stripped and keeping its offsets in ``text``."""
    out: list[Mapped] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        out.append(Mapped.of(body, pos).strip())
        pos += len(line)
    return out


# The characters that ``re.IGNORECASE`` matches to an ASCII letter although they are not ASCII
# ("ı" and "İ" match "i", "ſ" matches "s", the Kelvin sign matches "k"). Without them, a
# case-insensitive match of an ASCII pattern is a case-sensitive match in the lower-cased text.
_CASE_TRAPS = re.compile("[\u0130\u0131\u017f\u212a]")


# A fixed piece of each alternative of ``_BOILERPLATE`` (of the lower-cased text), and the
# starts of its anchored alternatives.
_BOILERPLATE_HINTS = (
    "would like to thank", "full list of ", "editorial ", "nonpartisan organi",
    "those of the author", "views expressed", "all rights reserved", "subscribe to",
    "sign up for ", "cookies", "published",
)  # fmt: skip
_BOILERPLATE_STARTS = ("share this", "read more", "related", "tag", "download ")


def is_boilerplate(text: str) -> bool:
    """``_BOILERPLATE.search(text)``, without its cost on the lines that are plainly not.

    A case-insensitive search tries every alternative at every position. Unless the text
    holds one of the ``_CASE_TRAPS``, a match needs one of the hints in the lower-cased text,
    and a few substring tests rule most lines out.
    """
    if not _CASE_TRAPS.search(text):
        low = text.lower()
        if not low.startswith(_BOILERPLATE_STARTS) and not any(
            hint in low for hint in _BOILERPLATE_HINTS
        ):
            return False
    return bool(_BOILERPLATE.search(text))


def _is_upper_header(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


_ROMAN = frozenset("ivxlc")


def marker_style(marker: str) -> str:
    """The style of a list marker: its brackets and the kind of its numbering.

    "(a)" and "b." are ``(a)`` and ``a.``; "(iv)" is ``(i)``; "(B)" is ``(A)``; "3)" is
    ``1)``; a bullet glyph is itself. A letter that is also a roman numeral ("i", "v", "x")
    is read as roman: a caller that knows the letter before it decides otherwise.
    """
    mark = marker.strip()
    core = mark.strip("().")
    shape = mark.replace(core, "#", 1) if core else mark
    if core.isdigit():
        kind = "1"
    elif core and set(core) <= _ROMAN and (len(core) > 1 or core in "ivx"):
        kind = "i"
    elif core.isalpha() and core.islower():
        kind = "a"
    elif core.isalpha() and core.isupper():
        kind = "A"
    else:
        return mark
    return shape.replace("#", kind)


def classify_line(line: Mapped, repeated: set[str]) -> Unit:
    """What ``line`` is; ``repeated`` holds the short lines that recur (running headers)."""
    text = line.text
    heading = _MD_HEADING.match(text)
    if heading:
        inner = line.slice(heading.start(1), heading.end(1))
        # An all-capitals heading is a running header (publisher banner), never a section.
        if _is_upper_header(inner.text) or inner.text in repeated:
            return Unit("drop", inner)
        return Unit("heading", inner, marked=True)
    if text in repeated and not TERMINAL.search(text):
        return Unit("drop", line)
    if _CAPTION_PREFIX.match(text) or _CAPTION_CREDIT.search(text):
        return Unit("drop", line)
    if NUMBERED_CAPTION.match(text) and not TERMINAL.search(text):
        # "Table 1. Projected emissions by sector": the title of a table or figure, a
        # heading over it (its number was split off as a sentence, the title left a claim).
        return Unit("heading", line)
    if _AUTHOR_BLURB.match(text) or is_boilerplate(text):
        return Unit("drop", line)
    bullet = _BULLET.match(text)
    if bullet:
        item = line.slice(bullet.end(), len(text))
        # "2. MITIGATION": a numbered section heading in capitals, not a list item (as an
        # item without a stop, the paragraph below was joined to it).
        if _is_upper_header(item.text) and not TERMINAL.search(item.text):
            return Unit("heading", item)
        return Unit("text", item, bullet=True, marker=bullet.group(0).replace("\\", "").strip())
    run_in = RUN_IN.match(text)
    if run_in and run_in.end() >= len(text.rstrip()):
        group = run_in.lastindex or 1
        return Unit("heading", line.slice(run_in.start(group), run_in.end(group)))
    return Unit("text", line)
