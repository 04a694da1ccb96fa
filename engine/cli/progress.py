"""A terminal progress bar for ingest: files, chunks, rate and ETA on stderr.

Reading has two phases: phase 1 counts bytes of files, phase 2 (labels "understand…")
counts chunks; the bar restarts its clock and its unit when phase 2 begins. A digest
counts gists from the start (`IngestBar(unit="gists")`)."""
from __future__ import annotations

import sys
import time
from typing import TextIO

from engine.reading.documents import FileResult

__all__ = ["IngestBar"]


class IngestBar:
    """Redraws one line on a terminal; elsewhere prints a line every few seconds."""

    def __init__(self, stream: TextIO = sys.stderr, *, unit: str = "bytes"):
        self.stream = stream
        self.tty = stream.isatty()
        self.start = time.monotonic()
        self._last = 0.0
        self.files_done = 0
        self.chunks = 0
        self._width = 0
        self.unit = unit

    def on_file(self, result: FileResult) -> None:
        self.files_done += 1
        self.chunks += result.chunks if result.status == "stored" else 0

    def report(self, done: int, total: int, label: str = "") -> None:
        now = time.monotonic()
        if self.unit == "bytes" and label.startswith("understand"):
            self.unit, self.start, self._last = "chunks", now, 0.0
        if now - self._last < (0.1 if self.tty else 5.0) and done < total:
            return
        self._last = now
        frac = done / total if total else 1.0
        elapsed = now - self.start
        eta = elapsed * (1 - frac) / frac if frac > 0.001 else None
        per_s = done / elapsed if elapsed > 0 else None
        rate = "-" if per_s is None else \
            (_bytes(per_s) if self.unit == "bytes" else f"{per_s:,.1f} {self.unit}")
        bar = "#" * int(frac * 24)
        done_part = (f"{self.files_done} files done, {self.chunks:,} chunks" if self.unit == "bytes"
                     else f"{done:,}/{total:,} chunks understood" if self.unit == "chunks"
                     else f"{done:,}/{total:,} {self.unit} written")
        line = f"[{bar:<24}] {frac:4.0%}  {done_part}  {rate}/s  ETA {_clock(eta)}  {label}"
        if self.tty:
            pad = max(0, self._width - len(line))
            self.stream.write("\r" + line + " " * pad)
            self._width = len(line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()


def _bytes(n: float) -> str:
    for unit in ("B", "KB", "MB"):
        if n < 1024:
            return f"{n:.0f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"
