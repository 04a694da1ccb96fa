"""Synthetic long-term memories for bench/memory.py: clustered keys at 100 k – 10 M chunks.

Why synthetic: no real library of 10 M chunks fits this machine's time budget to encode.
The structure mimics one: documents of sections, each section on a topic shared with other
sections elsewhere, chunk keys scattered around their topic. Keys are generated a batch
of documents at a time, read by the real surprise reader, cut into blocks by the real
block cutter, and written as int8 to a memory-mapped file, so 10 M chunks never sit in
RAM as float32 (the float32 copy for exact search is kept only when asked for).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from engine.memory import BlockPolicy, SurpriseReader, cut_blocks, representatives
from engine.recall.router import BlockIndex
from engine.store.keys import quantize

__all__ = ["Synthetic", "build_synthetic", "make_queries"]

DOC_CHUNKS = 256          # chunks per synthetic document
NOISE = 1.0               # norm of a chunk's offset from its topic (cos to topic ≈ 0.7)


@dataclass
class Synthetic:
    index: BlockIndex
    floats: np.ndarray | None          # [N, D] float32 keys, for exact float32 search
    timings: dict[str, float] = field(default_factory=dict)
    reader_chunks: int = 0             # chunks read by the surprise reader


def _documents(rng: np.random.Generator, topics: np.ndarray, n_docs: int, dim: int):
    """(keys [n_docs*DOC_CHUNKS, D], section id per chunk) for a batch of documents."""
    sections = np.zeros(n_docs * DOC_CHUNKS, np.int64)
    centre = np.zeros((n_docs * DOC_CHUNKS, dim), np.float32)
    at, sid = 0, 0
    while at < len(sections):
        size = int(rng.integers(4, 25))
        stop = min(at + size, len(sections))
        if stop // DOC_CHUNKS != at // DOC_CHUNKS:            # sections end with their document
            stop = (at // DOC_CHUNKS + 1) * DOC_CHUNKS
        centre[at:stop] = topics[rng.integers(0, len(topics))]
        sections[at:stop] = sid
        at, sid = stop, sid + 1
    keys = centre + rng.standard_normal(centre.shape, dtype=np.float32) * (NOISE / dim ** 0.5)
    keys /= np.linalg.norm(keys, axis=1, keepdims=True)
    return keys, sections


def build_synthetic(n: int, folder: Path, *, dim: int = 384, seed: int = 0, keep_floats: bool,
                    read_surprise: bool, policy: BlockPolicy = BlockPolicy(),
                    log=print) -> Synthetic:
    rng = np.random.default_rng(seed)
    n = (n + DOC_CHUNKS - 1) // DOC_CHUNKS * DOC_CHUNKS
    topics = rng.standard_normal((max(64, n // 200), dim)).astype(np.float32)
    topics /= np.linalg.norm(topics, axis=1, keepdims=True)
    keys8 = np.lib.format.open_memmap(folder / f"keys-{n}.npy", "w+", np.int8, (n, dim))
    scales = np.zeros(n, np.float32)
    floats = np.zeros((n, dim), np.float32) if keep_floats else None
    starts, stops, cents, reps = [], [], [], []
    timings = {"generate_s": 0.0, "surprise_s": 0.0, "blocks_s": 0.0}
    reader, docs_per_batch = SurpriseReader(), 256
    for first in range(0, n, DOC_CHUNKS * docs_per_batch):
        t0 = time.perf_counter()
        count = min(docs_per_batch, (n - first) // DOC_CHUNKS)
        keys, sections = _documents(rng, topics, count, dim)
        q, s = quantize(keys)
        keys8[first:first + len(q)], scales[first:first + len(q)] = q, s
        if floats is not None:
            floats[first:first + len(q)] = keys
        t1 = time.perf_counter()
        docs = [keys[d * DOC_CHUNKS:(d + 1) * DOC_CHUNKS] for d in range(count)]
        if read_surprise:
            surprise = [r.surprise for r in reader.read_many(docs)]
        else:                                   # structure and size bounds only (said in output)
            surprise = [np.zeros(DOC_CHUNKS, np.float32)] * count
        t2 = time.perf_counter()
        for d, doc in enumerate(docs):
            base = first + d * DOC_CHUNKS
            sec = sections[d * DOC_CHUNKS:(d + 1) * DOC_CHUNKS].tolist()
            for a, b, _ in cut_blocks(sec, surprise[d], policy):
                centroid, r = representatives(doc[a:b + 1], policy.reps)
                starts.append(base + a), stops.append(base + b + 1), cents.append(centroid)
                reps.append(base + a + np.asarray(r, np.int64))
        t3 = time.perf_counter()
        timings["generate_s"] += t1 - t0
        timings["surprise_s"] += t2 - t1
        timings["blocks_s"] += t3 - t2
        if (first // (DOC_CHUNKS * docs_per_batch)) % 8 == 0:
            log(f"  .. {first + len(q):,}/{n:,} chunks generated, {len(starts):,} blocks")
    keys8.flush()
    t0 = time.perf_counter()
    index = BlockIndex.build(np.arange(n, dtype=np.int64), keys8, scales, np.asarray(starts),
                             np.asarray(stops), np.stack(cents), reps)
    timings["index_s"] = time.perf_counter() - t0
    return Synthetic(index, floats, timings, n if read_surprise else 0)


def make_queries(index: BlockIndex, count: int, seed: int) -> np.ndarray:
    """Queries near random chunks (a paraphrase lands near, not on, its passage)."""
    rng = np.random.default_rng(seed + 1)
    rows = np.sort(rng.choice(len(index.ids), count, replace=False))
    base = np.asarray(index.keys[rows], np.float32) * index.scales[rows, None]
    dim = base.shape[1]
    q = base + rng.standard_normal(base.shape).astype(np.float32) * (0.6 / dim ** 0.5)
    return q / np.linalg.norm(q, axis=1, keepdims=True)
