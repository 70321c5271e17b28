"""Ingest: batches of files and folders, failures reported per file, duplicates, overrides,
the raw archive beside the database."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from tracker.cli import cli
from tracker.ingest import IngestFailure, Overrides, ingest_file, ingest_paths, iter_brief_files
from tracker.store.db import Database, open_database
from tracker.store.repo import get_brief, list_briefs

GOOD_TXT = (
    "Date: 2021-03-04\n"
    "Title: Offshore wind levy\n\n"
    "The parliament approved a new levy on offshore wind leases last week.\n"
)
GOOD_MD = (
    "---\ntitle: Grid plan\ndate: 2022-05-06\n---\n\n"
    "The operator will add three interconnectors to the northern grid by 2027.\n"
)
NO_DATE = "The cabinet has not yet decided on the fuel subsidy for farmers.\n"
BAD_YAML = "---\ntitle: [never closed\n---\n\nThe cabinet will decide on the subsidy in May.\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """A folder with two good briefs (one in a subfolder) and three bad ones."""
    folder = tmp_path / "briefs"
    write(folder / "good.txt", GOOD_TXT)
    write(folder / "sub" / "grid.md", GOOD_MD)
    write(folder / "empty.txt", "")
    write(folder / "nodate.txt", NO_DATE)
    write(folder / "badyaml.md", BAD_YAML)
    return folder


EXPECTED_FAILURES = {
    "badyaml.md": "front matter is not valid YAML",
    "empty.txt": "the file has no text",
    "nodate.txt": "no date found",
}


def test_batch_stores_good_files_and_reports_each_failure(db: Database, batch: Path) -> None:
    report = ingest_paths(db, [batch])
    assert report.stored == 2
    assert report.duplicates == 0
    assert sorted(r.path.name for r in report.results) == ["good.txt", "grid.md"]
    assert {f.path.name: f.reason for f in report.failures}.keys() == EXPECTED_FAILURES.keys()
    for failure in report.failures:
        assert failure.path.parent == batch
        assert EXPECTED_FAILURES[failure.path.name] in failure.reason
        assert "\n" not in failure.reason
    assert [(b.title, b.date) for b in list_briefs(db.engine)] == [
        ("Offshore wind levy", dt.date(2021, 3, 4)),
        ("Grid plan", dt.date(2022, 5, 6)),
    ]


def test_ingest_command_reports_failures_on_stderr(
    runner: CliRunner, tmp_path: Path, batch: Path
) -> None:
    result = runner.invoke(cli, ["--db", str(tmp_path / "t.db"), "ingest", str(batch)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == len(EXPECTED_FAILURES)
    for line, (name, reason) in zip(lines, sorted(EXPECTED_FAILURES.items()), strict=True):
        assert line.startswith("failed")
        assert str(batch / name) in line
        assert reason in line
    assert "2 stored, 0 already present, 3 failed" in result.stdout
    assert result.stdout.count("stored ") == 2


def test_reingest_is_a_no_op(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "wind.txt", GOOD_TXT)
    first = ingest_file(db, path)
    second = ingest_file(db, path)
    assert first.status == "stored"
    assert second.status == "duplicate"
    assert second.brief_id == first.brief_id
    assert second.claims == first.claims == 1
    assert len(list_briefs(db.engine)) == 1


def test_same_text_with_other_line_endings_is_a_duplicate(db: Database, tmp_path: Path) -> None:
    first = ingest_file(db, write(tmp_path / "a.txt", GOOD_TXT))
    crlf = tmp_path / "b.txt"
    crlf.write_bytes(GOOD_TXT.replace("\n", "\r\n").encode())
    again = ingest_file(db, crlf)
    assert again.status == "duplicate"
    assert again.brief_id == first.brief_id


def test_reingest_command_says_already_present(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "wind.txt", GOOD_TXT)
    args = ["--db", str(tmp_path / "t.db"), "ingest", str(path)]
    assert runner.invoke(cli, args).exit_code == 0
    result = runner.invoke(cli, args)
    assert result.exit_code == 0
    assert result.stdout.startswith("already present")
    assert "0 stored, 1 already present, 0 failed" in result.stdout


def test_overrides_from_the_command_line(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "2020-01-01-wind.txt", GOOD_TXT)
    db_path = tmp_path / "t.db"
    result = runner.invoke(
        cli,
        [
            "--db",
            str(db_path),
            "ingest",
            str(path),
            "--date",
            "2024-04",
            "--title",
            "Levy on wind leases",
            "--source",
            "Energy Desk",
            "--url",
            "https://example.org/levy",
        ],
    )
    assert result.exit_code == 0, result.output
    database = open_database(str(db_path))
    try:
        with Session(database.engine) as session:
            brief = get_brief(session, 1)
            assert brief is not None
            assert brief.date == dt.date(2024, 4, 1)
            assert brief.title == "Levy on wind leases"
            assert brief.source == "Energy Desk"
            assert brief.url == "https://example.org/levy"
    finally:
        database.engine.dispose()


def test_date_override_rescues_a_file_without_date(db: Database, tmp_path: Path) -> None:
    result = ingest_file(db, write(tmp_path / "x.txt", NO_DATE), Overrides(date="2019-07-08"))
    assert result.date == dt.date(2019, 7, 8)
    assert result.title == "x"  # neither header nor a title-like first line: the file name


def test_raw_file_is_archived_beside_the_database(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "in" / "grid.md", GOOD_MD)
    result = ingest_file(db, path)
    with Session(db.engine) as session:
        brief = get_brief(session, result.brief_id)
        assert brief is not None
        archive_path = brief.archive_path
    assert db.archive_root == tmp_path / "snapshots"
    archived = db.archive_root / archive_path
    assert archived.parent == tmp_path / "snapshots" / "2022"
    assert archived.suffix == ".md"
    assert archived.read_bytes() == path.read_bytes()


def test_folder_walk_skips_hidden_entries_and_unsupported_suffixes(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    for name in ["a.txt", "b.MD", "c.html", "d.pdf", "sub/e.markdown", "sub/deeper/f.htm"]:
        write(root / name, "x")
    for name in [".hidden.txt", ".git/g.txt", "sub/.cache/h.md", "table.csv", "notes", "img.png"]:
        write(root / name, "x")
    found = list(iter_brief_files([root]))
    assert all(isinstance(p, Path) for p in found)
    assert [p.relative_to(root).as_posix() for p in found if isinstance(p, Path)] == [
        "a.txt",
        "b.MD",
        "c.html",
        "d.pdf",
        "sub/deeper/f.htm",
        "sub/e.markdown",
    ]


def test_a_file_named_explicitly_is_tried_whatever_its_suffix(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "table.csv", "a,b\n1,2\n")
    report = ingest_paths(db, [path])
    assert report.results == []
    assert [(f.path, f.reason) for f in report.failures] == [(path, "unsupported file type '.csv'")]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loop_is_reported_not_fatal(db: Database, tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "a" / "good.txt", GOOD_TXT)
    (root / "a" / "back").symlink_to(root, target_is_directory=True)
    report = ingest_paths(db, [root])
    assert report.stored == 1
    assert len(report.failures) == 1
    failure = report.failures[0]
    assert failure.path == root / "a" / "back"
    assert "symlink loop" in failure.reason


def test_missing_path_is_reported(db: Database, runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "brief.txt"
    good = write(tmp_path / "good.txt", GOOD_TXT)
    report = ingest_paths(db, [missing, good])
    assert report.failures == [IngestFailure(missing, "no such file or directory")]
    assert report.stored == 1

    result = runner.invoke(cli, ["--db", str(tmp_path / "cli.db"), "ingest", str(missing)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"failed  {missing}: no such file or directory"


def test_progress_callback_sees_every_file(db: Database, batch: Path) -> None:
    seen: list[tuple[str, str]] = []
    ingest_paths(
        db,
        [batch],
        on_file=lambda _item, outcome: seen.append((outcome.path.name, type(outcome).__name__)),
    )
    assert sorted(seen) == [
        ("badyaml.md", "IngestFailure"),
        ("empty.txt", "IngestFailure"),
        ("good.txt", "IngestResult"),
        ("grid.md", "IngestResult"),
        ("nodate.txt", "IngestFailure"),
    ]


def test_failure_line_keeps_brackets_in_the_path(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "levy [draft].txt", NO_DATE)
    result = runner.invoke(cli, ["--db", str(tmp_path / "t.db"), "ingest", str(path)])
    assert result.exit_code == 1
    assert str(path) in result.stderr
