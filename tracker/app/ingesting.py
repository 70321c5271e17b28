"""Ingest a batch of files, folders, manifest entries and URLs, or run every source once.

The CLI and cron call these; each brief is still one transaction of ``tracker.ingest``, and
a run's change reports come from ``tracker.app.reports`` (ingest runs no diff).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.ingest.files import iter_brief_files, store_paths
from tracker.ingest.inbox import SETTLE_SECONDS
from tracker.ingest.lock import DEFAULT_WAIT
from tracker.ingest.manifest import ManifestEntry, ingest_entries, read_manifest
from tracker.ingest.results import IngestFailure, IngestReport, IngestResult, Outcome, Skipped
from tracker.ingest.service import OnFile, Overrides, ingest_items
from tracker.store.db import Database

if TYPE_CHECKING:
    # Only a run or a URL needs the fetcher (httpx, feedparser) and the engine (for change
    # reports): imported where they are used, so that ingesting files does not load them.
    from tracker.ingest.cron import ItemOutcome, OnItem, RunReport
    from tracker.ingest.fetch import Fetcher
    from tracker.ingest.pages import UrlRun
    from tracker.ingest.sources import Config

# What the callers need to say what they want, so that they import this module only.
__all__ = [
    "DEFAULT_WAIT",
    "IngestFailure",
    "IngestReport",
    "IngestResult",
    "ItemOutcome",
    "ManifestEntry",
    "Outcome",
    "Overrides",
    "RunReport",
    "Skipped",
    "UrlRun",
    "brief_files",
    "ingest_batch",
    "ingest_urls",
    "read_manifest",
    "run_sources",
    "sources_config",
]


def brief_files(
    db: Database, paths: Sequence[Path], skipped: list[Skipped] | None = None
) -> list[Path | IngestFailure]:
    """The brief files of ``paths`` (folders walked), leaving out the store's own files; a
    path that cannot be read is a failure in the list."""
    return list(iter_brief_files(paths, skip=store_paths(db), skipped=skipped))


def ingest_batch(
    db: Database,
    items: Sequence[Path | IngestFailure],
    overrides: Overrides | None = None,
    entries: Sequence[ManifestEntry | IngestFailure] = (),
    on_file: OnFile | None = None,
) -> IngestReport:
    """Ingest files (with ``overrides``), then manifest entries (with their own metadata),
    each brief in its own transaction; a bad brief is a failure in the report and the batch
    goes on, a ``StoreError`` stops it."""
    report = ingest_items(db, items, overrides, on_file=on_file)
    if entries:
        listed = ingest_entries(db, entries, on_file=on_file)
        report.results += listed.results
        report.failures += listed.failures
    return report


def sources_config(db: Database, explicit: str | Path | None = None) -> Config:
    """The sources file of ``db`` (``--config`` / ``TRACKER_CONFIG`` when given)."""
    from tracker.ingest.sources import config_path, load_config

    return load_config(config_path(db.url, explicit))


def ingest_urls(
    db: Database,
    urls: Sequence[str],
    overrides: Overrides | None = None,
    *,
    config: Config,
    on_url: Callable[[Outcome], None] | None = None,
) -> UrlRun:
    """Fetch and ingest the URLs with ``config``'s fetch policy, recorded as one run."""
    from tracker.ingest.fetch import Fetcher
    from tracker.ingest.pages import ingest_urls as ingest_url_list

    with Fetcher(config.fetch) as fetcher:
        return ingest_url_list(db, fetcher, urls, overrides, on_url=on_url)


def run_sources(
    db: Database,
    config: Config,
    fetcher: Fetcher | None = None,
    *,
    report_dir: Path | None = None,
    on_item: OnItem | None = None,
    settle: float = SETTLE_SECONDS,
    max_attempts: int | None = None,
    lock_wait: float | None = None,
    on_locked: Callable[[], None] | None = None,
    after: Callable[[RunReport], Sequence[ItemOutcome]] | None = None,
) -> RunReport:
    """Fetch every source of ``config`` once, ingest what is new, write a change report of
    each new brief into ``report_dir`` (when given), and record the run.

    With ``lock_wait`` (seconds), the run takes the run lock first (``RunLocked`` when
    another run holds it that long) and calls ``on_locked`` once it holds it. ``after`` runs
    once the sources are read, before the run is recorded (see ``alerts_hook``).
    ``max_attempts`` defaults to ``tracker.ingest.cron.MAX_ATTEMPTS``.
    """
    from tracker.app.reports import write_change_report
    from tracker.ingest.cron import MAX_ATTEMPTS
    from tracker.ingest.cron import run_sources as run_all_sources
    from tracker.ingest.lock import run_lock

    lock: AbstractContextManager[object] = (
        nullcontext() if lock_wait is None else run_lock(db, config.path, lock_wait)
    )
    with lock:
        if on_locked is not None:
            on_locked()
        return run_all_sources(
            db,
            config,
            fetcher,
            change_report=None
            if report_dir is None
            else partial(write_change_report, db, folder=report_dir),
            on_item=on_item,
            settle=settle,
            max_attempts=MAX_ATTEMPTS if max_attempts is None else max_attempts,
            after=after,
        )
