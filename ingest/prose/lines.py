"""Source lines of decoded text, and paragraphs built from them.

Text and Markdown citations point at 1-based line numbers and at character offsets into
the decoded text, so lines are tracked with their offsets from the start. Line breaks
are \\n, \\r\\n or lone \\r, as editors count them (not str.splitlines, which also breaks at
form feeds and Unicode separators and would shift every later line number).
"""
from __future__ import annotations

import re
from typing import Iterator, NamedTuple, Sequence

from .chunker import Mark, Para

__all__ = ["Line", "iter_lines", "count_lines", "para_from_lines", "MAX_PARA_LINES"]

_BREAK = re.compile(r"\r\n|\r|\n")
# Readers cut a "paragraph" with no blank line for this many lines (a log, a poem with
# no stanza breaks, a huge code block) so one paragraph never holds a whole file.
MAX_PARA_LINES = 200


class Line(NamedTuple):
    no: int       # 1-based line number
    start: int    # offset of its first character in the decoded text
    end: int      # offset just past its last character (line break excluded)


def iter_lines(text: str) -> Iterator[Line]:
    """Every line lazily; a final line break does not start an extra empty line."""
    start, no = 0, 1
    for m in _BREAK.finditer(text):
        yield Line(no, start, m.start())
        start, no = m.end(), no + 1
    if start < len(text):
        yield Line(no, start, len(text))


def count_lines(text: str) -> int:
    """Number of lines `iter_lines` yields, without building them."""
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    return breaks + (0 if not text or text.endswith(("\n", "\r")) else 1)


def para_from_lines(text: str, lines: Sequence[Line], section: tuple[str, ...], *,
                    keep_lines: bool = False, lined: bool = False) -> Para:
    """Join a paragraph's lines: stripped and space-separated for prose (hard wraps
    undone), or newline-separated with indentation kept for code (`keep_lines`)."""
    parts: list[str] = []
    marks: list[Mark] = []
    offset = 0
    sep = "\n" if keep_lines else " "
    spans: list[tuple[int, int]] = []
    for ln in lines:
        raw = text[ln.start:ln.end]
        body = raw.rstrip()
        a = ln.start if keep_lines else ln.start + len(body) - len(body.lstrip())
        b = ln.start + len(body)
        if a >= b and not keep_lines:
            continue
        if parts:
            offset += len(sep)
        marks.append(Mark(offset, ln.no, a))
        parts.append(text[a:b])
        offset += b - a
        spans.append((a, b))
    nonempty = [s for s in spans if s[0] < s[1]] or spans
    return Para(
        text=sep.join(parts), section=section,
        line_start=lines[0].no if lines else None,
        line_end=lines[-1].no if lines else None,
        char_start=nonempty[0][0] if nonempty else None,
        char_end=nonempty[-1][1] if nonempty else None,
        marks=tuple(marks), lined=lined or keep_lines)
