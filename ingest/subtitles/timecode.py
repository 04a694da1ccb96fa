"""Subtitle timestamps: the spellings SRT, WebVTT and ASS use, and `hh:mm:ss` for people.

Real files are sloppy ("0:01:02.5", "00:01:02:500", hours missing in WebVTT, a space
after the comma), so parsing accepts every spelling that has one clear meaning and
returns None for the rest, leaving the caller to name the broken cue.
"""
from __future__ import annotations

import re

__all__ = ["parse_time", "clock", "TIMING"]

# h:mm:ss,fff | mm:ss.fff | h:mm:ss.ff (ASS centiseconds) | hh:mm:ss:fff (a common typo)
_TIME = re.compile(r"^\s*(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:\s*[,.:]\s*(\d{1,3}))?\s*$")
# "start --> end" with anything after the end (WebVTT cue settings, SRT coordinates)
TIMING = re.compile(r"^\s*(\S[^>]*?)\s*-{1,2}>\s*(\S+)")


def parse_time(text: str) -> float | None:
    """Seconds for a subtitle timestamp, or None when it is not one."""
    m = _TIME.match(text)
    if not m:
        return None
    h, mnt, sec, frac = m.groups()
    minutes, seconds = int(mnt), int(sec)
    if seconds >= 60 or (h is not None and minutes >= 60):
        return None
    value = int(h or 0) * 3600 + minutes * 60 + seconds
    if frac:
        value += int(frac) / 10 ** len(frac)
    return float(value)


def clock(seconds: float) -> str:
    """'01:02:03' for 3723.4 s: how citations show a moment (whole seconds, floored)."""
    s = max(0, int(seconds))
    return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"
