"""Who may talk to `tracker serve`, and what its pages may do in a browser.

- **Host.** Bound to loopback, the server answers only requests whose ``Host`` is a
  loopback name: a page on another site that re-points its own name at 127.0.0.1 (DNS
  rebinding) would otherwise read the store through the visitor's browser.
- **Token.** Bound beyond loopback, every request must carry the access token: once as
  ``?token=T`` (the printed URL), which is answered with a cookie and a redirect to the same
  URL without it, then as that cookie. Compared in constant time.
- **CSRF.** Every POST carries the form field ``csrf``, a per-process secret that only pages
  of this server contain (another site cannot read them); an ``Origin`` header, when the
  browser sends one, must be this server's.
- **Headers.** A Content-Security-Policy admits only the page's own inline script (by its
  nonce) and its inline styles, no other origin, no frames, forms posting only here; so even
  a brief text that escaped escaping could run nothing and load nothing.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

TOKEN_COOKIE = "tracker_token"
TOKEN_PARAM = "token"
CSRF_FIELD = "csrf"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) stays on this machine."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    """A fresh access token (32 bytes of randomness, URL-safe)."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Guard:
    """The security settings of one server process."""

    host: str
    token: str | None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    def host_allowed(self, header: str) -> bool:
        """A loopback server answers only loopback ``Host`` headers (any port: the browser
        sends the port it connected to, and only this machine can connect)."""
        if not self.loopback:
            return True
        parsed = urlsplit("//" + header)
        return parsed.hostname is not None and is_loopback(parsed.hostname)

    def token_ok(self, given: str | None) -> bool:
        """``given`` is the access token (always true when the server has none)."""
        if self.token is None:
            return True
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def csrf_ok(self, given: str | None) -> bool:
        """``given`` is this process's CSRF token."""
        return given is not None and hmac.compare_digest(given.encode(), self.csrf.encode())


def origin_ok(origin: str | None, host_header: str) -> bool:
    """A POST's ``Origin`` (when the browser sends one) names this server's host and port."""
    if origin is None:
        return True
    parsed = urlsplit(origin)
    return parsed.scheme in ("http", "https") and parsed.netloc.lower() == host_header.lower()


def without_token(path: str, args: list[tuple[str, str]]) -> str:
    """The URL of ``path`` with the query ``args`` minus the token (where to redirect after
    the token was turned into a cookie, so it does not linger in the address bar)."""
    kept = [(k, v) for k, v in args if k != TOKEN_PARAM]
    return path + ("?" + urlencode(kept) if kept else "")


def content_security_policy(nonce: str) -> str:
    """The policy of every page: its own nonce'd script, inline styles, nothing from elsewhere."""
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src 'nonce-{nonce}'",
            "style-src 'unsafe-inline'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        )
    )


def safe_next(value: str | None, default: str = "/") -> str:
    """A local path to return to after a POST; anything else (``//evil``, ``https://…``,
    ``javascript:``) becomes ``default``, so a form cannot be made into an open redirect."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    parsed = urlsplit(value)
    if parsed.scheme or parsed.netloc:
        return default
    return value
