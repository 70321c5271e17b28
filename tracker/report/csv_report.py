"""CSV of a diff (one row per change) and of a timeline (one row per step), for a spreadsheet.

The columns are the ones an analyst sorts and filters by (see docs/json.md, "CSV"): kind,
confidence, score, old and new text, their dates and briefs, and the quantities as the text
report words them. Rows are in the order of the JSON output (see ``csvrows`` for the
dialect).
"""

from __future__ import annotations

from tracker.compare.model import BriefRef, Change, ClaimRef, Diff
from tracker.compare.timeline import Timeline
from tracker.report.csvrows import Cell, write_rows
from tracker.report.describe import (
    quantity_label,
    quantity_phrase,
    review_phrase,
    stance_phrase,
)

DIFF_COLUMNS = (
    "kind",
    "aspects",
    "confidence",
    "probability",
    "score",
    "old_text",
    "new_text",
    "old_date",
    "new_date",
    "old_brief_id",
    "new_brief_id",
    "old_brief",
    "new_brief",
    "old_claim_id",
    "new_claim_id",
    "quantities",
    "stance",
    "lead_text",
    "lead_probability",
    "review",
)
TIMELINE_COLUMNS = (
    "chain",
    "topic",
    "status",
    "step",
    "period",
    "date",
    "brief_id",
    "brief",
    "claim_id",
    "text",
    "kind",
    "aspects",
    "confidence",
    "probability",
    "score",
    "quantities",
    "stance",
    "review",
)


def _review(change: Change | None) -> str | None:
    """ "confirmed by ana on 2026-12-01 (same)" for a reviewed pair; empty otherwise."""
    if change is None or change.review is None:
        return None
    return review_phrase(change.review)


def _score(score: float | None) -> str | None:
    return None if score is None else f"{score:.3f}"


def _quantities(change: Change | None) -> str:
    if change is None:
        return ""
    return "; ".join(f"{quantity_label(q)}: {quantity_phrase(q)}" for q in change.quantities)


def _stance(change: Change | None) -> str:
    return "" if change is None else "; ".join(stance_phrase(s) for s in change.stance)


def _claim_cells(claim: ClaimRef | None, briefs: dict[int, BriefRef]) -> tuple[Cell, ...]:
    if claim is None:
        return (None, None, None, None, None)
    brief = briefs.get(claim.brief_id)
    return (
        claim.text,
        claim.date.isoformat(),
        claim.brief_id,
        brief.title if brief else None,
        claim.id,
    )


def render_diff_csv(diff: Diff) -> str:
    """One row per change of a two-way diff, in the order of the JSON output."""
    briefs = {b.id: b for b in (*diff.old.briefs, *diff.new.briefs)}
    rows = []
    for change in diff.changes:
        old = _claim_cells(change.old, briefs)
        new = _claim_cells(change.new, briefs)
        rows.append(
            (
                change.kind,
                " ".join(change.aspects),
                change.confidence,
                _score(change.probability),
                _score(change.score),
                old[0],
                new[0],
                old[1],
                new[1],
                old[2],
                new[2],
                old[3],
                new[3],
                old[4],
                new[4],
                _quantities(change),
                _stance(change),
                change.lead.claim.text if change.lead else None,
                _score(change.lead.probability) if change.lead else None,
                _review(change),
            )
        )
    return write_rows(DIFF_COLUMNS, rows)


def render_timeline_csv(tl: Timeline) -> str:
    """One row per step of each chain (history or multi-way diff), chains in report order;
    the change columns describe the link from the step before (empty on a first step)."""
    rows = []
    for chain in tl.chains:
        for number, step in enumerate(chain.steps, 1):
            brief = tl.brief(step.claim.brief_id)
            change = step.change
            rows.append(
                (
                    chain.id,
                    chain.topic,
                    chain.status,
                    number,
                    tl.periods[step.period].label,
                    step.claim.date.isoformat(),
                    brief.id,
                    brief.title,
                    step.claim.id,
                    step.claim.text,
                    change.kind if change else None,
                    " ".join(change.aspects) if change else None,
                    change.confidence if change else None,
                    _score(change.probability) if change else None,
                    _score(change.score) if change else None,
                    _quantities(change),
                    _stance(change),
                    _review(change),
                )
            )
    return write_rows(TIMELINE_COLUMNS, rows)
