"""`delta_rule`: update and readout of the compressive memory over whole sequences.

Shapes: k [H, T, Dk], v [H, T, Dv] for H independent streams (documents) of up to T steps
(or [T, D] for one stream); optional start state m0 [H, Dk, Dv], z0 [H, Dk] (zeros when
left out) and lengths [H] (T when left out; steps past a stream's length leave it alone).
Returns (r [H, T, Dv], M [H, Dk, Dv], z [H, Dk]): r_t is the memory's readout for k_t
before v_t was written — its error against v_t is the *surprise* of step t.
"""
from __future__ import annotations

import torch

from engine.kernels.delta_rule import naive
from engine.kernels.delta_rule.naive import EPS
from engine.kernels.dispatch import use_triton

__all__ = ["delta_rule", "EPS"]


def delta_rule(k: torch.Tensor, v: torch.Tensor, m0: torch.Tensor | None = None,
               z0: torch.Tensor | None = None, lengths: torch.Tensor | None = None, *,
               backend: str = "auto") -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    single = k.dim() == 2
    if single:
        k, v = k[None], v[None]
        m0 = None if m0 is None else m0[None]
        z0 = None if z0 is None else z0[None]
    if k.dim() != 3 or v.dim() != 3 or k.shape[:2] != v.shape[:2]:
        raise ValueError(f"k {tuple(k.shape)} and v {tuple(v.shape)} must be [H, T, D] with the same H and T.")
    h, t, dk = k.shape
    dv = v.shape[2]
    m0 = torch.zeros(h, dk, dv, device=k.device) if m0 is None else m0
    z0 = torch.zeros(h, dk, device=k.device) if z0 is None else z0
    lengths = torch.full((h,), t, dtype=torch.int64, device=k.device) if lengths is None else lengths
    if m0.shape != (h, dk, dv) or z0.shape != (h, dk) or lengths.shape != (h,):
        raise ValueError(f"state must be m0 [{h}, {dk}, {dv}], z0 [{h}, {dk}], lengths [{h}].")
    if lengths.numel() and int(lengths.max()) > t:
        raise ValueError(f"a length exceeds the {t} steps given.")
    impl = naive
    if use_triton(k, backend):
        from engine.kernels.delta_rule import triton as impl
    r, m, z = impl.delta_rule(k, v, m0, z0, lengths)
    return (r[0], m[0], z[0]) if single else (r, m, z)
