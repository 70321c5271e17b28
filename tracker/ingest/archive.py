"""Content-addressed archive of raw briefs under ``snapshots/``.

Raw bytes are stored as ``snapshots/<year>/<sha256 prefix>.<ext>``: the name is derived from
the content alone, so re-archiving the same file is a no-op, two processes archiving it at once
write the same bytes, and nothing a brief says (title, URL) can influence the path.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

_EXTENSIONS = {"txt": "txt", "md": "md", "html": "html", "pdf": "pdf"}


def archive_raw(root: Path, data: bytes, year: int, fmt: str) -> str:
    """Store ``data`` under ``root`` and return its path relative to ``root``."""
    digest = hashlib.sha256(data).hexdigest()
    ext = _EXTENSIONS.get(fmt, "bin")
    relative = f"{int(year):04d}/{digest[:32]}.{ext}"
    target = root / relative
    if target.exists():
        return relative
    target.parent.mkdir(parents=True, exist_ok=True)
    # Write to a temporary file and rename, so a crash never leaves half a file at the name.
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return relative
