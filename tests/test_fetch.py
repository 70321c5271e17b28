"""The HTTP fetcher against a real server on 127.0.0.1: limits, retries, redirects, schemes."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from tests.httpserver import Route, Server, serve
from tracker.errors import FetchError
from tracker.ingest.fetch import USER_AGENT, Fetcher, FetchPolicy, check_url
from tracker.ingest.netguard import ENV_ALLOW


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    # The test server is on 127.0.0.1, which the SSRF guard refuses without this opt-in.
    monkeypatch.setenv(ENV_ALLOW, "1")
    with serve() as s:
        yield s


def fetcher(sleeps: list[float] | None = None, **limits: float) -> Fetcher:
    policy = FetchPolicy(**{"timeout": 0.3, "retries": 2, "backoff": 0.5, **limits})  # type: ignore[arg-type]
    return Fetcher(policy, sleep=(sleeps.append if sleeps is not None else lambda _s: None))


def test_get_sends_the_user_agent_and_returns_body_and_type(server: Server) -> None:
    server.routes["/a"] = Route(b"<html>hello</html>", content_type="text/html; charset=utf-8")
    with fetcher() as f:
        got = f.get(server.url("/a"))
    assert got.status == 200 and got.content == b"<html>hello</html>"
    assert got.content_type == "text/html"
    assert server.requests_for("/a")[0].headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("tracker/")


def test_conditional_get_gets_a_304_without_body(server: Server) -> None:
    server.routes["/feed"] = Route(
        b"<rss/>", etag='"v1"', last_modified="Mon, 01 Jan 2024 10:00:00 GMT"
    )
    with fetcher() as f:
        first = f.get(server.url("/feed"))
        again = f.get(server.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert first.etag == '"v1"' and not first.not_modified
    assert again.not_modified and again.content == b""
    sent = server.requests_for("/feed")[1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Mon, 01 Jan 2024 10:00:00 GMT"
    assert server.statuses_for("/feed") == [200, 304]


def test_declared_size_over_the_cap_is_refused(server: Server) -> None:
    server.routes["/big"] = Route(b"x" * 5000)
    with (
        fetcher(max_bytes=1000) as f,
        pytest.raises(FetchError, match="larger than the 1000 byte limit"),
    ):
        f.get(server.url("/big"))


def test_streamed_body_over_the_cap_is_cut_off(server: Server) -> None:
    server.routes["/huge"] = Route(chunked_size=50_000_000)
    with fetcher(max_bytes=64 * 1024) as f, pytest.raises(FetchError, match="larger than") as info:
        f.get(server.url("/huge"))
    assert not info.value.transient


def test_server_errors_are_retried_with_exponential_backoff(server: Server) -> None:
    server.routes["/down"] = Route(b"oops", status=503)
    sleeps: list[float] = []
    with fetcher(sleeps) as f, pytest.raises(FetchError, match="HTTP 503") as info:
        f.get(server.url("/down"))
    assert info.value.transient
    assert len(server.requests_for("/down")) == 3
    assert sleeps == [0.5, 1.0]


def test_retry_after_is_honoured_within_the_limit(server: Server) -> None:
    server.routes["/busy"] = Route(b"", status=429, headers={"Retry-After": "7"})
    sleeps: list[float] = []
    with fetcher(sleeps, retries=1) as f, pytest.raises(FetchError, match="HTTP 429"):
        f.get(server.url("/busy"))
    assert sleeps == [7.0]


def test_a_retry_after_beyond_the_limit_gives_up_at_once(server: Server) -> None:
    server.routes["/later"] = Route(b"", status=503, headers={"Retry-After": "86400"})
    sleeps: list[float] = []
    with fetcher(sleeps) as f, pytest.raises(FetchError, match="retry after 86400 s; giving up"):
        f.get(server.url("/later"))
    assert sleeps == []
    assert len(server.requests_for("/later")) == 1


def test_client_errors_are_not_retried(server: Server) -> None:
    with fetcher() as f, pytest.raises(FetchError, match="HTTP 404") as info:
        f.get(server.url("/missing"))
    assert not info.value.transient
    assert len(server.requests_for("/missing")) == 1


def test_a_slow_server_times_out_and_is_retried(server: Server) -> None:
    server.routes["/slow"] = Route(b"late", delay=3.0)
    with (
        fetcher(retries=1) as f,
        pytest.raises(FetchError, match=r"timed out after 0\.3 s") as info,
    ):
        f.get(server.url("/slow"))
    assert info.value.transient
    assert len(server.requests_for("/slow")) == 2


def test_a_closed_port_is_a_transient_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_ALLOW, "1")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with fetcher(retries=0) as f, pytest.raises(FetchError) as info:
        f.get(f"http://127.0.0.1:{port}/x")
    assert info.value.transient


def test_redirects_are_followed_and_the_final_url_kept(server: Server) -> None:
    server.routes["/old"] = Route(status=301, headers={"Location": "/new"})
    server.routes["/new"] = Route(b"moved here")
    with fetcher() as f:
        got = f.get(server.url("/old"))
    assert got.url == server.url("/new") and got.content == b"moved here"


def test_a_redirect_loop_stops_at_the_cap(server: Server) -> None:
    server.routes["/loop1"] = Route(status=302, headers={"Location": "/loop2"})
    server.routes["/loop2"] = Route(status=302, headers={"Location": "/loop1"})
    with fetcher(max_redirects=4) as f, pytest.raises(FetchError, match="more than 4 redirects"):
        f.get(server.url("/loop1"))
    assert len(server.requests) == 5


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/x"])
def test_a_redirect_to_another_scheme_is_refused(server: Server, target: str) -> None:
    server.routes["/jump"] = Route(status=302, headers={"Location": target})
    with fetcher() as f, pytest.raises(FetchError, match="redirected to a refused URL"):
        f.get(server.url("/jump"))


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "not file:// URLs"),
        ("ftp://example.org/brief.pdf", "not ftp:// URLs"),
        ("/etc/passwd", "not local paths"),
        ("../../etc/passwd", "not local paths"),
        ("http:///no-host", "no host name"),
    ],
)
def test_only_http_and_https_urls_are_fetched(url: str, reason: str) -> None:
    with pytest.raises(FetchError, match=reason) as info:
        check_url(url)
    assert not info.value.transient
    with fetcher() as f, pytest.raises(FetchError, match=reason):
        f.get(url)
