"""Cancel and progress plumbing shared by every slow engine call (no Qt here)."""
from __future__ import annotations

import threading
from typing import Callable

from engine.errors import Cancelled

__all__ = ["CancelToken", "Report", "no_report", "shielded"]

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


def shielded(callback: Callable[..., None]) -> Callable[..., None]:
    """`callback` (a `report` or an `on_file`), except that once it fails for any reason
    but a cancel, it is not called again and the work goes on.

    Why: these callbacks only show progress, and showing must never decide an outcome:
    a progress printer writing to a closed pipe (`memex ingest ... | head`) once made a
    good file "failed" with BrokenPipeError and stopped the batch. `Cancelled` (and
    KeyboardInterrupt) still pass through: a report is also a cancel point."""
    failed = False

    def call(*args) -> None:
        nonlocal failed
        if failed:
            return
        try:
            callback(*args)
        except Cancelled:
            raise
        except Exception:
            failed = True

    return call
