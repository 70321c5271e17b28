"""Watches: which stored changes an analyst follows, and getting them delivered once.

A watch follows a position the way ``tracker history`` does: each new brief is compared by
the matcher with what the store held before the run (the previous brief of its source, else
the briefs of the most recent earlier year; see ``store.baseline``), and a change
fires when one of its claims answers the watch's query (``compare.query``: the history
query's relevance, so a reworded claim paired with a matching one fires although it lacks
the words) or belongs to the chain of the watched claim. An added claim that first mentions
the query fires like any other.

Delivery goes through the outbox (``store.outbox``): alerts are queued in the transaction
that marks the runs watched, then each channel is sent one digest of its due rows. Any
failure is retried on a later run with backoff; the run's exit status and ``tracker runs``
say so.

Which changes fire is ``tracker.app.alerts``; this module queues, delivers and reports.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from tracker.app.alerts import Alert as Alert
from tracker.app.alerts import change_key as change_key
from tracker.app.alerts import evaluate as evaluate
from tracker.app.alerts import fires as fires
from tracker.errors import ConfigError, TrackerError
from tracker.notify.config import AlertConfig, Channel, redact
from tracker.notify.digest import Payload
from tracker.store.baseline import briefs_ingested
from tracker.store.db import Database
from tracker.store.models import Run
from tracker.store.outbox import (
    due_items,
    mark_failed,
    mark_sent,
    mark_watched,
    queue_alerts,
    record_alerts,
    unwatched_runs,
)

# Tests set this to "after-outbox" to SIGKILL the process right after the alerts are queued
# and before any is sent: the crash the outbox exists for.
KILL_HOOK = "TRACKER_TEST_KILL_AT"


@dataclass
class Delivery:
    """What one delivery pass did, per channel."""

    sent: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # channel → redacted reason
    gave_up: int = 0

    @property
    def sent_total(self) -> int:
        return sum(self.sent.values())


def _kill_hook(point: str) -> None:
    if os.environ.get(KILL_HOOK) == point:
        os.kill(os.getpid(), signal.SIGKILL)


def queue_pending_runs(db: Database, config: AlertConfig) -> tuple[int, int]:
    """Check every run not yet watched (this one, and any killed before its alerts were
    queued) and queue their alerts on every channel, marking the runs in the same
    transaction. Returns (alerts found, outbox rows added)."""
    with Session(db.engine) as session:
        runs = unwatched_runs(session)
        if not runs:
            return 0, 0
        since = min(r.started_at for r in runs)
        run_ids = [r.id for r in runs]
        brief_ids = [b.id for b in briefs_ingested(session, since)]
    if since.tzinfo is None:  # SQLite hands back naive datetimes, written in UTC
        since = since.replace(tzinfo=dt.UTC)
    alerts = evaluate(db, config.watches, brief_ids, since)
    with Session(db.engine) as session, session.begin():
        added = queue_alerts(
            session, [a.queued() for a in alerts], [c.name for c in config.channels], run_ids[-1]
        )
        mark_watched(session, run_ids)
    _kill_hook("after-outbox")
    return len(alerts), added


def deliver(db: Database, config: AlertConfig, run_id: int | None = None) -> Delivery:
    """Send each channel one digest of its due outbox rows; record the outcome per row."""
    from tracker.notify.send import send_digest

    attach = partial(change_reports, db)
    result = Delivery()
    for channel in config.channels:
        rows = due_items(db.engine, channel.name)
        if not rows:
            continue
        try:
            send_digest(db, channel, [r.payload for r in rows], run_id=run_id, attach=attach)
        except Exception as exc:  # any failure of any channel: retried, never lost
            reason = redact(str(exc) or type(exc).__name__)
            result.failed[channel.name] = reason
            result.gave_up += mark_failed(
                db.engine,
                [r.id for r in rows],
                reason,
                backoff=config.settings.backoff,
                max_attempts=config.settings.max_attempts,
            )
        else:
            mark_sent(db.engine, [r.id for r in rows])
            result.sent[channel.name] = len(rows)
    return result


def after_run(db: Database, config: AlertConfig, run_id: int) -> tuple[int, int, Delivery]:
    """What ``ingest --sources`` does once its sources are read: queue, then deliver.

    Returns the alerts found, the outbox rows added and the delivery; the run's counts are
    recorded.
    """
    found, added = queue_pending_runs(db, config)
    delivery = deliver(db, config, run_id)
    record_alerts(db.engine, run_id, sent=delivery.sent_total, failed=len(delivery.failed))
    return found, added, delivery


def check(
    db: Database,
    config: AlertConfig,
    *,
    since: dt.date | None = None,
    run_id: int | None = None,
) -> tuple[str, list[Alert]]:
    """The dry run: the alerts the briefs stored since ``since`` (a date), or in run
    ``run_id`` (default: the latest run), would raise. Nothing is queued or sent.

    Returns a description of what was checked and the alerts.
    """
    from sqlalchemy import select

    with Session(db.engine) as session:
        if since is not None:
            start = dt.datetime(since.year, since.month, since.day, tzinfo=dt.UTC)
            end = None
            what = f"briefs stored since {since.isoformat()}"
        else:
            run = (
                session.get(Run, run_id)
                if run_id is not None
                else session.scalars(select(Run).order_by(Run.id.desc()).limit(1)).first()
            )
            if run is None:
                raise TrackerError(
                    f"no run with id {run_id} (see: tracker runs)"
                    if run_id is not None
                    else "no runs yet: give --since DATE (see: tracker runs)"
                )
            start, end = run.started_at, run.finished_at
            what = f"briefs stored by run {run.id}"
        if start.tzinfo is None:
            start = start.replace(tzinfo=dt.UTC)
        if end is not None and end.tzinfo is None:
            end = end.replace(tzinfo=dt.UTC)
        brief_ids = [b.id for b in briefs_ingested(session, start, end)]
    if not config.watches:
        raise ConfigError(f"no watches in {config.path}; add one with: tracker watch add")
    return f"{what}: {len(brief_ids)}", evaluate(db, config.watches, brief_ids, start)


def change_reports(db: Database, alerts: Sequence[Payload]) -> list[tuple[str, str]]:
    """(file name, HTML) of the full change report of each brief in the digest against its
    baseline; a brief removed since it was queued is left out. What an e-mail digest
    attaches (``tracker.notify`` renders and sends, and runs no diff)."""
    from tracker.app.diffs import diff
    from tracker.report import render

    seen: dict[tuple[str, str], None] = {}
    for alert in alerts:
        baseline = alert["baseline"]["selection"]
        if baseline.startswith("brief:"):
            seen.setdefault((baseline, f"brief:{alert['brief']['id']}"), None)
    out: list[tuple[str, str]] = []
    for old, new in seen:
        try:
            html = render(diff(db, old, new), "html")
        except TrackerError:
            continue
        out.append((f"report-{new.replace(':', '-')}.html", html))
    return out


def test_channel(db: Database, channel: Channel) -> None:
    """Send a test digest on ``channel`` (raises what the channel raised, redacted)."""
    from tracker.notify.send import send_digest, test_payload

    try:
        send_digest(db, channel, [test_payload()], run_id=None, test=True)
    except TrackerError:
        raise
    except Exception as exc:
        raise TrackerError(
            f"channel {channel.name}: {redact(str(exc) or type(exc).__name__)}"
        ) from None


def run_hook(db: Database, config: AlertConfig) -> Callable[[Any], list[Any]]:
    """The ``after`` hook of ``tracker.ingest.cron.run_sources``: queue and deliver alerts,
    turning failures into failed outcomes of the run (exit status 1, listed by ``runs``)."""
    import traceback

    from tracker.ingest.cron import ItemOutcome, RunReport
    from tracker.ingest.sources import Source

    def hook(report: RunReport) -> list[ItemOutcome]:
        # Even without watches the runs are marked watched: a watch added months later
        # starts from the next run, not with an alert for every brief stored meanwhile.
        label = Source("page", str(config.path))
        try:
            found, added, delivery = after_run(db, config, report.run_id)
        except TrackerError as exc:
            return [ItemOutcome(label, "alerts", "failed", redact(str(exc)))]
        except Exception as exc:  # a bug in alerting must not lose the run's record
            return [
                ItemOutcome(
                    label,
                    "alerts",
                    "failed",
                    redact(f"unexpected error ({type(exc).__name__}: {exc})"),
                    detail=redact(traceback.format_exc()),
                )
            ]
        if added:
            report.notes.append(f"alerts: {added} queued")
        elif found and not config.channels:
            report.notes.append(f"alerts: {found} found, but no channel (see: tracker notify)")
        for name, count in delivery.sent.items():
            report.notes.append(f"alerts: {count} sent on {name}")
        if delivery.gave_up:
            report.notes.append(f"alerts: {delivery.gave_up} given up (see: tracker watch outbox)")
        return [
            ItemOutcome(
                Source("page", f"channel {name}"),
                f"channel {name}",
                "failed",
                f"not delivered, retried on a later run: {reason}",
            )
            for name, reason in delivery.failed.items()
        ]

    return hook
