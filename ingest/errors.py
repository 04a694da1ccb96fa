"""Typed, user-facing errors.

They live in `ingest` because it is the bottom layer: `engine` and `app` import them from
here (through `engine.errors`), never the other way round.
"""
from __future__ import annotations

__all__ = ["MemexError", "IngestError", "Skipped"]


class MemexError(Exception):
    """Base of every error Memex shows a person; `reason` is a full sentence for them."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class IngestError(MemexError):
    """A file could not be read; the batch goes on without it."""

    def __init__(self, path: str, reason: str):
        super().__init__(reason)
        self.path = str(path)

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class Skipped(IngestError):
    """A file or folder deliberately passed over (vendored, minified, generated, binary,
    too big): reported with its reason, but not a failure of the batch."""
