"""Ingest one web page or PDF by URL through the normal ingest path."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from tracker.errors import InputError
from tracker.ingest.feeds import looks_like_feed
from tracker.ingest.fetch import Fetched, Fetcher, check_url
from tracker.ingest.service import IngestResult, Overrides, ingest_bytes
from tracker.store.db import Database

_SUFFIX_BY_TYPE = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/pdf": ".pdf",
    "application/x-pdf": ".pdf",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "text/x-markdown": ".md",
}


@dataclass(frozen=True)
class PageResult:
    """A fetched URL: the ingest result, or ``result is None`` for a 304 (not modified)."""

    url: str
    fetched: Fetched
    result: IngestResult | None


def name_for(fetched: Fetched) -> Path:
    """A file name for a fetched body: the URL's last segment with a suffix for its type.

    Only the name's stem (a date in it, like a file's) and suffix are ever used; the path
    is never opened, and the archive names files by content hash, not by this name.
    """
    segment = PurePosixPath(unquote(urlsplit(fetched.url).path)).name or "index"
    segment = segment.replace("\\", "_")[:200]
    suffix = _SUFFIX_BY_TYPE.get(fetched.content_type)
    if suffix is None:
        return Path(segment)  # unknown type: the reader sniffs the body (PDF, HTML) or refuses
    return Path(PurePosixPath(segment).stem + suffix)


def ingest_fetched(
    db: Database,
    fetched: Fetched,
    overrides: Overrides | None = None,
    defaults: Overrides | None = None,
    authors: Sequence[str] = (),
) -> IngestResult:
    """Ingest a fetched page or PDF (one transaction); its URL fills a missing ``url``."""
    if looks_like_feed(fetched.content_type, fetched.content):
        raise InputError(
            f"{fetched.url} is a feed, not a page (add it with: tracker sources add URL)"
        )
    fill = defaults or Overrides()
    fill = Overrides(
        date=fill.date, title=fill.title, source=fill.source, url=fill.url or fetched.url
    )
    try:
        return ingest_bytes(db, name_for(fetched), fetched.content, overrides, fill, authors)
    except InputError as exc:
        # Name the URL, not the synthetic file name, in the one-line error.
        raise type(exc)(f"{fetched.url}: {exc}") from None


def ingest_url(
    db: Database,
    fetcher: Fetcher,
    url: str,
    overrides: Overrides | None = None,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> PageResult:
    """Fetch ``url`` (conditionally when validators are given) and ingest it."""
    fetched = fetcher.get(check_url(url), etag=etag, last_modified=last_modified)
    if fetched.not_modified:
        return PageResult(url, fetched, None)
    return PageResult(url, fetched, ingest_fetched(db, fetched, overrides))
