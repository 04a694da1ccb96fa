"""Reading files into the library, phase 1: open → chunk → store, one document at a time.

Phase 1 stores text, locations, the keyword index and (for code) symbols, so a document is
searchable by keyword and traceable seconds after the drop; phase 2
(engine/reading/understand.py) adds its keys and memory blocks afterwards.

Everything for one document is prepared in memory and written in a single transaction,
so Ctrl-C, a crash or a bad file mid-way leaves the library exactly as it was before
that document. Unchanged files (same content hash) are skipped, so re-reading a repository
re-parses only what changed; documents under a re-read folder that the walk no longer
meets (deleted or now ignored) are removed, and the symbol graph is re-resolved for the
names that changed.
"""
from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import ingest
from engine.errors import Cancelled, IngestError, MemexError
from engine.jobs import CancelToken, Report, no_report, shielded
from engine.reading.parse import ParsedFile, ParsePool, failure_reason, file_hash, file_size, parse_file
from engine.store import Store
from ingest.errors import Skipped

__all__ = ["FileResult", "IngestSummary", "file_hash", "read_into"]


@dataclass(frozen=True)
class FileResult:
    path: str
    status: str            # "stored" | "unchanged" | "ignored" | "failed" | "removed"
    reason: str | None = None
    warnings: tuple[str, ...] = ()  # e.g. a damaged page that was skipped
    chunks: int = 0
    tokens: int = 0
    units: int = 0         # pages or lines read
    unit_name: str = ""


@dataclass
class IngestSummary:
    results: list[FileResult] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=lambda: {
        "parse_s": 0.0, "store_s": 0.0, "graph_s": 0.0})

    @property
    def stored(self) -> list[str]:
        return [r.path for r in self.results if r.status == "stored"]

    @property
    def skipped(self) -> list[str]:
        return [r.path for r in self.results if r.status == "unchanged"]

    @property
    def ignored(self) -> list[tuple[str, str]]:
        """Files and folders passed over on purpose (vendored, minified, ...) and why."""
        return [(r.path, r.reason or "") for r in self.results if r.status == "ignored"]

    @property
    def removed(self) -> list[str]:
        """Documents dropped because their file is gone from a re-read folder."""
        return [r.path for r in self.results if r.status == "removed"]

    @property
    def failed(self) -> list[tuple[str, str]]:
        return [(r.path, r.reason or "") for r in self.results if r.status == "failed"]

    @property
    def chunks(self) -> int:
        return sum(r.chunks for r in self.results)

    @property
    def tokens(self) -> int:
        return sum(r.tokens for r in self.results)

    @property
    def pages(self) -> int:
        return sum(r.units for r in self.results if r.unit_name == "page")


def read_into(
    store: Store,
    paths: Iterable[str | Path],
    *,
    cancel: CancelToken | None = None,
    report: Report = no_report,
    on_file: Callable[[FileResult], None] | None = None,
    budget: int = 240,
) -> IngestSummary:
    """Read `paths` (files or folders) into `store` as readable documents (phase 1).

    `report(done, total, label)` counts bytes of the batch, so it gives a steady ETA
    across files of any kind; `on_file` hears each file's outcome as soon as it is known.
    Raises `Cancelled` when `cancel` fires; documents finished before it stay stored.
    """
    cancel = cancel or CancelToken()
    # what the callbacks show never decides what is stored (a closed pipe stops them only)
    report, on_file = shielded(report), (shielded(on_file) if on_file else None)
    summary = IngestSummary()
    paths = list(paths)
    roots = [str(Path(p).expanduser().resolve()) for p in paths if Path(p).expanduser().is_dir()]
    total, count = 0, 0
    for item in ingest.walk(paths):     # a first, streaming pass sizes the batch
        cancel.check()
        total, count = total + file_size(item), count + 1
    total = max(1, total)
    seen: set[str] = set()
    base = 0
    pending: deque[tuple[int, Path, object]] = deque()   # read (or being read), not stored

    def emit(result: FileResult) -> None:
        summary.results.append(result)
        if on_file:
            on_file(result)

    def finish(index: int, item: Path, worker) -> None:
        nonlocal base
        cancel.check()
        size = file_size(item)
        label = f"file {index}/{max(count, index)} {item.name}"

        def tick(fraction: float, what: str = "") -> None:
            cancel.check()
            report(base + int(size * min(1.0, fraction)), total, f"{label} · {what}" if what else label)

        try:
            t0 = time.perf_counter()
            parsed = pool.result(item, worker, tick) if worker else parse_file(item, budget, tick)
            t1 = time.perf_counter()
            emit(_store(store, parsed))
            summary.timings["parse_s"] += t1 - t0
            summary.timings["store_s"] += time.perf_counter() - t1
        except Skipped as exc:
            if store.document(str(item)) is not None:   # it became minified/huge: drop it
                store.forget(str(item))
            emit(FileResult(str(item), "ignored", exc.reason))
        except IngestError as exc:
            store.record_failure(str(item), exc.reason)
            emit(FileResult(str(item), "failed", exc.reason))
        except (Cancelled, KeyboardInterrupt):
            raise
        except MemexError:
            raise
        except Exception as exc:  # a parser bug must not stop the batch; say what happened
            store.record_failure(str(item), failure_reason(exc))
            emit(FileResult(str(item), "failed", failure_reason(exc)))
        base += size
        report(base, total, f"{label} · done")

    pool = ParsePool.for_batch(count, budget)
    try:
        for index, item in enumerate(ingest.walk(paths), start=1):
            cancel.check()
            seen.add(str(item.path if isinstance(item, IngestError) else item))
            if isinstance(item, Skipped):
                emit(FileResult(item.path, "ignored", item.reason))
                continue
            if isinstance(item, IngestError):
                emit(FileResult(item.path, "failed", item.reason))
                continue
            same = _unchanged(store, item)
            if same is not None:
                emit(same)
                base += file_size(item)
                continue
            pending.append((index, item, pool.submit(item) if pool and pool.takes(item) else None))
            while len(pending) > (pool.depth if pool else 0):
                finish(*pending.popleft())
        while pending:
            finish(*pending.popleft())
    finally:
        if pool is not None:
            pool.close()
    for root in roots:
        for path in store.forget_missing(root, seen):
            emit(FileResult(path, "removed", "the file is no longer in the folder"))
    t0 = time.perf_counter()
    store.resolve_graph(cancel=cancel, report=lambda d, t, what: report(total, total, what))
    summary.timings["graph_s"] += time.perf_counter() - t0
    return summary


def _unchanged(store: Store, path: Path) -> FileResult | None:
    """A stored file of the same size is hashed first: when unchanged (the common case when
    re-reading a repository) it is not opened, screened or parsed at all."""
    old = store.document(str(path))
    if old is not None and old.status == "ready" and old.size == file_size(path):
        if old.hash == file_hash(path):
            return FileResult(str(path), "unchanged", chunks=old.chunks, tokens=old.tokens)
    return None


def _store(store: Store, doc: ParsedFile) -> FileResult:
    old = store.document(doc.path)
    if old is not None and old.status == "ready" and old.hash == doc.digest:  # sidecars unchanged
        return FileResult(doc.path, "unchanged", chunks=old.chunks, tokens=old.tokens)
    stored = store.replace_document(
        path=doc.path, hash=doc.digest, modality=doc.modality, title=doc.title, units=doc.units,
        unit_name=doc.unit_name, size=doc.size, tokens=doc.tokens, chunks=doc.chunks, keys=None,
        definitions=doc.definitions, references=doc.references, keep_same=True,
    )
    if stored is None:      # another process (the app, its watcher, a second CLI) stored it meanwhile
        return FileResult(doc.path, "unchanged", chunks=len(doc.chunks), tokens=doc.tokens)
    return FileResult(doc.path, "stored", warnings=doc.warnings, chunks=len(doc.chunks),
                      tokens=doc.tokens, units=doc.units, unit_name=doc.unit_name)
