"""Places named in a question: "chapter 3", "section 3.5", "in auth.py", "at 00:12:30".

A question that names where to look restricts recall to that place, so an answer about
"chapter 8" never quotes chapter 2. Parsing is plain patterns; resolving a place to chunks
is the store's job (`engine.store.places`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from engine.store import Store
from engine.store import places

__all__ = ["Place", "find_place", "chunks_of"]

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9,
          "x": 10, "xi": 11, "xii": 12}
_CHAPTER = re.compile(r"\b(?:chapter|ch\.)\s*(\d+|[ivx]{1,4}\b)"
                      r"(?:\s*,?\s*(?:section|§)\s*(\d+(?:\.\d+)*))?", re.I)
_SECTION = re.compile(r"(?:\bsection\s+|§\s*)(\d+(?:\.\d+)*)", re.I)
_FILE = re.compile(r"\b(?:in|of|from|inside)\s+[`'\"]?([\w./-]*\w\.[A-Za-z][\w]{0,5})[`'\"]?", re.I)
_TIME = re.compile(r"\b(?:at|around|near)\s+(\d{1,2}:\d{2}(?::\d{2})?)\b", re.I)
_PAGE = re.compile(r"\b(?:on\s+)?page\s+(\d+)\b", re.I)


@dataclass(frozen=True)
class Place:
    kind: str               # 'section' | 'file' | 'time' | 'page'
    label: str              # as the question says it, for the answer and the turn record
    chapter: str | None = None
    section: str | None = None
    name: str | None = None
    seconds: float | None = None
    page: int | None = None


def _seconds(clock: str) -> float:
    parts = [int(p) for p in clock.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    h, m, s = parts
    return float(h * 3600 + m * 60 + s)


def find_place(question: str) -> Place | None:
    """The place the question names first, or None."""
    found: list[tuple[int, Place]] = []
    if m := _CHAPTER.search(question):
        chap = m.group(1).lower()
        chap = str(_ROMAN.get(chap, chap))
        found.append((m.start(), Place("section", m.group(0).strip(), chapter=chap,
                                       section=m.group(2))))
    if m := _SECTION.search(question):
        found.append((m.start(), Place("section", m.group(0).strip(), section=m.group(1))))
    if m := _TIME.search(question):
        found.append((m.start(), Place("time", m.group(1), seconds=_seconds(m.group(1)))))
    if (m := _FILE.search(question)) and not re.fullmatch(r"\d+(\.\d+)+", m.group(1)):
        found.append((m.start(), Place("file", m.group(1), name=m.group(1))))
    if m := _PAGE.search(question):
        found.append((m.start(), Place("page", m.group(0).strip(), page=int(m.group(1)))))
    if not found:
        return None
    # "chapter 3 section 5" is one place: the chapter pattern already holds its section
    return min(found, key=lambda f: f[0])[1]


def chunks_of(store: Store, place: Place) -> list[int]:
    """The chunk ids at `place` (empty when the library has nothing there)."""
    if place.kind == "section":
        return places.chunks_in_section(store, chapter=place.chapter, section=place.section)
    if place.kind == "file":
        return places.chunks_in_file(store, place.name or "")
    if place.kind == "time":
        return places.chunks_at_time(store, place.seconds or 0.0)
    if place.kind == "page":
        return places.chunks_on_page(store, place.page or 0)
    raise ValueError(f"unknown place kind {place.kind!r}")
