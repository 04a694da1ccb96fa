"""Scene-cut detection: a frame that differs sharply from the one before it, and from how
much frames have been changing lately.

Two measures of change between consecutive frames, both in [0, 1]: the mean absolute
luma difference (catches a cut between scenes of the same brightness) and the histogram
distance (robust to motion inside a scene). A cut needs the larger of them to pass an
absolute threshold *and* to stand out against the recent average, so steady motion,
panning and noise, which change every frame a little, do not cut; a minimum spacing
stops a flash or a two-frame transition from cutting twice. Gradual fades are not cuts.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

__all__ = ["CutDetector"]

_BINS = 32


@dataclass
class CutDetector:
    fps: float
    threshold: float = 0.12     # least change that can be a cut
    ratio: float = 3.0          # how far above the recent average it must stand
    min_gap_s: float = 0.5      # least time between two cuts
    window_s: float = 1.0       # how far back "recent" reaches
    _prev: np.ndarray | None = field(default=None, repr=False)
    _prev_hist: np.ndarray | None = field(default=None, repr=False)
    _recent: deque = field(default_factory=deque, repr=False)
    _last_cut: float = field(default=float("-inf"), repr=False)

    def feed(self, luma: np.ndarray, time_s: float) -> float | None:
        """The cut score when the frame at `time_s` starts a new scene, else None.
        `luma`: [h, w] float32 in 0..255, the same shape for every frame."""
        hist = np.bincount((luma.ravel().astype(np.int32) * _BINS) >> 8, minlength=_BINS)
        hist = hist.astype(np.float32) / max(1, luma.size)
        prev, prev_hist = self._prev, self._prev_hist
        self._prev, self._prev_hist = luma, hist
        if prev is None or prev.shape != luma.shape:
            self._last_cut = time_s   # the opening frame starts a scene: spacing holds
            return None
        pixel = float(np.abs(luma - prev).mean()) / 255.0
        histo = 0.5 * float(np.abs(hist - prev_hist).sum())
        score = max(pixel * 2.0, histo)   # a full-frame cut moves pixels ~0.2-0.5 on average
        baseline = (sum(self._recent) / len(self._recent)) if self._recent else 0.0
        self._recent.append(score)
        while len(self._recent) > max(1, round(self.window_s * self.fps)):
            self._recent.popleft()
        if (score >= self.threshold and score >= self.ratio * baseline + 0.02
                and time_s - self._last_cut >= self.min_gap_s):
            self._last_cut = time_s
            return min(1.0, score)
        return None
