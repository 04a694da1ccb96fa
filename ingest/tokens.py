"""A cheap token estimate for chunk budgets.

`ingest` loads no model, so it sizes chunks with a word-piece estimate that errs high for
English prose (every word and punctuation mark counts, long words count extra), which
keeps chunks inside the encoder's 256-token window.
"""
from __future__ import annotations

import re

__all__ = ["estimate_tokens"]

_PIECE = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def estimate_tokens(text: str) -> int:
    n = 0
    for m in _PIECE.finditer(text):
        n += 1 + (m.end() - m.start()) // 8
    return n
