"""Which files a batch ingests: files and folders expanded (recursively, sorted), the
store's own files left out, and what was left out said."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from sqlalchemy.engine import make_url

from tracker.ingest.readers import SUPPORTED_SUFFIXES
from tracker.ingest.results import IngestFailure, Skipped
from tracker.store.db import Database


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
