"""What cron runs remember between them: HTTP validators per URL and the entries of feeds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.store.models import Brief, FeedEntry, FetchState


def get_validators(session: Session, url: str) -> tuple[str | None, str | None]:
    """(ETag, Last-Modified) saved for ``url``; (None, None) when there are none."""
    state = session.get(FetchState, url)
    return (state.etag, state.last_modified) if state else (None, None)


def save_validators(
    session: Session, url: str, etag: str | None, last_modified: str | None
) -> None:
    """Remember the validators of the last complete answer for ``url``."""
    state = session.get(FetchState, url)
    now = dt.datetime.now(dt.UTC)
    if state is None:
        session.add(FetchState(url=url, etag=etag, last_modified=last_modified, checked_at=now))
    else:
        state.etag, state.last_modified, state.checked_at = etag, last_modified, now


def brief_id_for_url(session: Session, url: str) -> int | None:
    """The id of a brief stored from ``url``, if any."""
    return session.scalars(select(Brief.id).where(Brief.url == url).limit(1)).first()


def get_entry(session: Session, url: str) -> FeedEntry | None:
    """The feed entry for ``url``, if it was seen before."""
    return session.scalars(select(FeedEntry).where(FeedEntry.url == url)).first()


def add_entry(
    session: Session,
    feed_url: str,
    url: str,
    *,
    title: str | None,
    published: dt.date | None,
    authors: Sequence[str],
    source: str | None,
    brief_id: int | None = None,
) -> FeedEntry:
    """Remember a new entry: pending, or already stored when ``brief_id`` is given."""
    entry = FeedEntry(
        feed_url=feed_url,
        url=url,
        title=title[:500] if title else None,
        published=published,
        authors=list(authors),
        source=source[:500] if source else None,
        status="stored" if brief_id is not None else "pending",
        attempts=0,
        brief_id=brief_id,
        first_seen=dt.datetime.now(dt.UTC),
    )
    session.add(entry)
    return entry


def pending_entries(session: Session, feed_url: str) -> list[FeedEntry]:
    """Entries of a feed still to fetch, oldest first."""
    return list(
        session.scalars(
            select(FeedEntry)
            .where(FeedEntry.feed_url == feed_url, FeedEntry.status == "pending")
            .order_by(FeedEntry.id)
        )
    )
