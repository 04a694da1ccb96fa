"""Exact dense recall: the question's key against every chunk key and sentence key.

A chunk scores the best of its own key and its sentences' keys, because a question
usually matches one sentence and a whole-chunk key dilutes it among its neighbours
(bench/needle.py prints recall with chunk keys alone beside sentence keys). Sentence
keys are float16 until the library learns its projection, then 128 int8 codes scored
without decoding (engine/store/projection.py). Once a kind of key has its projection, its
scores are centred cosines (about that projection's mean), and every key's hub
(engine/recall/hubness.py, measured in the same space) is subtracted. The matrices are
loaded once per library generation; chunk keys go through the block router at scale, and a
large library's sentence codes through their cells (engine/store/sentence_cells.py): only
the cells nearest the question are scanned.
"""
from __future__ import annotations

import numpy as np

from engine.recall.hubness import HUB_WEIGHT
from engine.store import Store
from engine.store.keys import Projection
from engine.store.projection import centred
from engine.store.sentence_cells import load_cells

__all__ = ["DenseIndex", "probe_cells"]

# Codes scored per matrix product: one product over millions of int8 rows first converts
# them all to float, gigabytes of it in a large library; a tile at a time keeps that
# conversion small (bench/memory.py --parts sentences times the scan).
_TILE = 65536


def probe_cells(cells: int) -> int:
    """Cells scanned per question: a quarter of them, never fewer than 32 (why so many:
    engine/store/sentence_cells.py)."""
    return min(cells, max(32, -(-cells // 4)))


class DenseIndex:
    """Flat exact scores. With `chunk_keys=False` only sentence keys are scanned: the block
    router scores chunk keys at scale, and sentence keys are added beside it."""

    def __init__(self, store: Store, *, chunk_keys: bool = True, cells: bool = False):
        self._store = store
        self._chunk_keys = chunk_keys
        self._use_cells = cells                          # scan only the nearest cells
        self.cell_centroids: np.ndarray | None = None    # [C, d] once the library has cells
        self.cell_bounds = np.zeros(0, dtype=np.int64)   # where each cell's rows start (`_probed`)
        self._generation = -1
        self.ids = np.zeros(0, dtype=np.int64)          # chunk ids, ascending
        self.keys = np.zeros((0, 0), dtype=np.float32)  # [chunks, dim]
        self.sent_rows = np.zeros(0, dtype=np.int64)    # row in `ids` owning each sentence
        self.sent_keys = np.zeros((0, 0), dtype=np.float32)
        self.sent_hubs = np.zeros(0, dtype=np.float32)
        self.code_rows = np.zeros(0, dtype=np.int64)     # same, for projected int8 keys (cell-major
                                                         # once the library has cells)
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
        coded, self.codes, _, self.code_hubs, cells = _stack(self._store.iter_sentence_codes(), 5)
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
        cent = load_cells(self._store) if self._use_cells and self.proj is not None else None
        if cent is not None and len(cells):
            self.group_cells(cells, cent)
        else:
            self.cell_centroids = None
        self._generation = gen

    def group_cells(self, cells: np.ndarray, centroids: np.ndarray) -> None:
        """Lay the code rows out cell by cell (`cells[i]` of row i; -1: none yet, always
        scanned), so a probed cell is one contiguous slice: no gather per question."""
        order = np.argsort(cells, kind="stable")
        self.codes, self.code_inv = self.codes[order], self.code_inv[order]
        self.code_hubs, self.code_rows = self.code_hubs[order], self.code_rows[order]
        self.cell_bounds = np.searchsorted(cells[order], np.arange(-1, len(centroids) + 1))
        self.cell_centroids = centroids

    def _probed(self, q: np.ndarray) -> list[tuple[int, int]]:
        """Row spans to scan: the unassigned rows and the cells nearest the question, with
        neighbouring cells merged (everything when the library has no cells)."""
        if self.cell_centroids is None:
            return [(0, len(self.codes))]
        near = self.cell_centroids @ q
        probe = probe_cells(len(near))
        best = np.sort(np.argpartition(-near, probe - 1)[:probe]) if probe < len(near) \
            else np.arange(len(near))
        b = self.cell_bounds              # unassigned rows are b[0]:b[1]; cell c is b[c+1]:b[c+2]
        spans = [(0, int(b[1]))]
        for c in best:
            lo, hi = int(b[c + 1]), int(b[c + 2])
            if lo == spans[-1][1]:
                spans[-1] = (spans[-1][0], hi)
            elif hi > lo:
                spans.append((lo, hi))
        return spans

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
            q = self.proj.centred_query(query_key)
            for start, stop in self._probed(q):
                for lo in range(start, stop, _TILE):    # int8 → float a tile at a time
                    hi = min(stop, lo + _TILE)
                    sims = (self.codes[lo:hi] @ q) * self.code_inv[lo:hi] - HUB_WEIGHT * self.code_hubs[lo:hi]
                    np.maximum.at(out, self.code_rows[lo:hi], sims)
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
