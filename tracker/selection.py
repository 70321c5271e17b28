"""Selection strings (``2021``, ``2024-04``, ``2024-04-12``, ``2021..2022``, ``brief:7``,
``source:NAME``) and the plain values a loaded selection holds (briefs, claims, quantities).

The store loads selections (``tracker.store.selections``) and the engine compares them; both
read these types, so they live below both, with the grammar.

A selection can be narrowed by others (``within``): ``tracker diff 2016 2020 --source
'Democratic Party'`` loads the briefs of 2016 that are also of that source, and so on, so a
position chain cannot hop to another publisher's brief.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.dates import format_date
from tracker.errors import SelectionError

_DATE_PART = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def _bounds(part: str, spec: str) -> tuple[dt.date, dt.date]:
    match = _DATE_PART.match(part.strip())
    if not match:
        raise SelectionError(
            f"selection {spec!r}: expected YYYY, YYYY-MM, YYYY-MM-DD, A..B or brief:ID"
        )
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1), dt.date(year, month, last)
        day_date = dt.date(year, month, day)
    except (ValueError, calendar.IllegalMonthError):
        raise SelectionError(f"selection {spec!r}: not a valid date") from None
    return day_date, day_date


@dataclass(frozen=True)
class SourceSelection:
    """``source:NAME`` (or ``source:A|B``): the briefs of these sources, case-insensitive."""

    names: tuple[str, ...]


def parse_selection(spec: str) -> tuple[dt.date, dt.date] | list[int] | SourceSelection:
    """A date range (inclusive), a list of brief ids, or the names of sources."""
    text = spec.strip()
    if text.lower().startswith("source:"):
        # "|" separates names: publishers' names hold commas ("Institute, Inc.") but no bars.
        names = tuple(n.strip() for n in text.split(":", 1)[1].split("|") if n.strip())
        if not names:
            raise SelectionError(f"selection {spec!r}: give a source name, e.g. source:NAME")
        return SourceSelection(names)
    if text.lower().startswith("brief:"):
        ids = text.split(":", 1)[1]
        try:
            return [int(x) for x in ids.split(",") if x.strip()]
        except ValueError:
            raise SelectionError(f"selection {spec!r}: brief ids must be numbers") from None
    if ".." in text:
        left, right = text.split("..", 1)
        start = _bounds(left, spec)[0]
        end = _bounds(right, spec)[1]
        if end < start:
            raise SelectionError(f"selection {spec!r}: range ends before it starts")
        return start, end
    return _bounds(text, spec)


def within_phrase(within: Sequence[str]) -> str:
    """ " within source:X" for messages; empty when nothing narrows the selection."""
    return f" within {' and '.join(within)}" if within else ""


@dataclass(frozen=True, slots=True)
class BriefRef:
    """A brief as the diff names it."""

    id: int
    title: str
    date: dt.date
    source: str | None
    url: str | None
    # "day", "month" or "year": how much of ``date`` is known (see tracker.dates).
    date_precision: str = "day"
    # The claim extractor version that produced the brief's claims (briefs.extractor_version).
    extractor_version: int = 1

    @property
    def shown_date(self) -> str:
        """The date as precise as it is known: ``2024-04-12``, ``2024-04`` or ``2024``."""
        return format_date(self.date, self.date_precision)


@dataclass(frozen=True, slots=True)
class QuantityRef:
    """A stored quantity of a claim."""

    kind: str
    value: float
    unit: str
    raw: str


@dataclass(frozen=True, slots=True)
class ClaimRef:
    """A stored claim with what the engine needs to compare and report it."""

    id: int
    brief_id: int
    ordinal: int
    date: dt.date
    text: str
    norm_text: str
    sentence: str
    section: str | None
    start: int
    end: int
    quantities: tuple[QuantityRef, ...]
    # Content tokens stored at ingest (space-separated), None when missing or stale.
    tokens: str | None = None
    # The lead-in of a list item ("Japan's plan includes"); None for a whole sentence.
    context: str | None = None

    @property
    def order(self) -> tuple[dt.date, int, int]:
        """Reading order across a pooled selection: by date, brief, position."""
        return (self.date, self.brief_id, self.ordinal)


@dataclass(frozen=True, slots=True)
class Selection:
    """The briefs and claims a selection string resolved to."""

    spec: str
    briefs: tuple[BriefRef, ...]
    claims: tuple[ClaimRef, ...]
