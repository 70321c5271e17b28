"""The JSON contract of ``tracker diff --format json`` (see docs/json.md).

Fields named in the contract are never renamed or removed; extra fields are additions.
Output is deterministic: no timestamps, stable order, floats rounded.
"""

from __future__ import annotations

import json
from typing import Any

from tracker.compare.model import (
    BriefRef,
    Change,
    ClaimRef,
    Diff,
    QuantityChange,
    Review,
    Selection,
)

SCHEMA_VERSION = 1


def brief_to_dict(b: BriefRef) -> dict[str, Any]:
    return {
        "id": b.id,
        "title": b.title,
        "date": b.date.isoformat(),
        "date_precision": b.date_precision,
        "source": b.source,
        "url": b.url,
    }


def selection_to_dict(s: Selection) -> dict[str, Any]:
    return {
        "selection": s.spec,
        "briefs": [brief_to_dict(b) for b in s.briefs],
        "claims": len(s.claims),
    }


def claim_to_dict(c: ClaimRef | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {
        "claim_id": c.id,
        "text": c.text,
        "brief_id": c.brief_id,
        "date": c.date.isoformat(),
        "span": [c.start, c.end],
        "sentence": c.sentence,
        "section": c.section,
        **({"context": c.context} if c.context is not None else {}),
    }


def rounded(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def _quantity(q: QuantityChange) -> dict[str, Any]:
    delta = q.delta
    return {
        "old": q.old.raw if q.old else None,
        "new": q.new.raw if q.new else None,
        "old_value": rounded(q.old.value) if q.old else None,
        "new_value": rounded(q.new.value) if q.new else None,
        "unit": q.unit,
        "kind": (q.new or q.old).kind,  # type: ignore[union-attr]
        "delta": rounded(delta),
        "moved": q.moved,
    }


def review_to_dict(r: Review | None) -> dict[str, Any] | None:
    """A reviewer's verdict on a pair; None when nobody reviewed it."""
    if r is None:
        return None
    return {"verdict": r.verdict, "by": r.by, "at": r.at, "note": r.note}


def change_to_dict(c: Change) -> dict[str, Any]:
    """One change as a JSON-ready dict."""
    return {
        "kind": c.kind,
        "aspects": list(c.aspects),
        "score": c.score,
        "probability": c.probability,
        "confidence": c.confidence,
        "relation": c.relation,
        "old": claim_to_dict(c.old),
        "new": claim_to_dict(c.new),
        "quantities": [_quantity(q) for q in c.quantities],
        "stance": [
            {"dimension": s.dimension, "old": list(s.old_words), "new": list(s.new_words)}
            for s in c.stance
        ],
        "also_old": [claim_to_dict(x) for x in c.also_old],
        "also_new": [claim_to_dict(x) for x in c.also_new],
        "review": review_to_dict(c.review),
        **(
            {"lead": {"claim": claim_to_dict(c.lead.claim), "probability": c.lead.probability}}
            if c.lead is not None
            else {}
        ),
    }


def diff_to_dict(diff: Diff) -> dict[str, Any]:
    """The whole diff as a JSON-ready dict."""
    return {
        "version": SCHEMA_VERSION,
        "from": selection_to_dict(diff.old),
        "to": selection_to_dict(diff.new),
        "matcher": diff.matcher,
        "summary": diff.summary,
        "confidence": diff.confidence,
        "changes": [change_to_dict(c) for c in diff.changes],
    }


def render_json(diff: Diff) -> str:
    """Serialise a diff; the same diff always gives the same bytes."""
    return json.dumps(diff_to_dict(diff), ensure_ascii=False, indent=2) + "\n"
