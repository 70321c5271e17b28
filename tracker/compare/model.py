"""Plain dataclasses the comparison engine produces; renderers read only these."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# The loaded selections the engine compares: defined with the selection grammar, below the
# store and the engine both, and re-exported here for the renderers and the engine.
from tracker.selection import BriefRef as BriefRef
from tracker.selection import ClaimRef as ClaimRef
from tracker.selection import QuantityRef as QuantityRef
from tracker.selection import Selection as Selection

ChangeKind = Literal["unchanged", "modified", "added", "removed"]
Aspect = Literal["wording", "quantity", "stance"]
KINDS: tuple[ChangeKind, ...] = ("modified", "added", "removed", "unchanged")
Confidence = Literal["strong", "probable", "weak"]
CONFIDENCES: tuple[Confidence, ...] = ("strong", "probable", "weak")

# How far a paired change can be trusted, from its calibrated match probability (the pair
# model's; see ``probability``). The bands are read off the reliability of the pairs the
# matcher reports on the frozen test split (benchmarks/README.md): strong pairs were all
# right there, probable ones about six in seven, weak ones (from the threshold) three in four.
STRONG_MATCH = 0.95
WEAK_MATCH = 0.85


def confidence(probability: float) -> Confidence:
    """The confidence band of a pair's probability (see ``STRONG_MATCH``, ``WEAK_MATCH``)."""
    if probability >= STRONG_MATCH:
        return "strong"
    return "probable" if probability >= WEAK_MATCH else "weak"


# Figures that are an amount of something (a share, a sum of money, an emissions figure):
# what they measure is in the words around them, and one stated on one side only is a move.
AMOUNT_KINDS = frozenset({"percent", "money", "emissions"})


@dataclass(frozen=True, slots=True)
class QuantityChange:
    """One number that moved between the paired claims."""

    old: QuantityRef | None
    new: QuantityRef | None
    # The other claim states a figure of the same kind and unit that measures something else
    # (an R&D budget against an FDI stock): two facts side by side, listed as context.
    other_measure: bool = False

    @property
    def unit(self) -> str:
        return (self.new or self.old).unit  # type: ignore[union-attr]

    @property
    def moved(self) -> bool:
        """A figure of the position that moved: both sides present, or a share, an amount or
        an emissions figure stated on one side only.

        A year, rank or count named on one side only ("the first visit", "since 1969") is
        usually context rather than the position's figure: it is listed (as context) but
        does not make the pair a quantity change. So is a figure whose counterpart measures
        something else (``other_measure``).
        """
        if self.other_measure:
            return False
        if self.old is not None and self.new is not None:
            return True
        side = self.old or self.new
        return side is not None and side.kind in AMOUNT_KINDS

    @property
    def delta(self) -> float | None:
        """new − old, when both exist with the same unit (percentage points for %)."""
        if self.old is None or self.new is None or self.old.unit != self.new.unit:
            return None
        return self.new.value - self.old.value


@dataclass(frozen=True, slots=True)
class StanceChange:
    """Evidence that the position's polarity, direction or modality flipped."""

    dimension: Literal["polarity", "direction", "modality"]
    old_words: tuple[str, ...]
    new_words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Lead:
    """The best candidate of an added or removed claim, below the match threshold."""

    claim: ClaimRef
    probability: float


@dataclass(frozen=True, slots=True)
class Review:
    """An analyst's current verdict on a pair (``tracker.store.reviews``), as reports show it."""

    verdict: str  # "same" | "related" | "different"
    by: str
    at: str  # ISO 8601, UTC
    note: str | None

    @property
    def confirmed(self) -> bool:
        """The verdict pairs the two claims (same or related)."""
        return self.verdict in ("same", "related")


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of a diff."""

    kind: ChangeKind
    old: ClaimRef | None
    new: ClaimRef | None
    score: float | None = None  # lexical similarity of a pair, in [0, 1]
    probability: float | None = None  # calibrated probability that the pair is right
    aspects: tuple[Aspect, ...] = ()
    quantities: tuple[QuantityChange, ...] = ()
    stance: tuple[StanceChange, ...] = ()
    # "one-to-one", or "split" (one old claim → several new) / "merge" (several old → one new)
    relation: str = "one-to-one"
    # Near-identical claims of other briefs in the same selection, grouped under this one.
    also_old: tuple[ClaimRef, ...] = ()
    also_new: tuple[ClaimRef, ...] = ()
    # An added or removed claim's best candidate below the threshold: shown, never counted.
    lead: Lead | None = None
    # The analyst's verdict on this pair, when it was reviewed (confirmed: same or related).
    review: Review | None = None

    @property
    def confidence(self) -> Confidence | None:
        """How far the pairing can be trusted; None for an added or removed claim."""
        return None if self.probability is None else confidence(self.probability)


@dataclass(frozen=True, slots=True)
class DiffOptions:
    """What a diff or timeline compares and how it matches (not what it reports: see
    ``ReportFilter``)."""

    # Pairs whose match probability is below this are reported as added + removed (None: the
    # model's threshold). The one matching setting.
    min_score: float | None = None
    # Selections every compared selection is narrowed by (``source:NAME``, ``brief:1,2``, a
    # year...): a brief outside any of them is in no selection of the diff or timeline.
    within: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReportFilter:
    """Which changes a report shows (``--kind``, ``--grep``). Applied after matching, so a
    filter never changes a pair."""

    kinds: tuple[ChangeKind, ...] = KINDS
    grep: str | None = None  # case-insensitive, in the old or the new claim's text

    def keeps(self, change: Change) -> bool:
        """Whether ``change`` is of one of the kinds and mentions ``grep``."""
        if change.kind not in self.kinds:
            return False
        if not self.grep:
            return True
        needle = self.grep.lower()
        return any(c is not None and needle in c.text.lower() for c in (change.old, change.new))


@dataclass(frozen=True)
class Diff:
    """Claims of two selections aligned and classified."""

    old: Selection
    new: Selection
    changes: tuple[Change, ...]
    # The matcher's version, model and threshold, so the report can be reproduced.
    matcher: dict[str, object] = field(default_factory=dict)

    @property
    def summary(self) -> dict[str, int]:
        counts = {k: 0 for k in ("unchanged", "modified", "added", "removed")}
        for change in self.changes:
            counts[change.kind] += 1
        return counts

    @property
    def confidence(self) -> dict[Confidence, int]:
        """Paired changes (modified and unchanged) by confidence band, strongest first."""
        counts: dict[Confidence, int] = {band: 0 for band in CONFIDENCES}
        for change in self.changes:
            if change.confidence is not None:
                counts[change.confidence] += 1
        return counts
