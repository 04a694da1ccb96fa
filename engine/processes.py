"""Starting Memex's own Python modules as child processes.

Why one place: the background reader (`memex ingest --no-wait`) and the parse workers
(engine/reading/parse.py) both start `python -m <module>` and must find this copy of
Memex whatever the caller's working folder or PYTHONPATH is.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["module_command"]

_ROOT = str(Path(__file__).resolve().parents[1])


def module_command(module: str, *args: str) -> tuple[list[str], dict[str, str]]:
    """(argv, environment) running `python -m module args...` with this Memex importable."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_ROOT, env.get("PYTHONPATH")) if p)
    return [sys.executable, "-m", module, *args], env
