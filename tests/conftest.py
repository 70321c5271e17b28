"""Shared fixtures: a fresh database per test, the real seed briefs, the sample corpus."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.ingest import Overrides, ingest_file
from tracker.store.db import Database, open_database

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SAMPLE = ROOT / "snapshots" / "sample"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A blank SQLite database (migrated on open) with its archive in tmp_path."""
    database = open_database(str(tmp_path / "tracker.db"))
    yield database
    database.engine.dispose()


def seed_manifest() -> list[dict[str, str]]:
    """The seed briefs with their manifest dates and titles; skips when ../shared is absent."""
    manifest = SEEDS / "manifest.json"
    if not manifest.exists():
        pytest.skip(f"real seed briefs not found at {SEEDS} (CI has ../shared beside the repo)")
    briefs: list[dict[str, str]] = json.loads(manifest.read_text(encoding="utf-8"))["briefs"]
    return briefs


def seed_text(prefix: str) -> str:
    """The text of the seed file whose name starts with ``prefix`` (e.g. "004")."""
    for brief in seed_manifest():
        if brief["file"].startswith(prefix):
            return (SEEDS / brief["file"]).read_text(encoding="utf-8")
    raise KeyError(prefix)


def ingest_seeds(database: Database) -> dict[str, int]:
    """Ingest all five seeds with their manifest dates; file prefix → brief id."""
    ids = {}
    for brief in seed_manifest():
        result = ingest_file(
            database, SEEDS / brief["file"], Overrides(date=brief["date"], title=brief["title"])
        )
        ids[brief["file"][:3]] = result.brief_id
    return ids


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One database holding the five seeds, shared by read-only tests."""
    database = open_database(str(tmp_path_factory.mktemp("seeded") / "tracker.db"))
    ingest_seeds(database)
    yield database
    database.engine.dispose()


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One database holding the sample corpus, shared by read-only tests."""
    database = open_database(str(tmp_path_factory.mktemp("sample") / "tracker.db"))
    for path in sorted(SAMPLE.iterdir()):
        ingest_file(database, path)
    yield database
    database.engine.dispose()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
