"""Inline Markdown and HTML in extracted text: what is stripped, and run-in headings.

Web extraction leaves link stubs (``[text](#)``), escaped characters (``\\$``), bold and
italic markers, inline HTML tags and comments, and a space before punctuation where a link's
text was dropped. ``strip_inline`` removes them and keeps the text's offsets; a bold or
underlined lead at a paragraph's start is a run-in heading (``find_run_in``).
"""

from __future__ import annotations

import re

from tracker.claims.mapped import Mapped
from tracker.claims.sentence_ends import TERMINAL

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
RUN_IN = re.compile(
    r"^(?:\*\*([^*\n]{1,120}?)\*\*(?:\*[.:]\*)?|<(?:u|b|strong)>([^<\n]{1,120}?)</(?:u|b|strong)>"
    r"|<span\b[^<>\n]*>([^<\n]{1,120}?)</span>)\s*"
)
# Inline HTML of Markdown conversions: tags whose text is kept ("CO<sub>2</sub>" is "CO2"),
# and comments. Only tag-shaped text is matched, so "<5%" or "a < b" stay.
_HTML_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9]*(?:\s+[^<>\n]*?)?\s*/?>")
# A line that opens an HTML tag and does not close it ("<img", "<figure class=…").
TAG_START = re.compile(r"^<[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?$")


def heading_title(text: str) -> str:
    """A heading without its trailing stop, but "U.S." keeps its final period."""
    if re.search(r"(?:\b[A-Z]\.){2,}$", text):
        return text
    return text.rstrip(".:")


def find_run_in(text: str) -> re.Match[str] | None:
    """A run-in heading at the start of ``text``: a bold or underlined lead that is a title.

    "**Defence.** The leaders ..." is one; "**Reinvigorate our economies** by advancing ..." is
    the start of a sentence in bold, whose words stay in the claim.
    """
    match = RUN_IN.match(text)
    if match is None:
        return None
    title = match.group(match.lastindex or 1).strip()
    rest = text[match.end() :]
    if not title or (rest and rest[:1].islower() and not TERMINAL.search(title)):
        return None
    return match


def _strip_tags(m: Mapped) -> Mapped:
    """``m`` without inline HTML tags and comments (their text stays)."""
    if "<" not in m.text:
        return m
    return m.keep_groups(_HTML_TAG).collapse_spaces()


def strip_inline(m: Mapped) -> Mapped:
    """``m`` without inline markup (tags, links, escapes, bold, italics), spaces collapsed."""
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
