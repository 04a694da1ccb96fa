"""Writing each document's map in the background: the digest (`Library.digest`) as the
window runs it.

A pass writes the gists of understood documents (their blocks, sections, chapters and
whole) on the background pool, the pool phase 2 of reading uses, so the two never run at
once. It starts only when the session is idle: after start-up (behind the consolidation),
after an understanding pass, after an answer, when nothing is read, understood, synced,
consolidated or asked, and only when the setting allows it; or when a person asks for a
document's map now. Understanding and answers come first: each stops a running pass
("makes way"), which resumes when they are over. Every gist is its own transaction, so a
stopped pass loses at most the one it was writing.
"""
from __future__ import annotations

import os

from PySide6.QtCore import QObject, Signal, Slot

from engine.jobs import CancelToken

from app.jobs import POOLS, Job

__all__ = ["Digester"]


def _both(a, b):
    """Two requests for passes as one. A request is False (none), None (every document)
    or a list of paths."""
    if a is False:
        return b
    if b is False:
        return a
    if a is None or b is None:
        return None
    return list(dict.fromkeys([*a, *b]))


class Digester(QObject):
    started = Signal(int)                        # a pass found this many documents to digest
    progress = Signal(int, int, str)             # done, total (gists), label; total 0: waiting
    document_digested = Signal(object)           # DocumentRow whose gists (its map) are complete
    finished = Signal(object)                    # DigestSummary | None (stopped, failed, idle)
    _began = Signal(int)                         # worker -> GUI thread (queued to our slots)
    _digested_one = Signal(object)

    def __init__(self, session: QObject, *, when_idle: bool = True):
        super().__init__(session)                 # the Session: library, busy(), closing, activity
        self.session = session
        self.when_idle = when_idle                # the setting: digest without being asked
        self.token: CancelToken | None = None     # the running pass
        self._paths: list[str] | None = None      # ...and what it digests (None: all)
        self._again = False                       # asked for while it ran
        self._resume = False                      # what a pass that made way had left
        self._making_way = False
        self._armed = False                       # idle passes wait for start-up to settle
        self._missed = False                      # an idle pass was due while busy
        self._stopped = False                     # a person stopped the last pass
        self._began.connect(self._pass_began)
        self._digested_one.connect(self._one_digested)

    @property
    def running(self) -> bool:
        return self.token is not None

    def covers(self, path: str) -> bool:
        """Whether the running pass digests `path` (it may be done with it already)."""
        if self.token is None or self.token.cancelled:
            return False
        return self._paths is None or any(path == p or path.startswith(p.rstrip("/") + "/")
                                          for p in self._paths)

    def run(self, paths: list[str] | None = None) -> None:
        """A pass over the understood documents (all, or those at `paths`) whose gists are
        incomplete. One at a time: asked while one runs, it runs again when that one ends
        (it then finds only what is still missing)."""
        if self.session.closing:
            return
        self._stopped = False
        wanted = None if paths is None else [os.fspath(p) for p in paths]
        if self.token is not None:
            self._again = _both(self._again, wanted)
            return
        self._again = False
        lib = self.session.library

        def waiting() -> None:                    # worker thread
            job.progress.emit(0, 0, "waiting for another Memex process writing gists")

        def work(c: CancelToken, r) -> object:
            docs = lib.to_digest(wanted)
            c.check()
            if not docs:
                return None                       # nothing to do: no row, no model loaded
            self._began.emit(len(docs))
            return lib.digest(wanted, cancel=c, report=r, on_document=self._digested_one.emit,
                              on_wait=waiting)
        job: Job = Job(work)
        result: list = []                         # the DigestSummary, when it succeeds
        job.with_progress(self.progress.emit)
        job.success(result.append).failure(self._failed)
        job.always(lambda: self._over(job.token, result[0] if result else None))
        self._paths = wanted
        self.token = job.run(POOLS.background)

    def arm(self) -> None:
        """Start-up has settled (the session's start-up timer): idle passes may run."""
        self._armed = True
        self.idle()

    def idle(self) -> None:
        """An idle pass, due after start-up, an understanding pass (new material) and a
        consolidation (every idle half hour): digest if the session is idle and the setting
        is on, or resume a pass that made way. Due while busy, it runs at `retry`."""
        self._stopped = False
        self._start_if_idle()

    def retry(self) -> None:
        """After an answer or a folder sync: resume a pass that made way, or run one that
        was due while busy, unless a person stopped the last one."""
        if not self._stopped and (self._missed or self._resume is not False):
            self._start_if_idle()

    def _start_if_idle(self) -> None:
        if not self._armed or self.token is not None or self.session.closing:
            return
        if self.session.busy():
            self._missed = True
            return
        self._missed = False
        resume, self._resume = self._resume, False
        if self.when_idle:
            self.run()
        elif resume is not False:
            self.run(resume)

    def cancel(self) -> None:
        """A person's stop: what is written stays; the next idle pass goes on from there."""
        if self.token is not None:
            self._again = False
            self._stopped = True
            self.token.cancel()

    def make_way(self) -> None:
        """Stop the running pass for work that comes first; `idle()` resumes it."""
        if self.token is not None and not self.token.cancelled:
            self._making_way = True
            self._resume = _both(_both(self._resume, self._paths), self._again)
            self._again = False
            self.token.cancel()

    @Slot(int)
    def _pass_began(self, n: int) -> None:
        if not self.session.closing:
            self.started.emit(n)

    @Slot(object)
    def _one_digested(self, doc) -> None:
        if not self.session.closing:
            self.document_digested.emit(doc)

    def _failed(self, exc: BaseException) -> None:
        from app.errors import describe_error
        self.session.activity.emit(f"Writing gists failed: {describe_error(exc)}")

    def _over(self, token: CancelToken, summary) -> None:
        self.token, self._paths = None, None
        made_way, self._making_way = self._making_way, False
        if self.session.closing:
            return
        if token.cancelled and not made_way:
            self.session.activity.emit("Stopped writing gists; those written are kept, and the "
                                       "rest are written the next time Memex is idle.")
        elif summary is not None and summary.documents:
            n = len(summary.documents)
            self.session.activity.emit(f"Wrote the map of {n} document{'s' if n != 1 else ''}")
        self.finished.emit(summary)
        again, self._again = self._again, False   # asked for after any cancel
        if made_way:
            self._resume = _both(self._resume, again)
            self._start_if_idle()                 # or once the other work is over
        elif again is not False:
            self.run(again)
