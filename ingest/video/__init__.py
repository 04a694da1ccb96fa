"""Videos read with PyAV: keyframes at scene cuts, thumbnails, subtitles linked by time."""
from __future__ import annotations

from .cuts import CutDetector
from .link import attach_keyframes, visual_scenes
from .reader import VIDEO_SUFFIXES, open_video
from .scan import Scan, scan_video

__all__ = ["open_video", "scan_video", "Scan", "CutDetector", "attach_keyframes",
           "visual_scenes", "VIDEO_SUFFIXES"]
