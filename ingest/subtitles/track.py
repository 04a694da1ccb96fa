"""A parsed subtitle track, tidied: broken, empty and out-of-order cues dealt with once.

Parsers only find raw cues and say which lines were broken; this module sorts, numbers
and checks them the same way for every format, and words each problem for the person.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ingest.records import Cue

__all__ = ["RawCue", "Track", "tidy"]


@dataclass(frozen=True)
class RawCue:
    start_s: float
    end_s: float
    text: str            # markup already stripped
    line: int | None     # 1-based line of the timing in the file (None: embedded stream)


@dataclass
class Track:
    cues: list[Cue]
    warnings: list[str] = field(default_factory=list)
    title: str | None = None

    @property
    def duration_s(self) -> float:
        return max((c.end_s for c in self.cues), default=0.0)


def tidy(raw: list[RawCue], warnings: list[str], *, title: str | None = None) -> Track:
    """Drop empty cues, repair reversed times, sort by start, number from 1, and add one
    warning per kind of problem (naming the first lines, not hundreds of them)."""
    empty = [r for r in raw if not r.text.strip()]
    kept = [r for r in raw if r.text.strip()]
    if empty:
        warnings.append(f"{_count(len(empty), 'empty cue')} skipped{_at(empty)}")
    reversed_ = [r for r in kept if r.end_s < r.start_s]
    if reversed_:
        warnings.append(f"{_count(len(reversed_), 'cue')} kept with the end time set to the "
                        f"start time, because the end came before the start{_at(reversed_)}")
    kept = [r if r.end_s >= r.start_s else RawCue(r.start_s, r.start_s, r.text, r.line)
            for r in kept]
    late = [b for a, b in zip(kept, kept[1:]) if b.start_s < a.start_s]
    if late:
        warnings.append(f"cues were out of time order{_at(late)}; they were sorted by start time")
        kept.sort(key=lambda r: r.start_s)   # stable: equal starts keep file order
    overlaps = [b for a, b in zip(kept, kept[1:]) if b.start_s < a.end_s - 0.001]
    if overlaps:
        warnings.append(f"{len(overlaps)} cue{'s' if len(overlaps) > 1 else ''} overlap"
                        f"{'' if len(overlaps) > 1 else 's'} the cue before"
                        f"{_at(overlaps)}; both were kept")
    cues = [Cue(i, r.start_s, r.end_s, r.text) for i, r in enumerate(kept, start=1)]
    return Track(cues, warnings, title)


def _count(n: int, what: str) -> str:
    return f"1 {what} was" if n == 1 else f"{n} {what}s were"


def _at(items: list[RawCue]) -> str:
    lines = [r.line for r in items if r.line is not None][:3]
    if not lines:
        return ""
    more = ", …" if len([r for r in items if r.line is not None]) > 3 else ""
    return f" (line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))}{more})"
