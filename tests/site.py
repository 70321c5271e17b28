"""A small web site of policy notes served by tests/httpserver.py: feeds, articles, a PDF
and every way a fetch can go wrong. All text here is written for these tests."""

from __future__ import annotations

from tests.httpserver import Route, Server
from tests.test_readers import make_pdf

TARIFFS = [
    "The trade ministry will cut the tariff on imported solar panels from 12% to 4% in 2025.",
    "Domestic manufacturers objected that the cut arrives before their new plants open.",
    "The ministry answered that cheaper panels will speed up rooftop installations.",
]
GRID = [
    "The grid operator plans to build three new interconnectors with neighbouring states.",
    "Each interconnector will carry up to 2 gigawatts once it enters service.",
    "Regulators must still approve how the costs are shared between consumers.",
]
PORTS_PDF = [
    "The port authority will electrify all container berths by 2028.",
    "Ships at berth must switch off their diesel generators from that year.",
]
OUTLOOK = [
    "The energy agency expects coal to fall below 10% of generation by 2030.",
    "Offshore wind will supply the largest share of new capacity this decade.",
    "Storage targets were raised after last winter's price spikes.",
]
HEAT = [
    "The city will subsidise heat pumps for apartment blocks built before 1980.",
    "Landlords may claim up to 40% of the installation cost.",
    "The scheme opens in the spring and runs for three years.",
]


def article(
    title: str, paragraphs: list[str], *, date: str | None = None, author: str = ""
) -> bytes:
    """An HTML article page with navigation and footer boilerplate around the text."""
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    if author:
        meta += f'<meta name="author" content="{author}">'
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"{meta}</head><body><header><nav><a href='/'>Home</a> <a href='/about'>About</a>"
        f"</nav></header><main><article><h1>{title}</h1>{body}</article></main>"
        "<footer><p>Subscribe to our newsletter.</p></footer></body></html>"
    ).encode()


def rss(items: list[tuple[str, str, str | None]]) -> bytes:
    """An RSS 2.0 feed of (title, link, RFC 822 date or None) items."""
    xml = "".join(
        f"<item><title>{t}</title><link>{link}</link>"
        + (f"<pubDate>{d}</pubDate>" if d else "")
        + "<author>desk@example.org (Policy Desk)</author></item>"
        for t, link, d in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Coastal Policy Notes</title>{xml}</channel></rss>"
    ).encode()


def atom(entries: list[tuple[str, str, str]]) -> bytes:
    """An Atom feed of (title, link, ISO date) entries."""
    xml = "".join(
        f'<entry><title>{t}</title><link href="{link}"/><id>{link}</id>'
        f"<updated>{d}</updated><author><name>Ines Varga</name></author></entry>"
        for t, link, d in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>City Climate Desk</title><id>urn:desk</id><updated>2024-05-01T00:00:00Z</updated>"
        f"{xml}</feed>"
    ).encode()


GOOD_RSS_ITEMS = [
    ("Solar tariff cut", "/articles/tariffs.html", "Tue, 05 Mar 2024 09:00:00 GMT"),
    ("Three interconnectors", "/articles/grid.html", "Wed, 10 Apr 2024 09:00:00 GMT"),
    ("Shore power for ports", "/files/ports.pdf", "Thu, 02 May 2024 09:00:00 GMT"),
]
BAD_RSS_ITEMS = [
    ("Server error", "/articles/broken.html", "Fri, 03 May 2024 09:00:00 GMT"),
    ("Too slow", "/articles/slow.html", "Fri, 03 May 2024 09:00:00 GMT"),
    ("Loop", "/articles/loop.html", "Fri, 03 May 2024 09:00:00 GMT"),
    ("Huge", "/articles/huge.html", "Fri, 03 May 2024 09:00:00 GMT"),
    ("Local file", "file:///etc/passwd", "Fri, 03 May 2024 09:00:00 GMT"),
]


def good_site(server: Server) -> None:
    """Feeds that hold only good items (for the concurrency test)."""
    server.routes["/feed.xml"] = Route(
        rss([(t, server.url(p), d) for t, p, d in GOOD_RSS_ITEMS]),
        content_type="application/rss+xml",
        etag='"rss-1"',
    )
    server.routes["/articles/tariffs.html"] = Route(
        article("Solar tariff cut", TARIFFS, date="2024-03-04", author="Lena Park")
    )
    server.routes["/articles/grid.html"] = Route(article("Three interconnectors", GRID))
    server.routes["/files/ports.pdf"] = Route(
        make_pdf(PORTS_PDF, title="Shore power for ports"), content_type="application/pdf"
    )


def full_site(server: Server) -> None:
    """Good items, every kind of bad one, an Atom feed, a malformed feed and a page."""
    good_site(server)
    items = GOOD_RSS_ITEMS + BAD_RSS_ITEMS
    server.routes["/feed.xml"].body = rss(
        [(t, p if "://" in p else server.url(p), d) for t, p, d in items]
    )
    server.routes["/articles/broken.html"] = Route(b"oops", status=500)
    server.routes["/articles/slow.html"] = Route(article("Too slow", GRID), delay=3.0)
    server.routes["/articles/loop.html"] = Route(
        status=302, headers={"Location": "/articles/loop2.html"}
    )
    server.routes["/articles/loop2.html"] = Route(
        status=302, headers={"Location": "/articles/loop.html"}
    )
    server.routes["/articles/huge.html"] = Route(chunked_size=10_000_000)
    server.routes["/atom.xml"] = Route(
        atom(
            [
                (
                    "Heat pumps for old blocks",
                    server.url("/desk/heat.html"),
                    "2024-04-20T10:00:00Z",
                ),
                # The tariff article again under another address: stored once, by content.
                (
                    "Tariffs (syndicated)",
                    server.url("/desk/tariffs-copy.html"),
                    "2024-03-05T10:00:00Z",
                ),
            ]
        ),
        content_type="application/atom+xml",
        last_modified="Wed, 01 May 2024 00:00:00 GMT",
    )
    server.routes["/desk/heat.html"] = Route(article("Heat pumps for old blocks", HEAT))
    server.routes["/desk/tariffs-copy.html"] = server.routes["/articles/tariffs.html"]
    server.routes["/malformed.xml"] = Route(
        b"<rss><channel><item><title>cut", content_type="application/rss+xml"
    )
    server.routes["/outlook.html"] = Route(
        article("Energy outlook", OUTLOOK, date="2024-01-15"), etag='"outlook-1"'
    )
