"""Files in, located chunks out: the bottom layer of Memex.

`open_document(path)` returns a `Document` whose `chunks` stream `Chunk` records with a
`Location` precise enough to reopen the source at the cited page or line; `walk(paths)`
expands folders into the files it can read. Source code (`ingest.code`) also fills the
document's `definitions` and `references`, the symbol graph the engine stores. Nothing
here imports the engine or the GUI, and nothing here opens a network socket
(`offline.py`).
"""
from __future__ import annotations

import importlib

from . import offline  # noqa: F401  first: telemetry off before any parser loads

__all__ = ["open_document", "walk", "SUPPORTED_SUFFIXES", "Document", "Chunk", "Location",
           "Definition", "Reference", "SECTION_SEP", "IngestError", "Skipped", "MemexError",
           "estimate_tokens"]

# Names load on first use (PEP 562): code that needs only `records` or `errors` does not
# import every parser (PyMuPDF, PyAV, tree-sitter) with them.
_WHERE = {"IngestError": "errors", "MemexError": "errors", "Skipped": "errors",
          "SUPPORTED_SUFFIXES": "formats", "open_document": "opener", "SECTION_SEP": "records",
          "Chunk": "records", "Definition": "records", "Document": "records",
          "Location": "records", "Reference": "records", "estimate_tokens": "tokens",
          "walk": "walk"}


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    # kept as the package's own: importing `ingest.walk` made `walk` name the submodule
    globals()[name] = value
    return value
