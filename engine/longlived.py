"""What a process builds at startup lives as long as it: keep it out of the cyclic GC.

Why: torch, transformers and Qt leave hundreds of thousands of objects behind them. A
full collection walks them all holding the GIL, long enough to be seen, so whichever
thread happens to trigger one freezes every other, a window's UI thread included.
`gc.freeze()` moves them out of the collector's sight; at exit they are handed back so
that finalisation collects them as before (extension modules otherwise report them as
leaks).
"""
from __future__ import annotations

import atexit
import gc

__all__ = ["freeze_startup_objects"]

_handed_back = False


def freeze_startup_objects() -> None:
    """Freeze every object alive now; cheap, and safe to call again later."""
    global _handed_back
    gc.freeze()
    if not _handed_back:
        atexit.register(gc.unfreeze)
        _handed_back = True
