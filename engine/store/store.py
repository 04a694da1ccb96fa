"""One library's SQLite file: documents, located chunks, keys and the keyword index.

Writes go through `replace_document`, which stores a whole document in one transaction
or nothing at all, so a crash or Ctrl-C mid-document leaves the library as it was.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
import weakref
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

import numpy as np
import sqlite_utils

from engine.errors import StoreError
from engine.jobs import CancelToken, Report, no_report
from engine.store import keys as key_forms
from engine.store import media
from engine.store.blocks import (DocumentMemory, StoredBlock, document_chunk_ids,
                                 documents_without_blocks, iter_blocks, write_memory)
from engine.store import gists as gist_rows
from engine.store.gists import BlockSpan, StoredGist
from engine.store.keys import Projection
from engine.store.graph import mark_dirty, resolve_graph, write_symbols
from engine.store.schema import migrate, up_to_date
from engine.store.writer import BUSY_S, WriterLock, exclusive_job, transaction
from ingest.records import Chunk, Definition, Location, Reference

__all__ = ["Store", "DocumentRow", "StoredChunk", "DB_NAME", "sqlite_version"]

DB_NAME = "library.sqlite"


@dataclass(frozen=True)
class DocumentRow:
    id: int
    path: str
    hash: str | None
    modality: str | None
    title: str | None
    units: int | None
    unit_name: str | None
    size: int | None
    chunks: int
    tokens: int
    status: str
    error: str | None
    updated_at: float | None
    # 'readable': text, keyword index and symbols; 'understood': keys and blocks too
    phase: str = "understood"


@dataclass(frozen=True)
class StoredChunk:
    id: int
    doc_id: int
    ordinal: int
    text: str
    location: Location


class _Handle:
    """Kept in a thread's locals: its finaliser closes that thread's connection."""


def _forget(conns: dict, lock: threading.Lock, serial: int) -> None:
    with lock:
        db = conns.pop(serial, None)
    if db is not None:
        db.close()


class Store:
    """`Store(folder)` opens (creating when missing) the library that lives in `folder`.

    Each thread reads and writes through its own SQLite connection (`db`). With one
    connection shared by all threads, a reader saw the writer's transaction half done: a
    document missing while `replace_document` swapped it. Separate connections in WAL mode
    each see the last committed library, and writers queue on `atomic`.
    """

    def __init__(self, folder: str | Path, *, tracer: Callable[[str, object], None] | None = None,
                 on_wait: Callable[[str], None] | None = None):
        """`on_wait(message)` hears when a write must wait for another process writing to
        the same library (engine/store/writer.py); the wait itself is silent without it."""
        self.folder = Path(folder).expanduser().resolve()
        self._tracer = tracer
        self._conns_lock = threading.Lock()
        self._conns: dict[int, sqlite_utils.Database] = {}   # every thread's open connection
        self._serial = 0
        self._local = threading.local()
        self._projections: dict[str, Projection | None] = {}   # table → learnt projection
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"Cannot open the library at {self.folder}: {exc}.") from exc
        # one writer at a time, whatever the thread or process
        self._writer = WriterLock(self.folder, on_wait=on_wait)
        try:
            if not (self.db.journal_mode == "wal" and up_to_date(self.db)):
                with self._writer.held():   # two processes creating one library: one migrates
                    self.db.enable_wal()
                    migrate(self.db, path=str(self.folder))
            self._upgrade_float_keys()  # libraries from before int8 keys: converted once
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"The library file {self.folder / DB_NAME} is damaged: {exc}.") from exc

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection to the library, opened on first use and closed when the
        thread ends (or with the store)."""
        db = getattr(self._local, "db", None)
        if db is None:
            try:
                conn = sqlite3.connect(self.folder / DB_NAME, check_same_thread=False,
                                       timeout=BUSY_S)
            except sqlite3.Error as exc:
                raise StoreError(f"Cannot open the library at {self.folder}: {exc}.") from exc
            conn.execute("PRAGMA foreign_keys = ON")
            db = sqlite_utils.Database(conn, tracer=self._tracer)
            with self._conns_lock:
                serial = self._serial = self._serial + 1
                self._conns[serial] = db
            self._local.db = db
            # the thread's locals die with it; so does its connection
            self._local.handle = handle = _Handle()
            weakref.finalize(handle, _forget, self._conns, self._conns_lock, serial)
        return db

    def close(self) -> None:
        with self._conns_lock:
            conns = list(self._conns.values())
            self._conns.clear()
        for db in conns:
            db.close()

    @contextmanager
    def atomic(self) -> Iterator[sqlite_utils.Database]:
        """One write transaction: all of it or nothing. Writers queue, across threads and
        processes; one inside another is a SAVEPOINT of it (engine/store/writer.py)."""
        with self._writer.held(), transaction(self.db, self.folder) as db:
            yield db

    def exclusive(self, job: str, *, wait: bool = True,
                  on_wait: Callable[[], None] | None = None, cancel: CancelToken | None = None):
        """`with store.exclusive("understand") as mine:` — one runner of `job` per library
        at a time (engine/store/writer.py `exclusive_job`); `cancel` ends a wait."""
        return exclusive_job(self.folder, job, wait=wait, on_wait=on_wait, cancel=cancel)

    def rewrite_rows(self, select: str, update: str,
                     params_of: Callable[[list[tuple]], object], *,
                     cancel: CancelToken | None = None, batch: int = 8192) -> Iterator[int]:
        """Rewrite rows a batch at a time: `select` (its last parameter `LIMIT ?`) must stop
        matching a row once `update` has run on it with `params_of(rows)`. One transaction
        per batch, so an interrupted run leaves valid rows of both kinds; yields how many
        rows each batch rewrote."""
        while True:
            if cancel is not None:
                cancel.check()
            rows = self.db.execute(select, [batch]).fetchall()
            if not rows:
                return
            params = params_of(rows)
            with self.atomic() as db:
                db.conn.executemany(update, params)
            yield len(rows)

    # -- documents -------------------------------------------------------------------

    def documents(self) -> list[DocumentRow]:
        rows = self.db.execute(
            "SELECT id, path, hash, modality, title, units, unit_name, size, chunks, tokens,"
            " status, error, updated_at, phase FROM documents ORDER BY path"
        ).fetchall()
        return [DocumentRow(*r) for r in rows]

    def document(self, path: str) -> DocumentRow | None:
        row = self.db.execute(
            "SELECT id, path, hash, modality, title, units, unit_name, size, chunks, tokens,"
            " status, error, updated_at, phase FROM documents WHERE path = ?",
            [path],
        ).fetchone()
        return DocumentRow(*row) if row else None

    def replace_document(
        self,
        *,
        path: str,
        hash: str,
        modality: str,
        title: str,
        units: int,
        unit_name: str,
        size: int,
        tokens: int,
        chunks: Sequence[Chunk],
        keys: np.ndarray | None,
        sentences: Sequence[tuple[int, int, int]] = (),
        sentence_keys: np.ndarray | None = None,
        memory: DocumentMemory | None = None,
        definitions: Sequence[Definition] = (),
        references: Sequence[Reference] = (),
        keep_same: bool = False,
    ) -> int | None:
        """Store a read document, replacing any earlier version of it, in one transaction.

        With `keep_same`, a version with this same hash already stored (by another process
        that read the file meanwhile) is kept as it is, and None is returned.

        `keys` may be None: the document is then 'readable' (keyword search and trace
        work at once) and `understand_document` adds its keys later. `sentences[i]` is
        (chunk index, start, end) of a span in that chunk's text, keyed by
        `sentence_keys[i]`. Chunk keys are kept as int8 with a per-row scale; `memory`
        (surprise, blocks, state) is written in the same transaction, so blocks never
        disagree with their chunks.
        """
        assert sentence_keys is None or sentence_keys.shape[0] == len(sentences)
        if keys is not None:
            assert keys.shape[0] == len(chunks), "one key per chunk"
            keys = np.ascontiguousarray(keys, dtype=np.float32)
        now = time.time()
        with self.atomic() as db:
            old = self.document(path)
            if keep_same and old is not None and old.status == "ready" and old.hash == hash:
                return None
            if old is not None:
                mark_dirty(db, old.id)
                db.execute("DELETE FROM documents WHERE id = ?", [old.id])
            doc_id = db["documents"].insert(
                dict(path=path, hash=hash, modality=modality, title=title, units=units,
                     unit_name=unit_name, size=size, chunks=len(chunks), tokens=tokens,
                     status="ready", error=None,
                     phase="readable" if keys is None else "understood",
                     added_at=old and old.updated_at or now, updated_at=now)
            ).last_pk
            first = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM chunks").fetchone()[0]
            db.conn.executemany(
                "INSERT INTO chunks (id, doc_id, ordinal, text, page, page_label, line_start,"
                " line_end, section, char_start, char_end, start_s, end_s, symbol, cue_start,"
                " cue_end) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (_chunk_row(first + i, doc_id, c) for i, c in enumerate(chunks)),
            )
            self._write_understanding(db, doc_id, [first + i for i in range(len(chunks))],
                                      keys, sentences, sentence_keys, memory)
            media.insert_media(db, doc_id, first, chunks)
            if definitions or references:
                write_symbols(db, doc_id, definitions, references)
        return doc_id

    def missing_keys(self, limit: int | None = None) -> list[tuple[int, str]]:
        """(chunk id, text) of chunks stored without a dense key yet, oldest first
        (a cold block's chunks have theirs parked in `cold_keys`, see engine.store.tiers)."""
        sql = ("SELECT c.id, c.text FROM chunks c LEFT JOIN keys k ON k.chunk_id = c.id"
               " WHERE k.chunk_id IS NULL"
               " AND NOT EXISTS (SELECT 1 FROM cold_keys ck WHERE ck.chunk_id = c.id) ORDER BY c.id")
        rows = self.db.execute(sql + (" LIMIT ?" if limit else ""), [limit] if limit else [])
        return [(int(r[0]), r[1]) for r in rows.fetchall()]

    def readable_documents(self, limit: int | None = None) -> list[DocumentRow]:
        """Documents stored by phase 1 and still waiting for their keys, oldest first."""
        sql = ("SELECT id, path, hash, modality, title, units, unit_name, size, chunks, tokens,"
               " status, error, updated_at, phase FROM documents"
               " WHERE phase = 'readable' AND status = 'ready' ORDER BY id")
        rows = self.db.execute(sql + (" LIMIT ?" if limit else ""), [limit] if limit else [])
        return [DocumentRow(*r) for r in rows.fetchall()]

    def understand_document(
        self, doc: DocumentRow, *, keys: np.ndarray,
        sentences: Sequence[tuple[int, int, int]] = (), sentence_keys: np.ndarray | None = None,
        memory: DocumentMemory | None = None,
    ) -> bool:
        """Phase 2 of reading: add a readable document's keys, sentence keys and memory and
        mark it understood, in one transaction. `sentences` index the document's chunks in
        order, as in `replace_document`. Returns False, writing nothing, when the document
        was meanwhile forgotten, re-read or understood by another process."""
        keys = np.ascontiguousarray(keys, dtype=np.float32)
        with self.atomic() as db:
            now = db.execute("SELECT hash, phase FROM documents WHERE id = ?", [doc.id]).fetchone()
            if now is None or tuple(now) != (doc.hash, "readable"):
                return False
            ids = document_chunk_ids(db, doc.id)
            assert keys.shape[0] == len(ids), "one key per chunk"
            self._write_understanding(db, doc.id, ids, keys, sentences, sentence_keys, memory)
            db.execute("UPDATE documents SET phase = 'understood' WHERE id = ?", [doc.id])
        return True

    def _write_understanding(self, db: sqlite_utils.Database, doc_id: int, chunk_ids: list[int],
                             keys: np.ndarray | None, sentences: Sequence[tuple[int, int, int]],
                             sentence_keys: np.ndarray | None,
                             memory: DocumentMemory | None) -> None:
        """Chunk keys (int8 or codes), memory and sentence keys of one document's chunks."""
        if keys is not None:
            rows = key_forms.encode_chunk_keys(keys, self.chunk_projection())
            db.conn.executemany("INSERT INTO keys (chunk_id, vec, scale) VALUES (?, ?, ?)",
                                ((cid, vec, s) for cid, (vec, s) in zip(chunk_ids, rows)))
        if memory is not None:
            write_memory(db, doc_id, chunk_ids, memory)
        if len(sentences):
            # coded from the start once the library has a projection
            forms = key_forms.encode_sentence_keys(sentence_keys, self.projection())
            rows = ((chunk_ids[c], a, b, *forms[i]) for i, (c, a, b) in enumerate(sentences))
            db.conn.executemany("INSERT INTO sentence_keys (chunk_id, char_start, char_end,"
                                " vec, code) VALUES (?,?,?,?,?)", rows)

    def resolve_graph(self, *, cancel: CancelToken | None = None,
                      report: Report = no_report) -> int:
        """Resolve the references pending after document writes (see engine.store.graph)."""
        with self.atomic() as db:
            return resolve_graph(db, cancel=cancel, report=report)

    def forget_missing(self, root: str, seen: set[str]) -> list[str]:
        """Remove documents under folder `root` that a fresh walk of it did not meet
        (deleted or now ignored files); returns their paths."""
        prefix = root.rstrip("/") + "/"
        rows = self.db.execute(
            "SELECT path FROM documents WHERE substr(path, 1, ?) = ?", [len(prefix), prefix])
        gone = [r[0] for r in rows.fetchall() if r[0] not in seen]
        for path in gone:
            self.forget(path)
        return gone

    def record_failure(self, path: str, reason: str) -> None:
        """Note a failed file so the app can show why; a stored good version is kept."""
        with self.atomic() as db:
            old = self.document(path)
            if old is not None and old.status == "ready":
                return
            db.execute(
                "INSERT INTO documents (path, status, error, updated_at) VALUES (?, 'failed', ?, ?)"
                " ON CONFLICT(path) DO UPDATE SET error = excluded.error,"
                " updated_at = excluded.updated_at",
                [path, reason, time.time()],
            )

    def forget(self, path: str) -> bool:
        with self.atomic() as db:
            old = self.document(path)
            if old is not None:
                mark_dirty(db, old.id)
            cur = db.execute("DELETE FROM documents WHERE path = ?", [path])
            return cur.rowcount > 0

    # -- chunks and keys -------------------------------------------------------------

    def chunks(self, ids: Sequence[int]) -> dict[int, StoredChunk]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            "SELECT c.id, c.doc_id, c.ordinal, c.text, d.path, c.page, c.page_label,"
            " c.line_start, c.line_end, c.section, c.char_start, c.char_end, c.start_s,"
            " c.end_s, c.symbol, c.cue_start, c.cue_end"
            f" FROM chunks c JOIN documents d ON d.id = c.doc_id"
            f" WHERE c.id IN ({marks})",
            list(ids),
        ).fetchall()
        return {r[0]: _stored_chunk(r) for r in rows}

    def document_chunks(self, doc_id: int) -> list[StoredChunk]:
        rows = self.db.execute(
            "SELECT c.id, c.doc_id, c.ordinal, c.text, d.path, c.page, c.page_label,"
            " c.line_start, c.line_end, c.section, c.char_start, c.char_end, c.start_s,"
            " c.end_s, c.symbol, c.cue_start, c.cue_end"
            " FROM chunks c JOIN documents d ON d.id = c.doc_id"
            " WHERE c.doc_id = ? ORDER BY c.ordinal",
            [doc_id],
        ).fetchall()
        return [_stored_chunk(r) for r in rows]

    def iter_keys(self, batch: int = 65536) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield (chunk ids, float32 key matrix) in batches, so huge libraries never load at once."""
        proj = self.chunk_projection()
        for ids, rows in self._key_rows(batch):
            yield ids, key_forms.decode_chunk_keys(rows, proj)

    def iter_router_keys(self, batch: int = 65536) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """(chunk ids, int8 rows [n, W], scales [n]) in id order, a batch at a time, in the
        router's space: the chunk projection's codes once the library has learnt one (W =
        its width), else int8 at the encoder's width. Never the whole library as float32."""
        proj = self.chunk_projection()
        for ids, rows in self._key_rows(batch):
            yield (ids, *key_forms.chunk_key_codes(rows, proj))

    def _key_rows(self, batch: int) -> Iterator[tuple[np.ndarray, list[tuple[bytes, float | None]]]]:
        last = 0
        while rows := self.db.execute(
                "SELECT chunk_id, vec, scale FROM keys WHERE chunk_id > ? ORDER BY chunk_id LIMIT ?",
                [last, batch]).fetchall():
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            yield ids, [(r[1], r[2]) for r in rows]
            last = int(ids[-1])

    def key_count(self) -> int:
        """Chunk keys in the dense index (cold blocks' parked keys not counted)."""
        return int(self.db.execute("SELECT count(*) FROM keys").fetchone()[0])

    def document_keys(self, doc_id: int) -> tuple[list[int], np.ndarray, list[str | None]]:
        """(chunk ids, float32 keys [T, D], section JSON per chunk) in document order."""
        rows = self.db.execute(
            "SELECT c.id, k.vec, k.scale, c.section FROM chunks c JOIN keys k ON k.chunk_id = c.id"
            " WHERE c.doc_id = ? ORDER BY c.ordinal, c.id", [doc_id]).fetchall()
        found = key_forms.decode_chunk_keys([(vec, scale) for _, vec, scale, _ in rows],
                                            self.chunk_projection()) \
            if rows else np.zeros((0, 0), np.float32)
        return [r[0] for r in rows], found, [r[3] for r in rows]

    def _upgrade_float_keys(self, batch: int = 16384) -> int:
        """Convert keys stored as float32 (before the int8 step) to int8 in place; → rows done."""
        done = 0
        while rows := self.db.execute(
                "SELECT chunk_id, vec FROM keys WHERE scale IS NULL LIMIT ?", [batch]).fetchall():
            found = np.stack([np.frombuffer(v, np.float32) for _, v in rows])
            with self.atomic() as db:
                db.conn.executemany("UPDATE keys SET vec = ?, scale = ? WHERE chunk_id = ?",
                                    ((vec, s, cid) for (cid, _), (vec, s) in
                                     zip(rows, key_forms.encode_chunk_keys(found, None))))
            done += len(rows)
        return done

    # -- the block memory (engine/memory builds it) ----------------------------------

    def blocks(self, batch: int = 65536) -> Iterator[list[StoredBlock]]:
        """Every block, a batch at a time in id order."""
        return iter_blocks(self.db, batch)

    def documents_without_blocks(self) -> list[int]:
        return documents_without_blocks(self.db)

    def set_document_memory(self, doc_id: int, memory: DocumentMemory) -> None:
        """Write a document's memory on its own (for libraries stored before blocks existed)."""
        with self.atomic() as db:
            write_memory(db, doc_id, document_chunk_ids(db, doc_id), memory)

    # -- gists (engine/gists writes them) --------------------------------------------

    def block_spans(self, doc_id: int) -> list[BlockSpan]:
        """A document's blocks in order, each with the heading path it lies in."""
        return gist_rows.block_spans(self.db, doc_id)

    def blocks_of_chunks(self, ids: Sequence[int]) -> dict[int, int]:
        """chunk id → the id of the block holding it (chunks without blocks are absent)."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            "SELECT c.id, b.id FROM chunks c JOIN blocks b ON b.doc_id = c.doc_id"
            f" AND c.id BETWEEN b.first_chunk AND b.last_chunk WHERE c.id IN ({marks})",
            list(ids)).fetchall()
        return {r[0]: r[1] for r in rows}

    def gists(self, doc_id: int) -> list[StoredGist]:
        """A document's gists, leaves first, each level in document order."""
        return gist_rows.document_gists(self.db, doc_id)

    def all_gists(self, levels: tuple[str, ...] = gist_rows.LEVELS) -> list[StoredGist]:
        return gist_rows.all_gists(self.db, levels)

    def gist_counts(self) -> dict[int, int]:
        return gist_rows.gist_counts(self.db)

    def documents_to_digest(self) -> list[int]:
        return gist_rows.documents_to_digest(self.db)

    def write_gist(self, doc_id: int, **gist) -> bool:
        """One gist in its own transaction, so a digest cut short keeps what it wrote."""
        with self.atomic() as db:
            return gist_rows.write_gist(db, doc_id, **gist)

    def clear_gists(self, doc_id: int) -> None:
        with self.atomic() as db:
            gist_rows.clear_gists(db, doc_id)

    def iter_sentence_keys(self, batch: int = 65536) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Yield (owning chunk ids, float32 keys, hubs) for the sentence keys not yet coded
        (`iter_sentence_codes` yields the others), in batches. A hub not yet measured is 0."""
        for owners, blobs, hubs, _ in self._sentence_rows("vec", "code IS NULL", batch):
            yield owners, key_forms.decode_sentence_keys([(b, None) for b in blobs], None), hubs

    def iter_sentence_codes(self, batch: int = 65536) -> Iterator[tuple[np.ndarray, ...]]:
        """Yield (owning chunk ids, int8 codes [n, d], scales [n], hubs [n], cells [n]) in
        batches; a row's cell is -1 until it has one (engine/store/sentence_cells.py)."""
        for owners, blobs, hubs, cells in self._sentence_rows("code", "code IS NOT NULL", batch):
            codes, scale = key_forms.decode_codes(blobs)
            yield owners, codes, scale, hubs, cells

    def _sentence_rows(self, column: str, where: str, batch: int):
        last = 0
        while rows := self.db.execute(
                f"SELECT id, chunk_id, {column}, coalesce(hub, 0), coalesce(cell, -1)"
                f" FROM sentence_keys WHERE id > ? AND {where} ORDER BY id LIMIT ?",
                [last, batch]).fetchall():
            yield (np.fromiter((r[1] for r in rows), np.int64, len(rows)), [r[2] for r in rows],
                   np.fromiter((r[3] for r in rows), np.float32, len(rows)),
                   np.fromiter((r[4] for r in rows), np.int64, len(rows)))
            last = int(rows[-1][0])

    def key_hubs(self) -> tuple[np.ndarray, np.ndarray]:
        """(chunk ids ascending, hub of each chunk key; 0 where not measured)."""
        rows = self.db.execute("SELECT chunk_id, coalesce(hub, 0) FROM keys ORDER BY chunk_id").fetchall()
        return (np.fromiter((r[0] for r in rows), np.int64, len(rows)),
                np.fromiter((r[1] for r in rows), np.float32, len(rows)))

    def projection(self) -> Projection | None:
        """The library's sentence-key projection, once it has learnt one (it never changes)."""
        return self.learnt_projection("key_projection")

    def chunk_projection(self) -> Projection | None:
        """The library's chunk-key projection, once it has learnt one (it never changes)."""
        return self.learnt_projection("chunk_key_projection")

    def learnt_projection(self, table: str) -> Projection | None:
        if self._projections.get(table) is None:
            row = self.db.execute(f"SELECT projection FROM {table} WHERE id = 1").fetchone()
            self._projections[table] = key_forms.decode_projection(row[0]) if row else None
        return self._projections[table]

    def forget_projections(self) -> None:
        """Re-read the projections at next use (after one was learnt)."""
        self._projections.clear()

    def sentence_key_matrix(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(sentence key ids, owning chunk ids, float32 keys) of the whole library; coded
        keys come back decoded through the projection."""
        rows = self.db.execute(
            "SELECT id, chunk_id, vec, code FROM sentence_keys ORDER BY id").fetchall()
        ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
        owners = np.fromiter((r[1] for r in rows), np.int64, len(rows))
        return ids, owners, key_forms.decode_sentence_keys([(r[2], r[3]) for r in rows],
                                                           self.projection())

    def document_sentence_keys(self, doc_id: int) -> tuple[np.ndarray, np.ndarray]:
        """(owning chunk ids, float32 keys [n, D]) of one document's sentence keys, in
        document order; coded keys come back decoded through the projection."""
        rows = self.db.execute(
            "SELECT s.chunk_id, s.vec, s.code FROM sentence_keys s JOIN chunks c"
            " ON c.id = s.chunk_id WHERE c.doc_id = ? ORDER BY c.ordinal, s.id",
            [doc_id]).fetchall()
        owners = np.fromiter((r[0] for r in rows), np.int64, len(rows))
        if not rows:
            return owners, np.zeros((0, 0), np.float32)
        return owners, key_forms.decode_sentence_keys([(r[1], r[2]) for r in rows],
                                                      self.projection())

    def sentence_texts(self, sentence_ids: Sequence[int]) -> list[str]:
        """The text of each given sentence key, in the order given."""
        out: dict[int, str] = {}
        for lo in range(0, len(sentence_ids), 500):
            part = list(sentence_ids[lo:lo + 500])
            marks = ",".join("?" * len(part))
            for sid, text, a, b in self.db.execute(
                    f"SELECT s.id, c.text, s.char_start, s.char_end FROM sentence_keys s"
                    f" JOIN chunks c ON c.id = s.chunk_id WHERE s.id IN ({marks})", part):
                out[sid] = text[a:b]
        return [out.get(i, "") for i in sentence_ids]

    def iter_chunk_texts(self, batch: int = 4096) -> Iterator[str]:
        last = 0
        while rows := self.db.execute(
                "SELECT id, text FROM chunks WHERE id > ? ORDER BY id LIMIT ?", [last, batch]).fetchall():
            yield from (r[1] for r in rows)
            last = int(rows[-1][0])

    def key_bytes(self) -> dict[str, int]:
        """Bytes each kind of key takes in the library (vectors and their scales), for the
        memory figures: chunk keys, sentence keys, block centroids, the query adapter."""
        one = lambda sql: int(self.db.execute(sql).fetchone()[0] or 0)  # noqa: E731
        out = {
            "chunk_keys": one("SELECT sum(length(vec) + 4) FROM keys"),
            "sentence_keys": one("SELECT sum(length(vec) + coalesce(length(code), 0))"
                                 " FROM sentence_keys"),
            "sentence_projection": one("SELECT sum(length(projection)) FROM key_projection"),
            "chunk_projection": one("SELECT sum(length(projection)) FROM chunk_key_projection"),
            "hubs": 4 * one("SELECT count(hub) FROM keys") + 4 * one("SELECT count(hub) FROM sentence_keys"),
            "block_centroids": one("SELECT sum(length(centroid) + 4) FROM blocks"),
            "query_adapter": one("SELECT sum(coalesce(length(weights), 0) + coalesce(length(bank), 0))"
                                 " FROM query_adapters"),
        }
        out["total"] = sum(out.values())
        return out

    def keyword(self, match: str, limit: int) -> list[tuple[int, float]]:
        """FTS5 hits for a MATCH expression: (chunk id, bm25 score, higher is better)."""
        rows = self.db.execute(
            "SELECT rowid, -bm25(chunks_fts) FROM chunks_fts WHERE chunks_fts MATCH ?"
            " ORDER BY bm25(chunks_fts) LIMIT ?",
            [match, limit],
        ).fetchall()
        return [(int(r[0]), float(r[1])) for r in rows]

    def match_count(self, match: str) -> int:
        return int(self.db.execute(
            "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?", [match]).fetchone()[0])

    def match_ids(self, match: str, limit: int) -> list[int]:
        """Chunks matching an FTS5 expression, unranked, at most `limit`."""
        rows = self.db.execute(
            "SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT ?", [match, limit]).fetchall()
        return [int(r[0]) for r in rows]

    def match_among(self, match: str, chunk_ids: Sequence[int]) -> list[int]:
        if not chunk_ids:
            return []
        marks = ",".join("?" * len(chunk_ids))
        rows = self.db.execute(
            f"SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? AND rowid IN ({marks})",
            [match, *chunk_ids],
        ).fetchall()
        return [int(r[0]) for r in rows]

    # -- media (subtitle cues, keyframes) ------------------------------------------

    def keyframes_of(self, chunk_ids: Sequence[int]) -> dict[int, tuple[media.KeyframeRef, ...]]:
        """The keyframes each scene chunk spans, in time order."""
        return media.keyframes_of(self.db, chunk_ids)

    def cues_of(self, chunk_id: int) -> list[media.StoredCue]:
        return media.cues_of(self.db, chunk_id)

    def thumbnail(self, keyframe_id: int) -> bytes | None:
        """A keyframe's JPEG thumbnail, or None when it is gone."""
        return media.thumbnail(self.db, keyframe_id)

    def chunk_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM chunks").fetchone()[0])

    def generation(self) -> int:
        """Changes with every write to a table that search indexes or caches (chunks, any
        kind of key, blocks, projections, cells, the query adapter): the schema's triggers
        count them (engine/store/schema.py), so no writer can forget to. Caches compare it."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def integrity(self) -> str:
        return self.db.execute("PRAGMA integrity_check").fetchone()[0]


def sqlite_version() -> str:
    """The SQLite library's version (for `memex --selftest` and bug reports)."""
    return sqlite3.sqlite_version


def _chunk_row(chunk_id: int, doc_id: int, c: Chunk) -> tuple:
    loc = c.location
    return (chunk_id, doc_id, c.ordinal, c.text, loc.page, loc.page_label, loc.line_start,
            loc.line_end, json.dumps(list(loc.section)) if loc.section else None,
            loc.char_start, loc.char_end, loc.start_s, loc.end_s, loc.symbol, loc.cue_start,
            loc.cue_end)


def _stored_chunk(r: tuple) -> StoredChunk:
    (cid, doc_id, ordinal, text, path, page, label, ls, le, section, cs, ce, ss, es, sym,
     cue_a, cue_b) = r
    loc = Location(path=path, page=page, page_label=label, line_start=ls, line_end=le,
                   section=tuple(json.loads(section)) if section else (), char_start=cs,
                   char_end=ce, start_s=ss, end_s=es, symbol=sym, cue_start=cue_a,
                   cue_end=cue_b)
    return StoredChunk(id=cid, doc_id=doc_id, ordinal=ordinal, text=text, location=loc)
