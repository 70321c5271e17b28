"""Change reports after a run: each new brief against the most recent earlier year."""

from __future__ import annotations

from pathlib import Path

from tracker.app.diffs import diff
from tracker.errors import StoreError
from tracker.fsutil import write_atomically
from tracker.report import render
from tracker.store.db import Database
from tracker.store.repo import year_before


def write_change_report(db: Database, brief_id: int, folder: Path) -> Path | None:
    """Write the HTML change report of a brief against the most recent earlier year, as
    ``brief-<id>-vs-<year>.html`` in ``folder``.

    Returns the file written, or None when no earlier year has briefs.
    """
    brief, _, year = year_before(db.engine, brief_id)
    if year is None:
        return None
    result = diff(db, str(year), f"brief:{brief}")
    path = folder / f"brief-{brief}-vs-{year}.html"
    try:
        write_atomically(path, render(result, "html").encode("utf-8"))
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
