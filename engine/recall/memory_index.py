"""The router's index for one library, read from the store and rebuilt when it changes.

Keys are read a batch at a time in int8 (never as float32 for the whole library); blocks
come from the `blocks` table, and chunks not yet in a block (a library stored before
blocks existed, until `fill_missing_blocks` runs) are their own one-chunk blocks.
Blocks in the hot tier (engine.store.tiers) also keep float16 keys; their chunks' scores
are recomputed from those, so what a person keeps returning to is scored sharpest. Cold
blocks' keys are not in `keys` at all, so they never reach this index; `similarity` still
scores a cold chunk that keyword search put among the candidates from its parked keys.
Once the library has learnt its chunk-key projection, the index holds codes with their
centred unit lengths as scales (centroids projected alike), so its scores are centred
cosines (engine/store/projection.py) and a question is projected once per search.
"""
from __future__ import annotations

import numpy as np

from engine.memory.build import fill_missing_blocks
from engine.recall.hubness import HUB_WEIGHT
from engine.recall.router import PROBE, BlockIndex
from engine.store import Store
from engine.store.keys import Projection
from engine.store.projection import centred
from engine.store.tiers import hot_key_rows, parked_keys

__all__ = ["MemoryIndex"]


class MemoryIndex:
    """Same search/similarity interface as the flat `DenseIndex`, routed through blocks."""

    def __init__(self, store: Store, *, probe: int = PROBE):
        self._store = store
        self._generation = -1
        self.probe = probe
        self.index: BlockIndex | None = None
        self.hot_ids = np.zeros(0, np.int64)            # chunk ids of hot blocks, ascending
        self.hot_keys = np.zeros((0, 0), np.float32)    # [H, D] from their float16 keys
        self.proj: Projection | None = None             # the space of the index's keys

    def _refresh(self) -> BlockIndex:
        gen = self._store.generation()
        if self.index is not None and gen == self._generation:
            return self.index
        if fill_missing_blocks(self._store):           # older library: derive blocks once
            gen = self._store.generation()
        self.proj = self._store.chunk_projection()
        self.index = load_index(self._store)
        self.hot_ids, hot = hot_key_rows(self._store)
        self.hot_keys = centred(self.proj, hot) if len(hot) else hot
        self._generation = gen
        return self.index

    def _routed(self, query_key: np.ndarray) -> tuple[BlockIndex, np.ndarray]:
        """The index and the question in its space."""
        index = self._refresh()
        if self.proj is None:
            return index, np.asarray(query_key, np.float32)
        return index, self.proj.centred_query(query_key)

    def search(self, query_key: np.ndarray, k: int) -> list[tuple[int, float]]:
        index, q = self._routed(query_key)
        found = index.search(q, k, probe=self.probe)
        if not len(self.hot_ids):
            return found
        sharp = self._sharpen(query_key, dict(found))
        return sorted(sharp.items(), key=lambda kv: -kv[1])

    def similarity(self, query_key: np.ndarray, chunk_ids: list[int]) -> dict[int, float]:
        index, q = self._routed(query_key)
        scores = self._sharpen(query_key, index.similarity(q, chunk_ids))
        missing = [c for c in chunk_ids if c not in scores]
        if missing:                                   # cold chunks keyword search found
            scores.update(cold_scores(self._store, query_key, missing))
        return scores

    def _sharpen(self, query_key: np.ndarray, scores: dict[int, float]) -> dict[int, float]:
        """Replace the int8 scores of hot chunks with their float16 keys' scores."""
        if not len(self.hot_ids) or not scores:
            return scores
        want = np.asarray(list(scores), np.int64)
        pos = np.clip(np.searchsorted(self.hot_ids, want), 0, len(self.hot_ids) - 1)
        hit = self.hot_ids[pos] == want
        if hit.any():
            sharp = self.hot_keys[pos[hit]] @ centred(self.proj, query_key)
            index = self.index
            if index is not None and index.hubs is not None:     # same hub correction
                rows = np.clip(np.searchsorted(index.ids, want[hit]), 0, len(index.ids) - 1)
                sharp = sharp - HUB_WEIGHT * index.hubs[rows]
            scores = dict(scores)
            scores.update(zip(want[hit].tolist(), sharp.tolist()))
        return scores


def load_index(store: Store) -> BlockIndex:
    """The router over the library's int8 keys: the chunk projection's codes once it has
    one (`Store.iter_router_keys`), so block centroids are projected alike."""
    proj = store.chunk_projection()
    n = store.key_count()
    ids = np.zeros(n, np.int64)
    keys: np.ndarray | None = None
    scales = np.zeros(n, np.float32)
    at = 0
    for batch_ids, q, s in store.iter_router_keys():
        if keys is None:
            keys = np.zeros((n, q.shape[1]), np.int8)
        if proj is not None:          # codes scale to their centred unit vectors
            s = Projection.inv_norms(q)
        ids[at:at + len(q)], keys[at:at + len(q)], scales[at:at + len(q)] = batch_ids, q, s
        at += len(q)
    if keys is None:
        keys = np.zeros((0, 1), np.int8)
    starts, stops, centroids, reps = [], [], [], []
    covered = np.zeros(n, bool)
    for batch in store.blocks():
        for b in batch:
            lo, hi = np.searchsorted(ids, b.first_chunk), np.searchsorted(ids, b.last_chunk, "right")
            if hi <= lo:
                continue
            centroid = b.centroid if proj is None else proj.centred_query(b.centroid)
            starts.append(lo), stops.append(hi), centroids.append(centroid.astype(np.float32))
            reps.append(np.searchsorted(ids, np.asarray(b.reps, np.int64)))
            covered[lo:hi] = True
    for row in np.flatnonzero(~covered):                 # keys without a block yet
        starts.append(row), stops.append(row + 1)
        centroids.append(keys[row].astype(np.float32) * scales[row]), reps.append(np.zeros(0, np.int64))
    order = np.argsort(np.asarray(starts, np.int64), kind="stable")
    cent = np.stack(centroids)[order] if centroids else np.zeros((0, keys.shape[1]), np.float32)
    index = BlockIndex.build(ids, keys, scales, np.asarray(starts, np.int64)[order],
                             np.asarray(stops, np.int64)[order], cent, [reps[i] for i in order])
    hub_ids, hubs = store.key_hubs()
    if len(hub_ids) and hubs.any():
        index.hubs = hubs[np.clip(np.searchsorted(hub_ids, ids), 0, len(hub_ids) - 1)]
    return index


def cold_scores(store: Store, query: np.ndarray, chunk_ids: list[int]) -> dict[int, float]:
    """Cosine of the query against the parked keys of given cold chunks (the best of the
    chunk key and its sentence keys, less their hubs), so a cold chunk that keyword search
    found is ranked beside dense evidence as the dense index would have scored it."""
    if not chunk_ids:
        return {}
    parked = parked_keys(store, chunk_ids)
    out: dict[int, float] = {}
    if len(parked.chunk_ids):          # centred once the chunk projection is learnt
        proj = store.chunk_projection()
        scores = centred(proj, parked.chunk_keys) @ centred(proj, query)
        for cid, score, hub in zip(parked.chunk_ids, scores, parked.chunk_hubs):
            out[int(cid)] = float(score) - HUB_WEIGHT * float(hub)
    proj = store.projection()
    q_full = centred(proj, query)                       # the question once, in each form
    q_code = proj.centred_query(query) if proj is not None else None
    for cid, codes, key, hub in zip(parked.sentence_owners, parked.sentence_codes,
                                    parked.sentence_keys, parked.sentence_hubs):
        if codes is not None and q_code is not None:
            score = float(codes @ q_code * Projection.inv_norms(codes[None])[0])
        elif key is not None:
            score = float((centred(proj, key[None]) @ q_full)[0])
        else:
            continue
        score -= HUB_WEIGHT * float(hub)
        out[int(cid)] = max(score, out.get(int(cid), score))
    return out
