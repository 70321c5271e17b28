"""Run the claim pipeline over one brief's text."""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.claims.cleanup import clean_blocks
from tracker.claims.normalize import normalize
from tracker.claims.quantities import extract_quantities
from tracker.claims.segment import split_sentences
from tracker.claims.split import atomic_spans

# A fragment shorter than this is a label or a stray heading, not a position anyone holds.
MIN_CLAIM_WORDS = 4


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


def extract_claims(text: str, *, hard_wrapped: bool = False) -> list[ClaimDraft]:
    """Extract the atomic claims of a brief, in reading order.

    ``text`` is the brief's extracted text as archived; every span in the result indexes it.
    ``hard_wrapped`` is for PDF text, whose single newlines are layout, not paragraph breaks.
    """
    claims: list[ClaimDraft] = []
    for block in clean_blocks(text, hard_wrapped=hard_wrapped):
        if block.kind != "text":
            continue
        para = block.m
        for s_start, s_end in split_sentences(para.text):
            sentence = para.text[s_start:s_end]
            for c_start, c_end in atomic_spans(sentence):
                a, b = s_start + c_start, s_start + c_end
                while a < b and para.text[a].isspace():
                    a += 1
                while b > a and para.text[b - 1].isspace():
                    b -= 1
                claim_text = para.text[a:b]
                if len(claim_text.split()) < MIN_CLAIM_WORDS or claim_text.endswith(":"):
                    # A lead-in ("... the following measures:") or a bare form label states
                    # nothing by itself; what follows it is the claim.
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
                    )
                )
    return claims
