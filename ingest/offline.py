"""Offline by construction: what phones home is kept from loading, or told not to.

Why: PyMuPDF 2 imports its optional add-ons `pymupdf.layout` and `pymupdf4llm` whenever
they are installed (they come with it), and both load onnxruntime, whose telemetry
looks up mobile.events.data.microsoft.com a few seconds later: DNS queries on every
`memex ingest` or `memex search`, from an app that says nothing leaves the machine.
Memex uses neither add-on (only `get_text`, `get_text("dict")` and rendering), so they
are marked unimportable before PyMuPDF loads; PyMuPDF catches the ImportError and works
as without them (and imports faster, since onnxruntime stays unloaded). Anything else
that loads onnxruntime, and the Hugging Face hub under sentence-transformers, still finds
its telemetry switched off in the environment, which they read when they start.

This module must run before the first `import pymupdf`: `ingest/__init__.py` imports it
first, and `engine/__init__.py` imports `ingest` for engine modules that load PyMuPDF
themselves. A test (tests/engine/test_offline.py) traces `memex` for network sockets.
"""
from __future__ import annotations

import os
import sys

__all__ = ["TELEMETRY_OFF", "UNUSED_ADDONS", "seal"]

# Set, not defaulted: an inherited "0" must not switch telemetry back on.
TELEMETRY_OFF = {
    "ORT_DISABLE_TELEMETRY": "1",             # onnxruntime's 1DS events
    "HF_HUB_DISABLE_TELEMETRY": "1",          # huggingface_hub usage pings
    "PYMUPDF_SUGGEST_LAYOUT_ANALYZER": "0",   # no "install pymupdf_layout" line on stdout
}
UNUSED_ADDONS = ("pymupdf.layout", "pymupdf4llm")   # both load onnxruntime


def seal() -> None:
    """Switch telemetry off and keep PyMuPDF's unused add-ons from loading.

    An add-on already imported (PyMuPDF loaded before this module) is left in place:
    replacing a live module would break its users; the environment still applies to
    whatever starts later."""
    os.environ.update(TELEMETRY_OFF)
    for name in UNUSED_ADDONS:
        sys.modules.setdefault(name, None)   # None: `import name` raises ImportError


seal()
