"""One open library as the window sees it: every engine call goes through a `Job` here.

Writes (ingest, remove, watched-folder sync, chat history) use the single-thread write
pool, so a second drop while reading simply queues behind the first; reads (answers,
traces, page renders) use the read pool. Signals carry everything back to the widgets.

Reading is two phases. A drop (or a watched folder's sync) runs phase 1 only on the write
pool, so the document is listed, searchable by keyword and traceable as soon as its text is
stored. Phase 2 (`understand`: keys and memory) then runs on the background pool, one pass
at a time; what is still readable is its queue, so a pass asked for while one runs is
simply run again after it, and a cancelled or interrupted one resumes at the next start.

Each understood document's map (its gists) is written on the background pool too, when
the session is idle (app/digester.py); understanding and answers come first.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot

from engine.store.app_state import ChatTurn
from engine.jobs import CancelToken
from engine.library import Library
from engine.reading.watch import FolderWatcher

from app.digester import Digester
from app.jobs import POOLS, Job

__all__ = ["Session"]

WATCH_INTERVAL_MS = 2000
CONSOLIDATE_AFTER_START_MS = 5_000        # consolidate soon after a library opens...
CONSOLIDATE_IDLE_MS = 30 * 60 * 1000      # ...and again every half hour when nothing is read
REFRESH_SOON_MS = 200                     # documents understood within it: one list refresh
class Session(QObject):
    documents_changed = Signal(list)             # list[DocumentRow]
    ingest_queued = Signal(str)                  # entry (a dropped file or folder)
    ingest_progress = Signal(str, int, int, str)  # entry, done, total, label
    ingest_finished = Signal(str, object)        # entry, IngestSummary | None when stopped
    file_read = Signal(object)                   # FileResult, as soon as each file is known
    activity = Signal(str)                       # a line for the activity log
    watched_changed = Signal(list)
    memory_changed = Signal(object)              # MemoryReport
    consolidated = Signal(object)                # Consolidation
    understand_started = Signal()                # phase 2 found documents to understand
    understand_progress = Signal(int, int, str)  # done, total (chunks), label
    document_understood = Signal(object)         # DocumentRow, on the GUI thread
    understand_finished = Signal(object)         # UnderstandSummary | None (stopped, failed, idle)
    understand_stopped = Signal()                # a person stopped phase 2: it waits for the next start
    _began = Signal()                            # worker -> GUI thread (queued to our slots)
    _understood_one = Signal(object)

    def __init__(self, library: Library, *, watch_interval_ms: int = WATCH_INTERVAL_MS,
                 consolidate_after_ms: int = CONSOLIDATE_AFTER_START_MS,
                 consolidate_idle_ms: int = CONSOLIDATE_IDLE_MS, digest_when_idle: bool = True):
        super().__init__()
        self.library = library
        self.tokens: dict[str, CancelToken] = {}
        self.watcher = FolderWatcher(library)
        self._syncing = False
        self.timer = QTimer(self)
        self.timer.setInterval(watch_interval_ms)
        self.timer.timeout.connect(self.poll_watched)
        self.closing = False
        self._consolidating = False
        self.startup_timer = QTimer(self, singleShot=True, interval=consolidate_after_ms)
        self.startup_timer.timeout.connect(self.consolidate_when_idle)
        self.idle_timer = QTimer(self, interval=consolidate_idle_ms)
        self.idle_timer.timeout.connect(self.consolidate_when_idle)
        # documents understood in quick succession (small files) refresh the list once
        self.refresh_soon = QTimer(self, singleShot=True, interval=REFRESH_SOON_MS)
        self.refresh_soon.timeout.connect(lambda: self.refresh())
        self.conversation: int | None = None       # follow-ups resolve against it
        self._fresh_starts = 0                     # bumped by "New conversation"
        self._turn_saved = threading.Event()       # cleared while a turn is being stored
        self._turn_saved.set()
        self.understanding: CancelToken | None = None   # the running phase-2 pass
        self._understand_again = False             # more became readable during the pass
        self._began.connect(self._understand_began)
        self._understood_one.connect(self._document_understood)
        self._asking = 0                           # answers streaming
        self.digester = Digester(self, when_idle=digest_when_idle)   # the maps, when idle
        self.startup_timer.timeout.connect(self.digester.arm)       # after the consolidation

    # -- the conversation ----------------------------------------------------------------

    def start_conversation(self, *, new: bool = False,
                           then: Callable[[int], None] | None = None) -> None:
        """Continue the library's latest conversation (or start one when `new`)."""
        convs = self.library.conversations
        if new:
            self._fresh_starts += 1                # history still loading is now stale

        def pick() -> int:
            return (None if new else convs.latest()) or convs.new()

        def chosen(cid: int) -> None:
            self.conversation = cid
            if then is not None:
                then(cid)
        self.write(pick, chosen)

    # -- reading -------------------------------------------------------------------------

    def add(self, paths: list[str]) -> list[str]:
        """Queue each path as its own entry (own progress bar, own cancel)."""
        entries = []
        for p in paths:
            entry = os.fspath(Path(p).expanduser().absolute())
            if entry in self.tokens:
                continue                          # already queued or reading
            entries.append(entry)
            self._start_ingest(entry)
        return entries

    def _start_ingest(self, entry: str) -> None:
        lib = self.library
        job = Job(lambda c, r: lib.ingest_resumable(            # phase 1 only
            [entry], cancel=c, report=r, on_file=self.file_read.emit, wait=False))
        job.with_progress(lambda d, t, label: self.ingest_progress.emit(entry, d, t, label))
        job.success(lambda summary: self.ingest_finished.emit(entry, summary))
        job.failure(lambda exc: self._ingest_failed(entry, exc))
        job.always(lambda: self._ingest_over(entry, job.token))
        self.ingest_queued.emit(entry)
        self.tokens[entry] = job.run(POOLS.write)

    def _ingest_failed(self, entry: str, exc: BaseException) -> None:
        from app.errors import describe_error
        self.activity.emit(f"Reading {entry} failed: {describe_error(exc)}")
        self.ingest_finished.emit(entry, None)

    def _ingest_over(self, entry: str, token: CancelToken) -> None:
        self.tokens.pop(entry, None)
        if token.cancelled:
            self.ingest_finished.emit(entry, None)
            if not self.closing:                  # a person's cancel: do not resume it
                self.write(lambda: self.library.state.done([entry]))
        self.refresh(then=self.understand)        # listed as readable first, then understood

    def cancel(self, entry: str) -> None:
        token = self.tokens.get(entry)
        if token is not None:
            token.cancel()

    def resume_pending(self) -> None:
        """Ingests a quit interrupted start again (finished files are skipped by hash), and
        documents left readable (phase 2 cancelled or cut short) are understood."""
        Job(lambda c, r: self.library.state.pending()).success(
            lambda pending: [self._resume(p) for p in pending]).run(POOLS.read)
        self.understand()

    def _resume(self, entry: str) -> None:
        if entry not in self.tokens:
            self.activity.emit(f"Resuming the interrupted reading of {entry}")
            self._start_ingest(entry)

    # -- understanding (phase 2) ---------------------------------------------------------

    def understand(self) -> None:
        """Understand every readable document on the background pool. One pass at a time:
        asked while one runs, it runs again when that one ends (it then finds only what
        became readable meanwhile)."""
        if self.closing:
            return
        if self.understanding is not None:
            self._understand_again = True
            return
        self._understand_again = False
        self.digester.make_way()                  # one pass on the background pool at a time
        lib = self.library

        def waiting() -> None:                    # worker thread
            job.progress.emit(0, 0, "waiting for another Memex process understanding this library")

        def work(c: CancelToken, r) -> object:
            if not lib.readable():
                return None                       # nothing to do: no row, no encoder
            self._began.emit()
            return lib.understand(cancel=c, report=r, on_document=self._understood_one.emit,
                                  on_wait=waiting)
        job: Job = Job(work)
        result: list = []                         # the UnderstandSummary, when it succeeds
        job.with_progress(self.understand_progress.emit)
        job.success(result.append).failure(self._understand_failed)
        job.always(lambda: self._understand_over(job.token, result[0] if result else None))
        self.understanding = job.run(POOLS.background)

    def cancel_understanding(self) -> None:
        """Stop phase 2: what is understood stays so; the rest stays readable and is
        understood at the next start (or the next drop)."""
        if self.understanding is not None:
            self.understanding.cancel()

    @Slot()
    def _understand_began(self) -> None:
        if not self.closing:
            self.understand_started.emit()

    @Slot(object)
    def _document_understood(self, doc) -> None:
        if self.closing:
            return
        self.document_understood.emit(doc)
        if not self.refresh_soon.isActive():      # its status changes in place
            self.refresh_soon.start()

    def _understand_failed(self, exc: BaseException) -> None:
        from app.errors import describe_error
        self.activity.emit(f"Understanding the library failed: {describe_error(exc)}")

    def _understand_over(self, token: CancelToken, summary) -> None:
        self.understanding = None
        if self.closing:
            return
        if token.cancelled:
            self.activity.emit("Stopped understanding; the documents left are searchable by "
                               "keyword and are understood at the next start.")
            self.understand_stopped.emit()
        elif summary is not None and summary.documents:
            n = len(summary.documents)
            self.activity.emit(f"Understood {n} document{'s' if n != 1 else ''}")
        self.understand_finished.emit(summary)
        self.refresh()
        if self._understand_again and not token.cancelled:
            self.understand()
        else:
            self.digester.idle()

    # -- small reads and writes ----------------------------------------------------------

    def refresh(self, then: Callable[[], None] | None = None) -> None:
        """Reload the documents list (`documents_changed`), then call `then`."""
        if self.closing:
            return

        def listed(docs: list) -> None:
            self.documents_changed.emit(docs)
            if then is not None:
                then()
        Job(lambda c, r: self.library.documents()).success(listed).run(POOLS.read)

    def write(self, fn: Callable[[], object], then: Callable[[object], None] | None = None) -> None:
        if self.closing:
            return
        Job(lambda c, r: fn()).success(then or (lambda _: None)).run(POOLS.write)

    def remove(self, path: str) -> None:
        self.write(lambda: self.library.forget(path), lambda _: self.refresh())

    def read(self, fn: Callable[[CancelToken, Callable], object], then: Callable[[object], None],
             failure: Callable[[BaseException], None] | None = None) -> CancelToken:
        job = Job(fn).success(then)
        if failure is not None:
            job.failure(failure)
        return job.run(POOLS.read)

    # -- answers -------------------------------------------------------------------------

    def ask(self, question: str, on_text: Callable[[str], None],
            done: Callable[[object], None], failed: Callable[[BaseException], None]) -> CancelToken:
        """Stream an answer; pieces arrive on the GUI thread through a queued signal."""
        conv = self.conversation
        saved = self._turn_saved
        self.digester.make_way()                  # the model answers first
        self._asking += 1

        def work(c, r):
            for _ in range(300):           # the previous turn is stored before this one reads it
                if saved.wait(0.1):
                    break
                c.check()
            return self.library.ask(question, on_text=job.piece.emit, cancel=c,
                                    conversation=conv, record=False)
        job: Job = Job(work)
        job.piece.connect(on_text)

        def answered(ans) -> None:
            if conv is not None and not self.closing:   # stored through the single writer
                saved.clear()
                Job(lambda c, r: self.library.remember(conv, ans)).always(saved.set).run(POOLS.write)
            done(ans)
        return job.success(answered).failure(failed).always(self._asked).run(POOLS.read)

    def _asked(self) -> None:
        self._asking -= 1
        self.digester.retry()

    def chat_history(self, then: Callable[[list[ChatTurn]], None]) -> None:
        """Load the turns shown in the chat; dropped if a new conversation starts first,
        since the read and the new conversation run on different pools."""
        asked = self._fresh_starts

        def loaded(turns: list[ChatTurn]) -> None:
            if asked == self._fresh_starts:
                then(turns)
        self.read(lambda c, r: self.library.state.chat(), loaded)

    def save_turn(self, turn: ChatTurn) -> None:
        self.write(lambda: self.library.state.add_turn(turn))

    # -- usage and the memory's tiers (engine/value) ---------------------------------------

    def citation_opened(self, chunk_id: int | None) -> None:
        if chunk_id is not None:
            self.write(lambda: self.library.citation_opened(chunk_id))

    def answer_copied(self, chunk_ids: list[int]) -> None:
        if chunk_ids:
            self.write(lambda: self.library.answer_copied(chunk_ids))

    def document_opened(self, path: str) -> None:
        self.write(lambda: self.library.document_opened(path))

    def pin(self, block_ids: list[int], pinned: bool) -> None:
        self.write(lambda: self.library.pin(block_ids, pinned), lambda _: self.refresh_memory())

    def refresh_memory(self) -> None:
        if not self.closing:
            self.read(lambda c, r: self.library.memory(), self.memory_changed.emit)

    def start_consolidating(self) -> None:
        """Consolidate shortly after start-up, then whenever idle (see the timers)."""
        self.startup_timer.start()
        self.idle_timer.start()

    def busy(self) -> bool:
        """Reading, understanding, syncing, consolidating, answering or closing."""
        return bool(self.tokens or self._syncing or self._consolidating or self.closing
                    or self.understanding is not None or self._asking)

    def consolidate_when_idle(self) -> None:
        if not self.busy():
            self.consolidate()                    # then the digest (the maps), if idle

    def consolidate(self) -> None:
        """Rescore blocks and move tiers in the background (the write pool)."""
        if self._consolidating or self.closing:
            return
        self._consolidating = True
        job = Job(lambda c, r: self.library.consolidate(cancel=c, report=r))
        job.success(self._consolidated)
        job.always(self._consolidate_over)
        job.run(POOLS.write)

    def _consolidate_over(self) -> None:
        self._consolidating = False
        self.digester.idle()                      # start-up and every idle half hour

    def _consolidated(self, result) -> None:
        if result.changes:
            self.activity.emit(f"Memory consolidated: {len(result.promoted)} blocks promoted, "
                               f"{len(result.demoted)} demoted")
        self.consolidated.emit(result)
        self.refresh_memory()

    # -- maps: each document's gists (app/digester.py) -------------------------------------

    def digest(self, paths: list[str] | None = None) -> None:
        """Write the gists of understood documents (all, or those at `paths`) now, in the
        background; `digester` signals progress and each document whose map is complete."""
        self.digester.run(paths)

    def outline(self, path: str, then: Callable[[object], None]) -> CancelToken:
        """Load a document's map (an `OutlineEntry`, or None before its gists are written)."""
        return self.read(lambda c, r: self.library.outline(path), then)

    # -- watched folders -----------------------------------------------------------------

    def watch(self, folder: str) -> None:
        folder = os.fspath(Path(folder).expanduser().resolve())
        self.write(lambda: self.library.state.watch(folder), lambda _: self._watched())
        self.activity.emit(f"Watching {folder}")

    def unwatch(self, folder: str) -> None:
        self.write(lambda: self.library.state.unwatch(folder), lambda _: self._watched())

    def _watched(self) -> None:
        self.read(lambda c, r: self.library.state.watched(), self.watched_changed.emit)

    def start_watching(self) -> None:
        self._watched()
        self.timer.start()

    def poll_watched(self) -> None:
        if self._syncing or self.tokens:          # one sync at a time, never during a drop
            return
        self._syncing = True
        job = Job(lambda c, r: self.watcher.sync(cancel=c, report=r, on_file=self.file_read.emit))
        job.success(self._synced).always(self._sync_over)
        job.run(POOLS.write)

    def _sync_over(self) -> None:
        self._syncing = False
        self.digester.retry()

    def _synced(self, changes) -> None:
        if not changes:
            return
        for what, paths in (("added", changes.added), ("changed", changes.changed),
                            ("deleted", changes.deleted)):
            for p in paths:
                self.activity.emit(f"Watched folder: {Path(p).name} {what}"
                                   + (" — re-read" if what != "deleted" else " — forgotten"))
        stored = any(r.status == "stored" for r in changes.results)
        self.refresh(then=self.understand if stored else None)   # the sync did phase 1 only

    def close(self) -> None:
        """Cancel live jobs (pending ingests stay queued for the next start), then wait."""
        if self.closing:
            return
        self.closing = True
        self.timer.stop()
        self.startup_timer.stop()
        self.idle_timer.stop()
        self.refresh_soon.stop()
        POOLS.cancel_all_and_wait()
        QCoreApplication.processEvents()          # deliver the jobs' last signals now
        self.library.close()
