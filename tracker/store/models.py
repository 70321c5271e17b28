"""Database schema: one row per brief (a dated snapshot), its claims and their quantities.

The schema is owned by Alembic revisions in the top-level ``migrations/`` folder; these models
describe the head revision and a test checks that upgrading a blank database yields exactly
them. Constraint names come from one naming convention so that migrations can refer to them
on SQLite (batch mode) and PostgreSQL alike.

The extracted text of each brief is stored in ``briefs.text``: claim and quantity spans are
character offsets into it, which keeps provenance exact even when the database is shared
without the ``snapshots/`` archive (PostgreSQL for teams). The raw file stays in the archive.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Brief(Base):
    """One ingested document, filed under its as-of ``date``."""

    __tablename__ = "briefs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    # How much of ``date`` is known: "day", "month" (filed under the 1st) or "year" (1 Jan).
    date_precision: Mapped[str] = mapped_column(String(5), default="day", server_default="day")
    source: Mapped[str | None] = mapped_column(String(500))
    # Indexed: a cron run skips feed entries whose URL is already stored.
    url: Mapped[str | None] = mapped_column(String(2000), index=True)
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    # sha256 of the canonical extracted text: the same brief fetched as HTML twice, or saved
    # with other line endings, is still the same brief.
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Raw file under the archive root (``snapshots/``), relative, content-addressed by year.
    archive_path: Mapped[str] = mapped_column(String(500))
    format: Mapped[str] = mapped_column(String(10))
    word_count: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # tracker.claims.version.EXTRACTOR_VERSION of the code that extracted the claims (their
    # text, norm_text, tokens and quantities); 1 = stored before extraction was versioned.
    extractor_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    claims: Mapped[list[Claim]] = relationship(
        back_populates="brief", order_by="Claim.ordinal", cascade="all, delete-orphan"
    )


class Claim(Base):
    """An atomic claim: a sentence, or one item of a sentence that lists several commitments."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brief_id: Mapped[int] = mapped_column(ForeignKey("briefs.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    norm_text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    sentence: Mapped[str] = mapped_column(Text)
    section: Mapped[str | None] = mapped_column(String(500))
    # The lead-in of a list item ("Japan's plan includes"), shown beside it in reports.
    context: Mapped[str | None] = mapped_column(Text)
    # Content tokens for matching, computed at ingest so a diff need not tokenise every claim
    # again; ``tokens_version`` says which tokeniser made them (stale ones are recomputed).
    tokens: Mapped[str | None] = mapped_column(Text)
    tokens_version: Mapped[int | None] = mapped_column(Integer)

    brief: Mapped[Brief] = relationship(back_populates="claims")
    quantities: Mapped[list[QuantityRow]] = relationship(
        back_populates="claim", order_by="QuantityRow.start", cascade="all, delete-orphan"
    )

    __table_args__ = (Index("ix_claims_brief_id_ordinal", "brief_id", "ordinal", unique=True),)


class QuantityRow(Base):
    """A number found in a claim, normalised (value + unit) with its raw text and span."""

    __tablename__ = "quantities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(50))
    raw: Mapped[str] = mapped_column(String(200))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)

    claim: Mapped[Claim] = relationship(back_populates="quantities")


class Run(Base):
    """One ``tracker ingest --sources`` run, or one ``tracker ingest URL...``: when, what it
    found and what went wrong.

    A row is written when the run starts and completed when it ends, so a run that was killed
    shows up with no ``finished_at``.
    """

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    new: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    # [{"source": ..., "item": ..., "reason": ...}] in the order they happened.
    errors: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    exit_status: Mapped[int | None] = mapped_column(Integer)
    # When the run's new briefs were checked against the watches (alerts queued in the same
    # transaction); None for a run killed before that, which the next run catches up on.
    watched_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Alerts delivered and deliveries that failed (to be retried) during this run.
    alerts_sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    alerts_failed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class FetchState(Base):
    """What a server said about a URL last time: the validators of a conditional GET.

    Saved only once the body was fully handled, so a 304 never hides work left undone.
    """

    __tablename__ = "fetch_state"

    url: Mapped[str] = mapped_column(String(2000), primary_key=True)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    checked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class FeedEntry(Base):
    """An item seen in a feed, kept until it is stored (or given up on).

    Remembering entries makes a failed one survive the feed rotating it out: it is retried on
    later runs from this row, with the metadata the feed gave, even when the feed answers 304.
    """

    __tablename__ = "feed_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_url: Mapped[str] = mapped_column(String(2000), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str | None] = mapped_column(String(500))
    published: Mapped[dt.date | None] = mapped_column(Date)
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str | None] = mapped_column(String(500))
    # pending (to fetch), stored (brief_id set), failed (the content itself is unusable, or
    # too many attempts): only pending entries are fetched again.
    status: Mapped[str] = mapped_column(String(10), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    brief_id: Mapped[int | None] = mapped_column(ForeignKey("briefs.id", ondelete="SET NULL"))
    first_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("url"),)


class ReviewDecision(Base):
    """An analyst's verdict on a claim pair (see ``tracker.store.reviews``).

    Rows are only ever appended: the newest row of a pair is its current verdict, the older
    ones its history. Claims are named by content hash, so a decision outlives claim ids.
    """

    __tablename__ = "review_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    old_hash: Mapped[str] = mapped_column(String(64))
    new_hash: Mapped[str] = mapped_column(String(64))
    # "same", "related", "different", or "withdrawn" (an undo of the row before it).
    verdict: Mapped[str] = mapped_column(String(10))
    by: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_review_decisions_old_hash_new_hash", "old_hash", "new_hash"),)


class OutboxItem(Base):
    """One alert for one channel, waiting to be sent or sent.

    ``key`` is the sha-256 of (watch, change, channel): the unique index makes queueing an
    alert twice impossible, so a re-evaluated run or a crashed one never sends it twice.
    ``payload`` is the whole alert (watch, brief, change as in docs/json.md): a retry sends
    what was queued, whatever the store holds by then.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    watch: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(200), index=True)
    change_key: Mapped[str] = mapped_column(String(100))
    run_id: Mapped[int | None] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # pending (to send, at next_attempt_at or later), sent, failed (given up).
    status: Mapped[str] = mapped_column(String(10), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class MatcherModel(Base):
    """A pair model fitted for this store (``tracker matcher fit``), as its JSON file text.

    Kept in the database, not beside it, so that every machine using a shared store runs the
    same model. Rows are never deleted: ``tracker matcher use previous`` may go back to any.
    """

    __tablename__ = "matcher_models"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    version: Mapped[str] = mapped_column(String(200))
    fitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    body: Mapped[str] = mapped_column(Text)


class MatcherChoice(Base):
    """Which model the store's diffs use, from this row on (``model`` null: the shipped one).

    Rows are only ever appended: the newest is the model in use, the one before it the
    previous model, so a choice is never lost to a concurrent one.
    """

    __tablename__ = "matcher_choices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
