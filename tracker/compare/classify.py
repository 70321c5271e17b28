"""Say how a matched pair of claims differs: unchanged, or modified in wording, quantity,
stance — with the evidence (which numbers moved, which words flipped)."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from tracker.compare.features import stance
from tracker.compare.model import (
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


def quantity_changes(old: ClaimRef, new: ClaimRef) -> tuple[QuantityChange, ...]:
    """Pair the quantities of two claims by kind and unit and list those that differ.

    Equal values pair first, so "46% (previously 26%)" against "60%" reports 46 → 60 and
    26 dropped rather than an arbitrary pairing.
    """

    def grouped(qs: tuple[QuantityRef, ...]) -> dict[tuple[str, str], list[QuantityRef]]:
        out: dict[tuple[str, str], list[QuantityRef]] = {}
        for q in qs:
            out.setdefault((q.kind, q.unit), []).append(q)
        return out

    old_g, new_g = grouped(old.quantities), grouped(new.quantities)
    changes: list[QuantityChange] = []
    # Keys sorted only by first appearance, so the output follows the text.
    keys = list(dict.fromkeys([*old_g, *new_g]))
    for key in keys:
        olds, news = list(old_g.get(key, [])), list(new_g.get(key, []))
        for q in list(olds):
            match = next((n for n in news if n.value == q.value), None)
            if match is not None:
                olds.remove(q)
                news.remove(match)
        for i in range(max(len(olds), len(news))):
            o = olds[i] if i < len(olds) else None
            n = news[i] if i < len(news) else None
            changes.append(QuantityChange(o, n))
    # A unit change of the same kind (e.g. "% " → "% of GDP") reads better as one pair.
    merged: list[QuantityChange] = []
    for ch in changes:
        partner = next(
            (
                m
                for m in merged
                if m.new is None
                and ch.old is None
                and m.old is not None
                and ch.new is not None
                and m.old.kind == ch.new.kind
                # Two different years are two facts ("by 2050" vs "since 2013"), not a move.
                and (m.old.kind != "year" or m.old.value == ch.new.value)
            ),
            None,
        )
        if partner is None:
            merged.append(ch)
        elif partner.old is not None and ch.new is not None and partner.old.value == ch.new.value:
            # "by 2050" and "in 2050" name the same year: not a change.
            merged.remove(partner)
        else:
            merged[merged.index(partner)] = QuantityChange(partner.old, ch.new)
    return tuple(merged)


def stance_changes(old: ClaimRef, new: ClaimRef) -> tuple[StanceChange, ...]:
    """Polarity (refused ↔ reduced), direction (reduce ↔ maximize), modality (will ↔ aim)."""
    sa, sb = stance(old.norm_text), stance(new.norm_text)
    out: list[StanceChange] = []
    if bool(sa.negative) != bool(sb.negative):
        out.append(StanceChange("polarity", tuple(sorted(sa.negative)), tuple(sorted(sb.negative))))
    a_dir = "up" if sa.up and not sa.down else "down" if sa.down and not sa.up else None
    b_dir = "up" if sb.up and not sb.down else "down" if sb.down and not sb.up else None
    if a_dir and b_dir and a_dir != b_dir:
        out.append(
            StanceChange(
                "direction",
                tuple(sorted(sa.up if a_dir == "up" else sa.down)),
                tuple(sorted(sb.up if b_dir == "up" else sb.down)),
            )
        )
    a_mod = (
        "firm"
        if sa.firm and not sa.tentative
        else "tentative"
        if sa.tentative and not sa.firm
        else None
    )
    b_mod = (
        "firm"
        if sb.firm and not sb.tentative
        else "tentative"
        if sb.tentative and not sb.firm
        else None
    )
    if a_mod and b_mod and a_mod != b_mod:
        out.append(
            StanceChange(
                "modality",
                tuple(sorted(sa.firm if a_mod == "firm" else sa.tentative)),
                tuple(sorted(sb.firm if b_mod == "firm" else sb.tentative)),
            )
        )
    return tuple(out)


_DIGITS = re.compile(r"\d+")


def _without_numbers(claim: ClaimRef) -> str:
    text = claim.norm_text
    for q in claim.quantities:
        text = text.replace(q.raw.lower(), " ")
    return _DIGITS.sub("", text)


def classify(
    old: ClaimRef, new: ClaimRef
) -> tuple[ChangeKind, tuple[Aspect, ...], tuple[QuantityChange, ...], tuple[StanceChange, ...]]:
    """Kind, aspects, quantity changes and stance changes of a matched pair."""
    quantities = quantity_changes(old, new)
    stances = stance_changes(old, new)
    aspects: list[Aspect] = []
    if fuzz.ratio(_without_numbers(old), _without_numbers(new)) < WORDING_RATIO:
        aspects.append("wording")
    if any(q.moved for q in quantities):
        aspects.append("quantity")
    if stances:
        aspects.append("stance")
    same = old.norm_text == new.norm_text or (
        not quantities
        and not stances
        and fuzz.ratio(old.norm_text, new.norm_text) >= UNCHANGED_RATIO
    )
    if same:
        return "unchanged", (), (), ()
    if not aspects:
        aspects.append("wording")
    return "modified", tuple(aspects), quantities, stances
