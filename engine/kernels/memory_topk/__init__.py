"""`memory_topk`: the best-matching blocks of a huge int8 key set for some queries.

Shapes: query [Q, D] (or [D]) float; keys [N, D] int8 (or float for a hot tier); scales
[N] float, so a row's value is `keys[i] * scales[i]`; offsets [B+1] int64, block b owning
rows offsets[b]:offsets[b+1] (a block may be empty). Returns (scores [Q, k'], blocks
[Q, k']) best first, with k' = min(k, non-empty blocks); a [D] query gives [k'] results.
"""
from __future__ import annotations

import torch

from engine.kernels.dispatch import use_triton
from engine.kernels.memory_topk import naive

__all__ = ["memory_topk", "block_scores"]


def _check(query, keys, scales, offsets) -> torch.Tensor:
    q = query[None] if query.dim() == 1 else query
    if q.dim() != 2 or keys.dim() != 2 or q.shape[1] != keys.shape[1]:
        raise ValueError(f"query {tuple(query.shape)} and keys {tuple(keys.shape)} must share the last dimension.")
    if scales.shape != (keys.shape[0],):
        raise ValueError(f"scales must be [{keys.shape[0]}], got {tuple(scales.shape)}.")
    if offsets.dim() != 1 or offsets.numel() < 1:
        raise ValueError("offsets must be a 1-d tensor of block starts plus the end.")
    if offsets.numel() > 1 and int(offsets[-1]) != keys.shape[0]:
        raise ValueError(f"offsets end at {int(offsets[-1])} but there are {keys.shape[0]} key rows.")
    return q


def block_scores(query: torch.Tensor, keys: torch.Tensor, scales: torch.Tensor,
                 offsets: torch.Tensor, *, backend: str = "auto") -> torch.Tensor:
    """Every block's score (max over its rows), -inf for empty blocks: [Q, B]."""
    q = _check(query, keys, scales, offsets)
    if use_triton(keys, backend):
        from engine.kernels.memory_topk import triton as impl
    else:
        impl = naive
    out = impl.block_scores(q, keys, scales, offsets)
    return out[0] if query.dim() == 1 else out


def memory_topk(query: torch.Tensor, keys: torch.Tensor, scales: torch.Tensor,
                offsets: torch.Tensor, k: int, *, backend: str = "auto") -> tuple[torch.Tensor, torch.Tensor]:
    q = _check(query, keys, scales, offsets)
    if use_triton(keys, backend):
        from engine.kernels.memory_topk import triton as impl
    else:
        impl = naive
    values, index = impl.memory_topk(q, keys, scales, offsets, max(0, int(k)))
    return (values[0], index[0]) if query.dim() == 1 else (values, index)
