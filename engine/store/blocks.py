"""Rows of the library's block memory: per-chunk surprise, blocks, and each document's final
compressive state (built by engine/memory).

Blocks are written with their document, in the same transaction, and die with it
(ON DELETE CASCADE): a changed document rebuilds only its own blocks. Functions here take
a connection, not a `Store`, so `Store` can call them inside its own transactions; the
rest of the engine reaches them through `Store` methods.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterator

import numpy as np
import sqlite_utils

from engine.store import keys

__all__ = ["BlockRow", "DocumentMemory", "StoredBlock", "write_memory", "iter_blocks",
           "documents_without_blocks", "document_chunk_ids"]


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


def write_memory(db: sqlite_utils.Database, doc_id: int, chunk_ids: list[int],
                 memory: DocumentMemory) -> None:
    """Replace a document's surprise, blocks and state; call inside a transaction."""
    assert len(memory.surprise) == len(chunk_ids), "one surprise per chunk"
    db.execute("DELETE FROM blocks WHERE doc_id = ?", [doc_id])
    db.conn.executemany("UPDATE chunks SET surprise = ? WHERE id = ?",
                        ((float(s), cid) for s, cid in zip(memory.surprise, chunk_ids)))
    rows = []
    for b in memory.blocks:
        vec, scale = keys.encode_centroid(b.centroid)
        rows.append((doc_id, chunk_ids[b.first], chunk_ids[b.last], b.cut, float(b.surprise),
                     vec, scale, json.dumps([chunk_ids[r] for r in b.reps])))
    db.conn.executemany(
        "INSERT INTO blocks (doc_id, first_chunk, last_chunk, cut, surprise, centroid,"
        " centroid_scale, reps) VALUES (?,?,?,?,?,?,?,?)", rows)
    m, z = memory.m.astype(np.float16), memory.z.astype(np.float16)
    db.execute("INSERT OR REPLACE INTO doc_memory (doc_id, dk, dv, m, z, steps) VALUES (?,?,?,?,?,?)",
               [doc_id, m.shape[0], m.shape[1], m.tobytes(), z.tobytes(), len(chunk_ids)])


def document_chunk_ids(db: sqlite_utils.Database, doc_id: int) -> list[int]:
    return [r[0] for r in db.execute(
        "SELECT id FROM chunks WHERE doc_id = ? ORDER BY ordinal, id", [doc_id]).fetchall()]


def documents_without_blocks(db: sqlite_utils.Database) -> list[int]:
    return [r[0] for r in db.execute(
        "SELECT d.id FROM documents d WHERE d.status = 'ready' AND d.phase = 'understood'"
        " AND d.chunks > 0"
        " AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.doc_id = d.id) ORDER BY d.id").fetchall()]


def iter_blocks(db: sqlite_utils.Database, batch: int = 65536) -> Iterator[list[StoredBlock]]:
    last = 0
    while rows := db.execute(
            "SELECT id, doc_id, first_chunk, last_chunk, centroid, centroid_scale, reps FROM blocks"
            " WHERE id > ? ORDER BY id LIMIT ?", [last, batch]).fetchall():
        centroids = keys.decode_centroids([(r[4], r[5]) for r in rows])
        yield [StoredBlock(r[0], r[1], r[2], r[3], c, tuple(json.loads(r[6])))
               for r, c in zip(rows, centroids)]
        last = rows[-1][0]
