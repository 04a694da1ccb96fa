"""Exact dense recall: cosine similarity of the question's key against every chunk key.

The key matrix is loaded once per library generation and kept in memory; the memory
engine replaces this flat scan with block routing over int8 keys at scale.
"""
from __future__ import annotations

import numpy as np

from engine.store import Store

__all__ = ["DenseIndex"]


class DenseIndex:
    def __init__(self, store: Store):
        self._store = store
        self._generation = -1
        self.ids = np.zeros(0, dtype=np.int64)
        self.keys = np.zeros((0, 0), dtype=np.float32)

    def _refresh(self) -> None:
        gen = self._store.generation()
        if gen == self._generation:
            return
        ids, mats = [], []
        for batch_ids, batch in self._store.iter_keys():
            ids.append(batch_ids)
            mats.append(batch)
        self.ids = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
        self.keys = np.concatenate(mats) if mats else np.zeros((0, 0), dtype=np.float32)
        self._generation = gen

    def search(self, query_key: np.ndarray, k: int) -> list[tuple[int, float]]:
        self._refresh()
        if len(self.ids) == 0:
            return []
        scores = self.keys @ query_key.astype(np.float32)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(int(self.ids[i]), float(scores[i])) for i in top]

    def similarity(self, query_key: np.ndarray, chunk_ids: list[int]) -> dict[int, float]:
        """Cosine of the question against given chunks (for fusing keyword-only hits)."""
        self._refresh()
        if not chunk_ids or len(self.ids) == 0:
            return {}
        want = np.asarray(chunk_ids, dtype=np.int64)
        pos = np.clip(np.searchsorted(self.ids, want), 0, len(self.ids) - 1)  # ids are sorted
        rows = pos[self.ids[pos] == want]
        scores = self.keys[rows] @ query_key.astype(np.float32)
        return {int(self.ids[r]): float(s) for r, s in zip(rows, scores)}
