"""Split subtitle text into blocks separated by blank lines, keeping line numbers."""
from __future__ import annotations

from typing import Iterator

__all__ = ["blocks"]


def blocks(text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (1-based line number of the block's first line, its lines)."""
    current: list[str] = []
    start = 1
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            yield start, current
            current = []
    if current:
        yield start, current
