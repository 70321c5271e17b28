"""Whether two matched claims differ in stance: polarity (refused ↔ reduced), direction
(reduce ↔ maximize), modality (will ↔ aim), each with the words that show it.

The stance words of each claim and what they bear on come from ``stance``; this module
compares two claims' marks. A flip is flagged only on one predicate: on a content word
both claims share, at the same place in both texts (``stance.aligned_words``).
"""

from __future__ import annotations

from tracker.claims.lexicon import CESSATION, NEGATORS
from tracker.compare.features import claim_tokens
from tracker.compare.lazy import Once
from tracker.compare.model import ClaimRef, StanceChange
from tracker.compare.stance import (
    LIGHT_VERBS,
    NOUN_NEGATORS,
    StanceMark,
    affirms,
    aligned_words,
    may_flip,
    stance_classes,
    stance_marks,
    stance_only_tokens,
)
from tracker.compare.stance import words as stance_words

# A negation is a local edit when the texts align again before the negative word, at most
# this many words before the predicate it negates, on both sides: an auxiliary phrase ("will
# be included" / "has not yet been included").
LOCAL_EDIT = 4


def _bearing(marks: tuple[StanceMark, ...], cls: str, shared: frozenset[str]) -> set[str]:
    """The shared tokens that stance words of class ``cls`` bear on."""
    return {t for m in marks if m.cls == cls for t in m.scope & shared}


def _bear_aligned(
    marks_a: tuple[StanceMark, ...],
    cls_a: str,
    marks_b: tuple[StanceMark, ...],
    cls_b: str,
    aligned: dict[int, int],
) -> bool:
    """Whether a stance word of class ``cls_a`` in one claim and one of ``cls_b`` in the
    other bear on one word: aligned positions (``aligned``: one claim's word positions to
    the other's)."""
    at_b = {p for m in marks_b if m.cls == cls_b for p in m.scope_at}
    return any(aligned.get(p, -1) in at_b for m in marks_a if m.cls == cls_a for p in m.scope_at)


def _negation_aligned(
    negating: tuple[StanceMark, ...], affirming: tuple[StanceMark, ...], aligned: dict[int, int]
) -> bool:
    """Whether a negative word of one claim bears on what the other claim states at the
    aligned place, with no negative word there bearing on it.

    A negative word ("not", "never", "failed to", "refused to", "opposed to") negates a
    predicate, so the word it bears on first, the predicate itself, must stand at the
    aligned place, and the negation must be a local edit: the two texts align again before
    the negative word (or both start there), within ``LOCAL_EDIT`` words of the predicate on
    both sides ("refused to exempt allies from the tariffs" / "exempted allies from the
    tariffs"). Sharing only the object is another predicate on the same thing ("fail to
    reach the standard" / "were up to standard"), and a predicate stated in another frame
    (another subject, another clause) is no reversal: "laws that do not reflect our values"
    / "a reform that reflects our values", "we will defend the right to a jury" / "the bill
    stands in opposition to the right to a jury".
    """
    negated = {p for m in affirming if m.cls == "negative" for p in m.scope_at}
    for m in negating:
        if m.cls != "negative":
            continue
        if not m.scope_at or m.scope_at[0] not in aligned or aligned[m.scope_at[0]] in negated:
            continue
        head = m.scope_at[0]
        # The nearest aligned word before the negator (-1: the claims' starts, which align)
        # with at most LOCAL_EDIT words between it and the predicate, on both sides.
        lowest = max(-1, head - 1 - LOCAL_EDIT)
        anchor = next((g for g in range(m.at - 1, lowest - 1, -1) if g in aligned or g < 0), None)
        if anchor is not None and aligned[head] - aligned.get(anchor, -1) - 1 <= LOCAL_EDIT:
            return True
    return False


def _words_on(marks: tuple[StanceMark, ...], cls: str, tokens: set[str]) -> tuple[str, ...]:
    """The stance words of class ``cls`` that bear on any of ``tokens``: the evidence."""
    return tuple(sorted({m.word for m in marks if m.cls == cls and m.scope & tokens}))


def stance_changes(old: ClaimRef, new: ClaimRef) -> tuple[StanceChange, ...]:
    """Polarity (refused ↔ reduced), direction (reduce ↔ maximize), modality (will ↔ aim).

    A flip is flagged only on what both claims speak of: a stance word bears on the next few
    content words of its clause (``stance.stance_marks``), and a dimension flips when a
    content word both claims share is borne on one way in one claim and the other way in the
    other ("reduce its dependence on nuclear power" → "maximize the use of nuclear power":
    down → up on "nuclear power"). Polarity flips when one claim negates shared words and the
    other claim negates nothing: both sides opposing is no flip.
    """
    wa, wb = stance_words(old.norm_text), stance_words(new.norm_text)
    if not may_flip(stance_classes(wa), stance_classes(wb)):
        return ()
    ma, mb = stance_marks(wa), stance_marks(wb)
    if not ma and not mb:  # no stance word on either side: nothing to flip
        return ()
    shared = frozenset(
        t
        for t in set(claim_tokens(old)) & set(claim_tokens(new))
        if not t.startswith("a:") and t not in LIGHT_VERBS
    ) | (stance_only_tokens(old.norm_text) & stance_only_tokens(new.norm_text))
    # The two claims' words aligned in order, read only for a pair that flips on the tokens:
    # a flip must also bear on one predicate, the same occurrence in both texts
    # (``stance.aligned_words``), not on a shared word that plays another part in the other
    # claim ("the rules did not work for small ports" / "small ports and the new scheme will
    # work together").
    aligned = Once(lambda: aligned_words(wa, wb))
    inverse = Once(lambda: {j: i for i, j in aligned().items()})
    out: list[StanceChange] = []
    neg_a, neg_b = _bearing(ma, "negative", shared), _bearing(mb, "negative", shared)
    # A claim that stops what the other negates ("oppose X" / "end X") opposes it too.
    any_a = any(m.cls == "negative" or m.word in CESSATION for m in ma)
    any_b = any(m.cls == "negative" or m.word in CESSATION for m in mb)
    if (neg_a and not any_b) or (neg_b and not any_a):
        flipped = neg_a | neg_b
        negating, affirming = (ma, mb) if neg_a else (mb, ma)
        affirming_words = wb if neg_a else wa
        # "oppose X" flips only against "support X"; "refused to exempt" against the same
        # words stated plainly ("exempted"); "not approve the deal" against the same
        # predicate: after a negator the negated verb and its object must both be
        # shared ("must not impede the delivery of aid" says nothing against "the delivery
        # of aid to Yemen", "will not raise taxes" nothing against "awards that raise the
        # cost of care"), and a plain negator never flips against "support" alone
        # ("staff don't have to pick between family and work" against "we support
        # family leave"); "no X" and "without X" flip only against X stated in the same
        # frame ("approve no new licences" / "approve new licences", ``stance.affirms``).
        # Most negation in rewritten text describes, it does not refuse.
        negates = any(
            m.predicate
            and (
                affirms(m, affirming_words)
                if m.word in NOUN_NEGATORS
                else m.head in flipped and m.object in flipped
                if m.word in NEGATORS
                else bool(m.scope & flipped)
            )
            for m in negating
            if m.cls == "negative"
        )
        # "oppose X" against "support X": the thing opposed and the thing supported have one
        # head ("oppose the abolition of the credit" says nothing against "support the
        # establishment of a savings commission").
        supported = {m.head for m in affirming if m.cls == "support" and m.head in flipped}
        opposes = any(
            m.cls == "negative" and m.word not in NEGATORS and m.head in supported for m in negating
        )
        on_one_predicate = (negates or opposes) and _negation_aligned(
            negating, affirming, aligned() if neg_a else inverse()
        )
        if not on_one_predicate:
            flipped = set()
    else:
        flipped = set()
    if flipped:
        out.append(
            StanceChange(
                "polarity",
                _words_on(ma, "negative", flipped),
                _words_on(mb, "negative", flipped),
            )
        )
    for dimension, one, other in (("direction", "up", "down"), ("modality", "firm", "tentative")):
        one_a, other_a = _bearing(ma, one, shared), _bearing(ma, other, shared)
        one_b, other_b = _bearing(mb, one, shared), _bearing(mb, other, shared)
        rising = (other_a & one_b) - one_a - other_b  # e.g. down in old, up in new
        falling = (one_a & other_b) - other_a - one_b
        if rising and not _bear_aligned(ma, other, mb, one, aligned()):
            rising = set()
        if falling and not _bear_aligned(ma, one, mb, other, aligned()):
            falling = set()
        if rising or falling:
            out.append(
                StanceChange(
                    dimension,  # type: ignore[arg-type]
                    tuple(sorted({*_words_on(ma, other, rising), *_words_on(ma, one, falling)})),
                    tuple(sorted({*_words_on(mb, one, rising), *_words_on(mb, other, falling)})),
                )
            )
    return tuple(out)
