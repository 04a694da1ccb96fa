"""Packing evidence into the model's context under a token budget, with numbered tags."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from engine.recall.hit import Hit
from ingest.subtitles.timecode import clock
from ingest.code import CODE_SUFFIXES

__all__ = ["Packed", "pack", "describe", "SYSTEM"]

SYSTEM = (
    "You answer questions about the user's documents using only the numbered evidence. "
    "After each statement, cite the evidence it comes from as [n]. "
    "If the evidence does not answer the question, say that it does not. Be brief."
)


@dataclass(frozen=True)
class Packed:
    messages: list[dict]
    evidence: list[Hit]          # evidence[i] carries tag [i + 1]
    omitted: list[Hit]


def describe(hit: Hit) -> str:
    """A short human location: 'alice.pdf, page 12 (p. 10), CHAPTER I',
    'talk.mp4, 00:12:03–00:12:41', or for code 'retry.py:40-58 (Policy.decide)'."""
    loc = hit.location
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


def pack(question: str, hits: Sequence[Hit], *, budget: int,
         count: Callable[[str], int]) -> Packed:
    """Keep the best-ranked evidence that fits `budget` tokens, shown in source order."""
    kept: list[Hit] = []
    omitted: list[Hit] = []
    used = count(SYSTEM) + count(question) + 32
    for hit in hits:
        cost = count(hit.text) + 16
        if used + cost <= budget:
            kept.append(hit)
            used += cost
        else:
            omitted.append(hit)
    kept.sort(key=lambda h: (h.location.path, h.location.page or 0, h.location.line_start or 0,
                             h.location.char_start or 0, h.location.start_s or 0.0))
    blocks = [f"[{i + 1}] ({describe(h)})\n{h.text}" for i, h in enumerate(kept)]
    user = "Evidence:\n\n" + "\n\n".join(blocks) + f"\n\nQuestion: {question}"
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]
    return Packed(messages=messages, evidence=kept, omitted=omitted)
