"""Page furniture: running headers, footers and page numbers printed on every page.

They are not part of the text a person would quote, and left in they glue "37" or
"Shared MIME-info Database" into the middle of paragraphs, so they are dropped before
paragraphs are built. A line counts as furniture only at the very top or bottom of a
page, and only when it is a bare page number or repeats the edge line of one of the two
previous pages (books alternate headers on left and right pages); the page's own number
or label inside such a line is ignored when comparing, so "Spec 8" and "Spec 9" match.
"""
from __future__ import annotations

import re
from collections import deque
from typing import Sequence

from .pagetext import PageLine

__all__ = ["Furniture", "clean_label"]

_PAGE_NUMBER = re.compile(r"(?i)(?:page\s+)?(?:\d{1,4}|[ivxlcdm]{1,8})(?:\s+of\s+\d{1,4})?")
_HEX_STRING = re.compile(r"<([0-9A-Fa-f]{4,})>")
_MAX_FURNITURE = 100   # characters; a running header is short


def clean_label(label: str | None) -> str | None:
    """Page label as printed: decode hex strings some PDFs store ("<FEFF0031>" -> "1")."""
    if not label:
        return None

    def decode(m: re.Match) -> str:
        raw = bytes.fromhex(m.group(1)[: len(m.group(1)) // 2 * 2])
        if raw.startswith(b"\xfe\xff"):
            return raw[2:].decode("utf-16-be", errors="replace")
        return raw.decode("latin-1")
    return _HEX_STRING.sub(decode, label).strip() or None


class Furniture:
    """Remembers the edge lines of the last two pages to spot repeated headers/footers."""

    def __init__(self) -> None:
        self.tops: deque[str] = deque(maxlen=2)
        self.bottoms: deque[str] = deque(maxlen=2)

    def strip(self, lines: Sequence[PageLine], page: int, label: str | None) -> list[PageLine]:
        """`lines` without the furniture rows at their top and bottom edges."""
        out = list(lines)
        numbers = {str(page), label or ""}
        top = _row(out, 0)
        bottom = _row(out, len(out) - 1)
        top_text = " ".join(ln.text for ln in out[top])
        bottom_text = " ".join(ln.text for ln in out[bottom])
        top_norm, bottom_norm = _norm(top_text, numbers), _norm(bottom_text, numbers)
        drop_top = len(out) > 1 and self._is_furniture(top_text, top_norm, self.tops)
        drop_bottom = (len(out) > 1 and bottom.start > top.stop - 1
                       and self._is_furniture(bottom_text, bottom_norm, self.bottoms))
        self.tops.append(top_norm)
        self.bottoms.append(bottom_norm)
        keep = range(top.stop if drop_top else 0, bottom.start if drop_bottom else len(out))
        return [out[i] for i in keep] if keep else []

    @staticmethod
    def _is_furniture(text: str, norm: str, seen: deque[str]) -> bool:
        if len(text) > _MAX_FURNITURE:
            return False
        return bool(_PAGE_NUMBER.fullmatch(text.strip())) or not norm or norm in seen


def _norm(text: str, numbers: set[str]) -> str:
    """Casefolded words with the page's own number or label dropped from either end."""
    words = text.split()
    if words and words[-1] in numbers:
        words.pop()
    if words and words[0] in numbers:
        words.pop(0)
    return " ".join(words).casefold()


def _row(lines: Sequence[PageLine], i: int) -> slice:
    """The lines printed on the same row as lines[i] at a page edge (a header often
    comes out as two lines: "Chapter 4: Function reference" and "18")."""
    if not lines:
        return slice(0, 0)
    y = lines[i].y0
    if i == 0:
        j = 1
        while j < len(lines) and abs(lines[j].y0 - y) < 2.0:
            j += 1
        return slice(0, j)
    j = i
    while j > 0 and abs(lines[j - 1].y0 - y) < 2.0:
        j -= 1
    return slice(j, i + 1)
