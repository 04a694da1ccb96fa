"""Records that ingest yields: located chunks of a document.

A `Location` must be precise enough to reopen the source at the cited place, so every
reader fills what its format knows (page for PDFs, lines for text, times for media) and
leaves the rest `None`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

__all__ = ["Location", "Chunk", "Document", "Cue", "Keyframe", "Definition", "Reference",
           "SECTION_SEP"]

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
    cue_start: int | None = None     # 1-based cue numbers in the subtitle track, inclusive
    cue_end: int | None = None

    @property
    def section_path(self) -> str:
        return SECTION_SEP.join(self.section)


@dataclass(frozen=True)
class Cue:
    """One subtitle cue: what is said between two times (markup already stripped)."""
    index: int                       # 1-based position in the track, in time order
    start_s: float
    end_s: float
    text: str


@dataclass(frozen=True)
class Keyframe:
    """The first frame of a visual scene, kept as a small JPEG for the citation viewer."""
    index: int                       # 0-based position among the video's keyframes
    time_s: float
    width: int
    height: int
    jpeg: bytes = field(repr=False)
    score: float = 1.0               # cut strength; 1.0 for the opening frame


@dataclass(frozen=True)
class Chunk:
    text: str
    location: Location
    ordinal: int                     # position in the document, from 0
    # Media chunks only: the cues whose text makes up `text` (joined by newlines, in
    # order), and the keyframes on screen during the chunk's time span.
    cues: tuple[Cue, ...] = ()
    keyframes: tuple[Keyframe, ...] = ()


@dataclass(frozen=True)
class Definition:
    """A named code unit a reference can point at (function, method, class, ...)."""
    name: str                        # as written: "parse_header"
    qualname: str                    # enclosing units joined by ".": "Request.parse_header"
    kind: str                        # "function" | "method" | "class" | "namespace" | "impl"
    line_start: int                  # 1-based, inclusive, decorators and leading comment included
    line_end: int
    signature: str = ""              # the header up to the body, on one line
    doc: str = ""                    # first line of the docstring or leading comment


@dataclass(frozen=True)
class Reference:
    """A use of a name in code: a call, an import, or an inherited base."""
    name: str                        # the called/imported/inherited name as written
    kind: str                        # "call" | "import" | "inherit"
    line: int                        # 1-based line where the call expression starts
    scope: str | None                # qualname of the enclosing unit; None at module level
    module: str | None = None        # the module it comes from, when an import says so
    receiver: str | None = None      # "self" for self./this. calls, else the object's text
    text: str = ""                   # the source line, stripped


@dataclass
class Document:
    """A file opened by a reader. `chunks()` is lazy so huge files stream."""

    path: str
    modality: str                    # "text" | "markdown" | "pdf" | "epub" | ...
    title: str
    units: int                       # pages for paged formats, lines otherwise (progress total)
    unit_name: str                   # "page" | "line" | "cue" | "second"
    chunks: Iterator[Chunk] = field(repr=False, default_factory=lambda: iter(()))
    # Damage a reader skipped while streaming (e.g. "page 17 is damaged and was skipped");
    # filled as `chunks` is consumed, for the engine to show beside the document.
    warnings: list[str] = field(default_factory=list)
    # Other files the document was read from (a video's sidecar subtitles): their bytes
    # count in the content hash, so editing the subtitles re-reads the video.
    companions: tuple[str, ...] = ()
    # Code only, filled as `chunks` is consumed: the file's symbol graph contribution.
    definitions: list[Definition] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
