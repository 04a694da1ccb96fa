"""A decoded frame's brightness, sampled small: what the cut detector compares.

Planar 8-bit YUV frames (nearly every real video) already hold luma in plane 0, so a
strided view of it costs no conversion; other formats go through swscale to gray.
"""
from __future__ import annotations

import av
import numpy as np

__all__ = ["small_luma", "SAMPLE_WIDTH"]

SAMPLE_WIDTH = 128   # about this many samples per row, whatever the resolution
_PLANAR_8BIT = frozenset({"yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p",
                          "yuvj444p", "nv12", "nv21", "yuv411p", "yuv440p", "gray"})


def small_luma(frame: av.VideoFrame) -> np.ndarray:
    """[h, w] float32 luma, ~SAMPLE_WIDTH wide, for any frame format."""
    step = max(1, frame.width // SAMPLE_WIDTH)
    if frame.format.name in _PLANAR_8BIT:
        plane = frame.planes[0]
        full = np.frombuffer(plane, dtype=np.uint8).reshape(-1, plane.line_size)
        return full[:frame.height:step, :frame.width:step].astype(np.float32)
    w = max(1, frame.width // step)
    h = max(1, frame.height // step)
    return frame.reformat(width=w, height=h, format="gray").to_ndarray().astype(np.float32)
