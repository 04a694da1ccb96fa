"""One page of a PyMuPDF document as located lines, and lines joined into paragraphs.

Lines come from `page.get_text("dict")` in PyMuPDF's own order (the content order that
`page.get_text()` also uses, which is reading order for single-column text), each with
its dominant font size (for heading detection) and its offset into `page.get_text()`
(for citations). Paragraphs are the text blocks, split further where a vertical gap
larger than a line's height separates lines, and where a heading interrupts them.
"""
from __future__ import annotations

from collections import Counter
from typing import NamedTuple, Sequence

import pymupdf

from .chunker import Mark, Para

__all__ = ["PageLine", "page_lines", "para_from_page_lines", "starts_paragraph"]

_SOFT_HYPHEN = "\u00ad"
_GAP_FACTOR = 0.8   # a blank of this many line heights between lines starts a paragraph


class PageLine(NamedTuple):
    text: str      # the line's text, stripped
    size: float    # font size covering most of its characters, rounded to 0.5 pt
    y0: float      # top and bottom, PyMuPDF coordinates (y grows downwards)
    y1: float
    char: int      # offset of `text` in page.get_text()
    block: int     # index of the text block it belongs to


def page_lines(page) -> list[PageLine]:
    """The page's non-blank text lines in extraction order."""
    # One text page for both extractions, with get_text()'s default flags, so the
    # "dict" lines and the plain text come from the same analysis (and it runs once).
    tp = page.get_textpage(flags=pymupdf.TEXTFLAGS_TEXT)
    plain = page.get_text(textpage=tp)
    lines: list[PageLine] = []
    cursor = 0
    blocks = [b for b in page.get_text("dict", textpage=tp)["blocks"] if b.get("type") == 0]
    for bi, block in enumerate(blocks):
        for line in block.get("lines", ()):
            spans = line.get("spans", ())
            raw = "".join(s["text"] for s in spans)
            text = raw.strip()
            if not text:
                continue
            sizes: Counter[float] = Counter()
            for s in spans:
                sizes[round(s["size"] * 2) / 2] += len(s["text"].strip())
            pos = plain.find(text, cursor)
            if pos < 0:              # extraction differs slightly: keep the last position
                pos = min(cursor, len(plain))
            else:
                cursor = pos + len(text)
            y0, y1 = line["bbox"][1], line["bbox"][3]
            lines.append(PageLine(text, sizes.most_common(1)[0][0], y0, y1, pos, bi))
    return lines


def starts_paragraph(prev: PageLine, line: PageLine) -> bool:
    """Whether `line` begins a new paragraph after `prev` (new block or a tall gap)."""
    if line.block != prev.block:
        return True
    height = max(prev.y1 - prev.y0, 1.0)
    return line.y0 - prev.y1 > _GAP_FACTOR * height


def para_from_page_lines(lines: Sequence[PageLine], section: tuple[str, ...], page: int,
                         label: str | None) -> Para:
    """Join a paragraph's lines, undoing words hyphenated across line ends."""
    text = ""
    marks: list[Mark] = []
    for ln in lines:
        part = ln.text
        if not text:
            pass
        elif text.endswith(_SOFT_HYPHEN):
            text = text[:-1]
        elif text[-1] == "-" and text[-2:-1].isalpha() and part[:1].islower():
            text = text[:-1]       # "hyphen-" + "ated" -> "hyphenated"
        else:
            text += " "
        marks.append(Mark(len(text), None, ln.char))
        text += part
    text = text.replace(_SOFT_HYPHEN, "")
    last = lines[-1]
    return Para(text=text, section=section, page=page, page_label=label,
                char_start=lines[0].char, char_end=last.char + len(last.text),
                marks=tuple(marks))
