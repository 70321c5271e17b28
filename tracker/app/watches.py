"""Watches: which stored changes an analyst follows, and getting them delivered once.

A watch follows a position the way ``tracker history`` does: each new brief is compared by
the matcher with what the store held before the run (the previous brief of its source, else
the briefs of the most recent earlier year; see ``store.outbox.baseline_ids``), and a change
fires when one of its claims answers the watch's query (``compare.query``: the history
query's relevance, so a reworded claim paired with a matching one fires although it lacks
the words) or belongs to the chain of the watched claim. An added claim that first mentions
the query fires like any other.

Delivery goes through the outbox (``store.outbox``): alerts are queued in the transaction
that marks the runs watched, then each channel is sent one digest of its due rows. Any
failure is retried on a later run with backoff; the run's exit status and ``tracker runs``
say so.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from tracker.compare.model import Change, ClaimRef, Diff, Selection
from tracker.errors import ConfigError, SelectionError, TrackerError
from tracker.notify.config import BANDS, AlertConfig, Channel, Watch, redact
from tracker.notify.digest import Payload
from tracker.store.baseline import Baseline, baseline_for, briefs_ingested
from tracker.store.db import Database, read_snapshot
from tracker.store.models import Brief, Run
from tracker.store.outbox import (
    Queued,
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
_ANCHOR = re.compile(r'\s*<a class="anchor" [^>]*>#</a>')


@dataclass(frozen=True)
class Alert:
    """A change that a watch fires on, with everything a channel needs to show it."""

    watch: Watch
    change_key: str
    payload: dict[str, Any]

    def queued(self) -> Queued:
        return Queued(self.watch.name, self.change_key, self.payload)


@dataclass
class Delivery:
    """What one delivery pass did, per channel."""

    sent: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # channel → redacted reason
    gave_up: int = 0

    @property
    def sent_total(self) -> int:
        return sum(self.sent.values())


def change_key(change: Change) -> str:
    """A change named by its kind and its claims: stable across runs (claim ids are)."""
    old = change.old.id if change.old is not None else "-"
    new = change.new.id if change.new is not None else "-"
    return f"{change.kind}:{old}:{new}"


def _claims(change: Change) -> list[ClaimRef]:
    found = [c for c in (change.old, change.new) if c is not None]
    return [*found, *change.also_old, *change.also_new]


def fires(watch: Watch, change: Change, relevant: Callable[[ClaimRef], bool]) -> bool:
    """Whether ``change`` is one ``watch`` reports; ``relevant`` says if a claim is followed."""
    if change.kind not in watch.kinds:
        return False
    if change.kind == "modified" and watch.aspects and not set(watch.aspects) & set(change.aspects):
        return False
    if (
        watch.min_confidence
        and change.confidence is not None
        and BANDS.index(change.confidence) < BANDS.index(watch.min_confidence)
    ):
        return False
    return any(relevant(c) for c in _claims(change))


def _relevance(db: Database, watch: Watch) -> Callable[[ClaimRef], bool]:
    """The test a claim must pass to be part of what ``watch`` follows: it answers the
    query, or it is in the chain of the watched claim (either, when both are given)."""
    tests: list[Callable[[ClaimRef], bool]] = []
    if watch.query is not None:
        from tracker.compare.query import relevance_scorer

        scorer = relevance_scorer(watch.query)
        tests.append(lambda claim: scorer(claim) > 0)
    if watch.claim is not None:
        from tracker.app.diffs import history

        chain = {watch.claim}
        try:
            timeline = history(db, claim_id=watch.claim)
        except SelectionError:
            pass  # one period only, or the claim is gone: the claim itself is all there is
        else:
            chain |= {c.id for ch in timeline.chains for s in ch.steps for c in (s.claim, *s.also)}
        tests.append(lambda claim: claim.id in chain)
    return lambda claim: any(test(claim) for test in tests)


def _payload(
    watch: Watch, change: Change, brief: dict[str, Any], baseline: dict[str, Any], card: str
) -> dict[str, Any]:
    from tracker.report.describe import headline, quantity_phrase, stance_phrase
    from tracker.report.json_report import change_to_dict

    return {
        "watch": watch.to_dict(),
        "change_key": change_key(change),
        "brief": brief,
        "baseline": baseline,
        "change": change_to_dict(change),
        "headline": headline(change),
        "details": [quantity_phrase(q) for q in change.quantities if q.moved]
        + [f"stance {stance_phrase(s)}" for s in change.stance],
        "card_html": card,
    }


def _cards(diff: Any) -> dict[int, str]:
    """Each change of ``diff`` (by index) as the change report's card, in HTML."""
    from tracker.report.html import build_context, environment

    context = build_context(diff)
    template = environment().from_string('{% import "_macros.html" as m %}{{ m.change_card(c) }}')
    # A card's "#" link points into the report page it was made for; in a mail it leads
    # nowhere (and mail clients that drop <style> would show it).
    return {
        int(view.anchor.removeprefix("c-")) - 1: _ANCHOR.sub("", template.render(c=view))
        for group in context.groups
        for view in group.changes
    }


def evaluate(
    db: Database, watches: Sequence[Watch], brief_ids: Sequence[int], before: dt.datetime
) -> list[Alert]:
    """The alerts the briefs ``brief_ids`` raise, each judged against the store as it was
    ``before`` (the start of the run that stored them). Deterministic: briefs in date order,
    changes in diff order, watches in file order."""
    from tracker.report.json_report import brief_to_dict, selection_to_dict
    from tracker.store.selections import load_selection

    if not watches or not brief_ids:
        return []
    tests = {w.name: _relevance(db, w) for w in watches}
    alerts: list[Alert] = []
    plans: list[tuple[Selection, Selection, Selection | None, Baseline]] = []
    with read_snapshot(db.engine) as session:
        briefs = [b for b in (session.get(Brief, i) for i in brief_ids) if b is not None]
        briefs.sort(key=lambda b: (b.date, b.id))
        for brief in briefs:
            base = baseline_for(session, brief, before)
            new = load_selection(session, f"brief:{brief.id}")
            old = _load(session, base.ids) or Selection("(nothing before)", (), ())
            plans.append((new, old, _load(session, base.earlier), base))
    for new, old, earlier, base in plans:
        source = new.briefs[0].source
        wanted = [w for w in watches if w.source is None or w.source == source]
        if not wanted:
            continue
        diff = _bridged(_compare(old, new), earlier)
        brief_json = brief_to_dict(new.briefs[0])
        baseline = {**selection_to_dict(old), "label": base.label}
        # Against another author's briefs, a claim the new brief does not restate says
        # nothing about the position: removals count against the same source only.
        hits = [
            (w, i, ch)
            for i, ch in enumerate(diff.changes)
            if base.same_source or ch.kind != "removed"
            for w in wanted
            if fires(w, ch, tests[w.name])
        ]
        if not hits:
            continue
        cards = _cards(diff)
        for w, i, ch in sorted(hits, key=lambda h: (watches.index(h[0]), h[1])):
            against = baseline
            if ch.old is not None and ch.old.brief_id not in base.ids:
                # Joined across a gap: say where the position was last stated.
                against = {
                    **baseline,
                    "label": f"{base.label}, which do not state it; last stated "
                    f"{ch.old.date.isoformat()} (brief {ch.old.brief_id})",
                }
            alerts.append(
                Alert(w, change_key(ch), _payload(w, ch, brief_json, against, cards.get(i, "")))
            )
    return alerts


def _compare(old: Selection, new: Selection) -> Diff:
    """``compare``, and the plain answer when a side holds no claim (the engine needs both):
    every claim of the other side added or removed."""
    from tracker.compare.engine import compare
    from tracker.compare.matcher import MatcherConfig

    if old.claims and new.claims:
        return compare(old, new)
    changes = [Change("removed", c, None) for c in old.claims]
    changes += [Change("added", None, c) for c in new.claims]
    return Diff(old, new, tuple(changes), matcher=MatcherConfig().describe())


def _load(session: Session, ids: Sequence[int]) -> Selection | None:
    from tracker.store.selections import load_selection

    return load_selection(session, "brief:" + ",".join(map(str, ids))) if ids else None


def _bridged(diff: Diff, earlier: Selection | None) -> Diff:
    """``diff`` with each added claim that restates a claim of ``earlier`` turned into the
    change from that claim, as ``tracker history`` joins a position across a period that did
    not state it ("20 to 22 percent" in 2021, nothing in 2023, "about 20 percent" in 2024)."""
    from tracker.compare.engine import compare

    added = [ch.new for ch in diff.changes if ch.kind == "added" and ch.new is not None]
    if earlier is None or not earlier.claims or not added:
        return diff
    gap = compare(earlier, Selection("added", diff.new.briefs, tuple(added)))
    joined = {
        ch.new.id: ch
        for ch in gap.changes
        if ch.old is not None and ch.new is not None and ch.relation == "one-to-one"
    }
    if not joined:
        return diff
    changes = tuple(
        joined.get(ch.new.id, ch) if ch.kind == "added" and ch.new is not None else ch
        for ch in diff.changes
    )
    used = {ch.old.brief_id for ch in joined.values() if ch.old is not None}
    old = Selection(
        diff.old.spec,
        (*diff.old.briefs, *(b for b in earlier.briefs if b.id in used)),
        diff.old.claims,
    )
    return replace(diff, old=old, changes=changes)


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
