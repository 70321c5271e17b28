"""Two reviewers at once (PostgreSQL and SQLite): no decision lost, the last one wins, and
the history holds both."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy.orm import Session

from tracker.claims.identity import claim_hash
from tracker.store import reviews
from tracker.store.db import Database

SHARED = (claim_hash("old claim both reviewers decide"), claim_hash("its new counterpart"))
ROUNDS = 15


def _reviewer(db: Database, name: str, own: tuple[str, str], start: threading.Barrier) -> None:
    start.wait(timeout=30)
    for k in range(ROUNDS):
        verdict = reviews.VERDICTS[k % 3]
        # One transaction per decision, as the CLI and the web app make them.
        with Session(db.engine) as session, session.begin():
            reviews.record(session, *SHARED, verdict, by=name, note=f"{name} {k}")
        with Session(db.engine) as session, session.begin():
            reviews.record(session, *own, verdict, by=name)


def test_two_reviewers_at_once_lose_nothing(db: Database) -> None:
    own = {
        "ana": (claim_hash("ana's old claim"), claim_hash("ana's new claim")),
        "ben": (claim_hash("ben's old claim"), claim_hash("ben's new claim")),
    }
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(name: str) -> None:
        try:
            _reviewer(db, name, own[name], start)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in own]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors

    with Session(db.engine) as session:
        shared = reviews.history(session, *SHARED)
        now = reviews.current(session)
        mine = {n: reviews.history(session, *pair) for n, pair in own.items()}
    assert Counter(d.by for d in shared) == {"ana": ROUNDS, "ben": ROUNDS}
    assert {d.note for d in shared} == {f"{n} {k}" for n in own for k in range(ROUNDS)}
    assert all(len(h) == ROUNDS for h in mine.values())
    # The last decision (newest time) is the current one.
    assert now[SHARED] == shared[-1]
    assert shared[-1].at == max(d.at for d in shared)
    for n, pair in own.items():
        assert now[pair].by == n and now[pair] == mine[n][-1]


def test_overlapping_transactions_keep_both_verdicts(db: Database, backend: str) -> None:
    """Ana's transaction is still open when Ben records and commits on the same pair: both
    rows are kept, and Ben's later verdict is the current one."""
    if backend != "postgresql":
        pytest.skip("SQLite has one writer at a time: Ben would wait for Ana's commit")
    ana_recorded, ben_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def ana() -> None:
        try:
            with Session(db.engine) as session, session.begin():
                reviews.record(session, *SHARED, "same", by="ana")
                ana_recorded.set()
                assert ben_done.wait(timeout=60)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=ana)
    thread.start()
    assert ana_recorded.wait(timeout=60)
    with Session(db.engine) as session, session.begin():
        reviews.record(session, *SHARED, "different", by="ben")
    ben_done.set()
    thread.join(timeout=60)
    assert not errors, errors
    with Session(db.engine) as session:
        history = reviews.history(session, *SHARED)
        now = reviews.current(session)
    assert [(d.by, d.verdict) for d in history] == [("ana", "same"), ("ben", "different")]
    assert now[SHARED].by == "ben"
