"""What ingesting an item came to: a stored brief, one already present, a failure, a folder
entry left alone. Every way in (files, manifests, URLs, feeds, inboxes) reports with these.
"""

from __future__ import annotations

import datetime as dt
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from tracker.dates import Precision, format_date


@dataclass(frozen=True)
class MetadataDifference:
    """A field where an ingest of stored content says something else than the stored brief."""

    field: Literal["date", "title", "source", "url"]
    stored: str
    given: str


@dataclass(frozen=True)
class IngestResult:
    """The outcome of one brief that was read successfully."""

    path: Path
    status: Literal["stored", "duplicate"]
    brief_id: int
    title: str
    date: dt.date
    claims: int
    date_precision: Precision = "day"
    # For "duplicate": what this ingest's metadata says differently (see edit_command).
    differences: tuple[MetadataDifference, ...] = ()
    # Where the date came from ("front matter", "--date", ...); None for a brief already
    # present, whose date is the stored one.
    date_source: str | None = None

    @property
    def shown_date(self) -> str:
        """The date as precise as it is known (``2024-04`` for a month)."""
        return format_date(self.date, self.date_precision)

    def edit_command(self) -> str | None:
        """The ``tracker briefs edit`` command that makes the stored brief say what this
        ingest said; None when nothing differs."""
        if not self.differences:
            return None
        flags = " ".join(f"--{d.field} {_quoted(d.given)}" for d in self.differences)
        return f"tracker briefs edit {self.brief_id} {flags}"


def _quoted(value: str) -> str:
    """A value as one shell word (quoted only when it needs to be)."""
    return shlex.quote(value)


@dataclass(frozen=True)
class IngestFailure:
    """A brief that could not be ingested, with a one-line reason."""

    path: Path
    reason: str


@dataclass
class IngestReport:
    """Outcomes of a batch, in the order the files were processed."""

    results: list[IngestResult] = field(default_factory=list)
    failures: list[IngestFailure] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return sum(r.status == "stored" for r in self.results)

    @property
    def duplicates(self) -> int:
        return sum(r.status == "duplicate" for r in self.results)


@dataclass(frozen=True)
class Skipped:
    """A folder entry that is not a brief (unsupported type, hidden), left alone."""

    path: Path
    reason: str


@dataclass(frozen=True)
class Outcome:
    """One item of a run that is not a plain file: a URL of ``tracker ingest URL...`` or a
    file of an inbox. Ingested (``result``) or failed (``reason``, one line); an inbox file
    also says where it was moved (``moved_to``; None when it could not be moved)."""

    item: str  # the URL, or the inbox file's path
    result: IngestResult | None = None
    reason: str | None = None  # without the leading "URL: ", which ``item`` already says
    moved_to: Path | None = None
