"""Memory blocks: runs of consecutive chunks cut at structural boundaries and surprise peaks.

EM-LLM cuts episodes where surprise peaks; InfLLM scores a block by a few representative
keys. Here a block never crosses a section (chapter, section, file, scene), is cut at a
surprise peak once it has `min_size` chunks, and at `max_size` chunks whatever happens.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["BlockPolicy", "cut_blocks", "representatives"]


@dataclass(frozen=True)
class BlockPolicy:
    min_size: int = 4            # a surprise peak cuts only after this many chunks
    max_size: int = 16           # a block is cut here whatever the surprise
    peak_z: float = 1.0          # a peak must exceed mean + peak_z · std of the document
    reps: int = 3                # representative chunk keys per block (plus the centroid)

    def __post_init__(self) -> None:
        if not 1 <= self.min_size <= self.max_size:
            raise ValueError(f"Block sizes need 1 ≤ min_size ≤ max_size, got {self.min_size}, {self.max_size}.")


def cut_blocks(sections: list, surprise: np.ndarray,
               policy: BlockPolicy = BlockPolicy()) -> list[tuple[int, int, str]]:
    """→ [(first, last inclusive, why)] covering positions 0..T-1 in order."""
    n = len(surprise)
    assert len(sections) == n, "one section per chunk"
    if n == 0:
        return []
    rest = surprise[1:] if n > 1 else surprise
    threshold = float(rest.mean() + policy.peak_z * rest.std())
    out: list[tuple[int, int, str]] = []
    start, why = 0, "start"
    for t in range(1, n):
        size = t - start
        cut = None
        if sections[t] != sections[t - 1]:
            cut = "section"
        elif size >= policy.max_size:
            cut = "size"
        elif size >= policy.min_size and _peak(surprise, t) and surprise[t] > threshold:
            cut = "surprise"
        if cut:
            out.append((start, t - 1, why))
            start, why = t, cut
    out.append((start, n - 1, why))
    return out


def _peak(s: np.ndarray, t: int) -> bool:
    return s[t] >= s[t - 1] and (t + 1 >= len(s) or s[t] >= s[t + 1])


def representatives(keys: np.ndarray, count: int) -> tuple[np.ndarray, tuple[int, ...]]:
    """A block's centroid and up to `count` chunks that cover it (greedy k-centre).

    The router scores a block by its best representative, so they should spread over the
    block: start from the chunk nearest the centroid, then add the least-covered chunk."""
    centroid = keys.mean(0)
    centroid = centroid / max(float(np.linalg.norm(centroid)), 1e-12)
    chosen = [int(np.argmax(keys @ centroid))]
    cover = keys @ keys[chosen[0]]
    while len(chosen) < min(count, len(keys)):
        nxt = int(np.argmin(cover))
        if nxt in chosen:
            break
        chosen.append(nxt)
        cover = np.maximum(cover, keys @ keys[nxt])
    return centroid.astype(np.float32), tuple(sorted(chosen))
