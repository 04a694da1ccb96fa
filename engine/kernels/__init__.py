"""Kernels of the memory engine, each a Triton kernel beside the plain torch spec.

`naive.py` in each op folder is the reference and the CPU path; `triton.py` runs on CUDA;
the op's `__init__` documents shapes, checks inputs once and dispatches.
"""
from engine.kernels.delta_rule import delta_rule
from engine.kernels.memory_topk import block_scores, memory_topk
from engine.kernels.dispatch import triton_available

__all__ = ["delta_rule", "memory_topk", "block_scores", "triton_available"]
