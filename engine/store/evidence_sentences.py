"""The stored sentence keys of given chunks, with where each sentence lies in its chunk.

Why: the quote an answer opens with must be chosen by the same scores that ranked its
passage. Recall scored each stored sentence key (centred, less its hub); reading those
keys back for the few recalled chunks lets the answer score their sentences exactly so,
instead of re-encoding them into a space where hubs and centring are lost.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from engine.store import projection
from engine.store.store import Store

__all__ = ["StoredSentence", "stored_sentences"]


@dataclass(frozen=True)
class StoredSentence:
    chunk_id: int
    char_start: int           # within the chunk's text
    char_end: int
    key: np.ndarray           # float32 at the encoder's width (coded keys decoded)
    hub: float                # 0 where not measured


def stored_sentences(store: Store, chunk_ids: Sequence[int]) -> dict[int, list[StoredSentence]]:
    """Each given chunk's sentence keys in text order; chunks without any (one sentence
    long, or parked cold) are absent."""
    ids = sorted({int(c) for c in chunk_ids})
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = store.db.execute(
        f"SELECT chunk_id, char_start, char_end, vec, code, coalesce(hub, 0) FROM sentence_keys"
        f" WHERE chunk_id IN ({marks}) ORDER BY chunk_id, char_start", ids).fetchall()
    proj = store.projection()
    out: dict[int, list[StoredSentence]] = {}
    coded = [r for r in rows if r[4] is not None]
    decoded = iter(proj.decode(*projection.unpack([r[4] for r in coded]))) \
        if coded and proj is not None else iter(())
    for chunk_id, a, b, vec, code, hub in rows:
        if code is not None:
            if proj is None:
                continue                   # a code without its projection cannot be read
            key = next(decoded)
        else:
            key = np.frombuffer(vec, np.float16).astype(np.float32)
        out.setdefault(int(chunk_id), []).append(
            StoredSentence(int(chunk_id), int(a), int(b), np.asarray(key, np.float32), float(hub)))
    return out
