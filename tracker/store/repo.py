"""Reads and writes of briefs and claims. Functions take a Session or an Engine; none print."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session, selectinload

from tracker.claims import ClaimDraft
from tracker.dates import Precision, as_precision, format_date
from tracker.store.models import Brief, Claim, QuantityRow


@dataclass(frozen=True)
class BriefSummary:
    """A brief as listed by ``tracker briefs``."""

    id: int
    date: dt.date
    title: str
    source: str | None
    claims: int
    date_precision: Precision = "day"
    extractor_version: int = 1

    @property
    def shown_date(self) -> str:
        """The date as precise as it is known (``2024-04`` for a month)."""
        return format_date(self.date, self.date_precision)


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


def list_briefs(engine: Engine) -> list[BriefSummary]:
    """All briefs, oldest first, with their claim counts."""
    counts = (
        select(Claim.brief_id, func.count(Claim.id).label("n")).group_by(Claim.brief_id).subquery()
    )
    stmt = (
        select(
            Brief.id,
            Brief.date,
            Brief.title,
            Brief.source,
            func.coalesce(counts.c.n, 0),
            Brief.date_precision,
            Brief.extractor_version,
        )
        .outerjoin(counts, counts.c.brief_id == Brief.id)
        .order_by(Brief.date, Brief.id)
    )
    with Session(engine) as session:
        return [
            BriefSummary(id_, date, title, source, n, as_precision(precision), version)
            for id_, date, title, source, n, precision, version in session.execute(stmt).all()
        ]


def get_brief(session: Session, brief_id: int) -> Brief | None:
    """One brief with its claims and their quantities loaded."""
    return session.scalars(
        select(Brief)
        .where(Brief.id == brief_id)
        .options(selectinload(Brief.claims).selectinload(Claim.quantities))
    ).first()
