"""Files in, located chunks out: the bottom layer of Memex.

`open_document(path)` returns a `Document` whose `chunks` stream `Chunk` records with a
`Location` precise enough to reopen the source at the cited page or line; `walk(paths)`
expands folders into the files it can read. Source code (`ingest.code`) also fills the
document's `definitions` and `references`, the symbol graph the engine stores. Nothing
here imports the engine or the GUI, and nothing here opens a network socket
(`offline.py`).
"""
from __future__ import annotations

from . import offline  # noqa: F401  first: telemetry off before any parser loads
from .errors import IngestError, MemexError, Skipped
from .formats import SUPPORTED_SUFFIXES
from .opener import open_document
from .records import SECTION_SEP, Chunk, Definition, Document, Location, Reference
from .tokens import estimate_tokens
from .walk import walk

__all__ = ["open_document", "walk", "SUPPORTED_SUFFIXES", "Document", "Chunk", "Location",
           "Definition", "Reference", "SECTION_SEP", "IngestError", "Skipped", "MemexError",
           "estimate_tokens"]
