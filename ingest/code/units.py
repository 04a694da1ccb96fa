"""Cutting a file into code units: whole functions, methods and classes where they fit.

A definition that fits the token budget is one chunk, whatever it contains. One that does
not is opened: a class becomes its header/attribute pieces plus one unit per method; a
long function is split between its body's statements, every piece keeping the qualified
name. Code between definitions (imports, constants, `if __name__ == ...`) forms its own
units, cut at statement starts. Spans are whole lines so every chunk cites exact lines.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate

from .source import Source
from .symbols import DefNode

__all__ = ["Span", "cut_units"]

Span = tuple[int, int, "str | None"]       # first row, last row (0-based, inclusive), symbol

_PIECE = re.compile(r"\w+|[^\w\s]", re.UNICODE)
_LONG = re.compile(r"\w{8,}", re.UNICODE)


def _line_cost(line: str) -> int:
    """`estimate_tokens(line)` computed with two C-level scans instead of a Python loop
    over every piece (a repository has millions of lines): each piece counts 1, and each
    word run of 8+ characters adds len // 8, exactly as the estimate does."""
    extra = sum(len(w) // 8 for w in _LONG.findall(line)) if len(line) >= 8 else 0
    return len(_PIECE.findall(line)) + extra


def _statement_rows(s: Source, roots: list[DefNode]) -> list[int]:
    """Rows where a statement starts: allowed cut points between pieces."""
    rows = {c.start_point.row for c in s.tree.root_node.named_children}
    todo = list(roots)
    while todo:
        d = todo.pop()
        todo.extend(d.children)
        body = d.node.child_by_field_name("body")
        if body is None:
            continue
        for c in body.named_children:
            rows.add(c.start_point.row)
            if c.type in ("block", "statement_block", "compound_statement"):
                rows.update(g.start_point.row for g in c.named_children)
    return sorted(rows)


class _Cutter:
    def __init__(self, s: Source, roots: list[DefNode], budget: int):
        self.lines = s.lines
        self.budget = budget
        cost = [_line_cost(ln) + 1 for ln in s.lines]   # +1: the newline
        self.prefix = [0, *accumulate(cost)]
        self.cuts = _statement_rows(s, roots)
        self.out: list[Span] = []

    def cost(self, a: int, b: int) -> int:
        return self.prefix[b + 1] - self.prefix[a]

    def region(self, a: int, b: int, children: list[DefNode], symbol: str | None) -> None:
        cur = a
        for ch in children:
            start, end = max(ch.start, cur), min(ch.end, b)
            if end < start:
                continue
            if start > cur:
                self.gap(cur, start - 1, symbol)
            self.definition(ch, start, end)
            cur = end + 1
        if cur <= b:
            self.gap(cur, b, symbol)

    def definition(self, d: DefNode, a: int, b: int) -> None:
        if self.cost(a, b) <= self.budget:
            self.emit(a, b, d.qualname)
        elif d.children:
            self.region(a, b, d.children, d.qualname)
        else:
            self.gap(a, b, d.qualname)

    def gap(self, a: int, b: int, symbol: str | None) -> None:
        """Pack rows a..b into pieces within budget, cutting at statement starts."""
        while a <= b and not self.lines[a].strip():
            a += 1
        while b >= a and not self.lines[b].strip():
            b -= 1
        if a > b:
            return
        lo, hi = bisect_right(self.cuts, a), bisect_left(self.cuts, b + 1)
        bounds = [a, *self.cuts[lo:hi], b + 1]
        start = a
        for i in range(1, len(bounds)):
            nxt = bounds[i]
            if self.cost(start, nxt - 1) <= self.budget:
                continue
            prev = bounds[i - 1]
            if prev > start:                        # close the piece at the last cut
                self.emit(start, prev - 1, symbol)
                start = prev
            if self.cost(start, nxt - 1) > self.budget:   # one statement too big: by lines
                start = self.by_lines(start, nxt - 1, symbol)
        if start <= b:
            self.emit(start, b, symbol)

    def by_lines(self, a: int, b: int, symbol: str | None) -> int:
        """Emit full pieces of rows a..b; return the first row not yet emitted."""
        start = a
        for row in range(a, b + 1):
            if row > start and self.cost(start, row) > self.budget:
                self.emit(start, row - 1, symbol)
                start = row
        return start

    def emit(self, a: int, b: int, symbol: str | None) -> None:
        while a <= b and not self.lines[a].strip():
            a += 1
        while b >= a and not self.lines[b].strip():
            b -= 1
        if a <= b:
            self.out.append((a, b, symbol))


def cut_units(s: Source, roots: list[DefNode], budget: int) -> list[Span]:
    """Spans in file order covering every non-blank line once."""
    c = _Cutter(s, roots, budget)
    c.region(0, len(s.lines) - 1, roots, None)
    return c.out
