"""Where raw briefs are archived: ``--archive`` / ``TRACKER_ARCHIVE``, the defaults, and what
doctor and ``db copy`` make of them on every backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import SAMPLE, mounted_tmpfs
from tracker.cli import cli
from tracker.ingest import ingest_file
from tracker.store.db import Database, archive_setting, open_database
from tracker.store.models import Brief

BRIEFS = [SAMPLE / "2023-06-02-gx-bonds.txt", SAMPLE / "2024-11-28-japan-2035-target.txt"]


def _archive_paths(db: Database) -> list[str]:
    with Session(db.engine) as session:
        return sorted(session.scalars(select(Brief.archive_path)))


def _brief_count(db: Database) -> int:
    with Session(db.engine) as session:
        return session.scalar(select(func.count(Brief.id))) or 0


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative POSIX path → bytes); empty when there is none."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _ok(result: Result) -> list[str]:
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def _work_in(path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(path)
    return path


# -- the setting ----------------------------------------------------------------------------


def test_archive_setting_option_beats_env_and_relative_paths_become_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = _work_in(tmp_path / "work", monkeypatch)
    assert archive_setting() is None
    monkeypatch.setenv("TRACKER_ARCHIVE", "")
    assert archive_setting() is None  # set but empty: not a setting
    monkeypatch.setenv("TRACKER_ARCHIVE", "../from-env")
    assert archive_setting() == tmp_path / "from-env"
    assert archive_setting("team/raw") == work / "team" / "raw"
    assert archive_setting(tmp_path / "abs") == tmp_path / "abs"


def test_open_database_takes_the_setting_and_keeps_the_sqlite_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _work_in(tmp_path / "work", monkeypatch)
    path = tmp_path / "store" / "tracker.db"
    plain = open_database(str(path))
    given = open_database(str(path), archive="raw")
    monkeypatch.setenv("TRACKER_ARCHIVE", str(tmp_path / "env"))
    from_env = open_database(str(path))
    memory = open_database("sqlite://", archive=None)
    try:
        assert (plain.archive_root, plain.archive_in_cwd) == (path.parent / "snapshots", False)
        assert (given.archive_root, given.archive_in_cwd) == (tmp_path / "work" / "raw", False)
        assert from_env.archive_root == tmp_path / "env"
        assert memory.archive_root == tmp_path / "env"
        monkeypatch.delenv("TRACKER_ARCHIVE")
        bare = open_database("sqlite://")
        assert (bare.archive_root, bare.archive_in_cwd) == (tmp_path / "work" / "snapshots", True)
        bare.engine.dispose()
    finally:
        for database in (plain, given, from_env, memory):
            database.engine.dispose()


# -- ingest -----------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["env", "option", "option over env", "relative option"])
def test_ingest_archives_in_the_set_folder_and_not_in_the_cwd(
    db: Database,
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    work = _work_in(tmp_path / "work", monkeypatch)
    shared = tmp_path / "shared"
    args = ["--db", db.url]
    if how == "env":
        monkeypatch.setenv("TRACKER_ARCHIVE", str(shared))
    elif how == "option":
        args += ["--archive", str(shared)]
    elif how == "option over env":
        monkeypatch.setenv("TRACKER_ARCHIVE", str(tmp_path / "not-this"))
        args += ["--archive", str(shared)]
    else:
        shared = work / "team" / "raw"
        args += ["--archive", "team/raw"]

    _ok(runner.invoke(cli, [*args, "ingest", *map(str, BRIEFS)]))
    paths = _archive_paths(db)
    assert _files(shared) == {
        path: brief.read_bytes() for path, brief in zip(paths, sorted(BRIEFS), strict=True)
    }
    assert not (work / "snapshots").exists()
    assert not (tmp_path / "snapshots").exists()  # beside the SQLite file: the default
    assert not (tmp_path / "not-this").exists()


# -- doctor -----------------------------------------------------------------------------------


def test_doctor_from_another_directory_finds_the_archive_only_with_the_same_setting(
    db: Database,
    backend: str,
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shared = tmp_path / "shared"
    monkeypatch.setenv("TRACKER_ARCHIVE", str(shared))
    _work_in(tmp_path / "host-a", monkeypatch)
    _ok(runner.invoke(cli, ["--db", db.url, "ingest", *map(str, BRIEFS)]))

    other = _work_in(tmp_path / "host-b", monkeypatch)
    assert _ok(runner.invoke(cli, ["--db", db.url, "doctor"])) == ["no problems found"]

    monkeypatch.delenv("TRACKER_ARCHIVE")
    result = runner.invoke(cli, ["--db", db.url, "doctor"])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    default = other / "snapshots" if backend == "postgresql" else tmp_path / "snapshots"
    missing = [line for line in lines if "archived file missing" in line]
    assert sorted(line.split("archived file missing: ")[1] for line in missing) == [
        str(default / path) for path in _archive_paths(db)
    ]
    warnings = [line for line in lines if line.startswith("warning:")]
    assert len(warnings) == (1 if backend == "postgresql" else 0)
    assert lines[-1] == "2 problem(s) found"


def test_doctor_warns_of_a_cwd_archive_for_a_server_store_without_a_setting(
    db: Database,
    backend: str,
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    work = _work_in(tmp_path / "work", monkeypatch)
    lines = _ok(runner.invoke(cli, ["--db", db.url, "doctor"]))
    if backend == "sqlite":
        assert lines == ["no problems found"]
    else:
        assert len(lines) == 2 and lines[1] == "no problems found"
        assert lines[0].startswith(
            f"warning: the archive {work / 'snapshots'} is relative to the working directory;"
        )
        assert "set TRACKER_ARCHIVE (or --archive) to one shared folder" in lines[0]

    for setting in (["--archive", str(tmp_path / "shared")], []):
        if not setting:
            monkeypatch.setenv("TRACKER_ARCHIVE", str(tmp_path / "shared"))
        lines = _ok(runner.invoke(cli, [*setting, "--db", db.url, "doctor"]))
        assert lines == ["no problems found"]


# -- db copy ----------------------------------------------------------------------------------


def test_db_copy_writes_to_the_set_archive_and_reads_from_from_archive(
    db: Database,
    backend: str,
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    work = _work_in(tmp_path / "work", monkeypatch)
    src = tmp_path / "src" / "tracker.db"
    _ok(runner.invoke(cli, ["--db", str(src), "ingest", *map(str, BRIEFS)]))
    originals = _files(src.parent / "snapshots")
    assert len(originals) == 2

    # Into the shared store: the setting names the destination's archive.
    shared = tmp_path / "shared"
    monkeypatch.setenv("TRACKER_ARCHIVE", str(shared))
    lines = _ok(runner.invoke(cli, ["db", "copy", str(src), db.url]))
    assert lines[1] == f"archive: 2 raw file(s) copied to {shared}"
    assert _files(shared) == originals
    assert not (work / "snapshots").exists()
    assert _ok(runner.invoke(cli, ["--db", db.url, "doctor"])) == ["no problems found"]

    # Out of it into a backup: --from-archive names the source's, --archive (over the
    # environment) the backup's.
    backup = tmp_path / "backup" / "tracker.db"
    lines = _ok(
        runner.invoke(
            cli,
            [
                "--archive",
                str(backup.parent / "snapshots"),
                "db",
                "copy",
                "--from-archive",
                str(shared),
                db.url,
                str(backup),
            ],
        )
    )
    assert lines[1] == f"archive: 2 raw file(s) copied to {backup.parent / 'snapshots'}"
    monkeypatch.delenv("TRACKER_ARCHIVE")
    assert _ok(runner.invoke(cli, ["--db", str(backup), "doctor"])) == ["no problems found"]

    # Without --from-archive the source's archive is its default, never the setting: where
    # that is not the shared folder, the files are reported as not found there.
    default = work / "snapshots" if backend == "postgresql" else tmp_path / "snapshots"
    lines = _ok(runner.invoke(cli, ["db", "copy", db.url, str(tmp_path / "b2" / "t.db")]))
    assert lines[1] == (
        f"archive: 0 raw file(s) copied to {tmp_path / 'b2' / 'snapshots'}; "
        f"2 not found under {default}"
    )

    # Source and destination sharing one folder: said, nothing to copy.
    monkeypatch.setenv("TRACKER_ARCHIVE", str(shared))
    lines = _ok(
        runner.invoke(
            cli, ["db", "copy", "--from-archive", str(shared), db.url, str(tmp_path / "b3.db")]
        )
    )
    assert lines[1] == f"archive: SRC and DEST share {shared}; no raw file to copy"
    assert _files(shared) == originals


# -- an archive that cannot be written ----------------------------------------------------------


@pytest.fixture(params=["a file in the way", "read-only file system"])
def unwritable(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """An archive folder that cannot be created or written."""
    if request.param == "a file in the way":
        blocker = tmp_path / "blocker"
        blocker.write_text("this file sits where the archive folder would go\n", "utf-8")
        yield blocker / "raw"
        return
    with mounted_tmpfs(tmp_path / "ro", "ro,size=64k") as mnt:
        yield mnt


def _one_error_line(result: Result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), lines
    return lines[0]


def test_an_archive_that_cannot_be_written_is_one_line_and_stores_nothing(
    db: Database, runner: CliRunner, unwritable: Path
) -> None:
    result = runner.invoke(
        cli, ["--db", db.url, "--archive", str(unwritable), "ingest", str(BRIEFS[0])]
    )
    assert _one_error_line(result).startswith(f"Error: cannot archive under {unwritable}: ")
    assert _brief_count(db) == 0
    assert not unwritable.exists() or not any(unwritable.iterdir())


def test_db_copy_into_an_archive_that_cannot_be_written_copies_no_brief_and_resumes(
    db: Database, runner: CliRunner, tmp_path: Path, unwritable: Path
) -> None:
    src = open_database(str(tmp_path / "src" / "tracker.db"))
    try:
        for brief in BRIEFS:
            ingest_file(src, brief)
    finally:
        src.engine.dispose()
    args = ["db", "copy", str(tmp_path / "src" / "tracker.db"), db.url]
    line = _one_error_line(runner.invoke(cli, ["--archive", str(unwritable), *args]))
    assert line.startswith("Error: cannot copy ") and f" to {unwritable}/" in line
    assert _brief_count(db) == 0  # the raw file goes first: no brief without its file
    assert not unwritable.exists() or not any(unwritable.iterdir())

    good = tmp_path / "good"
    lines = _ok(runner.invoke(cli, ["--archive", str(good), *args]))
    assert lines == [
        lines[0],
        f"archive: 2 raw file(s) copied to {good}",
    ] and lines[0].startswith("copied 2 brief(s)")
    doctor = runner.invoke(cli, ["--archive", str(good), "--db", db.url, "doctor"])
    assert _ok(doctor) == ["no problems found"]
