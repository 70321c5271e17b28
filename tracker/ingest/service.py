"""Ingest one brief or a batch of them into a database."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from tracker.claims import extract_claims
from tracker.claims.tokens import FEATURES_VERSION, content_tokens
from tracker.claims.version import EXTRACTOR_VERSION
from tracker.dates import PRECISIONS, Precision, as_precision, format_date, precision_of
from tracker.errors import InputError, MetadataError, StoreError, TrackerError
from tracker.ingest.files import iter_brief_files as iter_brief_files
from tracker.ingest.files import store_paths as store_paths
from tracker.ingest.readers import Document, parse_date, read_document
from tracker.ingest.results import IngestFailure as IngestFailure
from tracker.ingest.results import IngestReport as IngestReport
from tracker.ingest.results import IngestResult as IngestResult
from tracker.ingest.results import MetadataDifference as MetadataDifference
from tracker.ingest.results import Skipped as Skipped
from tracker.store import archive
from tracker.store.archive import archive_raw
from tracker.store.db import Database
from tracker.store.models import Brief, Claim
from tracker.store.repo import add_brief, find_brief_by_hash

# Refuse files larger than this instead of reading them whole into memory.
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Overrides:
    """Metadata given on the command line (or a manifest row); wins over what the file says.

    ``date`` is ``YYYY-MM-DD``, ``YYYY-MM`` (month precision) or ``YYYY`` (year precision);
    ``date_precision`` overrides the precision the date string states (a manifest may give a
    first-of-month date with precision "month").
    """

    date: str | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    authors: tuple[str, ...] | None = None
    date_precision: Precision | None = None


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing before reading what is too large or not a regular file.

    The file is opened once and checked through that handle, so a file replaced between the
    folder walk and the read (by a directory, a FIFO, a bigger file) is judged as it is now.
    """
    limit = f"the {MAX_FILE_BYTES // 2**20} MB limit"
    try:
        # Non-blocking open: opening a FIFO named like a brief must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                kind = "a directory" if stat.S_ISDIR(st.st_mode) else "a device, FIFO or socket"
                raise InputError(f"not a regular file ({kind})")
            if st.st_size > MAX_FILE_BYTES:
                raise InputError(f"file is {st.st_size / 2**20:.0f} MB, larger than {limit}")
            # Read one byte past the limit: a file that grew since fstat is still refused
            # without reading it whole.
            chunks = []
            remaining = MAX_FILE_BYTES + 1
            while remaining > 0:
                chunk = os.read(fd, min(remaining, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                remaining -= len(chunk)
        finally:
            os.close(fd)
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from None
    data = b"".join(chunks)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"file is larger than {limit}")
    return data


def parse_dated(value: str, precision: str | None = None) -> tuple[dt.date, Precision]:
    """A user's date (``2024-04-12``, ``2024-04``, ``2024``, ...) and its precision;
    ``precision`` ("day", "month", "year"), when given, wins over what the string states."""
    if precision is not None and precision not in PRECISIONS:
        raise MetadataError(f"invalid date precision {precision!r} (use day, month or year)")
    return parse_date(value), as_precision(precision) if precision else precision_of(value)


def _apply_overrides(doc: Document, overrides: Overrides) -> None:
    if overrides.date:
        doc.date, doc.date_precision = parse_dated(overrides.date, overrides.date_precision)
        doc.date_source = "--date"
    elif overrides.date_precision and doc.date is not None:
        doc.date_precision = as_precision(overrides.date_precision)
    if overrides.title:
        doc.title = overrides.title
    if overrides.source:
        doc.source = overrides.source
    if overrides.url:
        doc.url = overrides.url
    if overrides.authors:
        doc.authors = list(overrides.authors)


def _differences(existing: Brief, doc: Document) -> tuple[MetadataDifference, ...]:
    """What ``doc`` (after overrides) says differently from the stored brief.

    Only what the ingest states is compared: a file without a source does not differ from a
    brief stored with one. Authors are left out (``briefs edit`` does not change them).
    """
    found: list[MetadataDifference] = []
    if doc.date is not None:
        stored = format_date(existing.date, existing.date_precision)
        given = format_date(doc.date, doc.date_precision)
        if stored != given:
            found.append(MetadataDifference("date", stored, given))
    title = (doc.title or "").strip()[:500]
    if title and title != existing.title:
        found.append(MetadataDifference("title", existing.title, title))
    if doc.source and doc.source != existing.source:
        found.append(MetadataDifference("source", existing.source or "", doc.source))
    if doc.url and doc.url != existing.url:
        found.append(MetadataDifference("url", existing.url or "", doc.url))
    return tuple(found)


def _already_stored(
    db: Database, path: Path, content_hash: str, doc: Document | None = None
) -> IngestResult | None:
    """The "already present" result for content that is stored, else None; with ``doc``, it
    lists the metadata that ``doc`` states differently."""
    with Session(db.engine) as session:
        existing = find_brief_by_hash(session, content_hash)
        if existing is None:
            return None
        claims = session.scalar(select(func.count()).where(Claim.brief_id == existing.id)) or 0
        return IngestResult(
            path,
            "duplicate",
            existing.id,
            existing.title,
            existing.date,
            claims,
            date_precision=as_precision(existing.date_precision),
            differences=_differences(existing, doc) if doc is not None else (),
        )


def _apply_defaults(doc: Document, defaults: Overrides) -> None:
    """Fill what the document does not say itself (a feed entry's title, date, authors)."""
    if doc.date is None and defaults.date:
        doc.date, doc.date_precision = parse_dated(defaults.date, defaults.date_precision)
        doc.date_source = "feed entry"
    if not doc.title and defaults.title:
        doc.title = defaults.title
    if not doc.source and defaults.source:
        doc.source = defaults.source
    if not doc.url and defaults.url:
        doc.url = defaults.url


def ingest_file(db: Database, path: Path, overrides: Overrides | None = None) -> IngestResult:
    """Ingest one brief in one transaction; raises ``TrackerError`` on a bad brief."""
    return ingest_bytes(db, path, _read_bytes(path), overrides)


def ingest_bytes(
    db: Database,
    path: Path,
    data: bytes,
    overrides: Overrides | None = None,
    defaults: Overrides | None = None,
    authors: Sequence[str] = (),
) -> IngestResult:
    """Ingest the bytes of one brief (read from ``path``, or fetched and named by it).

    ``overrides`` win over what the document says; ``defaults`` and ``authors`` only fill
    what it leaves out. Raises ``TrackerError`` on a bad brief.
    """
    overrides = overrides or Overrides()
    doc = read_document(path, data)
    _apply_overrides(doc, overrides)
    if defaults is not None:
        _apply_defaults(doc, defaults)
    if not doc.authors and authors:
        doc.authors = list(authors)
    if doc.date is None:
        raise MetadataError(
            "no date found in the file's metadata or name; give one with --date YYYY-MM-DD"
        )
    title = (doc.title or path.stem).strip()[:500]
    content_hash = archive.content_hash(doc.text)

    stored = _already_stored(db, path, content_hash, doc)
    if stored is not None:
        return stored

    claims = extract_claims(doc.text, hard_wrapped=doc.hard_wrapped)
    if not claims:
        raise InputError("no sentence found in the text")
    try:
        archive_path = archive_raw(db.archive_root, data, doc.date.year, doc.format)
    except OSError as exc:
        raise StoreError(f"cannot archive under {db.archive_root}: {exc.strerror or exc}") from None
    brief = Brief(
        title=title,
        date=doc.date,
        date_precision=doc.date_precision,
        source=doc.source,
        url=doc.url,
        authors=doc.authors,
        content_hash=content_hash,
        archive_path=archive_path,
        format=doc.format,
        word_count=len(doc.text.split()),
        text=doc.text,
        ingested_at=dt.datetime.now(dt.UTC),
        extractor_version=EXTRACTOR_VERSION,
    )
    try:
        with Session(db.engine) as session, session.begin():
            brief_id = add_brief(
                session,
                brief,
                claims,
                tokens=[" ".join(content_tokens(c.norm_text)) for c in claims],
                tokens_version=FEATURES_VERSION,
            )
    except IntegrityError:
        # Another process stored the same content between our check and our insert.
        stored = _already_stored(db, path, content_hash, doc)
        if stored is None:
            raise
        return stored
    except OperationalError as exc:
        raise StoreError(f"database write failed: {exc.orig}") from None
    return IngestResult(
        path,
        "stored",
        brief_id,
        title,
        doc.date,
        len(claims),
        date_precision=doc.date_precision,
        date_source=doc.date_source,
    )


OnFile = Callable[[Path | IngestFailure, IngestResult | IngestFailure], None]


def ingest_paths(
    db: Database,
    paths: Sequence[Path],
    overrides: Overrides | None = None,
    on_file: OnFile | None = None,
) -> IngestReport:
    """Ingest every brief found under ``paths``; failures are collected, never raised.

    ``on_file`` is called after each file (for progress display).
    """
    return ingest_items(db, iter_brief_files(paths), overrides, on_file)


def ingest_items(
    db: Database,
    items: Iterable[Path | IngestFailure],
    overrides: Overrides | None = None,
    on_file: OnFile | None = None,
) -> IngestReport:
    """Ingest files already listed by ``iter_brief_files`` (a caller that needs the count
    first, for a progress bar, walks the folders once, not twice).

    A bad brief is collected as a failure; a ``StoreError`` (the store itself failed) stops
    the batch and is raised.
    """
    report = IngestReport()
    for item in items:
        outcome = item if isinstance(item, IngestFailure) else ingest_one(db, item, overrides)
        if isinstance(outcome, IngestFailure):
            report.failures.append(outcome)
        else:
            report.results.append(outcome)
        if on_file is not None:
            on_file(item, outcome)
    return report


def ingest_one(
    db: Database, path: Path, overrides: Overrides | None = None
) -> IngestResult | IngestFailure:
    """Ingest one file of a batch: a bad brief is returned as a failure, not raised.

    A ``StoreError`` (the database or the archive failed: full, read-only, locked) is raised:
    every later brief would fail the same way, so the batch stops; briefs stored so far stay
    committed.
    """
    try:
        return ingest_file(db, path, overrides)
    except StoreError:
        raise
    except TrackerError as exc:
        return IngestFailure(path, str(exc))
