"""Plain-text books: paragraphs between blank lines, sections from chapter headings.

Project Gutenberg and similar plain-text books mark structure only by heading lines
("CHAPTER I. Down the Rabbit-Hole", "BOOK I", "PART TWO", "ACT II", "SCENE III."), so
those lines become the section path of the paragraphs that follow them and are not
chunk text themselves. Citations are 1-based line numbers plus offsets into the decoded
text, so `text[char_start:char_end]` is a chunk's source span.
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

__all__ = ["open_text", "text_paragraphs", "heading_kind"]

_CARDINAL = ("ONE|TWO|THREE|FOUR|FIVE|SIX|SEVEN|EIGHT|NINE|TEN|ELEVEN|TWELVE|THIRTEEN|"
             "FOURTEEN|FIFTEEN|SIXTEEN|SEVENTEEN|EIGHTEEN|NINETEEN")
_TENS = "TWENTY|THIRTY|FORTY|FIFTY|SIXTY|SEVENTY|EIGHTY|NINETY"
_ORDINAL = ("FIRST|SECOND|THIRD|FOURTH|FIFTH|SIXTH|SEVENTH|EIGHTH|NINTH|TENTH|ELEVENTH|"
            "TWELFTH|LAST|FINAL")
_NUMBER = (rf"[IVXLCDM]+|[ivxlcdm]+|\d+[A-Za-z]?|(?i:(?:{_TENS})(?:[- ](?:{_CARDINAL}))?"
           rf"|{_CARDINAL}|{_ORDINAL})")
_KINDS = "VOLUME|BOOK|PART|CHAPTER|ACT|SCENE"
# Keyword in capitals or Title case, a number, then nothing, punctuation and a title,
# or a capitalised title ("Part two of the plan..." is prose, not a heading).
_NUMBERED = re.compile(
    rf"(?P<kind>{_KINDS}|{_KINDS.title()})\s+(?P<num>{_NUMBER})"
    r"(?:\s*$|\s*[.:—–-]|\s+[^\s\w]*[^\W_a-z])")
_NAMED = re.compile(r"(?P<kind>PREFACE|PROLOGUE|EPILOGUE|INTRODUCTION|CONCLUSION|APPENDIX|"
                    r"AFTERWORD|FOREWORD)\b[.:]?(?:\s+[^\s\w]*[^\W_a-z].*)?$")
_BARE = re.compile(rf"(?:{_KINDS}|{_KINDS.title()})\s+(?:{_NUMBER})\s*[.:]?")
_SUBTITLE_END = re.compile(r"[.,;:'`\"”’)\]]$")   # a chapter title does not end like prose
_TITLE = re.compile(r"^\s*Title:\s*(\S.*?)\s*$", re.MULTILINE)
_MAX_HEADING = 80        # a heading line is short
_MAX_TITLE_LINES = 3     # "CHAPTER I." + a title wrapped over up to two lines
_CHAPTER, _SCENE = 10, 11  # ranks; VOLUME/BOOK/PART rank by first appearance (< 10)


def heading_kind(line: str) -> str | None:
    """The heading keyword ("CHAPTER", "SCENE", ...) if `line` is a heading line."""
    s = line.strip()
    if not s or len(s) > _MAX_HEADING:
        return None
    m = _NUMBERED.match(s) or _NAMED.match(s)
    return m.group("kind").upper() if m else None


class _Sections(HeadingStack):
    """Heading path where VOLUME/BOOK/PART rank by first appearance (a book may put
    BOOKs inside PARTs or the reverse), CHAPTER/ACT below them and SCENE below ACT."""

    def __init__(self) -> None:
        super().__init__()
        self.outer: dict[str, int] = {}

    def open_kind(self, kind: str, title: str) -> None:
        if kind == "SCENE":
            rank = _SCENE
        elif kind in ("VOLUME", "BOOK", "PART"):
            rank = self.outer.setdefault(kind, len(self.outer) + 1)
        else:
            rank = _CHAPTER
        self.open(rank, title)


def _join_title(head: str, rest: str) -> str:
    """"CHAPTER I" + "Down the Rabbit-Hole" -> "CHAPTER I. Down the Rabbit-Hole"."""
    head, rest = " ".join(head.split()), " ".join(rest.split())
    if not rest:
        return head
    return f"{head} {rest}" if head[-1] in ".:—–-" else f"{head}. {rest}"


def _is_subtitle(lines: list[str]) -> bool:
    """A lone short line that reads like a chapter title ("Down the Rabbit-Hole")."""
    if len(lines) != 1:
        return False
    s = lines[0].strip()
    return (0 < len(s) <= 60 and (s[0].isupper() or s[0].isdigit())
            and not _SUBTITLE_END.search(s) and heading_kind(s) is None)


def _block_paras(text: str, block: list[Line], sections: _Sections,
                 bare: bool, more: bool = False) -> Iterator[Para]:
    """Paragraphs of one blank-line-separated block; `bare`: the previous block was a
    heading without a title, so a lone title-like line here completes it; `more`: this
    continues a block cut at MAX_PARA_LINES, so it holds no heading."""
    lines = [text[ln.start:ln.end] for ln in block]
    if more:
        yield para_from_lines(text, block, sections.path, lined=_looks_lined(lines))
        return
    if bare and _is_subtitle(lines):
        sections.retitle(_join_title(sections.path[-1], lines[0]))
        return
    kind = heading_kind(lines[0])
    if kind is None or any(heading_kind(s) for s in lines[1:]):
        # prose, or a table of contents listing several headings: keep it as text
        yield para_from_lines(text, block, sections.path, lined=_looks_lined(lines))
        return
    short = len(block) <= _MAX_TITLE_LINES and all(len(s.strip()) <= 70 for s in lines)
    n = len(block) if short else 1
    sections.open_kind(kind, _join_title(lines[0], " ".join(lines[1:n])))
    if n < len(block):
        yield para_from_lines(text, block[n:], sections.path, lined=_looks_lined(lines[n:]))


def _is_bare_heading(text: str, block: list[Line]) -> bool:
    return len(block) == 1 and bool(_BARE.fullmatch(text[block[0].start:block[0].end].strip()))


def _looks_lined(lines: list[str]) -> bool:
    """Verse or code: several lines, most of them well short of a prose wrap width."""
    if len(lines) < 4:
        return False
    short = sum(len(s.strip()) < 55 for s in lines[:-1])
    return short >= 0.75 * (len(lines) - 1)


def text_paragraphs(text: str) -> Iterator[Para]:
    """Paragraphs of a decoded plain-text book, in order, with section paths."""
    sections = _Sections()
    block: list[Line] = []
    bare = more = False
    for ln in iter_lines(text):
        if line := text[ln.start:ln.end].strip():
            if block and _BARE.fullmatch(line) \
                    and heading_kind(text[block[-1].start:block[-1].end]) is None:
                # a bare heading line inside running text opens its section even with no
                # blank line around it (texts whose blank lines were stripped, as the copy
                # of Botchan sentencepiece ships); a run of headings (a contents list) does not
                yield from _block_paras(text, block, sections, bare, more)
                block, bare, more = [], False, False
            block.append(ln)
            if len(block) < MAX_PARA_LINES:
                continue
            yield from _block_paras(text, block, sections, False, more)
            block, bare, more = [], False, True
        elif block:
            yield from _block_paras(text, block, sections, bare, more)
            bare = _is_bare_heading(text, block) and not more
            block, more = [], False
        else:
            more = False
    if block:
        yield from _block_paras(text, block, sections, bare, more)


def open_text(path: Path, *, budget: int) -> Document:
    """Open a plain-text file; the text is decoded now, chunks are made lazily."""
    warnings: list[str] = []   # an encoding that was only guessed
    text = read_text_file(path, warnings)
    m = _TITLE.search(text, 0, 20_000)  # Gutenberg header "Title: ..."
    return Document(path=str(path), modality="text", title=m.group(1) if m else path.stem,
                    units=count_lines(text), unit_name="line",
                    chunks=chunk_paragraphs(text_paragraphs(text), str(path), budget),
                    warnings=warnings)
