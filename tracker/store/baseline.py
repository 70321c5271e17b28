"""What a new brief is judged against: the store as it was before the run that stored it.

A watch asks "what changed", and the answer depends on the comparison. The previous brief of
the same source is the natural one (an author restating or dropping a position); a brief
from a source seen for the first time is compared with the briefs of the most recent
earlier year, the previous snapshot of ``tracker history``. Claims the baseline does not
state are then looked for further back (``earlier``), as history bridges a year in which a
position was not stated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tracker.store.models import Brief


@dataclass(frozen=True)
class Baseline:
    """The briefs a new brief is compared with, and older ones to bridge a gap with."""

    ids: tuple[int, ...]
    label: str  # "the previous brief of X (#3)", "the briefs of 2023", "nothing stored before it"
    same_source: bool
    earlier: tuple[int, ...] = ()


def briefs_ingested(
    session: Session, since: dt.datetime, until: dt.datetime | None = None
) -> list[Brief]:
    """Briefs stored at or after ``since`` (and before ``until``), in date order."""
    stmt = select(Brief).where(Brief.ingested_at >= since)
    if until is not None:
        stmt = stmt.where(Brief.ingested_at < until)
    return list(session.scalars(stmt.order_by(Brief.date, Brief.id)))


def baseline_for(session: Session, brief: Brief, before: dt.datetime) -> Baseline:
    """The baseline of ``brief`` among the briefs stored ``before`` the run.

    The previous brief of the same source (by date, then id), with that source's older
    briefs as ``earlier``; else every brief of the most recent earlier year, with all older
    briefs as ``earlier``; else nothing.
    """
    stored = Brief.ingested_at < before
    if brief.source:
        rows = (
            session.execute(
                select(Brief.id)
                .where(
                    stored,
                    Brief.source == brief.source,
                    Brief.id != brief.id,
                    or_(
                        Brief.date < brief.date, (Brief.date == brief.date) & (Brief.id < brief.id)
                    ),
                )
                .order_by(Brief.date.desc(), Brief.id.desc())
            )
            .scalars()
            .all()
        )
        if rows:
            return Baseline(
                (rows[0],),
                f"the previous brief of {brief.source} (#{rows[0]})",
                same_source=True,
                earlier=tuple(reversed(rows[1:])),
            )
    year_start = dt.date(brief.date.year, 1, 1)
    latest = session.scalar(
        select(Brief.date)
        .where(stored, Brief.date < year_start)
        .order_by(Brief.date.desc())
        .limit(1)
    )
    if latest is None:
        return Baseline((), "nothing stored before it", same_source=False)
    first_day = dt.date(latest.year, 1, 1)
    ids = session.scalars(
        select(Brief.id)
        .where(stored, Brief.date >= first_day, Brief.date < dt.date(latest.year + 1, 1, 1))
        .order_by(Brief.date, Brief.id)
    ).all()
    earlier = session.scalars(
        select(Brief.id).where(stored, Brief.date < first_day).order_by(Brief.date, Brief.id)
    ).all()
    return Baseline(tuple(ids), f"the briefs of {latest.year}", False, tuple(earlier))
