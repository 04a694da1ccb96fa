"""Subtitle files (.srt, .vtt, .ass, .ssa) as documents of cue scenes.

The format is decided by the content (a WebVTT file saved as .srt is common), the
encoding is detected like any text file's, and every cue that parses is kept: broken
ones are named in the document's warnings. A file with no readable cue at all fails.
"""
from __future__ import annotations

from pathlib import Path

from ingest.errors import IngestError
from ingest.prose.decode import read_text_file
from ingest.records import Document

from .ass import ass_title, parse_ass
from .scenes import scene_chunks
from .srt import parse_srt
from .track import Track, tidy
from .vtt import parse_vtt

__all__ = ["open_subtitles", "read_track", "parse_track", "SUBTITLE_SUFFIXES"]

SUBTITLE_SUFFIXES = (".srt", ".vtt", ".ass", ".ssa")


def parse_track(text: str, suffix: str = ".srt") -> Track:
    """Parse subtitle text of any supported format into a tidy track."""
    warnings: list[str] = []
    head = text.lstrip("\ufeff \r\n\t")[:2000]
    if head.startswith("WEBVTT") or (suffix == ".vtt" and "[Script Info]" not in head):
        return tidy(parse_vtt(text, warnings), warnings)
    if "[Script Info]" in head or "[Events]" in text[:200_000] or suffix in (".ass", ".ssa"):
        return tidy(parse_ass(text, warnings), warnings, title=ass_title(text))
    return tidy(parse_srt(text, warnings), warnings)


def read_track(path: Path) -> Track:
    """Read and parse a subtitle file; IngestError when nothing in it is a cue."""
    guessed: list[str] = []   # an encoding that was only guessed
    track = parse_track(read_text_file(path, guessed), path.suffix.lower())
    if not track.cues:
        why = "; ".join(track.warnings)
        raise IngestError(str(path), "no subtitle cues could be read" + (f" ({why})" if why
                          else " (expected timings like 00:00:01,000 --> 00:00:04,000)"))
    track.warnings[:0] = guessed
    return track


def open_subtitles(path: Path, *, budget: int) -> Document:
    track = read_track(path)
    return Document(path=str(path), modality="subtitles", title=track.title or path.stem,
                    units=len(track.cues), unit_name="cue",
                    chunks=scene_chunks(track.cues, str(path), budget=budget),
                    warnings=list(track.warnings))
