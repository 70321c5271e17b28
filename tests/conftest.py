"""Shared fixtures: a fresh database per test, the real seed briefs, the sample corpus.

Every test that uses ``db``, ``seeded_db`` or ``sample_db`` runs once per selected backend
(ids ``[sqlite]`` / ``[postgresql]``) unless it is marked ``sqlite_only``. Select backends with
``--backends sqlite,postgresql`` or ``TRACKER_TEST_BACKENDS`` (default: both). PostgreSQL is
reached at ``TRACKER_TEST_PG_URL`` (default: the server of scripts/ensure-postgres.sh); each
PostgreSQL database is a fresh schema there, dropped afterwards. When no server answers, the
PostgreSQL cases are skipped with the connection error as the reason.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tracker.claims.normalize import normalize
from tracker.compare.model import ClaimRef, QuantityRef
from tracker.ingest import Overrides, ingest_file
from tracker.store.db import Database, open_database

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SAMPLE = ROOT / "snapshots" / "sample"
DATA = Path(__file__).resolve().parent / "data"


def claim_ref(
    text: str,
    *,
    brief: int = 1,
    ordinal: int = 0,
    claim_id: int | None = None,
    date: dt.date | None = dt.date(2024, 1, 1),
    quantities: tuple[QuantityRef, ...] = (),
) -> ClaimRef:
    """A claim as the store loads it, made from its text alone (its span is the whole text;
    its id, unless given, ``ordinal + 100 * brief``)."""
    return ClaimRef(
        id=ordinal + 100 * brief if claim_id is None else claim_id,
        brief_id=brief,
        ordinal=ordinal,
        date=date,
        text=text,
        norm_text=normalize(text),
        sentence=text,
        section=None,
        start=0,
        end=len(text),
        quantities=quantities,
    )


def ingested(runner: CliRunner, folder: Path, briefs: dict[str, str]) -> str:
    """Write ``briefs`` (file name → text) into ``folder``/briefs, ingest them through the CLI
    into ``folder``/tracker.db and return that database's path."""
    (folder / "briefs").mkdir()
    for name, body in briefs.items():
        (folder / "briefs" / name).write_text(body, encoding="utf-8")
    db = str(folder / "tracker.db")
    from tracker.cli import cli

    result = runner.invoke(cli, ["--db", db, "ingest", str(folder / "briefs")])
    assert result.exit_code == 0, result.output
    return db


BACKENDS = ("sqlite", "postgresql")
# The port follows TRACKER_PG_PORT, as scripts/ensure-postgres.sh does, so a checkout that
# starts its server on another port also tests against it (not against another checkout's).
PG_URL = os.environ.get(
    "TRACKER_TEST_PG_URL",
    "postgresql+psycopg://tracker:tracker@127.0.0.1:"
    f"{os.environ.get('TRACKER_PG_PORT', '54329')}/tracker_test",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backends",
        default=os.environ.get("TRACKER_TEST_BACKENDS", ",".join(BACKENDS)),
        help="comma-separated database backends to run the storage tests on "
        "[env TRACKER_TEST_BACKENDS; default sqlite,postgresql]",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: runs on SQLite only (SQLite specifics, or backend-neutral)"
    )


def selected_backends(config: pytest.Config) -> list[str]:
    names = [b.strip() for b in str(config.getoption("--backends")).split(",") if b.strip()]
    unknown = sorted(set(names) - set(BACKENDS))
    if unknown:
        raise pytest.UsageError(f"--backends: unknown backend {unknown[0]!r} (known: {BACKENDS})")
    return names


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        names = selected_backends(metafunc.config)
        if metafunc.definition.get_closest_marker("sqlite_only"):
            names = [n for n in names if n == "sqlite"]
        # The PostgreSQL cases carry the ``postgres`` marker: -m "not postgres" leaves them out.
        params = [
            pytest.param(n, marks=pytest.mark.postgres, id=n) if n == "postgresql" else n
            for n in names
        ]
        metafunc.parametrize("backend", params, indirect=True, scope="session")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A test on the five real seed briefs of ../shared is an evaluation test (the other
    # evaluation tests, which read ../shared themselves, are marked where they are defined).
    for item in items:
        if "seeded_db" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.evaluation)


_pg_problem: list[str] = []


def _pg_reason() -> str | None:
    """Why PostgreSQL cannot be used (checked once), or None when a server answers."""
    if not _pg_problem:
        try:
            engine = create_engine(PG_URL)
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            engine.dispose()
            _pg_problem.append("")
        except Exception as exc:
            first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            _pg_problem.append(
                f"PostgreSQL not reachable at {make_url(PG_URL).render_as_string()} ({first}); "
                "run scripts/ensure-postgres.sh or set TRACKER_TEST_PG_URL"
            )
    return _pg_problem[0] or None


# The user's own settings must not leak into the tests (a TRACKER_EMBEDDINGS in the shell
# would turn the embedding veto on for every CLI test); tests that want one set it.
# TRACKER_ALLOW_PRIVATE_URLS likewise: tests that fetch from 127.0.0.1 opt in themselves.
USER_SETTINGS = (
    "TRACKER_DB",
    "TRACKER_CONFIG",
    "TRACKER_ARCHIVE",
    "TRACKER_EMBEDDINGS",
    "TRACKER_BUSY_TIMEOUT",
    "TRACKER_ALLOW_PRIVATE_URLS",
)


@pytest.fixture(autouse=True)
def _no_user_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in USER_SETTINGS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    """The backend this test runs on (parametrised by pytest_generate_tests)."""
    name: str = request.param
    if name == "postgresql":
        reason = _pg_reason()
        if reason:
            pytest.skip(reason)
    return name


def new_database(
    backend: str, folder: Path, *, migrate: bool = True
) -> tuple[Database, str | None]:
    """A blank database (migrated on open unless told not to) with its archive in ``folder``;
    returns (db, the PostgreSQL schema or None)."""
    if backend == "sqlite":
        return open_database(str(folder / "tracker.db"), migrate=migrate), None
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    database = open_database(
        url.render_as_string(hide_password=False), migrate=migrate, archive=folder / "snapshots"
    )
    return database, schema


def drop_database(database: Database, schema: str | None) -> None:
    database.engine.dispose()
    if schema is not None:
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def db(backend: str, tmp_path: Path) -> Iterator[Database]:
    """A blank database on ``backend`` (migrated on open) with its archive in tmp_path."""
    database, schema = new_database(backend, tmp_path)
    yield database
    drop_database(database, schema)


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
def seeded_db(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One database holding the five seeds, shared by read-only tests."""
    database, schema = new_database(backend, tmp_path_factory.mktemp("seeded"))
    ingest_seeds(database)
    yield database
    drop_database(database, schema)


@pytest.fixture(scope="session")
def sample_db(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One database holding the sample corpus, shared by read-only tests."""
    database, schema = new_database(backend, tmp_path_factory.mktemp("sample"))
    for path in sorted(SAMPLE.iterdir()):
        ingest_file(database, path)
    yield database
    drop_database(database, schema)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def mount(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``mount`` with ``args`` (never raises; look at the return code)."""
    return subprocess.run(["mount", *args], capture_output=True, text=True, check=False)


@contextmanager
def mounted_tmpfs(mnt: Path, options: str) -> Iterator[Path]:
    """A tmpfs mounted at ``mnt`` with ``options`` (e.g. "ro,size=64k"), unmounted afterwards.

    Skips the test where tmpfs cannot be mounted (no mount command, not root).
    """
    mnt.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None:
        pytest.skip("no mount command to make a small file system")
    done = mount("-t", "tmpfs", "-o", options, "tmpfs", str(mnt))
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs (needs root/CAP_SYS_ADMIN): {done.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True, check=False)
