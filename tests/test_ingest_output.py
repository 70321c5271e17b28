"""What `tracker ingest` tells a user about each file (issue #15).

Where each brief's date came from (a PDF's CreationDate is the day it was exported), a
warning for a date of today or later, and a line for every folder entry that is not a brief
instead of skipping it silently.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.test_readers import make_pdf
from tracker.cli import cli
from tracker.ingest import Skipped, iter_brief_files

PROSE = "The county will reopen the mountain railway to passengers in the summer of 2027.\n"
PAGE = (
    "<!DOCTYPE html><html><head><title>Railway</title><meta name='date' content='2020-02-11'>"
    "</head><body><article><h1>Railway</h1><p>The county will reopen the mountain railway to "
    "passengers in the summer, the transport office said.</p><p>Tickets are to cost the same "
    "as the bus fare over the pass, according to the draft timetable.</p></article></body>"
    "</html>"
)


def _ingest(runner: CliRunner, db: Path, *args: str) -> tuple[int, list[str], list[str]]:
    result = runner.invoke(cli, ["--db", str(db), "ingest", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout.splitlines(), result.stderr.splitlines()


def _pdf_stamp(day: dt.date) -> str:
    return day.strftime("%Y%m%d") + "093000Z"


def test_each_stored_line_says_where_its_date_came_from(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(f"---\ndate: 2021-04-05\n---\n\n{PROSE}", encoding="utf-8")
    (folder / "b.txt").write_text(f"Date: 2021-04-06\n\n{PROSE} It is cheap.\n", encoding="utf-8")
    (folder / "c-2021-04-07.txt").write_text(PROSE + "Fares stay low.\n", encoding="utf-8")
    (folder / "d.html").write_text(PAGE, encoding="utf-8")
    (folder / "e.pdf").write_bytes(
        make_pdf(
            ["The pass road will close each winter from 2026."],
            created=_pdf_stamp(dt.date(2019, 3, 1)),
        )
    )
    code, out, err = _ingest(runner, tmp_path / "t.db", str(folder))
    assert code == 0, err
    origins = {
        line.split()[1].rsplit("/", 1)[-1]: line.rsplit(", date from ", 1)[-1] for line in out[:-1]
    }
    assert origins == {
        "a.md": "front matter)",
        "b.txt": "Date: header)",
        "c-2021-04-07.txt": "file name)",
        "d.html": "HTML metadata)",
        "e.pdf": "PDF CreationDate)",
    }
    assert err == []  # all dates are in the past: no warning


def test_date_option_is_named_as_the_source(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "brief.pdf"
    path.write_bytes(make_pdf([PROSE.strip()], created=_pdf_stamp(dt.date.today())))
    code, out, err = _ingest(runner, tmp_path / "t.db", str(path), "--date", "2018-05-05")
    assert code == 0
    assert out[0].endswith("(2018-05-05, 1 claims, date from --date)")
    assert err == []


def test_a_creation_date_of_today_is_warned_about(runner: CliRunner, tmp_path: Path) -> None:
    today = dt.date.today()
    path = tmp_path / "exported.pdf"
    path.write_bytes(make_pdf([PROSE.strip()], created=_pdf_stamp(today)))
    code, out, err = _ingest(runner, tmp_path / "t.db", str(path))
    assert code == 0  # a warning, not a failure
    assert out[0].endswith(f"({today}, 1 claims, date from PDF CreationDate)")
    assert len(err) == 1
    assert err[0].startswith(f"warning  {path}: date {today} (from PDF CreationDate) is today")
    assert err[0].endswith("to change it: tracker briefs edit 1 --date YYYY-MM-DD")
    fixed = runner.invoke(
        cli, ["--db", str(tmp_path / "t.db"), "briefs", "edit", "1", "--date", "2019-03-01"]
    )
    assert fixed.exit_code == 0, fixed.output
    listed = runner.invoke(cli, ["--db", str(tmp_path / "t.db"), "briefs"])
    assert "2019-03-01" in listed.stdout


def test_a_date_in_the_future_is_warned_about(runner: CliRunner, tmp_path: Path) -> None:
    later = dt.date.today() + dt.timedelta(days=40)
    path = tmp_path / "brief.md"
    path.write_text(f"---\ndate: {later}\n---\n\n{PROSE}", encoding="utf-8")
    code, _out, err = _ingest(runner, tmp_path / "t.db", str(path))
    assert code == 0
    assert err == [
        f"warning  {path}: date {later} (from front matter) is in the future, often the day "
        "the file was saved rather than the brief's as-of date; to change it: "
        "tracker briefs edit 1 --date YYYY-MM-DD"
    ]


def test_a_date_given_with_the_option_is_never_warned_about(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "brief.txt"
    path.write_text(PROSE, encoding="utf-8")
    code, _out, err = _ingest(runner, tmp_path / "t.db", str(path), "--date", str(dt.date.today()))
    assert code == 0
    assert err == []


# -- entries that are not briefs -----------------------------------------------------------


@pytest.fixture
def cluttered(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / ".git").mkdir(parents=True)
    (folder / ".git" / "HEAD.txt").write_text(PROSE, encoding="utf-8")
    (folder / "2021-01-01-brief.txt").write_text(PROSE, encoding="utf-8")
    (folder / "minutes.docx").write_bytes(b"PK\x03\x04")
    (folder / "photo.png").write_bytes(b"\x89PNG")
    (folder / "table.csv").write_text("a,b\n", encoding="utf-8")
    (folder / ".hidden.md").write_text(PROSE, encoding="utf-8")
    (folder / "README").write_text(PROSE, encoding="utf-8")
    (folder / "loop-a").symlink_to(folder / "loop-b")
    (folder / "loop-b").symlink_to(folder / "loop-a")
    return folder


CLUTTER = {
    ".git": "hidden folder",
    ".hidden.md": "hidden file",
    "README": "unsupported type (no suffix)",
    "loop-a": "symlink loop",
    "loop-b": "symlink loop",
    "minutes.docx": "unsupported type .docx",
    "photo.png": "unsupported type .png",
    "table.csv": "unsupported type .csv",
}


def test_the_walk_reports_what_it_leaves_out(cluttered: Path) -> None:
    skipped: list[Skipped] = []
    found = list(iter_brief_files([cluttered], skipped=skipped))
    assert found == [cluttered / "2021-01-01-brief.txt"]
    assert {s.path.name: s.reason for s in skipped} == CLUTTER


def test_each_skipped_entry_is_one_line(runner: CliRunner, cluttered: Path, tmp_path: Path) -> None:
    code, out, err = _ingest(runner, tmp_path / "t.db", str(cluttered))
    assert code == 0, err
    assert [line for line in out if line.startswith("skipped")] == [
        f"skipped  {cluttered / name}: {reason}" for name, reason in CLUTTER.items()
    ]
    assert out[-1] == f"1 stored, 0 already present, 0 failed, {len(CLUTTER)} skipped"
    assert err == []


def test_many_skipped_entries_are_summed_up_and_listed_with_v(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2021-01-01-brief.txt").write_text(PROSE, encoding="utf-8")
    for i in range(12):
        (folder / f"scan-{i:02}.png").write_bytes(b"\x89PNG")
    (folder / "notes.docx").write_bytes(b"PK")
    code, out, _err = _ingest(runner, tmp_path / "t.db", str(folder))
    assert code == 0
    assert out[0] == (
        "skipped  13 files that are not briefs "
        "(12 unsupported type .png, 1 unsupported type .docx); -v lists them"
    )
    assert out[-1] == "1 stored, 0 already present, 0 failed, 13 skipped"
    _code, verbose, _err = _ingest(runner, tmp_path / "t.db", str(folder), "-v")
    assert sum(line.startswith("skipped  ") for line in verbose) == 13
    _code, quiet, _err = _ingest(runner, tmp_path / "t.db", str(folder), "-q")
    assert quiet == ["0 stored, 1 already present, 0 failed, 13 skipped"]


def test_the_stores_own_files_are_not_listed(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "2021-01-01-brief.txt").write_text(PROSE, encoding="utf-8")
    (tmp_path / "tracker.toml").write_text("", encoding="utf-8")
    for _ in range(2):
        code, out, _err = _ingest(runner, tmp_path / "tracker.db", str(tmp_path))
        assert code == 0
        assert not [line for line in out if line.startswith("skipped")], out
        assert out[-1].endswith(" failed")
