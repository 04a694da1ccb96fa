"""Watched folders: files added, changed or deleted there are re-read without a click.

Polling, not OS notifications: it works the same on every platform and on network drives.
A poll stats every file; only a file whose size or mtime moved is hashed again, and the
content hash (not the mtime) decides whether it is re-read, so `touch` costs nothing.
The app calls `sync` from a background job on a timer, shows what it did and then
understands what it stored (phase 2) apart, so a poll never waits for the encoder.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import ingest
from engine.jobs import CancelToken, Report, no_report
from engine.reading.documents import FileResult, file_hash

__all__ = ["Changes", "FolderWatcher"]


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    results: list[FileResult] = field(default_factory=list)  # filled by `sync`

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.deleted)


class FolderWatcher:
    """Compares the library's watched folders with what it has stored."""

    def __init__(self, library) -> None:  # engine.library.Library (kept untyped: no cycle)
        self.library = library
        self._stat: dict[str, tuple[int, int, str]] = {}  # path -> (mtime_ns, size, hash)
        self._failed: dict[str, str] = {}                  # path -> hash that failed to read

    def _hash(self, path: Path) -> str | None:
        try:
            st = path.stat()
            seen = self._stat.get(str(path))
            if seen and seen[:2] == (st.st_mtime_ns, st.st_size):
                return seen[2]
            digest = file_hash(path)
        except OSError:
            return None  # vanished between listing and reading: the next poll sees it
        self._stat[str(path)] = (st.st_mtime_ns, st.st_size, digest)
        return digest

    def scan(self, cancel: CancelToken | None = None) -> Changes:
        folders = self.library.state.watched()
        stored = {d.path: d for d in self.library.documents()}
        found: set[str] = set()
        out = Changes()
        for item in ingest.walk(folders):
            if cancel is not None:
                cancel.check()
            if not isinstance(item, Path):
                continue  # a watched folder that vanished: nothing to read
            key = str(item)
            found.add(key)
            digest = self._hash(item)
            if digest is None or self._failed.get(key) == digest:
                continue
            doc = stored.get(key)
            if doc is None or doc.status == "failed":  # new, or failed bytes that changed since
                out.added.append(key)
            elif doc.status == "ready" and doc.hash != digest:
                out.changed.append(key)
        roots = [Path(f) for f in folders]
        for path, doc in stored.items():
            inside = any(r in Path(path).parents for r in roots)
            if inside and path not in found:
                out.deleted.append(path)
        return out

    def sync(self, *, cancel: CancelToken | None = None, report: Report = no_report,
             on_file: Callable[[FileResult], None] | None = None) -> Changes:
        """Scan, read what was added or changed, forget what was deleted. Reading here is
        phase 1 only (the documents come back readable); the caller runs
        `library.understand()` when it suits it (the app: on its background pool)."""
        changes = self.scan(cancel)
        for path in changes.deleted:
            self.library.forget(path)
            self._stat.pop(path, None)
        todo = changes.added + changes.changed
        if todo:
            summary = self.library.ingest(todo, cancel=cancel, report=report, on_file=on_file,
                                          wait=False)   # phase 1: the caller understands later
            changes.results = summary.results
            for r in summary.results:
                if r.status == "failed":
                    seen = self._stat.get(r.path)
                    self._failed[r.path] = seen[2] if seen else ""
                else:
                    self._failed.pop(r.path, None)
        return changes
