"""Quantities as people read them ("4.5 billion USD", "2nd") and the key that says which two
quantities measure the same kind of thing."""

from __future__ import annotations

import math

from tracker.claims.quantities import Quantity

_SYMBOLS: dict[str, str] = {"USD": "$", "EUR": "\u20ac", "JPY": "\u00a5", "GBP": "\u00a3"}
_SCALE_NAMES: tuple[tuple[float, str], ...] = (
    (1e12, "trillion"),
    (1e9, "billion"),
    (1e6, "million"),
)


def _plain(x: float) -> str:
    """A number with thousands separators and at most three decimals: "55,000", "18.5"."""
    if x == int(x):
        return f"{int(x):,}"
    text = f"{x:,.3f}".rstrip("0").rstrip(".")
    # A tiny value would round to "0": show it in full rather than lie.
    return text if text not in ("0", "-0") else repr(x)


def _with_scale(x: float) -> str:
    """A number with a scale word from a million up: "4.5 billion", "300 million", "55,000"."""
    for size, name in _SCALE_NAMES:
        if abs(x) >= size:
            return f"{_plain(x / size)} {name}"
    return _plain(x)


_MASS_NAMES: tuple[tuple[float, str], ...] = ((1e9, "Gt"), (1e6, "Mt"), (1e3, "kt"), (1.0, "t"))


def format_emissions(tonnes: float, unit: str = "t CO2e") -> str:
    """An amount in tonnes with the prefix people write: "65 Mt CO2e", "0.113 kg CO2e/SGD"."""
    rest = unit.removeprefix("t")  # " CO2e" or " CO2e/SGD"
    for size, name in _MASS_NAMES:
        if abs(tonnes) >= size:
            return f"{_plain(tonnes / size)} {name}{rest}"
    return f"{_plain(tonnes * 1000)} kg{rest}" if tonnes else f"0 t{rest}"


def _ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd"."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"  # 11th, 12th, 13th: the teens are irregular
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_value(q: Quantity) -> str:
    """A short human form of a quantity's normalised value and unit.

    "2% of GDP", "0.5 pp", "$4.5 billion", "¥20 trillion", "55,000 troops", "1 million jobs",
    "65 Mt CO2e", "2030" (also for the deadline "by 2030"), "2nd".
    """
    if not math.isfinite(q.value):
        return f"{q.value} {q.unit}".strip()
    if q.kind == "percent":
        number = _plain(q.value)
        return f"{number}{q.unit}" if q.unit.startswith("%") else f"{number} {q.unit}"
    if q.kind == "money":
        symbol = _SYMBOLS.get(q.unit)
        amount = _with_scale(q.value)
        return f"{symbol}{amount}" if symbol else f"{amount} {q.unit}"
    if q.kind == "count":
        return f"{_with_scale(q.value)} {q.unit}".strip()
    if q.kind == "emissions":
        return format_emissions(q.value, q.unit)
    if q.kind == "year":
        # A deadline and a plain year read the same; the unit ("by-year") keeps them apart.
        return str(int(q.value))
    if q.kind == "rank":
        return _ordinal(int(q.value))
    return f"{_plain(q.value)} {q.unit}".strip()


def quantity_key(q: Quantity) -> tuple[str, str]:
    """``(kind, unit)``: two quantities are comparable (e.g. in paired claims) iff keys match."""
    return q.kind, q.unit
