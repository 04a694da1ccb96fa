"""Answers that open with a cited quote, then the model's streamed synthesis.

Names load on first use (PEP 562): `memex search --keyword` needs only `describe`, and
importing the answerer with it would load torch through recall."""
from __future__ import annotations

import importlib

__all__ = ["Answer", "answer", "describe"]

_WHERE = {"Answer": "engine.answer.answer", "answer": "engine.answer.answer",
          "describe": "engine.answer.prompt"}


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'engine.answer' has no attribute {name!r}")
