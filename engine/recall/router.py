"""The two-stage router: block scores pick candidate blocks, exact chunk scores inside
them pick evidence (InfLLM / NSA style sparse recall over the long-term memory).

Stage 1 scores every block by its best representative key (centroid + a few chunk keys),
kept in float16 — the hot tier, a small fraction of the chunks — through `memory_topk`.
Stage 2 reads only the candidate blocks' int8 chunk rows, which may live in a memory-mapped
file, so 10 M chunks never load their text or all their keys to answer a query.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from engine.kernels.memory_topk import memory_topk

__all__ = ["BlockIndex", "PROBE"]

PROBE = 64  # candidate blocks read exactly per query


@dataclass
class BlockIndex:
    ids: np.ndarray            # [N] int64 chunk ids, ascending
    keys: np.ndarray           # [N, D] int8 (in RAM or np.memmap)
    scales: np.ndarray         # [N] float32
    starts: np.ndarray         # [B] int64 first row of each block
    stops: np.ndarray          # [B] int64 row after the last
    rep_keys: torch.Tensor     # [R, D] float16 representative keys, grouped by block
    rep_offsets: torch.Tensor  # [B+1] int64 block b owns rep rows rep_offsets[b]:[b+1]

    @classmethod
    def build(cls, ids: np.ndarray, keys: np.ndarray, scales: np.ndarray, starts: np.ndarray,
              stops: np.ndarray, centroids: np.ndarray, rep_rows: list[np.ndarray]) -> "BlockIndex":
        """Blocks as row ranges with a centroid [B, D] and rows of representative chunks each."""
        assert len(starts) == len(stops) == len(centroids) == len(rep_rows), "one entry per block"
        counts = np.asarray([1 + len(r) for r in rep_rows], np.int64)
        offsets = np.zeros(len(counts) + 1, np.int64)
        np.cumsum(counts, out=offsets[1:])
        reps = np.empty((int(offsets[-1]), keys.shape[1]), np.float16)
        reps[offsets[:-1]] = centroids
        flat = np.concatenate(rep_rows) if rep_rows else np.zeros(0, np.int64)
        where = np.concatenate([offsets[b] + 1 + np.arange(len(r)) for b, r in enumerate(rep_rows)]) \
            if rep_rows else np.zeros(0, np.int64)
        for s in range(0, len(flat), 65536):       # gather from a memmap a slice at a time
            rows = flat[s:s + 65536]
            reps[where[s:s + 65536]] = keys[rows].astype(np.float32) * scales[rows, None]
        return cls(ids, keys, scales, np.asarray(starts, np.int64), np.asarray(stops, np.int64),
                   torch.from_numpy(reps), torch.from_numpy(offsets))

    @property
    def blocks(self) -> int:
        return len(self.starts)

    def candidate_rows(self, query: np.ndarray, probe: int = PROBE) -> np.ndarray:
        """Stage 1: rows of the `probe` best blocks, in ascending order."""
        if self.blocks == 0:
            return np.zeros(0, np.int64)
        q = torch.from_numpy(np.asarray(query, np.float32))
        ones = torch.ones(self.rep_keys.shape[0])
        _, top = memory_topk(q, self.rep_keys, ones, self.rep_offsets, probe)
        top = np.sort(top.numpy())
        spans = [np.arange(self.starts[b], self.stops[b]) for b in top]
        return np.concatenate(spans) if spans else np.zeros(0, np.int64)

    def search(self, query: np.ndarray, k: int, *, probe: int = PROBE) -> list[tuple[int, float]]:
        """Stage 2: exact scores of the candidate blocks' chunks → best k (chunk id, score)."""
        rows = self.candidate_rows(query, probe)
        if len(rows) == 0 or k <= 0:
            return []
        scores = self._scores(rows, query)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self.ids[rows[i]]), float(scores[i])) for i in top]

    def similarity(self, query: np.ndarray, chunk_ids: list[int]) -> dict[int, float]:
        """Cosine of the question against given chunks (for fusing keyword-only hits)."""
        if not chunk_ids or len(self.ids) == 0:
            return {}
        want = np.asarray(sorted(chunk_ids), np.int64)
        pos = np.clip(np.searchsorted(self.ids, want), 0, len(self.ids) - 1)
        rows = pos[self.ids[pos] == want]
        return {int(self.ids[r]): float(s) for r, s in zip(rows, self._scores(rows, query))}

    def _scores(self, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
        sub = np.asarray(self.keys[rows], np.float32)                 # [n, D] dequantise
        return (sub @ np.asarray(query, np.float32)) * self.scales[rows]
