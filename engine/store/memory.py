"""The memory engine's rows: per-chunk surprise, blocks, each document's final memory state,
and the int8 key tier. Functions over a `Store`, so the store file stays about documents.

Blocks are written with their document, in the same transaction, and die with it
(ON DELETE CASCADE): a changed document rebuilds only its own blocks.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Sequence

import numpy as np
import sqlite_utils

from engine.store.projection import Projection
from engine.store.quant import dequantize, quantize

if TYPE_CHECKING:
    from engine.store.store import Store

__all__ = ["BlockRow", "DocumentMemory", "StoredBlock", "write_memory", "set_document_memory",
           "iter_blocks", "iter_keys_int8", "documents_without_blocks", "document_keys",
           "upgrade_float_keys", "key_rows", "iter_key_rows", "index_rows", "decode_keys"]


@dataclass(frozen=True)
class BlockRow:
    """A block as the builder makes it: positions are indexes into the document's chunks."""
    first: int
    last: int                      # inclusive
    cut: str                       # 'start' | 'section' | 'surprise' | 'size'
    surprise: float
    centroid: np.ndarray           # float32 [D], L2-normalised
    reps: tuple[int, ...]          # positions of representative chunks


@dataclass(frozen=True)
class DocumentMemory:
    surprise: np.ndarray           # [T] per chunk
    blocks: list[BlockRow]
    m: np.ndarray                  # [dk, dv] final compressive memory
    z: np.ndarray                  # [dk]


@dataclass(frozen=True)
class StoredBlock:
    id: int
    doc_id: int
    first_chunk: int
    last_chunk: int
    centroid: np.ndarray           # float32, dequantised
    reps: tuple[int, ...]          # chunk ids


def key_rows(first_id: int, keys: np.ndarray,
             proj: Projection | None = None) -> Iterator[tuple[int, bytes, float]]:
    """(chunk id, int8 row, scale) rows of float keys: the chunk projection's codes once the
    library has learnt one, else the keys at the encoder's width."""
    q, scale = proj.encode(keys) if proj is not None else quantize(keys)
    for i in range(len(q)):
        yield first_id + i, q[i].tobytes(), float(scale[i])


def write_memory(db: sqlite_utils.Database, doc_id: int, chunk_ids: list[int],
                 memory: DocumentMemory) -> None:
    """Replace a document's surprise, blocks and state; call inside a transaction."""
    assert len(memory.surprise) == len(chunk_ids), "one surprise per chunk"
    db.execute("DELETE FROM blocks WHERE doc_id = ?", [doc_id])
    db.conn.executemany("UPDATE chunks SET surprise = ? WHERE id = ?",
                        ((float(s), cid) for s, cid in zip(memory.surprise, chunk_ids)))
    rows = []
    for b in memory.blocks:
        q, scale = quantize(b.centroid[None])
        rows.append((doc_id, chunk_ids[b.first], chunk_ids[b.last], b.cut, float(b.surprise),
                     q[0].tobytes(), float(scale[0]), json.dumps([chunk_ids[r] for r in b.reps])))
    db.conn.executemany(
        "INSERT INTO blocks (doc_id, first_chunk, last_chunk, cut, surprise, centroid,"
        " centroid_scale, reps) VALUES (?,?,?,?,?,?,?,?)", rows)
    m, z = memory.m.astype(np.float16), memory.z.astype(np.float16)
    db.execute("INSERT OR REPLACE INTO doc_memory (doc_id, dk, dv, m, z, steps) VALUES (?,?,?,?,?,?)",
               [doc_id, m.shape[0], m.shape[1], m.tobytes(), z.tobytes(), len(chunk_ids)])


def set_document_memory(store: "Store", doc_id: int, memory: DocumentMemory) -> None:
    """Write a document's memory on its own (for libraries stored before blocks existed)."""
    with store.atomic() as db:
        ids = [r[0] for r in db.execute(
            "SELECT id FROM chunks WHERE doc_id = ? ORDER BY ordinal, id", [doc_id]).fetchall()]
        write_memory(db, doc_id, ids, memory)
        store._bump(db)


def documents_without_blocks(store: "Store") -> list[int]:
    return [r[0] for r in store.db.execute(
        "SELECT d.id FROM documents d WHERE d.status = 'ready' AND d.chunks > 0"
        " AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.doc_id = d.id) ORDER BY d.id").fetchall()]


def document_keys(store: "Store", doc_id: int) -> tuple[list[int], np.ndarray, list[str | None]]:
    """(chunk ids, float32 keys [T, D], section JSON per chunk) in document order."""
    rows = store.db.execute(
        "SELECT c.id, k.vec, k.scale, c.section FROM chunks c JOIN keys k ON k.chunk_id = c.id"
        " WHERE c.doc_id = ? ORDER BY c.ordinal, c.id", [doc_id]).fetchall()
    keys = decode_keys([(vec, scale) for _, vec, scale, _ in rows], store.chunk_projection()) \
        if rows else np.zeros((0, 0), np.float32)
    return [r[0] for r in rows], keys, [r[3] for r in rows]


def iter_blocks(store: "Store", batch: int = 65536) -> Iterator[list[StoredBlock]]:
    last = 0
    while True:
        rows = store.db.execute(
            "SELECT id, doc_id, first_chunk, last_chunk, centroid, centroid_scale, reps FROM blocks"
            " WHERE id > ? ORDER BY id LIMIT ?", [last, batch]).fetchall()
        if not rows:
            return
        yield [StoredBlock(r[0], r[1], r[2], r[3],
                           np.frombuffer(r[4], np.int8).astype(np.float32) * np.float32(r[5]),
                           tuple(json.loads(r[6]))) for r in rows]
        last = rows[-1][0]


def iter_key_rows(store: "Store", batch: int = 65536) -> Iterator[tuple[np.ndarray, list[tuple[bytes, float | None]]]]:
    """(chunk ids, stored (vec, scale) rows) of `keys` in id order, a batch at a time."""
    last = 0
    while rows := store.db.execute(
            "SELECT chunk_id, vec, scale FROM keys WHERE chunk_id > ? ORDER BY chunk_id LIMIT ?",
            [last, batch]).fetchall():
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        yield ids, [(r[1], r[2]) for r in rows]
        last = int(ids[-1])


def iter_keys_int8(store: "Store", batch: int = 65536) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(chunk ids, int8 rows [n, W], scales [n]) in id order, a batch at a time, in the
    router's space: the chunk projection's codes once the library has learnt one (W =
    its width), else the keys at the encoder's width."""
    proj = store.chunk_projection()
    for ids, rows in iter_key_rows(store, batch):
        yield (ids, *index_rows(rows, proj))


def index_rows(rows: Sequence[tuple[bytes, float | None]], proj: Projection | None) -> tuple[np.ndarray, np.ndarray]:
    """Stored key rows → (int8 [n, W], scale [n]) in the router's space; rows in another
    form (full width while a projection exists, float32 from the oldest libraries) are
    converted on the fly."""
    width = proj.width if proj is not None else None
    if rows and all(s is not None and (width is None or len(v) == width) for v, s in rows):
        return (np.frombuffer(b"".join(v for v, _ in rows), np.int8).reshape(len(rows), -1).copy(),
                np.fromiter((s for _, s in rows), np.float32, len(rows)))
    keys = decode_keys(rows, proj)
    return proj.encode(keys) if proj is not None else quantize(keys)


def decode_keys(rows: Sequence[tuple[bytes, float | None]], proj: Projection | None) -> np.ndarray:
    """Float32 keys at the encoder's width [n, D] from stored (vec, scale) rows of any form:
    float32 (scale NULL, the oldest libraries), int8 at full width, or projection codes."""
    if not rows:
        return np.zeros((0, proj.dim if proj is not None else 0), np.float32)
    width = proj.width if proj is not None else -1
    forms = {"float": [], "int8": [], "code": []}
    for i, (vec, scale) in enumerate(rows):
        forms["float" if scale is None else "code" if len(vec) == width else "int8"].append(i)
    dim = proj.dim if proj is not None else (
        len(rows[0][0]) // (4 if rows[0][1] is None else 1))
    out = np.zeros((len(rows), dim), np.float32)
    for form, at in forms.items():
        if not at:
            continue
        blob = b"".join(rows[i][0] for i in at)
        if form == "float":
            out[at] = np.frombuffer(blob, np.float32).reshape(len(at), -1)
            continue
        q = np.frombuffer(blob, np.int8).reshape(len(at), -1)
        scale = np.asarray([rows[i][1] for i in at], np.float32)
        out[at] = proj.decode(q, scale) if form == "code" else dequantize(q, scale)
    return out


def upgrade_float_keys(store: "Store", batch: int = 16384) -> int:
    """Convert keys stored as float32 (before the int8 step) to int8 in place; → rows done."""
    done = 0
    while True:
        rows = store.db.execute(
            "SELECT chunk_id, vec FROM keys WHERE scale IS NULL LIMIT ?", [batch]).fetchall()
        if not rows:
            return done
        keys = np.stack([np.frombuffer(v, np.float32) for _, v in rows])
        with store.atomic() as db:
            db.conn.executemany("UPDATE keys SET vec = ?, scale = ? WHERE chunk_id = ?",
                                ((vec, s, cid) for (cid, _), (_, vec, s) in
                                 zip(rows, key_rows(0, keys))))
        done += len(rows)

