"""Exact dense recall: the question's key against every chunk key and sentence key.

A chunk scores the best of its own key and its sentences' keys, because a question
usually matches one sentence and a whole-chunk key dilutes it among its neighbours
(on the planted-fact benchmark: page recall@5 0.27 with chunk keys alone, 0.61 with
sentence keys). Sentence keys are float16 until the library learns its projection, then
128 int8 codes scored without decoding (engine/store/projection.py). Once a kind of key
has its projection, its scores are centred cosines (about that projection's mean), and
every key's hub (engine/recall/hubness.py, measured in the same space) is subtracted. The
matrices are loaded once per library generation; chunk keys go through the block router
at scale.
"""
from __future__ import annotations

import numpy as np

from engine.recall.hubness import HUB_WEIGHT
from engine.store import Store
from engine.store.projection import Projection, centred

__all__ = ["DenseIndex"]


class DenseIndex:
    """Flat exact scores. With `chunk_keys=False` only sentence keys are scanned: the block
    router scores chunk keys at scale, and sentence keys are added beside it."""

    def __init__(self, store: Store, *, chunk_keys: bool = True):
        self._store = store
        self._chunk_keys = chunk_keys
        self._generation = -1
        self.ids = np.zeros(0, dtype=np.int64)          # chunk ids, ascending
        self.keys = np.zeros((0, 0), dtype=np.float32)  # [chunks, dim]
        self.sent_rows = np.zeros(0, dtype=np.int64)    # row in `ids` owning each sentence
        self.sent_keys = np.zeros((0, 0), dtype=np.float32)
        self.sent_hubs = np.zeros(0, dtype=np.float32)
        self.code_rows = np.zeros(0, dtype=np.int64)     # same, for projected int8 keys
        self.codes = np.zeros((0, 0), dtype=np.int8)
        self.code_hubs = np.zeros(0, dtype=np.float32)
        self.code_inv = np.zeros(0, dtype=np.float32)    # 1/|codes|: their centred unit length
        self.hubs = np.zeros(0, dtype=np.float32)        # chunk keys' hubs, aligned with ids
        self.proj: Projection | None = None              # sentence keys' projection
        self.chunk_proj: Projection | None = None        # chunk keys' projection

    def _refresh(self) -> None:
        gen = self._store.generation()
        if gen == self._generation:
            return
        owners, sent_keys, self.sent_hubs = _stack(self._store.iter_sentence_keys(), 3)
        coded, self.codes, _, self.code_hubs = _stack(self._store.iter_sentence_codes(), 4)
        self.proj, self.chunk_proj = self._store.projection(), self._store.chunk_projection()
        self.sent_keys = centred(self.proj, sent_keys) if len(sent_keys) else sent_keys
        self.code_inv = Projection.inv_norms(self.codes)
        if self._chunk_keys:
            self.ids, keys = _stack(self._store.iter_keys(), 2)
            self.keys = centred(self.chunk_proj, keys) if len(keys) else keys
            hub_ids, hubs = self._store.key_hubs()
            self.hubs = hubs[np.searchsorted(hub_ids, self.ids)] if len(hub_ids) else \
                np.zeros(len(self.ids), np.float32)
        else:
            self.ids = np.unique(np.concatenate([owners, coded]))
            self.keys = np.zeros((len(self.ids), 0), dtype=np.float32)
            self.hubs = np.zeros(len(self.ids), np.float32)
        self.sent_rows = np.searchsorted(self.ids, owners)
        self.code_rows = np.searchsorted(self.ids, coded)
        self._generation = gen

    def scores(self, query_key: np.ndarray) -> np.ndarray:
        """Per-chunk score, aligned with `self.ids`."""
        self._refresh()
        if self._chunk_keys and len(self.ids):
            out = self.keys @ centred(self.chunk_proj, query_key) - HUB_WEIGHT * self.hubs
        else:
            out = np.full(len(self.ids), -1.0, dtype=np.float32)
        if len(self.sent_rows):
            sims = self.sent_keys @ centred(self.proj, query_key)
            np.maximum.at(out, self.sent_rows, sims - HUB_WEIGHT * self.sent_hubs)
        if len(self.code_rows) and self.proj is not None:
            sims = (self.codes @ self.proj.centred_query(query_key)) * self.code_inv
            np.maximum.at(out, self.code_rows, sims - HUB_WEIGHT * self.code_hubs)
        return out

    def search(self, query_key: np.ndarray, k: int) -> list[tuple[int, float]]:
        return self.top(self.scores(query_key), k)

    def top(self, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k best (chunk id, score) of a `scores()` array."""
        if len(scores) == 0:
            return []
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(int(self.ids[i]), float(scores[i])) for i in top]

    def pick(self, scores: np.ndarray, chunk_ids: list[int]) -> dict[int, float]:
        """Scores of given chunks from a `scores()` array (for fusing keyword-only hits)."""
        if not chunk_ids or len(scores) == 0:
            return {}
        want = np.asarray(chunk_ids, dtype=np.int64)
        pos = np.clip(np.searchsorted(self.ids, want), 0, len(self.ids) - 1)
        rows = pos[self.ids[pos] == want]
        return {int(self.ids[r]): float(scores[r]) for r in rows}


def _stack(batches, width: int) -> tuple[np.ndarray, ...]:
    """Concatenate batches of `width` arrays (ids first) column by column."""
    parts = list(zip(*batches))
    if not parts:
        return (np.zeros(0, dtype=np.int64),) + tuple(
            np.zeros((0, 0), dtype=np.float32) for _ in range(width - 1))
    return tuple(np.concatenate(col) for col in parts)
