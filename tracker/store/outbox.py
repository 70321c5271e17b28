"""The outbox of alerts: queued in one transaction with the run's "watched" mark, sent later.

Queueing is idempotent: each row's ``key`` (sha-256 of watch, change and channel) is unique,
and a key already present is skipped. Sending marks the rows of one digest sent together;
a failed digest leaves them pending with the next attempt pushed back (exponential backoff)
until ``max_attempts``, after which they are ``failed`` and shown by ``tracker watch outbox``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, or_, select, update
from sqlalchemy.orm import Session

from tracker.store.models import Brief, OutboxItem, Run

# Backoff never waits longer than this between two attempts.
MAX_BACKOFF = 6 * 3600.0


def outbox_key(watch: str, change_key: str, channel: str) -> str:
    """The idempotency key of one alert on one channel."""
    return hashlib.sha256(f"{watch}\x00{change_key}\x00{channel}".encode()).hexdigest()


@dataclass(frozen=True)
class Queued:
    """An alert to queue: its watch, its change key and the JSON payload channels send."""

    watch: str
    change_key: str
    payload: dict[str, Any]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def queue_alerts(
    session: Session, alerts: Sequence[Queued], channels: Sequence[str], run_id: int | None
) -> int:
    """Add one row per alert and channel unless its key is there; return how many were added.

    Runs in the caller's transaction, which also marks the runs watched.
    """
    now = utcnow()
    wanted = {outbox_key(a.watch, a.change_key, ch): (a, ch) for a in alerts for ch in channels}
    if not wanted:
        return 0
    present: set[str] = set()
    keys = list(wanted)
    for i in range(0, len(keys), 500):
        present.update(
            session.scalars(select(OutboxItem.key).where(OutboxItem.key.in_(keys[i : i + 500])))
        )
    added = 0
    for key, (alert, channel) in wanted.items():
        if key in present:
            continue
        session.add(
            OutboxItem(
                key=key,
                watch=alert.watch,
                channel=channel,
                change_key=alert.change_key,
                run_id=run_id,
                payload=alert.payload,
                status="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )
        added += 1
    session.flush()
    return added


def due_items(engine: Engine, channel: str, now: dt.datetime | None = None) -> list[OutboxItem]:
    """The pending rows of ``channel`` whose next attempt is due, oldest first."""
    now = now or utcnow()
    with Session(engine, expire_on_commit=False) as session:
        return list(
            session.scalars(
                select(OutboxItem)
                .where(
                    OutboxItem.channel == channel,
                    OutboxItem.status == "pending",
                    OutboxItem.next_attempt_at <= now,
                )
                .order_by(OutboxItem.id)
            )
        )


def mark_sent(engine: Engine, ids: Iterable[int]) -> None:
    """The rows of one digest were delivered."""
    ids = list(ids)
    with Session(engine) as session, session.begin():
        session.execute(
            update(OutboxItem)
            .where(OutboxItem.id.in_(ids))
            .values(status="sent", sent_at=utcnow(), last_error=None)
        )
        session.execute(
            update(OutboxItem)
            .where(OutboxItem.id.in_(ids))
            .values(attempts=OutboxItem.attempts + 1)
        )


def mark_failed(
    engine: Engine, ids: Iterable[int], error: str, *, backoff: float, max_attempts: int
) -> int:
    """A digest failed: count the attempt and push the next one back (``backoff`` seconds,
    doubled per attempt); rows out of attempts become ``failed``. Returns how many gave up."""
    now = utcnow()
    gave_up = 0
    with Session(engine) as session, session.begin():
        for row in session.scalars(select(OutboxItem).where(OutboxItem.id.in_(list(ids)))):
            row.attempts += 1
            row.last_error = error
            wait = min(backoff * 2 ** (row.attempts - 1), MAX_BACKOFF)
            row.next_attempt_at = now + dt.timedelta(seconds=wait)
            if row.attempts >= max_attempts:
                row.status = "failed"
                gave_up += 1
    return gave_up


def outbox_items(engine: Engine, *, everything: bool = False, limit: int = 200) -> list[OutboxItem]:
    """Pending and failed rows (``everything``: sent ones too), newest first."""
    stmt = select(OutboxItem).order_by(OutboxItem.id.desc()).limit(limit)
    if not everything:
        stmt = stmt.where(OutboxItem.status != "sent")
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(stmt))


def sent_items(engine: Engine, channel: str, limit: int) -> list[OutboxItem]:
    """The last ``limit`` rows sent on ``channel``, newest first (an Atom feed's entries)."""
    with Session(engine, expire_on_commit=False) as session:
        return list(
            session.scalars(
                select(OutboxItem)
                .where(OutboxItem.channel == channel, OutboxItem.status == "sent")
                .order_by(OutboxItem.id.desc())
                .limit(limit)
            )
        )


# -- which briefs a run brought ----------------------------------------------------------------


def unwatched_runs(session: Session) -> list[Run]:
    """Runs whose new briefs were not yet checked against the watches, oldest first."""
    return list(session.scalars(select(Run).where(Run.watched_at.is_(None)).order_by(Run.id)))


def mark_watched(session: Session, run_ids: Iterable[int]) -> None:
    """In the transaction that queues their alerts: these runs are done."""
    ids = list(run_ids)
    if ids:
        session.execute(update(Run).where(Run.id.in_(ids)).values(watched_at=utcnow()))


def briefs_ingested(
    session: Session, since: dt.datetime, until: dt.datetime | None = None
) -> list[Brief]:
    """Briefs stored at or after ``since`` (and before ``until``), in date order."""
    stmt = select(Brief).where(Brief.ingested_at >= since)
    if until is not None:
        stmt = stmt.where(Brief.ingested_at < until)
    return list(session.scalars(stmt.order_by(Brief.date, Brief.id)))


def baseline_ids(session: Session, brief: Brief, before: dt.datetime) -> tuple[list[int], str]:
    """The briefs a new brief is judged against, as the store held them ``before`` the run.

    The previous brief of the same source (by date, then id) when there is one; else every
    brief of the most recent earlier year; else none. Returns their ids and a label.
    """
    stored = Brief.ingested_at < before
    if brief.source:
        previous = session.execute(
            select(Brief.id, Brief.date)
            .where(
                stored,
                Brief.source == brief.source,
                Brief.id != brief.id,
                or_(Brief.date < brief.date, (Brief.date == brief.date) & (Brief.id < brief.id)),
            )
            .order_by(Brief.date.desc(), Brief.id.desc())
            .limit(1)
        ).first()
        if previous is not None:
            return [previous.id], f"the previous brief of {brief.source} (#{previous.id})"
    year_start = dt.date(brief.date.year, 1, 1)
    latest = session.scalar(
        select(Brief.date)
        .where(stored, Brief.date < year_start)
        .order_by(Brief.date.desc())
        .limit(1)
    )
    if latest is None:
        return [], "nothing stored before it"
    ids = list(
        session.scalars(
            select(Brief.id)
            .where(
                stored,
                Brief.date >= dt.date(latest.year, 1, 1),
                Brief.date < dt.date(latest.year + 1, 1, 1),
            )
            .order_by(Brief.date, Brief.id)
        )
    )
    return ids, f"the briefs of {latest.year}"


def record_alerts(engine: Engine, run_id: int, *, sent: int, failed: int) -> None:
    """The run's delivery counts, shown by ``tracker runs``."""
    with Session(engine) as session, session.begin():
        session.execute(
            update(Run).where(Run.id == run_id).values(alerts_sent=sent, alerts_failed=failed)
        )
