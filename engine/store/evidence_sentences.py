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

from engine.store import keys
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
    found = keys.decode_sentence_keys([(r[3], r[4]) for r in rows], proj)
    for (chunk_id, a, b, vec, code, hub), key in zip(rows, found):
        if code is not None and proj is None:
            continue                       # a code without its projection cannot be read
        out.setdefault(int(chunk_id), []).append(
            StoredSentence(int(chunk_id), int(a), int(b), np.asarray(key, np.float32), float(hub)))
    return out
