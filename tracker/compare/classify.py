"""Say how a matched pair of claims differs: unchanged, or modified in wording, quantity,
stance — with the evidence (which numbers moved, which words flipped)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Generic, TypeVar

from rapidfuzz import fuzz

from tracker.claims.lexicon import CESSATION, NEGATORS
from tracker.compare.features import claim_tokens
from tracker.compare.measures import Measure, claim_words, measures, same_measure
from tracker.compare.model import (
    AMOUNT_KINDS,
    Aspect,
    ChangeKind,
    ClaimRef,
    QuantityChange,
    QuantityRef,
    StanceChange,
)
from tracker.compare.stance import (
    LIGHT_VERBS,
    NOUN_NEGATORS,
    PREDICATE_NEGATORS,
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
# Normalised texts at least this similar (0–100) read as the same claim restated.
UNCHANGED_RATIO = 90.0
# Below this, the words differ beyond punctuation and numbers: a "wording" change.
WORDING_RATIO = 98.0


T = TypeVar("T")


class _Once(Generic[T]):
    """A value computed on its first use only (``functools.cache`` costs more to create
    than most pairs save: one is made per pair and side)."""

    __slots__ = ("_made", "_make", "_value")

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._made = False

    def __call__(self) -> T:
        if not self._made:
            self._value = self._make()
            self._made = True
        return self._value


def _measured(q: QuantityRef) -> bool:
    """Whether a figure's neighbourhood decides what it measures.

    A count names what it counts in its unit ("troops"), and ranks and deadlines keep their
    own context rules (``QuantityChange.moved``); shares, amounts, emissions ("base-year
    emissions of 730 Mt", "a 2030 cap of 65 Mt") and bare scaled numbers ("1.2 billion")
    say what they measure only in the words around them, and a plain year
    what it is (a baseline, a deadline, a date) only there too.
    """
    return (
        q.kind in AMOUNT_KINDS
        or (q.kind == "count" and not q.unit)
        or (q.kind == "year" and q.unit == "year")
    )


def quantity_changes(old: ClaimRef, new: ClaimRef) -> tuple[QuantityChange, ...]:
    """Pair the quantities of two claims by kind, unit and measure and list those that differ.

    Equal values pair first, so "46% (previously 26%)" against "60%" reports 46 → 60 and
    26 dropped rather than an arbitrary pairing. Two shares or amounts pair only when they
    measure the same thing (``measures``): an R&D budget and an FDI stock are listed side by
    side as context (``other_measure``), never as a move.
    """
    # A quantity and its place among its claim's quantities: its measure is read from the
    # claim's text only when it is asked for, and most figures pair by equal value first.
    Item = tuple[QuantityRef, int]

    def grouped(claim: ClaimRef) -> dict[tuple[str, str], list[Item]]:
        out: dict[tuple[str, str], list[Item]] = {}
        for k, q in enumerate(claim.quantities):
            out.setdefault((q.kind, q.unit), []).append((q, k))
        return out

    def measure_of(claim: ClaimRef) -> Callable[[int], Measure]:
        found = _Once(lambda: measures(claim.text, claim.quantities, claim.date.year))

        def of(k: int) -> Measure:
            return found()[k] if _measured(claim.quantities[k]) else Measure()

        return of

    if not old.quantities and not new.quantities:  # most claims state no figure at all
        return ()
    old_g, new_g = grouped(old), grouped(new)
    _drop_shared_years(old_g, new_g)
    old_m, new_m = measure_of(old), measure_of(new)
    # Every word of each claim, for a measure named elsewhere in it: read once, and only when
    # two figures of one kind, one on each side, have measure words that do not decide.
    old_w = _Once(lambda: claim_words(old.text))
    new_w = _Once(lambda: claim_words(new.text))
    # Each change with the places of its sides' quantities, for the merge below.
    changes: list[tuple[QuantityChange, int, int]] = []
    # Keys sorted only by first appearance, so the output follows the text.
    keys = list(dict.fromkeys([*old_g, *new_g]))
    for key in keys:
        olds, news = list(old_g.get(key, [])), list(new_g.get(key, []))
        for item in list(olds):
            match = next((n for n in news if n[0].value == item[0].value), None)
            if match is not None:
                olds.remove(item)
                news.remove(match)
        paired: list[tuple[Item, Item]] = []
        for item in list(olds):
            match = next(
                (n for n in news if same_measure(old_m(item[1]), new_m(n[1]), old_w, new_w)),
                None,
            )
            if match is not None:
                olds.remove(item)
                news.remove(match)
                paired.append((item, match))
        changes.extend((QuantityChange(o[0], n[0]), o[1], n[1]) for o, n in paired)
        # What is left on both sides measures different things: context, not a move.
        other = bool(olds) and bool(news)
        changes.extend((QuantityChange(o[0], None, other), o[1], -1) for o in olds)
        changes.extend((QuantityChange(None, n[0], other), -1, n[1]) for n in news)
    # A unit change of the same kind (e.g. "% " → "% of GDP") reads better as one pair.
    merged: list[tuple[QuantityChange, int, int]] = []
    for ch, ch_old_k, ch_new_k in changes:
        partner = next(
            (
                row
                for row in merged
                if row[0].new is None
                and ch.old is None
                and row[0].old is not None
                and ch.new is not None
                and row[0].old.kind == ch.new.kind
                and not row[0].other_measure
                and not ch.other_measure
                # Years both claims name are gone already (_drop_shared_years), and two
                # different years are two facts ("by 2050" vs "since 2013"), not a move.
                and row[0].old.kind != "year"
                and same_measure(old_m(row[1]), new_m(ch_new_k), old_w, new_w)
            ),
            None,
        )
        if partner is None:
            merged.append((ch, ch_old_k, ch_new_k))
            continue
        p_old = partner[0].old
        assert p_old is not None and ch.new is not None
        if p_old.value == ch.new.value:
            # One value in two units ("1%" and "1% of GDP"): not a change.
            merged.remove(partner)
        else:
            merged[merged.index(partner)] = (QuantityChange(p_old, ch.new), partner[1], ch_new_k)
    return tuple(row[0] for row in merged)


def _drop_shared_years(*sides: dict[tuple[str, str], list[tuple[QuantityRef, int]]]) -> None:
    """Take out of both sides' groups every year that both claims name, however written.

    A year is one date whether a claim writes "2050", "by 2050" or names it twice; left in,
    a second "by 2050" of one claim pairs with the other claim's "by 2025" as a move.
    """
    years = [
        {q.value for key, items in g.items() if key[0] == "year" for q, _ in items} for g in sides
    ]
    shared = set.intersection(*years) if years else set()
    for g in sides:
        for key in [k for k in g if k[0] == "year"]:
            seen: set[float] = set()
            kept = []
            for item in g[key]:
                value = item[0].value
                if value not in shared and value not in seen:
                    kept.append(item)
                seen.add(value)
            g[key] = kept


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

    A verb of refusal or opposition bears on its object ("refused to exempt allies from
    the steel tariffs" / "reduced tariffs on allied steel"): one of its words at the aligned
    place is enough. A negator ("not", "never", "failed to") negates a predicate, so the word
    it bears on first, the predicate itself, must stand at the aligned place, and the negation must
    be a local edit: the two texts align again before the negator (or both start there),
    within ``LOCAL_EDIT`` words of the predicate on both sides. Sharing only the object is
    another predicate on the same thing ("fail to reach the standard" / "were up to
    standard"), and a predicate stated in another frame (another subject, another clause)
    is no reversal: "laws that do not reflect our values" / "a reform that reflects our
    values".
    """
    negated = {p for m in affirming if m.cls == "negative" for p in m.scope_at}
    for m in negating:
        if m.cls != "negative":
            continue
        if m.word not in PREDICATE_NEGATORS:
            if any(aligned.get(p, -1) not in negated | {-1} for p in m.scope_at):
                return True
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
    # claim ("tighten the visa system" / "cut overstaying on visas").
    aligned = _Once(lambda: aligned_words(wa, wb))
    inverse = _Once(lambda: {j: i for i, j in aligned().items()})
    out: list[StanceChange] = []
    neg_a, neg_b = _bearing(ma, "negative", shared), _bearing(mb, "negative", shared)
    # A claim that stops what the other negates ("oppose X" / "end X") opposes it too.
    any_a = any(m.cls == "negative" or m.word in CESSATION for m in ma)
    any_b = any(m.cls == "negative" or m.word in CESSATION for m in mb)
    if (neg_a and not any_b) or (neg_b and not any_a):
        flipped = neg_a | neg_b
        negating, affirming = (ma, mb) if neg_a else (mb, ma)
        affirming_words = wb if neg_a else wa
        # "oppose X" flips only against "support X"; "refused to exempt" flips against the
        # same words stated plainly ("reduced tariffs"); "not approve the deal" against the
        # same predicate: after a negator the negated verb and its object must both be
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
        on_one = negates or opposes
        if not on_one or not _negation_aligned(
            negating, affirming, aligned() if neg_a else inverse()
        ):
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


_DIGITS = re.compile(r"\d+")
_NUMBER = re.compile(r"[0-9][0-9,.]*")


def _numbers(claim: ClaimRef) -> list[str]:
    """The numbers written in a claim, in order, without grouping commas or a final dot."""
    return [n.replace(",", "").rstrip(".") for n in _NUMBER.findall(claim.norm_text)]


def _without_numbers(claim: ClaimRef) -> str:
    text = claim.norm_text
    for q in claim.quantities:
        text = text.replace(q.raw.lower(), " ")
    return _DIGITS.sub("", text)


def classify(
    old: ClaimRef, new: ClaimRef
) -> tuple[ChangeKind, tuple[Aspect, ...], tuple[QuantityChange, ...], tuple[StanceChange, ...]]:
    """Kind, aspects, quantity changes and stance changes of a matched pair."""
    if old.norm_text == new.norm_text:  # the same words: nothing can have moved
        return "unchanged", (), (), ()
    quantities = quantity_changes(old, new)
    stances = stance_changes(old, new)
    aspects: list[Aspect] = []
    if fuzz.ratio(_without_numbers(old), _without_numbers(new)) < WORDING_RATIO:
        aspects.append("wording")
    if any(q.moved for q in quantities):
        aspects.append("quantity")
    if stances:
        aspects.append("stance")
    same = (
        not quantities
        and not stances
        # A figure the extractor did not read as a quantity still moved when the numbers
        # of the texts differ: near-identical wording must not hide it.
        and _numbers(old) == _numbers(new)
        and fuzz.ratio(old.norm_text, new.norm_text) >= UNCHANGED_RATIO
    )
    if same:
        return "unchanged", (), (), ()
    if not aspects:
        aspects.append("wording")
    return "modified", tuple(aspects), quantities, stances
