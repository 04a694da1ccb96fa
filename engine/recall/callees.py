"""One hop along the symbol graph: the definitions that recalled code calls.

A question about code is often answered half by the unit that matched and half by the
functions it calls; the answer is easier to trust when their bodies are in the evidence
too. Only resolved calls are followed, so a hop never guesses between two `parse`s.
"""
from __future__ import annotations

from typing import Sequence

from engine.recall.hit import Hit
from engine.store import Store
from engine.store.symbols import called_chunks

__all__ = ["callee_hits"]

CALLEE_WEIGHT = 0.5   # an added definition ranks below the evidence that called it


def callee_hits(store: Store, hits: Sequence[Hit], *, limit: int = 4) -> list[Hit]:
    """Chunks holding the definitions the code in `hits` calls, best caller first,
    skipping chunks already in `hits`; at most `limit`."""
    have = {h.chunk_id for h in hits}
    out: list[Hit] = []
    for hit in hits:
        loc = hit.location
        if loc.line_start is None or loc.page is not None:
            continue
        for chunk_id in called_chunks(store, hit.chunk_id, loc.line_start, loc.line_end):
            if chunk_id in have:
                continue
            have.add(chunk_id)
            chunk = store.chunks([chunk_id])[chunk_id]
            out.append(Hit(chunk.id, chunk.text, chunk.location, hit.score * CALLEE_WEIGHT))
            if len(out) >= limit:
                return out
    return out
