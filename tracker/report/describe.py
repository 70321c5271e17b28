"""Short human phrases for quantities and stance changes, shared by the renderers."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from tracker.claims.quantity_format import format_emissions
from tracker.compare.model import (
    KINDS,
    BriefRef,
    Change,
    ChangeKind,
    ClaimRef,
    Diff,
    QuantityChange,
    Review,
    StanceChange,
)
from tracker.compare.timeline import Point, Series

_RANGE = re.compile(r"\d\s*(?:to|-|–|and)\s*\d")


def shown_probability(p: float) -> str:
    """A probability as reports print it: two decimals, rounded *down*.

    Bands and the threshold are read off the exact probability, so a rounded-up figure
    could print a weak link as "0.85" (the probable band's edge) or a lead just below the
    threshold as the threshold itself; rounding down never states more than the model does.
    """
    return f"{math.floor(round(p * 100, 6)) / 100:.2f}"


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1000 and x == int(x) else f"{x:g}"


def quantity_phrase(q: QuantityChange) -> str:
    """ "1 percent of gross domestic product → 2% of GDP (+1 pp)"."""
    old = q.old.raw if q.old else "—"
    new = q.new.raw if q.new else "—"
    delta = q.delta
    if delta is None or delta == 0 or q.unit == "year" or q.unit == "by-year":
        suffix = ""
        if delta and q.unit in ("year", "by-year"):
            suffix = f" ({'+' if delta > 0 else ''}{_num(delta)} years)"
        return f"{old} → {new}{suffix}"
    sign = "+" if delta > 0 else "−"
    if q.unit.startswith("t CO2e"):
        return f"{old} → {new} ({sign}{format_emissions(abs(delta), q.unit)})"
    if q.unit.startswith("%") or q.unit == "pp":
        unit = " pp"
    elif q.unit == "rank":
        return f"{old} → {new} ({'down' if delta > 0 else 'up'} {_num(abs(delta))})"
    else:
        unit = f" {q.unit}" if q.unit else ""
    return f"{old} → {new} ({sign}{_num(abs(delta))}{unit})"


def quantity_label(q: QuantityChange) -> str:
    """ "quantity" for a figure that moved, "context" for a year, rank or count on one side."""
    return "quantity" if q.moved else "context"


def stance_phrase(s: StanceChange) -> str:
    """ "polarity: refused → (none)"."""
    old = ", ".join(s.old_words) or "(none)"
    new = ", ".join(s.new_words) or "(none)"
    return f"{s.dimension}: {old} → {new}"


def brief_label(diff: Diff, claim: ClaimRef) -> str:
    """ "claim 17, brief 3, 2023-06-15, Title": the claim's store-wide id (as ``tracker
    claims``, ``search`` and ``history --claim`` use it) and its brief."""
    brief = brief_of(diff, claim)
    when = brief.shown_date if brief else claim.date.isoformat()
    title = brief.title if brief else ""
    return f"claim {claim.id}, brief {claim.brief_id}, {when}, {title}"


def brief_of(diff: Diff, claim: ClaimRef) -> BriefRef | None:
    """The brief a claim of the diff comes from."""
    for b in (*diff.old.briefs, *diff.new.briefs):
        if b.id == claim.brief_id:
            return b
    return None


def headline(change: Change) -> str:
    """ "modified (quantity, wording) probability 0.93 (strong match), score 0.812"."""
    aspects = f" ({', '.join(change.aspects)})" if change.aspects else ""
    relation = f" [{change.relation}]" if change.relation != "one-to-one" else ""
    trust = (
        f" probability {shown_probability(change.probability)} ({change.confidence} match)"
        if change.probability is not None
        else ""
    )
    score = f", score {change.score:.3f}" if change.score is not None else ""
    return f"{change.kind}{aspects}{relation}{trust}{score}"


def review_phrase(review: Review) -> str:
    """ "confirmed by ana on 2026-12-01 (same): restated in the 2024 plan" for a pair a
    reviewer confirmed; "rejected by …" for a verdict of ``different``."""
    word = "confirmed" if review.confirmed else "rejected"
    note = f": {review.note}" if review.note else ""
    return f"{word} by {review.by} on {review.at[:10]} ({review.verdict}){note}"


def lead_line(diff: Diff, change: Change) -> str | None:
    """ "possibly related (probability 0.31): <claim> — claim 17, brief 3, …" for an added or
    removed claim whose best candidate fell below the threshold; None when it has none.

    A lead is shown so that a reader can follow it up, never counted as a match."""
    if change.lead is None:
        return None
    claim = change.lead.claim
    shown = shown_probability(change.lead.probability)
    return (
        f"possibly related (probability {shown}, not a match): "
        f"{claim.text} — {brief_label(diff, claim)}"
    )


def report_priority(change: Change) -> tuple[int, float]:
    """Quantity and stance changes first within a kind, best matched first (the HTML report's
    order, and the text report's with ``--sort score``).

    Weak pairs (low probability) are the likeliest to be wrong, so they do not lead the report.
    """
    tier = 0 if "quantity" in change.aspects or "stance" in change.aspects else 1
    return (tier, -(change.probability or 0.0))


GROUP_TITLES: dict[ChangeKind, str] = {
    "modified": "Modified claims",
    "added": "Added claims",
    "removed": "Removed claims",
    "unchanged": "Unchanged claims",
}


def groups(diff: Diff, sort: str = "order") -> list[tuple[ChangeKind, list[Change]]]:
    """The diff's changes by kind, leaving out empty kinds: within a kind in reading order
    (``sort="order"``, the diff's own order) or by ``report_priority`` (``"score"``)."""
    by_kind: dict[ChangeKind, list[Change]] = {k: [] for k in KINDS}
    for change in diff.changes:
        by_kind[change.kind].append(change)
    if sort == "score":
        for group in by_kind.values():
            group.sort(key=report_priority)  # stable: ties keep reading order
    return [(k, by_kind[k]) for k in KINDS if by_kind[k]]


def summary_line(diff: Diff) -> str:
    """ "3 modified, 1 added, 0 removed, 2 unchanged; matches: 4 strong, 0 probable, 1 weak".

    Only pairs above the threshold are counted; leads never are."""
    s = diff.summary
    line = (
        f"{s['modified']} modified, {s['added']} added, {s['removed']} removed, "
        f"{s['unchanged']} unchanged"
    )
    counts = diff.confidence
    if any(counts.values()):
        line += "; matches: " + ", ".join(f"{n} {band}" for band, n in counts.items())
    return line


# -- timelines -----------------------------------------------------------------------------

STATUS_TITLES: dict[str, str] = {
    "changed-repeatedly": "Changed repeatedly",
    "changed-once": "Changed once",
    "appeared": "Appeared",
    "vanished": "Vanished",
    "transient": "Stated only in between",
    "stable": "Stable throughout",
}


def value_phrase(value: float, unit: str) -> str:
    """ "2% of GDP", "60,000 troops", "USD 4.5 billion", "65 Mt CO2e", "rank 3"."""
    if unit.startswith("%"):
        return f"{_num(value)}{unit}"
    if unit == "pp":
        return f"{_num(value)} pp"
    if unit == "rank":
        return f"rank {_num(value)}"
    if unit.startswith("t CO2e"):
        return format_emissions(value, unit)
    if unit.isupper() and len(unit) == 3:  # a currency code
        for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if abs(value) >= scale:
                return f"{unit} {_num(round(value / scale, 3))} {word}"
        return f"{unit} {_num(value)}"
    return f"{_num(value)} {unit}".strip()


def point_phrase(
    value: float, unit: str, deadline: int | None, qualifiers: tuple[str, ...] = ()
) -> str:
    """ "2% of GDP by 2027", "1% of GDP [above, cap]"."""
    words = f" [{', '.join(qualifiers)}]" if qualifiers else ""
    return value_phrase(value, unit) + (f" by {deadline}" if deadline else "") + words


def trajectory_phrase(series: Series, labels: Sequence[str]) -> str:
    """ "1% of GDP [above, cap] (2023) → 2% of GDP by 2027 (2024)"."""
    return " → ".join(f"{point_label(p, series.unit)} ({labels[p.period]})" for p in series.points)


def point_label(point: Point, unit: str) -> str:
    """A trajectory point: "2% of GDP by 2027"; a range keeps its words ("36 to 38 percent"),
    since the single value stored for it is the midpoint."""
    if _RANGE.search(point.raw):
        words = f" [{', '.join(point.qualifiers)}]" if point.qualifiers else ""
        deadline = f" by {point.deadline}" if point.deadline else ""
        return f"{point.raw}{deadline}{words}"
    return point_phrase(point.value, unit, point.deadline, point.qualifiers)


def step_change_phrase(change: Change) -> str:
    """ "modified (wording, quantity), probability 0.71, score 0.376" for the link into a
    step; "(weak link)" is added in the weak confidence band."""
    aspects = f" ({', '.join(change.aspects)})" if change.aspects else ""
    trust = (
        f", probability {shown_probability(change.probability)}"
        if change.probability is not None
        else ""
    )
    score = f", score {change.score:.3f}" if change.score is not None else ""
    # Weak links clear the threshold but are the likeliest of the reported pairs to be wrong;
    # a link a reviewer confirmed is not a guess, whatever its probability.
    weak = " (weak link)" if change.confidence == "weak" and change.review is None else ""
    reviewed = f", {review_phrase(change.review)}" if change.review is not None else ""
    return f"{change.kind}{aspects}{trust}{score}{weak}{reviewed}"


def lead_in_lines(change: Change) -> list[str]:
    """The lead-ins of a change's claims, as report lines ("lead-in: It includes …").

    A list item ("increasing defence spending to 2% of GDP") says whose position it is only
    with its lead-in. One line when both sides share it, else one per side that has one.
    """
    old = change.old.context if change.old is not None else None
    new = change.new.context if change.new is not None else None
    if old is not None and old == new:
        return [f"lead-in: {old} …"]
    if change.old is None or change.new is None:
        one = old or new
        return [f"lead-in: {one} …"] if one else []
    lines = []
    if old is not None:
        lines.append(f"old lead-in: {old} …")
    if new is not None:
        lines.append(f"new lead-in: {new} …")
    return lines
