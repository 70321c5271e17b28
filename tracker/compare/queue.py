"""The review queue: the pairs and leads of a diff that no reviewer has decided yet, most
uncertain first.

Built from a ``Diff`` and the set of decided claim-hash pairs only (``tracker.app.review``
loads those), so it runs no SQL.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass

from tracker.claims.identity import claim_hash
from tracker.compare.classify import classify
from tracker.compare.model import ClaimRef, Diff, QuantityChange


@dataclass(frozen=True)
class QueueItem:
    """One pair to review: a reported pair nobody decided yet, or a lead."""

    old: ClaimRef
    new: ClaimRef
    probability: float
    source: str  # "pair" (reported by the matcher) or "lead" (best candidate below it)
    kind: str  # the pair's change kind as classified ("modified", "unchanged")
    quantities: tuple[QuantityChange, ...]

    def uncertainty(self, threshold: float) -> float:
        """Distance of the probability from the threshold, in log-odds (0: least sure)."""

        def logit(p: float) -> float:
            q = min(max(p, 1e-6), 1 - 1e-6)
            return math.log(q / (1 - q))

        return abs(logit(self.probability) - logit(threshold))


def review_queue(diff: Diff, decided: Collection[tuple[str, str]] = frozenset()) -> list[QueueItem]:
    """The unreviewed pairs and leads of ``diff``, most uncertain first (probability nearest
    the threshold), then in reading order. ``decided`` (claim-hash pairs with a current
    verdict) are left out too: a claim stated twice in one brief is paired through one
    statement, and the other may still show the decided pair as a lead."""

    def open_pair(old: ClaimRef, new: ClaimRef) -> bool:
        return not decided or (claim_hash(old.text), claim_hash(new.text)) not in decided

    threshold = float(str(diff.matcher.get("threshold", 0.5)))
    items: dict[tuple[int, int], QueueItem] = {}
    for change in diff.changes:
        if change.old is not None and change.new is not None:
            if (
                change.review is None
                and change.probability is not None
                and open_pair(change.old, change.new)
            ):
                items[(change.old.id, change.new.id)] = QueueItem(
                    change.old,
                    change.new,
                    change.probability,
                    "pair",
                    change.kind,
                    change.quantities,
                )
        elif change.lead is not None:
            old = change.old or change.lead.claim
            new = change.new or change.lead.claim
            if (old.id, new.id) not in items and open_pair(old, new):
                kind, _aspects, quantities, _stance = classify(old, new)
                items[(old.id, new.id)] = QueueItem(
                    old, new, change.lead.probability, "lead", kind, quantities
                )
    return sorted(
        items.values(),
        key=lambda it: (it.uncertainty(threshold), it.old.order, it.new.order),
    )
