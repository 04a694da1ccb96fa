"""Recall: keyword and dense search over a library, fused into located evidence.

Names are loaded on first use (PEP 562), so importing one light submodule (`trace`,
`hit`) does not import torch through the searchers.
"""
from __future__ import annotations

import importlib

__all__ = ["Hit", "Searcher", "Mode", "BlockIndex", "MemoryIndex"]

_WHERE = {"Hit": "engine.recall.hit", "Searcher": "engine.recall.search",
          "Mode": "engine.recall.search", "BlockIndex": "engine.recall.router",
          "MemoryIndex": "engine.recall.memory_index"}


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'engine.recall' has no attribute {name!r}")
