"""Which pages a damaged PDF lost, from MuPDF's own account of its repairs.

Why: MuPDF opens a truncated PDF, or one with bytes overwritten mid-file, by repairing
it, and then shows the pages it could not rebuild as blank and the streams it could not
inflate as shorter text, without raising. Such a file used to be stored with part of its
text and no word about the rest (a truncated video says where it stopped). So each page
is read between a reset and a read of MuPDF's warnings: a page whose warnings speak of
damage (syntax errors, streams that end early or do not inflate, objects that cannot be
loaded) is damaged, and a damaged page with no text, or a page with no text in a
document MuPDF had to repair, is lost. The reader stores what it could read and names
the lost and damaged pages in the document's warnings.

MuPDF keeps one warning buffer per process, so documents are read one at a time (as the
engine's single writer does); font warnings of sound files are not counted as damage.
"""
from __future__ import annotations

import re

import pymupdf

__all__ = ["DamageLog", "page_list"]

_DAMAGE = re.compile(r"syntax error|zlib error|flate|premature end|cannot load|not a stream|"
                     r"length incorrect|expected 'endobj'|repair|invalid key|hex string|"
                     r"truncated|unexpected end|broken xref", re.I)


class DamageLog:
    """Call `page_start()` before a page is loaded and `page_end(page_no, has_text)` after
    its text is extracted; `warnings(doc)` at the end says what was lost."""

    def __init__(self) -> None:
        self.lost: list[int] = []       # damaged, and nothing of it could be read
        self.partial: list[int] = []    # damaged, but some text was read
        self.blank: list[int] = []      # no text and no damage seen (yet): lost if repaired

    def page_start(self) -> None:
        pymupdf.TOOLS.reset_mupdf_warnings()

    def page_end(self, page_no: int, has_text: bool) -> None:
        damaged = bool(_DAMAGE.search(pymupdf.TOOLS.mupdf_warnings() or ""))
        if damaged:
            (self.partial if has_text else self.lost).append(page_no)
        elif not has_text:
            self.blank.append(page_no)

    def warnings(self, doc) -> list[str]:
        """The sentences for the document's warnings. Repair can happen late (when a
        later page needs a broken object), so blank pages are judged here, at the end."""
        try:
            repaired = bool(doc.is_repaired)
        except Exception:
            repaired = False
        lost = sorted(self.lost + (self.blank if repaired else []))
        out = []
        if lost:
            out.append(f"the PDF is damaged (truncated or corrupted): {page_list(lost)} "
                       f"could not be read and {'was' if len(lost) == 1 else 'were'} "
                       f"left out")
        if self.partial:
            whose = "its" if len(self.partial) == 1 else "their"
            out.append(f"the PDF is damaged: {page_list(self.partial)} may be missing part "
                       f"of {whose} text")
        return out


def page_list(pages: list[int]) -> str:
    """'page 4', 'pages 4–8', 'pages 2, 5 and 7–9' (1-based, sorted, no repeats)."""
    runs: list[list[int]] = []
    for p in sorted(set(pages)):
        if runs and p == runs[-1][1] + 1:
            runs[-1][1] = p
        else:
            runs.append([p, p])
    parts = [f"{a}" if a == b else f"{a}–{b}" for a, b in runs]
    word = "page" if len(runs) == 1 and runs[0][0] == runs[0][1] else "pages"
    return f"{word} {parts[0]}" if len(parts) == 1 else \
        f"{word} {', '.join(parts[:-1])} and {parts[-1]}"
