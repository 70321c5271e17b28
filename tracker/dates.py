"""As-of dates with their precision: a brief dated "2024-04" is known to the month only.

A brief is filed under the first day of the period it names (so selections and ordering
need no special case), and its precision says how much of that date is real: ``2024-04-01``
with precision ``month`` is shown as ``2024-04``, never as a day it does not claim.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

Precision = Literal["day", "month", "year"]
PRECISIONS: tuple[Precision, ...] = ("day", "month", "year")

_PARTIAL = re.compile(r"(\d{4})(?:-(\d{1,2}))?")


def precision_of(value: Any) -> Precision:
    """The precision a date value states: ``2021`` → year, ``2024-04`` → month, else day.

    Only bare ISO years and year-months are less than a day: a written date ("April 2024")
    is parsed elsewhere and treated as a day, as it always was. YAML front matter gives a
    year as an int, which is why the value is not required to be a string.
    """
    if isinstance(value, dt.date):
        return "day"
    match = _PARTIAL.fullmatch(str(value).strip())
    if match is None:
        return "day"
    return "month" if match.group(2) else "year"


def format_date(date: dt.date, precision: str = "day") -> str:
    """``date`` as precise as it is known: ``2024-04-12``, ``2024-04`` or ``2024``."""
    if precision == "year":
        return f"{date.year:04d}"
    if precision == "month":
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def as_precision(value: str) -> Precision:
    """A stored precision string as a ``Precision`` (unknown values read as ``day``)."""
    for known in PRECISIONS:
        if value == known:
            return known
    return "day"
