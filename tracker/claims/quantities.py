"""Quantities in English policy sentences: percentages, money, emissions, counts, years and
ranks.

A claim such as "raise defence spending to 2% of GDP by 2027" changes meaning when one of its
numbers changes, so the comparison engine pairs claims and then compares their quantities.
This module turns a sentence into a list of :class:`Quantity` values, each with a normalised
``value`` and ``unit`` (so "1 percent of gross domestic product" and "1% of GDP" compare
equal) and the exact span of text it came from.

Design
------
Extraction is a fixed sequence of *passes*, most specific first. Each pass is one compiled
regular expression plus a small builder that turns a match into a candidate span (or rejects
it after looking at a few words of context). A candidate is kept only if none of its
characters has already been claimed by an earlier pass, so the order of the passes is the
whole disambiguation policy:

1. money (``$4.5 billion``, ``20 trillion yen``): a currency marker beats everything else;
2. percentages (``2% of GDP``, ``36-38 percent``, ``between 40 and 50 percent``), then
   greenhouse-gas amounts (``65 MtCO2e``, ``51.2 million tonnes of CO2 equivalent``);
3. deadlines (``by 2030``, ``by the end of 2021``, ``until 2035``);
4. day-and-month dates (``16 April``, ``8-14 April``): claimed but not reported, so that the
   day numbers can never become counts or ranks, while the year next to them still can;
5. year ranges (``2008-2018``), then bare years 1900-2099 (``in 2027``);
6. ranks (``second-largest``, ``the 3rd``), filtered by context (``at first`` is no rank);
7. counts of a noun (``55,000 American troops``, ``four new bases``, ``1 million jobs``).

Why not one big pattern: separate passes keep each pattern small enough to read and test,
and the claimed-character mask makes the interaction between them explicit.

Linear time: every repetition in the patterns is either bounded (``\\s{1,3}``, words of at
most 40 letters) or a run of digits, and every number pattern starts with a look-behind that
refuses to start inside a run of digits. Each run of digits is therefore scanned from its
start only, a bounded number of times per pass, and context checks look at a bounded number
of words. There are no nested unbounded quantifiers, so nothing backtracks catastrophically.

Robustness: patterns use ``[0-9]`` rather than ``\\d`` (which would accept other scripts'
digits), and all look-ups of matched words go through ``casefold()`` and ``dict.get`` because
case-insensitive matching accepts oddities such as the long s in "\u017fecond"; an unknown
word makes the candidate disappear instead of raising.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.claims.quantity_builders import _PASSES, _WORD_HINTS, _Builder

__all__ = ["Quantity", "extract_quantities"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """One quantity found in a text.

    ``value`` is normalised: 46.0 for "46%", 4.5e9 for "$4.5 billion", 2.0 for
    "second-largest", 2030.0 for "by 2030"; a range ("36-38%") gets its midpoint (a year
    range its first year). ``unit`` is normalised per ``kind``:

    * ``percent``: ``"%"``, ``"% of GDP"``, ``"pp"`` (percentage points), ``"pp of GDP"``;
    * ``money``: an ISO currency code, ``"USD"``, ``"EUR"``, ``"JPY"``, ``"GBP"`` or ``"CNY"``;
    * ``count``: the lower-cased head noun ("troops"), or ``""`` for a bare scaled number
      such as "1.2 billion";
    * ``year``: ``"year"``, or ``"by-year"`` for a deadline (by/until/before a year);
    * ``rank``: ``"rank"``;
    * ``emissions``: ``"t CO2e"`` (the value in tonnes: 65e6 for "65 MtCO2e"), or an
      intensity ``"t CO2e/SGD"``, ``"t CO2e/capita"``, ``"t CO2e/GDP"``.

    ``raw`` is exactly ``text[start:end]`` of the text passed to :func:`extract_quantities`.
    """

    value: float
    unit: str
    raw: str
    start: int
    end: int
    kind: str


_DIGIT = re.compile(r"[0-9]")


def _re_casefold(text: str) -> str:
    """``text`` lower-cased the way ``re``'s IGNORECASE compares ASCII letters."""
    if not text.isascii():
        text = text.replace("\u0130", "i").replace("\u0131", "i").replace("\u017f", "s")
    return text.lower()


def _passes_for(text: str) -> list[tuple[re.Pattern[str], _Builder]]:
    """The passes that can match in ``text``, in priority order."""
    has_digit = _DIGIT.search(text) is not None
    folded: str | None = None
    passes = []
    for pattern, build in _PASSES:
        hints = _WORD_HINTS.get(pattern)
        if hints is None:
            if has_digit:
                passes.append((pattern, build))
            continue
        if folded is None:
            folded = _re_casefold(text)
        if any(hint in folded for hint in hints):
            passes.append((pattern, build))
    return passes


def extract_quantities(text: str) -> list[Quantity]:
    """All quantities in ``text``, sorted by ``start`` and non-overlapping.

    Offsets index ``text`` itself and ``raw == text[start:end]``. Never raises on any string.
    """
    return _extract(text, _passes_for(text))


def _extract(text: str, passes: Sequence[tuple[re.Pattern[str], _Builder]]) -> list[Quantity]:
    # One byte per character: 1 once a pass has claimed it. Overlap is a C-level find.
    claimed = bytearray(len(text))
    found: list[Quantity] = []
    for pattern, build in passes:
        for m in pattern.finditer(text):
            span = build(text, m)
            if span is None or claimed.find(1, span.start, span.end) != -1:
                continue
            claimed[span.start : span.end] = b"\x01" * (span.end - span.start)
            if span.kind is not None:
                found.append(
                    Quantity(
                        value=span.value,
                        unit=span.unit,
                        raw=text[span.start : span.end],
                        start=span.start,
                        end=span.end,
                        kind=span.kind,
                    )
                )
    found.sort(key=lambda q: q.start)
    return found
