"""Readers: turn a file's bytes into text plus the metadata found in it.

Each format is read by a maintained library where the job is hard: trafilatura for the main
text and metadata of HTML pages (boilerplate removal), pypdfium2 for the positions of PDF
text and the info dictionary (see ``tracker.ingest.pdf``), PyYAML for the front matter of
Markdown and plain text. Plain text needs only decoding.

A library that fails on a malformed file raises whatever it raises; ``read_document`` turns
any such exception into one ``InputError`` line, so one hostile file never stops a batch.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.dates import Precision, precision_of
from tracker.errors import InputError, MetadataError, TrackerError

# Re-exported: decoding and dates were part of this module, and callers read them here.
from tracker.ingest.dating import date_from_filename as date_from_filename
from tracker.ingest.dating import parse_date as parse_date
from tracker.ingest.decoding import decode as decode
from tracker.ingest.decoding import decode_text as decode_text
from tracker.ingest.front_matter import FrontMatter, split_front_matter
from tracker.ingest.html_meta import article_meta, drop_headline, is_site_name
from tracker.textsafe import visible_controls

SUPPORTED_SUFFIXES = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
}


@dataclass
class Document:
    """What a reader found in one file."""

    text: str
    format: str
    title: str | None = None
    date: dt.date | None = None
    # "month" for "2024-04", "year" for "2021" (see tracker.dates); a day otherwise.
    date_precision: Precision = "day"
    source: str | None = None
    url: str | None = None
    authors: list[str] = field(default_factory=list)
    # PDF text and Markdown wrap lines for layout; single newlines are not paragraph breaks
    # there (plain text too when its lines are wrapped, see ``_looks_hard_wrapped``).
    hard_wrapped: bool = False
    # Where ``date`` came from ("front matter", "PDF CreationDate", "file name", ...): an
    # exported PDF's creation date is the day it was saved, so ingest says which it used.
    date_source: str | None = None


_HEADER_LINE = re.compile(r"^(title|date|source|publisher|url|authors?|by)\s*:\s*(.+)$", re.I)


def _split_authors(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [a.strip() for a in re.split(r";|,|\band\b", str(value)) if a.strip()]


def _blank(text: str) -> str:
    """``text`` with every character but line breaks turned into a space.

    Metadata at the top of a text file is blanked, not cut: offsets into the brief's text
    stay offsets into the file as archived.
    """
    return re.sub(r"[^\r\n]", " ", text)


def _apply_front_matter(doc: Document, matter: FrontMatter) -> None:
    """Fill ``doc`` from a front-matter block: what it gives wins, what it lacks is kept."""
    if matter.title:
        doc.title = matter.title
    if matter.date:
        doc.date = parse_date(matter.date)
        doc.date_precision = precision_of(matter.date)
        doc.date_source = "front matter"
    doc.source = matter.source or doc.source
    doc.url = matter.url or doc.url
    doc.authors = _split_authors(matter.authors) or doc.authors


# A plain-text file is wrapped at a fixed width when most of its lines run on into the next
# one without ending a sentence, and (nearly) none is longer than a terminal line.
_WRAP_MIN_LINES = 6
_WRAP_MAX_WIDTH = 100
_WRAP_SHARE = 0.5


def _looks_hard_wrapped(text: str) -> bool:
    """Whether the lines of a plain-text file are wrapped mid-sentence (e-mail, RFC style).

    Then single newlines are layout, as in PDF text and Markdown, and lines are joined into
    paragraphs before segmenting. Text with one paragraph per line is left as it is.
    """
    lines = [ln.rstrip() for ln in text.splitlines()]
    inner = [a for a, b in itertools.pairwise(lines) if a.strip() and b.strip()]
    filled = [ln for ln in lines if ln.strip()]
    if len(inner) < _WRAP_MIN_LINES or len(inner) < _WRAP_SHARE * len(filled):
        return False
    long_lines = sum(len(ln) > _WRAP_MAX_WIDTH for ln in filled)
    running_on = sum(not re.search(r"[.!?:;][\"'”’)\]]*$", ln) for ln in inner)
    return long_lines <= 0.02 * len(filled) and running_on >= _WRAP_SHARE * len(inner)


def read_txt(data: bytes, path: Path) -> Document:
    """Plain text; ``Title:``/``Date:``-style header lines at the top are metadata.

    The header block is metadata, not prose: it is blanked out of the brief's text (so a
    "Title: …" line never joins the first claim), and the title fallback (the first short
    line) looks below it.
    """
    text = decode_text(data)
    doc = Document(text=text, format="txt")
    matter = split_front_matter(text, keys_first=True)
    if matter is not None:
        # A leading YAML block, as in Markdown; blanked like the header lines below.
        _apply_front_matter(doc, matter)
        text = doc.text = _blank(text[: matter.body_start]) + text[matter.body_start :]
    # After the front matter is blanked: its key: lines are not wrapped prose.
    doc.hard_wrapped = _looks_hard_wrapped(text)
    lines = text.splitlines(keepends=True)
    header_end = 0
    # Header lines ("Date: 2023-06-02") are honoured only as a block at the very top, before
    # the first blank line.
    for i, line in enumerate([] if matter is not None else lines[:8]):
        header = _HEADER_LINE.match(line.strip())
        if not header:
            break
        header_end = i + 1
        key, value = header.group(1).lower(), header.group(2).strip()
        if key == "title":
            doc.title = value
        elif key == "date":
            doc.date = parse_date(value)
            doc.date_precision = precision_of(value)
            doc.date_source = "Date: header"
        elif key in ("source", "publisher"):
            doc.source = value
        elif key == "url":
            doc.url = value
        else:
            doc.authors = _split_authors(value)
    if header_end:
        # Blanked, not cut: offsets into the text stay offsets into the file as archived.
        blank = "".join(
            " " * len(ln.rstrip("\r\n")) + ln[len(ln.rstrip("\r\n")) :] for ln in lines[:header_end]
        )
        doc.text = blank + "".join(lines[header_end:])
    if doc.title is None:
        first = next((ln.strip() for ln in lines[header_end:] if ln.strip()), "")
        if first and len(first) <= 200 and not first.endswith("."):
            doc.title = first.lstrip("# ").strip()
    return doc


def read_md(data: bytes, path: Path) -> Document:
    """Markdown with optional YAML front matter (title, date, source, url, authors)."""
    raw = decode_text(data)
    matter = split_front_matter(raw)
    body = raw.strip() if matter is None else raw[matter.body_start :].strip()
    # Keep the body's offsets meaningful: spans index the text we archive, which is the body.
    # In Markdown a single newline inside a paragraph is a soft wrap, never a break: converted
    # web releases are wrapped at ~72 columns mid-sentence.
    doc = Document(text=body, format="md", hard_wrapped=True)
    if matter is not None:
        _apply_front_matter(doc, matter)
    if doc.title is None:
        heading = re.search(r"^#{1,2}\s+(.+)$", body, re.M)
        if heading:
            doc.title = heading.group(1).strip()
    return doc


# Sentences of a cookie wall or consent banner: what a page saved without its article shows.
_CONSENT = re.compile(
    r"\bcookies?\b|\bconsent\b|\bprivacy (?:policy|settings|preferences)\b|"
    r"\b(?:accept|reject|allow) all\b|\bmanage (?:your )?(?:preferences|settings|choices)\b|"
    r"\bour partners\b|\bpersonal data\b|\benable javascript\b",
    re.IGNORECASE,
)
# A real article that mentions cookies is longer than any consent banner.
_CONSENT_MAX_WORDS = 250


def _is_consent_notice(text: str) -> bool:
    """Whether the main text of a page is a cookie wall rather than an article.

    Short and mostly about cookies or consent: at least half of its sentences or lines say so.
    """
    if len(text.split()) > _CONSENT_MAX_WORDS:
        return False
    parts = [p for p in re.split(r"(?<=[.!?])\s+|\n+", text) if p.strip()]
    hits = sum(bool(_CONSENT.search(p)) for p in parts)
    return hits > 0 and hits * 2 >= len(parts)


def read_html(data: bytes, path: Path) -> Document:
    """Main text and metadata of a web page via trafilatura."""
    import trafilatura

    html = decode_text(data)
    # A page kept as a static-site source (Jekyll, Hugo) starts with front matter.
    matter = split_front_matter(html, keys_first=True)
    if matter is not None:
        html = html[matter.body_start :]
    try:
        with _quiet_logger("trafilatura"), _quiet_logger("htmldate"):
            result = trafilatura.bare_extraction(
                html,
                with_metadata=True,
                include_comments=False,
                include_tables=False,
                favor_precision=True,
                url=None,
                # No guessing from the prose: "by 2026" in the text is not a publication date.
                date_extraction_params={"extensive_search": False, "original_date": True},
            )
    except RecursionError:
        raise InputError("cannot parse the HTML page (its elements nest too deeply)") from None
    except (ValueError, TypeError, AttributeError) as exc:
        # lxml and trafilatura fail on some malformed markup; that is a property of the file.
        raise InputError(f"cannot parse the HTML page ({exc})") from None
    text = getattr(result, "text", None) if result is not None else None
    if not text or not text.strip():
        raise InputError("no main text found in the HTML page")
    if _is_consent_notice(text):
        raise InputError("the HTML page is only a cookie or consent notice, not an article")
    meta = article_meta(html)
    site = getattr(result, "sitename", None) or meta.site_name
    found = getattr(result, "title", None)
    # The article's own headline, not the site name that <title> often holds ("PISM").
    doc = Document(text=text, format="html")
    doc.title = meta.headline or (None if is_site_name(found, site) else found) or found
    # The headline is the title; left at the top of the text it became the first claim.
    doc.text = drop_headline(text, doc.title)
    date = _article_date(meta.date) or getattr(result, "date", None)
    if date:
        doc.date = parse_date(date)
    doc.source = site or None
    doc.url = getattr(result, "url", None) or None
    doc.authors = _split_authors(getattr(result, "author", None))
    if matter is not None:
        _apply_front_matter(doc, matter)
    return doc


def _article_date(value: str | None) -> str | None:
    """A date the page states for its article, when it parses (else trafilatura's)."""
    if value is None:
        return None
    try:
        parse_date(value)
    except MetadataError:
        return None
    return value


@contextlib.contextmanager
def _quiet_logger(name: str) -> Iterator[None]:
    """Silence a parser's log while it reads one file.

    trafilatura logs every oddity of a damaged file (Python prints them on stderr when no
    logging is configured); the one-line ``InputError`` is what the user needs to see.
    """
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def read_pdf(data: bytes, path: Path) -> Document:
    """Text layer and info dictionary of a PDF, read by its layout (``tracker.ingest.pdf``)."""
    from tracker.ingest.pdf import read_pdf_layout

    if b"%PDF" not in data[:1024]:
        raise InputError("not a PDF file (no %PDF header)")
    try:
        result = read_pdf_layout(data)
    except InputError:
        raise
    except RecursionError:
        raise InputError("cannot read the PDF (its objects nest too deeply)") from None
    except Exception as exc:
        # PDFium reports malformed files with its own error, ctypes and value errors; any of
        # them means the file is damaged.
        reason = str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"cannot read the PDF ({reason})") from None
    if not result.text.strip():
        raise InputError("the PDF has no text layer (scanned?)")
    doc = Document(text=result.text, format="pdf", hard_wrapped=True)
    doc.title = result.title
    doc.authors = _split_authors(result.author)
    doc.date = result.created
    return doc


_READERS = {"txt": read_txt, "md": read_md, "html": read_html, "pdf": read_pdf}


def sniff_format(path: Path, data: bytes) -> str:
    """The format of a file, by suffix, else by content."""
    fmt = SUPPORTED_SUFFIXES.get(path.suffix.lower())
    if fmt:
        return fmt
    head = data[:1024].lstrip().lower()
    if head.startswith(b"%pdf"):
        return "pdf"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    raise InputError(f"unsupported file type {path.suffix or '(none)'!r}")


def _defuse(doc: Document) -> None:
    """Make control characters in a brief visible instead of live.

    Text from briefs reaches terminals (``tracker claims``, text diffs), Markdown and HTML;
    an escape sequence in it must print as characters, not act. Each one is replaced by one
    character, so offsets into the text (claim spans) are unchanged. Metadata is one line:
    its line breaks and tabs become spaces.
    """
    doc.text = visible_controls(doc.text)

    def line(value: str | None) -> str | None:
        if value is None:
            return None
        return " ".join(visible_controls(value).split()) or None

    doc.title = line(doc.title)
    doc.source = line(doc.source)
    doc.url = line(doc.url)
    doc.authors = [a for a in (line(a) for a in doc.authors) if a]


def read_document(path: Path, data: bytes) -> Document:
    """Read ``data`` (the bytes of ``path``) with the reader its format needs.

    Control characters in the text and metadata are made visible (see ``_defuse``).
    """
    fmt = sniff_format(path, data)
    if not data:
        raise InputError("the file has no text (it is empty)")
    try:
        doc = _READERS[fmt](data, path)
    except (TrackerError, ImportError):
        # An ImportError is a broken install, not a bad file: it must not pass for one.
        raise
    except RecursionError:
        raise InputError(f"cannot read the {_FORMAT_NAMES[fmt]} (it nests too deeply)") from None
    except Exception as exc:
        # The last line of defence: a parser that fails on a hostile file in a way its reader
        # did not foresee still costs one line and that file only, never the batch.
        raise InputError(f"cannot read the {_FORMAT_NAMES[fmt]} ({_reason(exc)})") from None
    if not doc.text.strip():
        raise InputError("the file has no text (only white space)")
    _defuse(doc)
    if doc.date is not None and doc.date_source is None:
        doc.date_source = _DATE_SOURCES[fmt]
    if doc.date is None:
        doc.date = date_from_filename(path)
        if doc.date is not None:
            doc.date_source = "file name"
    return doc


_FORMAT_NAMES = {"txt": "text file", "md": "Markdown file", "html": "HTML page", "pdf": "PDF"}
# What a reader's date is, when the reader does not say (the HTML date comes from the page's
# metadata or what htmldate finds in it; the PDF date from the info dictionary).
_DATE_SOURCES = {
    "txt": "Date: header",
    "md": "front matter",
    "html": "HTML metadata",
    "pdf": "PDF CreationDate",
}


def _reason(exc: BaseException) -> str:
    """An exception as a short reason: its first line, else its type, at most 200 characters."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    return first if len(first) <= 200 else first[:199] + "…"
