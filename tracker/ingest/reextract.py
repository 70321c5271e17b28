"""Re-derive stored claims from the archived raw briefs with the current extractor.

A brief's claims depend on the reader of its format and the claim pipeline; both change
(``EXTRACTOR_VERSION`` says when). ``reextract`` reads each brief's raw file from the archive
again, with the reader for its format, and replaces its text, claims, normalised text,
matching tokens and quantities (the full-text search follows the claim rows), keeping the
brief's id and metadata (date, title, source, url, authors: they may have been given on the
command line or fixed since, and the file cannot say them better).

Each brief is one transaction: a brief that fails (raw file missing, no sentence left, its
new text equal to another brief's) is rolled back alone and reported, and the rest go on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.claims import extract_claims
from tracker.claims.tokens import FEATURES_VERSION, content_tokens
from tracker.claims.version import EXTRACTOR_VERSION
from tracker.errors import InputError, StoreError, TrackerError
from tracker.ingest.readers import read_document
from tracker.store import archive
from tracker.store.briefs import replace_claims
from tracker.store.db import Database
from tracker.store.models import Brief, Claim


@dataclass(frozen=True)
class ReextractOutcome:
    """One brief: its claim counts and extractor versions before and after, or why it failed
    (``error``; then nothing about it changed)."""

    brief_id: int
    title: str
    old_claims: int
    new_claims: int
    old_version: int
    new_version: int
    error: str | None = None
    text_changed: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


def briefs_to_reextract(
    db: Database, brief_ids: Sequence[int] = (), *, every: bool = False
) -> list[int]:
    """The briefs a reextract covers: ``brief_ids`` if given, every brief with ``every``,
    else those extracted by an older extractor version. Unknown ids are an error."""
    with Session(db.engine) as session:
        if brief_ids:
            ids = list(dict.fromkeys(brief_ids))
            found = set(session.scalars(select(Brief.id).where(Brief.id.in_(ids))))
            missing = [i for i in ids if i not in found]
            if missing:
                listed = ", ".join(str(i) for i in missing)
                raise TrackerError(f"no brief with id {listed} (see: tracker briefs)")
            return ids
        stmt = select(Brief.id).order_by(Brief.id)
        if not every:
            stmt = stmt.where(Brief.extractor_version < EXTRACTOR_VERSION)
        return list(session.scalars(stmt))


def reextract(
    db: Database,
    brief_ids: Sequence[int],
    on_brief: Callable[[ReextractOutcome], None] | None = None,
) -> list[ReextractOutcome]:
    """Re-extract each brief in its own transaction; ``on_brief`` after each.

    A ``StoreError`` (the database itself failed) stops the run, as it stops an ingest.
    """
    outcomes = []
    for brief_id in brief_ids:
        outcome = reextract_one(db, brief_id)
        outcomes.append(outcome)
        if on_brief is not None:
            on_brief(outcome)
    return outcomes


def reextract_one(db: Database, brief_id: int) -> ReextractOutcome:
    """Re-extract one brief in one transaction; a failure is returned, not raised."""
    with Session(db.engine) as session:
        brief = session.get(Brief, brief_id)
        if brief is None:
            raise TrackerError(f"no brief with id {brief_id} (see: tracker briefs)")
        title, version, archive_path = brief.title, brief.extractor_version, brief.archive_path
        old_text = brief.text
        old_claims = session.scalar(select(func.count()).where(Claim.brief_id == brief_id)) or 0

    def failed(reason: str) -> ReextractOutcome:
        return ReextractOutcome(
            brief_id, title, old_claims, old_claims, version, version, error=reason
        )

    try:
        text, hard_wrapped = _read_archived(db.archive_root, archive_path)
        claims = extract_claims(text, hard_wrapped=hard_wrapped)
        if not claims:
            raise InputError("no sentence found in the text as read now")
        content_hash = archive.content_hash(text)
        tokens = [" ".join(content_tokens(c.norm_text)) for c in claims]
        with Session(db.engine) as session, session.begin():
            replace_claims(
                session,
                brief_id,
                claims,
                text=text,
                content_hash=content_hash,
                tokens=tokens,
                tokens_version=FEATURES_VERSION,
                extractor_version=EXTRACTOR_VERSION,
            )
    except StoreError:
        raise
    except TrackerError as exc:
        return failed(str(exc))
    return ReextractOutcome(
        brief_id,
        title,
        old_claims,
        len(claims),
        version,
        EXTRACTOR_VERSION,
        text_changed=text != old_text,
    )


def _read_archived(root: Path, archive_path: str) -> tuple[str, bool]:
    """The text of an archived raw brief as its format's reader makes it now.

    The archive name ends in the format's extension, which is what picks the reader; the
    name's date (there is none: it is a hash) is never used, the brief keeps its own.
    """
    path = root / archive_path
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            f"archived raw file {path} is missing (check --archive / TRACKER_ARCHIVE)"
        ) from None
    except OSError as exc:
        raise InputError(f"cannot read archived raw file {path}: {exc.strerror or exc}") from None
    doc = read_document(Path(archive_path), data)
    return doc.text, doc.hard_wrapped
