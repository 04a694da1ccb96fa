"""The library's clock. Usage events, ages and recency are read from it, so a test can
live through two months of use in seconds by setting it."""
from __future__ import annotations

import time
from typing import Protocol

__all__ = ["Clock", "SystemClock", "SettableClock", "DAY"]

DAY = 86400.0


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch."""
        ...


class SystemClock:
    def now(self) -> float:
        return time.time()


class SettableClock:
    """A clock that moves only when told: `advance(days=7)` or `set(t)`."""

    def __init__(self, start: float | None = None):
        self._t = time.time() if start is None else float(start)

    def now(self) -> float:
        return self._t

    def set(self, t: float) -> None:
        self._t = float(t)

    def advance(self, *, days: float = 0.0, seconds: float = 0.0) -> float:
        if days < 0 or seconds < 0:
            raise ValueError("The clock only moves forward: give a positive number of days or seconds.")
        self._t += days * DAY + seconds
        return self._t
