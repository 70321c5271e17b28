"""Ingest one web page or PDF by URL through the normal ingest path."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from tracker.errors import InputError, TrackerError
from tracker.ingest.feeds import looks_like_feed
from tracker.ingest.fetch import Fetched, Fetcher, check_url
from tracker.ingest.results import IngestResult, Outcome
from tracker.ingest.service import Overrides, ingest_bytes
from tracker.store.db import Database
from tracker.store.runs import finish_run, start_run

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
        result = ingest_bytes(db, name_for(fetched), fetched.content, overrides, fill, authors)
    except InputError as exc:
        # Name the URL, not the synthetic file name, in the one-line error.
        raise type(exc)(f"{fetched.url}: {exc}") from None
    if result.date_source == "file name":  # the "file name" is the URL's last segment
        result = replace(result, date_source="URL")
    return result


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


@dataclass
class UrlRun:
    """The outcomes of ``ingest_urls`` in order, and the id of the run that records them."""

    run_id: int
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return sum(o.result is not None and o.result.status == "stored" for o in self.outcomes)

    @property
    def duplicates(self) -> int:
        return sum(o.result is not None and o.result.status == "duplicate" for o in self.outcomes)

    @property
    def failed(self) -> int:
        return sum(o.result is None for o in self.outcomes)


def ingest_urls(
    db: Database,
    fetcher: Fetcher,
    urls: Sequence[str],
    overrides: Overrides | None = None,
    on_url: Callable[[Outcome], None] | None = None,
) -> UrlRun:
    """Fetch and ingest each of ``urls`` (``tracker ingest URL...``), recorded as a run.

    The run is recorded in ``runs`` like a ``--sources`` run: stored briefs count as new,
    briefs already present as unchanged, and failures with their reasons. A URL that fails
    is collected, never raised; ``on_url`` is called after each one.
    """
    run = UrlRun(start_run(db.engine))
    try:
        for url in urls:
            try:
                page = ingest_url(db, fetcher, url, overrides)
            except TrackerError as exc:
                # Fetch errors name their URL already; the outcome says it once.
                outcome = Outcome(url, reason=str(exc).removeprefix(f"{url}: "))
            else:
                assert page.result is not None  # no validators were sent, so no 304
                outcome = Outcome(url, page.result)
            run.outcomes.append(outcome)
            if on_url is not None:
                on_url(outcome)
    finally:
        # Also when a bug or Ctrl-C stops the batch: the row shows what was done by then.
        finish_run(
            db.engine,
            run.run_id,
            new=run.stored,
            unchanged=run.duplicates,
            failed=run.failed,
            errors=[
                {"source": o.item, "item": o.item, "reason": o.reason or ""}
                for o in run.outcomes
                if o.result is None
            ],
            exit_status=1 if run.failed else 0,
        )
    return run
