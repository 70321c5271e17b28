"""Readers: turn a file's bytes into text plus the metadata found in it.

Each format is read by a maintained library where the job is hard: trafilatura for the main
text and metadata of HTML pages (boilerplate removal), pypdf for PDF text and the info
dictionary, python-frontmatter for Markdown front matter. Plain text needs only decoding.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.errors import InputError, MetadataError

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
    source: str | None = None
    url: str | None = None
    authors: list[str] = field(default_factory=list)
    # PDF text wraps lines for layout; single newlines are not paragraph breaks there.
    hard_wrapped: bool = False


def decode(data: bytes) -> str:
    """Decode text bytes: BOMs first, then strict UTF-8, then detection; never raises."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        return str(best)
    return data.decode("cp1252", errors="replace")


_DATE_FORMATS = (
    "%d %B %Y",
    "%B %d, %Y",
    "%B %d %Y",
    "%d %b %Y",
    "%b %d, %Y",
    "%Y/%m/%d",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%B %Y",
    "%b %Y",
)


def parse_date(value: Any) -> dt.date:
    """Parse a date given by a user or found in metadata.

    Accepts ISO dates and datetimes, ``YYYY-MM`` and ``YYYY`` (filed under the first day),
    and common written forms ("12 April 2024", "April 12, 2024").
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text)
    try:
        if match:
            year, month, day = match.groups()
            return dt.date(int(year), int(month or 1), int(day or 1))
        try:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            pass
        cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
        for fmt in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(cleaned, fmt).date()
            except ValueError:
                continue
    except ValueError as exc:
        raise MetadataError(f"invalid date {text!r}: {exc}") from None
    raise MetadataError(f"cannot parse date {text!r} (use YYYY-MM-DD)")


_FILENAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.]?([01]\d)[-_.]?([0-3]\d)(?!\d)")
_HEADER_LINE = re.compile(r"^(title|date|source|publisher|url|authors?|by)\s*:\s*(.+)$", re.I)


def date_from_filename(path: Path) -> dt.date | None:
    """``2023-06-02-gx-bonds.txt`` → 2023-06-02 (a common way to file briefs)."""
    match = _FILENAME_DATE.search(path.stem)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _split_authors(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [a.strip() for a in re.split(r";|,|\band\b", str(value)) if a.strip()]


def read_txt(data: bytes, path: Path) -> Document:
    """Plain text; ``Title:``/``Date:``-style header lines at the top are metadata."""
    text = decode(data)
    doc = Document(text=text, format="txt")
    lines = text.splitlines()
    # Header lines ("Date: 2023-06-02") are honoured only before the first blank line.
    for line in lines[:8]:
        if not line.strip():
            break
        header = _HEADER_LINE.match(line.strip())
        if not header:
            continue
        key, value = header.group(1).lower(), header.group(2).strip()
        if key == "title":
            doc.title = value
        elif key == "date":
            doc.date = parse_date(value)
        elif key in ("source", "publisher"):
            doc.source = value
        elif key == "url":
            doc.url = value
        else:
            doc.authors = _split_authors(value)
    if doc.title is None:
        first = next((ln.strip() for ln in lines if ln.strip()), "")
        if first and len(first) <= 200 and not first.endswith("."):
            doc.title = first.lstrip("# ").strip()
    return doc


def read_md(data: bytes, path: Path) -> Document:
    """Markdown with optional YAML front matter (title, date, source, url, authors)."""
    import frontmatter
    import yaml

    raw = decode(data)
    try:
        meta, body = frontmatter.parse(raw)
    except yaml.YAMLError as exc:
        reason = str(exc).splitlines()[0]
        raise MetadataError(f"front matter is not valid YAML ({reason})") from None
    # Keep the body's offsets meaningful: spans index the text we archive, which is the body.
    doc = Document(text=body, format="md")
    if meta.get("title"):
        doc.title = str(meta["title"]).strip()
    if meta.get("date"):
        doc.date = parse_date(meta["date"])
    source = meta.get("source") or meta.get("publisher")
    doc.source = str(source).strip() if source else None
    doc.url = str(meta["url"]).strip() if meta.get("url") else None
    doc.authors = _split_authors(meta.get("authors") or meta.get("author"))
    if doc.title is None:
        heading = re.search(r"^#{1,2}\s+(.+)$", body, re.M)
        if heading:
            doc.title = heading.group(1).strip()
    return doc


def read_html(data: bytes, path: Path) -> Document:
    """Main text and metadata of a web page via trafilatura."""
    import trafilatura

    html = decode(data)
    result = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        url=None,
    )
    text = getattr(result, "text", None) if result is not None else None
    if not text or not text.strip():
        raise InputError("no main text found in the HTML page")
    doc = Document(text=text, format="html")
    doc.title = getattr(result, "title", None)
    date = getattr(result, "date", None)
    if date:
        doc.date = parse_date(date)
    doc.source = getattr(result, "sitename", None) or None
    doc.url = getattr(result, "url", None) or None
    doc.authors = _split_authors(getattr(result, "author", None))
    return doc


def read_pdf(data: bytes, path: Path) -> Document:
    """Text layer and info dictionary of a PDF via pypdf."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise InputError("the PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"cannot read the PDF ({exc})") from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise InputError("the PDF has no text layer (scanned?)")
    doc = Document(text=text, format="pdf", hard_wrapped=True)
    if info is not None:
        doc.title = (info.title or "").strip() or None
        doc.authors = _split_authors(info.author)
        created = info.creation_date if "/CreationDate" in info else None
        if created:
            doc.date = created.date()
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


def read_document(path: Path, data: bytes) -> Document:
    """Read ``data`` (the bytes of ``path``) with the reader its format needs."""
    fmt = sniff_format(path, data)
    if (
        fmt != "pdf"
        and b"\x00" in data[:4096]
        and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    ):
        raise InputError("binary content (NUL bytes) in a text file")
    doc = _READERS[fmt](data, path)
    if not doc.text.strip():
        raise InputError("the file has no text")
    if doc.date is None:
        doc.date = date_from_filename(path)
    return doc
