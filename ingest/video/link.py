"""Linking keyframes to the scene chunks whose time they fall in.

A scene chunk carries the keyframe on screen when it starts (the last cut at or before
its start) and every cut inside it, so a cited line can show what was on screen. A video
with no subtitles is cut into visual scenes, one chunk per keyframe, findable by title.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from typing import Iterable, Iterator, Sequence

from ingest.records import Chunk, Keyframe, Location
from ingest.subtitles.timecode import clock

__all__ = ["attach_keyframes", "visual_scenes"]


def attach_keyframes(chunks: Iterable[Chunk], keyframes: Sequence[Keyframe]) -> Iterator[Chunk]:
    times = [k.time_s for k in keyframes]
    for chunk in chunks:
        start, end = chunk.location.start_s or 0.0, chunk.location.end_s or 0.0
        lo = bisect_right(times, start)
        hi = bisect_right(times, end)
        yield replace(chunk, keyframes=tuple(keyframes[max(0, lo - 1):max(hi, lo)]))


def visual_scenes(keyframes: Sequence[Keyframe], path: str, title: str,
                  end_s: float) -> Iterator[Chunk]:
    n = len(keyframes)
    for i, kf in enumerate(keyframes):
        stop = keyframes[i + 1].time_s if i + 1 < n else max(end_s, kf.time_s)
        text = (f"{title}: scene {i + 1} of {n}, from {clock(kf.time_s)} to {clock(stop)} "
                f"(the video has no subtitles).")
        yield Chunk(text, Location(path=path, start_s=kf.time_s, end_s=stop), i,
                    keyframes=(kf,))
