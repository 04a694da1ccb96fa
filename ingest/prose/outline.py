"""Where sections start on a page: from the document outline, else from font sizes.

An outline (PDF bookmarks, EPUB table of contents) is the author's own structure, so it
wins; an entry starts at its page, at the line whose text matches its title (that line is
then the heading, not body text), else at its destination's y position, else at the page
top. Without an outline, headings are found the way a reader spots them: short lines set
clearly larger than the body text.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import NamedTuple, Protocol, Sequence

from .pagetext import PageLine, page_lines

__all__ = ["Heading", "SectionFinder", "OutlineSections", "FontSections", "font_sections"]

_NON_ALNUM = re.compile(r"[\W_]+")
_MAX_TITLE_LINES = 4          # an outline title may wrap over a few lines on the page
_HEADING_RATIO = 1.15         # heading font >= 1.15 x body font
_MAX_HEADING_CHARS = 120
_SAMPLE_PAGES = 24            # pages read to learn the body and heading font sizes
_LINK_GOTO = 1                 # pymupdf.LINK_GOTO: a destination with a point


class Heading(NamedTuple):
    index: int      # first line of the page at or after which the section starts
    count: int      # lines that are the heading itself (0: the heading is not on the page)
    level: int      # 1 = outermost
    title: str


class SectionFinder(Protocol):
    def headings(self, page: int, lines: Sequence[PageLine]) -> list[Heading]:
        """Headings on 1-based `page`, ordered by `index`."""


def _norm(s: str) -> str:
    return _NON_ALNUM.sub(" ", s.casefold()).strip()


class OutlineSections:
    """Sections from outline rows `[level, title, page, dest]` (PyMuPDF `get_toc(False)`)."""

    def __init__(self, toc: Sequence[Sequence], page_count: int) -> None:
        self.by_page: dict[int, list[tuple[int, str, float | None]]] = defaultdict(list)
        for row in toc:
            level, title, page = int(row[0]), str(row[1]), int(row[2])
            if not 1 <= page <= page_count or not title.strip():
                continue
            dest = row[3] if len(row) > 3 and isinstance(row[3], dict) else {}
            to = dest.get("to")
            y = float(to.y) if to is not None and dest.get("kind") == _LINK_GOTO and to.y > 0 else None
            self.by_page[page].append((max(level, 1), title.strip(), y))

    def __bool__(self) -> bool:
        return bool(self.by_page)

    def headings(self, page: int, lines: Sequence[PageLine]) -> list[Heading]:
        out: list[Heading] = []
        floor = 0   # keep outline order: a later entry never starts before an earlier one
        norms = [_norm(ln.text) for ln in lines]
        for level, title, y in self.by_page.get(page, ()):
            hit = _match(norms, _norm(title), floor)
            if hit:
                out.append(Heading(hit[0], hit[1], level, title))
                floor = hit[0] + hit[1]
                continue
            index = floor
            if y is not None:
                index = next((i for i, ln in enumerate(lines)
                              if (ln.y0 + ln.y1) / 2 >= y - 1.0), len(lines))
            index = max(index, floor)
            out.append(Heading(index, 0, level, title))
            floor = index
        return out


def _match(norms: Sequence[str], title: str, start: int) -> tuple[int, int] | None:
    """(first line, line count) of the lines from `start` whose text is `title`."""
    if not title:
        return None
    for i in range(start, len(norms)):
        acc = ""
        for j in range(i, min(i + _MAX_TITLE_LINES, len(norms))):
            acc = f"{acc} {norms[j]}".strip()
            if acc == title:
                return i, j - i + 1
            if not title.startswith(acc):
                break
    return None


class FontSections:
    """Headings by font size: short lines at >= 1.15 x the body size; the largest such
    size is level 1. Consecutive heading lines of one size in one block are one title."""

    def __init__(self, body: float, heading_sizes: Sequence[float]) -> None:
        self.body = body
        self.sizes = sorted(set(heading_sizes), reverse=True)

    def is_heading(self, ln: PageLine) -> bool:
        return (self.body > 0 and ln.size >= _HEADING_RATIO * self.body
                and len(ln.text) < _MAX_HEADING_CHARS
                and sum(c.isalpha() for c in ln.text) >= 2)

    def level(self, size: float) -> int:
        return 1 + sum(s > size for s in self.sizes)

    def headings(self, page: int, lines: Sequence[PageLine]) -> list[Heading]:
        out: list[Heading] = []
        i = 0
        while i < len(lines):
            ln = lines[i]
            if not self.is_heading(ln):
                i += 1
                continue
            j = i + 1
            while (j < len(lines) and lines[j].block == ln.block and lines[j].size == ln.size
                   and self.is_heading(lines[j])):
                j += 1
            title = " ".join(x.text for x in lines[i:j])
            out.append(Heading(i, j - i, self.level(ln.size), title))
            i = j
        return out


def font_sections(doc) -> FontSections:
    """Learn body and heading sizes from up to `_SAMPLE_PAGES` evenly spread pages."""
    n = doc.page_count
    step = max(1, n / _SAMPLE_PAGES)
    picks = sorted({int(k * step) for k in range(min(n, _SAMPLE_PAGES))})
    chars: Counter[float] = Counter()
    short: set[float] = set()
    for pno in picks:
        try:
            lines = page_lines(doc.load_page(pno))
        except Exception:  # a damaged page says nothing about fonts; the reader reports it
            continue
        for ln in lines:
            chars[ln.size] += len(ln.text)
            if len(ln.text) < _MAX_HEADING_CHARS:
                short.add(ln.size)
    body = chars.most_common(1)[0][0] if chars else 0.0
    return FontSections(body, [s for s in short if body and s >= _HEADING_RATIO * body])
