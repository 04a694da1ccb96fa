"""One hop along the symbol graph: the definitions that recalled code calls.

A question about code is often answered half by the unit that matched and half by the
functions it calls; the answer is easier to trust when their bodies are in the evidence
too. Only resolved calls are followed, so a hop never guesses between two `parse`s.
"""
from __future__ import annotations

from typing import Sequence

from engine.recall.hit import Hit
from engine.store import Store

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
        rows = store.db.execute(
            "SELECT DISTINCT s.doc_id, s.line_start FROM chunks c"
            " JOIN refs r ON r.doc_id = c.doc_id AND r.line BETWEEN ? AND ?"
            " JOIN symbols s ON s.id = r.target_id"
            " WHERE c.id = ? AND r.kind = 'call' ORDER BY r.line",
            [loc.line_start, loc.line_end, hit.chunk_id]).fetchall()
        for doc_id, line in rows:
            row = store.db.execute(
                "SELECT id FROM chunks WHERE doc_id = ? AND line_start <= ? AND line_end >= ?"
                " ORDER BY ordinal LIMIT 1", [doc_id, line, line]).fetchone()
            if row is None or row[0] in have:
                continue
            have.add(row[0])
            chunk = store.chunks([row[0]])[row[0]]
            out.append(Hit(chunk.id, chunk.text, chunk.location, hit.score * CALLEE_WEIGHT))
            if len(out) >= limit:
                return out
    return out
