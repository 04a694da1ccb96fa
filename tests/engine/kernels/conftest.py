"""Kernel tests run Triton under its CPU interpreter unless a GPU is present.

TRITON_INTERPRET must be set before a kernel is first decorated, so it is set here, at
collection, before any test imports a `triton.py`.
"""
from __future__ import annotations

import os

import pytest
import torch

if not torch.cuda.is_available():
    os.environ.setdefault("TRITON_INTERPRET", "1")


def rel_err(got: torch.Tensor, want: torch.Tensor) -> float:
    """Largest error relative to the reference's largest magnitude (fla's helper, in spirit)."""
    got, want = got.float().cpu(), want.float().cpu()
    finite = torch.isfinite(want)
    assert torch.equal(finite, torch.isfinite(got)), "infinities differ"
    if not finite.any():
        return 0.0
    scale = want[finite].abs().max().clamp_min(1e-12)
    return float((got[finite] - want[finite]).abs().max() / scale)


@pytest.fixture
def device() -> str:
    """Where the Triton side runs: the GPU when lent, else the CPU interpreter."""
    pytest.importorskip("triton")
    return "cuda" if torch.cuda.is_available() else "cpu"
