"""Triton `memory_topk`: one program per (query, block) fuses int8 dequantise, dot and
the block max, so the key rows are read once and never materialised in float."""
from __future__ import annotations

import torch
import triton
import triton.language as tl

from engine.kernels.memory_topk.naive import top_blocks

__all__ = ["block_scores", "memory_topk"]


@triton.jit
def _block_max(q_ptr, k_ptr, s_ptr, off_ptr, out_ptr, n_blocks, dim,
               stride_q, stride_k, BLOCK_N: tl.constexpr, BLOCK_D: tl.constexpr):
    b = tl.program_id(0)
    qi = tl.program_id(1)
    cols = tl.arange(0, BLOCK_D)
    cmask = cols < dim
    q = tl.load(q_ptr + qi * stride_q + cols, mask=cmask, other=0.0).to(tl.float32)  # [BD]
    start = tl.load(off_ptr + b)
    stop = tl.load(off_ptr + b + 1)
    best = tl.full((BLOCK_N,), float("-inf"), tl.float32)
    for row0 in range(start, stop, BLOCK_N):
        rows = row0 + tl.arange(0, BLOCK_N)
        rmask = rows < stop
        tile = tl.load(k_ptr + rows[:, None] * stride_k + cols[None, :],
                       mask=rmask[:, None] & cmask[None, :], other=0).to(tl.float32)  # [BN, BD]
        scale = tl.load(s_ptr + rows, mask=rmask, other=0.0).to(tl.float32)
        dots = tl.sum(tile * q[None, :], axis=1) * scale                              # [BN]
        best = tl.maximum(best, tl.where(rmask, dots, float("-inf")))
    tl.store(out_ptr + qi * n_blocks + b, tl.max(best, axis=0))


def block_scores(query: torch.Tensor, keys: torch.Tensor, scales: torch.Tensor,
                 offsets: torch.Tensor) -> torch.Tensor:
    n_blocks = offsets.numel() - 1
    out = torch.empty((query.shape[0], n_blocks), dtype=torch.float32, device=query.device)
    if n_blocks == 0:
        return out
    query, keys = query.contiguous(), keys.contiguous()
    block_d = triton.next_power_of_2(keys.shape[1])
    _block_max[(n_blocks, query.shape[0])](
        query, keys, scales.contiguous(), offsets.contiguous(), out, n_blocks, keys.shape[1],
        query.stride(0), keys.stride(0), BLOCK_N=16, BLOCK_D=block_d)
    return out


def memory_topk(query: torch.Tensor, keys: torch.Tensor, scales: torch.Tensor,
                offsets: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    return top_blocks(block_scores(query, keys, scales, offsets), offsets, k)
