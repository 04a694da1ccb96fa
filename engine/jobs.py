"""Cancel and progress plumbing shared by every slow engine call (no Qt here)."""
from __future__ import annotations

import threading
from typing import Callable

from engine.errors import Cancelled

__all__ = ["CancelToken", "Report", "no_report"]

Report = Callable[[int, int, str], None]  # done, total, label; also a cancel point


class CancelToken:
    def __init__(self) -> None:
        self._ev = threading.Event()

    def cancel(self) -> None:
        self._ev.set()

    @property
    def cancelled(self) -> bool:
        return self._ev.is_set()

    def check(self) -> None:
        if self._ev.is_set():
            raise Cancelled()


def no_report(done: int, total: int, label: str = "") -> None:
    return None
