"""Reference for `memory_topk`: plain fp32 torch, the spec and the CPU path.

keys are rows grouped into blocks by `offsets`; a block's score is the best dot product of
the query with any of its rows after dequantising (`keys[i] * scales[i]`).
"""
from __future__ import annotations

import torch

__all__ = ["block_scores", "memory_topk"]

_TILE = 32768  # rows dequantised at a time, so a huge key set never doubles in memory


def block_scores(query: torch.Tensor, keys: torch.Tensor, scales: torch.Tensor,
                 offsets: torch.Tensor) -> torch.Tensor:
    """query [Q, D] float; keys [N, D] int8 or float; scales [N]; offsets [B+1] → [Q, B]."""
    sizes = (offsets[1:] - offsets[:-1]).to(torch.int64)
    dtype = keys.dtype if keys.is_floating_point() else torch.float32
    q = query.to(dtype)
    scores = torch.empty((keys.shape[0], query.shape[0]), dtype=torch.float32)   # [N, Q]
    for start in range(0, keys.shape[0], _TILE):
        stop = min(start + _TILE, keys.shape[0])
        tile = keys[start:stop].to(dtype)                                         # [T, D]
        scores[start:stop] = (tile @ q.T).float() * scales[start:stop, None].float()
    if sizes.numel() == 0:
        return torch.empty((query.shape[0], 0))
    best = torch.segment_reduce(scores, "max", lengths=sizes, axis=0, unsafe=True)  # [B, Q]
    return best.masked_fill(sizes[:, None] == 0, float("-inf")).T


def memory_topk(query: torch.Tensor, keys: torch.Tensor, scales: torch.Tensor,
                offsets: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """→ (scores [Q, k'], block indices [Q, k']); empty blocks are never returned."""
    return top_blocks(block_scores(query, keys, scales, offsets), offsets, k)


def top_blocks(scores: torch.Tensor, offsets: torch.Tensor,
               k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The k best blocks per query of `scores` [Q, B]; k shrinks to the non-empty blocks."""
    k = min(k, int((offsets[1:] > offsets[:-1]).sum()))
    top = torch.topk(scores, k, dim=1)
    return top.values, top.indices
