"""A recalled piece of evidence and its JSON form (the CLI's citation contract)."""
from __future__ import annotations

from dataclasses import dataclass

from typing import TYPE_CHECKING

from engine.store.media import KeyframeRef
from ingest.records import Location

if TYPE_CHECKING:
    from engine.store import Store

__all__ = ["Hit", "hits_of", "keyword_hits"]


@dataclass(frozen=True)
class Hit:
    chunk_id: int
    text: str
    location: Location
    score: float
    keyframes: tuple[KeyframeRef, ...] = ()   # video scenes: what was on screen

    def to_json(self) -> dict:
        loc = self.location
        return {
            "path": loc.path,
            "page": loc.page,
            "page_label": loc.page_label,
            "line_start": loc.line_start,
            "line_end": loc.line_end,
            "start_s": loc.start_s,
            "end_s": loc.end_s,
            "cue_start": loc.cue_start,
            "cue_end": loc.cue_end,
            "keyframes": [k.to_json() for k in self.keyframes],
            "section": loc.section_path or None,
            "symbol": loc.symbol,
            "text": self.text,
            "score": round(float(self.score), 6),
        }


def hits_of(store: "Store", scores: dict[int, float], k: int) -> list[Hit]:
    """The `k` best-scored chunks as located hits (ties: the earlier chunk first)."""
    top = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
    chunks = store.chunks([c for c, _ in top])
    frames = store.keyframes_of([c for c, _ in top])
    return [Hit(c, chunks[c].text, chunks[c].location, s, frames.get(c, ()))
            for c, s in top if c in chunks]


def keyword_hits(store: "Store", query: str, k: int) -> list[Hit]:
    """BM25 over the chunks' text alone: no encoder, so it answers the moment a document
    is readable and from a process that never loads torch (`memex search --keyword`)."""
    from engine.recall.keyword import fts_query

    match = fts_query(query.strip())
    # drawn from the same pool as fused search, so ties at the cut fall the same way
    return hits_of(store, dict(store.keyword(match, max(k, 50))), k) if match and k > 0 else []
