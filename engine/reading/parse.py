"""Parsing one file into what phase 1 stores, in this process or in a pool of processes.

Why a pool: a repository is thousands of small files, and parsing them (tree-sitter, the
chunker, the symbol extractor) is Python work that one core does file after file. Worker
processes parse the next files while this process stores the last ones, so phase 1 of a
large repository takes about as long as its slowest stage instead of the sum of both.
Results come back in walk order, so a batch stores the same documents in the same order
as a serial read. PDFs, EPUBs, subtitles and videos stay in this process: they are few,
and their readers report progress within the file.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import signal
import subprocess
import sys
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import ingest
from engine.errors import IngestError
from engine.processes import module_command
from ingest.errors import Skipped
from ingest.formats import kind_of
from ingest.records import Chunk, Definition, Reference
from ingest.tokens import estimate_tokens

__all__ = ["ParsedFile", "ParsePool", "file_hash", "parse_file"]

_DECODE_SHARE = {"video": 0.9}  # a video's decode dwarfs chunking its subtitles
_POOL_KINDS = ("code", "text", "markdown")
MIN_POOL_FILES = 32             # below this, starting workers costs more than it saves


@dataclass(frozen=True)
class ParsedFile:
    path: str
    digest: str                 # file_hash of the file and its companions
    size: int
    modality: str
    title: str
    units: int
    unit_name: str
    tokens: int
    chunks: list[Chunk]
    definitions: list[Definition]
    references: list[Reference]
    warnings: tuple[str, ...]


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


def parse_file(path: Path, budget: int,
               tick: Callable[[float, str], None] | None = None) -> ParsedFile:
    """Open, screen and chunk one file; raises IngestError (or Skipped) naming the reason.
    `tick(fraction, what)` follows the reading and may raise to cancel it."""
    key = str(path)

    def decoding(done: int, total: int, label: str) -> None:   # long decodes (video)
        if tick:
            tick(0.9 * done / max(1, total), label)

    doc = ingest.open_document(path, budget=budget, report=decoding)  # cheap checks first
    share = _DECODE_SHARE.get(doc.modality, 1.0)
    chunks: list[Chunk] = []
    for chunk in doc.chunks:
        chunks.append(chunk)
        if tick:
            done = _units_done(chunk, doc.unit_name)
            tick(share * done / max(1, doc.units), f"reading {doc.unit_name} {done}/{doc.units}")
    if not chunks and doc.modality == "code":
        raise Skipped(key, "skipped: the file holds no code (only blank lines)")
    if not chunks:
        raise IngestError(key, "no readable text was found in the file")
    return ParsedFile(
        path=key, digest=file_hash(path, doc.companions), size=file_size(path),
        modality=doc.modality, title=doc.title, units=doc.units, unit_name=doc.unit_name,
        tokens=sum(estimate_tokens(c.text) for c in chunks), chunks=chunks,
        definitions=list(doc.definitions), references=list(doc.references),
        warnings=tuple(doc.warnings))


def failure_reason(exc: BaseException) -> str:
    """What a person is told about an unexpected error while reading a file."""
    if isinstance(exc, (MemoryError, RecursionError)):
        return f"the file is too large or too deeply nested to read ({type(exc).__name__})"
    return f"could not be read ({type(exc).__name__}: {exc})"


def _parse_outcome(path: str, budget: int) -> tuple[str, object]:
    """In a worker: ("ok", ParsedFile) or (kind, reason); errors travel as text because
    the typed errors do not survive pickling with their fields."""
    try:
        return "ok", parse_file(Path(path), budget)
    except Skipped as exc:
        return "ignored", exc.reason
    except IngestError as exc:
        return "failed", exc.reason
    except Exception as exc:  # a parser bug must not stop the batch
        return "failed", failure_reason(exc)


@dataclass
class _Worker:
    proc: subprocess.Popen
    queued: deque[str] = field(default_factory=deque)    # paths sent, results not yet read
    dead: bool = False


class ParsePool:
    """Worker processes (`python -m engine.reading.parse`) parsing the files of one batch.

    Why not multiprocessing: its spawn and forkserver children re-run the caller's main
    script, so a user's script without a `__main__` guard would read its files again in
    every worker; fork is unsafe in a process with threads (the app, torch). A worker
    takes paths on stdin and answers outcomes on stdout, in order, so results are read in
    the order files were given. A worker that dies (a parser crashing on a hostile file)
    fails that file with a reason, and the files it still held are parsed here."""

    def __init__(self, workers: int, budget: int):
        cmd, env = module_command("engine.reading.parse", str(budget))
        self.budget = budget
        self._workers = [_Worker(subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE,
                                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                                  start_new_session=True))
                         for _ in range(workers)]
        self._next = 0
        self.depth = 4 * workers    # files in flight: enough to keep workers busy, bounded memory

    @classmethod
    def for_batch(cls, files: int, budget: int) -> "ParsePool | None":
        """A pool when the batch is large enough and the machine has cores to spare; the
        packaged app reads serially (its executable is not a Python to start workers with).
        $MEMEX_READ_WORKERS sets the number of workers (1: serial)."""
        workers = int(os.environ.get("MEMEX_READ_WORKERS") or min(os.cpu_count() or 1, 8))
        if files < MIN_POOL_FILES or workers < 2 or getattr(sys, "frozen", False):
            return None
        return cls(workers, budget)

    @staticmethod
    def takes(path: Path) -> bool:
        return kind_of(path) in _POOL_KINDS

    def submit(self, path: Path) -> _Worker | None:
        """Send `path` to the next live worker; None when none is left (parse it here)."""
        for _ in range(len(self._workers)):
            worker = self._workers[self._next]
            self._next = (self._next + 1) % len(self._workers)
            if worker.dead:
                continue
            try:
                pickle.dump(str(path), worker.proc.stdin)
                worker.proc.stdin.flush()
            except OSError:
                self._bury(worker)
                continue
            worker.queued.append(str(path))
            return worker
        return None

    def result(self, path: Path, worker: _Worker, tick=None) -> ParsedFile:
        """The ParsedFile of `path` (sent to `worker`), or the typed error a serial parse
        would have raised."""
        if worker.dead:              # its worker died earlier: read it here
            return parse_file(path, self.budget, tick)
        assert worker.queued[0] == str(path), "results are read in the order sent"
        try:
            kind, value = pickle.load(worker.proc.stdout)
        except (EOFError, OSError, pickle.UnpicklingError):
            code = self._bury(worker)
            raise IngestError(str(path), f"the reader crashed on this file (exit status {code})")
        worker.queued.popleft()
        if kind == "ok":
            return value
        if kind == "ignored":
            raise Skipped(str(path), value)
        raise IngestError(str(path), value)

    def _bury(self, worker: _Worker) -> int | None:
        worker.dead = True
        worker.proc.kill()
        return worker.proc.wait()

    def close(self) -> None:
        for worker in self._workers:
            if not worker.dead:
                try:
                    worker.proc.stdin.close()          # end of input: the worker exits
                except OSError:
                    pass
        for worker in self._workers:
            try:
                worker.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:      # stopped mid-file (cancel): not waited for
                worker.proc.kill()
                worker.proc.wait()


def _serve(budget: int) -> None:
    """A worker's loop: a pickled path in, a pickled outcome out, until stdin ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the main process's to handle
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            path = pickle.load(stdin)
        except EOFError:
            return
        pickle.dump(_parse_outcome(path, budget), stdout, protocol=pickle.HIGHEST_PROTOCOL)
        stdout.flush()


def _units_done(chunk: Chunk, unit_name: str) -> int:
    loc = chunk.location
    value = {"page": loc.page, "cue": loc.cue_end, "second": loc.end_s}.get(unit_name,
                                                                         loc.line_end)
    return int(value or 0)


def file_size(item: object) -> int:
    if isinstance(item, Path):
        try:
            return item.stat().st_size
        except OSError:
            return 0
    return 0


if __name__ == "__main__":
    # through the module's real name, so what is pickled is engine.reading.parse.ParsedFile
    from engine.reading.parse import _serve as serve
    serve(int(sys.argv[1]))
