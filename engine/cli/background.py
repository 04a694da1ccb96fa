"""Phase 2 of reading left to a background process: what `memex ingest --no-wait` starts.

Why a detached process: the command returns as soon as its files are readable, and the
understanding must still finish whether or not the terminal stays open. The process takes
the library's "understand" lock (engine/store/writer.py `exclusive_job`), so a second one,
or a later `memex ingest`, waits for it instead of encoding the same documents twice.
Its output goes to `understand.log` in the library folder.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from engine.processes import module_command

__all__ = ["LOG_NAME", "start_understanding"]

LOG_NAME = "understand.log"


def start_understanding(library: Path) -> int | None:
    """Start `memex understand` on `library` in its own session; returns its pid, or None
    when $MEMEX_NO_BACKGROUND=1 asks to leave the documents readable (tests, scripts that
    run `memex understand` themselves)."""
    if os.environ.get("MEMEX_NO_BACKGROUND") == "1":
        return None
    if getattr(sys, "frozen", False):       # the packaged app: its executable is `memex`
        cmd, env = [sys.executable, "understand", "--library", str(library)], dict(os.environ)
    else:
        cmd, env = module_command("engine.cli", "understand", "--library", str(library))
    with open(Path(library) / LOG_NAME, "ab") as log:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                env=env, start_new_session=True, close_fds=True)
    return proc.pid
