"""Ingest briefs: read a file, archive its raw bytes, extract claims, store one snapshot.

``ingest_paths`` walks files and folders and ingests each brief in its own transaction: a
failing brief is reported with its reason and the batch goes on.
"""

from tracker.ingest.service import (
    IngestFailure,
    IngestReport,
    IngestResult,
    Overrides,
    Skipped,
    ingest_bytes,
    ingest_file,
    ingest_items,
    ingest_paths,
    iter_brief_files,
    store_paths,
)

__all__ = [
    "IngestFailure",
    "IngestReport",
    "IngestResult",
    "Overrides",
    "Skipped",
    "ingest_bytes",
    "ingest_file",
    "ingest_items",
    "ingest_paths",
    "iter_brief_files",
    "store_paths",
]
