"""SubRip (.srt): numbered blocks of a timing line and text, separated by blank lines.

A block without a valid timing is named and skipped; a block with neither a number nor a
timing is a blank line inside the previous cue's text, which real files contain.
"""
from __future__ import annotations

from .blocks import blocks
from .markup import strip_srt
from .timecode import TIMING, parse_time
from .track import RawCue

__all__ = ["parse_srt"]


def parse_srt(text: str, warnings: list[str]) -> list[RawCue]:
    cues: list[RawCue] = []
    broken: list[str] = []
    last: RawCue | None = None
    for first, lines in blocks(text):
        timing = next((i for i, l in enumerate(lines[:2]) if "-->" in l), None)
        if timing is None:
            if lines[0].strip().isdigit() and len(lines) > 1:
                broken.append(f"cue {lines[0].strip()} (line {first + 1}) has no timing line")
                last = None
            elif last is not None:   # a blank line inside a cue's text
                last = RawCue(last.start_s, last.end_s,
                              last.text + "\n" + strip_srt("\n".join(lines)), last.line)
                cues[-1] = last
            else:
                broken.append(f"line {first} is neither a cue number nor a timing")
            continue
        line_no = first + timing
        span = _span(lines[timing])
        if span is None:
            broken.append(f"the timing on line {line_no} ({lines[timing].strip()[:40]}) "
                          f"is not a valid time")
            last = None
            continue
        last = RawCue(span[0], span[1], strip_srt("\n".join(lines[timing + 1:])), line_no)
        cues.append(last)
    report_broken(broken, warnings)
    return cues


def _span(line: str) -> tuple[float, float] | None:
    m = TIMING.match(line)
    if not m:
        return None
    start, end = parse_time(m.group(1)), parse_time(m.group(2))
    return None if start is None or end is None else (start, end)


def report_broken(broken: list[str], warnings: list[str]) -> None:
    """One warning for all broken cues, naming the first few."""
    if not broken:
        return
    more = f" and {len(broken) - 3} more" if len(broken) > 3 else ""
    noun = "cue was" if len(broken) == 1 else "cues were"
    warnings.append(f"{len(broken)} broken {noun} skipped: {'; '.join(broken[:3])}{more}")
