"""Keyframe thumbnails: a decoded frame downscaled and encoded as JPEG by FFmpeg's own
MJPEG encoder, so no image library is needed."""
from __future__ import annotations

from fractions import Fraction

import av

__all__ = ["jpeg_thumbnail", "THUMB_WIDTH"]

THUMB_WIDTH = 320


def jpeg_thumbnail(frame: av.VideoFrame, width: int = THUMB_WIDTH) -> tuple[bytes, int, int]:
    """(JPEG bytes, width, height) of `frame` scaled to `width` (never enlarged)."""
    w = min(width, frame.width) // 2 * 2 or 2
    h = max(2, round(frame.height * w / frame.width / 2) * 2)
    ctx = av.CodecContext.create("mjpeg", "w")
    ctx.width, ctx.height, ctx.pix_fmt = w, h, "yuvj420p"
    ctx.time_base = Fraction(1, 25)
    small = frame.reformat(width=w, height=h, format="yuvj420p")
    packets = ctx.encode(small) + ctx.encode(None)
    return b"".join(bytes(p) for p in packets), w, h
