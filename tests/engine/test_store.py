"""The SQLite store: schema versioning, one-transaction documents, forgetting."""
from __future__ import annotations

import sqlite3
import threading

import numpy as np
import pytest

from engine.errors import StoreError
from engine.store import DB_NAME, Store
from engine.store.schema import SCHEMA_VERSION
from ingest.records import Chunk, Location


def _chunks(path: str, texts: list[str]) -> list[Chunk]:
    return [Chunk(t, Location(path=path, page=i + 1, section=("Part", f"S{i}")), i)
            for i, t in enumerate(texts)]


def _put(store: Store, path: str, texts: list[str], digest: str = "h1") -> int:
    keys = np.random.default_rng(0).standard_normal((len(texts), 8)).astype(np.float32)
    return store.replace_document(path=path, hash=digest, modality="pdf", title="t", units=3,
                                  unit_name="page", size=10, tokens=5,
                                  chunks=_chunks(path, texts), keys=keys)


def test_new_library_records_schema_version_and_wal(tmp_path):
    store = Store(tmp_path / "lib")
    assert (tmp_path / "lib" / DB_NAME).exists()
    assert store.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()


def test_newer_schema_is_refused_not_damaged(tmp_path):
    Store(tmp_path).close()
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.execute("INSERT INTO migrations (name) VALUES ('from-the-future')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer Memex"):
        Store(tmp_path)


def test_replace_document_round_trips_locations_and_replaces(tmp_path):
    store = Store(tmp_path)
    _put(store, "/b.pdf", ["alpha beta", "gamma delta"])
    doc = store.document("/b.pdf")
    chunks = store.document_chunks(doc.id)
    assert [c.text for c in chunks] == ["alpha beta", "gamma delta"]
    assert chunks[1].location.page == 2 and chunks[1].location.section == ("Part", "S1")
    assert store.keyword('"gamma"', 5)[0][0] == chunks[1].id

    _put(store, "/b.pdf", ["epsilon"], digest="h2")
    doc2 = store.document("/b.pdf")
    assert doc2.hash == "h2" and doc2.chunks == 1
    assert store.keyword('"gamma"', 5) == []          # old rows and their index entries gone
    assert store.db.execute("SELECT count(*) FROM keys").fetchone()[0] == 1
    store.close()


def test_a_failing_write_leaves_the_old_version(tmp_path):
    store = Store(tmp_path)
    _put(store, "/b.pdf", ["kept text"])
    bad = _chunks("/b.pdf", ["new text"]) + [Chunk(None, Location(path="/b.pdf"), 1)]  # NOT NULL
    with pytest.raises(sqlite3.IntegrityError):
        store.replace_document(path="/b.pdf", hash="h9", modality="pdf", title="t", units=1,
                               unit_name="page", size=1, tokens=1, chunks=bad,
                               keys=np.zeros((2, 8), np.float32))
    doc = store.document("/b.pdf")
    assert doc.hash == "h1"
    assert [c.text for c in store.document_chunks(doc.id)] == ["kept text"]
    assert store.keyword('"kept"', 5) and not store.keyword('"new"', 5)
    assert store.integrity() == "ok"


def test_a_reader_on_another_thread_never_sees_a_document_half_replaced(tmp_path):
    """The writer is held inside replace_document, between deleting the old row and
    inserting the new one; a reader on another thread must still see the old version."""
    paused, resume = threading.Event(), threading.Event()

    def tracer(sql: str, params) -> None:
        if sql.startswith('INSERT INTO "documents"') and threading.current_thread() is not main:
            paused.set()
            assert resume.wait(10)

    main = threading.main_thread()
    store = Store(tmp_path, tracer=tracer)
    _put(store, "/b.pdf", ["old words"])
    writer = threading.Thread(target=_put, args=(store, "/b.pdf", ["new words"], "h2"))
    writer.start()
    try:
        assert paused.wait(10)
        seen = store.document("/b.pdf")
        chunks = store.document_chunks(seen.id) if seen else []
    finally:
        resume.set()
        writer.join(10)
    assert seen is not None and seen.hash == "h1"
    assert [c.text for c in chunks] == ["old words"]
    assert store.document("/b.pdf").hash == "h2"        # and the write went through
    store.close()


def test_each_thread_connection_closes_with_its_thread_or_the_store(tmp_path):
    store = Store(tmp_path)
    seen = []
    worker = threading.Thread(target=lambda: seen.append(store.db.execute("SELECT 1").fetchone()))
    worker.start()
    worker.join()
    del worker
    assert seen == [(1,)] and len(store._conns) == 1     # the worker's connection is gone
    store.close()
    assert store._conns == {}


def test_forget_removes_every_row(tmp_path):
    store = Store(tmp_path)
    _put(store, "/a.pdf", ["one two"])
    _put(store, "/b.pdf", ["three four"])
    assert store.forget("/a.pdf")
    assert not store.forget("/a.pdf")
    assert [d.path for d in store.documents()] == ["/b.pdf"]
    assert store.db.execute("SELECT count(*) FROM chunks").fetchone()[0] == 1
    assert store.db.execute("SELECT count(*) FROM keys").fetchone()[0] == 1
    assert store.keyword('"one"', 5) == []
    assert store.integrity() == "ok"


def test_failure_is_recorded_but_never_replaces_a_good_version(tmp_path):
    store = Store(tmp_path)
    store.record_failure("/new.pdf", "the PDF is damaged")
    assert store.document("/new.pdf").status == "failed"
    _put(store, "/good.pdf", ["fine"])
    store.record_failure("/good.pdf", "the PDF is damaged")
    assert store.document("/good.pdf").status == "ready"


def test_iter_keys_batches_cover_every_key(tmp_path):
    store = Store(tmp_path)
    _put(store, "/a.pdf", [f"t{i}" for i in range(7)])
    batches = list(store.iter_keys(batch=3))
    assert [len(ids) for ids, _ in batches] == [3, 3, 1]
    assert all(m.shape[1] == 8 for _, m in batches)
