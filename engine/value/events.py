"""Recording usage where it happens: evidence recalled, cited, a citation opened, an answer
copied, a block pinned or unpinned, a document opened.

`Usage` is what `Library` and the app call. A use of a cold block brings it back into the
dense index at once (cold → warm), so a forgotten chapter someone returns to by keyword is
found by meaning again from the next question on.
"""
from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Iterable, Sequence

from engine.store.tiers import TierMove, cold_blocks, first_chunks, move_tiers, set_pinned
from engine.store.usage import EventRow, blocks_of_chunks, record_events
from engine.value.clock import Clock, SystemClock

if TYPE_CHECKING:
    from engine.store.store import Store

__all__ = ["EventKind", "USE_KINDS", "Usage"]


class EventKind(str, Enum):
    RECALLED = "recalled"                # shown as evidence for a search or an answer
    CITED = "cited"                      # cited by an answer
    CITATION_OPENED = "citation_opened"  # the person opened a citation at its source
    ANSWER_COPIED = "answer_copied"      # the person copied an answer (its citations count)
    PINNED = "pinned"
    UNPINNED = "unpinned"
    DOCUMENT_OPENED = "document_opened"  # the whole document, not one place in it


# Kinds that mean a block was used: they are the scorer's training signal and promote a
# cold block. Unpinning and opening a whole document are not a use of any one block.
USE_KINDS = frozenset({EventKind.RECALLED, EventKind.CITED, EventKind.CITATION_OPENED,
                       EventKind.ANSWER_COPIED, EventKind.PINNED})


class Usage:
    def __init__(self, store: "Store", clock: Clock | None = None):
        self.store = store
        self.clock = clock or SystemClock()

    def record(self, kind: EventKind, chunk_ids: Iterable[int] = (),
               doc_ids: Iterable[int] = ()) -> list[int]:
        """Write events now; → ids of cold blocks this use promoted back to warm."""
        now = self.clock.now()
        chunk_ids = list(dict.fromkeys(int(c) for c in chunk_ids))
        rows = [EventRow(now, kind.value, None, c) for c in chunk_ids]
        rows += [EventRow(now, kind.value, int(d), None) for d in dict.fromkeys(doc_ids)]
        record_events(self.store, rows)
        return self._promote(chunk_ids, now) if kind in USE_KINDS else []

    def recalled(self, chunk_ids: Iterable[int]) -> list[int]:
        return self.record(EventKind.RECALLED, chunk_ids)

    def cited(self, chunk_ids: Iterable[int]) -> list[int]:
        return self.record(EventKind.CITED, chunk_ids)

    def citation_opened(self, chunk_id: int) -> list[int]:
        return self.record(EventKind.CITATION_OPENED, [chunk_id])

    def answer_copied(self, chunk_ids: Iterable[int]) -> list[int]:
        return self.record(EventKind.ANSWER_COPIED, chunk_ids)

    def document_opened(self, doc_id: int) -> None:
        self.record(EventKind.DOCUMENT_OPENED, doc_ids=[doc_id])

    def pin(self, block_ids: Sequence[int], pinned: bool = True) -> int:
        """Pin (or unpin) blocks; a pin is recorded as an event on the block's first chunk."""
        now = self.clock.now()
        changed = set_pinned(self.store, block_ids, pinned, now)
        firsts = first_chunks(self.store, block_ids)
        self.record(EventKind.PINNED if pinned else EventKind.UNPINNED, firsts)
        return changed

    def _promote(self, chunk_ids: Sequence[int], now: float) -> list[int]:
        owner = blocks_of_chunks(self.store, chunk_ids)
        if not owner:
            return []
        rows = cold_blocks(self.store, sorted(set(owner.values())))
        move_tiers(self.store, [TierMove(b, f, l, "cold", "warm") for b, f, l in rows], now)
        return [r[0] for r in rows]
