"""Review decisions in the store: round trip, history, undo, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy.orm import Session

from tracker.claims.identity import claim_hash
from tracker.errors import ReviewError, TrackerError
from tracker.store import reviews
from tracker.store.db import Database

A = claim_hash("The council will build 40 new homes by 2027.")
B = claim_hash("The council will build 60 new homes by 2028.")
C = claim_hash("Bus fares stay frozen for another year.")


def test_claim_hash_is_sha256_of_the_spaced_text() -> None:
    h = claim_hash("  two\nwords  ")
    assert h == claim_hash("two words")
    assert len(h) == 64 and int(h, 16) >= 0
    assert h == hashlib.sha256(b"two words").hexdigest()
    assert h != claim_hash("two words.")


def test_record_and_current_round_trip(db: Database) -> None:
    at = dt.datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=dt.UTC)
    with Session(db.engine) as session:
        made = reviews.record(session, A, B, "same", by="ana", note="figures moved", at=at)
        session.commit()
    with Session(db.engine) as session:
        now = reviews.current(session)
    assert now == {(A, B): made}
    got = now[(A, B)]
    assert got.at == at and got.at.tzinfo is not None and got.at.utcoffset() == dt.timedelta(0)
    assert (got.verdict, got.by, got.note) == ("same", "ana", "figures moved")


def test_a_changed_verdict_keeps_its_history(db: Database) -> None:
    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with Session(db.engine) as session:
        reviews.record(session, A, B, "same", by="ana", at=t0)
        reviews.record(session, A, B, "different", by="ben", at=t0 + dt.timedelta(hours=1))
        reviews.record(session, A, C, "related", by="ana", at=t0)
        session.commit()
    with Session(db.engine) as session:
        now = reviews.current(session)
        past = reviews.history(session, A, B)
    assert now[(A, B)].verdict == "different" and now[(A, B)].by == "ben"
    assert now[(A, C)].verdict == "related"
    assert [(d.verdict, d.by) for d in past] == [("same", "ana"), ("different", "ben")]


def test_clear_withdraws_the_newest_verdict_only(db: Database) -> None:
    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with Session(db.engine) as session:
        reviews.record(session, A, B, "related", by="ana", at=t0)
        reviews.record(session, A, B, "different", by="ana", at=t0 + dt.timedelta(minutes=1))
        reviews.clear(session, A, B, by="ana")
        session.commit()
        assert reviews.current(session)[(A, B)].verdict == "related"
        reviews.clear(session, A, B, by="ana")
        session.commit()
        assert (A, B) not in reviews.current(session)
        reviews.clear(session, A, B, by="ana")  # nothing left to withdraw: no row
        session.commit()
        verdicts = [d.verdict for d in reviews.history(session, A, B)]
    assert verdicts == ["related", "different", "withdrawn", "withdrawn"]


@pytest.mark.parametrize(
    ("old", "verdict", "by"),
    [(A, "maybe", "ana"), ("abc", "same", "ana"), (A.upper(), "same", "ana"), (A, "same", " ")],
)
def test_bad_decisions_are_refused(db: Database, old: str, verdict: str, by: str) -> None:
    with Session(db.engine) as session:
        with pytest.raises(ReviewError):
            reviews.record(session, old, B, verdict, by=by)
        assert issubclass(ReviewError, TrackerError)
        assert reviews.current(session) == {}


def test_add_skips_decisions_already_held(db: Database) -> None:
    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    one = reviews.Decision(A, B, "same", "ana", t0, None)
    two = reviews.Decision(A, C, "different", "ben", t0, "other topic")
    with Session(db.engine) as session:
        assert reviews.add(session, [one, two]) == 2
        assert reviews.add(session, [one, two]) == 0
        session.commit()
        assert len(reviews.rows(session)) == 2
