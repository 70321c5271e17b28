"""Verify a store: schema, database integrity, the raw archive, and claims against their briefs.

``check_store`` reads everything and returns the problems it finds, one line each; it never
writes. What is checked and why:

- the schema is at the head revision this code knows (older: upgrade; newer: refuse);
- SQLite's own ``integrity_check`` and ``foreign_key_check`` (pages, indexes, orphans);
- every brief's archived raw file is a plain relative path under ``snapshots/``, exists, and
  its name is the prefix of the SHA-256 of its bytes (the archive is content-addressed);
- every brief's text still hashes to its ``content_hash``;
- every brief has claims, numbered 0..n-1, whose spans lie inside the text and whose text is
  the span's text (cleanup may drop markup and fold white space, never add characters);
- every quantity belongs to a claim of the same brief and its span lies inside that claim.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from tracker.errors import StoreError
from tracker.store.archive import content_hash, is_archive_name, matches_name
from tracker.store.db import ARCHIVE_VAR, Database, alembic_config, current_heads
from tracker.store.models import Brief, Claim, QuantityRow

# Integrity problems beyond this many are summarised: a badly damaged file lists thousands.
_MAX_SQLITE_ROWS = 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the store: where (a brief, a file, the database) and what."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def derived_from(claim_text: str, span_text: str) -> bool:
    """Whether ``claim_text`` can have come from ``span_text`` by cleanup.

    Cleanup drops characters (link syntax, escapes, emphasis marks) and folds white space, but
    never adds or reorders characters, and a claim starts and ends on characters of its span.
    """
    if not claim_text or not span_text:
        return False
    if claim_text[0] != span_text[0] or claim_text[-1] != span_text[-1]:
        return False
    remaining = iter(span_text)
    return all(ch in remaining for ch in claim_text if not ch.isspace())


def archive_warning(db: Database) -> str | None:
    """Why ``db``'s archive may not be where other users of the store look, or None.

    A server database with no archive folder set archives in ./snapshots of the working
    directory: still works, so it is a warning, not a problem, but another host (or a cron
    job started elsewhere) archives into another folder and sees this one's files as missing.
    """
    if not db.archive_in_cwd:
        return None
    return (
        f"the archive {db.archive_root} is relative to the working directory; other hosts "
        f"and directories sharing this database archive elsewhere: set {ARCHIVE_VAR} (or "
        "--archive) to one shared folder"
    )


def check_store(db: Database) -> list[Problem]:
    """Every problem found in ``db`` and its archive, in a stable order.

    Raises ``StoreError`` only when the database cannot be read at all (not a database, no
    such file); a database that opens but is damaged is reported as problems.
    """
    try:
        problems = _check_schema(db.engine)
        if problems:
            return problems  # the checks below read tables a wrong schema may not have
        problems += _check_sqlite(db.engine)
    except (OperationalError, DatabaseError) as exc:
        reason = str(exc.orig) if getattr(exc, "orig", None) else str(exc)
        url = db.engine.url.render_as_string(hide_password=True)
        raise StoreError(f"{url}: {reason}") from None
    except StoreError as exc:
        return [Problem("database", f"integrity check failed: {exc}")]
    try:
        problems += list(_check_briefs(db))
        problems += _check_orphans(db.engine)
    except (StoreError, OperationalError, DatabaseError) as exc:
        # A damaged page that the integrity check did not reach: report it, do not crash.
        reason = getattr(exc, "orig", None) or str(exc).splitlines()[0]
        problems.append(Problem("database", f"cannot read every brief: {reason}"))
    return problems


def _check_schema(engine: Engine) -> list[Problem]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    heads = set(current_heads(engine))
    expected = set(script.get_heads())
    if heads == expected:
        return []
    if not heads:
        return [Problem("database", "blank (no schema); ingest a brief or run: tracker db upgrade")]
    known = {rev for rev in heads if _known(script, rev)}
    if known != heads:
        unknown = ", ".join(sorted(heads - known))
        return [Problem("database", f"schema revision {unknown} is newer than this tracker")]
    return [
        Problem(
            "database",
            f"schema at {', '.join(sorted(heads))}, not at head {', '.join(sorted(expected))} "
            "(run: tracker db upgrade)",
        )
    ]


def _known(script: object, rev: str) -> bool:
    try:
        script.get_revision(rev)  # type: ignore[attr-defined]
    except Exception:
        return False
    return True


def _check_sqlite(engine: Engine) -> list[Problem]:
    if engine.dialect.name != "sqlite":
        return []
    problems: list[Problem] = []
    with engine.connect() as conn:
        rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").all()]
        if rows != ["ok"]:
            for row in rows[:_MAX_SQLITE_ROWS]:
                problems.append(Problem("database", f"integrity check: {row}"))
            if len(rows) > _MAX_SQLITE_ROWS:
                problems.append(
                    Problem("database", f"integrity check: {len(rows) - _MAX_SQLITE_ROWS} more")
                )
        for table, rowid, parent, _fk in conn.exec_driver_sql("PRAGMA foreign_key_check").all():
            problems.append(
                Problem("database", f"{table} row {rowid} refers to a missing {parent} row")
            )
    return problems


def _check_briefs(db: Database) -> Iterator[Problem]:
    with Session(db.engine) as session:
        ids = session.scalars(select(Brief.id).order_by(Brief.id)).all()
    for brief_id in ids:
        # One brief at a time: a large store is checked in bounded memory.
        with Session(db.engine) as session:
            brief = session.get(Brief, brief_id)
            assert brief is not None
            where = f"brief {brief.id}"
            yield from _check_archive(db.archive_root, where, brief.archive_path)
            if content_hash(brief.text) != brief.content_hash:
                yield Problem(where, "text does not match its content hash")
            claims = session.scalars(
                select(Claim).where(Claim.brief_id == brief.id).order_by(Claim.ordinal)
            ).all()
            yield from _check_claims(where, brief.text, claims)
            claim_spans = {c.id: (c.ordinal, c.start, c.end) for c in claims}
            quantities = session.scalars(
                select(QuantityRow)
                .join(Claim, QuantityRow.claim_id == Claim.id)
                .where(Claim.brief_id == brief.id)
                .order_by(QuantityRow.id)
            ).all()
            for q in quantities:
                ordinal, start, end = claim_spans[q.claim_id]
                if not start <= q.start < q.end <= end:
                    yield Problem(
                        where,
                        f"quantity {q.id} span [{q.start}:{q.end}] is outside claim "
                        f"{ordinal + 1} [{start}:{end}]",
                    )
                elif not derived_from(q.raw, brief.text[q.start : q.end]):
                    yield Problem(
                        where, f"quantity {q.id} text does not match its span [{q.start}:{q.end}]"
                    )


def _check_archive(root: Path, where: str, archive_path: str) -> Iterator[Problem]:
    if not is_archive_name(archive_path):
        yield Problem(where, f"archive path {archive_path!r} is not a snapshots/<year>/<hash> name")
        return
    path = root / archive_path
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        yield Problem(where, f"archived file missing: {path}")
        return
    except OSError as exc:
        yield Problem(where, f"archived file unreadable: {path}: {exc.strerror or exc}")
        return
    if not matches_name(archive_path, data):
        yield Problem(where, f"archived file does not match its hash: {path}")


def _check_claims(where: str, text: str, claims: Sequence[Claim]) -> Iterator[Problem]:
    if not claims:
        yield Problem(where, "has no claims")
        return
    ordinals = [c.ordinal for c in claims]
    if ordinals != list(range(len(claims))):
        yield Problem(
            where, f"claim ordinals are not 0..{len(claims) - 1} in order: {_short(ordinals)}"
        )
    for c in claims:
        label = f"claim {c.ordinal + 1}"
        if not 0 <= c.start < c.end <= len(text):
            yield Problem(
                where, f"{label} span [{c.start}:{c.end}] is outside the text ({len(text)} chars)"
            )
        elif not derived_from(c.text, text[c.start : c.end]):
            yield Problem(where, f"{label} text does not match its span [{c.start}:{c.end}]")


def _check_orphans(engine: Engine) -> list[Problem]:
    """Rows whose parent is gone (only possible if foreign keys were off when it was deleted).

    SQLite's ``foreign_key_check`` finds these too; this also covers other databases.
    """
    if engine.dialect.name == "sqlite":
        return []
    problems: list[Problem] = []
    with Session(engine) as session:
        for claim_id, brief_id in session.execute(
            select(Claim.id, Claim.brief_id)
            .outerjoin(Brief, Claim.brief_id == Brief.id)
            .where(Brief.id.is_(None))
        ):
            problems.append(
                Problem("database", f"claim {claim_id} refers to missing brief {brief_id}")
            )
        for q_id, claim_id in session.execute(
            select(QuantityRow.id, QuantityRow.claim_id)
            .outerjoin(Claim, QuantityRow.claim_id == Claim.id)
            .where(Claim.id.is_(None))
        ):
            problems.append(
                Problem("database", f"quantity {q_id} refers to missing claim {claim_id}")
            )
    return problems


def _short(values: list[int], limit: int = 8) -> str:
    shown = ", ".join(str(v) for v in values[:limit])
    return shown + (", ..." if len(values) > limit else "")
