"""A value computed on its first use only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Once(Generic[T]):
    """A value computed on its first use only (``functools.cache`` costs more to create
    than most pairs save: one is made per pair and side)."""

    __slots__ = ("_made", "_make", "_value")

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._made = False

    def __call__(self) -> T:
        if not self._made:
            self._value = self._make()
            self._made = True
        return self._value
