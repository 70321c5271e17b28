"""Review decisions: analysts' verdicts on claim pairs, kept with their history.

A decision says that an old claim and a new claim state the same position (``same``), share
a specific subject (``related``), or must never be paired (``different``). Claims are named
by the content hash of their text (``tracker.claims.identity.claim_hash``), so a decision
survives re-ingesting a brief, ``tracker db reextract`` and moving to another store.

Storage design: rows of ``review_decisions`` are only ever appended. The history of a pair
is its rows ordered by time (``at``, then insertion order), and its current verdict is what
replaying them leaves: each verdict replaces the one before, and a ``withdrawn`` row (see
``clear``, the undo) takes the newest verdict back, so the one before it is current again.
Two reviewers deciding at once each append a row in their own transaction, so neither
loses the other's decision; the later one is current and the history holds both.

This module knows claims only by hash: it imports nothing of matching or reporting, and it
never commits (the caller owns the transaction).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import ReviewError
from tracker.store.models import ReviewDecision

VERDICTS = ("same", "related", "different")
# The verdict of a row written by ``clear``: it withdraws the newest verdict of its pair.
WITHDRAWN = "withdrawn"
# Verdicts that pair two claims (``different`` keeps them apart).
CONFIRMING = ("same", "related")
_HASH = re.compile(r"^[0-9a-f]{64}$")
MAX_BY = 200


@dataclass(frozen=True)
class StoredClaim:
    """A claim of this store that a decision names (the first of its text): what a listing
    of decisions shows beside each hash."""

    id: int
    text: str


@dataclass(frozen=True)
class Decision:
    """One verdict on a pair of claims, as recorded."""

    old_hash: str
    new_hash: str
    verdict: str  # one of VERDICTS, or WITHDRAWN in a history
    by: str
    at: dt.datetime  # aware, UTC
    note: str | None

    @property
    def key(self) -> tuple[str, str, str, str, dt.datetime]:
        """What makes a decision the same one in another store (an import skips it)."""
        return (self.old_hash, self.new_hash, self.verdict, self.by, self.at)


def utc(value: dt.datetime) -> dt.datetime:
    """``value`` as an aware UTC datetime; a naive one is read as UTC (SQLite returns those)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def _check(old_hash: str, new_hash: str, verdict: str, by: str, allowed: Iterable[str]) -> None:
    if verdict not in allowed:
        choices = ", ".join(allowed)
        raise ReviewError(f"unknown verdict {verdict!r} (expected one of: {choices})")
    for name, value in (("old", old_hash), ("new", new_hash)):
        if not _HASH.match(value):
            raise ReviewError(f"{name} claim hash {value!r}: expected 64 lower-case hex digits")
    if not by.strip() or len(by) > MAX_BY:
        raise ReviewError(f"reviewer {by!r}: expected a name of 1 to {MAX_BY} characters")


def _append(session: Session, decision: Decision) -> None:
    session.add(
        ReviewDecision(
            old_hash=decision.old_hash,
            new_hash=decision.new_hash,
            verdict=decision.verdict,
            by=decision.by,
            at=decision.at,
            note=decision.note,
        )
    )


def record(
    session: Session,
    old_hash: str,
    new_hash: str,
    verdict: str,
    *,
    by: str,
    note: str | None = None,
    at: dt.datetime | None = None,
) -> Decision:
    """Append a verdict on the pair (old claim, new claim); it becomes the current one.

    ``at`` defaults to now. An unknown verdict, a malformed hash or an empty reviewer name
    raises ``ReviewError``. The row is flushed, not committed.
    """
    _check(old_hash, new_hash, verdict, by, VERDICTS)
    decision = Decision(
        old_hash, new_hash, verdict, by, utc(at or dt.datetime.now(dt.UTC)), note or None
    )
    _append(session, decision)
    session.flush()
    return decision


def clear(session: Session, old_hash: str, new_hash: str, *, by: str) -> None:
    """Undo the pair's newest verdict by recording its withdrawal (history keeps both).

    The verdict before it, if any, is current again; with none, the pair is unreviewed.
    A pair with no current verdict is left as it is.
    """
    _check(old_hash, new_hash, WITHDRAWN, by, (WITHDRAWN,))
    if (old_hash, new_hash) not in current(session, pairs=[(old_hash, new_hash)]):
        return
    _append(session, Decision(old_hash, new_hash, WITHDRAWN, by, dt.datetime.now(dt.UTC), None))
    session.flush()


def _decision(row: ReviewDecision) -> Decision:
    return Decision(row.old_hash, row.new_hash, row.verdict, row.by, utc(row.at), row.note)


def rows(session: Session) -> list[Decision]:
    """Every recorded row (withdrawals too), oldest first: what an export carries."""
    stmt = select(ReviewDecision).order_by(ReviewDecision.at, ReviewDecision.id)
    return [_decision(r) for r in session.scalars(stmt)]


def history(session: Session, old_hash: str, new_hash: str) -> list[Decision]:
    """The rows of one pair, oldest first (verdicts and withdrawals)."""
    stmt = (
        select(ReviewDecision)
        .where(ReviewDecision.old_hash == old_hash, ReviewDecision.new_hash == new_hash)
        .order_by(ReviewDecision.at, ReviewDecision.id)
    )
    return [_decision(r) for r in session.scalars(stmt)]


def replay(decisions: Iterable[Decision]) -> dict[tuple[str, str], Decision]:
    """The current verdict of each pair from its rows in time order (see the module doc)."""
    stacks: dict[tuple[str, str], list[Decision]] = {}
    for d in decisions:
        stack = stacks.setdefault((d.old_hash, d.new_hash), [])
        if d.verdict == WITHDRAWN:
            if stack:
                stack.pop()
        else:
            stack.append(d)
    return {pair: stack[-1] for pair, stack in sorted(stacks.items()) if stack}


def current(
    session: Session, *, pairs: Iterable[tuple[str, str]] | None = None
) -> dict[tuple[str, str], Decision]:
    """The current verdict of every decided pair (of ``pairs`` only, when given)."""
    stmt = select(ReviewDecision).order_by(ReviewDecision.at, ReviewDecision.id)
    if pairs is not None:
        wanted = list(pairs)
        olds = sorted({o for o, _ in wanted})
        stmt = stmt.where(ReviewDecision.old_hash.in_(olds))
        keep = set(wanted)
        found = (_decision(r) for r in session.scalars(stmt))
        return replay(d for d in found if (d.old_hash, d.new_hash) in keep)
    return replay(_decision(r) for r in session.scalars(stmt))


def add(session: Session, decisions: Iterable[Decision]) -> int:
    """Append the decisions this store does not hold yet (same pair, verdict, reviewer and
    time); the number appended. Importing one file twice therefore changes nothing."""
    known = {d.key for d in rows(session)}
    added = 0
    for d in decisions:
        d = Decision(d.old_hash, d.new_hash, d.verdict, d.by, utc(d.at), d.note or None)
        _check(d.old_hash, d.new_hash, d.verdict, d.by, (*VERDICTS, WITHDRAWN))
        if d.key in known:
            continue
        known.add(d.key)
        _append(session, d)
        added += 1
    session.flush()
    return added
