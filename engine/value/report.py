"""What the memory holds, per tier and per document: `memex memory` and the app's view."""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.store.model_state import last_consolidation
from engine.store.tiers import BlockListing, TierSize, block_listing, dense_index_size, tier_sizes

__all__ = ["MemoryReport", "DocumentMemoryRow", "memory_report"]


@dataclass(frozen=True)
class DocumentMemoryRow:
    doc_id: int
    path: str
    title: str | None
    blocks: tuple[BlockListing, ...]

    def count(self, tier: str) -> int:
        return sum(1 for b in self.blocks if b.tier == tier)

    @property
    def pinned(self) -> int:
        return sum(1 for b in self.blocks if b.pinned)

    def to_json(self) -> dict:
        return {"path": self.path, "title": self.title,
                "tiers": {t: self.count(t) for t in ("hot", "warm", "cold")},
                "pinned": self.pinned, "blocks": [b.to_json() for b in self.blocks]}


@dataclass
class MemoryReport:
    tiers: list[TierSize]
    dense_rows: int
    dense_bytes: int
    most: list[BlockListing]
    least: list[BlockListing]
    documents: list[DocumentMemoryRow] = field(default_factory=list)
    last: tuple[float, dict] | None = None     # (when, what the last consolidation changed)

    def to_json(self) -> dict:
        return {
            "tiers": {t.tier: {"blocks": t.blocks, "chunks": t.chunks, "key_bytes": t.key_bytes}
                      for t in self.tiers},
            "dense_index": {"rows": self.dense_rows, "bytes": self.dense_bytes},
            "most_valuable": [b.to_json() for b in self.most],
            "least_valuable": [b.to_json() for b in self.least],
            "documents": [d.to_json() for d in self.documents],
            "last_consolidation": None if self.last is None else {"at": self.last[0], **self.last[1]},
        }


def memory_report(store, *, top: int = 5) -> MemoryReport:
    blocks = block_listing(store)
    scored = sorted((b for b in blocks if b.value is not None), key=lambda b: -b.value)
    docs: dict[int, list[BlockListing]] = {}
    for b in blocks:
        docs.setdefault(b.doc_id, []).append(b)
    rows = [DocumentMemoryRow(d, bs[0].path, bs[0].title, tuple(bs)) for d, bs in docs.items()]
    n, size = dense_index_size(store)
    return MemoryReport(tier_sizes(store), n, size, scored[:top], scored[::-1][:top], rows,
                        last_consolidation(store))
