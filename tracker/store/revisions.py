"""The schema heads shipped in ``migrations/versions``, read as text (no alembic import).

Opening a store compares its stamp with these before anything else: equal means nothing to
migrate, and alembic's ~0.2 s import is skipped. Only a shortcut: when the stamp differs,
alembic itself decides (migrates, or refuses a newer database).
"""

from __future__ import annotations

import functools
import re

from tracker.resources import resource_dir

_REVISION_LINE = re.compile(r"^(down_revision|revision)\b[^=]*=\s*(.+?)\s*$", re.MULTILINE)
_QUOTED = re.compile(r"[\"']([^\"']+)[\"']")


@functools.cache
def shipped_heads() -> frozenset[str]:
    """The head revisions: those that no other revision names as its ``down_revision``."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((resource_dir("migrations") / "versions").glob("*.py")):
        for name, value in _REVISION_LINE.findall(path.read_text(encoding="utf-8")):
            found = set(_QUOTED.findall(value))
            (revisions if name == "revision" else parents).update(found)
    return frozenset(revisions - parents)
