"""The brief listing of ``tracker briefs``: the command typed most, so it starts fast.

Two ways to the same rows. ``quick_list_briefs`` reads an SQLite file with the standard
library's sqlite3, read-only, and answers only when all is well: the file exists, opens, is
stamped exactly with the shipped schema heads and is not locked. Anything else (a server URL,
an older or newer schema, a locked, corrupt or unreadable file) gives None, and the command
takes ``list_briefs`` through ``open_database``, which migrates, refuses or reports the
problem in its usual one line, so the quick path never has to word an error. Importing
SQLAlchemy alone takes ~0.16 s on an idle two-core machine, more than the rest of the
command; ``list_briefs`` uses SQLAlchemy Core (no ORM, another ~0.1 s).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.dates import Precision, as_precision, format_date
from tracker.store.revisions import shipped_heads

if TYPE_CHECKING:
    from sqlalchemy import Engine


@dataclass(frozen=True)
class BriefSummary:
    """A brief as listed by ``tracker briefs``."""

    id: int
    date: dt.date
    title: str
    source: str | None
    claims: int
    date_precision: Precision = "day"
    extractor_version: int = 1
    url: str | None = None

    @property
    def shown_date(self) -> str:
        """The date as precise as it is known (``2024-04`` for a month)."""
        return format_date(self.date, self.date_precision)


def list_briefs(engine: Engine) -> list[BriefSummary]:
    """All briefs, oldest first, with their claim counts."""
    from sqlalchemy import Date, Integer, String, column, func, select, table

    # Lightweight tables naming only the columns read here; models.Brief/Claim are the schema.
    briefs = table(
        "briefs",
        column("id", Integer),
        column("date", Date),
        column("title", String),
        column("source", String),
        column("url", String),
        column("date_precision", String),
        column("extractor_version", Integer),
    )
    claims = table("claims", column("id", Integer), column("brief_id", Integer))
    counts = (
        select(claims.c.brief_id, func.count(claims.c.id).label("n"))
        .group_by(claims.c.brief_id)
        .subquery()
    )
    b = briefs.c
    stmt = (
        select(
            b.id,
            b.date,
            b.title,
            b.source,
            func.coalesce(counts.c.n, 0),
            b.date_precision,
            b.extractor_version,
            b.url,
        )
        .select_from(briefs.outerjoin(counts, counts.c.brief_id == b.id))
        .order_by(b.date, b.id)
    )
    with engine.connect() as conn:
        return [_summary(*row) for row in conn.execute(stmt).all()]


def _summary(
    bid: int,
    day: dt.date,
    title: str,
    source: str | None,
    claims: int,
    precision: str | None,
    version: int | None,
    url: str | None,
) -> BriefSummary:
    return BriefSummary(
        bid, day, title, source, claims, as_precision(precision or "day"), version or 1, url
    )


_QUICK_LIST = """
SELECT b.id, b.date, b.title, b.source, COALESCE(n.claims, 0), b.date_precision,
       b.extractor_version, b.url
FROM briefs AS b
LEFT JOIN (SELECT brief_id, COUNT(id) AS claims FROM claims GROUP BY brief_id) AS n
  ON n.brief_id = b.id
ORDER BY b.date, b.id
"""


def sqlite_path(value: str | None) -> Path | None:
    """The SQLite file that ``--db`` / ``TRACKER_DB`` / the default name as a plain path;
    None for a URL (``sqlite:///...`` too: the full path reads those)."""
    raw = value or os.environ.get("TRACKER_DB") or "tracker.db"
    if "://" in raw:
        return None
    return Path(raw).expanduser().resolve()


def quick_list_briefs(path: Path) -> list[BriefSummary] | None:
    """``list_briefs`` of an SQLite file by the standard library; None when the full path
    must answer (see the module docstring)."""
    # A lock-wait setting (db.BUSY_TIMEOUT_VAR) is for the full path to honour, or to refuse
    # when malformed; this path never waits.
    if not path.is_file() or os.environ.get("TRACKER_BUSY_TIMEOUT", "").strip():
        return None
    try:
        # mode=ro never creates or changes anything; timeout 0: a lock goes the full path.
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=0)
    except sqlite3.Error:
        return None
    try:
        stamp = {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
        if stamp != shipped_heads():
            return None
        return [
            _summary(bid, dt.date.fromisoformat(day), *rest)
            for bid, day, *rest in conn.execute(_QUICK_LIST)
        ]
    except (sqlite3.Error, ValueError, TypeError):
        return None
    finally:
        conn.close()
