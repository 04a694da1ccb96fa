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

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import ingest
from engine.errors import Cancelled, IngestError, MemexError
from engine.jobs import CancelToken, Report, no_report, shielded
from engine.store import Store
from ingest.errors import Skipped
from ingest.records import Chunk
from ingest.tokens import estimate_tokens

__all__ = ["FileResult", "IngestSummary", "read_into"]

_DECODE_SHARE = {"video": 0.9}  # a video's decode dwarfs encoding its subtitles
_PARSE_SHARE = 0.9  # share of a file's progress spent parsing (the rest is storing)


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


def file_hash(path: Path, companions: Iterable[str] = ()) -> str:
    """sha256 of the file's bytes, followed by any companion files' (sidecar subtitles)."""
    h = hashlib.sha256()
    for part in (path, *companions):
        if part != path:   # a companion renamed or swapped also changes the hash
            h.update(str(part).encode())
        with open(part, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


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
        total, count = total + _size(item), count + 1
    total = max(1, total)
    seen: set[str] = set()
    base = 0

    def emit(result: FileResult) -> None:
        summary.results.append(result)
        if on_file:
            on_file(result)

    for index, item in enumerate(ingest.walk(paths), start=1):
        cancel.check()
        size = _size(item)
        seen.add(str(item.path if isinstance(item, IngestError) else item))
        if isinstance(item, Skipped):
            emit(FileResult(item.path, "ignored", item.reason))
            continue
        if isinstance(item, IngestError):
            emit(FileResult(item.path, "failed", item.reason))
            continue
        label = f"file {index}/{max(count, index)} {item.name}"

        def tick(fraction: float, what: str = "") -> None:
            cancel.check()
            report(base + int(size * min(1.0, fraction)), total, f"{label} · {what}" if what else label)

        try:
            emit(_read_one(store, item, tick, summary.timings, budget))
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
        except (MemoryError, RecursionError) as exc:
            reason = f"the file is too large or too deeply nested to read ({type(exc).__name__})"
            store.record_failure(str(item), reason)
            emit(FileResult(str(item), "failed", reason))
        except Exception as exc:  # a parser bug must not stop the batch; say what happened
            reason = f"could not be read ({type(exc).__name__}: {exc})"
            store.record_failure(str(item), reason)
            emit(FileResult(str(item), "failed", reason))
        base += size
        report(base, total, f"{label} · done")
    for root in roots:
        for path in store.forget_missing(root, seen):
            emit(FileResult(path, "removed", "the file is no longer in the folder"))
    t0 = time.perf_counter()
    store.resolve_graph(cancel=cancel, report=lambda d, t, what: report(total, total, what))
    summary.timings["graph_s"] += time.perf_counter() - t0
    return summary


def _read_one(
    store: Store, path: Path, tick: Callable[[float], None],
    timings: dict[str, float], budget: int,
) -> FileResult:
    key = str(path)
    t0 = time.perf_counter()
    old = store.document(key)
    # A stored file of the same size is hashed first: when unchanged (the common case when
    # re-reading a repository) it is not opened, screened or parsed at all.
    if old is not None and old.status == "ready" and old.size == _size(path):
        digest = file_hash(path)
        if old.hash == digest:
            return FileResult(key, "unchanged", chunks=old.chunks, tokens=old.tokens)
    share = _PARSE_SHARE

    def decoding(done: int, total: int, label: str) -> None:   # long decodes (video)
        tick(share * done / max(1, total), label)

    doc = ingest.open_document(path, budget=budget, report=decoding)  # cheap checks first
    share = _DECODE_SHARE.get(doc.modality, _PARSE_SHARE)
    digest = file_hash(path, doc.companions)
    if old is not None and old.status == "ready" and old.hash == digest:  # sidecars unchanged
        return FileResult(key, "unchanged", chunks=old.chunks, tokens=old.tokens)
    chunks: list[Chunk] = []
    for chunk in doc.chunks:
        chunks.append(chunk)
        done = _units_done(chunk, doc.unit_name)
        tick(share * done / max(1, doc.units), f"reading {doc.unit_name} {done}/{doc.units}")
    if not chunks and doc.modality == "code":
        raise Skipped(key, "skipped: the file holds no code (only blank lines)")
    if not chunks:
        raise IngestError(key, "no readable text was found in the file")
    tokens = sum(estimate_tokens(c.text) for c in chunks)
    t1 = time.perf_counter()
    stored = store.replace_document(
        path=key, hash=digest, modality=doc.modality, title=doc.title, units=doc.units,
        unit_name=doc.unit_name, size=_size(path), tokens=tokens, chunks=chunks, keys=None,
        definitions=doc.definitions, references=doc.references, keep_same=True,
    )
    t2 = time.perf_counter()
    timings["parse_s"] += t1 - t0
    timings["store_s"] += t2 - t1
    if stored is None:      # another process (the app, its watcher, a second CLI) stored it meanwhile
        return FileResult(key, "unchanged", chunks=len(chunks), tokens=tokens)
    return FileResult(key, "stored", warnings=tuple(doc.warnings), chunks=len(chunks),
                      tokens=tokens, units=doc.units, unit_name=doc.unit_name)


def _units_done(chunk: Chunk, unit_name: str) -> int:
    loc = chunk.location
    value = {"page": loc.page, "cue": loc.cue_end, "second": loc.end_s}.get(unit_name,
                                                                         loc.line_end)
    return int(value or 0)


def _size(item: object) -> int:
    if isinstance(item, Path):
        try:
            return item.stat().st_size
        except OSError:
            return 0
    return 0
