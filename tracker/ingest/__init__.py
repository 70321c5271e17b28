"""Ingest briefs: read a file, archive its raw bytes, extract claims, store one snapshot.

``ingest_paths`` walks files and folders and ingests each brief in its own transaction: a
failing brief is reported with its reason and the batch goes on.
"""

from tracker.ingest.files import iter_brief_files, store_paths
from tracker.ingest.results import IngestFailure, IngestReport, IngestResult, Outcome, Skipped
from tracker.ingest.service import (
    Overrides,
    ingest_bytes,
    ingest_file,
    ingest_items,
    ingest_paths,
)

__all__ = [
    "IngestFailure",
    "IngestReport",
    "IngestResult",
    "Outcome",
    "Overrides",
    "Skipped",
    "ingest_bytes",
    "ingest_file",
    "ingest_items",
    "ingest_paths",
    "iter_brief_files",
    "store_paths",
]
