"""Ingest one brief or a batch of them into a database."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from tracker.claims import extract_claims
from tracker.claims.normalize import canonical_document
from tracker.compare.features import FEATURES_VERSION, content_tokens
from tracker.errors import InputError, MetadataError, StoreError, TrackerError
from tracker.ingest.archive import archive_raw
from tracker.ingest.readers import SUPPORTED_SUFFIXES, Document, parse_date, read_document
from tracker.store.db import Database
from tracker.store.models import Brief, Claim
from tracker.store.repo import add_brief, find_brief_by_hash

# Refuse files larger than this instead of reading them whole into memory.
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Overrides:
    """Metadata given on the command line; wins over what the file says."""

    date: str | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class IngestResult:
    """The outcome of one brief that was read successfully."""

    path: Path
    status: Literal["stored", "duplicate"]
    brief_id: int
    title: str
    date: dt.date
    claims: int
    # Where the date came from ("front matter", "--date", ...); None for a brief already
    # present, whose date is the stored one.
    date_source: str | None = None


@dataclass(frozen=True)
class IngestFailure:
    """A brief that could not be ingested, with a one-line reason."""

    path: Path
    reason: str


@dataclass
class IngestReport:
    """Outcomes of a batch, in the order the files were processed."""

    results: list[IngestResult] = field(default_factory=list)
    failures: list[IngestFailure] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return sum(r.status == "stored" for r in self.results)

    @property
    def duplicates(self) -> int:
        return sum(r.status == "duplicate" for r in self.results)


@dataclass(frozen=True)
class Skipped:
    """A folder entry that is not a brief (unsupported type, hidden), left alone."""

    path: Path
    reason: str


def iter_brief_files(
    paths: Sequence[Path],
    *,
    skip: Sequence[Path] = (),
    skipped: list[Skipped] | None = None,
) -> Iterator[Path | IngestFailure]:
    """Expand files and folders (recursively, sorted, hidden entries skipped).

    Folders yield only files with a supported suffix; a file named explicitly is always tried.
    Entries of a folder that are left out (hidden, unsupported type, a dangling link) are
    appended to ``skipped`` when it is given, so that the caller can say so.
    Problems with a path (missing, a symlink loop) are yielded as failures, not raised.
    Folders in ``skip`` are left out silently: the store's own archive, when the database
    lives inside the folder being ingested, holds copies of briefs, not new ones.
    """
    skip_keys = set()
    for folder in skip:
        try:
            st = folder.stat()
        except OSError:
            continue
        skip_keys.add((st.st_dev, st.st_ino))
    noted = skipped if skipped is not None else []
    for path in paths:
        if not path.exists():
            yield IngestFailure(path, "no such file or directory")
        elif path.is_dir():
            seen: set[tuple[int, int]] = set()
            yield from _walk(path, seen, skip_keys, noted)
        else:
            yield path


def _walk(
    folder: Path,
    seen: set[tuple[int, int]],
    skip: set[tuple[int, int]],
    skipped: list[Skipped],
) -> Iterator[Path | IngestFailure]:
    try:
        st = folder.stat()
    except OSError as exc:
        yield IngestFailure(folder, exc.strerror or str(exc))
        return
    key = (st.st_dev, st.st_ino)
    if key in skip:
        return
    if key in seen:  # a symlink loop would otherwise recurse forever
        yield IngestFailure(folder, "symlink loop (folder already visited)")
        return
    seen.add(key)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield IngestFailure(folder, exc.strerror or str(exc))
        return
    for entry in entries:
        path = Path(entry.path)
        suffix = path.suffix.lower()
        try:
            is_dir = entry.is_dir()
        except OSError as exc:
            if exc.errno == errno.ELOOP and suffix not in SUPPORTED_SUFFIXES:
                skipped.append(Skipped(path, "symlink loop"))
            else:
                yield IngestFailure(path, exc.strerror or str(exc))
            continue
        if entry.name.startswith("."):
            skipped.append(Skipped(path, "hidden folder" if is_dir else "hidden file"))
        elif is_dir:
            yield from _walk(path, seen, skip, skipped)
        elif suffix in SUPPORTED_SUFFIXES:
            yield path
        elif _key(path) in skip:
            continue
        elif entry.is_symlink() and not path.exists():
            # A link to nowhere, or a loop of links: say what it is, not its "type".
            skipped.append(Skipped(path, _dangling(path)))
        else:
            skipped.append(Skipped(path, f"unsupported type {suffix or '(no suffix)'}"))


def _key(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _dangling(path: Path) -> str:
    """Why a symlink that leads to no file leads nowhere."""
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop"
        return f"broken symlink ({exc.strerror or exc})"
    return "broken symlink"


def store_paths(db: Database) -> list[Path]:
    """The store's own files and folders, which a walk of the folder holding them leaves out.

    Its archive (copies of briefs, not new ones) and, for SQLite, the database file, its
    journals, the ingest lock and the sources file beside it: none of them is a brief, and
    listing them as skipped on every run would only be noise.
    """
    paths = [db.archive_root]
    parsed = make_url(db.url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        database = Path(str(parsed.database))
        suffixes = ("", "-wal", "-shm", "-journal", ".ingest-lock")
        paths += [database.with_name(database.name + s) for s in suffixes]
        paths.append(database.with_name("tracker.toml"))
    return paths


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


def _apply_overrides(doc: Document, overrides: Overrides) -> None:
    if overrides.date:
        doc.date = parse_date(overrides.date)
        doc.date_source = "--date"
    if overrides.title:
        doc.title = overrides.title
    if overrides.source:
        doc.source = overrides.source
    if overrides.url:
        doc.url = overrides.url


def _already_stored(db: Database, path: Path, content_hash: str) -> IngestResult | None:
    """The "already present" result for content that is stored, else None."""
    with Session(db.engine) as session:
        existing = find_brief_by_hash(session, content_hash)
        if existing is None:
            return None
        claims = session.scalar(select(func.count()).where(Claim.brief_id == existing.id)) or 0
        return IngestResult(path, "duplicate", existing.id, existing.title, existing.date, claims)


def _apply_defaults(doc: Document, defaults: Overrides) -> None:
    """Fill what the document does not say itself (a feed entry's title, date, authors)."""
    if doc.date is None and defaults.date:
        doc.date = parse_date(defaults.date)
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
    content_hash = hashlib.sha256(canonical_document(doc.text).encode("utf-8")).hexdigest()

    stored = _already_stored(db, path, content_hash)
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
        source=doc.source,
        url=doc.url,
        authors=doc.authors,
        content_hash=content_hash,
        archive_path=archive_path,
        format=doc.format,
        word_count=len(doc.text.split()),
        text=doc.text,
        ingested_at=dt.datetime.now(dt.UTC),
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
        stored = _already_stored(db, path, content_hash)
        if stored is None:
            raise
        return stored
    except OperationalError as exc:
        raise StoreError(f"database write failed: {exc.orig}") from None
    return IngestResult(path, "stored", brief_id, title, doc.date, len(claims), doc.date_source)


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
        outcome: IngestResult | IngestFailure
        if isinstance(item, IngestFailure):
            outcome = item
        else:
            try:
                outcome = ingest_file(db, item, overrides)
            except StoreError:
                # The database or the archive failed (full, read-only, locked): every later
                # brief would fail the same way, so stop; briefs stored so far are committed.
                raise
            except TrackerError as exc:
                outcome = IngestFailure(item, str(exc))
        if isinstance(outcome, IngestFailure):
            report.failures.append(outcome)
        else:
            report.results.append(outcome)
        if on_file is not None:
            on_file(item, outcome)
    return report
