"""Which implementation runs: Triton on CUDA tensors (or when forced), torch elsewhere."""
from __future__ import annotations

import functools
import os

import torch

__all__ = ["triton_available", "use_triton"]


@functools.cache
def triton_available() -> bool:
    try:
        import triton  # noqa: F401
        import triton.language  # noqa: F401
    except Exception:  # a broken install must not stop the CPU path
        return False
    return True


def use_triton(t: torch.Tensor, backend: str) -> bool:
    """`backend` is "auto", "torch" or "triton"; "auto" picks Triton only for CUDA tensors."""
    if backend not in ("auto", "torch", "triton"):
        raise ValueError(f"backend must be 'auto', 'torch' or 'triton', not {backend!r}.")
    if backend == "torch":
        return False
    if backend == "triton":
        if not triton_available():
            raise RuntimeError("The Triton backend was asked for but triton cannot be imported.")
        if not t.is_cuda and os.environ.get("TRITON_INTERPRET") != "1":
            raise RuntimeError("Triton needs CUDA tensors, or TRITON_INTERPRET=1 for the CPU interpreter.")
        return True
    return t.is_cuda and triton_available()
