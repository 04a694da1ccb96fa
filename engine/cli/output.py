"""Terminal output that can fail without failing the command.

Why: `memex ingest a.txt b.txt 2>&1 | head -c 80`, or a parent that died, leaves stdout
and stderr writing into a closed pipe. Python then raises BrokenPipeError from whatever
`print` came next: once a progress line, which recorded a good file as failed and
stopped the batch. Here a stream whose write fails goes quiet for good instead; the
reading, the recording and the exit status are the work's alone. Its descriptor is
pointed at /dev/null, so the bytes still buffered cannot fail again when Python flushes
at exit (which would turn the exit status into 120).
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Iterator, TextIO

__all__ = ["QuietOnFailure", "guarded_output"]


class QuietOnFailure:
    """Wraps a text stream: the first failed write or flush silences it."""

    def __init__(self, stream: TextIO):
        self._stream = stream
        self.failed = False

    def write(self, text: str) -> int:
        if not self.failed:
            try:
                return self._stream.write(text)
            except (OSError, ValueError):   # EPIPE and friends; ValueError: closed file
                self._silence()
        return len(text)

    def flush(self) -> None:
        if not self.failed:
            try:
                self._stream.flush()
            except (OSError, ValueError):
                self._silence()

    def isatty(self) -> bool:
        try:
            return not self.failed and self._stream.isatty()
        except (OSError, ValueError):
            return False

    def __getattr__(self, name: str):   # encoding, fileno, ... of the real stream
        return getattr(self._stream, name)

    def _silence(self) -> None:
        self.failed = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):   # no descriptor (a test's capture)
            pass


@contextmanager
def guarded_output() -> Iterator[None]:
    """sys.stdout and sys.stderr quiet on failure inside the block, restored after (a
    silenced descriptor stays on /dev/null, so the exit's flush cannot fail)."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (s if s is None or isinstance(s, QuietOnFailure)
                              else QuietOnFailure(s) for s in saved)
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):   # what is still buffered fails here, quietly
            if stream is not None:
                stream.flush()
        sys.stdout, sys.stderr = saved
