"""Reference for `delta_rule`: the Infini-attention compressive memory, step by step in fp32.

For each stream, with σ = ELU + 1 and the state (M, z) before step t:
    r_t = σ(k_t) M / (σ(k_t)·z + eps)          readout: the memory's prediction of v_t
    M  += σ(k_t)ᵀ (v_t − r_t)                    delta rule: write only what was not predicted
    z  += σ(k_t)
The readout comes before the write, so r_t is predicted from what came before t only.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

__all__ = ["delta_rule", "EPS"]

EPS = 1e-6


def delta_rule(k: torch.Tensor, v: torch.Tensor, m0: torch.Tensor, z0: torch.Tensor,
               lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """k [H, T, Dk], v [H, T, Dv], m0 [H, Dk, Dv], z0 [H, Dk], lengths [H] → (r, M, z)."""
    sk = F.elu(k.float()) + 1.0
    v = v.float()
    m, z = m0.float().clone(), z0.float().clone()
    r = torch.zeros_like(v)
    for t in range(k.shape[1]):
        live = (lengths > t).float()[:, None]                          # [H, 1]
        s = sk[:, t] * live                                            # [H, Dk]; 0 past the end
        num = torch.bmm(s[:, None, :], m)[:, 0]                        # [H, Dv]
        den = (s * z).sum(-1, keepdim=True) + EPS                      # [H, 1]
        r[:, t] = num / den
        m.baddbmm_(s[:, :, None], ((v[:, t] - r[:, t]) * live)[:, None, :])   # M += σ(k)ᵀ(v − r)
        z += s
    return r, m, z
