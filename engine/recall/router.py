"""The two-stage router: block scores pick candidate blocks, exact chunk scores inside
them pick evidence (InfLLM / NSA style sparse recall over the long-term memory).

Stage 1a scans one centroid per block — the centroid table, kept dequantised in RAM, a
small fraction of the chunk count — and shortlists `SHORTLIST × probe` blocks. Stage 1b scores each
shortlisted block by its best representative key (centroid or representative chunk, the
chunks read in int8 through the fused `memory_topk` kernel's block max) and keeps `probe`. Stage 2 reads only
those blocks' int8 chunk rows, which may live in a memory-mapped file, so 10 M chunks
never load their text or all their keys to answer a query.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from engine.kernels.memory_topk import block_scores
from engine.recall.hubness import HUB_WEIGHT

__all__ = ["BlockIndex", "PROBE", "SHORTLIST", "EXACT_BELOW"]

PROBE = 64      # candidate blocks whose chunks are scored exactly
EXACT_BELOW = 16384  # smaller libraries scan every int8 key: cheaper than routing, and exact
SHORTLIST = 4   # centroid shortlist = SHORTLIST × probe blocks, rescored by representatives


@dataclass
class BlockIndex:
    ids: np.ndarray            # [N] int64 chunk ids, ascending
    keys: np.ndarray           # [N, D] int8 (in RAM or np.memmap)
    scales: np.ndarray         # [N] float32
    starts: np.ndarray         # [B] int64 first row of each block
    stops: np.ndarray          # [B] int64 row after the last
    centroids: torch.Tensor    # [B, D] float32 (float16 when huge): the centroid table
    rep_rows: np.ndarray       # [R] int64 chunk rows of representatives, grouped by block
    rep_offsets: np.ndarray    # [B+1] int64 block b owns rep_rows[rep_offsets[b]:[b+1]]
    hubs: np.ndarray | None = None   # [N] float32 subtracted from chunk scores (hubness.py)

    @classmethod
    def build(cls, ids: np.ndarray, keys: np.ndarray, scales: np.ndarray, starts: np.ndarray,
              stops: np.ndarray, centroids: np.ndarray, rep_rows: list[np.ndarray], *,
              centroid_limit: int = 2 << 30) -> "BlockIndex":
        """Blocks as row ranges, each with a centroid [D] and its representative chunk rows.

        The centroid table is float32 (the fastest on CPUs) unless that passes
        `centroid_limit` bytes, then float16 (half the RAM; native speed on GPUs)."""
        assert len(starts) == len(stops) == len(centroids) == len(rep_rows), "one entry per block"
        offsets = np.zeros(len(rep_rows) + 1, np.int64)
        np.cumsum([len(r) for r in rep_rows], out=offsets[1:])
        cent = np.asarray(centroids, np.float32).reshape(len(starts), keys.shape[1])
        dtype = torch.float32 if cent.nbytes <= centroid_limit else torch.float16
        flat = np.concatenate(rep_rows).astype(np.int64) if rep_rows else np.zeros(0, np.int64)
        return cls(ids, keys, scales, np.asarray(starts, np.int64), np.asarray(stops, np.int64),
                   torch.from_numpy(cent).to(dtype), flat, offsets)

    @property
    def blocks(self) -> int:
        return len(self.starts)

    @property
    def hot_bytes(self) -> int:
        return self.centroids.numel() * self.centroids.element_size()

    def candidate_blocks(self, query: np.ndarray, probe: int = PROBE) -> np.ndarray:
        """Stage 1: the `probe` best blocks by max over centroid and representatives."""
        if self.blocks == 0 or probe <= 0:
            return np.zeros(0, np.int64)
        q = torch.from_numpy(np.asarray(query, np.float32))
        cent_scores = self.centroids @ q.to(self.centroids.dtype)                 # [B]
        short = torch.topk(cent_scores.float(), min(self.blocks, SHORTLIST * probe)).indices.numpy()
        # rescore the shortlist by its representative chunks, read in int8 (fused kernel)
        lo, hi = self.rep_offsets[short], self.rep_offsets[short + 1]
        rows = np.concatenate([self.rep_rows[a:b] for a, b in zip(lo, hi)])
        offsets = torch.zeros(len(short) + 1, dtype=torch.int64)
        torch.cumsum(torch.from_numpy(hi - lo), 0, out=offsets[1:])
        rep_scores = block_scores(q, torch.from_numpy(np.asarray(self.keys[rows])),
                                  torch.from_numpy(self.scales[rows]), offsets)        # [S]
        scores = torch.maximum(cent_scores[short].float(), rep_scores)
        best = torch.topk(scores, min(probe, len(short))).indices.numpy()
        return np.sort(short[best])

    def candidate_rows(self, query: np.ndarray, probe: int = PROBE) -> np.ndarray:
        if len(self.ids) <= EXACT_BELOW or self.blocks <= probe:
            return np.arange(len(self.ids))      # small library: a flat scan is the cheaper path
        blocks = self.candidate_blocks(query, probe)
        spans = [np.arange(self.starts[b], self.stops[b]) for b in blocks]
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
        out = (sub @ np.asarray(query, np.float32)) * self.scales[rows]
        return out - HUB_WEIGHT * self.hubs[rows] if self.hubs is not None else out
