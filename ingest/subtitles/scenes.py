"""Cues merged into scenes: the chunks a subtitle track becomes.

A single cue is too short to answer anything ("Yes."), so consecutive cues are merged
until the speech pauses (a gap longer than `gap_s`) or the token budget is full. Each
scene is located by its first cue's start, its last cue's end and its cue numbers, and
keeps its cues so a quoted sentence can be narrowed to the moment it is said.
"""
from __future__ import annotations

from typing import Iterator, Sequence

from ingest.records import Chunk, Cue, Location
from ingest.tokens import estimate_tokens

__all__ = ["scene_chunks", "GAP_S"]

GAP_S = 4.0   # seconds of silence that end a scene


def scene_chunks(cues: Sequence[Cue], path: str, *, budget: int,
                 gap_s: float = GAP_S) -> Iterator[Chunk]:
    """Yield scene chunks in time order (`cues` sorted by start, as `tidy` leaves them).

    A lone cue longer than the budget (rare: a whole transcript pasted in one cue) stays
    one chunk; the encoder reads its start."""
    group: list[Cue] = []
    tokens = 0
    end = 0.0
    ordinal = 0
    for cue in cues:
        cost = estimate_tokens(cue.text) + 1
        if group and (cue.start_s - end > gap_s or tokens + cost > budget):
            yield _chunk(group, path, ordinal)
            ordinal += 1
            group, tokens = [], 0
        group.append(cue)
        tokens += cost
        end = max(end, cue.end_s) if len(group) > 1 else cue.end_s
    if group:
        yield _chunk(group, path, ordinal)


def _chunk(group: list[Cue], path: str, ordinal: int) -> Chunk:
    loc = Location(path=path, start_s=group[0].start_s, end_s=max(c.end_s for c in group),
                   cue_start=group[0].index, cue_end=group[-1].index)
    return Chunk(text="\n".join(c.text for c in group), location=loc, ordinal=ordinal,
                 cues=tuple(group))
