"""A small threaded HTTP server on 127.0.0.1 for fetch and cron-ingest tests.

Routes are set per test; every request is recorded with its headers so tests can assert what
the client sent (User-Agent, If-None-Match, If-Modified-Since). Responses with an ETag or a
Last-Modified answer a matching conditional request with 304, like a real server.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """What the server answers for one path."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0  # seconds before answering (a server slower than the client's timeout)
    chunked_size: int | None = None  # send this many bytes of filler with no Content-Length


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]  # lower-case names


@dataclass(frozen=True)
class Answer:
    path: str
    status: int


class Server:
    """Routes, the requests received and the statuses sent, and the base URL."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.answers: list[Answer] = []
        self.base = ""
        self._lock = threading.Lock()

    def url(self, path: str) -> str:
        return self.base + path

    def requests_for(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def statuses_for(self, path: str) -> list[int]:
        with self._lock:
            return [a.status for a in self.answers if a.path == path]


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet test output
            pass

        def _answer(self, status: int) -> None:
            with server._lock:
                server.answers.append(Answer(self.path, status))

        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            with server._lock:
                server.requests.append(Request(self.path, headers))
            route = server.routes.get(self.path)
            if route is None:
                self._answer(404)
                self.send_error(404)
                return
            if route.delay:
                time.sleep(route.delay)
            not_modified = (route.etag and headers.get("if-none-match") == route.etag) or (
                route.last_modified
                and not route.etag
                and headers.get("if-modified-since") == route.last_modified
            )
            status = 304 if not_modified else route.status
            self._answer(status)
            try:
                self.send_response(status)
                if route.etag:
                    self.send_header("ETag", route.etag)
                if route.last_modified:
                    self.send_header("Last-Modified", route.last_modified)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if status == 304:
                    self.end_headers()
                    return
                self.send_header("Content-Type", route.content_type)
                if route.chunked_size is not None:
                    # No Content-Length: the client must stop reading at its own cap.
                    self.end_headers()
                    chunk = b"<p>" + b"filler " * 1000 + b"</p>\n"
                    sent = 0
                    while sent < route.chunked_size:
                        self.wfile.write(chunk)
                        sent += len(chunk)
                    return
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a size cap or a timeout): expected in these tests

    return Handler


@contextmanager
def serve() -> Iterator[Server]:
    """Run a server on a random port of 127.0.0.1 for the ``with`` block."""
    state = Server()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True  # a handler still sleeping must not hold up shutdown
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
