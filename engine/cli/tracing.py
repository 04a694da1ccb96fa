"""Printing `memex trace` results for a person: grouped by file, in line/page order."""
from __future__ import annotations

from itertools import groupby
from typing import Sequence, TextIO

from engine.recall.trace import Occurrence

__all__ = ["print_trace"]


def _where(o: Occurrence) -> str:
    if o.page is not None:
        return f"page {o.page}"
    if o.line_start is None:
        return ""
    if o.line_end in (None, o.line_start):
        return f"line {o.line_start}"
    return f"lines {o.line_start}-{o.line_end}"


def print_trace(term: str, found: Sequence[Occurrence], out: TextIO) -> None:
    if not found:
        out.write(f"No definition, reference or mention of {term!r}.\n")
        return
    counts = {k: sum(1 for o in found if o.kind == k) for k in ("definition", "reference", "mention")}
    out.write(f"{term}: " + ", ".join(f"{n} {k}{'s' if n != 1 else ''}"
                                      for k, n in counts.items() if n) + "\n")
    for path, group in groupby(found, key=lambda o: o.path):
        out.write(f"\n{path}\n")
        for o in group:
            if o.kind == "definition":
                context = f"defines {o.symbol}"
            elif o.kind == "reference":
                context = f"in {o.symbol}" if o.symbol else "at module level"
            else:
                context = o.section or ""
            out.write(f"  {_where(o):<14} {o.kind:<10} {context}\n      {o.text}\n")
