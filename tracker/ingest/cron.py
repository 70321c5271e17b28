"""One unattended run over every source in ``tracker.toml``.

Each source and each item in it is handled on its own: one failure is recorded and the run
goes on. Feed entries are remembered in the database before they are fetched, so an entry
that fails for a passing reason (timeout, 5xx, a busy database) is retried on later runs even
when the feed has dropped it or answers 304; an entry whose content can never be ingested
(no date, no text, a ``file://`` link, a 404) is reported once and not fetched again. The run
is recorded in ``runs`` with its counts and errors.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from sqlalchemy.orm import Session

from tracker.errors import FetchError, InputError, StoreError, TrackerError
from tracker.ingest.feeds import parse_feed
from tracker.ingest.fetch import Fetched, Fetcher, check_url
from tracker.ingest.inbox import SETTLE_SECONDS, process_inbox
from tracker.ingest.pages import ingest_fetched
from tracker.ingest.results import IngestResult, Outcome
from tracker.ingest.service import Overrides
from tracker.ingest.sources import Config, Source
from tracker.store.db import Database
from tracker.store.fetch_state import (
    add_entry,
    brief_id_for_url,
    get_entry,
    get_validators,
    pending_entries,
    save_validators,
)
from tracker.store.models import FeedEntry
from tracker.store.runs import finish_run, start_run

# A feed entry that keeps failing for passing reasons is given up after this many attempts.
MAX_ATTEMPTS = 10

Status = Literal["new", "unchanged", "failed"]


@dataclass(frozen=True)
class ItemOutcome:
    """What happened to one item: a feed entry, a page, an inbox file, a whole source, or
    the change report of a new brief (``source`` None: it belongs to the run, not a source)."""

    source: Source | None
    item: str  # a URL or a file path
    status: Status
    message: str  # one line: what was stored, or why it failed
    brief_id: int | None = None
    detail: str | None = None  # a traceback for an unexpected error (for the log file)


@dataclass
class RunReport:
    """The outcome of a run, in the order things happened."""

    run_id: int
    outcomes: list[ItemOutcome] = field(default_factory=list)
    reports: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def new_brief_ids(self) -> list[int]:
        return [o.brief_id for o in self.outcomes if o.status == "new" and o.brief_id]

    @property
    def errors(self) -> list[dict[str, str]]:
        return [
            {
                "source": o.source.location if o.source is not None else "change report",
                "item": o.item,
                "reason": o.message,
            }
            for o in self.outcomes
            if o.status == "failed"
        ]

    @property
    def exit_status(self) -> int:
        """0 when everything went well, 1 when anything failed."""
        return 1 if self.count("failed") else 0

    def summary(self) -> str:
        return (
            f"{self.count('new')} new, {self.count('unchanged')} unchanged, "
            f"{self.count('failed')} failed"
        )


OnItem = Callable[[ItemOutcome], None]
# Writes the change report of a new brief (its id): the file written, or None when there is
# nothing to compare it with. Supplied by the use-case layer: ingest runs no diff.
ChangeReport = Callable[[int], Path | None]


def describe(result: IngestResult) -> str:
    """One line for an ingested brief."""
    what = "stored" if result.status == "stored" else "already present"
    return (
        f"{what} → brief {result.brief_id} ({result.date}, {result.claims} claims) {result.title}"
    )


@dataclass
class _Run:
    db: Database
    fetcher: Fetcher
    report: RunReport
    on_item: OnItem | None
    settle: float
    max_attempts: int

    def emit(self, outcome: ItemOutcome) -> None:
        prefix = f"{outcome.item}: "
        if outcome.message.startswith(prefix):  # errors name their URL; the item says it once
            outcome = replace(outcome, message=outcome.message[len(prefix) :])
        self.report.outcomes.append(outcome)
        if self.on_item is not None:
            self.on_item(outcome)

    def ingested(self, source: Source, item: str, result: IngestResult) -> None:
        status: Status = "new" if result.status == "stored" else "unchanged"
        self.emit(ItemOutcome(source, item, status, describe(result), result.brief_id))

    def source(self, source: Source) -> None:
        try:
            if source.kind == "feed":
                self.feed(source)
            elif source.kind == "page":
                self.page(source)
            else:
                self.inbox(source)
        except TrackerError as exc:
            self.emit(ItemOutcome(source, source.location, "failed", str(exc)))
        except Exception as exc:  # a bug must not stop the other sources of a cron run
            self.emit(
                ItemOutcome(
                    source,
                    source.location,
                    "failed",
                    f"unexpected error ({type(exc).__name__}: {exc})",
                    detail=traceback.format_exc(),
                )
            )

    def conditional_get(self, url: str) -> Fetched:
        """GET ``url`` with the validators of its last answer (a 304 when nothing changed)."""
        with Session(self.db.engine) as session:
            etag, last_modified = get_validators(session, url)
        return self.fetcher.get(url, etag=etag, last_modified=last_modified)

    # -- feeds --------------------------------------------------------------------------

    def feed(self, source: Source) -> None:
        url = source.location
        fetched = self.conditional_get(url)
        if fetched.not_modified:
            self.emit(ItemOutcome(source, url, "unchanged", "feed not modified (HTTP 304)"))
        else:
            feed = parse_feed(fetched.content, fetched.url)
            known: list[str] = []
            # Remember every entry before fetching any: an entry that fails now is retried
            # from this table later, whatever the feed says by then.
            with Session(self.db.engine) as session, session.begin():
                for item in feed.items:
                    entry = get_entry(session, item.url)
                    if entry is not None:
                        if entry.status != "pending":
                            known.append(item.url)
                        continue
                    brief_id = brief_id_for_url(session, item.url)
                    if brief_id is not None:
                        known.append(item.url)
                    add_entry(
                        session,
                        url,
                        item.url,
                        title=item.title,
                        published=item.published,
                        authors=item.authors,
                        source=feed.title,
                        brief_id=brief_id,
                    )
                    session.flush()
                save_validators(session, url, fetched.etag, fetched.last_modified)
            for entry_url in known:
                self.emit(ItemOutcome(source, entry_url, "unchanged", "seen in an earlier run"))
        with Session(self.db.engine, expire_on_commit=False) as session:
            pending = pending_entries(session, url)
        for entry in pending:
            self.entry(source, entry)

    def entry(self, source: Source, entry: FeedEntry) -> None:
        status, error, brief_id = "pending", None, None
        try:
            check_url(entry.url)
            fetched = self.fetcher.get(entry.url)
            defaults = Overrides(
                date=entry.published.isoformat() if entry.published else None,
                title=entry.title,
                source=entry.source,
            )
            result = ingest_fetched(self.db, fetched, defaults=defaults, authors=entry.authors)
        except (FetchError, StoreError) as exc:
            transient = isinstance(exc, StoreError) or (
                isinstance(exc, FetchError) and exc.transient
            )
            error = str(exc)
            if not transient:
                status = "failed"
            elif entry.attempts + 1 >= self.max_attempts:
                status, error = "failed", f"gave up after {entry.attempts + 1} attempts: {exc}"
            self.emit(ItemOutcome(source, entry.url, "failed", error))
        except InputError as exc:
            status, error = "failed", str(exc)
            self.emit(ItemOutcome(source, entry.url, "failed", error))
        except Exception as exc:  # a bug: keep the entry pending, go on with the others
            error = f"unexpected error ({type(exc).__name__}: {exc})"
            self.emit(
                ItemOutcome(source, entry.url, "failed", error, detail=traceback.format_exc())
            )
        else:
            status, brief_id = "stored", result.brief_id
            self.ingested(source, entry.url, result)
        finally:
            with Session(self.db.engine) as session, session.begin():
                row = session.get(FeedEntry, entry.id)
                if row is not None:
                    row.attempts += 1
                    row.status, row.error, row.brief_id = status, error, brief_id

    # -- pages and inboxes --------------------------------------------------------------

    def page(self, source: Source) -> None:
        url = source.location
        fetched = self.conditional_get(url)
        if fetched.not_modified:
            self.emit(ItemOutcome(source, url, "unchanged", "page not modified (HTTP 304)"))
            return
        try:
            result = ingest_fetched(self.db, fetched)
        except InputError:
            # The content itself is bad: remember the validators so that the same bad page
            # is reported once, not on every run; a changed page is read again.
            self._save(url, fetched.etag, fetched.last_modified)
            raise
        self._save(url, fetched.etag, fetched.last_modified)
        self.ingested(source, url, result)

    def _save(self, url: str, etag: str | None, last_modified: str | None) -> None:
        with Session(self.db.engine) as session, session.begin():
            save_validators(session, url, etag, last_modified)

    def inbox(self, source: Source) -> None:
        def on_file(outcome: Outcome) -> None:
            item = outcome.item
            if outcome.reason is not None:
                self.emit(ItemOutcome(source, item, "failed", outcome.reason))
            elif outcome.result is not None:
                self.ingested(source, item, outcome.result)

        process_inbox(self.db, Path(source.location), settle=self.settle, on_file=on_file)


def run_sources(
    db: Database,
    config: Config,
    fetcher: Fetcher | None = None,
    *,
    change_report: ChangeReport | None = None,
    on_item: OnItem | None = None,
    settle: float = SETTLE_SECONDS,
    max_attempts: int = MAX_ATTEMPTS,
    after: Callable[[RunReport], Sequence[ItemOutcome]] | None = None,
) -> RunReport:
    """Fetch every source of ``config`` once, ingest what is new, record the run.

    The caller holds the run lock (``tracker.ingest.lock.run_lock``). Failures are collected
    in the report, never raised, except a database that cannot record the run at all. With
    ``change_report``, each new brief's report is written before the run is recorded, so a
    report that fails counts among the run's failures. ``after`` runs once the sources are
    read and before the run is recorded (the alerts of ``tracker.app.watches``); the
    outcomes it returns count in the run like any item's.
    """
    run_id = start_run(db.engine)
    report = RunReport(run_id)
    own = fetcher is None
    client = fetcher or Fetcher(config.fetch)
    try:
        run = _Run(db, client, report, on_item, settle, max_attempts)
        for source in config.sources:
            run.source(source)
        if change_report is not None:
            for brief_id in report.new_brief_ids:
                try:
                    path = change_report(brief_id)
                except TrackerError as exc:
                    run.emit(ItemOutcome(None, f"brief {brief_id}", "failed", str(exc)))
                    continue
                if path is None:
                    report.notes.append(f"brief {brief_id}: no earlier year to compare with")
                else:
                    report.reports.append(path)
        if after is not None:
            for outcome in after(report):
                run.emit(outcome)
    finally:
        if own:
            client.close()
        finish_run(
            db.engine,
            run_id,
            new=report.count("new"),
            unchanged=report.count("unchanged"),
            failed=report.count("failed"),
            errors=report.errors,
            exit_status=report.exit_status,
        )
    return report
