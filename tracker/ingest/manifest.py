"""Batch ingest with per-file metadata: a manifest in CSV or JSON.

A manifest lists briefs with what their files may not say: ``file`` (required; relative
paths are relative to the manifest's folder), ``date`` (``YYYY-MM-DD``, ``YYYY-MM`` or
``YYYY``), ``date_precision`` (``day``, ``month``, ``year``; else the date's own), ``title``,
``source``, ``url`` and ``authors``. ``publisher`` and ``source_url`` are read as ``source`` and
``url``, so the manifests that come with published document collections work as they are.

CSV: a header row naming the columns; ``authors`` separated by ``;``. JSON: a list of
objects, or an object whose ``briefs`` (or ``documents``) is that list; ``authors`` a list or a
``;``-separated string. Given values win over what the file says, as ``--date`` etc. do.

A bad row (no file, an unknown precision) is one failure naming the manifest and the row, and
the rest of the manifest is still ingested; a manifest that cannot be read at all is an
``InputError``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.dates import PRECISIONS, as_precision
from tracker.errors import InputError
from tracker.ingest.readers import decode_text
from tracker.ingest.results import IngestFailure, IngestReport, IngestResult
from tracker.ingest.service import OnFile, Overrides, ingest_one
from tracker.store.db import Database

_ALIASES = {"publisher": "source", "source_url": "url", "author": "authors", "path": "file"}
_FIELDS = ("file", "date", "date_precision", "title", "source", "url", "authors")
MAX_MANIFEST_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ManifestEntry:
    """One brief of a manifest: its file and the metadata given for it."""

    path: Path
    overrides: Overrides
    row: int


def read_manifest(manifest: Path) -> list[ManifestEntry | IngestFailure]:
    """The entries of a manifest in order; a bad row is an ``IngestFailure`` in its place.

    Raises ``InputError`` when the manifest itself cannot be read or parsed.
    """
    try:
        data = manifest.read_bytes()
    except OSError as exc:
        raise InputError(f"{manifest}: {exc.strerror or exc}") from None
    if len(data) > MAX_MANIFEST_BYTES:
        raise InputError(f"{manifest}: larger than {MAX_MANIFEST_BYTES // 2**20} MB")
    try:
        text = decode_text(data)
    except InputError as exc:
        raise InputError(f"{manifest}: {exc}") from None
    rows = _json_rows(manifest, text) if _is_json(manifest, text) else _csv_rows(manifest, text)
    base = manifest.parent
    return [_entry(manifest, base, number, row) for number, row in rows]


def _is_json(manifest: Path, text: str) -> bool:
    suffix = manifest.suffix.lower()
    if suffix == ".json":
        return True
    if suffix in (".csv", ".tsv"):
        return False
    return text.lstrip().startswith(("[", "{"))


def _json_rows(manifest: Path, text: str) -> Iterator[tuple[int, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{manifest}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if isinstance(data, dict):
        listed = data.get("briefs", data.get("documents"))
        if not isinstance(listed, list):
            raise InputError(f"{manifest}: expected a list of briefs, or an object with 'briefs'")
        data = listed
    if not isinstance(data, list):
        raise InputError(f"{manifest}: expected a list of briefs")
    # Rows are numbered from 1, as a reader counts the entries of the list.
    return enumerate(data, start=1)


def _csv_rows(manifest: Path, text: str) -> Iterator[tuple[int, Any]]:
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    if manifest.suffix.lower() == ".tsv":
        dialect = csv.excel_tab
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [_canonical(name) for name in (reader.fieldnames or [])]
    if "file" not in header:
        raise InputError(f"{manifest}: the CSV header has no 'file' column")
    # Row numbers are the lines of the file (the header is line 1), as an editor shows them.
    return ((reader.line_num, row) for row in reader)


def _canonical(name: str | None) -> str:
    key = (name or "").strip().lower()
    return _ALIASES.get(key, key)


def _entry(manifest: Path, base: Path, number: int, row: Any) -> ManifestEntry | IngestFailure:
    where = Path(f"{manifest} (row {number})")
    if not isinstance(row, Mapping):
        return IngestFailure(where, "not an object with a 'file'")
    values: dict[str, Any] = {}
    for key, value in row.items():
        name = _canonical(key)
        # The first of two spellings wins (a manifest with both publisher and source).
        if name in _FIELDS and name not in values and value not in (None, ""):
            values[name] = value
    file = values.get("file")
    if not isinstance(file, str) or not file.strip():
        return IngestFailure(where, "no 'file' given")
    precision = values.get("date_precision")
    if precision is not None and str(precision).strip().lower() not in PRECISIONS:
        return IngestFailure(
            where, f"invalid date_precision {precision!r} (use day, month or year)"
        )
    path = Path(file.strip()).expanduser()
    if not path.is_absolute():
        path = base / path
    authors = values.get("authors")
    if isinstance(authors, str):
        author_list = tuple(a.strip() for a in authors.split(";") if a.strip())
    elif isinstance(authors, list):
        author_list = tuple(str(a).strip() for a in authors if str(a).strip())
    else:
        author_list = ()

    def text(name: str) -> str | None:
        value = values.get(name)
        return str(value).strip() or None if value is not None else None

    overrides = Overrides(
        date=text("date"),
        title=text("title"),
        source=text("source"),
        url=text("url"),
        authors=author_list or None,
        date_precision=as_precision(str(precision).strip().lower()) if precision else None,
    )
    return ManifestEntry(path, overrides, number)


def ingest_manifest(db: Database, manifest: Path, on_file: OnFile | None = None) -> IngestReport:
    """Ingest every brief a manifest lists, each with its row's metadata, one transaction
    each; bad rows and bad briefs are collected as failures and the rest go on.

    ``on_file`` is called after each entry (for progress display).
    """
    return ingest_entries(db, read_manifest(manifest), on_file)


def ingest_entries(
    db: Database,
    entries: Sequence[ManifestEntry | IngestFailure],
    on_file: OnFile | None = None,
) -> IngestReport:
    """Ingest entries read by ``read_manifest`` (a caller that shows progress reads the
    manifest first to know the count). A ``StoreError`` stops the batch and is raised."""
    report = IngestReport()
    for entry in entries:
        outcome: IngestResult | IngestFailure
        item: Path | IngestFailure
        if isinstance(entry, IngestFailure):
            outcome, item = entry, entry
        else:
            item = entry.path
            outcome = ingest_one(db, entry.path, entry.overrides)
        if isinstance(outcome, IngestFailure):
            report.failures.append(outcome)
        else:
            report.results.append(outcome)
        if on_file is not None:
            on_file(item, outcome)
    return report
