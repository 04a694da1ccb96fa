"""`kill -9` at seeded random moments of a real `memex ingest`, and what must hold after each.

Used by tests/engine/test_kill_points.py (a few moments) and bench/killpoints.py (20).

A moment is a place in the ingest's progress, not a clock time, so it means the same on a
fast machine and a loaded one: once the run has printed its first progress line, wait
until the library holds `after_docs` documents, then `delay` seconds more (drawn from a
seeded RNG), and SIGKILL it. The delay lands the kill anywhere in the next document:
parsing, encoding, inside its write transaction, or in the steps after the last file.

After each kill (`check`): `PRAGMA integrity_check` is ok; every document stored before
the run is exactly as it was (same hash, chunk count and chunk texts); every document the
killed run stored is whole (its chunks are those of a clean read, each with its key); no
file is recorded as failed. Each next run carries on from there, and a last run without
a kill must finish the rest.
"""
from __future__ import annotations

import random
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from engine.store import DB_NAME, Store
from tests.engine.cli import MEMEX, ROOT, env
from tests.engine.conftest import alice_paragraphs

__all__ = ["Doc", "Moment", "Point", "corpus", "half_understood", "moments", "reference",
           "snapshot", "check",
           "run_to", "kill_points"]


@dataclass(frozen=True)
class Doc:
    hash: str
    texts: tuple[str, ...]      # its chunks' texts in order (their count is the chunk count)


@dataclass(frozen=True)
class Moment:
    after_docs: int             # documents the library holds first
    delay: float                # then seconds more


@dataclass
class Point:
    moment: Moment
    outcome: str                # "killed", or "finished" when the run ended first
    docs_before: int
    docs_after: int
    problems: list[str] = field(default_factory=list)


def corpus(folder: Path, files: int, *, seed: int = 0) -> Path:
    """`files` text and markdown notes of real prose (Alice), 1 to 12 paragraphs each, every
    one distinct (its own number and title)."""
    rng = random.Random(seed)
    paras = alice_paragraphs()
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(files):
        body = [paras[(i * 7 + j) % len(paras)] for j in range(rng.randint(1, 12))]
        if i % 2:
            text = f"# Note {i}\n\n" + "\n\n".join(f"## Part {j}\n\n{p}" for j, p in enumerate(body))
            (folder / f"note{i:03d}.md").write_text(text + "\n", encoding="utf-8")
        else:
            (folder / f"note{i:03d}.txt").write_text(f"Note {i}.\n\n" + "\n\n".join(body) + "\n",
                                                     encoding="utf-8")
    return folder.resolve()


def moments(n: int, files: int, *, seed: int, max_delay: float = 1.5) -> list[Moment]:
    """`n` moments spread over an ingest of `files` files: the document counts rise in
    random steps (a kill after the last-but-one may fall in the steps after the last file),
    so the run after the last kill still has files to read."""
    rng = random.Random(seed)
    counts = sorted(rng.randint(0, files - 1) for _ in range(n))
    return [Moment(c, round(rng.uniform(0.0, max_delay), 3)) for c in counts]


def reference(folder: Path, library: Path) -> dict[str, tuple[str, ...]]:
    """Each file's chunk texts from a clean, uninterrupted read (text only: the chunking
    does not depend on the keys)."""
    from engine.library import Library
    with Library(library) as lib:
        summary = lib.ingest([folder], wait=False)
        assert not summary.failed, summary.failed
        return {d.path: tuple(c.text for c in lib.store.document_chunks(d.id))
                for d in lib.documents()}


def half_understood(store: Store) -> int:
    """Chunks of half-understood documents: without a key in an understood one, or with
    one in a readable one (phase 2 writes a document's keys all at once or not at all)."""
    keyless = {cid for cid, _ in store.missing_keys()}
    half = 0
    for d in store.documents():
        if d.status == "ready":
            ids = {c.id for c in store.document_chunks(d.id)}
            half += len(ids & keyless) if d.phase == "understood" else len(ids - keyless)
    return half


def snapshot(library: Path) -> tuple[str, dict[str, Doc], list[str], int]:
    """(integrity check, ready documents, paths recorded as failed, chunks of half-understood
    documents: without a key in an understood one, or with one in a readable one)."""
    if not (library / DB_NAME).exists():
        return "ok", {}, [], 0
    store = Store(library)
    try:
        docs = store.documents()
        ready = {d.path: Doc(d.hash, tuple(c.text for c in store.document_chunks(d.id)))
                 for d in docs if d.status == "ready"}
        wrong = [d.path for d in docs if d.status == "ready" and d.chunks != len(ready[d.path].texts)]
        failed = [d.path for d in docs if d.status != "ready"] + wrong
        return store.integrity(), ready, failed, half_understood(store)
    finally:
        store.close()


def check(before: dict[str, Doc], after: tuple, ref: dict[str, tuple[str, ...]]) -> list[str]:
    """What is wrong with the library after a kill (nothing, when the list is empty)."""
    integrity, docs, failed, keyless = after
    problems = [] if integrity == "ok" else [f"integrity_check: {integrity}"]
    problems += [f"recorded as failed or with a wrong chunk count: {p}" for p in failed]
    problems += [f"{keyless} chunks of half-understood documents"] if keyless else []
    for path, doc in before.items():
        if docs.get(path) != doc:
            problems.append(f"an earlier document changed: {path}")
    for path, doc in docs.items():
        if path not in before and doc.texts != ref.get(path):
            problems.append(f"a document stored partly or wrongly: {path}")
    return problems


def run_to(library: Path, folder: Path, moment: Moment | None, *, timeout: float = 600) -> str:
    """Run `memex ingest folder`; kill -9 it at `moment` (None: let it finish). Returns
    "killed" or "finished" (the run ended, with status 0, before the moment came)."""
    proc = subprocess.Popen([*MEMEX, "ingest", str(folder), "--library", str(library)], cwd=ROOT,
                            env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    started = threading.Event()

    def drain() -> None:           # the pipe never fills, whatever the run prints
        for line in proc.stderr:
            lines.append(line)
            started.set()
        started.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    try:
        if moment is not None:
            started.wait(timeout)   # the model is loaded and the first file is being read
            store = None
            while proc.poll() is None and time.monotonic() < deadline:
                if store is None and (library / DB_NAME).exists():
                    store = Store(library)
                if store is not None and sum(d.status == "ready" for d in store.documents()) >= moment.after_docs:
                    break
                time.sleep(0.02)
            if store is not None:
                store.close()
            try:
                proc.wait(timeout=moment.delay)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return "killed"
        proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        reader.join(5)
    assert proc.returncode == 0, f"ingest exited {proc.returncode}:\n{''.join(lines[-20:])}"
    return "finished"


def kill_points(library: Path, folder: Path, ref: dict[str, tuple[str, ...]],
                points: list[Moment]) -> list[Point]:
    """Kill an ingest of `folder` at each moment in turn, checking the library after each."""
    out = []
    for moment in points:
        before = snapshot(library)[1]
        outcome = run_to(library, folder, moment)
        after = snapshot(library)
        out.append(Point(moment, outcome, len(before), len(after[1]), check(before, after, ref)))
    return out
