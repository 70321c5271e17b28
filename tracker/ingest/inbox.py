"""An inbox folder: every file dropped in is ingested, then moved beside the inbox.

Files go to ``done/`` (stored, or already present) or ``failed/`` (with the reason reported),
two folders next to the inbox, keeping their path below it. Nothing is ever deleted or
overwritten: a name already taken in ``done/`` becomes ``name-2.ext``, ``name-3.ext``...
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from tracker.errors import InputError, TrackerError
from tracker.ingest.results import IngestResult, Outcome
from tracker.ingest.service import ingest_file
from tracker.store.db import Database

# A file modified more recently than this may still be being copied in; it waits for the
# next run. Tools that write to a hidden name and rename it are never caught half-way.
SETTLE_SECONDS = 5.0


def sibling_folders(inbox: Path) -> tuple[Path, Path]:
    """The ``done/`` and ``failed/`` folders beside ``inbox``."""
    return inbox.parent / "done", inbox.parent / "failed"


def _files(folder: Path, settle: float) -> Iterator[Path]:
    """Regular, non-hidden files under ``folder``, sorted, settled for ``settle`` seconds."""
    now = time.time()
    for dirpath, dirnames, filenames in os.walk(folder):
        # Hidden folders are skipped, and so is a symlinked folder (os.walk does not follow).
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith(".") or not path.is_file():
                continue
            try:
                if now - path.stat().st_mtime < settle:
                    continue
            except OSError:
                continue  # vanished: nothing to do
            yield path


def free_name(target: Path) -> Path:
    """``target``, or ``stem-2.ext``, ``stem-3.ext``... whichever does not exist yet."""
    if not target.exists():
        return target
    n = 2
    while True:
        candidate = target.with_name(f"{target.stem}-{n}{target.suffix}")
        if not candidate.exists():
            return candidate
        n += 1


def move_without_overwriting(path: Path, folder: Path) -> Path:
    """Move ``path`` into ``folder`` under a free name; return the new path.

    A hard link refuses an existing name atomically; where links are not possible (another
    file system) the rename happens under the run lock, after the free name was found.
    """
    folder.mkdir(parents=True, exist_ok=True)
    while True:
        target = free_name(folder / path.name)
        try:
            os.link(path, target)
        except FileExistsError:
            continue  # taken between the check and the link: try the next name
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.EPERM, errno.ENOTSUP, errno.EMLINK):
                raise
            import shutil

            shutil.move(str(path), str(target))
            return target
        path.unlink()
        return target


def process_inbox(
    db: Database,
    inbox: Path,
    *,
    settle: float = SETTLE_SECONDS,
    on_file: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Ingest every settled file in ``inbox`` and move it to ``done/`` or ``failed/``.

    A missing inbox is an ``InputError``; a file that cannot be moved is reported, left in
    place, and tried again next run (its brief, if stored, is found as already present).
    """
    if not inbox.is_dir():
        raise InputError(f"{inbox}: inbox folder not found")
    done, failed = sibling_folders(inbox)
    outcomes = []
    for path in _files(inbox, settle):
        relative = path.parent.relative_to(inbox)
        result: IngestResult | None = None
        reason: str | None = None
        try:
            result = ingest_file(db, path)
        except TrackerError as exc:
            reason = str(exc)
        destination = (done if result is not None else failed) / relative
        try:
            moved: Path | None = move_without_overwriting(path, destination)
        except OSError as exc:
            moved = None
            note = f"cannot move to {destination}: {exc.strerror or exc}"
            reason = f"{reason}; {note}" if reason else note
        outcome = Outcome(str(path), result, reason, moved_to=moved)
        outcomes.append(outcome)
        if on_file is not None:
            on_file(outcome)
    return outcomes
