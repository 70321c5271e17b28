"""`tracker doctor`: a healthy store passes; each kind of damage is caught and named."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import SAMPLE
from tracker.cli import cli
from tracker.ingest import ingest_paths
from tracker.store.db import Database, open_database
from tracker.store.doctor import check_store, derived_from
from tracker.store.models import Brief, Claim


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus ingested once (database + snapshots/), copied for each test."""
    folder = tmp_path_factory.mktemp("doctor")
    database = open_database(str(folder / "tracker.db"))
    try:
        report = ingest_paths(database, [SAMPLE])
        assert report.stored == 6 and not report.failures
    finally:
        database.engine.dispose()  # checkpoints the WAL: the .db file alone is the database
    return folder


@pytest.fixture
def store(template: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the template store; the tests damage it through plain sqlite3."""
    shutil.copytree(template, tmp_path / "store")
    yield tmp_path / "store" / "tracker.db"


def _sql(path: Path, *statements: str, foreign_keys: bool = False) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def _one(path: Path, query: str) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query).fetchone()[0]
    finally:
        conn.close()


def _doctor(runner: CliRunner, path: Path) -> tuple[int, list[str]]:
    result = runner.invoke(cli, ["--db", str(path), "doctor"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout.strip().splitlines()


def test_a_healthy_store_has_no_problems(runner: CliRunner, store: Path) -> None:
    code, lines = _doctor(runner, store)
    assert (code, lines) == (0, ["no problems found"])


def _archived(store: Path, brief_id: int = 2) -> Path:
    return (
        store.parent
        / "snapshots"
        / str(_one(store, f"SELECT archive_path FROM briefs WHERE id={brief_id}"))
    )


def _delete_archive(store: Path) -> None:
    _archived(store).unlink()


def _alter_archive(store: Path) -> None:
    path = _archived(store)
    path.write_bytes(path.read_bytes() + b"\n<!-- edited -->\n")


def _hostile_archive_path(store: Path) -> None:
    _sql(store, "UPDATE briefs SET archive_path='../../etc/passwd' WHERE id=2")


def _edit_text(store: Path) -> None:
    # Same length, so spans stay in range; the hash and the claim texts no longer agree.
    _sql(store, "UPDATE briefs SET text=replace(text, 'Japan', 'Spain') WHERE id=2")


def _span_outside(store: Path) -> None:
    _sql(store, 'UPDATE claims SET "end"=1000000 WHERE brief_id=2 AND ordinal=3')


def _claim_text(store: Path) -> None:
    _sql(
        store,
        "UPDATE claims SET text='A claim that no brief ever made.' WHERE brief_id=2 AND ordinal=0",
    )


def _ordinal_gap(store: Path) -> None:
    _sql(store, "DELETE FROM claims WHERE brief_id=2 AND ordinal=4")


def _no_claims(store: Path) -> None:
    _sql(store, "DELETE FROM claims WHERE brief_id=2")


def _orphan_quantity(store: Path) -> None:
    _sql(store, "UPDATE quantities SET claim_id=999999 WHERE id=(SELECT min(id) FROM quantities)")


def _quantity_outside(store: Path) -> None:
    _sql(store, 'UPDATE quantities SET start=0, "end"=3 WHERE id=(SELECT max(id) FROM quantities)')


def _old_schema(store: Path) -> None:
    _sql(store, "UPDATE alembic_version SET version_num='0001'")


def _newer_schema(store: Path) -> None:
    _sql(store, "UPDATE alembic_version SET version_num='9f9f9f9f9f9f'")


def _index_mismatch(store: Path) -> None:
    # Point an index's definition at another column: its entries no longer match the table.
    _sql(
        store,
        "PRAGMA writable_schema=ON",
        "UPDATE sqlite_master SET sql='CREATE INDEX ix_briefs_date ON briefs (title)' "
        "WHERE name='ix_briefs_date'",
    )


def _corrupt_page(store: Path) -> None:
    rootpage = int(str(_one(store, "SELECT rootpage FROM sqlite_master WHERE name='claims'")))
    page_size = int(str(_one(store, "PRAGMA page_size")))
    with store.open("r+b") as fh:
        fh.seek((rootpage - 1) * page_size)
        fh.write(b"\xa5" * page_size)


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "archive file deleted": (_delete_archive, "brief 2: archived file missing"),
    "archive file edited": (_alter_archive, "brief 2: archived file does not match its hash"),
    "hostile archive path": (_hostile_archive_path, "brief 2: archive path '../../etc/passwd'"),
    "text edited": (_edit_text, "brief 2: text does not match its content hash"),
    "span outside text": (_span_outside, "brief 2: claim 4 span"),
    "claim text changed": (_claim_text, "brief 2: claim 1 text does not match its span"),
    "ordinal gap": (_ordinal_gap, "brief 2: claim ordinals are not 0.."),
    "brief without claims": (_no_claims, "brief 2: has no claims"),
    "orphan quantity": (_orphan_quantity, "refers to a missing claims row"),
    "quantity outside its claim": (_quantity_outside, "span [0:3] is outside claim"),
    "schema behind head": (_old_schema, "database: schema at 0001, not at head"),
    "schema newer than code": (_newer_schema, "is newer than this tracker"),
    "index out of step": (_index_mismatch, "database: integrity check:"),
    "corrupt page": (_corrupt_page, "the database file is corrupt"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_doctor_names_each_kind_of_damage(runner: CliRunner, store: Path, damage: str) -> None:
    corrupt, expected = DAMAGE[damage]
    corrupt(store)
    code, lines = _doctor(runner, store)
    assert code == 1
    assert lines[-1].endswith("problem(s) found")
    assert any(expected in line for line in lines[:-1]), lines


def test_doctor_never_changes_the_store(store: Path) -> None:
    _old_schema(store)
    before = store.read_bytes()
    database = open_database(str(store), migrate=False)
    try:
        assert check_store(database)
    finally:
        database.engine.dispose()
    assert store.read_bytes() == before
    assert _one(store, "SELECT version_num FROM alembic_version") == "0001"


def test_doctor_on_a_file_that_is_not_a_database(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("my notes, not a database\n" * 40, encoding="utf-8")
    code, lines = _doctor(runner, path)
    assert code == 1
    assert any("not a database" in line for line in lines)


@pytest.mark.parametrize(
    ("claim", "span", "ok"),
    [
        ("The plan passed.", "The plan passed.", True),
        ("The plan passed.", "The **plan**\n  passed.", True),
        ("See the plan now.", "See [the plan](#) now.", True),
        ("The plan passed.", "The plan failed.", False),
        ("The plan passed.", "plan passed.", False),
        ("passed plan The.", "The plan passed.", False),
        ("", "", False),
    ],
)
def test_derived_from(claim: str, span: str, ok: bool) -> None:
    assert derived_from(claim, span) is ok


# -- on every backend (PostgreSQL included) -----------------------------------------------------


def test_doctor_on_each_backend_passes_then_names_damage(sample_db_copy: Database) -> None:
    db = sample_db_copy
    assert check_store(db) == []
    with Session(db.engine) as session, session.begin():
        claim = session.scalars(select(Claim).order_by(Claim.id).limit(1)).one()
        claim.end = claim.start - 1  # a span that ends before it starts
        brief = session.get(Brief, claim.brief_id)
        assert brief is not None
        archive_path = brief.archive_path
    (db.archive_root / archive_path).unlink()
    problems = [str(p) for p in check_store(db)]
    assert any("span" in p for p in problems), problems
    assert any("missing" in p and archive_path in p for p in problems), problems


@pytest.fixture
def sample_db_copy(db: Database) -> Database:
    """A private store (any backend) holding the sample corpus, free to damage."""
    report = ingest_paths(db, [SAMPLE])
    assert report.stored == 6
    return db
