"""Citations in a streamed answer: markers `[n]` mapped back to evidence.

The model may invent tags; a marker that points at no evidence is dropped from the text
as it streams (a partial `[1` is held back until it closes), so the reader never sees a
citation that opens nothing.
"""
from __future__ import annotations

import re

__all__ = ["CitationFilter", "cited_numbers"]

_MARK = re.compile(r"\[(\d{1,3})\]")


class CitationFilter:
    def __init__(self, n_evidence: int):
        self.n = n_evidence
        self._held = ""

    def feed(self, piece: str) -> str:
        text = self._held + piece
        cut = text.rfind("[")
        tail = text[cut + 1:] if cut != -1 else "x"
        if len(tail) <= 3 and (tail == "" or tail.isdigit()):  # maybe an unfinished "[12"
            self._held, text = text[cut:], text[:cut]
        else:
            self._held = ""
        return self._clean(text)

    def flush(self) -> str:
        text, self._held = self._held, ""
        return self._clean(text)

    def _clean(self, text: str) -> str:
        return _MARK.sub(lambda m: m.group(0) if 1 <= int(m.group(1)) <= self.n else "", text)


def cited_numbers(text: str) -> list[int]:
    """Distinct tag numbers in order of first appearance."""
    seen: list[int] = []
    for m in _MARK.finditer(text):
        n = int(m.group(1))
        if n not in seen:
            seen.append(n)
    return seen
