"""The JSON contract of timelines: ``tracker history`` and ``tracker diff A B C …``
(see docs/json.md). Claims, briefs and quantity changes have the same shape as in the
pairwise diff contract; fields are never renamed or removed."""

from __future__ import annotations

import json
from typing import Any

from tracker.compare.timeline import Chain, Period, Series, Step, Timeline
from tracker.report.json_report import (
    SCHEMA_VERSION,
    change_to_dict,
    claim_to_dict,
    rounded,
    selection_to_dict,
)


def _period(p: Period) -> dict[str, Any]:
    return {"label": p.label, **selection_to_dict(p.selection)}


def _step(tl: Timeline, s: Step) -> dict[str, Any]:
    change = None
    if s.change is not None:
        full = change_to_dict(s.change)
        # The claims are the steps themselves; the link keeps only how it moved.
        keys = (
            "kind", "aspects", "score", "probability", "confidence", "relation", "quantities",
            "stance", "review",
        )  # fmt: skip
        change = {k: full[k] for k in keys}
    return {
        "period": tl.periods[s.period].label,
        "claim": claim_to_dict(s.claim),
        "also": [claim_to_dict(c) for c in s.also],
        "change": change,
    }


def _series(tl: Timeline, s: Series) -> dict[str, Any]:
    return {
        "kind": s.kind,
        "unit": s.unit,
        "points": [
            {
                "period": tl.periods[p.period].label,
                "value": rounded(p.value),
                "raw": p.raw,
                "deadline": p.deadline,
                "qualifiers": list(p.qualifiers),
                "claim_id": p.claim_id,
            }
            for p in s.points
        ],
    }


def _chain(tl: Timeline, c: Chain) -> dict[str, Any]:
    return {
        "id": c.id,
        "topic": c.topic,
        "terms": list(c.terms),
        "status": c.status,
        "changes": c.changes,
        "relevance": c.relevance,
        "first": tl.periods[c.steps[0].period].label,
        "last": tl.periods[c.steps[-1].period].label,
        "not_stated": [tl.periods[p].label for p in c.gaps(len(tl.periods))],
        "steps": [_step(tl, s) for s in c.steps],
        "trajectory": [_series(tl, s) for s in c.trajectory],
    }


def timeline_to_dict(tl: Timeline) -> dict[str, Any]:
    """The whole timeline as a JSON-ready dict."""
    return {
        "version": SCHEMA_VERSION,
        "type": "history" if tl.is_history else "timeline",
        "query": tl.query,
        "claim_id": tl.claim_id,
        "matcher": tl.matcher,
        "periods": [_period(p) for p in tl.periods],
        "summary": tl.summary,
        "chains": [_chain(tl, c) for c in tl.chains],
    }


def render_timeline_json(tl: Timeline) -> str:
    """Serialise a timeline; the same timeline always gives the same bytes."""
    return json.dumps(timeline_to_dict(tl), ensure_ascii=False, indent=2) + "\n"
