"""Running the real `memex` command line in a subprocess."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEMEX = [sys.executable, "-m", "engine.cli"]


def env(**extra: str) -> dict:
    e = dict(os.environ, PYTHONUNBUFFERED="1", HF_HUB_OFFLINE="1")
    e.update(extra)
    return e


def memex(*args: str, check: bool = True, timeout: float = 300, **env_extra: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([*MEMEX, *map(str, args)], cwd=ROOT, env=env(**env_extra),
                          capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"memex {args} exited {proc.returncode}\n{proc.stderr}")
    return proc


def memex_json(*args: str, **kw) -> dict:
    return json.loads(memex(*args, **kw).stdout)
