"""WebVTT (.vtt): a WEBVTT header, then cues (optional id, timing with settings, text).

NOTE, STYLE and REGION blocks carry no speech and are skipped; hours are optional in
timings; voice spans name the speaker.
"""
from __future__ import annotations

from .blocks import blocks
from .markup import strip_vtt
from .srt import _span, report_broken
from .track import RawCue

__all__ = ["parse_vtt"]

_SKIP = ("NOTE", "STYLE", "REGION")


def parse_vtt(text: str, warnings: list[str]) -> list[RawCue]:
    cues: list[RawCue] = []
    broken: list[str] = []
    items = list(blocks(text))
    if not items or not items[0][1][0].lstrip("\ufeff").startswith("WEBVTT"):
        warnings.append("the file has no WEBVTT header; it was read as WebVTT anyway")
    for first, lines in items:
        head = lines[0].lstrip("\ufeff")
        if head.startswith("WEBVTT"):   # header lines ("Kind: captions"), maybe a cue
            t = next((i for i, l in enumerate(lines) if "-->" in l), None)
            if t is None:
                continue
            first, lines = first + t, lines[t:]
        if head.split(" ")[0] in _SKIP:
            continue
        timing = next((i for i, l in enumerate(lines[:2]) if "-->" in l), None)
        if timing is None:
            broken.append(f"the block on line {first} has no timing line")
            continue
        line_no = first + timing
        span = _span(lines[timing])
        if span is None:
            broken.append(f"the timing on line {line_no} ({lines[timing].strip()[:40]}) "
                          f"is not a valid time")
            continue
        cues.append(RawCue(span[0], span[1], strip_vtt("\n".join(lines[timing + 1:])), line_no))
    report_broken(broken, warnings)
    return cues
