"""Undo the artefacts that web and PDF extraction leave in briefs, keeping offsets.

Real briefs arrive with sentences broken across blank lines, running headers in the middle of
a sentence (``# PISM BULLETIN``), markdown link stubs (``[text](#)``), escaped dollars
(``\\$``), bold run-in headings (``**Conclusions.**``), bylines, photo captions, author blurbs
and donor boilerplate. ``clean_blocks`` turns the text into prose paragraphs and headings; each
paragraph is a ``Mapped`` string so claims keep their span in the archived text.

The order matters: lines are classified first (headings, captions, boilerplate), then broken
sentences are rejoined across what was removed, then inline syntax is stripped.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Literal

from tracker.claims.mapped import Mapped, join
from tracker.claims.segment import ends_on_abbreviation

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
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
# List markers: bullets, "1." / "1)", and letters or roman numerals ("a.", "(ii)", "(B)")
# when an item in capitals follows or the marker is set off by a wide space, as legal text
# sets it (a wrapped line can start with "(a) of this section").
_BULLET = re.compile(
    r"^(?:[-*•‣◦]|\d{1,2}[.)])\s+"
    r"|^(?:\\?\((?:[a-z]{1,2}|[ivx]{1,5}|[A-Z]|\d{1,2})\\?\)|(?:[a-z]|[ivx]{1,5})[.)])"
    r"(?:\s{2,}|\s+(?=[A-Z“\"]))"
)
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_ESCAPE = re.compile(r"\\([$*_#\[\]()`>~|])")
_BOLD = re.compile(r"\*\*([^*\n]+?)\*\*|__([^_\n]+?)__")
_ITALIC = re.compile(r"(?<![\w*])\*([^*\n]+?)\*(?![\w*])")
# "in yesterday's ." : a link whose text the extractor dropped leaves a space before punctuation.
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=[\w’'\"”)])\s+([.,;:!?])(?=\s|$)(?!\s+\.)")
# What ``_SPACE_BEFORE_PUNCT`` needs; much cheaper to look for than the pattern's lookbehind.
_SPACE_PUNCT_HINT = re.compile(r"\s[.,;:!?]")
# A bold or underlined lead at the start of a paragraph; Markdown converters write underlines
# as inline HTML (``<u>…</u>``, ``<span style="text-decoration: underline">…</span>``).
_RUN_IN = re.compile(
    r"^(?:\*\*([^*\n]{1,120}?)\*\*(?:\*[.:]\*)?|<(?:u|b|strong)>([^<\n]{1,120}?)</(?:u|b|strong)>"
    r"|<span\b[^<>\n]*>([^<\n]{1,120}?)</span>)\s*"
)
# Inline HTML of Markdown conversions: tags whose text is kept ("CO<sub>2</sub>" is "CO2"),
# and comments. Only tag-shaped text is matched, so "<5%" or "a < b" stay.
_HTML_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9]*(?:\s+[^<>\n]*?)?\s*/?>")
_TERMINAL = re.compile(r"[.!?:;][\"'”’)\]]*$")
# A line that opens an HTML tag and does not close it ("<img", "<figure class=…").
_TAG_START = re.compile(r"^<[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?$")
_INNER_SENTENCE_END = re.compile(r"[a-z0-9)%\"”’][.!?][\"'”’)]*\s+[A-Z\"“]")
_FUNCTION_END = re.compile(
    r"(?:\b(?:a|an|the|and|or|but|nor|of|to|in|on|at|by|for|from|with|as|than|that|which|who|"
    r"whose|its|their|his|her|our|is|are|was|were|be|been|has|have|had|will|would|can|could|"
    r"should|may|might|must|into|onto|over|under|between|among|about|including|such|both|"
    r"this|these|those|not|more|less|most|using|through|within|towards?|against|during|"
    r"without|across|upon|via|whether)|[,\-–—(/&])$",
    re.IGNORECASE,
)
_CAPTION_CREDIT = re.compile(
    # Not the target of a Markdown link ("[Arizona](https://…/fact-sheet.pdf)").
    r"(?<!\])\((?:[^()]*/[^()]*|[^()]*\b(?:Getty|AFP|Reuters|AP Photo|Photo|Image|Credit|"
    r"Shutterstock)\b[^()]*)\)\s*$"
)
_NUMBERED_CAPTION = re.compile(
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
# A section titled like this ends the body: what follows is about the authors or the publisher.
_NAME = r"[A-Z][a-z'’-]+(?:\s[A-Z]\.)?(?:\s(?:van|von|de|da|del|der|bin)?\s?[A-Z][a-z'’-]+){1,2}"
# "Oskar Pietrewicz, Damian Wnukowski": a byline, not a section heading.
_BYLINE = re.compile(rf"^(?:By\s+)?{_NAME}(?:(?:,\s*|\s+and\s+|\s*&\s*){_NAME})*$")
_TAIL_HEADINGS = re.compile(
    r"^(?:authors?|about the authors?|author information|footnotes|notes|references|"
    r"endnotes|acknowledg(?:e)?ments|related content|more from)$",
    re.IGNORECASE,
)


@dataclass
class _Unit:
    kind: Literal["text", "heading", "drop"]
    m: Mapped
    bullet: bool = False
    marker: str | None = None
    marked: bool = False  # a markdown ``#`` heading: a heading by the author's own markup


def _lines(text: str) -> list[Mapped]:
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


def _is_boilerplate(text: str) -> bool:
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


# The longest text ``_FUNCTION_END`` can match ("including", or a stop before a final newline).
_FUNCTION_END_REACH = 12


def _ends_on_function_word(text: str) -> bool:
    """``_FUNCTION_END.search(text)``, looking only at the end of ``text``.

    The pattern is anchored at the end, so a search of the whole text tries (and fails at)
    every earlier position. ``\\b`` still sees the character before the window.
    """
    last = text[-1:]
    # A match ends on a letter, one of the marks, or a final newline: a sentence that ends on
    # a stop (most prose) is ruled out without a search.
    if not (last.isalpha() or last in ",-–—(/&\n"):
        return False
    return bool(_FUNCTION_END.search(text, max(0, len(text) - _FUNCTION_END_REACH)))


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


def _classify(line: Mapped, repeated: set[str]) -> _Unit:
    text = line.text
    heading = _MD_HEADING.match(text)
    if heading:
        inner = line.slice(heading.start(1), heading.end(1))
        # An all-capitals heading is a running header (publisher banner), never a section.
        if _is_upper_header(inner.text) or inner.text in repeated:
            return _Unit("drop", inner)
        return _Unit("heading", inner, marked=True)
    if text in repeated and not _TERMINAL.search(text):
        return _Unit("drop", line)
    if _CAPTION_PREFIX.match(text) or _CAPTION_CREDIT.search(text):
        return _Unit("drop", line)
    if _NUMBERED_CAPTION.match(text) and not _TERMINAL.search(text):
        # "Table 1. Projected emissions by sector": the title of a table or figure, a
        # heading over it (its number was split off as a sentence, the title left a claim).
        return _Unit("heading", line)
    if _AUTHOR_BLURB.match(text) or _is_boilerplate(text):
        return _Unit("drop", line)
    bullet = _BULLET.match(text)
    if bullet:
        item = line.slice(bullet.end(), len(text))
        # "2. MITIGATION": a numbered section heading in capitals, not a list item (as an
        # item without a stop, the paragraph below was joined to it).
        if _is_upper_header(item.text) and not _TERMINAL.search(item.text):
            return _Unit("heading", item)
        return _Unit("text", item, bullet=True, marker=bullet.group(0).replace("\\", "").strip())
    run_in = _RUN_IN.match(text)
    if run_in and run_in.end() >= len(text.rstrip()):
        group = run_in.lastindex or 1
        return _Unit("heading", line.slice(run_in.start(group), run_in.end(group)))
    return _Unit("text", line)


def _title_cased(text: str) -> bool:
    """Every word longer than three letters starts in capitals or a digit ("Pricing Carbon
    Pollution", "2.1 Scope and Coverage")."""
    content = [w for w in text.split() if len(w) > 3]
    return all(w[:1].isupper() or w[:1].isdigit() or not w[:1].isalpha() for w in content)


def _looks_like_heading(text: str) -> bool:
    """A short line with no sentence punctuation: a title, section heading or byline."""
    if _TERMINAL.search(text):
        return False
    return len(text.split()) <= 20 and not _INNER_SENTENCE_END.search(text)


def _ends_sentence(prev: str, nxt: str) -> bool:
    """Whether ``prev`` ends a sentence, given the text ``nxt`` that follows it.

    A stop after an abbreviation at the end of a line ("Dr.", "Donald J.", "the U.S.") is not
    a sentence end when the text goes on in lower case, or after a title or an initial.
    """
    if not _TERMINAL.search(prev):
        return False
    kind = ends_on_abbreviation(prev)
    if kind is None:
        return True
    if kind == "acronym":
        return not nxt[:1].islower()
    return False


def _continues(prev: str, nxt: str, *, nxt_is_heading_like: bool) -> bool:
    """Whether ``nxt`` continues a sentence that extraction broke at the end of ``prev``.

    ``prev`` is prose (headings never reach here), so a missing final stop already says the
    sentence was cut. A short next line without punctuation could be a real heading, though:
    then it only continues when the grammar says so (lower-case start, or ``prev`` ending on a
    comma or a function word).
    """
    if _ends_sentence(prev, nxt):
        return False
    if not nxt_is_heading_like:
        return True
    return nxt[:1].islower() or nxt[:1] in ",;:)—–" or _ends_on_function_word(prev)


def _heading_title(text: str) -> str:
    """A heading without its trailing stop, but "U.S." keeps its final period."""
    if re.search(r"(?:\b[A-Z]\.){2,}$", text):
        return text
    return text.rstrip(".:")


def _run_in(text: str) -> re.Match[str] | None:
    """A run-in heading at the start of ``text``: a bold or underlined lead that is a title.

    "**Defence.** The leaders ..." is one; "**Reinvigorate our economies** by advancing ..." is
    the start of a sentence in bold, whose words stay in the claim.
    """
    match = _RUN_IN.match(text)
    if match is None:
        return None
    title = match.group(match.lastindex or 1).strip()
    rest = text[match.end() :]
    if not title or (rest and rest[:1].islower() and not _TERMINAL.search(title)):
        return None
    return match


def _strip_tags(m: Mapped) -> Mapped:
    """``m`` without inline HTML tags and comments (their text stays)."""
    if "<" not in m.text:
        return m
    return m.keep_groups(_HTML_TAG).collapse_spaces()


def _strip_inline(m: Mapped) -> Mapped:
    # Each pattern runs only when the text (as the previous passes left it) holds the
    # character it needs: most paragraphs have no markup at all.
    if "<" in m.text:
        m = _strip_tags(m)
    if "[" in m.text:
        m = m.keep_groups(_LINK)
    if "\\" in m.text:
        m = m.keep_groups(_ESCAPE)
    if "**" in m.text or "__" in m.text:
        m = m.keep_groups(_BOLD)
    if "*" in m.text:
        m = m.keep_groups(_ITALIC)
    if _SPACE_PUNCT_HINT.search(m.text):
        m = m.keep_groups(_SPACE_BEFORE_PUNCT)
    return m.collapse_spaces().strip()


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


# Complexity over the threshold: one pass over the lines with the rejoin rules inline. Left
# whole while the PDF work edits it; splitting it into per-rule helpers is the next step
# (issue #18).
def clean_blocks(text: str, *, hard_wrapped: bool = False) -> list[Block]:  # noqa: C901
    """Split extracted text into cleaned prose paragraphs and headings.

    ``hard_wrapped`` says single newlines inside a paragraph are layout (PDF text), so lines
    within a blank-line-separated block are always joined.
    """
    lines = _lines(text)
    counts: dict[str, int] = {}
    for line in lines:
        if line.text:
            counts[line.text] = counts.get(line.text, 0) + 1
    # A short line that recurs is a running header or footer (page banners in PDFs).
    repeated = {t for t, n in counts.items() if n >= 3 and len(t) < 80}
    full_width = _wrap_width(lines) if hard_wrapped else 0

    units: list[_Unit | None] = []  # None marks a paragraph break (blank line)
    tag_open = False  # inside an HTML tag that a Markdown converter wrapped over lines
    for line in lines:
        if not line.text:
            units.append(None)
            continue
        if tag_open or _TAG_START.match(line.text):
            # "<img" / "src=…" / "title=… />": lines of one tag are markup, not text; each
            # line alone is no tag for ``_HTML_TAG``, so its attributes reached the claims.
            tag_open = ">" not in line.text
            if tag_open or line.text.endswith(">"):
                units.append(_Unit("drop", line))
                continue
        units.append(_classify(line, repeated))

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
                joined = join(pending)
                # An underlined run-in title that the wrap broke over two lines
                # ("<span …>Sec. 4. Developing an" / "Action Plan.</span> (a) Within").
                run_in = _run_in(joined.text)
                if run_in:
                    group = run_in.lastindex or 1
                    title = _strip_inline(joined.slice(run_in.start(group), run_in.end(group)))
                    section = _heading_title(title.text)
                    joined = joined.slice(run_in.end(), len(joined.text))
                merged = _strip_inline(joined)
            elif last_stripped is not None and last_stripped[0] is pending[0]:
                merged = last_stripped[1]
            else:
                merged = _strip_inline(pending[0])
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
            and _NUMBERED_CAPTION.match(unit.m.text)
            and index + 1 < len(units)
            and (after := units[index + 1]) is not None
            and after.kind == "text"
            and after.m.text[:1].islower()
        ):
            # A caption wrapped over lines ("Figure 5: Emissions per head relative" / "to
            # the population of 1990.") is one paragraph.
            unit = _Unit("text", unit.m)
        if unit.kind == "text":
            stripped = _strip_inline(unit.m)
            last_stripped = (unit.m, stripped)
            broken = prose_next[index] and (
                lower_next[index] or _ends_on_function_word(stripped.text)
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
                        not _title_cased(stripped.text)
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
                and not _ends_sentence(pending[-1].text, unit.m.text)
            )
            heading_like = (
                not unit.bullet
                and not broken
                and not wrapped
                and not wrapped_on
                and not (hard_wrapped and _TABLE_ROW in unit.m.text)
                # A line of tags only (an opening "<span …>") belongs to the text below it.
                and bool(stripped.text)
                and _looks_like_heading(stripped.text)
            )
            if heading_like and not (
                pending and _continues(pending[-1].text, unit.m.text, nxt_is_heading_like=True)
            ):
                unit = _Unit("heading", unit.m)
        if unit.kind == "heading":
            flush()
            title = _heading_title(_strip_inline(unit.m).text)
            if _TAIL_HEADINGS.match(title):
                after_tail = True
                continue
            # Names under the title are a byline; further down, "Japan Looks Regionally" is a
            # section heading that merely looks like a name.
            if (
                not unit.marked
                and _BYLINE.match(title)
                and (title.startswith("By ") or not seen_text)
            ):
                continue
            if title:
                blocks.append(Block("heading", _strip_inline(unit.m), section))
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
            bool(pending) and pending_soft_break and not _ends_sentence(pending[-1].text, body.text)
        )
        run_in = None if goes_on else _run_in(body.text)
        if run_in:
            flush()
            group = run_in.lastindex or 1
            section = _heading_title(
                _strip_inline(body.slice(run_in.start(group), run_in.end(group))).text
            )
            body = body.slice(run_in.end(), len(body.text))
        if (
            pending
            and not unit.bullet
            and (
                _continues(pending[-1].text, body.text, nxt_is_heading_like=False)
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
