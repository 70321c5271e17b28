"""Dates given by users or found in files: ISO and written forms, and a date in a file name."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from tracker.errors import MetadataError

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
            try:
                return dt.date(int(year), int(month or 1), int(day or 1))
            except ValueError as exc:
                raise MetadataError(f"date {text} is not a valid date ({exc})") from None
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


def date_from_filename(path: Path) -> dt.date | None:
    """``2023-06-02-gx-bonds.txt`` → 2023-06-02 (a common way to file briefs)."""
    match = _FILENAME_DATE.search(path.stem)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None
