"""Small helpers the bench scripts share: percentiles, progress, the final JSON line."""
from __future__ import annotations

import json
import math
import sys
import time
from typing import Callable

__all__ = ["percentile", "stderr_progress", "emit"]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100), so small samples give an observed value."""
    if not values:
        return float("nan")
    ranked = sorted(values)
    index = min(len(ranked) - 1, max(0, math.ceil(q / 100 * len(ranked)) - 1))
    return ranked[index]


def stderr_progress(every_s: float = 5.0) -> Callable[[int, int, str], None]:
    """A `report(done, total, label)` that prints to stderr at most every `every_s`."""
    last = [0.0]

    def report(done: int, total: int, label: str = "") -> None:
        now = time.monotonic()
        if now - last[0] >= every_s or (total and done >= total):
            last[0] = now
            print(f"  .. {done}/{total} {label}", file=sys.stderr, flush=True)

    return report


def emit(result: dict) -> None:
    """The one machine-readable line every bench script ends with."""
    print(json.dumps(result, sort_keys=True), flush=True)
