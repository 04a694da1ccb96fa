"""Reading files into the library: open → chunk → encode → store, one document at a time.

Everything for one document is prepared in memory and written in a single transaction,
so Ctrl-C, a crash or a bad file mid-way leaves the library exactly as it was before
that document. Unchanged files (same content hash) are skipped.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

import ingest
from engine.errors import Cancelled, IngestError, MemexError
from engine.jobs import CancelToken, Report, no_report
from engine.memory.build import document_memory
from engine.model.encoder import Encoder
from engine.store import Store
from ingest.prose.split import sentence_spans
from ingest.records import Chunk
from ingest.tokens import estimate_tokens

__all__ = ["FileResult", "IngestSummary", "read_into"]

_PARSE_SHARE = 0.25  # share of a file's progress spent parsing (the rest is encoding)
_DECODE_SHARE = {"video": 0.9}  # a video's decode dwarfs encoding its subtitles


@dataclass(frozen=True)
class FileResult:
    path: str
    status: str            # "stored" | "unchanged" | "failed"
    reason: str | None = None
    warnings: tuple[str, ...] = ()  # e.g. a damaged page that was skipped
    chunks: int = 0
    tokens: int = 0
    units: int = 0         # pages or lines read
    unit_name: str = ""


@dataclass
class IngestSummary:
    results: list[FileResult] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=lambda: {"parse_s": 0.0, "encode_s": 0.0,
                                                                "memory_s": 0.0, "store_s": 0.0})

    @property
    def stored(self) -> list[str]:
        return [r.path for r in self.results if r.status == "stored"]

    @property
    def skipped(self) -> list[str]:
        return [r.path for r in self.results if r.status == "unchanged"]

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
    encoder: Encoder,
    paths: Iterable[str | Path],
    *,
    cancel: CancelToken | None = None,
    report: Report = no_report,
    on_file: Callable[[FileResult], None] | None = None,
    budget: int = 240,
) -> IngestSummary:
    """Read `paths` (files or folders) into `store`.

    `report(done, total, label)` counts bytes of the batch, so it gives a steady ETA
    across files of any kind; `on_file` hears each file's outcome as soon as it is known.
    Raises `Cancelled` when `cancel` fires; documents finished before it stay stored.
    """
    cancel = cancel or CancelToken()
    summary = IngestSummary()
    items = list(ingest.walk(paths))
    sizes = [_size(p) for p in items]
    total = max(1, sum(sizes))
    base = 0

    def emit(result: FileResult) -> None:
        summary.results.append(result)
        if on_file:
            on_file(result)

    for index, (item, size) in enumerate(zip(items, sizes), start=1):
        cancel.check()
        if isinstance(item, IngestError):
            emit(FileResult(item.path, "failed", item.reason))
            continue
        label = f"file {index}/{len(items)} {item.name}"

        def tick(fraction: float, what: str = "") -> None:
            cancel.check()
            report(base + int(size * min(1.0, fraction)), total, f"{label} · {what}" if what else label)

        try:
            emit(_read_one(store, encoder, item, tick, summary.timings, budget))
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
    return summary


def _read_one(
    store: Store, encoder: Encoder, path: Path, tick: Callable[[float], None],
    timings: dict[str, float], budget: int,
) -> FileResult:
    key = str(path)
    t0 = time.perf_counter()
    share = _PARSE_SHARE

    def decoding(done: int, total: int, label: str) -> None:   # long decodes (video)
        tick(share * done / max(1, total), label)

    # cheap checks (size, type) come first
    doc = ingest.open_document(path, budget=budget, report=decoding)
    share = _DECODE_SHARE.get(doc.modality, _PARSE_SHARE)
    digest = file_hash(path, doc.companions)
    old = store.document(key)
    if old is not None and old.status == "ready" and old.hash == digest:
        return FileResult(key, "unchanged", chunks=old.chunks, tokens=old.tokens)
    chunks: list[Chunk] = []
    for chunk in doc.chunks:
        chunks.append(chunk)
        done = _units_done(chunk, doc.unit_name)
        tick(share * done / max(1, doc.units), f"reading {doc.unit_name} {done}/{doc.units}")
    if not chunks:
        raise IngestError(key, "no readable text was found in the file")
    tokens = sum(estimate_tokens(c.text) for c in chunks)
    spans = sentences_of(chunks)
    t1 = time.perf_counter()
    texts = [c.text for c in chunks] + [chunks[i].text[a:b] for i, a, b in spans]
    keys = encoder.encode(
        texts,
        progress=lambda n: tick(share + (1 - share) * n / len(texts),
                                f"encoding {n}/{len(texts)} chunks and sentences"),
    )
    t2 = time.perf_counter()
    # surprise, blocks and final memory state: written in the document's one transaction
    memory = document_memory(np.asarray(keys[:len(chunks)]), [c.location.section for c in chunks])
    t3 = time.perf_counter()
    store.replace_document(
        path=key, hash=digest, modality=doc.modality, title=doc.title, units=doc.units,
        unit_name=doc.unit_name, size=_size(path), tokens=tokens, chunks=chunks,
        keys=np.asarray(keys[:len(chunks)]), sentences=spans,
        sentence_keys=np.asarray(keys[len(chunks):]), memory=memory,
    )
    t4 = time.perf_counter()
    timings["parse_s"] += t1 - t0
    timings["encode_s"] += t2 - t1
    timings["memory_s"] += t3 - t2
    timings["store_s"] += t4 - t3
    return FileResult(key, "stored", warnings=tuple(doc.warnings), chunks=len(chunks),
                      tokens=tokens, units=doc.units, unit_name=doc.unit_name)


def sentences_of(chunks: list[Chunk], *, min_words: int = 4) -> list[tuple[int, int, int]]:
    """(chunk index, start, end) of each sentence worth its own key.

    A chunk of one sentence is already keyed whole, and very short sentences ("Oh!")
    match everything a little, so neither gets a sentence key.
    """
    out: list[tuple[int, int, int]] = []
    for i, chunk in enumerate(chunks):
        spans = [(a, b) for a, b in sentence_spans(chunk.text)
                 if len(chunk.text[a:b].split()) >= min_words]
        if len(spans) > 1:
            out += [(i, a, b) for a, b in spans]
    return out


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
