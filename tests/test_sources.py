"""tracker.toml and `tracker sources add | list | remove`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.httpserver import Route, Server, serve
from tests.site import OUTLOOK, article, rss
from tracker.cli import cli
from tracker.errors import ConfigError
from tracker.ingest.netguard import ENV_ALLOW
from tracker.ingest.sources import Source, config_path, load_config


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    # The test server is on 127.0.0.1, which the SSRF guard refuses without this opt-in.
    monkeypatch.setenv(ENV_ALLOW, "1")
    with serve() as s:
        s.routes["/feed.xml"] = Route(
            rss([("Outlook", s.url("/outlook.html"), None)]), content_type="application/rss+xml"
        )
        s.routes["/feed-as-xml"] = Route(
            rss([("Outlook", s.url("/outlook.html"), None)]), content_type="text/xml"
        )
        s.routes["/outlook.html"] = Route(article("Outlook", OUTLOOK, date="2024-01-15"))
        s.routes["/report.pdf"] = Route(b"%PDF-1.4 whatever", content_type="application/pdf")
        yield s


def invoke(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "tracker.db"), *args])
    return result.exit_code, result.stdout, result.stderr


def test_add_sniffs_feeds_pages_and_folders_and_list_numbers_them(
    server: Server, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for target in (
        server.url("/feed.xml"),
        server.url("/feed-as-xml"),
        server.url("/outlook.html"),
        server.url("/report.pdf"),
        str(inbox),
    ):
        code, out, _ = invoke(tmp_path, "sources", "add", target)
        assert code == 0, out
    code, out, _ = invoke(tmp_path, "sources", "list")
    rows = [line.split() for line in out.splitlines()]
    assert rows == [
        ["#", "kind", "location"],
        ["1", "feed", server.url("/feed.xml")],
        ["2", "feed", server.url("/feed-as-xml")],
        ["3", "page", server.url("/outlook.html")],
        ["4", "page", server.url("/report.pdf")],
        ["5", "inbox", str(inbox.resolve())],
    ]
    # The file sits beside the database and is plain TOML that tomllib reads back.
    config = load_config(tmp_path / "tracker.toml")
    assert config.sources[0] == Source("feed", server.url("/feed.xml"))
    assert config.sources[4] == Source("inbox", str(inbox.resolve()))


def test_remove_by_url_or_number_keeps_the_users_comments(server: Server, tmp_path: Path) -> None:
    toml = tmp_path / "tracker.toml"
    toml.write_text(
        "# my sources, checked hourly\n\n"
        f'[[source]]\nkind = "feed"  # the ministry\nurl = "{server.url("/feed.xml")}"\n\n'
        f'[[source]]\nkind = "page"\nurl = "{server.url("/outlook.html")}"\n\n'
        "[fetch]\ntimeout = 10  # slow server\n",
        encoding="utf-8",
    )
    code, out, _ = invoke(tmp_path, "sources", "remove", "2")
    assert code == 0 and out.strip() == f"removed page {server.url('/outlook.html')}"
    text = toml.read_text(encoding="utf-8")
    assert "# my sources, checked hourly" in text
    assert "# the ministry" in text and "timeout = 10  # slow server" in text
    assert "outlook" not in text
    code, _, _ = invoke(tmp_path, "sources", "remove", server.url("/feed.xml"))
    assert code == 0
    assert load_config(toml).sources == []
    assert load_config(toml).fetch.timeout == 10.0
    code, _, err = invoke(tmp_path, "sources", "remove", server.url("/feed.xml"))
    assert code == 1 and "no source" in err and "tracker sources list" in err


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("file:///etc/passwd", "only http and https URLs are fetched, not file:// URLs"),
        ("ftp://example.org/briefs.xml", "not ftp:// URLs"),
        ("example.org/feed.xml", "no such folder (for a web address, start it with https://"),
    ],
)
def test_add_refuses_what_cannot_be_a_source(tmp_path: Path, target: str, message: str) -> None:
    code, _, err = invoke(tmp_path, "sources", "add", target)
    assert code == 1
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "tracker.toml").exists()


def test_add_reports_an_unreachable_url_and_kind_skips_the_request(
    server: Server, tmp_path: Path
) -> None:
    code, _, err = invoke(tmp_path, "sources", "add", server.url("/gone.xml"))
    assert code == 1 and "HTTP 404" in err and "--kind feed" in err
    code, _, _ = invoke(tmp_path, "sources", "add", server.url("/gone.xml"), "--kind", "feed")
    assert code == 0
    assert load_config(tmp_path / "tracker.toml").sources == [
        Source("feed", server.url("/gone.xml"))
    ]
    assert len(server.requests_for("/gone.xml")) == 1
    code, _, err = invoke(tmp_path, "sources", "add", server.url("/gone.xml"), "--kind", "feed")
    assert code == 1 and "already a source" in err


def test_add_a_file_instead_of_a_folder(tmp_path: Path) -> None:
    brief = tmp_path / "brief.txt"
    brief.write_text("x", encoding="utf-8")
    code, _, err = invoke(tmp_path, "sources", "add", str(brief))
    assert code == 1 and "a file, not a folder" in err


def test_config_location_flag_and_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRACKER_CONFIG", raising=False)
    assert (
        config_path("sqlite:///" + str(tmp_path / "db" / "t.db"))
        == tmp_path / "db" / "tracker.toml"
    )
    monkeypatch.chdir(tmp_path)
    assert config_path("postgresql+psycopg://h/db") == tmp_path / "tracker.toml"
    monkeypatch.setenv("TRACKER_CONFIG", str(tmp_path / "env.toml"))
    assert config_path("postgresql+psycopg://h/db") == tmp_path / "env.toml"
    assert config_path("sqlite:///x.db", tmp_path / "flag.toml") == tmp_path / "flag.toml"

    inbox = tmp_path / "in"
    inbox.mkdir()
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            str(tmp_path / "t.db"),
            "--config",
            str(tmp_path / "other.toml"),
            "sources",
            "add",
            str(inbox),
        ],
    )
    assert result.exit_code == 0
    assert load_config(tmp_path / "other.toml").sources == [Source("inbox", str(inbox))]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[source]\n", "not valid TOML"),
        ('[[source]]\nkind = "torrent"\nurl = "https://x.org"\n', "kind must be one of"),
        ('[[source]]\nkind = "feed"\n', 'a feed needs url = "https://..."'),
        ('[[source]]\nkind = "feed"\nurl = "file:///etc/passwd"\n', "only http and https"),
        ('[[source]]\nkind = "inbox"\n', 'an inbox needs path = "FOLDER"'),
        ('[fetch]\ntimeout = "soon"\n', "[fetch] values must be numbers"),
        ('[fetch]\nallow_private = "yes"\n', "[fetch] allow_private must be true or false"),
    ],
)
def test_a_bad_config_is_one_line_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    toml = tmp_path / "tracker.toml"
    toml.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=str(toml)) as info:
        load_config(toml)
    assert message in str(info.value)
    code, _, err = invoke(tmp_path, "ingest", "--sources")
    assert code == 1 and message in err


def test_relative_inbox_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    toml = tmp_path / "conf" / "tracker.toml"
    toml.parent.mkdir()
    toml.write_text('[[source]]\nkind = "inbox"\npath = "../drop"\n', encoding="utf-8")
    assert load_config(toml).sources == [Source("inbox", str(tmp_path / "drop"))]
