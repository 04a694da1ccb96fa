"""Subtitle streams inside a video container (MKV/MP4 text tracks).

FFmpeg decodes every text subtitle codec (SubRip, WebVTT, mov_text, ASS) to ASS dialogue,
so one stripper serves them all; bitmap subtitles (DVD, Blu-ray PGS) are pictures of
text, which Memex cannot read, and are named in a warning.
"""
from __future__ import annotations

import av

from ingest.subtitles.markup import strip_ass
from ingest.subtitles.track import RawCue

__all__ = ["pick_text_stream", "packet_cues", "BITMAP_CODECS"]

BITMAP_CODECS = frozenset({"dvd_subtitle", "hdmv_pgs_subtitle", "dvb_subtitle", "xsub",
                           "dvb_teletext"})


def pick_text_stream(container: av.container.InputContainer,
                     warnings: list[str]) -> av.stream.Stream | None:
    """The text subtitle stream to read: default-flagged first, then English, then first."""
    text, bitmap = [], []
    for s in container.streams.subtitles:
        name = s.codec_context.name if s.codec_context is not None else "unknown"
        (bitmap if name in BITMAP_CODECS else text).append(s)
    if bitmap and not text:
        warnings.append(f"the video's subtitles are images ({bitmap[0].codec_context.name}), "
                        f"which Memex cannot read as text")
    if not text:
        return None

    def rank(s: av.stream.Stream) -> tuple[int, int]:
        default = bool(s.disposition & av.stream.Disposition.default)
        english = (s.language or "").lower() in ("en", "eng")
        return (0 if default else 1, 0 if english else 1)

    return min(text, key=rank)


def packet_cues(packet: av.Packet) -> list[RawCue]:
    """The cues one subtitle packet holds (usually one)."""
    if packet.pts is None or packet.time_base is None:
        return []
    start = float(packet.pts * packet.time_base)
    end = start + float((packet.duration or 0) * packet.time_base)
    out = []
    for item in packet.decode():   # PyAV yields rects, or sets of rects in older versions
        for rect in ([item] if hasattr(item, "dialogue") else item):
            dialogue = getattr(rect, "dialogue", b"") or b""
            text = strip_ass(dialogue.decode("utf-8", errors="replace"))
            out.append(RawCue(start, max(start, end), text, None))
    return out
