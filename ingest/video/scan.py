"""One streaming pass over a video: keyframes at scene cuts, and embedded subtitle cues.

Packets are demuxed and decoded one at a time, and each frame is dropped as soon as the
cut detector has sampled it, so memory holds a few frames and the keyframe thumbnails,
whatever the length of the video. `report(done_s, total_s, label)` is called once per
second of video; it is also where the engine's cancel token stops the pass (by raising).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import av

from ingest.records import Keyframe
from ingest.subtitles.timecode import clock
from ingest.subtitles.track import RawCue

from .cuts import CutDetector
from .embedded import packet_cues, pick_text_stream
from .luma import small_planes
from .thumbs import jpeg_thumbnail

__all__ = ["Scan", "scan_video", "open_container", "Progress"]

Progress = Callable[[int, int, str], None]


@dataclass
class Scan:
    keyframes: list[Keyframe] = field(default_factory=list)
    cues: list[RawCue] = field(default_factory=list)   # from the embedded text track
    warnings: list[str] = field(default_factory=list)
    frames: int = 0
    decoded_s: float = 0.0                             # time of the last decoded frame


def open_container(path: Path) -> av.container.InputContainer:
    """Open a video for reading. Metadata that is not UTF-8 (a title or a stream's language
    in a legacy encoding, or damaged bytes) is read with replacement characters: PyAV's
    default raises UnicodeDecodeError from inside `av.open`, failing the whole file."""
    return av.open(str(path), metadata_errors="replace")


def container_seconds(container: av.container.InputContainer) -> float:
    if container.duration:
        return container.duration / av.time_base
    vs = container.streams.video[0] if container.streams.video else None
    if vs is not None and vs.duration and vs.time_base:
        return float(vs.duration * vs.time_base)
    return 0.0


def scan_video(path: Path, *, report: Progress | None = None, subtitles: bool = True,
               detector: CutDetector | None = None) -> Scan:
    """Decode `path` once. `subtitles`: also read the embedded text track."""
    scan = Scan()
    with open_container(path) as container:
        total = container_seconds(container)
        vs = _decodable_video(container, scan.warnings)
        ss = pick_text_stream(container, scan.warnings) if subtitles else None
        streams = [s for s in (vs, ss) if s is not None]
        if not streams:
            return scan
        if vs is not None:
            vs.thread_type = "AUTO"   # frame + slice threads: the decode is the cost
            # Deblocking is a large share of H.264 decoding and changes nothing a cut
            # detector or a 320-pixel thumbnail can see (bench/media.py times the scan).
            vs.codec_context.options = {"skip_loop_filter": "all"}
            fps = float(vs.average_rate or vs.guessed_rate or 25)
            detector = detector or CutDetector(fps=fps)
        next_report = 0.0
        damaged: list[float] = []   # times of packets the decoder refused
        try:
            for packet in container.demux(*streams):
                t = _packet_time(packet, scan.decoded_s)
                try:
                    if packet.stream.type == "subtitle":
                        scan.cues += packet_cues(packet)
                    else:
                        for frame in packet.decode():
                            t = frame.time if frame.time is not None else scan.frames / fps
                            _frame(scan, detector, frame, t)
                except av.FFmpegError:   # a damaged packet: skip it, keep reading
                    damaged.append(t)
                if report is not None and t >= next_report:
                    report(int(t), int(total + 0.999), f"decoding {clock(t)} of {clock(total)}")
                    next_report = t + 1.0
        except av.FFmpegError as exc:   # the container itself cannot be read further
            scan.warnings.append(f"the video is damaged after {clock(scan.decoded_s)} "
                                 f"({_why(exc)}); the part before it was read")
            return scan
        finally:
            if damaged:
                scan.warnings.append(f"{len(damaged)} damaged packet(s) were skipped, the "
                                     f"first at {clock(damaged[0])}")
        if vs is not None and total - scan.decoded_s > 2.0 and scan.frames:
            scan.warnings.append(f"the video stops at {clock(scan.decoded_s)} although it "
                                 f"should last {clock(total)}; the file may be truncated, "
                                 f"and the part before was read")
    return scan


def _frame(scan: Scan, detector: CutDetector, frame: av.VideoFrame, t: float) -> None:
    score = detector.feed(small_planes(frame), t)
    if scan.frames == 0 or score is not None:
        jpeg, w, h = jpeg_thumbnail(frame)
        scan.keyframes.append(Keyframe(len(scan.keyframes), round(t, 3), w, h, jpeg,
                                       1.0 if score is None else round(score, 4)))
    scan.frames += 1
    scan.decoded_s = t


def _packet_time(packet: av.Packet, default: float) -> float:
    if packet.pts is None or packet.time_base is None:
        return default
    return float(packet.pts * packet.time_base)


def _decodable_video(container: av.container.InputContainer,
                     warnings: list[str]) -> av.stream.Stream | None:
    if not container.streams.video:
        return None
    vs = container.streams.video[0]
    if vs.codec_context is None:
        name = _codec_name(vs)
        warnings.append(f"the video codec{f' {name}' if name else ''} is not supported "
                        f"(FFmpeg has no decoder for it), so no keyframes were read")
        return None
    return vs


def _codec_name(stream: av.stream.Stream) -> str | None:
    try:
        return stream.codec.name
    except Exception:   # PyAV raises differently per version for an unknown codec
        return None


def _why(exc: av.FFmpegError) -> str:
    return getattr(exc, "strerror", None) or str(exc)
