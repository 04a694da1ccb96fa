"""MuPDF's own error text, which it lays out as if it were the book's, taken back out.

Why: when an EPUB's spine names a chapter the archive lacks (`../evil.txt`), MuPDF does
not fail: it lays out `ERROR: cannot find chapter "evil.txt"` in the chapter's place
(the one such template in MuPDF 1.26, `<p><i>ERROR: cannot find chapter %<</i></p>`),
and search used to find that line as the page's content. A text block that is exactly
this message is dropped here and becomes a warning naming the chapter and the page, so
the loss is reported and parser text is never stored as the author's.
"""
from __future__ import annotations

import re
from itertools import groupby

from .pagetext import PageLine

__all__ = ["drop_mupdf_errors"]

_MISSING_CHAPTER = re.compile(r'ERROR: cannot find chapter "(.+)"', re.S)


def drop_mupdf_errors(lines: list[PageLine], page: int, warnings: list[str]) -> list[PageLine]:
    """`lines` without MuPDF's error blocks; one warning per block dropped."""
    kept: list[PageLine] = []
    for _, block in groupby(lines, key=lambda ln: ln.block):
        block = list(block)
        found = _MISSING_CHAPTER.fullmatch(" ".join(ln.text for ln in block))
        if found:
            warnings.append(f'the chapter "{found.group(1)}" is missing from the EPUB, '
                            f"so page {page} lost its text")
        else:
            kept += block
    return kept
