"""The database: schema = models, migrations from the CLI, SQLite settings, refusing newer
schemas, and one transaction per ingested brief."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

import tracker.store.repo as repo
from tracker.cli import cli
from tracker.errors import StoreError
from tracker.ingest import ingest_file
from tracker.store.db import Database, current_revision, head_revision, open_database
from tracker.store.models import Base, Brief, Claim, QuantityRow
from tracker.store.search import is_search_object

FAKE_REVISION = "9f9f9f9f9f9f"


def _counts(database: Database) -> tuple[int, int, int]:
    with Session(database.engine) as session:
        return (
            session.scalar(select(func.count(Brief.id))) or 0,
            session.scalar(select(func.count(Claim.id))) or 0,
            session.scalar(select(func.count(QuantityRow.id))) or 0,
        )


def _diffs(database: Database) -> list[Any]:
    with database.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "compare_server_default": True,
                "include_name": lambda name, _type, _parents: not is_search_object(name),
            },
        )
        return list(compare_metadata(context, Base.metadata))


def test_blank_database_upgraded_to_head_matches_models(db: Database) -> None:
    assert current_revision(db.engine) == head_revision()
    assert _diffs(db) == []

    # The comparison does see drift: a missing index is reported.
    with db.engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_briefs_date"))
    drift = _diffs(db)
    assert drift
    assert "ix_briefs_date" in repr(drift)


@pytest.mark.sqlite_only
def test_sqlite_is_in_wal_mode_with_foreign_keys(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_db_current_and_upgrade_commands(runner: CliRunner, tmp_path: Path) -> None:
    path = str(tmp_path / "cli.db")
    head = head_revision()

    result = runner.invoke(cli, ["--db", path, "db", "current"])
    assert result.exit_code == 0, result.output
    assert f"database: (blank)  head: {head}" in result.stdout

    result = runner.invoke(cli, ["--db", path, "db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"schema at {head} (was blank)" in result.stdout

    result = runner.invoke(cli, ["--db", path, "db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "(no change)" in result.stdout

    result = runner.invoke(cli, ["--db", path, "db", "current"])
    assert result.exit_code == 0, result.output
    assert f"database: {head}  head: {head}" in result.stdout


def _stamp_unknown(path: Path, how: str) -> None:
    """Make the database look as if a newer tracker had migrated it."""
    database = open_database(str(path))
    database.engine.dispose()
    conn = sqlite3.connect(path)
    if how == "replace":
        conn.execute("UPDATE alembic_version SET version_num = ?", (FAKE_REVISION,))
    else:  # a second head next to the known one (a branched, newer history)
        conn.execute("INSERT INTO alembic_version (version_num) VALUES (?)", (FAKE_REVISION,))
    conn.commit()
    conn.close()


@pytest.mark.parametrize("how", ["replace", "extra-head"])
def test_database_with_unknown_revision_is_refused(tmp_path: Path, how: str) -> None:
    path = tmp_path / "newer.db"
    _stamp_unknown(path, how)
    with pytest.raises(StoreError, match="newer") as info:
        open_database(str(path))
    assert FAKE_REVISION in str(info.value)


@pytest.mark.parametrize("how", ["replace", "extra-head"])
def test_db_upgrade_refuses_unknown_revision_cleanly(
    runner: CliRunner, tmp_path: Path, how: str
) -> None:
    path = tmp_path / "newer.db"
    _stamp_unknown(path, how)
    result = runner.invoke(cli, ["--db", str(path), "db", "upgrade"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stderr.startswith("Error: ")
    assert "newer" in result.stderr
    # The database was not touched.
    conn = sqlite3.connect(path)
    versions = {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
    conn.close()
    assert FAKE_REVISION in versions


@pytest.mark.parametrize("command", [["db", "current"], ["db", "upgrade"], ["briefs"]])
def test_a_file_that_is_not_a_database_gives_one_line_error(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not an SQLite database\n" * 20, encoding="utf-8")
    result = runner.invoke(cli, ["--db", str(path), *command])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("Error: ")
    assert "not a database" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


BRIEF_WITH_NUMBERS = (
    "Date: 2022-03-15\n"
    "Title: Fuel levy plan\n\n"
    "The ministry will raise the fuel levy by 5% in 2026 to fund 300 new buses.\n"
    "Rural towns will receive 40 million euros for cycling paths before 2028.\n"
)


def _fail_on_quantities(error: Exception, calls: list[str]) -> Any:
    real_insert = repo.insert

    def insert(table: Any) -> Any:
        if table is QuantityRow:
            calls.append("quantities")
            raise error
        return real_insert(table)

    return insert


@pytest.mark.parametrize(
    ("error", "raised"),
    [
        (RuntimeError("disk on fire"), RuntimeError),
        (OperationalError("INSERT", {}, Exception("database is locked")), StoreError),
    ],
)
def test_ingest_is_one_transaction(
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
    raised: type[Exception],
) -> None:
    brief = tmp_path / "levy.txt"
    brief.write_text(BRIEF_WITH_NUMBERS, encoding="utf-8")
    calls: list[str] = []
    monkeypatch.setattr(repo, "insert", _fail_on_quantities(error, calls))

    with pytest.raises(raised):
        ingest_file(db, brief)
    assert calls == ["quantities"]  # the brief and its claims had been inserted by then
    assert _counts(db) == (0, 0, 0)

    monkeypatch.undo()
    result = ingest_file(db, brief)
    assert result.status == "stored"
    briefs, claims, quantities = _counts(db)
    assert (briefs, claims) == (1, 2)
    assert quantities >= 4
