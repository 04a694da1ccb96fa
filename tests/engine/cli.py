"""Running the real `memex` command line in a subprocess."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Callable

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


def kill_at_line(*args: str, when: Callable[[str], bool]) -> tuple[int, list[str]]:
    """Run `memex args` and SIGKILL it at the first stderr line `when` accepts (a moment
    in its progress, not a clock time); → (return code, the stderr lines seen)."""
    proc = subprocess.Popen([*MEMEX, *map(str, args)], cwd=ROOT, env=env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen: list[str] = []
    try:
        for line in proc.stderr:
            seen.append(line)
            if when(line):
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    return proc.returncode, seen
