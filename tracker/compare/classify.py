"""Say how a matched pair of claims differs: unchanged, or modified in wording, quantity,
stance — with the evidence (which numbers moved, which words flipped)."""

from __future__ import annotations

import re
from collections.abc import Callable

from rapidfuzz import fuzz

from tracker.compare.flips import stance_changes
from tracker.compare.lazy import Once
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

# Normalised texts at least this similar (0–100) read as the same claim restated.
UNCHANGED_RATIO = 90.0
# Below this, the words differ beyond punctuation and numbers: a "wording" change.
WORDING_RATIO = 98.0
# A stance change is read only between close restatements: texts (numbers aside) at least
# this similar. In a looser rewording the stance words that differ mostly bear on another
# predicate than the one they seem to oppose, which word lists cannot tell: on the stance
# flags labelled by session 11, 21 of the 24 at or above this bar were right and 5 of the
# 27 below it (benchmarks/README.md, `stance_audit.py`, session 12).
STANCE_RATIO = 55.0


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
        found = Once(lambda: measures(claim.text, claim.quantities, claim.date.year))

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
    old_w = Once(lambda: claim_words(old.text))
    new_w = Once(lambda: claim_words(new.text))
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
    wording = fuzz.ratio(_without_numbers(old), _without_numbers(new))
    stances = stance_changes(old, new) if wording >= STANCE_RATIO else ()
    aspects: list[Aspect] = []
    if wording < WORDING_RATIO:
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
