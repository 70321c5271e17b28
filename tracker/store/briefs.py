"""Fixing what is stored: remove briefs, edit their metadata, replace their claims.

Each operation is one transaction: a command that removes three briefs removes all three or,
when one id is unknown, none. Claims leave the full-text search with their rows (SQLite's
FTS5 triggers, PostgreSQL's expression index), so nothing else needs updating.

Raw files are removed only after the transaction committed, and only when no remaining brief
refers to them: a failed removal never leaves a brief without its file, and a file shared by
two briefs (a merged ``db copy``) stays while one of them does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.claims import ClaimDraft
from tracker.dates import Precision, as_precision, format_date
from tracker.errors import StoreError, TrackerError
from tracker.store.db import Database
from tracker.store.models import Brief, Claim, QuantityRow
from tracker.store.repo import insert_claims
from tracker.textsafe import visible_controls


@dataclass(frozen=True)
class BriefMetadata:
    """The editable metadata of a stored brief."""

    id: int
    date: dt.date
    date_precision: Precision
    title: str
    source: str | None
    url: str | None

    @property
    def shown_date(self) -> str:
        """The date as precise as it is known (``2024-04`` for a month)."""
        return format_date(self.date, self.date_precision)


@dataclass(frozen=True)
class RemovedBrief:
    """A brief that was removed, and what happened to its raw file."""

    id: int
    title: str
    claims: int
    archive_path: str
    # "removed", "kept" (--keep-archive), "shared" (another brief refers to it) or "missing".
    archive: str


@dataclass(frozen=True)
class MetadataEdit:
    """A brief's metadata before and after an edit."""

    before: BriefMetadata
    after: BriefMetadata

    @property
    def changed(self) -> tuple[str, ...]:
        """Names of the fields whose value changed, in a fixed order."""
        fields = []
        if self.before.shown_date != self.after.shown_date:
            fields.append("date")
        for name in ("title", "source", "url"):
            if getattr(self.before, name) != getattr(self.after, name):
                fields.append(name)
        return tuple(fields)


def _metadata(brief: Brief) -> BriefMetadata:
    return BriefMetadata(
        brief.id,
        brief.date,
        as_precision(brief.date_precision),
        brief.title,
        brief.source,
        brief.url,
    )


def _one_line(value: str) -> str:
    """Metadata as one safe line, as readers store it (control characters made visible)."""
    return " ".join(visible_controls(value).split())


def _unknown(ids: Sequence[int], found: Sequence[int]) -> None:
    missing = sorted(set(ids) - set(found))
    if missing:
        listed = ", ".join(str(i) for i in missing)
        raise TrackerError(f"no brief with id {listed} (see: tracker briefs); nothing changed")


def remove_briefs(
    db: Database, brief_ids: Sequence[int], *, keep_archive: bool = False
) -> list[RemovedBrief]:
    """Remove briefs with their claims and quantities, in one transaction.

    An unknown id removes nothing (``TrackerError``). Afterwards each raw file is deleted from
    the archive unless ``keep_archive`` or another brief still refers to it.
    """
    ids = list(dict.fromkeys(brief_ids))
    with Session(db.engine) as session, session.begin():
        rows = session.execute(
            select(Brief.id, Brief.title, Brief.archive_path).where(Brief.id.in_(ids))
        ).all()
        _unknown(ids, [r.id for r in rows])
        counts = dict(
            session.execute(
                select(Claim.brief_id, func.count(Claim.id))
                .where(Claim.brief_id.in_(ids))
                .group_by(Claim.brief_id)
            ).all()
        )
        claim_ids = select(Claim.id).where(Claim.brief_id.in_(ids)).scalar_subquery()
        # Explicit deletes, child tables first: the same statements on both backends, and
        # SQLite's search triggers see every claim row go.
        session.execute(delete(QuantityRow).where(QuantityRow.claim_id.in_(claim_ids)))
        session.execute(delete(Claim).where(Claim.brief_id.in_(ids)))
        session.execute(delete(Brief).where(Brief.id.in_(ids)))
        still_used = set(
            session.scalars(
                select(Brief.archive_path).where(
                    Brief.archive_path.in_([r.archive_path for r in rows])
                )
            )
        )
    by_id = {r.id: r for r in rows}
    removed = []
    for brief_id in ids:
        row = by_id[brief_id]
        if keep_archive:
            archive = "kept"
        elif row.archive_path in still_used:
            archive = "shared"
        else:
            archive = _unlink(db.archive_root, row.archive_path)
        removed.append(
            RemovedBrief(row.id, row.title, counts.get(row.id, 0), row.archive_path, archive)
        )
    return removed


def _unlink(root: Path, archive_path: str) -> str:
    target = root / archive_path
    try:
        target.unlink()
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        # The brief is gone already (committed); say what is left over rather than fail.
        raise StoreError(
            f"brief removed, but its raw file {target} could not be deleted: {exc.strerror or exc}"
        ) from None
    return "removed"


def edit_brief(
    db: Database,
    brief_id: int,
    *,
    date: tuple[dt.date, Precision] | None = None,
    title: str | None = None,
    source: str | None = None,
    url: str | None = None,
) -> MetadataEdit:
    """Change a brief's date (with its precision), title, source or url in one transaction.

    ``None`` leaves a field as it is; an empty ``source`` or ``url`` clears it. The claims
    are untouched (they do not depend on the metadata), and so is the archived file: its
    path is content-addressed and stays valid whatever the date says.
    """
    if title is not None and not _one_line(title):
        raise TrackerError("a brief's title cannot be empty")
    with Session(db.engine) as session, session.begin():
        brief = session.get(Brief, brief_id)
        if brief is None:
            raise TrackerError(f"no brief with id {brief_id} (see: tracker briefs)")
        before = _metadata(brief)
        if date is not None:
            brief.date, brief.date_precision = date
        if title is not None:
            brief.title = _one_line(title)[:500]
        if source is not None:
            brief.source = _one_line(source)[:500] or None
        if url is not None:
            brief.url = _one_line(url)[:2000] or None
        session.flush()
        after = _metadata(brief)
    return MetadataEdit(before, after)


def get_metadata(db: Database, brief_id: int) -> BriefMetadata | None:
    """The editable metadata of one brief, or None."""
    with Session(db.engine) as session:
        brief = session.get(Brief, brief_id)
        return _metadata(brief) if brief is not None else None


def replace_claims(
    session: Session,
    brief_id: int,
    claims: Sequence[ClaimDraft],
    *,
    text: str,
    content_hash: str,
    tokens: Sequence[str],
    tokens_version: int,
    extractor_version: int,
) -> None:
    """Replace a brief's claims and quantities, and its text, in the session's transaction.

    The brief keeps its id and metadata; its claims get new ids (review decisions are keyed
    by claim content, not ids). A new text equal to another brief's (the content hash is
    unique) is a ``TrackerError``, raised after the claims were deleted: the caller's
    rollback restores them, which a test relies on to show the transaction is whole.
    """
    claim_ids = select(Claim.id).where(Claim.brief_id == brief_id).scalar_subquery()
    session.execute(delete(QuantityRow).where(QuantityRow.claim_id.in_(claim_ids)))
    session.execute(delete(Claim).where(Claim.brief_id == brief_id))
    insert_claims(session, brief_id, claims, tokens, tokens_version)
    other = session.scalar(
        select(Brief.id).where(Brief.content_hash == content_hash, Brief.id != brief_id)
    )
    if other is not None:
        raise TrackerError(
            f"its text as read now is the text of brief {other}; "
            "remove one of them (tracker briefs remove ID)"
        )
    try:
        session.execute(
            update(Brief)
            .where(Brief.id == brief_id)
            .values(
                text=text,
                content_hash=content_hash,
                word_count=len(text.split()),
                extractor_version=extractor_version,
            )
        )
    except IntegrityError:
        # Another process stored the same text meanwhile (the check above saw none).
        raise TrackerError(
            "its text as read now equals another brief's (stored meanwhile)"
        ) from None
