"""A recalled piece of evidence and its JSON form (the CLI's citation contract)."""
from __future__ import annotations

from dataclasses import dataclass

from engine.store.media import KeyframeRef
from ingest.records import Location

__all__ = ["Hit"]


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
