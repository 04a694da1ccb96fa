"""Consolidation between sessions: learn from recent use, rescore every block, move tiers.

    1. learn   the scorer takes a few steps on "features a window ago → used since?"
               (skipped when nobody used the library in the window: absence is no evidence)
    2. score   every block's value as of now (decayed counts and recency: the forgetting)
    3. tiers   one step at a time, by value:
                 cold → warm   value ≥ WARM_AT (a use also promotes at once, see events.py)
                 warm → hot    value ≥ HOT_AT
                 hot  → warm   value < KEEP_HOT
                 warm → cold   value < COLD_BELOW
               demotions wait until a block has been SETTLE_DAYS in its tier and NEW_DAYS
               in the library, and a block used within COLD_AFTER_DAYS never goes cold
               (the scorer ranks; these floors keep a rhythm of use from thrashing keys in
               and out of the index); pinned blocks never demote. Blocks going hot get
               float16 keys freshly encoded from their text when an encoder is given.
    4. record  values, tiers, the scorer's state and a report of what changed.

Nothing here deletes text, locations or keyword rows: a cold block is only out of the dense
index. Run by `memex consolidate` and by the app in the background at start-up and idle.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.jobs import CancelToken, Report, no_report
from engine.store.model_state import log_consolidation
from engine.store.tiers import (TierMove, TierSize, chunk_texts, dense_index_size,
                                move_tiers, set_values, tier_sizes)
from engine.store.usage import ValueBlock, block_events, document_events, value_blocks
from engine.value.clock import DAY, Clock, SystemClock
from engine.value.events import USE_KINDS
from engine.value.features import block_features
from engine.value.scorer import Scorer, TrainResult

__all__ = ["consolidate", "Consolidation", "TierChange", "next_tier",
           "HOT_AT", "KEEP_HOT", "WARM_AT", "COLD_BELOW", "SETTLE_DAYS", "NEW_DAYS", "WINDOW_DAYS",
           "COLD_AFTER_DAYS"]

HOT_AT = 0.6
KEEP_HOT = 0.45
WARM_AT = 0.35
COLD_BELOW = 0.2
SETTLE_DAYS = 7.0    # a block stays at least this long in a tier before it demotes
NEW_DAYS = 14.0      # a newly read block is not demoted before this age
COLD_AFTER_DAYS = 21.0  # a block used more recently than this never goes cold
WINDOW_DAYS = 14.0   # learning: "used within the two weeks after?"
_USES = frozenset(k.value for k in USE_KINDS)


@dataclass(frozen=True)
class TierChange:
    block_id: int
    doc_id: int
    old: str
    new: str
    value: float

    def to_json(self) -> dict:
        return {"block": self.block_id, "doc_id": self.doc_id, "from": self.old, "to": self.new,
                "value": round(self.value, 4)}


@dataclass
class Consolidation:
    at: float
    blocks: int
    changes: list[TierChange] = field(default_factory=list)
    training: TrainResult | None = None
    tiers: list[TierSize] = field(default_factory=list)
    dense_before: tuple[int, int] = (0, 0)   # (rows, bytes) of the dense index
    dense_after: tuple[int, int] = (0, 0)

    @property
    def promoted(self) -> list[TierChange]:
        order = {"cold": 0, "warm": 1, "hot": 2}
        return [c for c in self.changes if order[c.new] > order[c.old]]

    @property
    def demoted(self) -> list[TierChange]:
        order = {"cold": 0, "warm": 1, "hot": 2}
        return [c for c in self.changes if order[c.new] < order[c.old]]

    def to_json(self) -> dict:
        return {"at": self.at, "blocks": self.blocks,
                "promoted": [c.to_json() for c in self.promoted],
                "demoted": [c.to_json() for c in self.demoted],
                "training": self.training.to_json() if self.training else None,
                "tiers": {t.tier: {"blocks": t.blocks, "chunks": t.chunks, "key_bytes": t.key_bytes}
                          for t in self.tiers},
                "dense_index": {"before": {"rows": self.dense_before[0], "bytes": self.dense_before[1]},
                                "after": {"rows": self.dense_after[0], "bytes": self.dense_after[1]}}}


def next_tier(block: ValueBlock, value: float, now: float, last_used: float | None = None) -> str:
    """The block's tier after this consolidation (at most one step from its current one);
    `last_used` is the time of the block's latest use event, if any."""
    settled = (now - (block.tier_since or 0.0) >= SETTLE_DAYS * DAY
               and now - block.added_at >= NEW_DAYS * DAY and not block.pinned)
    if block.tier == "cold":
        return "warm" if value >= WARM_AT else "cold"
    if block.tier == "warm":
        if value >= HOT_AT:
            return "hot"
        lapsed = last_used is None or now - last_used >= COLD_AFTER_DAYS * DAY
        return "cold" if value < COLD_BELOW and settled and lapsed else "warm"
    return "warm" if value < KEEP_HOT and settled else "hot"


def consolidate(store, *, clock: Clock | None = None, encoder=None, scorer: Scorer | None = None,
                learn: bool = True, cancel: CancelToken | None = None,
                report: Report = no_report) -> Consolidation:
    """Learn, rescore and move tiers (see the module doc); → what changed."""
    clock = clock or SystemClock()
    now = clock.now()
    scorer = scorer or Scorer.load(store)
    blocks = value_blocks(store, now)
    events = block_events(store, now)
    docs = document_events(store, now)
    result = Consolidation(now, len(blocks), dense_before=dense_index_size(store))
    report(0, 3, "learning from use")
    if learn:
        result.training = _learn(scorer, blocks, events, docs, now)
    if cancel:
        cancel.check()
    report(1, 3, "scoring blocks")
    values = scorer.score(block_features(blocks, events, docs, now))
    moves, changes = [], []
    last_used = {b: max((at for k, at in evs if k in _USES), default=None)
                 for b, evs in events.items()}
    for b, v in zip(blocks, values):
        new = next_tier(b, float(v), now, last_used.get(b.id))
        if new != b.tier:
            moves.append(TierMove(b.id, b.first_chunk, b.last_chunk, b.tier, new))
            changes.append(TierChange(b.id, b.doc_id, b.tier, new, float(v)))
    if cancel:
        cancel.check()
    report(2, 3, f"moving {len(moves)} blocks between tiers")
    hot = _fresh_keys(store, encoder, [m for m in moves if m.new == "hot"])
    set_values(store, [(b.id, float(v)) for b, v in zip(blocks, values)], now)
    move_tiers(store, moves, now, hot)
    scorer.save(store, now)
    result.changes = changes
    result.tiers = tier_sizes(store)
    result.dense_after = dense_index_size(store)
    log_consolidation(store, now, result.to_json())
    report(3, 3, "consolidated")
    return result


def _learn(scorer: Scorer, blocks: list[ValueBlock], events, docs, now: float) -> TrainResult | None:
    start = now - WINDOW_DAYS * DAY
    seen = [b for b in blocks if b.added_at <= start]
    used = np.asarray([any(k in _USES and start < at <= now for k, at in events.get(b.id, ()))
                       for b in seen], np.float32)
    if not seen or used.sum() == 0:
        return None
    return scorer.learn(block_features(seen, events, docs, start), used)


def _fresh_keys(store, encoder, moves: list[TierMove]) -> dict[int, np.ndarray]:
    """chunk id → float key re-encoded from the text, for the blocks going hot. `encoder`
    may be a function returning one, so a consolidation that sends nothing hot (the app's
    start-up run, often) never loads the model."""
    if encoder is None or not moves:
        return {}
    if callable(encoder) and not hasattr(encoder, "encode"):
        encoder = encoder()
    pairs = [p for m in moves for p in chunk_texts(store, m.first_chunk, m.last_chunk)]
    keys = np.asarray(encoder.encode([t for _, t in pairs]), np.float32)
    return {cid: keys[i] for i, (cid, _) in enumerate(pairs)}
