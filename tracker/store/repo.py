"""Reads and writes of briefs and claims. Functions take a Session or an Engine; none print."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session, selectinload

from tracker.claims import ClaimDraft
from tracker.errors import StoreError

# Re-exported: the listing lives in its own module (fast start-up of `tracker briefs`).
from tracker.store.listing import BriefSummary as BriefSummary
from tracker.store.listing import list_briefs as list_briefs
from tracker.store.models import Brief, Claim, QuantityRow


def find_brief_by_hash(session: Session, content_hash: str) -> Brief | None:
    """The brief with this content hash, if stored."""
    return session.scalars(select(Brief).where(Brief.content_hash == content_hash)).first()


def add_brief(
    session: Session,
    brief: Brief,
    claims: Sequence[ClaimDraft],
    tokens: Sequence[str] | None = None,
    tokens_version: int | None = None,
) -> int:
    """Insert a brief with its claims and quantities in the session's transaction.

    ``tokens`` (one space-separated string per claim) and ``tokens_version`` are the claims'
    matching tokens when the caller computed them; without them a diff computes them itself.

    Claims and quantities go in as two executemany statements (see ``insert_claims``).
    """
    session.add(brief)
    session.flush()
    insert_claims(session, brief.id, claims, tokens, tokens_version)
    return brief.id


def insert_claims(
    session: Session,
    brief_id: int,
    claims: Sequence[ClaimDraft],
    tokens: Sequence[str] | None = None,
    tokens_version: int | None = None,
) -> None:
    """Insert a brief's claims and their quantities with two executemany statements.

    Not one ORM object per row: long briefs and bulk corpus ingests are dominated by these
    inserts. The claim ids are read back with one SELECT: ``INSERT … RETURNING`` in
    parameter order makes SQLAlchemy send one statement per row on SQLite, which cost more
    than the rest of the insert.
    """
    if not claims:
        return
    rows = [
        {
            "brief_id": brief_id,
            "ordinal": i,
            "text": c.text,
            "norm_text": c.norm_text,
            "start": c.start,
            "end": c.end,
            "sentence": c.sentence,
            "section": c.section,
            "context": c.context,
            "tokens": tokens[i] if tokens is not None else None,
            "tokens_version": tokens_version if tokens is not None else None,
        }
        for i, c in enumerate(claims)
    ]
    session.execute(insert(Claim), rows)
    ids = session.scalars(
        select(Claim.id).where(Claim.brief_id == brief_id).order_by(Claim.ordinal)
    ).all()
    qrows = [
        {
            "claim_id": cid,
            "kind": q.kind,
            "value": q.value,
            "unit": q.unit,
            "raw": q.raw,
            "start": q.start,
            "end": q.end,
        }
        for cid, c in zip(ids, claims, strict=True)
        for q in c.quantities
    ]
    if qrows:
        session.execute(insert(QuantityRow), qrows)


def get_brief(session: Session, brief_id: int) -> Brief | None:
    """One brief with its claims and their quantities loaded."""
    return session.scalars(
        select(Brief)
        .where(Brief.id == brief_id)
        .options(selectinload(Brief.claims).selectinload(Claim.quantities))
    ).first()


def brief_with_claims(engine: Engine, brief_id: int) -> Brief | None:
    """The brief with this id, its claims and their quantities loaded, detached from its
    session (for reading only), or None."""
    with Session(engine, expire_on_commit=False) as session:
        brief = get_brief(session, brief_id)
        if brief is not None:
            session.expunge_all()
        return brief


def year_before(engine: Engine, brief_id: int) -> tuple[int, dt.date, int | None]:
    """A brief's id and date, and the most recent earlier year with briefs (None when there
    is none)."""
    with Session(engine) as session:
        brief = session.get(Brief, brief_id)
        if brief is None:
            raise StoreError(f"no brief with id {brief_id}")
        before = session.scalar(
            select(func.max(Brief.date)).where(Brief.date < dt.date(brief.date.year, 1, 1))
        )
        return brief.id, brief.date, (before.year if before is not None else None)
