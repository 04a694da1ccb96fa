"""Scene-cut detection: a frame that differs sharply from the one before it, and from how
much frames have been changing lately.

Two measures of change between consecutive frames, both in [0, 1]: the colour
histogram distance (luma and chroma; blind to motion, so panning and moving objects
barely register) and the mean absolute luma difference (catches a cut between scenes of
the same colours). Either one cuts when it passes its threshold *and* stands out against
its own recent average, so steady motion, panning and grain, which change every frame a
little, do not cut; a minimum spacing stops a flash or a two-frame transition from
cutting twice. Gradual fades and dissolves are not cuts.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

__all__ = ["CutDetector", "colour_histogram"]

_LUMA_BINS, _CHROMA_BINS = 32, 16


def colour_histogram(y: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Normalised luma and chroma histograms, concatenated; weights sum to 1."""
    hy = np.bincount((y.ravel().astype(np.int32) * _LUMA_BINS) >> 8, minlength=_LUMA_BINS)
    hu = np.bincount(u.ravel() >> 4, minlength=_CHROMA_BINS)
    hv = np.bincount(v.ravel() >> 4, minlength=_CHROMA_BINS)
    return np.concatenate([hy / (2 * max(1, y.size)), hu / (4 * max(1, u.size)),
                           hv / (4 * max(1, v.size))]).astype(np.float32)


class _Recent:
    """Running mean of a measure over the last `n` frames."""

    def __init__(self, n: int):
        self.values: deque[float] = deque(maxlen=max(1, n))

    def mean(self) -> float:
        return sum(self.values) / len(self.values) if self.values else 0.0


@dataclass
class CutDetector:
    fps: float
    hist_threshold: float = 0.15   # least colour change that can be a cut
    pixel_threshold: float = 0.12  # least luma change (x2, so a full cut is ~0.3-0.7)
    ratio: float = 3.0             # how far above its recent average a measure must stand
    min_gap_s: float = 0.5         # least time between two cuts
    window_s: float = 1.0          # how far back "recent" reaches
    _prev: tuple | None = field(default=None, repr=False)
    _last_cut: float = field(default=float("-inf"), repr=False)
    _recent: tuple = field(default=(), repr=False)

    def feed(self, planes: tuple[np.ndarray, np.ndarray, np.ndarray], time_s: float) -> float | None:
        """The cut score when the frame at `time_s` starts a new scene, else None.
        `planes`: (Y, U, V) as `small_planes` gives them, the same shapes every frame."""
        y = planes[0]
        hist = colour_histogram(*planes)
        prev, self._prev = self._prev, (y, hist)
        if prev is None or prev[0].shape != y.shape:
            self._last_cut = time_s   # the opening frame starts a scene: spacing holds
            self._recent = (_Recent(round(self.window_s * self.fps)),
                            _Recent(round(self.window_s * self.fps)))
            return None
        histo = float(np.abs(hist - prev[1]).sum()) / 2
        pixel = 2.0 * float(np.abs(y - prev[0]).mean()) / 255.0
        recent_h, recent_p = self._recent
        cut = ((histo >= self.hist_threshold and histo >= self.ratio * recent_h.mean() + 0.02)
               or (pixel >= self.pixel_threshold
                   and pixel >= self.ratio * recent_p.mean() + 0.02))
        recent_h.values.append(histo)
        recent_p.values.append(pixel)
        if cut and time_s - self._last_cut >= self.min_gap_s:
            self._last_cut = time_s
            return min(1.0, max(histo, pixel))
        return None
