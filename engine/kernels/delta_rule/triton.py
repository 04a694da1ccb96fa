"""Triton `delta_rule`: one program per (stream, tile of value columns) keeps its slice of M
in registers for the whole sequence, so M is read and written to memory once per stream.

Column tiles are independent: r_t[:, j] and the update of M[:, j] need only column j of v
and the shared scalar σ(k_t)·z, which every program recomputes from z (tiny)."""
from __future__ import annotations

import torch
import triton
import triton.language as tl

from engine.kernels.delta_rule.naive import EPS

__all__ = ["delta_rule"]


@triton.jit
def _recurrent(k_ptr, v_ptr, m_ptr, z_ptr, zout_ptr, r_ptr, len_ptr, T, dk, dv, eps,
               BLOCK_K: tl.constexpr, BLOCK_V: tl.constexpr):
    h = tl.program_id(0)
    j = tl.program_id(1)
    rk = tl.arange(0, BLOCK_K)
    rv = j * BLOCK_V + tl.arange(0, BLOCK_V)
    kmask, vmask = rk < dk, rv < dv
    mptrs = m_ptr + h * dk * dv + rk[:, None] * dv + rv[None, :]
    m = tl.load(mptrs, mask=kmask[:, None] & vmask[None, :], other=0.0)     # [BK, BV]
    z = tl.load(z_ptr + h * dk + rk, mask=kmask, other=0.0)                  # [BK]
    n = tl.load(len_ptr + h)
    for t in range(0, n):
        kt = tl.load(k_ptr + (h * T + t) * dk + rk, mask=kmask, other=0.0)
        s = tl.where(kt > 0, kt + 1.0, tl.exp(kt))                           # ELU + 1
        s = tl.where(kmask, s, 0.0)
        vt = tl.load(v_ptr + (h * T + t) * dv + rv, mask=vmask, other=0.0)
        r = tl.sum(s[:, None] * m, axis=0) / (tl.sum(s * z, axis=0) + eps)   # [BV]
        tl.store(r_ptr + (h * T + t) * dv + rv, r, mask=vmask)
        m += s[:, None] * (vt - r)[None, :]
        z += s
    tl.store(mptrs, m, mask=kmask[:, None] & vmask[None, :])
    if j == 0:
        tl.store(zout_ptr + h * dk + rk, z, mask=kmask)  # z0 stays for the other tiles


def delta_rule(k: torch.Tensor, v: torch.Tensor, m0: torch.Tensor, z0: torch.Tensor,
               lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    h, t, dk = k.shape
    dv = v.shape[2]
    k, v = k.float().contiguous(), v.float().contiguous()
    m, z0 = m0.float().clone().contiguous(), z0.float().contiguous()
    z = z0.clone()
    r = torch.zeros_like(v)
    block_v = min(64, triton.next_power_of_2(dv))
    grid = (h, triton.cdiv(dv, block_v))
    _recurrent[grid](k, v, m, z0, z, r, lengths.to(torch.int32).contiguous(), t, dk, dv, EPS,
                     BLOCK_K=triton.next_power_of_2(dk), BLOCK_V=block_v)
    return r, m, z
