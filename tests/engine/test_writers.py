"""Many writers, one library: ingests from several processes queue, and none is lost.

Before, two `memex ingest` runs into one library at once ended one of them with
"sqlite3.OperationalError: database is locked" (from `record_failure`) and exit status 1,
with 7 of its 15 files neither stored nor recorded as failed; two runs creating a new
library at once could fail with "table meta already exists". Writers now take the
library's writer lock (engine/store/writer.py) for each write transaction.
"""
from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from engine.store import Store
from engine.store.writer import WAITING
from tests.engine.cli import MEMEX, ROOT, env, memex_json
from tests.engine.conftest import alice_paragraphs

WATCHER = """\
import json, sys
from engine.library import Library
from engine.reading.watch import FolderWatcher
with Library(sys.argv[1]) as lib:
    changes = FolderWatcher(lib).sync()         # the app's poll
    again = lib.ingest(lib.state.watched())     # and the folder dropped on the window again
    print(json.dumps({"changes": [changes.added, changes.changed, changes.deleted],
                      "again": sorted({r.status for r in again.results})}))
"""

HOLDER = """\
import sys
from engine.store import Store
store = Store(sys.argv[1])
with store.atomic():
    store.record_failure("/held.txt", "written while holding the library")
    print("held", flush=True)
    sys.stdin.readline()
"""


def notes(folder: Path, n: int, seed: int) -> list[str]:
    """`n` distinct small notes (text and markdown), each its own title and paragraphs."""
    rng, paras = random.Random(seed), alice_paragraphs()
    folder.mkdir(parents=True)
    out = []
    for i in range(n):
        body = "\n\n".join(rng.sample(paras, 2))
        p = folder / (f"note{i:02d}.md" if i % 2 else f"note{i:02d}.txt")
        p.write_text(f"# {folder.name} note {i}\n\n{body}\n", encoding="utf-8")
        out.append(str(p.resolve()))
    return out


def test_two_ingests_and_the_watcher_at_once_store_all_30_and_change_nothing_else(library, tmp_path):
    watched = notes(tmp_path / "watched", 4, seed=3)
    library.ingest([tmp_path / "watched"])
    library.state.watch(str((tmp_path / "watched").resolve()))
    kept = {d.path: d for d in library.documents()}
    a, b = notes(tmp_path / "a", 15, seed=1), notes(tmp_path / "b", 15, seed=2)
    lib = str(library.path)
    procs = [subprocess.Popen([*MEMEX, "ingest", *files, "--library", lib], cwd=ROOT, env=env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for files in (a, b)]
    procs.append(subprocess.Popen([sys.executable, "-c", WATCHER, lib], cwd=ROOT, env=env(),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0 and "Traceback" not in err, err
    for _, err in outs[:2]:
        assert "15 stored, 0 unchanged, 0 skipped, 0 failed" in err, err
    assert json.loads(outs[2][0]) == {"changes": [[], [], []], "again": ["unchanged"]}

    docs = {d["path"]: d for d in memex_json("list", "--json", "--library", lib)["documents"]}
    assert sorted(docs) == sorted(a + b + watched)
    assert {d["status"] for d in docs.values()} == {"ready"}
    for path, before in kept.items():          # the watcher and the re-read wrote nothing
        assert (docs[path]["id"], docs[path]["hash"], docs[path]["updated_at"]) == \
            (before.id, before.hash, before.updated_at)
    for d in library.documents():
        assert len(library.store.document_chunks(d.id)) == d.chunks > 0
    assert library.store.integrity() == "ok"


def test_another_writer_committing_between_a_writes_read_and_its_write_loses_nothing(tmp_path):
    """The interleaving that ended an ingest: `record_failure` reads the document, another
    writer commits, then `record_failure` writes. A second Store is a second writer as a
    second process is (its own connection and its own hold on the lock file); the tracer
    lets it in exactly between the read and the write."""
    Store(tmp_path).close()
    turn = threading.Event()     # the other writer is waiting for us (or, unlocked, has written)
    other = Store(tmp_path, on_wait=lambda message: turn.set())
    theirs = threading.Thread(target=lambda: (other.record_failure("/theirs.txt", "theirs"), turn.set()))

    def interleave(sql: str, params) -> None:
        if sql.startswith("INSERT INTO documents") and params[0] == "/mine.txt" and not theirs.is_alive():
            theirs.start()
            assert turn.wait(60)

    mine = Store(tmp_path, tracer=interleave)
    mine.record_failure("/mine.txt", "mine")
    theirs.join(60)
    assert {d.path: d.error for d in mine.documents()} == {"/mine.txt": "mine", "/theirs.txt": "theirs"}
    mine.close()
    other.close()


@pytest.mark.parametrize("release", ["commit", "kill -9"])
def test_a_write_waits_while_another_process_writes_and_goes_on_after(tmp_path, release):
    lib = tmp_path / "lib"
    Store(lib).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(lib)], cwd=ROOT, env=env(),
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        heard, waiting = [], threading.Event()
        store = Store(lib, on_wait=lambda message: (heard.append(message), waiting.set()))
        writer = threading.Thread(target=store.record_failure, args=("/mine.txt", "a reason"))
        writer.start()
        assert waiting.wait(60) and heard == [WAITING]
        assert writer.is_alive()                 # queued behind the holder, not failed
        if release == "commit":
            holder.stdin.write("\n")
            holder.stdin.flush()
        else:
            holder.send_signal(signal.SIGKILL)   # the kernel drops a dead process's lock
        holder.wait(60)
        writer.join(60)
        assert not writer.is_alive()
        errors = {d.path: d.error for d in store.documents()}
        held = {"/held.txt": "written while holding the library"} if release == "commit" else {}
        assert errors == {"/mine.txt": "a reason", **held}
        assert store.integrity() == "ok"
        store.close()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


def test_a_write_inside_a_write_is_part_of_it(tmp_path):
    store = Store(tmp_path)
    with pytest.raises(RuntimeError):
        with store.atomic():
            store.record_failure("/a.txt", "first")
            store.record_failure("/b.txt", "second")   # its own atomic(), nested: a savepoint
            raise RuntimeError("the outer write fails")
    assert store.documents() == []
    with store.atomic():
        store.record_failure("/a.txt", "first")
    assert [d.path for d in store.documents()] == ["/a.txt"]
    store.close()


def test_processes_creating_one_new_library_at_once_all_open_it(tmp_path):
    code = "import sys; from engine.store import Store; Store(sys.argv[1]).close()"
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "lib")], cwd=ROOT,
                              env=env(), stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    store = Store(tmp_path / "lib")
    assert store.integrity() == "ok" and store.documents() == []
    store.close()
