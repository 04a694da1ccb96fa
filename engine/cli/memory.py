"""Plain-text views of the memory tiers for `memex consolidate` and `memex memory`."""
from __future__ import annotations

import time
from typing import TextIO

from engine.value import Consolidation, MemoryReport

__all__ = ["print_consolidation", "print_memory"]


def _bytes(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def _when(t: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(t))


def print_consolidation(result: Consolidation, out: TextIO) -> None:
    (r0, b0), (r1, b1) = result.dense_before, result.dense_after
    out.write(f"{result.blocks} blocks scored; {len(result.promoted)} promoted, "
              f"{len(result.demoted)} demoted\n")
    for c in result.changes:
        out.write(f"  block {c.block_id}: {c.old} → {c.new} (value {c.value:.2f})\n")
    if result.training is not None:
        t = result.training
        out.write(f"learned from {t.examples} blocks ({t.positives} used in the last week): "
                  f"loss {t.loss_before:.3f} → {t.loss_after:.3f}\n")
    out.write(f"dense index: {r0:,} keys, {_bytes(b0)} → {r1:,} keys, {_bytes(b1)}\n")


def print_memory(report: MemoryReport, out: TextIO) -> None:
    out.write("tier   blocks   chunks   key bytes\n")
    for t in report.tiers:
        out.write(f"{t.tier:<6} {t.blocks:>6} {t.chunks:>8}   {_bytes(t.key_bytes):>9}\n")
    out.write(f"dense index: {report.dense_rows:,} keys, {_bytes(report.dense_bytes)}"
              " (cold keys are parked outside it)\n")
    for title, rows in (("most valuable", report.most), ("least valuable", report.least)):
        if rows:
            out.write(f"\n{title}:\n")
        for b in rows:
            where = " › ".join(b.section) or f"chunks {b.first_chunk}–{b.last_chunk}"
            pin = " [pinned]" if b.pinned else ""
            out.write(f"  {b.value:.2f} {b.tier:<4} {where}{pin} — {b.path}\n")
    if report.last is None:
        out.write("\nnot consolidated yet (memex consolidate)\n")
        return
    at, last = report.last
    out.write(f"\nlast consolidation {_when(at)}: {len(last['promoted'])} promoted, "
              f"{len(last['demoted'])} demoted\n")
    for c in last["promoted"] + last["demoted"]:
        out.write(f"  block {c['block']}: {c['from']} → {c['to']} (value {c['value']:.2f})\n")
