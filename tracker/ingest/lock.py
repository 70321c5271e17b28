"""The lock that keeps two overlapping cron runs from ingesting the same store at once.

``run_lock`` is the one place to change how runs exclude each other. Today it is a lock file
beside the SQLite database (or beside ``tracker.toml`` for a server database), which is
exact for SQLite and covers runs on one machine for the others; on PostgreSQL it also takes
a session-level advisory lock, so runs on different machines sharing one database exclude
each other too.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from tracker.errors import RunLocked
from tracker.store.db import Database

# Seconds a second run waits for the first before giving up with RunLocked.
DEFAULT_WAIT = 10.0
# Advisory lock key: a fixed number so that every tracker agrees on it.
_PG_LOCK_KEY = zlib.crc32(b"tracker ingest --sources")


def lock_path(db: Database, config_path: Path) -> Path:
    """The lock file: beside an SQLite database file, else beside the sources file."""
    parsed = make_url(db.url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        database = Path(str(parsed.database)).resolve()
        return database.with_name(database.name + ".ingest-lock")
    return config_path.with_name(config_path.name + ".ingest-lock")


@contextmanager
def run_lock(db: Database, config_path: Path, wait: float = DEFAULT_WAIT) -> Iterator[Path]:
    """Hold the ingest lock for the ``with`` block; raise ``RunLocked`` after ``wait`` s."""
    from filelock import FileLock, Timeout

    path = lock_path(db, config_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise RunLocked(
            f"another tracker run holds {path}; waited {wait:g} s, not ingesting"
        ) from None
    try:
        if db.engine.dialect.name == "postgresql":
            with _advisory_lock(db, wait):
                yield path
        else:
            yield path
    finally:
        lock.release()


@contextmanager
def _advisory_lock(db: Database, wait: float) -> Iterator[None]:
    """A PostgreSQL session advisory lock, held on its own connection for the run."""
    deadline = time.monotonic() + wait
    with db.engine.connect() as conn:
        while not conn.execute(
            text("SELECT pg_try_advisory_lock(:k)"), {"k": _PG_LOCK_KEY}
        ).scalar():
            if time.monotonic() >= deadline:
                raise RunLocked(
                    f"another tracker run holds the database's ingest lock; "
                    f"waited {wait:g} s, not ingesting"
                )
            time.sleep(0.5)
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
            conn.commit()
