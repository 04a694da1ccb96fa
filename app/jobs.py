"""The one way the app runs slow work: a `Job` on a thread pool, results back on the GUI thread.

Modelled on Anki's CollectionOp/QueryOp: an engine call `op(cancel, report)` runs on a
worker; progress, the result and any error come back as queued signals, so widgets are
only ever touched on the GUI thread. Library writes go through `POOLS.write`, one thread,
so they never overlap; reads (answers, traces, page renders) use `POOLS.read`; the long
phase 2 of reading (`Library.understand`) runs on `POOLS.background`, one thread, so a
long encode never holds up the short writes queued behind it.
"""
from __future__ import annotations

import time
from typing import Any, Callable, ClassVar, Generic, TypeVar

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from engine.errors import Cancelled
from engine.jobs import CancelToken, Report

__all__ = ["Job", "Pools", "POOLS"]

T = TypeVar("T")


class Pools:
    def __init__(self) -> None:
        self.write = QThreadPool()
        self.write.setMaxThreadCount(1)   # all library writes, one at a time
        self.read = QThreadPool()
        self.read.setMaxThreadCount(2)
        self.background = QThreadPool()
        self.background.setMaxThreadCount(1)   # understanding (phase 2), one pass at a time

    def cancel_all_and_wait(self) -> None:
        """On quit: cancel every live job, then wait, so no signal outlives its source."""
        for job in list(Job.live):
            job.token.cancel()
        self.write.waitForDone()
        self.read.waitForDone()
        self.background.waitForDone()


POOLS = Pools()


def _ignore(_: Any) -> None:
    return None


class Job(QObject, Generic[T]):
    progress = Signal(int, int, str)
    finished = Signal(object, object)          # result, exception
    piece = Signal(str)                        # streamed text (answers), emitted by the op
    live: ClassVar[set["Job"]] = set()         # keeps running jobs (and their signals) alive

    def __init__(self, op: Callable[[CancelToken, Report], T]):
        super().__init__()                     # built on the GUI thread
        self._op, self.token, self._last = op, CancelToken(), 0.0
        self._ok: Callable[[T], None] = _ignore
        self._fail: Callable[[BaseException], None] | None = None
        self._after: Callable[[], None] = lambda: None
        self.finished.connect(self._done)      # own slot: queued to the GUI thread

    def success(self, f: Callable[[T], None]) -> "Job[T]":
        self._ok = f
        return self

    def failure(self, f: Callable[[BaseException], None]) -> "Job[T]":
        self._fail = f
        return self

    def with_progress(self, f: Callable[[int, int, str], None]) -> "Job[T]":
        self.progress.connect(f)
        return self

    def always(self, f: Callable[[], None]) -> "Job[T]":
        """Runs after success, failure or cancel (e.g. to hide a progress bar)."""
        self._after = f
        return self

    def run(self, pool: QThreadPool) -> CancelToken:
        Job.live.add(self)
        pool.start(self._work)
        return self.token

    def _report(self, done: int, total: int, label: str = "") -> None:  # worker thread
        self.token.check()
        now = time.monotonic()
        if now - self._last > 0.05 or done >= total:
            self._last = now
            self.progress.emit(done, total, label)

    def _work(self) -> None:                   # worker: never touch widgets here
        try:
            result = self._op(self.token, self._report)
        except BaseException as exc:           # noqa: BLE001 — every error goes to the UI
            self.finished.emit(None, exc)
        else:
            self.finished.emit(result, None)

    @Slot(object, object)
    def _done(self, result: Any, exc: BaseException | None) -> None:  # GUI thread
        Job.live.discard(self)
        try:
            if isinstance(exc, Cancelled):
                return                         # a person stopped it: not an error
            if exc is not None:
                if self._fail is not None:
                    self._fail(exc)
                else:
                    from app.errors import show_error
                    show_error(exc)
            else:
                self._ok(result)
        finally:
            self._after()
