"""Undo the artefacts that web and PDF extraction leave in briefs, keeping offsets.

Real briefs arrive with sentences broken across blank lines, running headers in the middle of
a sentence (``# PISM BULLETIN``), markdown link stubs (``[text](#)``), escaped dollars
(``\\$``), bold run-in headings (``**Conclusions.**``), bylines, photo captions, author blurbs
and donor boilerplate. ``clean_blocks`` turns the text into prose paragraphs and headings; each
paragraph is a ``Mapped`` string so claims keep their span in the archived text.

The order matters: lines are classified first (headings, captions, boilerplate), then broken
sentences are rejoined across what was removed, then inline syntax is stripped. The rules
live beside this module: what a line is in ``line_kinds.py``, where a sentence ends in
``sentence_ends.py``, inline Markdown and HTML in ``markup.py``; here is the pass that
applies them (``clean_blocks``).
"""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from tracker.claims.hyphens import dehyphenate, word_counts
from tracker.claims.line_kinds import (
    BYLINE,
    NUMBERED_CAPTION,
    TAIL_HEADINGS,
    Unit,
    classify_line,
    mapped_lines,
)
from tracker.claims.mapped import Mapped, join
from tracker.claims.markup import TAG_START, find_run_in, heading_title, strip_inline
from tracker.claims.sentence_ends import (
    continues,
    ends_on_function_word,
    ends_sentence,
    looks_like_heading,
    title_cased,
)

BlockKind = Literal["text", "heading"]


@dataclass(frozen=True)
class Block:
    """A paragraph of prose, or a heading, after cleanup."""

    kind: BlockKind
    m: Mapped
    section: str | None = None  # the nearest heading above a text block
    bullet: bool = False  # a list item (its lead-in, if any, is the paragraph above)
    # A list item's marker as written ("(a)", "(iv)", "(B)", "3.", "•"): legal and official
    # texts nest lists by marker style (``marker_style``), so the claim layer can tell
    # which lead-in an item belongs to.
    marker: str | None = None

    @property
    def text(self) -> str:
        return self.m.text


# The cell separator of a table row written by the PDF reader (tracker/ingest/pdf.py).
_TABLE_ROW = " | "

# Wrapped lines are this long, in characters, at the least (a shorter text wraps nothing).
_MIN_WRAP = 50


def _wrap_width(lines: list[Mapped]) -> int:
    """How long a line of a hard-wrapped text is when it was wrapped, or 0 when it is not
    told: 85% of the 90th percentile of the lengths of lines followed by a line of their
    paragraph. Lines are wrapped at a fixed width ("72 columns"), so a wrapped line comes
    close to it, whatever its words."""
    inner = sorted(len(a.text) for a, b in itertools.pairwise(lines) if a.text and b.text)
    if len(inner) < 10:
        return 0
    width = int(0.85 * inner[int(0.9 * (len(inner) - 1))])
    return width if width >= _MIN_WRAP else 0


# Words after a suspended hyphen ("low- and middle-income", "short- or long-term"): the
# hyphen waits for a later word, so the line break after it is a space.
_SUSPENDED_BEFORE = frozenset({"and", "or", "nor", "to", "as"})


def _rejoin(lines: list[Mapped], vocabulary: Callable[[], Counter[str]]) -> Mapped:
    """The wrapped lines of one paragraph as one text, a space at each break.

    A line that ends on a letter and a hyphen before a word in lower case is a compound the
    wrap broke at ("longer-" / "term": text wrappers break after hyphens), or a word split
    by the break when the document writes it as one more often ("emis-" / "sions" where
    "emissions" occurs; ``hyphens.dehyphenate``). A suspended hyphen ("low-" / "and
    middle-income") keeps its space.
    """
    if not any(line.text.endswith("-") for line in lines[:-1]):  # most paragraphs
        return join(lines)
    parts, seps = [lines[0]], []
    for line in lines[1:]:
        prev, head = parts[-1], line.text.split(maxsplit=1)[0] if line.text else ""
        if (
            len(prev.text) > 1
            and prev.text[-1] == "-"
            and prev.text[-2].isalpha()
            and head[:1].islower()
            and head.rstrip(",;:.") not in _SUSPENDED_BEFORE
        ):
            word = prev.text[:-1].rsplit(maxsplit=1)[-1]
            if "-" not in dehyphenate(word, head, vocabulary(), compound_first=True):
                parts[-1] = prev.slice(0, len(prev.text) - 1)  # a split word: no hyphen
            seps.append("")
        else:
            seps.append(" ")
        parts.append(line)
    return join(parts, seps=seps)


# Complexity over the threshold: one pass over the lines with the rejoin rules inline. Left
# whole while the PDF work edits it; splitting it into per-rule helpers is the next step
# (issue #18).
def clean_blocks(text: str, *, hard_wrapped: bool = False) -> list[Block]:  # noqa: C901
    """Split extracted text into cleaned prose paragraphs and headings.

    ``hard_wrapped`` says single newlines inside a paragraph are layout (PDF text), so lines
    within a blank-line-separated block are always joined.
    """
    lines = mapped_lines(text)
    counts: dict[str, int] = {}
    for line in lines:
        if line.text:
            counts[line.text] = counts.get(line.text, 0) + 1
    # A short line that recurs is a running header or footer (page banners in PDFs).
    repeated = {t for t, n in counts.items() if n >= 3 and len(t) < 80}
    full_width = _wrap_width(lines) if hard_wrapped else 0

    units: list[Unit | None] = []  # None marks a paragraph break (blank line)
    tag_open = False  # inside an HTML tag that a Markdown converter wrapped over lines
    for line in lines:
        if not line.text:
            units.append(None)
            continue
        if tag_open or TAG_START.match(line.text):
            # "<img" / "src=…" / "title=… />": lines of one tag are markup, not text; each
            # line alone is no tag for markup.py's ``_HTML_TAG``: its attributes reached the claims.
            tag_open = ">" not in line.text
            if tag_open or line.text.endswith(">"):
                units.append(Unit("drop", line))
                continue
        units.append(classify_line(line, repeated))

    @functools.cache
    def vocabulary() -> Counter[str]:
        """The document's words, counted when a line first ends on a hyphen."""
        return word_counts(w for line in lines for w in line.text.split())

    blocks: list[Block] = []
    section: str | None = None
    pending: list[Mapped] = []
    pending_soft_break = False  # the last unit of pending ended at a single newline
    pending_bullet = False  # pending is a list item
    pending_marker: str | None = None

    # Whether a text block was emitted yet (a flag, not a scan of ``blocks`` per heading,
    # which made a brief of many short lines quadratic).
    seen_text = False

    # The last text unit and its stripped form: a paragraph of one line is stripped once,
    # not again when it is flushed.
    last_stripped: tuple[Mapped, Mapped] | None = None

    def flush() -> None:
        nonlocal pending, seen_text, section, pending_bullet, pending_marker
        if pending:
            if len(pending) > 1:
                joined = _rejoin(pending, vocabulary)
                # An underlined run-in title that the wrap broke over two lines
                # ("<span …>Sec. 4. Developing an" / "Action Plan.</span> (a) Within").
                run_in = find_run_in(joined.text)
                if run_in:
                    group = run_in.lastindex or 1
                    title = strip_inline(joined.slice(run_in.start(group), run_in.end(group)))
                    section = heading_title(title.text)
                    joined = joined.slice(run_in.end(), len(joined.text))
                merged = strip_inline(joined)
            elif last_stripped is not None and last_stripped[0] is pending[0]:
                merged = last_stripped[1]
            else:
                merged = strip_inline(pending[0])
            if merged.text:
                blocks.append(
                    Block("text", merged, section, bullet=pending_bullet, marker=pending_marker)
                )
                seen_text = True
        pending = []
        pending_bullet = False
        pending_marker = None

    # For each unit, whether the next kept unit (across blank lines and dropped running headers)
    # is prose, and whether it starts in lower case. A short line before prose that starts in
    # lower case, or a short line that ends on a comma or a function word, is the first half of
    # a broken sentence (or a wrapped PDF line), not a heading.
    prose_next = [False] * len(units)
    lower_next = [False] * len(units)
    following_prose = following_lower = False
    for i in range(len(units) - 1, -1, -1):
        prose_next[i], lower_next[i] = following_prose, following_lower
        nxt = units[i]
        if nxt is not None and nxt.kind != "drop":
            following_prose = nxt.kind == "text" and not nxt.bullet
            following_lower = following_prose and nxt.m.text[:1].islower()

    after_tail = False
    for index, unit in enumerate(units):
        if unit is None:
            pending_soft_break = False
            continue
        if after_tail:
            continue
        if unit.kind == "drop":
            continue
        if (
            unit.kind == "heading"
            and not unit.marked
            and NUMBERED_CAPTION.match(unit.m.text)
            and index + 1 < len(units)
            and (after := units[index + 1]) is not None
            and after.kind == "text"
            and after.m.text[:1].islower()
        ):
            # A caption wrapped over lines ("Figure 5: Emissions per head relative" / "to
            # the population of 1990.") is one paragraph.
            unit = Unit("text", unit.m)
        if unit.kind == "text":
            stripped = strip_inline(unit.m)
            last_stripped = (unit.m, stripped)
            broken = prose_next[index] and (
                lower_next[index] or ends_on_function_word(stripped.text)
            )
            # In PDF text, a line that the next line of the same paragraph goes on from, in
            # lower case, with a figure or a bracket ("... after" / "2020, which ..."), is a
            # wrapped line.
            # (Any line followed by one of its paragraph was tried: headings wrapped over two
            # lines and lists without bullets were joined into one claim.)
            following = units[index + 1] if index + 1 < len(units) else None
            wrapped = (
                hard_wrapped
                and following is not None
                and following.kind == "text"
                and not following.bullet
                and _TABLE_ROW not in following.m.text
                and (
                    (
                        not title_cased(stripped.text)
                        and (
                            following.m.text[:1].islower()
                            or following.m.text[:1].isdigit()
                            or following.m.text.startswith("(")
                        )
                    )
                    # A line as long as the text's wrapped lines, with more of its paragraph
                    # below, was wrapped there: headings are short ("... launched a new
                    # initiative" / "– the **COMPACT** ..." was a heading and a claim).
                    or (full_width > 0 and len(unit.m.text) >= full_width)
                )
            )
            # In wrapped text, a line after a line that did not end its sentence goes on with
            # that sentence, however short and capitalised it is ("Minister Modi met ...").
            wrapped_on = (
                hard_wrapped
                and pending_soft_break
                and bool(pending)
                and not ends_sentence(pending[-1].text, unit.m.text)
            )
            heading_like = (
                not unit.bullet
                and not broken
                and not wrapped
                and not wrapped_on
                and not (hard_wrapped and _TABLE_ROW in unit.m.text)
                # A line of tags only (an opening "<span …>") belongs to the text below it.
                and bool(stripped.text)
                and looks_like_heading(stripped.text)
            )
            if heading_like and not (
                pending and continues(pending[-1].text, unit.m.text, nxt_is_heading_like=True)
            ):
                unit = Unit("heading", unit.m)
        if unit.kind == "heading":
            flush()
            title = heading_title(strip_inline(unit.m).text)
            if TAIL_HEADINGS.match(title):
                after_tail = True
                continue
            # Names under the title are a byline; further down, "Japan Looks Regionally" is a
            # section heading that merely looks like a name.
            if (
                not unit.marked
                and BYLINE.match(title)
                and (title.startswith("By ") or not seen_text)
            ):
                continue
            if title:
                blocks.append(Block("heading", strip_inline(unit.m), section))
                section = title
            continue
        body = unit.m
        if hard_wrapped and _TABLE_ROW in body.text:
            # A table row as the PDF reader writes it ("Gas: Methane | 2030: 30%"): a claim
            # of its own, never joined to the prose around it.
            flush()
            pending, pending_bullet = [body], False
            flush()
            pending_soft_break = False
            continue
        # Bold words at the start of a line that goes on with the sentence above are no run-in
        # heading ("… can **reduce emissions from forests and**" / "**agriculture** …").
        goes_on = (
            bool(pending) and pending_soft_break and not ends_sentence(pending[-1].text, body.text)
        )
        run_in = None if goes_on else find_run_in(body.text)
        if run_in:
            flush()
            group = run_in.lastindex or 1
            section = heading_title(
                strip_inline(body.slice(run_in.start(group), run_in.end(group))).text
            )
            body = body.slice(run_in.end(), len(body.text))
        if (
            pending
            and not unit.bullet
            and (
                continues(pending[-1].text, body.text, nxt_is_heading_like=False)
                or (hard_wrapped and pending_soft_break)
            )
        ):
            pending.append(body)
        else:
            flush()
            pending = [body]
            pending_bullet = unit.bullet
            pending_marker = unit.marker
        pending_soft_break = True
    flush()
    return blocks
