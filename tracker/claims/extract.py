"""Run the claim pipeline over one brief's text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.claims.cleanup import Block, clean_blocks
from tracker.claims.line_kinds import marker_style
from tracker.claims.normalize import normalize
from tracker.claims.quantities import extract_quantities
from tracker.claims.segment import split_sentences
from tracker.claims.split import atomic_parts

# A fragment shorter than this is a label or a stray heading, not a position anyone holds...
MIN_CLAIM_WORDS = 4
# ... unless it is a complete sentence: "Inflation remains elevated." is a position.
MIN_SENTENCE_WORDS = 3

# A short sentence opens on a capitalised word (after a quote), not a bracket or a figure.
_SHORT_START = re.compile(r"[\"“‘']?[A-Z][a-z]")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")
# Words a title may hold in lower case ("Statement on Ukraine", "Plan for the Grid").
_TITLE_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "via",
        "into",
        "under",
        "over",
    ]
)


def _is_short_sentence(text: str) -> bool:
    """A complete sentence of a few words: a capital, a stop, and a lower-case word that is
    not one of the small words titles keep (its verb, say). "Sec. 2. Policy.", "Mission and
    Work." and "(CTBT) into force." are not one, nor is a heading that opens on a gerund
    ("Securing supply chains.")."""
    words = [w.strip(",.;:!?") for w in text.split()]
    return (
        bool(_SHORT_START.match(text))
        and bool(_SENTENCE_END.search(text))
        and not words[0].lower().endswith("ing")
        and any(w.isalpha() and w.islower() and w not in _TITLE_WORDS for w in words)
    )


def _is_title(text: str) -> bool:
    """A title or label ("G7 Leaders' Statement on Ukraine"): no stop, every word capitalised
    but the small words titles keep in lower case."""
    if _SENTENCE_END.search(text):
        return False
    words = [w.strip(",.;:()“”\"'’‘") for w in text.split()]
    return all(not w or not w[0].isalpha() or w[0].isupper() or w in _TITLE_WORDS for w in words)


# A lead-in that opens on one of these ("It includes ...") names its subject in the sentence
# before: that sentence is part of the context.
_PRONOUN_LEAD = re.compile(r"(?:It|Its|This|These|They|Their|Such|The plan|The strategy)\b")


def _with_antecedent(lead_in: str, previous: str | None) -> str:
    """``lead_in``, prefixed by the sentence before when it opens on a pronoun."""
    if previous and _PRONOUN_LEAD.match(lead_in):
        return f"{' '.join(previous.split())} {lead_in}"
    return lead_in


def _context(lead_in: str | None, previous: str | None, lead_ins: str | None) -> str | None:
    """The context of a claim: the lead-ins of the list it is an item of, then the start of
    its own sentence when it is one part of a split sentence."""
    if not lead_in:
        return lead_ins
    own = _with_antecedent(lead_in, previous) if not lead_ins else lead_in
    return f"{lead_ins} {own}" if lead_ins else own


# A lead-in whose colon was left out ("…, including, as applicable" above "(i) …"): it ends
# on words that announce what follows.
_OPEN_LEAD = re.compile(
    r"\b(?:including|include|includes|inter alia|as follows|such as|as applicable|as appropriate"
    r"|the following)[,;]?\s*$",
    re.IGNORECASE,
)


def _items_follow(blocks: list[Block], at: int) -> bool:
    """Whether the block after ``blocks[at]`` is a list item."""
    return at + 1 < len(blocks) and blocks[at + 1].kind == "text" and blocks[at + 1].bullet


# A form section's title: no punctuation at its end and no conjunction ("…; and" is an item
# before the last one), up to 25 words.
_SECTION_TITLE = re.compile(
    r"^(?!.*(?:[.!?;:,]|\b(?:and|or))[\"'”’)\]]*\s*$)(?:\S+\s+){0,24}\S+\s*$"
)


def _sub_items_follow(blocks: list[Block], at: int) -> bool:
    """Whether ``blocks[at]`` is a numbered item with items of another style below it: a
    section of a form ("1. Quantifiable information on the reference point" above "(a) …",
    "(b) …"), which heads its items like a lead-in."""
    block = blocks[at]
    if not block.bullet or block.marker is None or not _items_follow(blocks, at):
        return False
    below = blocks[at + 1].marker
    return below is not None and marker_style(below) != marker_style(block.marker)


def _is_claim(text: str) -> bool:
    """Whether a span of text is a claim, not a label, lead-in or fragment."""
    if text.endswith(":") or _is_title(text):
        return False
    words = len(text.split())
    if words >= MIN_CLAIM_WORDS:
        return True
    return words >= MIN_SENTENCE_WORDS and _is_short_sentence(text)


@dataclass(frozen=True)
class QuantityDraft:
    """A quantity of a claim; ``start``/``end`` index the brief's text."""

    kind: str
    value: float
    unit: str
    raw: str
    start: int
    end: int


@dataclass(frozen=True)
class ClaimDraft:
    """An atomic claim before it is stored; ``start``/``end`` index the brief's text."""

    text: str
    norm_text: str
    start: int
    end: int
    sentence: str
    section: str | None
    quantities: list[QuantityDraft] = field(default_factory=list)
    # The lead-in of a list item: the start of its sentence before the list ("Japan's plan
    # includes"), or the line ending in ":" above a bulleted list. It says whose position
    # the item is; ``None`` for a claim that is a sentence of its own.
    context: str | None = None


@dataclass
class _Lead:
    """A lead-in ending in ":" and the marker style of the items under it (once seen)."""

    text: str
    style: str | None = None
    last: str | None = None  # the last item marker under it, as written


class _Leads:
    """The lead-ins above the current list item, outermost first.

    Official texts nest lists ("shall: (i) set forth ..., including: (A) ...: (1) ...") and
    tell the levels apart by marker style. An item belongs to the innermost lead-in whose
    items have its style (the levels below it are closed), else to a lead-in that has no
    items yet; its context is the chain of lead-ins down to that one, so that a nested item
    still says whose position it is ("These regulations shall: set forth ...: records ...").
    """

    def __init__(self) -> None:
        self.stack: list[_Lead] = []
        self.fresh = False  # the block before this one ended on the innermost lead-in

    def context(self) -> str | None:
        return " ".join(lead.text for lead in self.stack if lead.text) or None

    def _style(self, marker: str) -> str:
        style = marker_style(marker)
        core = marker.strip("().")
        opening = bool(self.stack) and self.stack[-1].style is None
        if len(core) == 1 and core in "ivx" and style.replace("i", "a") != style and not opening:
            # "(i)" after "(h)" is a letter, not a roman one, unless a lead-in just opened a
            # list ("(h) … a report that includes:" / "(i) recommendations …").
            letter = style.replace("i", "a")
            before = chr(ord(core) - 1)
            for lead in self.stack:
                if lead.style == letter and (lead.last or "").strip("().") == before:
                    return letter
        return style

    def enter(self, block: Block) -> str | None:
        """The context of ``block`` (a text block), closing the levels it leaves."""
        if not block.bullet:
            if not self.fresh:
                self.stack.clear()
            self.fresh = False
            return self.context()
        self.fresh = False
        if block.marker is None:
            return self.context()
        style = self._style(block.marker)
        if not self.stack:
            # Items without a lead-in are a level too: a lead-in inside one of them ends at
            # the next item of the same style ("(a) …: (i) … (ii) …" then "(b) …").
            self.stack.append(_Lead("", style, block.marker))
            return None
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth].style == style:
                del self.stack[depth + 1 :]
                break
        else:
            if self.stack[-1].style is None:
                self.stack[-1].style = style
            else:
                # An item of a style no lead-in has (sub-items under an item that is no
                # lead-in): it belongs to the innermost lead-in, whose style stays.
                return self.context()
        self.stack[-1].last = block.marker
        return self.context()

    def open(self, text: str, block: Block | None) -> None:
        """``text`` (ending in ":") introduces the items below: an item's own, or a new list."""
        if block is None or not block.bullet:
            self.stack.clear()
        self.stack.append(_Lead(text))
        self.fresh = True

    def reset(self) -> None:
        self.stack.clear()
        self.fresh = False


def extract_claims(text: str, *, hard_wrapped: bool = False) -> list[ClaimDraft]:
    """Extract the atomic claims of a brief, in reading order.

    ``text`` is the brief's extracted text as archived; every span in the result indexes it.
    ``hard_wrapped`` is for PDF text, whose single newlines are layout, not paragraph breaks.
    """
    claims: list[ClaimDraft] = []
    leads = _Leads()
    blocks = clean_blocks(text, hard_wrapped=hard_wrapped)
    for at, block in enumerate(blocks):
        if block.kind != "text":
            # A bold line "**We are taking concrete steps to:**" is a lead-in too.
            heading = " ".join(block.text.split())
            if heading.endswith(":"):
                leads.open(heading, None)
            else:
                leads.reset()
            continue
        # A lead-in applies to the block right after it and to the list items that follow.
        block_context = leads.enter(block)
        para = block.m
        sentences = split_sentences(para.text)
        for index, (s_start, s_end) in enumerate(sentences):
            sentence = para.text[s_start:s_end]
            if index == len(sentences) - 1 and (
                sentence.rstrip().endswith(":")
                or (_OPEN_LEAD.search(sentence) and _items_follow(blocks, at))
                or (_SECTION_TITLE.match(sentence) and _sub_items_follow(blocks, at))
            ):
                # "We commit to the following:" introduces the list below; it is their
                # context, not a claim of its own.
                leads.open(" ".join(sentence.split()), block)
                continue
            previous = para.text[slice(*sentences[index - 1])] if index else None
            for c_start, c_end, lead_in in atomic_parts(sentence):
                a, b = s_start + c_start, s_start + c_end
                while a < b and para.text[a].isspace():
                    a += 1
                while b > a and para.text[b - 1].isspace():
                    b -= 1
                claim_text = para.text[a:b]
                if not _is_claim(claim_text):
                    continue
                span = para.span(a, b)
                quantities = [
                    QuantityDraft(
                        kind=q.kind,
                        value=q.value,
                        unit=q.unit,
                        raw=q.raw,
                        start=para.origin(a + q.start),
                        end=para.origin(a + q.end - 1) + 1,
                    )
                    for q in extract_quantities(para.text[a:b])
                ]
                claims.append(
                    ClaimDraft(
                        text=claim_text,
                        norm_text=normalize(claim_text),
                        start=span[0],
                        end=span[1],
                        sentence=sentence,
                        section=block.section,
                        quantities=quantities,
                        context=_context(lead_in, previous, block_context),
                    )
                )
    return claims
