"""A decoded frame sampled small: the luma and chroma planes the cut detector compares.

Planar 8-bit YUV frames (nearly every real video) already hold the planes apart, so
strided views of them cost no conversion; other formats go through swscale first.
"""
from __future__ import annotations

import av
import numpy as np

__all__ = ["small_planes", "SAMPLE_WIDTH"]

SAMPLE_WIDTH = 128   # about this many luma samples per row, whatever the resolution
# formats whose planes 0, 1, 2 are Y, U, V at 8 bits, with chroma subsampled by 2 or less
_PLANAR = frozenset({"yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p"})


def _view(plane: av.video.plane.VideoPlane, height: int, width: int, step: int) -> np.ndarray:
    full = np.frombuffer(plane, dtype=np.uint8).reshape(-1, plane.line_size)
    return full[:height:step, :width:step]


def small_planes(frame: av.VideoFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(Y, U, V) sampled to ~SAMPLE_WIDTH luma columns; Y as float32, U and V as uint8."""
    step = max(1, frame.width // SAMPLE_WIDTH)
    if frame.format.name not in _PLANAR:
        w, h = max(2, frame.width // step), max(2, frame.height // step)
        frame, step = frame.reformat(width=w, height=h, format="yuv444p"), 1
    y, u, v = frame.planes[:3]
    cw, ch = u.width, u.height
    cstep = max(1, step * cw // frame.width)
    return (_view(y, frame.height, frame.width, step).astype(np.float32),
            _view(u, ch, cw, cstep), _view(v, ch, cw, cstep))
