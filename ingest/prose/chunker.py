"""Merge paragraphs into located chunks: the one chunking rule every prose reader shares.

Readers only find paragraphs and say where they are; this module decides chunk sizes,
so text, Markdown, PDF and EPUB books are cut the same way. A chunk is consecutive
paragraphs of one section and one page, up to the token budget; a paragraph over the
budget is split first (see `split.py`, and `windows.py` for huge ones), each piece
keeping an exact location.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from typing import Iterable, Iterator, NamedTuple, Sequence

from ingest.records import Chunk, Location
from ingest.tokens import estimate_tokens

from .split import split_spans
from .windows import WINDOW, windows

__all__ = ["Mark", "Para", "chunk_paragraphs", "fit_paragraph"]

PARA_SEP = "\n\n"  # between paragraphs inside one chunk


class Mark(NamedTuple):
    """Where a source line starts inside `Para.text`, and where that is in the source."""
    offset: int                 # index into Para.text
    line: int | None            # 1-based source line (text formats)
    char: int | None            # source offset of Para.text[offset]


@dataclass(frozen=True)
class Para:
    """One paragraph as a reader found it (lines already joined)."""
    text: str
    section: tuple[str, ...] = ()
    page: int | None = None
    page_label: str | None = None
    line_start: int | None = None
    line_end: int | None = None
    char_start: int | None = None
    char_end: int | None = None
    marks: tuple[Mark, ...] = ()   # one per source line, increasing offsets
    lined: bool = False            # verse/code: prefer cutting at line starts

    def locate(self, a: int, b: int, offsets: Sequence[int] | None = None) -> "Para":
        """The piece text[a:b] with its own line and character span (`offsets`: the
        marks' offsets, when the caller locates many pieces of one paragraph)."""
        if not self.marks:
            return replace(self, text=self.text[a:b])
        if offsets is None:
            offsets = [m.offset for m in self.marks]
        first = self.marks[max(0, bisect_right(offsets, a) - 1)]
        last = self.marks[max(0, bisect_right(offsets, b - 1) - 1)]
        cs = None if first.char is None else first.char + max(0, a - first.offset)
        ce = None if last.char is None else last.char + max(0, b - last.offset)
        return replace(self, text=self.text[a:b], line_start=first.line, line_end=last.line,
                       char_start=cs, char_end=ce, marks=())


def fit_paragraph(para: Para, budget: int) -> Iterator[tuple[Para, int]]:
    """(piece, tokens) pairs: the paragraph itself, or its pieces when over the budget.
    A huge paragraph is split window by window (`windows.py`), so memory stays bounded
    whatever its length."""
    cost = estimate_tokens(para.text)
    if cost <= budget:
        yield para, cost
        return
    offsets = [m.offset for m in para.marks]
    starts = offsets[1:] if para.lined else []
    whole = len(para.text) <= WINDOW
    for a, b in windows(para.text):
        part = para.text if whole else para.text[a:b]
        breaks = [x - a for x in starts[bisect_right(starts, a):bisect_left(starts, b)]]
        for x, y, n in split_spans(part, budget, breaks, cost if whole else None):
            yield para.locate(a + x, a + y, offsets), n


def _key(p: Para) -> tuple:
    return (p.section, p.page, p.page_label)


def _chunk(path: str, group: list[Para], ordinal: int) -> Chunk:
    first, last = group[0], group[-1]
    loc = Location(path=path, page=first.page, page_label=first.page_label,
                   line_start=first.line_start, line_end=last.line_end,
                   section=first.section, char_start=first.char_start,
                   char_end=last.char_end)
    return Chunk(text=PARA_SEP.join(p.text for p in group), location=loc, ordinal=ordinal)


def chunk_paragraphs(paras: Iterable[Para], path: str, budget: int) -> Iterator[Chunk]:
    """Lazily merge paragraphs into chunks of <= budget tokens.

    A chunk never spans two sections or two pages: a change of either closes it.
    Ordinals count from 0. Empty paragraphs are ignored.
    """
    group: list[Para] = []
    used = ordinal = 0
    for para in paras:
        if not para.text.strip():
            continue
        for piece, cost in fit_paragraph(para, budget):  # costs add up: PARA_SEP is blank
            if group and (_key(piece) != _key(group[0]) or used + cost > budget):
                yield _chunk(path, group, ordinal)
                ordinal += 1
                group, used = [], 0
            group.append(piece)
            used += cost
    if group:
        yield _chunk(path, group, ordinal)
