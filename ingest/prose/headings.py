"""The open heading path that every reader keeps while it walks a document in order."""
from __future__ import annotations

__all__ = ["HeadingStack"]


class HeadingStack:
    """Nested headings, outermost first. Opening a heading closes every open heading of
    the same or a deeper level, so "## B" after "## A" replaces A under the same "#"."""

    def __init__(self) -> None:
        self._stack: list[tuple[int, str]] = []

    def open(self, level: int, title: str) -> None:
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        self._stack.append((level, " ".join(title.split())))

    def retitle(self, title: str) -> None:
        """Rename the innermost open heading (its title turned up on a later line)."""
        if self._stack:
            self._stack[-1] = (self._stack[-1][0], " ".join(title.split()))

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(t for _, t in self._stack)
