"""Content-addressed archive of raw briefs under ``snapshots/``.

Raw bytes are stored as ``snapshots/<year>/<sha256 prefix>.<ext>``: the name is derived from
the content alone, so re-archiving the same file is a no-op, two processes archiving it at once
write the same bytes, and nothing a brief says (title, URL) can influence the path.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from tracker.fsutil import write_atomically

_EXTENSIONS = {"txt": "txt", "md": "md", "html": "html", "pdf": "pdf"}


def archive_raw(root: Path, data: bytes, year: int, fmt: str) -> str:
    """Store ``data`` under ``root`` and return its path relative to ``root``."""
    digest = hashlib.sha256(data).hexdigest()
    ext = _EXTENSIONS.get(fmt, "bin")
    relative = f"{int(year):04d}/{digest[:32]}.{ext}"
    target = root / relative
    if target.exists():
        return relative
    write_atomically(target, data)
    return relative
