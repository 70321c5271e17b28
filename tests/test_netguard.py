"""The SSRF guard: fetches to loopback, private, link-local and other non-public addresses are
refused unless allowed, on the first request and on every redirect hop."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.httpserver import Route, Server, serve
from tests.site import GRID, TARIFFS, article, rss
from tracker.cli import cli
from tracker.errors import FetchError
from tracker.ingest.cron import run_sources
from tracker.ingest.fetch import Fetcher, FetchPolicy
from tracker.ingest.netguard import ENV_ALLOW, check_public, non_public_reason
from tracker.ingest.sources import Config, Source, load_config
from tracker.store.db import Database
from tracker.store.models import FeedEntry

POLICY = FetchPolicy(timeout=0.3, retries=0, backoff=0.0)
HINT = "(set [fetch] allow_private = true to allow)"

# Made-up names the tests "resolve" themselves (see fake_dns); .test is reserved for tests
# (RFC 2606), so no real DNS answer can interfere.
PUBLIC_NAME = "briefs.test"
PUBLIC_ADDRESS = "93.184.216.34"
NAMES = {
    PUBLIC_NAME: [PUBLIC_ADDRESS],
    "intranet.test": ["10.0.0.5"],
    "mixed.test": [PUBLIC_ADDRESS, "127.0.0.1"],  # one bad answer is enough to refuse
    "v6.test": ["2606:4700:4700::1111", "fd12:3456::1"],
}


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """getaddrinfo answers NAMES for the test names and asks the real resolver otherwise."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if host == "gone.test":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        if host not in NAMES:
            return real(host, port, *args, **kwargs)
        answers = []
        for address in NAMES[host]:
            if ipaddress.ip_address(address).version == 4:
                answers.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)))
            else:
                answers.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0)))
        return answers

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


class PublicNameToLocalServer(httpx.BaseTransport):
    """Connects requests for PUBLIC_NAME to the local test server: the guard sees the public
    address fake_dns gives, the bytes come from 127.0.0.1. Any other host is sent as is."""

    def __init__(self, server: Server) -> None:
        self._port = int(server.base.rsplit(":", 1)[1])
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == PUBLIC_NAME:
            request.url = request.url.copy_with(host="127.0.0.1", port=self._port)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


@pytest.fixture
def server() -> Iterator[Server]:
    with serve() as s:
        yield s


def public(path: str) -> str:
    return f"http://{PUBLIC_NAME}{path}"


class Recorder:
    """A transport that answers 200 to everything and records what reached it."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        return httpx.Response(200, content=b"hello", headers={"content-type": "text/plain"})


# -- classification ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "a loopback address"),
        ("127.8.9.10", "a loopback address"),
        ("10.0.0.5", "a private network address"),
        ("172.16.4.1", "a private network address"),
        ("192.168.1.20", "a private network address"),
        ("169.254.169.254", "a link-local address (the cloud metadata service)"),
        ("169.254.10.1", "a link-local address"),
        ("0.0.0.0", "an unspecified address"),
        ("224.0.0.251", "a multicast address"),
        ("240.0.0.1", "a reserved address"),
        ("100.100.100.200", "a shared or special-purpose address"),
        ("::1", "a loopback address"),
        ("::", "an unspecified address"),
        ("fc00::1", "a private network address"),
        ("fd12:3456::1", "a private network address"),
        ("fe80::1", "a link-local address"),
        ("ff02::1", "a multicast address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("::ffff:10.1.2.3", "a private network address"),
        ("::ffff:169.254.169.254", "a link-local address (the cloud metadata service)"),
    ],
)
def test_non_public_addresses_are_named_with_their_kind(address: str, reason: str) -> None:
    assert non_public_reason(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:93.184.216.34"]
)
def test_public_addresses_pass(address: str) -> None:
    assert non_public_reason(ipaddress.ip_address(address)) is None


# -- the fetcher ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "http://10.0.0.5/x",
            f"http://10.0.0.5/x: refused: 10.0.0.5 is a private network address {HINT}",
        ),
        (
            "http://169.254.169.254/latest/meta-data/",
            "refused: 169.254.169.254 is a link-local address (the cloud metadata service)",
        ),
        ("http://[::1]:8080/", "refused: ::1 is a loopback address"),
        ("https://[::ffff:127.0.0.1]/", "refused: ::ffff:127.0.0.1 is a loopback address"),
        ("http://127.0.0.1:5432/", "refused: 127.0.0.1 is a loopback address"),
        ("http://localhost/admin", "refused: localhost resolves to "),
        ("http://intranet.test/", "intranet.test resolves to 10.0.0.5, a private network"),
        ("http://mixed.test/", "mixed.test resolves to 127.0.0.1, a loopback address"),
        ("http://v6.test/", "v6.test resolves to fd12:3456::1, a private network address"),
    ],
)
def test_requests_to_non_public_addresses_are_refused_before_connecting(
    fake_dns: None, url: str, message: str
) -> None:
    seen = Recorder()
    with (
        Fetcher(POLICY, transport=httpx.MockTransport(seen)) as fetcher,
        pytest.raises(FetchError) as info,
    ):
        fetcher.get(url)
    assert message in str(info.value)
    assert str(info.value).startswith(f"{url}: refused: ")
    assert str(info.value).endswith(HINT)
    assert len(str(info.value).splitlines()) == 1
    assert not info.value.transient  # the same every time: not retried, not re-fetched
    assert seen.urls == []


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.5/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8080/",
        "https://[::ffff:127.0.0.1]/",
        "http://intranet.test/",
    ],
)
@pytest.mark.parametrize("how", ["policy", "env"])
def test_the_opt_in_allows_them(
    fake_dns: None, monkeypatch: pytest.MonkeyPatch, url: str, how: str
) -> None:
    policy = POLICY
    if how == "env":
        monkeypatch.setenv(ENV_ALLOW, "1")
    else:
        policy = FetchPolicy(timeout=0.3, retries=0, allow_private=True)
    seen = Recorder()
    with Fetcher(policy, transport=httpx.MockTransport(seen)) as fetcher:
        assert fetcher.get(url).content == b"hello"
    assert len(seen.urls) == 1


@pytest.mark.parametrize("value", ["0", "", "no", "false"])
def test_other_env_values_do_not_opt_in(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(ENV_ALLOW, value)
    with Fetcher(POLICY) as fetcher, pytest.raises(FetchError, match=r"refused: 10\.0\.0\.5"):
        fetcher.get("http://10.0.0.5/")


def test_a_name_that_does_not_resolve_is_a_transient_error(fake_dns: None) -> None:
    with pytest.raises(FetchError, match=r"cannot resolve gone\.test \(") as info:
        check_public("http://gone.test/")
    assert info.value.transient


def test_the_local_server_is_refused_without_the_opt_in(server: Server) -> None:
    server.routes["/a"] = Route(b"local")
    with Fetcher(POLICY) as fetcher, pytest.raises(FetchError, match="loopback"):
        fetcher.get(server.url("/a"))
    assert server.requests == []


def test_a_public_name_is_fetched(fake_dns: None, server: Server) -> None:
    server.routes["/a"] = Route(b"from afar")
    with Fetcher(POLICY, transport=PublicNameToLocalServer(server)) as fetcher:
        got = fetcher.get(public("/a"))
    assert (got.url, got.content) == (public("/a"), b"from afar")


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("{local}/secret", "127.0.0.1 is a loopback address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local"),
        ("http://[::ffff:127.0.0.1]/secret", "::ffff:127.0.0.1 is a loopback address"),
        ("http://intranet.test/secret", "intranet.test resolves to 10.0.0.5"),
    ],
)
def test_a_redirect_from_a_public_url_to_a_private_one_is_refused(
    fake_dns: None, server: Server, target: str, why: str
) -> None:
    server.routes["/jump"] = Route(
        status=302, headers={"Location": target.format(local=server.base)}
    )
    server.routes["/secret"] = Route(b"internal")
    server.routes["/hop"] = Route(status=301, headers={"Location": "/jump"})
    with (
        Fetcher(POLICY, transport=PublicNameToLocalServer(server)) as fetcher,
        pytest.raises(FetchError) as info,
    ):
        fetcher.get(public("/hop"))
    message = str(info.value)
    assert message.startswith(f"{public('/hop')}: redirected to a refused URL (")
    assert why in message and HINT in message
    assert not info.value.transient
    # Both public hops were requested; the private target never was.
    assert len(server.requests_for("/hop")) == 1 and len(server.requests_for("/jump")) == 1
    assert server.requests_for("/secret") == []


def test_the_opt_in_follows_a_redirect_to_a_private_address(
    fake_dns: None, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_ALLOW, "1")
    server.routes["/jump"] = Route(status=302, headers={"Location": server.url("/secret")})
    server.routes["/secret"] = Route(b"internal")
    with Fetcher(POLICY, transport=PublicNameToLocalServer(server)) as fetcher:
        got = fetcher.get(public("/jump"))
    assert (got.url, got.content) == (server.url("/secret"), b"internal")


# -- a feed --------------------------------------------------------------------------------


def test_a_feed_linking_to_private_addresses_stores_only_its_public_entries(
    fake_dns: None, server: Server, db: Database, tmp_path: Path
) -> None:
    port = server.base.rsplit(":", 1)[1]
    refused = {
        server.url("/files/notes.html"): "127.0.0.1 is a loopback address",
        "http://169.254.169.254/latest/meta-data/": "169.254.169.254 is a link-local address",
        f"http://[::ffff:127.0.0.1]:{port}/files/notes.html": "::ffff:127.0.0.1 is a loopback",
        f"http://[::1]:{port}/files/notes.html": "::1 is a loopback address",
        "http://intranet.test/wiki": "intranet.test resolves to 10.0.0.5",
    }
    entries = [
        ("Solar tariff cut", public("/articles/tariffs.html"), "Tue, 05 Mar 2024 09:00:00 GMT"),
        *[("Internal", url, "Fri, 03 May 2024 09:00:00 GMT") for url in refused],
        ("Three interconnectors", public("/articles/grid.html"), "Wed, 10 Apr 2024 09:00:00 GMT"),
    ]
    server.routes["/feed.xml"] = Route(rss(entries), content_type="application/rss+xml")
    server.routes["/articles/tariffs.html"] = Route(article("Solar tariff cut", TARIFFS))
    server.routes["/articles/grid.html"] = Route(article("Three interconnectors", GRID))
    server.routes["/files/notes.html"] = Route(article("Internal notes", GRID[:1]))
    config = Config(tmp_path / "tracker.toml", [Source("feed", public("/feed.xml"))])

    with Fetcher(POLICY, transport=PublicNameToLocalServer(server)) as fetcher:
        report = run_sources(db, config, fetcher)

    assert {o.item for o in report.outcomes if o.status == "new"} == {
        public("/articles/tariffs.html"),
        public("/articles/grid.html"),
    }
    failed = {o.item: o.message for o in report.outcomes if o.status == "failed"}
    assert set(failed) == set(refused)
    for url, why in refused.items():
        assert failed[url].startswith(f"refused: {why}") and failed[url].endswith(HINT)
    assert report.summary() == "2 new, 0 unchanged, 5 failed"
    assert server.requests_for("/files/notes.html") == []
    # Refused for good: kept with the reason, never fetched again.
    with Session(db.engine) as session:
        rows = session.scalars(select(FeedEntry).where(FeedEntry.url.in_(refused))).all()
    assert sorted(r.status for r in rows) == ["failed"] * 5


# -- the command line ----------------------------------------------------------------------


def test_cli_refuses_a_local_url_and_the_config_opts_in(server: Server, tmp_path: Path) -> None:
    server.routes["/brief.html"] = Route(article("Solar tariff cut", TARIFFS, date="2024-03-04"))
    url = server.url("/brief.html")
    db_args = ["--db", str(tmp_path / "t.db")]
    runner = CliRunner()
    refused = runner.invoke(cli, [*db_args, "ingest", url])
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        f"failed  {url}: refused: 127.0.0.1 is a loopback address {HINT}"
    ]
    assert server.requests == []

    (tmp_path / "tracker.toml").write_text(
        "[fetch]\nallow_private = true\ntimeout = 2\n", encoding="utf-8"
    )
    assert load_config(tmp_path / "tracker.toml").fetch.allow_private
    allowed = runner.invoke(cli, [*db_args, "ingest", url])
    assert allowed.exit_code == 0, allowed.output
    assert allowed.stdout.startswith(f"stored           {url} → brief 1 (2024-03-04")


def test_cli_sources_run_reports_a_refused_feed_and_goes_on(server: Server, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "trees.txt").write_text(
        "Date: 2023-09-01\n\nThe council will plant 5,000 street trees by 2026.\n",
        encoding="utf-8",
    )
    os.utime(inbox / "trees.txt", (1_700_000_000, 1_700_000_000))  # settled long ago
    (tmp_path / "tracker.toml").write_text(
        f'[[source]]\nkind = "feed"\nurl = "{server.url("/feed.xml")}"\n\n'
        f'[[source]]\nkind = "inbox"\npath = "{inbox}"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "t.db"), "ingest", "--sources"])
    assert result.exit_code == 1
    assert f"failed    {server.url('/feed.xml')}: refused: 127.0.0.1 is a loopback" in (
        result.stderr
    )
    assert result.stdout.strip() == "run 1: 1 new, 0 unchanged, 1 failed"
    assert server.requests == []


def test_sources_add_sniffs_with_the_config_opt_in(server: Server, tmp_path: Path) -> None:
    server.routes["/feed.xml"] = Route(
        rss([("Solar tariff cut", server.url("/a.html"), None)]),
        content_type="application/rss+xml",
    )
    db_args = ["--db", str(tmp_path / "t.db")]
    toml = tmp_path / "tracker.toml"
    refused = CliRunner().invoke(cli, [*db_args, "sources", "add", server.url("/feed.xml")])
    assert refused.exit_code == 1 and "refused: 127.0.0.1 is a loopback address" in refused.stderr
    assert server.requests == []
    toml.write_text("[fetch]\nallow_private = true\n", encoding="utf-8")
    added = CliRunner().invoke(cli, [*db_args, "sources", "add", server.url("/feed.xml")])
    assert added.exit_code == 0, added.output
    assert load_config(toml).sources == [Source("feed", server.url("/feed.xml"))]
