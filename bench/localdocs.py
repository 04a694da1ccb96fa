"""The peer retriever: built the way GPT4All LocalDocs builds it, for comparison in one run.

Word-aligned chunks of at most 512 characters per file, an SQLite FTS5 BM25 index over
them, all-MiniLM-L6-v2 vectors (the same encoder Memex uses, so the comparison is about
the retrieval design, not the model) searched exactly, and reciprocal rank fusion of the
two rankings with k = 60. Keys are cached by the hash of the chunks, so a second run
measures search only.
"""
from __future__ import annotations

import hashlib
import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.model.encoder import Encoder
from engine.recall.fusion import rrf
from engine.recall.keyword import fts_query

__all__ = ["PeerChunk", "LocalDocsPeer"]

CHUNK_CHARS = 512
POOL = 50


@dataclass(frozen=True)
class PeerChunk:
    path: Path
    start: int      # character span in the file
    end: int
    text: str


def word_chunks(path: Path, text: str, size: int = CHUNK_CHARS) -> list[PeerChunk]:
    """Greedy runs of whole words whose span stays within `size` characters."""
    out: list[PeerChunk] = []
    start = end = None
    for m in re.finditer(r"\S+", text):
        if start is None:
            start, end = m.start(), m.end()
        elif m.end() - start <= size:
            end = m.end()
        else:
            out.append(PeerChunk(path, start, end, text[start:end]))
            start, end = m.start(), m.end()
    if start is not None:
        out.append(PeerChunk(path, start, end, text[start:end]))
    return out


class LocalDocsPeer:
    def __init__(self, files: list[Path], encoder: Encoder, cache: Path):
        self.chunks: list[PeerChunk] = []
        for path in files:
            self.chunks += word_chunks(path, path.read_text(encoding="utf-8"))
        self.encoder = encoder
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE fts USING fts5(text)")
        self.db.executemany("INSERT INTO fts(rowid, text) VALUES (?, ?)",
                            ((i, c.text) for i, c in enumerate(self.chunks)))
        digest = hashlib.sha256("\0".join(c.text for c in self.chunks).encode()).hexdigest()[:16]
        keys_file = cache / f"localdocs-keys-{digest}.npy"
        start = time.perf_counter()
        if keys_file.exists():
            self.keys = np.load(keys_file)
        else:
            self.keys = encoder.encode([c.text for c in self.chunks])
            np.save(keys_file, self.keys.astype(np.float32))
        self.encode_s = time.perf_counter() - start

    @property
    def key_bytes(self) -> int:
        return int(self.keys.shape[0] * self.keys.shape[1] * 4)

    def search(self, question: str, k: int) -> list[PeerChunk]:
        match = fts_query(question)
        keyword = [r[0] for r in self.db.execute(
            "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT ?",
            [match, POOL])] if match else []
        sims = self.keys @ self.encoder.encode_query(question)
        top = np.argpartition(-sims, POOL)[:POOL]
        dense = top[np.argsort(-sims[top])].tolist()
        fused = rrf([dense, keyword], k=60)
        best = sorted(fused, key=lambda i: -fused[i])[:k]
        return [self.chunks[i] for i in best]
