"""What a library holds, without its models: its documents, reading new ones (phase 1),
forgetting one, tracing a name, keyword search.

Why apart from `Library`: `memex list`, `forget`, `trace`, `search --keyword` and
`ingest --no-wait` answer from the SQLite file and the parsers alone, and scripts call them
in loops; importing torch, the encoder and llama.cpp for them cost seconds per call.
`Library` is a `Catalog` with understanding (phase 2), recall and answering on top, so
both share one reader, one forget and one trace.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from engine.config import default_library
from engine.jobs import CancelToken, Report, no_report
from engine.model.kv_cache import KVCache
from engine.reading.documents import FileResult, IngestSummary, read_into
from engine.recall.hit import Hit, keyword_hits
from engine.recall.trace import Occurrence, trace
from engine.store import DocumentRow, Store

__all__ = ["Catalog"]


class Catalog:
    def __init__(self, path: str | Path | None = None, *,
                 on_wait: Callable[[str], None] | None = None):
        """`on_wait(message)` hears when a write waits for another process writing to
        this library (the CLI prints it); the wait is silent without it."""
        self.path = Path(path).expanduser() if path else default_library()
        self.store = Store(self.path, on_wait=on_wait)
        # KV states of evidence prefixes: RAM LRU over a bounded folder in the library
        self.kv = KVCache(self.path / "kv")

    def documents(self) -> list[DocumentRow]:
        return self.store.documents()

    def read(self, paths: Iterable[str | Path], *, cancel: CancelToken | None = None,
             report: Report = no_report,
             on_file: Callable[[FileResult], None] | None = None) -> IngestSummary:
        """Phase 1 of reading: files and folders become readable documents (keyword
        search, trace and the viewer work; `Library.understand` adds keys later)."""
        summary = read_into(self.store, paths, cancel=cancel, report=report, on_file=on_file)
        # a state read from a document's old text must never answer again
        self.kv.drop_documents([*summary.stored, *summary.removed])
        return summary

    def search_keywords(self, query: str, *, k: int = 5) -> list[Hit]:
        """BM25 over the text alone (no encoder): works between the phases of reading."""
        return keyword_hits(self.store, query, k)

    def forget(self, path: str | Path) -> bool:
        """Remove a document and every row of it; `path` as given or as stored."""
        p = str(path)
        full = str(Path(p).expanduser().resolve())
        gone = self.store.forget(p) or self.store.forget(full)
        if gone:
            self.kv.drop_documents([p, full])
            self.store.resolve_graph()   # references into the forgotten file re-resolve
        return gone

    def trace(self, term: str, *, limit: int | None = None) -> list[Occurrence]:
        """Definitions and references of a code name, and prose mentions of a term, in
        document then line/page order."""
        return trace(self.store, term, limit=limit)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Catalog":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
