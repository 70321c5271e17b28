"""Content-addressed archive of raw briefs under ``snapshots/``, and the content hash of a
brief's text: the one place that knows both recipes (ingest, reextract, doctor and copy use
them).

Raw bytes are stored as ``snapshots/<year>/<sha256 prefix>.<ext>``: the name is derived from
the content alone, so re-archiving the same file is a no-op, two processes archiving it at once
write the same bytes, and nothing a brief says (title, URL) can influence the path.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath

from tracker.claims.normalize import canonical_document
from tracker.fsutil import write_atomically

_EXTENSIONS = {"txt": "txt", "md": "md", "html": "html", "pdf": "pdf"}
# 32 hex digits (128 bits) of the SHA-256: collisions are out of reach, and names stay short.
_DIGITS = 32
# ``<year>/<32 hex digits>.<ext>``: what ``archive_name`` makes.
_ARCHIVE_NAME = re.compile(r"^\d{4}/([0-9a-f]{32})\.(?:txt|md|html|pdf|bin)$")


def content_hash(text: str) -> str:
    """The SHA-256 (hex) of a brief's canonical text (NFC, line endings and runs of white
    space folded): the same brief saved twice with other line endings is one brief."""
    return hashlib.sha256(canonical_document(text).encode("utf-8")).hexdigest()


def archive_name(data: bytes, year: int, fmt: str) -> str:
    """The archive path (relative to the archive folder) of raw bytes of format ``fmt``."""
    digest = hashlib.sha256(data).hexdigest()
    return f"{int(year):04d}/{digest[:_DIGITS]}.{_EXTENSIONS.get(fmt, 'bin')}"


def archive_raw(root: Path, data: bytes, year: int, fmt: str) -> str:
    """Store ``data`` under ``root`` and return its path relative to ``root``."""
    relative = archive_name(data, year, fmt)
    target = root / relative
    if target.exists():
        return relative
    write_atomically(target, data)
    return relative


def is_archive_name(archive_path: str) -> bool:
    """Whether a stored archive path is one ``archive_name`` makes (relative, no ``..``)."""
    relative = PurePosixPath(archive_path)
    return (
        not relative.is_absolute()
        and ".." not in relative.parts
        and bool(_ARCHIVE_NAME.match(archive_path))
    )


def matches_name(archive_path: str, data: bytes) -> bool:
    """Whether ``data`` hashes to the digest in its archive name."""
    match = _ARCHIVE_NAME.match(archive_path)
    return match is not None and hashlib.sha256(data).hexdigest().startswith(match.group(1))
