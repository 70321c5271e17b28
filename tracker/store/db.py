"""Open a tracker database: resolve the URL, configure SQLite, migrate to head on first use.

A user never runs an init step: ``open_database`` creates the schema or upgrades it with the
Alembic revisions shipped in ``migrations/``. A database stamped with a revision this code does
not know (written by a newer tracker) is refused rather than touched.

Alembic is imported only to migrate: on every other start the stamped revision is read with
one SELECT and compared with ``revisions.shipped_heads()`` (a text scan of
``migrations/versions``), which keeps alembic's ~0.2 s import out of every command's start-up.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError

from tracker.errors import StoreError
from tracker.resources import resource_dir
from tracker.store.revisions import shipped_heads

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy.orm import Session

DEFAULT_DB = "tracker.db"
ENV_VAR = "TRACKER_DB"
ARCHIVE_VAR = "TRACKER_ARCHIVE"
# Seconds a writer waits for another process's lock before SQLite gives up; the environment
# variable overrides it (a cron job may want longer, a test much shorter).
SQLITE_BUSY_TIMEOUT = 30.0
BUSY_TIMEOUT_VAR = "TRACKER_BUSY_TIMEOUT"
# What SQLite says (substring of its message) → what the user is told. Checked on every
# database error of every command, so a locked, full, read-only or corrupt database is one
# line, never a traceback, whichever statement met it.
_SQLITE_FAULTS = (
    (
        "database is locked",
        "database is locked by another process (gave up after {timeout:g} s; "
        f"{BUSY_TIMEOUT_VAR} sets how long to wait)",
    ),
    ("readonly database", "the database is read-only (attempt to write a readonly database)"),
    ("database or disk is full", "the disk is full (database or disk is full)"),
    ("disk I/O error", "disk I/O error"),
    (
        "malformed",
        "the database file is corrupt (database disk image is malformed); restore it from a backup",
    ),
    ("file is not a database", "file is not a database"),
    (
        "unable to open database file",
        "cannot open the database file (unable to open database file: no permission, or a "
        "read-only file system)",
    ),
)
_READ_ONLY = (
    "the database is read-only: SQLite must write to {path} and its folder (WAL mode), even to read"
)


@dataclass(frozen=True)
class Database:
    """An open database and the archive folder (``snapshots/``) that belongs to it."""

    engine: Engine
    url: str
    archive_root: Path
    # True when no folder was set and the store has no file to sit beside, so the archive is
    # ./snapshots of the directory this process started in: other hosts sharing the database
    # (and this host run from elsewhere) archive somewhere else.
    archive_in_cwd: bool = False


def resolve_url(value: str | None) -> str:
    """Turn ``--db`` / ``TRACKER_DB`` / the default into an SQLAlchemy URL.

    A value without ``://`` is a path to an SQLite file.
    """
    raw = value or os.environ.get(ENV_VAR) or DEFAULT_DB
    if "://" not in raw:
        return "sqlite:///" + str(Path(raw).expanduser().resolve())
    return raw


def _sqlite_file(url: str) -> str | None:
    """The file of an SQLite URL; None for another backend or an in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return str(parsed.database)
    return None


def archive_root_for(url: str) -> Path:
    """The default archive folder: ``snapshots/`` beside an SQLite file, else in the cwd."""
    database = _sqlite_file(url)
    if database is not None:
        return Path(database).resolve().parent / "snapshots"
    return Path.cwd() / "snapshots"


def archive_folder(value: str | os.PathLike[str]) -> Path:
    """An archive folder as given (``~`` expanded), made absolute against the cwd of now.

    The CLI calls it at start-up, so a relative ``--archive`` means the same folder for the
    whole run whatever the code does with the working directory later.
    """
    return Path(value).expanduser().resolve()


def archive_setting(value: str | os.PathLike[str] | None = None) -> Path | None:
    """The archive folder set by ``value`` (``--archive``) or ``TRACKER_ARCHIVE``, absolute;
    None when neither is set (the store's default applies)."""
    raw = value or os.environ.get(ARCHIVE_VAR)
    return archive_folder(raw) if raw else None


def busy_timeout() -> float:
    """Seconds to wait for a locked SQLite database (``TRACKER_BUSY_TIMEOUT``, default 30)."""
    raw = os.environ.get(BUSY_TIMEOUT_VAR, "").strip()
    if not raw:
        return SQLITE_BUSY_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value < 1e6:
        raise StoreError(f"{BUSY_TIMEOUT_VAR}={raw!r}: expected a number of seconds")
    return value


def _writable(path: Path) -> bool:
    """Whether the database file (if it exists) and its folder can be written.

    ``os.access`` also answers "no" on a read-only file system, even for root.
    """
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return os.access(path.parent, os.W_OK)


def _configure_sqlite(engine: Engine, timeout: float) -> None:
    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        message = str(context.original_exception)
        where = engine.url.render_as_string(hide_password=True)
        database = engine.url.database
        if (
            ("unable to open" in message or "readonly" in message)
            and database
            and database != ":memory:"
            and not _writable(Path(database))
        ):
            raise StoreError(f"{where}: {_READ_ONLY.format(path=database)}")
        for key, explanation in _SQLITE_FAULTS:
            if key in message:
                raise StoreError(f"{where}: {explanation.format(timeout=timeout)}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        # WAL lets readers (a diff) see a consistent snapshot while a writer ingests;
        # NORMAL sync is durable across application crashes, which is what cron runs need.
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        cur.close()


def create_db_engine(url: str) -> Engine:
    """Create an engine for ``url`` with the project's connection settings."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"{url}: not a database URL ({exc})") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        timeout = busy_timeout()
        engine = create_engine(url, connect_args={"timeout": timeout})
        _configure_sqlite(engine, timeout)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except Exception as exc:  # missing driver, bad URL parts
        raise StoreError(f"{url}: cannot create a database engine ({exc})") from None


def alembic_config() -> Config:
    """An Alembic config pointing at the shipped migrations (no alembic.ini needed)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resource_dir("migrations")))
    return cfg


def head_revision() -> str:
    """The newest revision this code knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _db_error(engine: Engine, exc: OperationalError | DatabaseError) -> StoreError:
    """A one-line error naming the database (without its password) and the driver's reason."""
    reason = str(exc.orig) if getattr(exc, "orig", None) else str(exc)
    return StoreError(f"{engine.url.render_as_string(hide_password=True)}: {reason}")


def current_heads(engine: Engine) -> tuple[str, ...]:
    """The revisions the database is stamped with (empty for a blank database).

    Usually one; a branched history (possibly written by a newer tracker) stamps several.
    """
    from alembic.runtime.migration import MigrationContext

    try:
        with engine.connect() as conn:
            return tuple(MigrationContext.configure(conn).get_current_heads())
    except (OperationalError, DatabaseError) as exc:
        raise _db_error(engine, exc) from None


def current_revision(engine: Engine) -> str | None:
    """The revision the database is stamped with (None for a blank database).

    Several heads are reported joined by commas rather than failing.
    """
    heads = current_heads(engine)
    return ",".join(sorted(heads)) if heads else None


def _refuse_unknown(heads: tuple[str, ...], script: ScriptDirectory) -> None:
    """Refuse a database stamped with a revision this code does not know."""
    for rev in heads:
        try:
            script.get_revision(rev)
        except Exception:
            raise StoreError(
                f"database schema revision {rev} is newer than this tracker knows; "
                "upgrade tracker instead of using an older version on it"
            ) from None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` inside one connection; refuse a newer database."""
    from alembic import command
    from alembic.script import ScriptDirectory

    cfg = alembic_config()
    _refuse_unknown(current_heads(engine), ScriptDirectory.from_config(cfg))
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except (OperationalError, DatabaseError) as exc:
        raise _db_error(engine, exc) from None


def _stamped(engine: Engine) -> frozenset[str] | None:
    """The revisions the database is stamped with; None when that cannot be read cheaply
    (no version table yet, or any other trouble: then alembic looks)."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except (OperationalError, DatabaseError):
        return None
    return frozenset(str(r[0]) for r in rows)


def ensure_schema(engine: Engine) -> None:
    """Upgrade a blank or older database to head; refuse one newer than this code."""
    if _stamped(engine) == shipped_heads():
        return
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    heads = current_heads(engine)
    if set(heads) == set(script.get_heads()):
        return
    _refuse_unknown(heads, script)
    upgrade(engine)


def open_database(
    value: str | None = None,
    *,
    migrate: bool = True,
    archive: str | os.PathLike[str] | None = None,
    must_exist: bool = False,
) -> Database:
    """Open the database named by ``value`` (or ``TRACKER_DB``, or ``tracker.db``).

    Its raw files are archived in ``archive`` (or ``TRACKER_ARCHIVE``), else in the default
    folder of ``archive_root_for``. Nothing is created there until a brief is archived.
    With ``must_exist``, an SQLite file that does not exist is an error instead of a new
    store (a server database that does not exist is the server's error anyway).
    """
    url = resolve_url(value)
    if must_exist:
        database = _sqlite_file(url)
        if database is not None and not Path(database).exists():
            raise StoreError(
                f"{database}: no such database (check --db / TRACKER_DB, or create it with: "
                "tracker ingest PATH)"
            )
    root = archive_setting(archive)
    in_cwd = root is None and _sqlite_file(url) is None
    if root is None:
        root = archive_root_for(url)
    engine = create_db_engine(url)
    try:
        if migrate:
            ensure_schema(engine)
    except StoreError:
        engine.dispose()
        raise
    except (OperationalError, DatabaseError) as exc:
        engine.dispose()
        raise _db_error(engine, exc) from None
    return Database(engine=engine, url=url, archive_root=root, archive_in_cwd=in_cwd)


@contextmanager
def read_snapshot(engine: Engine) -> Iterator[Session]:
    """A read-only session in which every query sees the same state of the database.

    A diff reads briefs, quantities and claims in separate statements; an ingest committing
    between them must not show up in some of them only. PostgreSQL's default (READ
    COMMITTED) takes a new snapshot per statement, so the session runs REPEATABLE READ.
    Python's sqlite3 opens no transaction for SELECTs, so each would see the newest data:
    an explicit BEGIN makes SQLite (in WAL mode) keep the snapshot of the first read.
    """
    from sqlalchemy.orm import Session

    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("BEGIN")
            with Session(bind=conn) as session:
                yield session
            conn.rollback()
    else:
        options: dict[str, object] = {"isolation_level": "REPEATABLE READ"}
        if engine.dialect.name == "postgresql":
            options["postgresql_readonly"] = True
        with engine.connect().execution_options(**options) as conn:
            with Session(bind=conn) as session:
                yield session
            conn.rollback()
