"""One writer at a time per library, whichever thread or process it is.

Why: two `memex ingest` runs into one library (two terminals, the app and the CLI, the
folder watcher and a drop) each wrote through SQLite alone. A write transaction that
began by reading (`replace_document` looks up the old version first) could not become a
writer once the other process had committed meanwhile: SQLite answers "database is
locked" at once there, without waiting, and one ingest died leaving files unrecorded.

Now every write transaction is taken in two steps, held for that one transaction:
- `WriterLock`: a thread lock orders this process's threads, and an advisory `flock` on
  `library.lock` in the library folder orders processes. Whoever comes second waits (and
  is told so once through `on_wait`) until the first one's transaction ends. The kernel
  drops a flock with its process, so a `kill -9` never leaves a library locked.
- `BEGIN IMMEDIATE` (in `Store.atomic`): the transaction is a writer from its first read,
  so it never has to upgrade, and SQLite's busy timeout covers any other program (the
  sqlite3 shell, an older Memex) writing beside us.

The lock is re-entrant on its thread: a write inside a write is part of the outer one.
"""
from __future__ import annotations

import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import sqlite_utils

from engine.errors import StoreError
from engine.jobs import CancelToken, shielded

try:
    import fcntl
except ImportError:          # no flock here: threads still queue; processes rely on SQLite's busy timeout
    fcntl = None

__all__ = ["BUSY_S", "LOCK_NAME", "WAITING", "WriterLock", "exclusive_job", "transaction"]

BUSY_S = 30     # SQLite's busy timeout: how long a write waits for a program that is not Memex
LOCK_NAME = "library.lock"
WAITING = "waiting for another Memex process writing to this library…"


class WriterLock:
    """`with lock.held(): ...` makes the caller the library's only writer.

    `on_wait(message)` is called each time the lock is found taken by another process,
    before waiting for it (the CLI prints it once; the default says nothing)."""

    def __init__(self, folder: Path, *, on_wait: Callable[[str], None] | None = None):
        self.path = Path(folder) / LOCK_NAME
        self.on_wait = shielded(on_wait) if on_wait else None   # showing never decides
        self._thread = threading.RLock()
        self._depth = 0            # nesting on the owning thread
        self._fd: int | None = None

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._thread:
            if self._depth == 0:
                self._acquire()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._release()

    def _acquire(self) -> None:
        if fcntl is None:
            return
        # opened per transaction, not kept: a forked child must never share (and so seem to
        # hold) its parent's lock
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise StoreError(f"Cannot write to the library at {self.path.parent}: {exc}.") from exc
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if self.on_wait is not None:
                    self.on_wait(WAITING)
                fcntl.flock(fd, fcntl.LOCK_EX)    # Ctrl-C still interrupts the wait
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def _release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)                           # closing the descriptor drops the flock


JOB_POLL_S = 0.25   # how often a job waiting for another runner looks at the lock again


@contextmanager
def exclusive_job(folder: Path, name: str, *, wait: bool = True,
                  on_wait: Callable[[], None] | None = None,
                  cancel: CancelToken | None = None) -> Iterator[bool]:
    """Run a long job (phase 2 of reading) in one process or thread at a time: yields True
    when this caller holds it, False when another holds it and `wait` is False.

    Why: the background reader `memex ingest --no-wait` leaves behind and a later
    `memex ingest` (or the app) would otherwise encode the same documents twice. The job's
    writes still take the writer lock, transaction by transaction, so the job never keeps
    other writers out for long. `on_wait()` is called once before waiting; the wait polls
    the lock, so `cancel` (the app closing) ends it with `Cancelled`."""
    if fcntl is None:
        yield True
        return
    try:
        fd = os.open(Path(folder) / f"{name}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise StoreError(f"Cannot write to the library at {folder}: {exc}.") from exc
    try:
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not wait:
                    yield False
                    return
                if on_wait is not None and not told:
                    on_wait()
                told = True
                if cancel is not None:
                    cancel.check()
                time.sleep(JOB_POLL_S)
        yield True
    finally:
        os.close(fd)


@contextmanager
def transaction(db: sqlite_utils.Database, folder: Path) -> Iterator[sqlite_utils.Database]:
    """A write transaction on `db`, taken with BEGIN IMMEDIATE; inside one already open on
    this connection, a SAVEPOINT of it (sqlite-utils' `atomic`). Call with the lock held."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    try:
        db.execute("BEGIN IMMEDIATE")   # a writer from its first read: it never upgrades
    except sqlite3.OperationalError as exc:
        raise StoreError(f"The library at {folder} is busy: another program has been writing "
                         f"to it for over {BUSY_S} s ({exc}).") from exc
    try:
        yield db
        db.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:      # an error may already have ended it
            db.conn.rollback()
        raise
