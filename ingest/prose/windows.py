"""Cut a huge paragraph into windows of bounded size before it is split for the budget.

Why: `split.py` lists a paragraph's sentences, then a sentence's words, to pack them;
for a paragraph of ordinary size that costs nothing, but a file that is one line of many
megabytes (a dump, a book with no line breaks) became one paragraph whose word list alone
took many times the text's size in memory, and packing it slowed down faster than the text
grew (tests/ingest/test_long_line.py bounds the peak). Windows of at most `WINDOW`
characters keep every list that small and the cost linear in the text; each window is cut
at the gentlest boundary near its end, as `split.py` would cut (a sentence end, then a
line break or space, and only a run with no space at all at the limit itself).
"""
from __future__ import annotations

import re
from typing import Iterator

__all__ = ["WINDOW", "windows"]

WINDOW = 64 * 1024          # characters; a long prose paragraph is ~2,000
_LOOK_BACK = WINDOW // 4    # how far before the limit a gentler cut is looked for
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")
_SPACE = re.compile(r"\s+")


def windows(text: str, size: int = WINDOW) -> Iterator[tuple[int, int]]:
    """(start, end) spans covering `text` in order, each at most `size` characters."""
    start, n = 0, len(text)
    while n - start > size:
        end = _cut(text, start + size - min(_LOOK_BACK, size // 4), start + size)
        yield start, end
        start = end
    if start < n:
        yield start, n


def _cut(text: str, lo: int, hi: int) -> int:
    """Where to end a window that may end anywhere in (lo, hi]: just after the last
    sentence end in that range, else after its last whitespace, else at `hi`."""
    for pattern in (_SENTENCE_END, _SPACE):
        last = None
        for last in pattern.finditer(text, lo, hi):
            pass
        if last is not None and last.end() > lo:
            return last.end()
    return hi
