"""Video files as documents: subtitle scenes (sidecar or embedded) carrying keyframes.

`open_video` does the cheap checks (the container opens, it has something to read) and
pairs the sidecar subtitles; the decode itself runs when `Document.chunks` is consumed,
streaming, with progress and cancel through `report`.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Iterator

import av

from ingest.errors import IngestError
from ingest.records import Chunk, Document
from ingest.subtitles.reader import read_track
from ingest.subtitles.scenes import scene_chunks
from ingest.subtitles.sidecar import sidecars
from ingest.subtitles.track import Track, tidy

from .link import attach_keyframes, visual_scenes
from .scan import Progress, container_seconds, open_container, scan_video

__all__ = ["open_video", "VIDEO_SUFFIXES"]

VIDEO_SUFFIXES = (".mp4", ".m4v", ".mkv", ".webm", ".mov", ".avi")


def open_video(path: Path, *, budget: int, report: Progress | None = None) -> Document:
    where = str(path)
    try:
        with open_container(path) as c:
            seconds = container_seconds(c)
            title = (c.metadata or {}).get("title") or path.stem
            has_video, has_subs = bool(c.streams.video), bool(c.streams.subtitles)
    except av.FFmpegError as exc:
        raise IngestError(where, f"the file is not a readable video "
                                 f"({getattr(exc, 'strerror', None) or exc}); it may be "
                                 f"damaged, truncated or not a video at all") from exc
    warnings: list[str] = []
    track, used = _sidecar_track(path, warnings)
    if not has_video and track is None and not has_subs:
        raise IngestError(where, "the file has no video stream and no subtitles")
    if not has_video:
        warnings.append("the file has no video stream; only its subtitles were read")
    doc = Document(path=where, modality="video", title=title,
                   units=max(1, math.ceil(seconds)), unit_name="second",
                   warnings=warnings, companions=tuple(str(p) for p in used))
    doc.chunks = _chunks(path, doc, track, budget, seconds, report)
    return doc


def _sidecar_track(path: Path, warnings: list[str]) -> tuple[Track | None, list[Path]]:
    for candidate in sidecars(path):
        try:
            track = read_track(candidate)
        except IngestError as exc:
            warnings.append(f"the subtitle file {candidate.name} was not used: {exc.reason}")
            continue
        warnings += [f"{candidate.name}: {w}" for w in track.warnings]
        return track, [candidate]
    return None, []


def _chunks(path: Path, doc: Document, track: Track | None, budget: int, seconds: float,
            report: Progress | None) -> Iterator[Chunk]:
    scan = scan_video(path, report=report, subtitles=track is None)
    doc.warnings += scan.warnings
    if track is None and scan.cues:
        track = tidy(scan.cues, [])
        doc.warnings += [f"embedded subtitles: {w}" for w in track.warnings]
    if track is not None and track.cues:
        yield from attach_keyframes(scene_chunks(track.cues, doc.path, budget=budget),
                                    scan.keyframes)
    elif scan.keyframes:
        doc.warnings.append("the video has no subtitles, so only its scenes' times and "
                            "thumbnails were stored; it can be found by title")
        yield from visual_scenes(scan.keyframes, doc.path, doc.title,
                                 max(seconds, scan.decoded_s))
    else:
        raise IngestError(doc.path, "no frame or subtitle could be read from the video"
                          + (f" ({'; '.join(scan.warnings)})" if scan.warnings else ""))
