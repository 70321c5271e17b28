"""RSS and Atom feeds: the entries they list, with the metadata each entry gives.

feedparser reads every dialect in use; defusedxml parses the bytes first and refuses a feed
that declares entities (the "billion laughs" expansion bomb) or points at external ones (a
``SYSTEM "file:///etc/passwd"`` entity), so neither reaches a parser that could expand them.
feedparser is only ever given a byte stream: given a string it would open URLs and files.
"""

from __future__ import annotations

import datetime as dt
import io
import time
import xml.sax
from dataclasses import dataclass, field
from typing import Any

from tracker.errors import InputError

_FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+xml",
}


@dataclass(frozen=True)
class FeedItem:
    """One link to ingest from a feed entry (its page, or a PDF it carries)."""

    url: str
    title: str | None = None
    published: dt.date | None = None
    authors: tuple[str, ...] = ()


@dataclass
class Feed:
    """A parsed feed: its title and its items in feed order."""

    title: str | None
    items: list[FeedItem] = field(default_factory=list)


def looks_like_feed(content_type: str, data: bytes) -> bool:
    """Whether an HTTP answer is a feed rather than a page (by media type, then by body)."""
    if content_type in _FEED_TYPES and content_type not in ("application/xml", "text/xml"):
        return True
    head = data[:2048].lstrip().lower()
    if content_type in ("text/html", "application/xhtml+xml") or head.startswith(
        (b"<!doctype html", b"<html")
    ):
        return False
    if content_type in _FEED_TYPES or head.startswith(b"<?xml"):
        return any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))
    return False


def check_xml_safety(data: bytes, url: str) -> None:
    """Refuse XML that declares entities or references external ones.

    Malformed XML passes (feedparser has a lenient parser for that, which expands only
    character references); only the dangerous constructs are refused.
    """
    import defusedxml
    import defusedxml.sax

    try:
        defusedxml.sax.parseString(
            data,
            xml.sax.handler.ContentHandler(),
            forbid_dtd=False,
            forbid_entities=True,
            # The external DTD subset (RSS 0.91 names one) is never fetched: the stdlib
            # parser does not load external parameter entities.
            forbid_external=False,
        )
    except defusedxml.DefusedXmlException as exc:
        raise InputError(
            f"{url}: refused unsafe XML: the feed declares entities ({type(exc).__name__}); "
            "entity expansion and external entities are never processed"
        ) from None
    except xml.sax.SAXException:
        pass


def _date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            try:
                return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
            except ValueError:
                continue
    return None


def _authors(entry: Any) -> tuple[str, ...]:
    names = [str(a.get("name", "")).strip() for a in entry.get("authors") or []]
    names = [n for n in names if n]
    if not names and entry.get("author"):
        names = [str(entry["author"]).strip()]
    return tuple(names)


def _links(entry: Any) -> list[str]:
    """The entry's page, then any PDF it links to or encloses (each its own item)."""
    links: list[str] = []
    if entry.get("link"):
        links.append(str(entry["link"]))
    for link in entry.get("links") or []:
        href = link.get("href")
        if href and str(link.get("type", "")).lower() == "application/pdf":
            links.append(str(href))
    if not links and str(entry.get("id", "")).startswith(("http://", "https://")):
        links.append(str(entry["id"]))  # Atom entries may carry their URL only as the id
    return list(dict.fromkeys(links))


def parse_feed(data: bytes, url: str) -> Feed:
    """The entries of a feed; raises ``InputError`` for unsafe XML or a body that is no feed.

    Relative links are resolved against ``url``. Items keep the feed's order; a link that
    appears in several entries is listed once.
    """
    import feedparser

    check_xml_safety(data, url)
    parsed = feedparser.parse(
        io.BytesIO(data),
        response_headers={"content-location": url, "content-type": "application/xml"},
        sanitize_html=True,
    )
    reason = parsed.get("bozo_exception")
    detail = f" ({str(reason).splitlines()[0]})" if reason else ""
    if not parsed.get("version") and not parsed.entries:
        raise InputError(f"{url}: not an RSS or Atom feed{detail}")
    feed = Feed(title=(parsed.feed.get("title") or "").strip() or None)
    seen: set[str] = set()
    for entry in parsed.entries:
        title = (entry.get("title") or "").strip() or None
        for link in _links(entry):
            if link in seen:
                continue
            seen.add(link)
            feed.items.append(FeedItem(link, title, _date(entry), _authors(entry)))
    if parsed.get("bozo") and not feed.items:
        # A broken feed that yields nothing is an error; one that still lists entries is read
        # leniently, as feed readers do.
        raise InputError(f"{url}: malformed feed with no readable entry{detail}")
    return feed
