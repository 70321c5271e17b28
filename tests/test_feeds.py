"""Feeds: entries and their metadata from RSS and Atom; hostile XML refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tracker.errors import FetchError, InputError
from tracker.ingest.feeds import looks_like_feed, parse_feed
from tracker.ingest.fetch import check_url

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
<channel>
  <title>Harbour Policy Notes</title>
  <item>
    <title>Dredging the north channel</title>
    <link>/notes/dredging.html</link>
    <pubDate>Tue, 14 Mar 2023 08:00:00 GMT</pubDate>
    <author>ana@example.org (Ana Quill)</author>
    <enclosure url="https://example.org/files/dredging.pdf" type="application/pdf" length="99"/>
  </item>
  <item>
    <title>No link at all</title>
  </item>
</channel>
</rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Rail Briefs</title>
  <id>https://rail.example.org/</id>
  <updated>2024-02-01T00:00:00Z</updated>
  <entry>
    <title>Freight corridor electrified</title>
    <id>https://rail.example.org/briefs/corridor</id>
    <published>2024-01-30T09:00:00Z</published>
    <updated>2024-02-01T00:00:00Z</updated>
    <author><name>Bo Lind</name></author>
    <author><name>Mira Holm</name></author>
  </entry>
</feed>
"""


def test_rss_items_with_date_author_relative_link_and_pdf_enclosure() -> None:
    feed = parse_feed(RSS, "https://example.org/feed.xml")
    assert feed.title == "Harbour Policy Notes"
    assert [i.url for i in feed.items] == [
        "https://example.org/notes/dredging.html",
        "https://example.org/files/dredging.pdf",
    ]
    first = feed.items[0]
    assert first.title == "Dredging the north channel"
    assert first.published == dt.date(2023, 3, 14)
    assert first.authors == ("Ana Quill",)


def test_atom_entry_without_link_uses_its_id_and_keeps_all_authors() -> None:
    feed = parse_feed(ATOM, "https://rail.example.org/atom.xml")
    (item,) = feed.items
    assert item.url == "https://rail.example.org/briefs/corridor"
    assert item.published == dt.date(2024, 1, 30)
    assert item.authors == ("Bo Lind", "Mira Holm")


def test_billion_laughs_is_refused_before_any_expansion() -> None:
    levels = ['<!ENTITY l0 "ha">'] + [
        f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    ]
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n' + "\n".join(levels) + "\n]>\n"
        '<rss version="2.0"><channel><title>&l9;</title>'
        "<item><title>x</title><link>https://example.org/a</link></item></channel></rss>"
    ).encode()
    with pytest.raises(InputError, match="refused unsafe XML"):
        parse_feed(bomb, "https://example.org/bomb.xml")


@pytest.mark.parametrize("style", ["general", "parameter"])
def test_external_entities_never_read_local_files(tmp_path: Path, style: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the vault code is 4711", encoding="utf-8")
    if style == "general":
        doctype = f'<!DOCTYPE rss [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        title = "&x;"
    else:
        doctype = f'<!DOCTYPE rss [<!ENTITY % x SYSTEM "{secret.as_uri()}"> %x;]>'
        title = "t"
    feed = (
        f'<?xml version="1.0"?>\n{doctype}\n<rss version="2.0"><channel><title>{title}</title>'
        "<item><title>x</title><link>https://example.org/a</link></item></channel></rss>"
    ).encode()
    with pytest.raises(InputError, match="refused unsafe XML") as info:
        parse_feed(feed, "https://example.org/xxe.xml")
    assert "4711" not in str(info.value)


def test_a_public_dtd_reference_is_fine() -> None:
    feed = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91'
        b'//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
        b'<rss version="0.91"><channel><title>Old &amp; fine</title><item><title>x</title>'
        b"<link>https://example.org/a</link></item></channel></rss>"
    )
    parsed = parse_feed(feed, "https://example.org/old.xml")
    assert parsed.title == "Old & fine"
    assert [i.url for i in parsed.items] == ["https://example.org/a"]


@pytest.mark.parametrize(
    "body",
    [b"this is not a feed at all", b"<rss><channel><item><title>cut off", b""],
)
def test_malformed_feeds_are_input_errors(body: bytes) -> None:
    with pytest.raises(InputError, match=r"https://example.org/bad.xml: (not an RSS|malformed)"):
        parse_feed(body, "https://example.org/bad.xml")


def test_local_links_in_a_feed_are_kept_for_the_fetcher_to_refuse() -> None:
    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>x</title><link>file:///etc/passwd</link></item></channel></rss>"
    )
    (item,) = parse_feed(feed, "https://example.org/f.xml").items
    # Listed (so the run reports it with a reason), and refused before any request.
    with pytest.raises(FetchError, match="only http and https URLs are fetched, not file://"):
        check_url(item.url)


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        ("application/rss+xml", b"<rss/>", True),
        ("application/atom+xml", b"", True),
        ("text/xml", b'<?xml version="1.0"?><rss version="2.0">', True),
        ("application/xml", b'<?xml version="1.0"?><feed xmlns="x">', True),
        ("application/octet-stream", b'<?xml version="1.0"?>\n<rdf:RDF>', True),
        ("text/html", b"<!DOCTYPE html><html><body>feed</body></html>", False),
        ("application/xml", b'<?xml version="1.0"?><sitemap/>', False),
        ("application/pdf", b"%PDF-1.4", False),
    ],
)
def test_looks_like_feed(content_type: str, body: bytes, expected: bool) -> None:
    assert looks_like_feed(content_type, body) is expected
