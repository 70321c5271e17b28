"""Cron runs over feeds, a page and an inbox served by a local HTTP server (127.0.0.1)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.httpserver import Route, Server, serve
from tests.site import full_site, good_site
from tests.test_readers import make_pdf
from tracker.app.ingesting import run_sources
from tracker.cli import cli
from tracker.errors import RunLocked
from tracker.ingest.fetch import Fetcher, FetchPolicy
from tracker.ingest.lock import run_lock
from tracker.ingest.netguard import ENV_ALLOW
from tracker.ingest.sources import Config, Source
from tracker.store.db import Database, open_database
from tracker.store.models import Brief, FeedEntry, Run

ROOT = Path(__file__).resolve().parent.parent
POLICY = FetchPolicy(timeout=0.3, retries=1, backoff=0.0, max_bytes=256 * 1024)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    # The test server is on 127.0.0.1, which the SSRF guard refuses without this opt-in.
    monkeypatch.setenv(ENV_ALLOW, "1")
    with serve() as s:
        yield s


def quick_fetcher() -> Fetcher:
    return Fetcher(POLICY, sleep=lambda _s: None)


def briefs_by_url(db: Database) -> dict[str, int]:
    with Session(db.engine) as session:
        rows = session.execute(select(Brief.url, func.count()).group_by(Brief.url)).all()
    return {url: n for url, n in rows}


def config_for(server: Server, tmp_path: Path) -> Config:
    return Config(
        tmp_path / "tracker.toml",
        [
            Source("feed", server.url("/feed.xml")),
            Source("feed", server.url("/atom.xml")),
            Source("feed", server.url("/malformed.xml")),
            Source("page", server.url("/outlook.html")),
        ],
    )


def test_first_run_ingests_the_good_items_and_reports_the_bad_ones(
    server: Server, db: Database, tmp_path: Path
) -> None:
    full_site(server)
    with quick_fetcher() as fetcher:
        report = run_sources(db, config_for(server, tmp_path), fetcher)

    by_item = {o.item: o for o in report.outcomes}
    new = {o.item for o in report.outcomes if o.status == "new"}
    assert new == {
        server.url(p)
        for p in (
            "/articles/tariffs.html",
            "/articles/grid.html",
            "/files/ports.pdf",
            "/desk/heat.html",
            "/outlook.html",
        )
    }
    failed = {o.item: o.message for o in report.outcomes if o.status == "failed"}
    assert failed[server.url("/articles/broken.html")] == "HTTP 500 Internal Server Error"
    assert failed[server.url("/articles/slow.html")].startswith("timed out after 0.3 s")
    assert failed[server.url("/articles/loop.html")] == "more than 5 redirects"
    assert "larger than the 262144 byte limit" in failed[server.url("/articles/huge.html")]
    assert "only http and https" in next(v for k, v in failed.items() if k.startswith("file:"))
    assert failed[server.url("/malformed.xml")].startswith("malformed feed")
    assert len(failed) == 6
    # The same article under a second address is recognised by its content.
    copy = by_item[server.url("/desk/tariffs-copy.html")]
    assert copy.status == "unchanged" and copy.message.startswith("already present")
    assert report.summary() == "5 new, 1 unchanged, 6 failed"
    assert report.exit_status == 1

    # Metadata from the page where it has it, else from the feed entry.
    with Session(db.engine) as session:
        briefs = {b.url: b for b in session.scalars(select(Brief))}
    tariffs = briefs[server.url("/articles/tariffs.html")]
    assert (tariffs.title, str(tariffs.date), tariffs.authors) == (
        "Solar tariff cut",
        "2024-03-04",
        ["Lena Park"],
    )
    grid = briefs[server.url("/articles/grid.html")]
    assert str(grid.date) == "2024-04-10"  # the feed's pubDate
    assert grid.authors == ["Policy Desk"]
    assert grid.source == "Coastal Policy Notes"
    pdf = briefs[server.url("/files/ports.pdf")]
    assert (pdf.format, pdf.title, str(pdf.date)) == ("pdf", "Shore power for ports", "2024-05-02")
    # Raw bytes are archived under snapshots/ like ingested files, named by content.
    archived = db.archive_root / pdf.archive_path
    assert archived.read_bytes() == server.routes["/files/ports.pdf"].body
    assert archived.parent.parent == db.archive_root

    # The run is recorded with its counts and errors.
    with Session(db.engine) as session:
        run = session.scalars(select(Run)).one()
    assert (run.new, run.unchanged, run.failed, run.exit_status) == (5, 1, 6, 1)
    assert run.finished_at is not None
    assert {e["item"] for e in run.errors} == set(failed)


def test_second_run_sends_conditional_requests_and_ingests_nothing_new(
    server: Server, db: Database, tmp_path: Path
) -> None:
    full_site(server)
    config = config_for(server, tmp_path)
    with quick_fetcher() as fetcher:
        run_sources(db, config, fetcher)
    before = briefs_by_url(db)
    loop_requests = len(server.requests_for("/articles/loop.html"))
    with quick_fetcher() as fetcher:
        second = run_sources(db, config, fetcher)

    assert second.count("new") == 0
    assert briefs_by_url(db) == before
    assert all(n == 1 for n in before.values())
    feed, atom, page = (
        server.requests_for(p)[-1].headers for p in ("/feed.xml", "/atom.xml", "/outlook.html")
    )
    assert feed["if-none-match"] == '"rss-1"'
    assert atom["if-modified-since"] == "Wed, 01 May 2024 00:00:00 GMT"
    assert page["if-none-match"] == '"outlook-1"'
    for path in ("/feed.xml", "/atom.xml", "/outlook.html"):
        assert server.statuses_for(path) == [200, 304]
    # Stored entries are never fetched again; permanent failures are reported once.
    for path in ("/articles/tariffs.html", "/files/ports.pdf", "/articles/huge.html"):
        assert len(server.requests_for(path)) == 1
    assert len(server.requests_for("/articles/loop.html")) == loop_requests
    # Passing failures are retried from the database although the feed answered 304.
    failed = {o.item for o in second.outcomes if o.status == "failed"}
    assert failed == {
        server.url("/articles/broken.html"),
        server.url("/articles/slow.html"),
        server.url("/malformed.xml"),
    }


def test_a_failed_entry_is_stored_once_the_server_recovers(
    server: Server, db: Database, tmp_path: Path
) -> None:
    full_site(server)
    config = config_for(server, tmp_path)
    with quick_fetcher() as fetcher:
        run_sources(db, config, fetcher)
    # The article comes back, but the feed no longer lists it (and answers 304 anyway).
    server.routes["/articles/broken.html"].status = 200
    server.routes["/articles/broken.html"].body = server.routes["/desk/heat.html"].body.replace(
        b"apartment blocks", b"terraced houses"
    )
    with quick_fetcher() as fetcher:
        second = run_sources(db, config, fetcher)
    assert [o.item for o in second.outcomes if o.status == "new"] == [
        server.url("/articles/broken.html")
    ]
    with Session(db.engine) as session:
        entry = session.scalars(
            select(FeedEntry).where(FeedEntry.url == server.url("/articles/broken.html"))
        ).one()
    assert (entry.status, entry.attempts) == ("stored", 2)


def test_entries_that_keep_failing_are_given_up_after_max_attempts(
    server: Server, db: Database, tmp_path: Path
) -> None:
    full_site(server)
    config = Config(tmp_path / "tracker.toml", [Source("feed", server.url("/feed.xml"))])
    for _ in range(3):
        with quick_fetcher() as fetcher:
            last = run_sources(db, config, fetcher, max_attempts=3)
    broken = next(o for o in last.outcomes if o.item == server.url("/articles/broken.html"))
    assert broken.message.startswith("gave up after 3 attempts")
    with quick_fetcher() as fetcher:
        after = run_sources(db, config, fetcher, max_attempts=3)
    assert after.count("failed") == 0 and after.exit_status == 0


def test_inbox_files_are_moved_to_done_or_failed_never_deleted(
    server: Server, db: Database, tmp_path: Path
) -> None:
    inbox = tmp_path / "briefs" / "inbox"
    (inbox / "sub").mkdir(parents=True)
    good = "Date: 2023-09-01\n\nThe council will plant 5,000 street trees by 2026.\n"
    (inbox / "trees.txt").write_text(good, encoding="utf-8")
    (inbox / "sub" / "empty.txt").write_text("", encoding="utf-8")
    (inbox / "notes.docx").write_bytes(b"PK\x03\x04 not supported")
    (inbox / ".partial.txt").write_text("still being copied", encoding="utf-8")
    done = tmp_path / "briefs" / "done"
    done.mkdir()
    (done / "trees.txt").write_text("an older file of the same name", encoding="utf-8")
    config = Config(tmp_path / "tracker.toml", [Source("inbox", str(inbox))])

    report = run_sources(db, config, settle=0)

    assert report.summary() == "1 new, 0 unchanged, 2 failed"
    assert (done / "trees.txt").read_text(encoding="utf-8") == "an older file of the same name"
    assert (done / "trees-2.txt").read_text(encoding="utf-8") == good
    failed = tmp_path / "briefs" / "failed"
    assert (failed / "sub" / "empty.txt").exists()
    assert (failed / "notes.docx").exists()
    assert sorted(p.name for p in inbox.rglob("*") if p.is_file()) == [".partial.txt"]
    reasons = {Path(o.item).name: o.message for o in report.outcomes if o.status == "failed"}
    assert "unsupported file type" in reasons["notes.docx"]


def test_inbox_leaves_files_that_are_still_being_written(db: Database, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "fresh.txt").write_text("Date: 2023-09-01\n\nThe port will expand.\n", "utf-8")
    config = Config(tmp_path / "tracker.toml", [Source("inbox", str(inbox))])
    report = run_sources(db, config, settle=3600)
    assert report.outcomes == []
    assert (inbox / "fresh.txt").exists()


def test_one_broken_source_does_not_stop_the_others(
    server: Server, db: Database, tmp_path: Path
) -> None:
    good_site(server)
    config = Config(
        tmp_path / "tracker.toml",
        [
            Source("inbox", str(tmp_path / "missing-inbox")),
            Source("feed", server.url("/no-such-feed.xml")),
            Source("feed", server.url("/feed.xml")),
        ],
    )
    with quick_fetcher() as fetcher:
        report = run_sources(db, config, fetcher)
    assert report.summary() == "3 new, 0 unchanged, 2 failed"


def test_report_dir_gets_a_change_report_per_new_brief(
    server: Server, db: Database, tmp_path: Path
) -> None:
    good_site(server)
    earlier = tmp_path / "2023-05-01-tariffs.txt"
    earlier.write_text(
        "The trade ministry will keep the tariff on imported solar panels at 12% in 2024.\n"
        "Domestic manufacturers welcomed the decision.\n",
        encoding="utf-8",
    )
    from tracker.ingest import ingest_file

    old = ingest_file(db, earlier)
    config = Config(tmp_path / "tracker.toml", [Source("feed", server.url("/feed.xml"))])
    reports = tmp_path / "reports"
    with quick_fetcher() as fetcher:
        report = run_sources(db, config, fetcher, report_dir=reports)
    assert sorted(p.name for p in reports.iterdir()) == sorted(
        f"brief-{i}-vs-2023.html" for i in report.new_brief_ids
    )
    tariffs = next(o.brief_id for o in report.outcomes if o.item.endswith("tariffs.html"))
    html = (reports / f"brief-{tariffs}-vs-2023.html").read_text(encoding="utf-8")
    assert "12% to 4%" in html and "at 12% in 2024" in html
    assert f"brief {old.brief_id}" not in report.notes


def test_a_change_report_that_cannot_be_written_fails_the_run_not_a_source(
    server: Server, db: Database, tmp_path: Path
) -> None:
    good_site(server)
    earlier = tmp_path / "2023-05-01-tariffs.txt"
    earlier.write_text(
        "The trade ministry will keep the tariff on imported solar panels at 12% in 2024.\n",
        encoding="utf-8",
    )
    from tracker.ingest import ingest_file

    ingest_file(db, earlier)
    config = Config(tmp_path / "tracker.toml", [Source("feed", server.url("/feed.xml"))])
    blocked = tmp_path / "reports"
    blocked.write_text("a file where the report folder should be", encoding="utf-8")
    with quick_fetcher() as fetcher:
        report = run_sources(db, config, fetcher, report_dir=blocked)
    failed = [o for o in report.outcomes if o.status == "failed"]
    assert failed and all(o.source is None for o in failed)
    assert {e["source"] for e in report.errors} == {"change report"}
    assert all(e["item"].startswith("brief ") for e in report.errors)
    assert report.exit_status == 1 and report.count("new") >= 1


# -- the command line ----------------------------------------------------------------------


def write_config(path: Path, server: Server, extra: str = "") -> None:
    path.write_text(
        f"""# test sources
[[source]]
kind = "feed"
url = "{server.url("/feed.xml")}"

[fetch]
timeout = 0.3
retries = 0
max_mb = 0.25
{extra}""",
        encoding="utf-8",
    )


def test_cli_run_is_silent_when_all_went_well_and_loud_when_not(
    server: Server, tmp_path: Path
) -> None:
    good_site(server)
    dbfile = tmp_path / "tracker.db"
    write_config(tmp_path / "tracker.toml", server)
    runner = CliRunner()
    first = runner.invoke(cli, ["--db", str(dbfile), "ingest", "--sources"])
    assert first.exit_code == 0, first.output
    assert first.stdout == "" and first.stderr == ""

    second = runner.invoke(cli, ["--db", str(dbfile), "ingest", "--sources", "-v"])
    assert second.exit_code == 0
    assert (
        "unchanged " + server.url("/feed.xml") + ": feed not modified (HTTP 304)" in second.stdout
    )
    assert second.stdout.rstrip().endswith("run 2: 0 new, 1 unchanged, 0 failed")

    server.routes["/feed.xml"].etag = '"rss-2"'
    server.routes["/articles/grid.html"].status = 500
    server.routes["/feed.xml"].body = server.routes["/feed.xml"].body.replace(
        b"/articles/grid.html", b"/articles/grid-v2.html"
    )
    log = tmp_path / "logs" / "ingest.log"
    third = runner.invoke(cli, ["--db", str(dbfile), "ingest", "--sources", "--log-file", str(log)])
    assert third.exit_code == 1
    assert (
        "failed    " + server.url("/articles/grid-v2.html") + ": HTTP 404 Not Found" in third.stderr
    )
    assert third.stdout.strip() == "run 3: 0 new, 2 unchanged, 1 failed"
    logged = log.read_text(encoding="utf-8")
    assert "HTTP 404 Not Found" in logged and "run 3: 0 new, 2 unchanged, 1 failed" in logged

    runs = runner.invoke(cli, ["--db", str(dbfile), "runs"])
    assert runs.exit_code == 0
    lines = runs.stdout.splitlines()
    assert lines[0].split() == ["id", "started", "took", "new", "unchanged", "failed", "status"]
    assert lines[1].split()[0] == "3" and lines[1].split()[-2:] == ["exit", "1"]
    assert lines[3].split()[0] == "1" and lines[3].split()[-4:] == ["3", "0", "0", "ok"]
    one = runner.invoke(cli, ["--db", str(dbfile), "runs", "3"])
    assert "failed  " + server.url("/articles/grid-v2.html") + ": HTTP 404 Not Found" in one.stdout


def test_cli_exits_75_when_another_run_holds_the_lock(server: Server, tmp_path: Path) -> None:
    good_site(server)
    dbfile = tmp_path / "tracker.db"
    write_config(tmp_path / "tracker.toml", server)
    db = open_database(str(dbfile))
    with run_lock(db, tmp_path / "tracker.toml", wait=0):
        result = CliRunner().invoke(
            cli, ["--db", str(dbfile), "ingest", "--sources", "--wait", "0"]
        )
    assert result.exit_code == 75
    assert "another tracker run holds" in result.stderr
    assert server.requests == []


def test_cli_without_sources_says_how_to_add_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "ingest", "--sources"])
    assert result.exit_code == 1
    assert "no sources in" in result.stderr and "tracker sources add" in result.stderr


def test_cli_ingest_one_url_and_a_refused_scheme(server: Server, tmp_path: Path) -> None:
    good_site(server)
    db_args = ["--db", str(tmp_path / "t.db")]
    runner = CliRunner()
    result = runner.invoke(
        cli, [*db_args, "ingest", server.url("/files/ports.pdf"), "--date", "2024-05-02"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "stored           " + server.url("/files/ports.pdf") + " → brief 1 (2024-05-02"
    )
    again = runner.invoke(
        cli, [*db_args, "ingest", server.url("/files/ports.pdf"), "--date", "2024-05-02"]
    )
    assert again.stdout.splitlines()[-1] == "0 stored, 1 already present, 0 failed"
    bad = runner.invoke(cli, [*db_args, "ingest", "ftp://example.org/brief.pdf"])
    assert bad.exit_code == 1
    assert "only http and https URLs are fetched, not ftp:// URLs" in bad.stderr
    missing = server.url("/files/missing.pdf")
    gone = runner.invoke(cli, [*db_args, "ingest", missing])
    assert gone.exit_code == 1
    # One line: the URL once, then the reason.
    (line,) = gone.stderr.splitlines()
    assert line.startswith(f"failed  {missing}: HTTP 404") and line.count(missing) == 1


def test_cli_ingest_of_urls_is_recorded_as_a_run(server: Server, tmp_path: Path) -> None:
    good_site(server)
    db_args = ["--db", str(tmp_path / "t.db")]
    pdf, grid, missing = (
        server.url(p) for p in ("/files/ports.pdf", "/articles/grid.html", "/files/missing.pdf")
    )
    runner = CliRunner()
    first = runner.invoke(cli, [*db_args, "ingest", pdf, missing, "--date", "2024-05-02"])
    assert first.exit_code == 1
    second = runner.invoke(cli, [*db_args, "ingest", pdf, grid, "--date", "2024-05-02"])
    assert second.exit_code == 0, second.output
    # Files alone fetch nothing and are not a run.
    brief = tmp_path / "2023-09-01-trees.txt"
    brief.write_text("The council will plant 5,000 street trees by 2026.\n", encoding="utf-8")
    assert runner.invoke(cli, [*db_args, "ingest", str(brief)]).exit_code == 0

    with Session(open_database(str(tmp_path / "t.db")).engine) as session:
        runs = session.scalars(select(Run).order_by(Run.id)).all()
    assert [(r.new, r.unchanged, r.failed, r.exit_status) for r in runs] == [
        (1, 0, 1, 1),
        (1, 1, 0, 0),
    ]
    assert all(r.finished_at is not None and r.finished_at >= r.started_at for r in runs)
    assert runs[0].errors == [{"source": missing, "item": missing, "reason": "HTTP 404 Not Found"}]
    assert runs[1].errors == []

    listed = runner.invoke(cli, [*db_args, "runs"])
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert lines[1].split()[0] == "2" and lines[1].split()[-4:] == ["1", "1", "0", "ok"]
    assert lines[2].split()[0] == "1" and lines[2].split()[-5:] == ["1", "0", "1", "exit", "1"]
    assert len(lines) == 3
    one = runner.invoke(cli, [*db_args, "runs", "1"])
    assert one.stdout.splitlines()[1:] == [
        "1 new, 0 unchanged, 1 failed",
        f"failed  {missing}: HTTP 404 Not Found",
    ]


def test_two_runs_started_at_once_ingest_each_item_once(server: Server, tmp_path: Path) -> None:
    good_site(server)
    dbfile = tmp_path / "tracker.db"
    write_config(tmp_path / "tracker.toml", server)
    open_database(str(dbfile)).engine.dispose()  # migrate first: both runs start equal
    env = {**os.environ, "TRACKER_DB": str(dbfile)}
    env.pop("TRACKER_CONFIG", None)
    command = [sys.executable, "-m", "tracker", "ingest", "--sources", "--wait", "60"]
    procs = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    db = open_database(str(dbfile))
    counts = briefs_by_url(db)
    assert sorted(counts) == sorted(
        server.url(p) for p in ("/articles/tariffs.html", "/articles/grid.html", "/files/ports.pdf")
    )
    assert set(counts.values()) == {1}
    # Each article was fetched once: the second run waited, then found them all stored.
    for path in ("/articles/tariffs.html", "/articles/grid.html", "/files/ports.pdf"):
        assert len(server.requests_for(path)) == 1
    with Session(db.engine) as session:
        runs = session.scalars(select(Run).order_by(Run.id)).all()
    assert [(r.new, r.exit_status) for r in runs] == [(3, 0), (0, 0)]
    assert json.dumps(runs[1].errors) == "[]"
    time.sleep(0)  # nothing timed here: the order of the two runs is whatever the lock gave


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/../../etc/passwd",
        "https://example.org/a/..%2F..%2F..%2Fetc%2Fpasswd",
        "https://example.org/x/%2e%2e%5c%2e%2e%5cboot.ini",
    ],
)
def test_a_hostile_url_gives_a_bare_file_name(url: str) -> None:
    from tracker.ingest.fetch import Fetched
    from tracker.ingest.pages import name_for

    name = name_for(Fetched(url, 200, b"", "text/html", None, None))
    # One path component with no separator in it: it can name nothing but itself (and the
    # archive names files by content hash anyway).
    assert len(name.parts) == 1 and name.suffix == ".html"
    assert "/" not in name.name and "\\" not in name.name and name.name not in (".", "..")


def test_runs_from_two_machines_sharing_one_database_exclude_each_other(
    db: Database, tmp_path: Path
) -> None:
    # Two hosts have their own tracker.toml (so their own lock files when the database is a
    # server); on PostgreSQL the database's advisory lock still keeps them apart.
    host_a, host_b = tmp_path / "a", tmp_path / "b"
    host_a.mkdir()
    host_b.mkdir()
    with run_lock(db, host_a / "tracker.toml", wait=0):
        second = run_lock(db, host_b / "tracker.toml", wait=0)
        with pytest.raises(RunLocked):
            second.__enter__()
    with run_lock(db, host_b / "tracker.toml", wait=0):  # released: the next run goes ahead
        pass


def test_cli_ingest_of_a_url_says_where_the_date_came_from(server: Server, tmp_path: Path) -> None:
    good_site(server)
    today = dt.date.today()
    server.routes["/files/2022-03-04-levy.pdf"] = Route(
        make_pdf(["The port levy will rise by 3 percent next year."], created=f"{today:%Y%m%d}"),
        content_type="application/pdf",
    )
    db_args = ["--db", str(tmp_path / "t.db")]
    runner = CliRunner()
    named = server.url("/files/2022-03-04-levy.pdf")
    result = runner.invoke(cli, [*db_args, "ingest", named])
    assert result.exit_code == 0, result.output
    # The PDF's CreationDate (today) wins over the date in the URL, and is warned about.
    assert result.stdout.splitlines()[0].endswith(
        f"({today}, 1 claims, date from PDF CreationDate)"
    )
    assert result.stderr.startswith(f"warning  {named}: date {today} (from PDF CreationDate)")
    undated = server.url("/files/ports.pdf")
    given = runner.invoke(cli, [*db_args, "ingest", undated, "--date", "2024-05-02"])
    assert "date from --date)" in given.stdout.splitlines()[0]
    assert given.stderr == ""
