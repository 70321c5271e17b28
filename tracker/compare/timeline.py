"""The values of a timeline: periods, steps, chains of one position, figure trajectories.

A timeline is built from the same pairwise comparisons ``tracker diff`` makes (see
``chains``): consecutive periods are compared and each matched pair links a claim to its
restatement in the next period. Following those links gives one chain per position, so a
chain follows rewordings ("1 percent cap" → "2% of GDP") and never disagrees with the
pairwise diffs. The renderers read only these dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from tracker.compare.matcher import MatcherConfig
from tracker.compare.model import BriefRef, Change, ClaimRef, DiffOptions, Selection

Status = Literal[
    "changed-repeatedly", "changed-once", "appeared", "vanished", "transient", "stable"
]
# Report order: the positions that moved most come first.
STATUSES: tuple[Status, ...] = (
    "changed-repeatedly",
    "changed-once",
    "appeared",
    "vanished",
    "transient",
    "stable",
)
Granularity = Literal["year", "month", "brief"]


@dataclass(frozen=True, slots=True)
class Period:
    """One snapshot of a timeline: a selection and the label reports show for it."""

    label: str
    selection: Selection


@dataclass(frozen=True, slots=True)
class Step:
    """A position as stated in one period."""

    period: int  # index into Timeline.periods
    claim: ClaimRef
    # The same claim in other briefs of the period, and extra parts of a split/merge.
    also: tuple[ClaimRef, ...] = ()
    # How it moved from the previous step (kind modified or unchanged); None for the first.
    change: Change | None = None


@dataclass(frozen=True, slots=True)
class Point:
    """One value of a quantity trajectory."""

    period: int
    value: float
    raw: str
    claim_id: int
    deadline: int | None  # "2% of GDP by 2027" → 2027
    # Words framing the figure, in text order: "above the cap of 1%" → ("above", "cap").
    qualifiers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Series:
    """The values one kind of figure took along a chain (e.g. "% of GDP": 1 → 2)."""

    kind: str
    unit: str
    points: tuple[Point, ...]


@dataclass(frozen=True, slots=True)
class Chain:
    """One position followed through the periods in which it was stated."""

    id: int
    topic: str
    terms: tuple[str, ...]
    status: Status
    steps: tuple[Step, ...]
    trajectory: tuple[Series, ...]
    relevance: float | None = None  # how well it matches a history query

    @property
    def changes(self) -> int:
        """Steps where the position was modified (wording, quantity or stance)."""
        return sum(1 for s in self.steps if s.change is not None and s.change.kind == "modified")

    def gaps(self, n_periods: int) -> tuple[int, ...]:
        """Periods (indexes) in which the position was not stated."""
        stated = {s.period for s in self.steps}
        return tuple(p for p in range(n_periods) if p not in stated)


@dataclass(frozen=True)
class Timeline:
    """Positions chained across an ordered list of periods."""

    periods: tuple[Period, ...]
    chains: tuple[Chain, ...]
    options: DiffOptions = field(default_factory=DiffOptions)
    # Set for `tracker history`: what the chains were chosen by.
    query: str | None = None
    claim_id: int | None = None
    # The matcher settings that linked the steps (None: the defaults, the shipped model).
    config: MatcherConfig | None = None

    @property
    def matcher(self) -> dict[str, object]:
        """The matcher's version, model and threshold that linked the steps."""
        return (self.config or MatcherConfig()).with_threshold(self.options.min_score).describe()

    @property
    def is_history(self) -> bool:
        """Chains chosen by a query or a claim, rather than every position of a diff."""
        return self.query is not None or self.claim_id is not None

    def brief(self, brief_id: int) -> BriefRef:
        """The brief (of any period) with this id."""
        for period in self.periods:
            for b in period.selection.briefs:
                if b.id == brief_id:
                    return b
        raise KeyError(brief_id)

    @property
    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
        for chain in self.chains:
            counts[chain.status] += 1
        return counts
