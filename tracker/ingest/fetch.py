"""HTTP for unattended runs: polite, bounded and never anything but http and https.

Every request has a timeout, a total time limit and a size cap; redirects are followed by
hand (each hop's scheme and address checked, at most ``max_redirects``; a host that is or
resolves to a non-public address is refused unless ``allow_private``, see ``netguard``);
connection errors, timeouts,
5xx and 429 answers are retried with exponential backoff, honouring ``Retry-After`` up to a
limit. Conditional GET: pass the validators saved from the last answer and a ``304`` comes
back as ``not_modified`` with no body.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from tracker import __version__
from tracker.errors import FetchError
from tracker.ingest.netguard import allowed_by_env, check_public

ALLOWED_SCHEMES = ("http", "https")
USER_AGENT = f"tracker/{__version__} (policy brief tracker; python-httpx)"
_RETRY_STATUSES = {429, 500, 502, 503, 504}
_REDIRECT_STATUSES = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for each request. Defaults suit a cron job reading a few dozen feeds."""

    timeout: float = 30.0  # seconds for connecting and between two reads
    total_seconds: float = 120.0  # a slow-drip server cannot hold a run for longer
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2  # attempts after the first
    backoff: float = 2.0  # seconds before the first retry, doubled each time
    max_retry_after: float = 120.0  # a longer Retry-After gives up instead of waiting
    user_agent: str = USER_AGENT
    # Fetch loopback, private, link-local and other non-public addresses too (an intranet);
    # TRACKER_ALLOW_PRIVATE_URLS=1 in the environment does the same.
    allow_private: bool = False


@dataclass(frozen=True)
class Fetched:
    """A final answer (after redirects): 200 with a body, or 304 with none."""

    url: str  # after redirects
    status: int
    content: bytes
    content_type: str  # media type only, lower case ("text/html"); "" when absent
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def check_url(url: str) -> str:
    """Return ``url`` if it is an absolute http(s) URL, else raise a ``FetchError``.

    Feeds are written by strangers: a ``file://`` link, an ``ftp://`` link or a bare local
    path in one must never make tracker read anything but the web.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        raise FetchError(f"{url}: not a valid URL") from None
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        what = f"{parts.scheme}:// URLs" if parts.scheme else "local paths"
        raise FetchError(f"{url}: only http and https URLs are fetched, not {what}")
    if not parts.hostname:
        raise FetchError(f"{url}: no host name in the URL")
    return url.strip()


def _retry_after(value: str | None) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


class Fetcher:
    """An HTTP client with the limits of a ``FetchPolicy``; use as a context manager.

    ``sleep`` is what waits between retries (tests pass one that records instead of sleeping).
    """

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._sleep = sleep
        self._allow_private = self.policy.allow_private or allowed_by_env()
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.policy.timeout),
            follow_redirects=False,
            headers={"User-Agent": self.policy.user_agent},
            transport=transport,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched:
        """GET ``url`` (following redirects) with retries; raise ``FetchError`` on failure."""
        attempt = 0
        while True:
            try:
                return self._get_once(url, etag, last_modified)
            except FetchError as exc:
                wait = exc.retry_after
                if not exc.transient or attempt >= self.policy.retries:
                    raise
                delay = self.policy.backoff * 2**attempt
                if wait is not None:
                    if wait > self.policy.max_retry_after:
                        raise FetchError(
                            f"{exc} (server asks to retry after {wait:.0f} s; giving up)",
                            transient=True,
                        ) from None
                    delay = max(delay, wait)
                self._sleep(delay)
                attempt += 1

    def _get_once(self, url: str, etag: str | None, last_modified: str | None) -> Fetched:
        current = check_url(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for hop in range(self.policy.max_redirects + 1):
            # Every hop, the first included, passes here: a public URL that redirects into
            # the local network is refused before the second request is made.
            try:
                if not self._allow_private:
                    check_public(current)
            except FetchError as exc:
                if hop == 0:
                    raise
                what = "redirect failed" if exc.transient else "redirected to a refused URL"
                raise FetchError(f"{url}: {what} ({exc})", transient=exc.transient) from None
            answer = self._request(current, headers)
            if isinstance(answer, Fetched):
                return answer
            target = urljoin(current, answer)
            try:
                current = check_url(target)
            except FetchError as exc:
                raise FetchError(f"{url}: redirected to a refused URL ({exc})") from None
        raise FetchError(f"{url}: more than {self.policy.max_redirects} redirects")

    def _request(self, url: str, headers: dict[str, str]) -> Fetched | str:
        """One request: the final answer, or the Location of a redirect."""
        policy = self.policy
        started = time.monotonic()
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in _REDIRECT_STATUSES:
                    location: str | None = response.headers.get("location")
                    if not location:
                        raise FetchError(f"{url}: HTTP {status} redirect without a Location")
                    return location
                if status in _RETRY_STATUSES:
                    raise FetchError(
                        f"{url}: HTTP {status} {response.reason_phrase}",
                        transient=True,
                        retry_after=_retry_after(response.headers.get("retry-after")),
                    )
                if status == 304:
                    return self._answer(url, response, b"")
                if status != 200:
                    raise FetchError(f"{url}: HTTP {status} {response.reason_phrase}")
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > policy.max_bytes:
                    raise FetchError(f"{url}: response larger than the {_mb(policy)} limit")
                body = bytearray()
                # Decoded bytes (after gzip): the cap also stops a compression bomb.
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > policy.max_bytes:
                        raise FetchError(f"{url}: response larger than the {_mb(policy)} limit")
                    if time.monotonic() - started > policy.total_seconds:
                        raise FetchError(
                            f"{url}: download took longer than {policy.total_seconds:.0f} s",
                            transient=True,
                        )
                return self._answer(url, response, bytes(body))
        except httpx.TimeoutException:
            raise FetchError(
                f"{url}: timed out after {policy.timeout:g} s", transient=True
            ) from None
        except httpx.TransportError as exc:
            raise FetchError(f"{url}: {_reason(exc)}", transient=True) from None
        except httpx.HTTPError as exc:  # undecodable body, invalid URL parts
            raise FetchError(f"{url}: {_reason(exc)}") from None

    @staticmethod
    def _answer(url: str, response: httpx.Response, body: bytes) -> Fetched:
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        return Fetched(
            url=url,
            status=response.status_code,
            content=body,
            content_type=media,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )


def _mb(policy: FetchPolicy) -> str:
    size = policy.max_bytes / 2**20
    return f"{size:g} MB" if size >= 1 else f"{policy.max_bytes} byte"


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
