"""The sources of ``tracker ingest --sources``: where their file is, add, list, remove.

Imports only the sources file module at the top: ``tracker sources list`` needs no HTTP
client (the fetcher is imported to sniff a URL being added).
"""

from __future__ import annotations

from pathlib import Path

from tracker.ingest.sources import Config, Source, add_source, config_path, load_config
from tracker.ingest.sources import remove_source as remove_from_file

__all__ = ["Config", "Source", "add", "list_sources", "remove", "sources_file"]


def sources_file(db_url: str, explicit: str | Path | None = None) -> Path:
    """``--config`` / ``TRACKER_CONFIG`` when given, else ``tracker.toml`` beside an SQLite
    database, else in the current directory."""
    return config_path(db_url, explicit)


def add(path: Path, target: str, kind: str | None = None) -> Source:
    """Add a feed or page URL, or an inbox folder, to the sources file at ``path``.

    Without ``kind`` a URL is fetched once (with the file's own ``[fetch]`` limits) to tell a
    feed from a page.
    """
    from tracker.ingest.fetch import Fetcher
    from tracker.ingest.sources import make_source

    with Fetcher(load_config(path).fetch) as fetcher:
        source = make_source(target, kind, fetcher)
    add_source(path, source)
    return source


def list_sources(path: Path) -> Config:
    """The sources file at ``path`` (an empty one when it does not exist)."""
    return load_config(path)


def remove(path: Path, target: str) -> Source:
    """Remove a source by its URL, folder or number (from 1) in the file's order."""
    return remove_from_file(path, target)
