"""Fix stored briefs: edit their metadata, re-extract their claims from the archive."""

from __future__ import annotations

from tracker.claims.version import EXTRACTOR_VERSION
from tracker.ingest.reextract import ReextractOutcome, briefs_to_reextract, reextract
from tracker.ingest.service import parse_dated
from tracker.store.briefs import MetadataEdit, edit_brief
from tracker.store.db import Database

__all__ = [
    "EXTRACTOR_VERSION",
    "ReextractOutcome",
    "briefs_to_reextract",
    "edit",
    "reextract",
]


def edit(
    db: Database,
    brief_id: int,
    *,
    date: str | None = None,
    title: str | None = None,
    source: str | None = None,
    url: str | None = None,
) -> MetadataEdit:
    """Change a brief's date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``), title, source or url
    in one transaction; None leaves a field as it is, "" clears source or url."""
    return edit_brief(
        db,
        brief_id,
        date=parse_dated(date) if date is not None else None,
        title=title,
        source=source,
        url=url,
    )
