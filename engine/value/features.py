"""Per-block features for the value scorer, as of a moment in time.

Every feature lies in [0, 1], so the prior weights read as "how much this matters".
Counts are *decayed* (each event weighs exp(-age / COUNT_TAU)), and recency is
exp(-days since the last event / RECENCY_TAU): this is where forgetting happens —
an unused block's features fade with the clock and its value follows.
"""
from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np

from engine.store.usage import ValueBlock
from engine.value.clock import DAY

__all__ = ["FEATURES", "COUNTED", "block_features", "COUNT_TAU", "RECENCY_TAU", "AGE_TAU"]

COUNT_TAU = 30.0     # days: an event a month old counts e^-1 of a fresh one
RECENCY_TAU = 14.0   # days
AGE_TAU = 30.0       # days
_COUNT_CAP = math.log1p(10.0)   # ten fresh uses saturate a count feature
_SIZE_CAP = math.log1p(32.0)

COUNTED = ("recalled", "cited", "citation_opened", "answer_copied")
FEATURES: tuple[str, ...] = (
    "surprise",                      # the block's first-chunk surprise / 2 (new topic = high)
    *(f"{k}_{part}" for k in COUNTED for part in ("count", "recency")),
    "document_opened_recency",
    "age",                           # 1 - exp(-days since ingest / AGE_TAU)
    "size",                          # log1p(chunks) / log1p(32)
    "pinned",
    "code",                          # modality: code
    "media",                         # modality: subtitles / video
)
_INDEX = {name: i for i, name in enumerate(FEATURES)}


def block_features(blocks: Sequence[ValueBlock], events: Mapping[int, list[tuple[str, float]]],
                   doc_events: Mapping[int, list[tuple[str, float]]], now: float) -> np.ndarray:
    """[B, F] float32 features of `blocks` at time `now`; events after `now` are ignored
    (so the same function builds training examples for an earlier moment)."""
    x = np.zeros((len(blocks), len(FEATURES)), np.float32)
    for i, b in enumerate(blocks):
        row = x[i]
        row[_INDEX["surprise"]] = min(1.0, max(0.0, b.surprise / 2.0))
        for kind in COUNTED:
            times = [at for k, at in events.get(b.id, ()) if k == kind and at <= now]
            if times:
                ages = [(now - at) / DAY for at in times]
                decayed = sum(math.exp(-a / COUNT_TAU) for a in ages)
                row[_INDEX[f"{kind}_count"]] = min(1.0, math.log1p(decayed) / _COUNT_CAP)
                row[_INDEX[f"{kind}_recency"]] = math.exp(-min(ages) / RECENCY_TAU)
        opened = [at for k, at in doc_events.get(b.doc_id, ()) if k == "document_opened" and at <= now]
        if opened:
            row[_INDEX["document_opened_recency"]] = math.exp(-(now - max(opened)) / DAY / RECENCY_TAU)
        row[_INDEX["age"]] = 1.0 - math.exp(-max(0.0, now - b.added_at) / DAY / AGE_TAU)
        row[_INDEX["size"]] = min(1.0, math.log1p(b.last_chunk - b.first_chunk + 1) / _SIZE_CAP)
        row[_INDEX["pinned"]] = 1.0 if _pinned_at(b, events, now) else 0.0
        row[_INDEX["code"]] = 1.0 if b.modality == "code" else 0.0
        row[_INDEX["media"]] = 1.0 if b.modality in ("subtitles", "video") else 0.0
    return x


def _pinned_at(b: ValueBlock, events: Mapping[int, list[tuple[str, float]]], now: float) -> bool:
    """Pinned at `now`: the last pin/unpin event up to then, else the block's current pin."""
    flips = [(at, k) for k, at in events.get(b.id, ()) if k in ("pinned", "unpinned")]
    if not flips:
        return b.pinned
    before = [k for at, k in sorted(flips) if at <= now]
    return bool(before) and before[-1] == "pinned"
