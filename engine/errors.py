"""Errors the engine raises. Only `app/` renders them, and never renders `Cancelled`."""
from __future__ import annotations

from ingest.errors import IngestError, MemexError

__all__ = ["MemexError", "IngestError", "StoreError", "ModelError", "Cancelled"]


class StoreError(MemexError):
    """The library file cannot be opened, migrated or written."""


class ModelError(MemexError):
    """The answering model or the encoder cannot be loaded or run."""


class Cancelled(Exception):
    """A person stopped the work. Not an error: nothing is shown for it."""
