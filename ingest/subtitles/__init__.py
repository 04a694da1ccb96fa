"""Subtitle tracks (SRT, WebVTT, ASS/SSA) read into cue scenes located by time."""
from __future__ import annotations

from .markup import strip_ass, strip_srt, strip_vtt
from .reader import SUBTITLE_SUFFIXES, open_subtitles, parse_track, read_track
from .scenes import GAP_S, scene_chunks
from .timecode import clock, parse_time
from .track import RawCue, Track, tidy

__all__ = ["open_subtitles", "read_track", "parse_track", "scene_chunks", "tidy", "Track",
           "RawCue", "parse_time", "clock", "strip_srt", "strip_vtt", "strip_ass",
           "SUBTITLE_SUFFIXES", "GAP_S"]
