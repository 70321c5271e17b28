"""The headline and date of a web article, from the article rather than the site.

trafilatura's metadata falls back on ``<title>``, which on many publishers' pages is just the
site name ("PISM"), and htmldate, asked to guess, can take a year named in the prose ("by
2026") for the publication date. A headline is what the article itself marks as one: a
JSON-LD ``headline``, ``og:title`` / ``twitter:title`` (unless that is the site name), or
the first ``<h1>``. A date is one the page states as its own: JSON-LD ``datePublished``,
``article:published_time``-style meta tags, or a ``<time datetime>`` element.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# Meta tags (property or name, lower-cased) that state the article's date, best first.
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "dc.date.issued",
    "dc.date",
    "dcterms.date",
    "date",
    "publish-date",
    "pubdate",
    "article:modified_time",
)
_TITLE_META = ("og:title", "twitter:title", "dc.title")
_SITE_META = ("og:site_name", "application-name", "publisher")


@dataclass(frozen=True)
class ArticleMeta:
    """What the page says about its article (each field None when it says nothing)."""

    headline: str | None = None
    date: str | None = None
    site_name: str | None = None


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def _json_ld_objects(value: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in a JSON-LD document (``@graph`` lists and nested lists too)."""
    if isinstance(value, list):
        for item in value:
            yield from _json_ld_objects(item)
    elif isinstance(value, dict):
        yield value
        if "@graph" in value:
            yield from _json_ld_objects(value["@graph"])


def article_meta(html: str) -> ArticleMeta:
    """The headline, date and site name a page states (lxml; a parse failure gives nothing)."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return ArticleMeta()
    meta: dict[str, str] = {}
    for tag in root.iter("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        content = _clean(tag.get("content"))
        if key and content and key not in meta:
            meta[key] = content

    headline = date = site = None
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue  # a broken JSON-LD block is the page's problem, not a reason to fail
        for obj in _json_ld_objects(data):
            headline = headline or _clean(obj.get("headline"))
            date = date or _clean(obj.get("datePublished"))
            publisher = obj.get("publisher")
            if isinstance(publisher, dict):
                site = site or _clean(publisher.get("name"))

    site = site or next((meta[k] for k in _SITE_META if k in meta), None)
    if headline is None:
        for key in _TITLE_META:
            candidate = meta.get(key)
            if candidate and not _is_site_name(candidate, site):
                headline = candidate
                break
    if headline is None:
        h1 = next(iter(root.iter("h1")), None)
        if h1 is not None:
            headline = _clean(h1.text_content())
    if date is None:
        date = next((meta[k] for k in _DATE_META if k in meta), None)
    if date is None:
        for time in root.iter("time"):
            stamp = _clean(time.get("datetime"))
            if stamp and re.match(r"\d{4}-\d{2}", stamp):
                date = stamp
                break
    return ArticleMeta(headline=headline, date=date, site_name=site)


def _is_site_name(title: str, site: str | None) -> bool:
    """Whether ``title`` is only the site's name ("PISM", "PISM | Home")."""
    if site is None:
        return False
    norm = title.casefold().strip()
    name = site.casefold().strip()
    return norm == name or norm.startswith(name + " |") or norm.endswith("| " + name)


def is_site_name(title: str | None, site: str | None) -> bool:
    """Whether a title found elsewhere (trafilatura, ``<title>``) is only the site's name."""
    return title is not None and _is_site_name(title, site)


def drop_headline(text: str, headline: str | None) -> str:
    """``text`` without the headline line that extraction put at its top.

    The headline is the brief's title; as the first line of the text it became claim 1.
    Only the first few lines are looked at, and only a line that is the headline itself.
    """
    if not headline:
        return text
    target = " ".join(headline.split()).casefold()
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines[:3]):
        if " ".join(line.split()).casefold() == target:
            return "".join(lines[:i] + lines[i + 1 :])
    return text
