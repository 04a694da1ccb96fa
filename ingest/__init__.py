"""Files in, located chunks out: the bottom layer of Memex.

`open_document(path)` returns a `Document` whose `chunks` stream `Chunk` records with a
`Location` precise enough to reopen the source at the cited page or line; `walk(paths)`
expands folders into the files it can read. Nothing here imports the engine or the GUI.
"""
from __future__ import annotations

from .errors import IngestError, MemexError
from .formats import SUPPORTED_SUFFIXES
from .opener import open_document
from .records import SECTION_SEP, Chunk, Document, Location
from .tokens import estimate_tokens
from .walk import walk

__all__ = ["open_document", "walk", "SUPPORTED_SUFFIXES", "Document", "Chunk", "Location",
           "SECTION_SEP", "IngestError", "MemexError", "estimate_tokens"]
