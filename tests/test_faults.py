"""Faults of the store: a killed ingest, a full disk, a read-only or locked database, a schema
newer than the code, a corrupt file. Each is one line on stderr and a non-zero exit, never a
traceback, and never leaves half a brief behind.

Disk-full and read-only cases run on a small tmpfs mounted for the test (tests run as root in
CI, where ``chmod`` would not stop a write); they skip with the reason when mounting is not
permitted.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.conftest import ROOT, SAMPLE, mount, mounted_tmpfs
from tracker.cli import cli
from tracker.ingest import ingest_file, ingest_paths
from tracker.store.db import BUSY_TIMEOUT_VAR, open_database

SAMPLE_FILES = [
    "2021-06-18-japan-2030-goal-coal-finance.md",
    "2023-06-02-gx-bonds.txt",
    "2024-11-28-japan-2035-target.txt",
]


def _copy_sample(folder: Path, names: list[str] = SAMPLE_FILES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(SAMPLE / name, folder / name)
    return folder


def _count(db_path: Path, table: str) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def _one_line_error(result: Result, *needles: str) -> str:
    """The result failed with exactly one ``Error:`` line on stderr holding every needle."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("Error: "), lines
    for needle in needles:
        assert needle in lines[0], lines
    return lines[0]


def _doctor_is_clean(runner: CliRunner, db_path: Path) -> None:
    result = runner.invoke(cli, ["--db", str(db_path), "doctor"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "no problems found"


# -- a small file system of our own --------------------------------------------------------


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 512 KB tmpfs at ``tmp_path/mnt`` (unmounted afterwards)."""
    with mounted_tmpfs(tmp_path / "mnt", "size=512k") as mnt:
        yield mnt


def _big_brief(path: Path, sentences: int, padding: int = 0) -> Path:
    """A made-up brief of many distinct sentences (about 130 bytes each), then ``padding``
    spaces (bytes to archive that cost the claim pipeline nothing)."""
    body = "\n\n".join(
        f"Clause {i} of the harbour plan sets aside {i * 7} berths for vessels from district "
        f"{i % 97}, and the council will review clause {i} in {2000 + i % 50}."
        for i in range(sentences)
    )
    text = f"Date: 2022-01-01\nTitle: Harbour plan\n\n{body}\n{' ' * padding}\n"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("sentences", "padding", "reason"),
    [
        # Fits in the archive, not in the database (claims take several times the raw size).
        (600, 0, "the disk is full"),
        # Does not even fit in the archive.
        (20, 600_000, "No space left on device"),
    ],
    ids=["database full", "archive full"],
)
def test_a_full_disk_is_one_line_and_leaves_no_partial_brief(
    runner: CliRunner, tmpfs: Path, tmp_path: Path, sentences: int, padding: int, reason: str
) -> None:
    db_path = tmpfs / "tracker.db"
    small = SAMPLE / "2023-06-02-gx-bonds.txt"
    assert runner.invoke(cli, ["--db", str(db_path), "ingest", str(small)]).exit_code == 0
    big = _big_brief(tmp_path / "harbour.txt", sentences, padding)
    before = big.read_bytes()

    result = runner.invoke(cli, ["--db", str(db_path), "ingest", str(big)])
    _one_line_error(result, reason)
    assert (_count(db_path, "briefs"), _count(db_path, "claims")) == (1, 20)
    assert big.read_bytes() == before  # the input is never touched
    # No temporary file of the atomic archive write is left behind.
    assert not [p for p in (tmpfs / "snapshots").rglob(".*")]
    _doctor_is_clean(runner, db_path)

    # With room again, the same command completes.
    assert mount("-o", "remount,size=64m", str(tmpfs)).returncode == 0
    result = runner.invoke(cli, ["--db", str(db_path), "ingest", str(big)])
    assert result.exit_code == 0, result.output
    assert "1 stored" in result.stdout
    _doctor_is_clean(runner, db_path)


def test_a_read_only_database_is_one_line(runner: CliRunner, tmpfs: Path) -> None:
    db_path = tmpfs / "tracker.db"
    first = SAMPLE / "2023-06-02-gx-bonds.txt"
    database = open_database(str(db_path))
    ingest_file(database, first)
    database.engine.dispose()  # a file still open would keep the remount from happening
    assert mount("-o", "remount,ro", str(tmpfs)).returncode == 0

    other = SAMPLE / "2023-07-14-after-the-gx-laws.md"
    for command in (["ingest", str(other)], ["ingest", str(first)], ["briefs"]):
        result = runner.invoke(cli, ["--db", str(db_path), *command])
        _one_line_error(result, str(db_path), "read-only")


# -- locks ---------------------------------------------------------------------------------

HOLD_LOCK = textwrap.dedent(
    """
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")  # the write lock
    print("locked", flush=True)
    hold = float(sys.argv[2])
    if hold < 0:
        sys.stdin.readline()
    else:
        time.sleep(hold)
    conn.execute("ROLLBACK")
    """
)


def _hold_lock(db_path: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the database's write lock (for ``seconds``, or until stdin)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db_path), str(seconds)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_a_locked_database_is_waited_on(runner: CliRunner, tmp_path: Path) -> None:
    db_path = tmp_path / "tracker.db"
    open_database(str(db_path)).engine.dispose()
    holder = _hold_lock(db_path, 1.0)
    try:
        brief = SAMPLE / "2023-06-02-gx-bonds.txt"
        result = runner.invoke(
            cli, ["--db", str(db_path), "ingest", str(brief)], env={BUSY_TIMEOUT_VAR: "60"}
        )
        assert result.exit_code == 0, result.output
        assert "1 stored" in result.stdout
    finally:
        holder.wait(timeout=60)


def test_a_locked_database_is_reported_after_the_timeout(runner: CliRunner, tmp_path: Path) -> None:
    db_path = tmp_path / "tracker.db"
    open_database(str(db_path)).engine.dispose()
    holder = _hold_lock(db_path, -1)
    try:
        brief = SAMPLE / "2023-06-02-gx-bonds.txt"
        result = runner.invoke(
            cli, ["--db", str(db_path), "ingest", str(brief)], env={BUSY_TIMEOUT_VAR: "0.2"}
        )
        _one_line_error(result, "locked by another process", "0.2 s", BUSY_TIMEOUT_VAR)
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=60)
    assert _count(db_path, "briefs") == 0


def test_a_bad_busy_timeout_setting_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(cli, ["--db", str(tmp_path / "t.db"), "db", "upgrade"]).exit_code == 0
    result = runner.invoke(
        cli, ["--db", str(tmp_path / "t.db"), "briefs"], env={BUSY_TIMEOUT_VAR: "soon"}
    )
    _one_line_error(result, BUSY_TIMEOUT_VAR, "number of seconds")


# -- schema newer than the code, corrupt files ---------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "command",
    [["ingest", str(SAMPLE / "2023-06-02-gx-bonds.txt")], ["briefs"], ["diff", "2021", "2024"]],
    ids=["ingest", "briefs", "diff"],
)
def test_a_newer_schema_is_refused_and_left_untouched(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    db_path = tmp_path / "tracker.db"
    open_database(str(db_path)).engine.dispose()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num='9f9f9f9f9f9f'")
    conn.commit()
    conn.close()
    before = _digest(db_path)

    result = runner.invoke(cli, ["--db", str(db_path), *command])
    _one_line_error(result, "9f9f9f9f9f9f", "newer than this tracker")
    assert _digest(db_path) == before
    assert not (tmp_path / "snapshots").exists()  # nothing archived either


@pytest.mark.parametrize(
    "command",
    [
        ["ingest", str(SAMPLE / "2023-07-14-after-the-gx-laws.md")],
        ["claims", "1"],
        ["diff", "2021", "2024"],
    ],
    ids=["ingest", "claims", "diff"],
)
def test_a_corrupt_database_page_is_one_line(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    db_path = tmp_path / "tracker.db"
    database = open_database(str(db_path))
    assert ingest_paths(database, [_copy_sample(tmp_path / "in")]).stored == 3
    database.engine.dispose()  # the last connection checkpoints the WAL into the file
    conn = sqlite3.connect(db_path)
    rootpage, page_size = conn.execute(
        "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_master "
        "WHERE name='claims'"
    ).fetchone()
    conn.close()
    with db_path.open("r+b") as fh:
        fh.seek((rootpage - 1) * page_size)
        fh.write(b"\xa5" * page_size)

    result = runner.invoke(cli, ["--db", str(db_path), *command])
    _one_line_error(result, "the database file is corrupt")


@pytest.mark.parametrize("command", [["ingest", str(SAMPLE)], ["diff", "2021", "2024"], ["doctor"]])
def test_a_file_that_is_not_a_database_is_one_line(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    db_path = tmp_path / "notes.db"
    db_path.write_bytes(b"SQLite format 2\x00" + b"\x07" * 5000)
    before = _digest(db_path)
    result = runner.invoke(cli, ["--db", str(db_path), *command])
    if command == ["doctor"]:
        assert result.exit_code == 1
        assert "not a database" in result.stdout
    else:
        _one_line_error(result, "not a database")
    assert _digest(db_path) == before


# -- kill -9 in the middle of an ingest ----------------------------------------------------

# Runs the real CLI in a subprocess, stopping (for the test to kill it) at one point of the
# second brief's ingest. The stop is patched in here, from outside: the code under test has no
# hook for it.
KILL_WRAPPER = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path

    import tracker.ingest.service as service
    import tracker.store.repo as repo

    point, marker = sys.argv[1], Path(sys.argv[2])
    calls = {"n": 0}

    def maybe_stop():
        calls["n"] += 1
        if calls["n"] == 2:  # the second brief: the first one is committed by then
            marker.write_text(str(os.getpid()))
            time.sleep(600)

    if point == "archived":
        real_archive = service.archive_raw
        def archive_raw(*args, **kwargs):
            path = real_archive(*args, **kwargs)
            maybe_stop()
            return path
        service.archive_raw = archive_raw
    elif point == "claims inserted":
        real_insert = repo.insert
        def insert(table):
            if table is repo.QuantityRow:
                maybe_stop()
            return real_insert(table)
        repo.insert = insert

    from tracker.cli import main
    sys.argv = ["tracker", *sys.argv[3:]]
    main()
    """
)


@pytest.mark.parametrize("point", ["archived", "claims inserted"])
def test_kill_9_mid_ingest_leaves_no_partial_brief(
    runner: CliRunner, tmp_path: Path, point: str
) -> None:
    folder = _copy_sample(tmp_path / "in")
    db_path = tmp_path / "tracker.db"
    marker = tmp_path / "stopped"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            KILL_WRAPPER,
            point,
            str(marker),
            "--db",
            str(db_path),
            "ingest",
            str(folder),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 240
        while not marker.exists():
            if proc.poll() is not None:
                out, err = proc.communicate()
                pytest.fail(f"ingest ended before the kill point: {out}\n{err}")
            if time.monotonic() > deadline:
                pytest.fail("ingest never reached the kill point")
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL

    # Only the first brief is there, whole: no brief without claims, no stray claim.
    assert _count(db_path, "briefs") == 1
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT count(*) FROM claims WHERE brief_id != 1").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM claims").fetchone()[0] == 17
    finally:
        conn.close()

    # The next run completes the batch: the first brief is already present, the rest stored.
    again = runner.invoke(cli, ["--db", str(db_path), "ingest", str(folder)])
    assert again.exit_code == 0, again.output
    assert "2 stored, 1 already present, 0 failed" in again.stdout
    assert _count(db_path, "briefs") == 3
    _doctor_is_clean(runner, db_path)
