"""A recalled piece of evidence, its JSON form (the CLI's citation contract) and its short
human label (`describe`), light enough for commands that load no model."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from engine.store.media import KeyframeRef
from ingest.code import CODE_SUFFIXES
from ingest.records import Location
from ingest.subtitles.timecode import clock

if TYPE_CHECKING:
    from engine.store import Store

__all__ = ["Hit", "GistSpan", "describe", "hits_of", "keyword_hits", "spanning"]


@dataclass(frozen=True)
class GistSpan:
    """What makes a hit a gist (engine/gists): a summary of the chunks from the hit's
    `chunk_id` to `last_chunk`, not their words. Its citation opens at the first of them;
    `end` locates the last, so the reader sees the pages it spans."""
    id: int
    level: str                   # 'block' | 'section' | 'chapter' | 'document'
    title: str                   # 'CHAPTER III', or the document's name
    last_chunk: int
    end: Location

    def to_json(self) -> dict:
        return {"id": self.id, "level": self.level, "title": self.title,
                "last_chunk": self.last_chunk, "page_end": self.end.page,
                "line_end": self.end.line_end, "end_s": self.end.end_s}


def spanning(first: Location, last: Location, section: tuple[str, ...]) -> Location:
    """Where a gist opens: at its first chunk, its lines (or its time) running to its last
    chunk's, so a viewer highlights the whole part; a PDF opens at the first page."""
    return replace(first, section=section,
                   line_end=last.line_end if first.line_start is not None else first.line_end,
                   end_s=last.end_s if first.start_s is not None else first.end_s)


@dataclass(frozen=True)
class Hit:
    chunk_id: int
    text: str
    location: Location
    score: float
    keyframes: tuple[KeyframeRef, ...] = ()   # video scenes: what was on screen
    gist: GistSpan | None = None              # a summary of a run of chunks, not a chunk

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
        } | ({"gist": self.gist.to_json()} if self.gist is not None else {})


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


def describe(hit: Hit) -> str:
    """A short human location: 'alice.pdf, page 12 (p. 10), CHAPTER I',
    'talk.mp4, 00:12:03–00:12:41', or for code 'retry.py:40-58 (Policy.decide)'."""
    loc = hit.location
    if hit.gist is not None:
        return _describe_gist(loc, hit.gist)
    if Path(loc.path).suffix.lower() in CODE_SUFFIXES and loc.line_start is not None:
        span = f"{loc.line_start}" if loc.line_end in (None, loc.line_start) \
            else f"{loc.line_start}-{loc.line_end}"
        return f"{Path(loc.path).name}:{span}" + (f" ({loc.symbol})" if loc.symbol else "")
    parts = [Path(loc.path).name]
    if loc.page is not None:
        label = f" (p. {loc.page_label})" if loc.page_label and loc.page_label != str(loc.page) else ""
        parts.append(f"page {loc.page}{label}")
    elif loc.start_s is not None:
        end = clock(loc.end_s) if loc.end_s is not None else None
        parts.append(clock(loc.start_s) + (f"–{end}" if end and end != clock(loc.start_s) else ""))
    elif loc.line_start is not None:
        parts.append(f"lines {loc.line_start}-{loc.line_end}")
    if loc.section:
        parts.append(loc.section[-1])
    return ", ".join(parts)


def _describe_gist(loc: Location, gist: GistSpan) -> str:
    """'alice.pdf, pages 12–20, CHAPTER III (summary of the chapter)'."""
    end = gist.end
    parts = [Path(loc.path).name]
    if loc.page is not None:
        parts.append(f"page {loc.page}" if end.page in (None, loc.page)
                     else f"pages {loc.page}–{end.page}")
    elif loc.start_s is not None:
        parts.append(clock(loc.start_s) + (f"–{clock(end.end_s)}" if end.end_s is not None else ""))
    elif loc.line_start is not None:
        parts.append(f"lines {loc.line_start}-{end.line_end or loc.line_end}")
    if gist.level != "document" and gist.title != parts[0]:
        parts.append(gist.title)
    return ", ".join(parts) + f" (summary of the {gist.level})"
