"""Peak memory of a piece of work, measured in a fresh process.

Why VmHWM from /proc/self/status and not ru_maxrss: Linux carries ru_maxrss over fork
and exec, so a child of a large pytest process starts with its parent's peak as its own
and any smaller peak is invisible (a regression measured that way passed). VmHWM belongs
to the new process's address space and starts at its own level.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

__all__ = ["peak_above_idle"]

ROOT = Path(__file__).resolve().parents[1]
_STATUS = Path("/proc/self/status")
_HARNESS = """\
import json, sys

def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024

{setup}
idle = hwm()
result = None
{work}
print(json.dumps({{"above_idle": hwm() - idle, "result": result}}))
"""


def peak_above_idle(setup: str, work: str, *args: str, timeout: float = 300) -> dict:
    """Run `setup` (imports), note the resident high-water mark, run `work` (which may set
    `result`), and return {"above_idle": bytes the peak rose, "result": result}.
    `args` reach the code as sys.argv[1:]."""
    if not _STATUS.exists() or "VmHWM" not in _STATUS.read_text():
        pytest.skip("peak memory is read from /proc/self/status (Linux only)")
    code = _HARNESS.format(setup=setup, work=work)
    out = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, check=True,
                         capture_output=True, text=True, timeout=timeout).stdout
    return json.loads(out.strip().splitlines()[-1])
