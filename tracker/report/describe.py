"""Short human phrases for quantities and stance changes, shared by the renderers."""

from __future__ import annotations

from tracker.compare.model import (
    KINDS,
    BriefRef,
    Change,
    ChangeKind,
    ClaimRef,
    Diff,
    QuantityChange,
    StanceChange,
)


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
    if q.unit.startswith("%") or q.unit == "pp":
        unit = " pp"
    elif q.unit == "rank":
        return f"{old} → {new} ({'down' if delta > 0 else 'up'} {_num(abs(delta))})"
    else:
        unit = f" {q.unit}" if q.unit else ""
    return f"{old} → {new} ({sign}{_num(abs(delta))}{unit})"


def stance_phrase(s: StanceChange) -> str:
    """ "polarity: refused → (none)"."""
    old = ", ".join(s.old_words) or "(none)"
    new = ", ".join(s.new_words) or "(none)"
    return f"{s.dimension}: {old} → {new}"


def brief_label(diff: Diff, claim: ClaimRef) -> str:
    """ "brief 3, 2023-06-15, Title"."""
    brief = brief_of(diff, claim)
    return f"brief {claim.brief_id}, {claim.date.isoformat()}, {brief.title if brief else ''}"


def brief_of(diff: Diff, claim: ClaimRef) -> BriefRef | None:
    """The brief a claim of the diff comes from."""
    for b in (*diff.old.briefs, *diff.new.briefs):
        if b.id == claim.brief_id:
            return b
    return None


def headline(change: Change) -> str:
    """ "modified (quantity, wording) score 0.81"."""
    aspects = f" ({', '.join(change.aspects)})" if change.aspects else ""
    relation = f" [{change.relation}]" if change.relation != "one-to-one" else ""
    score = f" score {change.score:.2f}" if change.score is not None else ""
    return f"{change.kind}{aspects}{relation}{score}"


GROUP_TITLES: dict[ChangeKind, str] = {
    "modified": "Modified claims",
    "added": "Added claims",
    "removed": "Removed claims",
    "unchanged": "Unchanged claims",
}


def groups(diff: Diff) -> list[tuple[ChangeKind, list[Change]]]:
    """The diff's changes by kind, in report order, leaving out empty kinds."""
    by_kind: dict[ChangeKind, list[Change]] = {k: [] for k in KINDS}
    for change in diff.changes:
        by_kind[change.kind].append(change)
    return [(k, by_kind[k]) for k in KINDS if by_kind[k]]


def summary_line(diff: Diff) -> str:
    """ "3 modified, 1 added, 0 removed, 2 unchanged"."""
    s = diff.summary
    return (
        f"{s['modified']} modified, {s['added']} added, {s['removed']} removed, "
        f"{s['unchanged']} unchanged"
    )
