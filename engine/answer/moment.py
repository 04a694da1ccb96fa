"""Narrowing a quoted line of a subtitle scene to the moment it is said.

A scene chunk can span minutes; the quote the answer opens with is one sentence of it,
so its citation should start the video where that sentence is spoken, not where the
scene begins. The stored cue spans map the quote back to its cue(s).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from engine.recall.hit import Hit
from engine.store.media import StoredCue

__all__ = ["narrow_to_quote"]


def narrow_to_quote(hit: Hit, quote: str, cues: Sequence[StoredCue]) -> Hit | None:
    """`hit` located at the cues that hold `quote` (whitespace-insensitive), else None."""
    if not cues or not quote.strip():
        return None
    # Normalise each cue's text and note where it lands in the normalised chunk text.
    parts, spans, at = [], [], 0
    for cue in cues:
        words = " ".join(hit.text[cue.char_start:cue.char_end].split())
        parts.append(words)
        spans.append((at, at + len(words), cue))
        at += len(words) + 1
    flat = " ".join(parts)
    needle = " ".join(quote.split())
    start = flat.find(needle)
    if start < 0:
        return None
    end = start + len(needle)
    inside = [cue for a, b, cue in spans if a < end and b > start]
    if not inside:
        return None
    first, last = inside[0], inside[-1]
    loc = replace(hit.location, start_s=first.start_s, end_s=max(c.end_s for c in inside),
                  cue_start=first.n, cue_end=last.n)
    return replace(hit, location=loc)
