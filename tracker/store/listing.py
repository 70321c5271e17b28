"""The brief listing of ``tracker briefs``, in SQLAlchemy Core only.

Listing is what an analyst runs all day, so it avoids the ORM: importing ``sqlalchemy.orm``
and building the mapped models costs about 0.1 s of start-up, more than the query itself.
The lightweight ``table()`` below names only the columns read here; ``models.Brief`` and
``models.Claim`` remain the schema.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Date, Engine, Integer, String, column, func, select, table

_briefs = table(
    "briefs",
    column("id", Integer),
    column("date", Date),
    column("title", String),
    column("source", String),
    column("url", String),
)
_claims = table("claims", column("id", Integer), column("brief_id", Integer))


@dataclass(frozen=True)
class BriefSummary:
    """A brief as listed by ``tracker briefs``."""

    id: int
    date: dt.date
    title: str
    source: str | None
    claims: int
    url: str | None = None


def list_briefs(engine: Engine) -> list[BriefSummary]:
    """All briefs, oldest first, with their claim counts."""
    counts = (
        select(_claims.c.brief_id, func.count(_claims.c.id).label("n"))
        .group_by(_claims.c.brief_id)
        .subquery()
    )
    b = _briefs.c
    stmt = (
        select(b.id, b.date, b.title, b.source, func.coalesce(counts.c.n, 0), b.url)
        .select_from(_briefs.outerjoin(counts, counts.c.brief_id == b.id))
        .order_by(b.date, b.id)
    )
    with engine.connect() as conn:
        return [BriefSummary(*row) for row in conn.execute(stmt).all()]
