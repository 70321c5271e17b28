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

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from tracker.store.models import OutboxItem, Run

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


def record_alerts(engine: Engine, run_id: int, *, sent: int, failed: int) -> None:
    """The run's delivery counts, shown by ``tracker runs``."""
    with Session(engine) as session, session.begin():
        session.execute(
            update(Run).where(Run.id == run_id).values(alerts_sent=sent, alerts_failed=failed)
        )
