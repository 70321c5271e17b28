"""Run the web app on a local threaded WSGI server (Werkzeug's, which Flask ships).

One analyst or a small team on a laptop or an intranet host: a threaded server is plenty,
and no extra server package is needed. The server binds before the URL is printed, so the
URL printed is one that answers (port 0 picks a free port and prints it).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

if TYPE_CHECKING:
    from flask import Flask


_TOKEN = re.compile(r"([?&]token=)[^&\s]*")


class _RequestLog(WSGIRequestHandler):
    """One plain line per request on standard error: no colour codes (the log is often a
    file), and never the access token of a ``?token=`` URL."""

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        line = _TOKEN.sub(r"\1…", self.requestline)
        self.log("info", '"%s" %s %s', line, getattr(code, "value", code), size)


def bind(app: Flask, host: str, port: int) -> BaseWSGIServer:
    """A server for ``app`` bound to ``host:port`` (not yet serving)."""
    return make_server(host, port, app, threaded=True, request_handler=_RequestLog)


def url_of(server: BaseWSGIServer, host: str, token: str | None) -> str:
    """The URL to open: the bound port, the access token once as a query parameter."""
    shown = f"[{host}]" if ":" in host else host
    if host in ("0.0.0.0", "::"):
        shown = "127.0.0.1" if host == "0.0.0.0" else "[::1]"
    return f"http://{shown}:{server.server_port}/" + (f"?token={token}" if token else "")
