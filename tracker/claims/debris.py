"""Is a claim a whole sentence, or extraction debris? The audit's definition, in one place.

A claim is debris when it could not have been written as it stands: its start or end was cut
mid-sentence, it is a bare label or lead-in ending in ":", markup is left in it, or it is
fewer than 3 words. ``benchmarks/extraction_audit.py`` reports the share of debris per
document and the tests hold the PDF reader to it, so both judge by this module.

The rules look only at the text, so they are blunt on purpose: a rule that needed the
document to decide could be satisfied by the extractor that it is meant to judge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from tracker.claims.extract import ClaimDraft

DebrisClass = Literal["cut-start", "cut-end", "label", "markup", "short"]
DEBRIS_CLASSES: tuple[DebrisClass, ...] = ("cut-start", "cut-end", "label", "markup", "short")

# Punctuation no sentence starts with: the tail of a clause or a bracket cut off.
_CUT_START_PUNCT = frozenset(",.;:)]}%/–—-")
# "2015, has set a new target": a date or figure whose sentence lost its first words (the
# comma tells it from a sentence that opens on a figure: "95% of the respondents agreed").
_FIGURE_THEN_VERB = re.compile(r"^[\d.,%]*\d[%]?,\s+[a-z]")
# A list enumerator opening an item ("a)", "(b)", "(iv)", "2.", "b." before a capital): the item
# is judged without it ("b. Norway has a process ..." is a whole statement).
_ENUMERATOR = re.compile(
    r"^(?:\(?[a-z]\)|\([ivx]{1,4}\)|\(\d{1,2}\)|\d{1,2}[.)]|[a-z]\.(?=\s+[A-Z]))\s+(?=\S)"
)
_TERMINAL = re.compile(r"[.!?;…][\"'”’)\]]*$")
# "…; and", "…; or": a list item of legal text before the last one ends on its conjunction.
_ITEM_END = re.compile(r";\s+(?:and|or|and/or)$")
_MARKUP = re.compile(
    r"<[A-Za-z/!][^>]{0,200}>|\*\*|__\w|\[[^\]\n]*\]\([^)\n]*\)|&(?:[a-z]{2,8}|#\d{1,6});"
    r"|^#{1,6}\s|\(cid:\d+\)|\ufffd|`[^`]+`"
)
# "Time frame: single-year target in 2030": a label and its answer, a whole statement. The
# labels of the UNFCCC's clarity forms are the guidance's own questions, up to about 300
# characters ("For climate forcers included in ..., information on how ...: N/A").
_LABEL_ANSWER = re.compile(r"^[^:]{2,300}:\s+\S")
_TABLE_ROW = " | "
_MIN_WORDS = 3
_HEADING_MAX_WORDS = 12
_ITEM_MAX_WORDS = 8
_OPEN_END = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "as",
        "than",
        "that",
        "which",
        "using",
        "including",
        "such",
        "is",
        "are",
        "was",
        "were",
        "be",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "must",
    ]
)


def _heading_like(text: str) -> bool:
    """A title or a noun-phrase list item ("Fugitive emissions from fuels"), not a sentence
    cut short: up to 8 words, or up to 12 title-cased ones, not ending on a word that needs
    a continuation ("of", "and", "using")."""
    words = text.split()
    if len(words) > _HEADING_MAX_WORDS or words[-1].lower().strip(",") in _OPEN_END:
        return False
    if len(words) <= _ITEM_MAX_WORDS:
        return True
    content = [w for w in words if len(w) > 3]
    return bool(content) and all(w[:1].isupper() or w[:1].isdigit() for w in content)


def classify(text: str) -> DebrisClass | None:
    """The debris class of a claim's text, or ``None`` when it reads as a whole statement.

    The first rule that applies wins, in the order of ``DEBRIS_CLASSES``.
    """
    text = _ENUMERATOR.sub("", " ".join(text.split()), count=1)
    words = text.split()
    if not words:
        return "short"
    first = words[0]
    # "% of emissions covered: 100%": the UNFCCC template's label opens on its sign.
    form_percent = text.startswith("% of ") and _LABEL_ANSWER.match(text)
    cut_punct = first[:1] in _CUT_START_PUNCT and not form_percent
    cut_figure = _FIGURE_THEN_VERB.match(text) and not form_percent
    if first[:1].islower() or cut_punct or cut_figure:
        return "cut-start"
    if text.endswith(":"):
        return "label"
    if not (_TERMINAL.search(text) or _ITEM_END.search(text)) and not (
        _TABLE_ROW in text or _LABEL_ANSWER.match(text) or _heading_like(text)
    ):
        return "cut-end"
    if _MARKUP.search(text):
        return "markup"
    if len(words) < _MIN_WORDS:
        return "short"
    return None


# A footnote marker fused to a word ("energy mix1", "targets.12"): not part of the debris
# definition, reported beside it because it is what a reader that misses footnotes leaves.
_FUSED_MARKER = re.compile(r"\b[a-z]{3,}[.,;]?\d{1,2}(?=[\s.,;:)]|$)")


def fused_markers(text: str) -> int:
    """How many words of ``text`` carry a footnote number glued to their end."""
    return len(_FUSED_MARKER.findall(text))


def _without_overlap(context: str, sentence: str) -> str:
    """``context`` without the start of ``sentence`` that it ends on: the context of one part
    of a split sentence ends on the sentence's own lead-in ("... shall: examining the
    potential for AI to"), which the sentence holds already."""
    head = " ".join(sentence.split()[:4])
    at = context.rfind(head) if head else -1
    return context[:at].rstrip() if at >= 0 and sentence.startswith(context[at:][:20]) else context


def units(claims: Iterable[ClaimDraft]) -> list[str]:
    """The whole-sentence units the claims of one brief are judged by, in order.

    A claim that is one item of a split sentence is judged by its parent sentence, once (a
    list item is a fragment by design); a list item is read after its lead-ins, the claim's
    ``context`` ("... achievements, including:" + "the Safeguard Mechanism establishes ...").
    """
    out: list[str] = []
    previous: str | None = None
    for claim in claims:
        unit = claim.text if claim.text == claim.sentence else claim.sentence
        if claim.context:
            unit = f"{_without_overlap(claim.context, unit)} {unit}".lstrip()
        if unit == previous:  # the next item of the same split sentence
            continue
        previous = unit
        out.append(unit)
    return out


def debris(claims: Iterable[ClaimDraft]) -> tuple[int, list[tuple[DebrisClass, str]]]:
    """How many units the claims of one brief make, and the debris among them with its class."""
    found = units(claims)
    judged = ((classify(u), u) for u in found)
    return len(found), [(verdict, u) for verdict, u in judged if verdict is not None]


def whole_texts(claims: Iterable[ClaimDraft]) -> set[str]:
    """Every text a sentence counts as kept whole in: a claim, its sentence, its unit, and
    the answer of a form field ("Net contribution of market mechanisms: No contribution
    from international credits." keeps the sentence after its label whole)."""
    claims = list(claims)
    texts = {c.text for c in claims} | {c.sentence for c in claims} | set(units(claims))
    for text in list(texts):
        at = text.find(": ")
        while at >= 0:
            texts.add(text[at + 2 :])
            at = text.find(": ", at + 2)
    return texts
