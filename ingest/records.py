"""Records that ingest yields: located chunks of a document.

A `Location` must be precise enough to reopen the source at the cited place, so every
reader fills what its format knows (page for PDFs, lines for text, times for media) and
leaves the rest `None`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

__all__ = ["Location", "Chunk", "Document", "SECTION_SEP"]

SECTION_SEP = " › "  # how a section path is shown and stored as one string


@dataclass(frozen=True)
class Location:
    path: str                        # absolute path of the source file
    page: int | None = None          # 1-based physical page (PDF/EPUB)
    page_label: str | None = None    # printed page label, when the PDF defines one
    line_start: int | None = None    # 1-based, inclusive (text, Markdown, code)
    line_end: int | None = None
    section: tuple[str, ...] = ()    # heading path, outermost first
    char_start: int | None = None    # offsets into the page text (PDF/EPUB) or file text
    char_end: int | None = None
    start_s: float | None = None     # media time span, seconds
    end_s: float | None = None
    symbol: str | None = None        # qualified name of a code unit

    @property
    def section_path(self) -> str:
        return SECTION_SEP.join(self.section)


@dataclass(frozen=True)
class Chunk:
    text: str
    location: Location
    ordinal: int                     # position in the document, from 0


@dataclass
class Document:
    """A file opened by a reader. `chunks()` is lazy so huge files stream."""

    path: str
    modality: str                    # "text" | "markdown" | "pdf" | "epub" | ...
    title: str
    units: int                       # pages for paged formats, lines otherwise (progress total)
    unit_name: str                   # "page" | "line"
    chunks: Iterator[Chunk] = field(repr=False, default_factory=lambda: iter(()))
    # Damage a reader skipped while streaming (e.g. "page 17 is damaged and was skipped");
    # filled as `chunks` is consumed, for the engine to show beside the document.
    warnings: list[str] = field(default_factory=list)
