"""Markdown notes and books: paragraphs, with the heading path as their section.

ATX (`#`..`######`) and setext (`===`/`---` underlined) headings nest by level; `#` lines
inside fenced code are code, not headings. Text is kept as written (no markup stripped)
so `text[char_start:char_end]` is exactly the chunk's source, as for plain text. Fenced
code keeps its line breaks and indentation; list items and table rows start new
paragraphs so a list is not glued into one line.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from ingest.records import Document

from .chunker import Para, chunk_paragraphs
from .decode import read_text_file
from .headings import HeadingStack
from .lines import MAX_PARA_LINES, Line, count_lines, iter_lines, para_from_lines

__all__ = ["open_markdown", "markdown_paragraphs"]

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")   # thematic break ***, ---
_ITEM = re.compile(r" {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_TABLE = re.compile(r" {0,3}\|")
_FRONT = re.compile(r"---[ \t]*$")
_H1 = re.compile(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)


def _skip_front_matter(text: str, lines: Iterator[Line]) -> Iterator[Line]:
    """Drop a leading YAML front-matter block (--- ... ---), which is metadata."""
    first = next(lines, None)
    if first is None:
        return
    if not _FRONT.match(text, first.start, first.end):
        yield first
        yield from lines
        return
    held = [first]
    for ln in lines:
        held.append(ln)
        if re.match(r"(---|\.\.\.)[ \t]*$", text[ln.start:ln.end]):
            yield from lines  # closed: the block is dropped
            return
        if len(held) > 200:
            break
    yield from held  # never closed: it was a thematic break after all
    yield from lines


def markdown_paragraphs(text: str) -> Iterator[Para]:
    """Paragraphs of a Markdown document, in order, with heading paths as sections."""
    heads = HeadingStack()
    block: list[Line] = []
    code: list[Line] = []
    fence: str | None = None

    def flush() -> Iterator[Para]:
        nonlocal block
        if block:
            table = bool(_TABLE.match(text, block[0].start, block[0].end))
            yield para_from_lines(text, block, heads.path, keep_lines=table)
            block = []

    for ln in _skip_front_matter(text, iter_lines(text)):
        s = text[ln.start:ln.end]
        if fence is not None:  # inside fenced code
            m = _FENCE.match(s)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                    and not s[m.end():].strip():
                if code:
                    yield para_from_lines(text, code, heads.path, keep_lines=True)
                code, fence = [], None
            else:
                code.append(ln)
                if len(code) >= MAX_PARA_LINES:
                    yield para_from_lines(text, code, heads.path, keep_lines=True)
                    code = []
            continue
        if not s.strip():
            yield from flush()
            continue
        if (m := _FENCE.match(s)):
            yield from flush()
            fence = m.group(1)
            continue
        if (m := _ATX.match(s)):
            yield from flush()
            heads.open(len(m.group(1)), m.group(2) or "")
            continue
        if block and (m := _SETEXT.match(s)) and not _ITEM.match(text, block[0].start):
            title = " ".join(text[b.start:b.end].strip() for b in block)
            heads.open(1 if m.group(1)[0] == "=" else 2, title)
            block = []
            continue
        if _BREAK.match(s):
            yield from flush()
            continue
        if block and (_ITEM.match(s) or len(block) >= MAX_PARA_LINES
                      or bool(_TABLE.match(s)) != bool(_TABLE.match(text, block[0].start))):
            yield from flush()  # a list item, the start/end of a table, or a huge block
        block.append(ln)
    if fence is not None and code:  # unclosed fence runs to the end
        yield para_from_lines(text, code, heads.path, keep_lines=True)
    yield from flush()


def open_markdown(path: Path, *, budget: int) -> Document:
    """Open a Markdown file; the text is decoded now, chunks are made lazily."""
    warnings: list[str] = []   # an encoding that was only guessed
    text = read_text_file(path, warnings)
    m = _H1.search(text)
    return Document(path=str(path), modality="markdown",
                    title=m.group(1).strip() if m else path.stem,
                    units=count_lines(text), unit_name="line",
                    chunks=chunk_paragraphs(markdown_paragraphs(text), str(path), budget),
                    warnings=warnings)
