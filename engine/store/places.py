"""Chunks at a named place: a section path, a file, a moment, a page.

A question that names a place ("chapter 3 section 5", "in auth.py", "at 00:12:30") is
answered from that place only; these queries find its chunks. Sections match on the
stored heading path, so they work for every format that records headings.
"""
from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.store.store import Store

__all__ = ["chunks_in_section", "chunks_in_file", "chunks_at_time", "chunks_on_page"]


def _number_re(number: str) -> str:
    return re.escape(number) + r"(?![\d.]*\d)"


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                           (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                           (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _chapter_re(chapter: str) -> str:
    """'7' also as the heading's Roman numeral ("CHAPTER VII."): books number either way."""
    if chapter.isdigit() and 0 < int(chapter) < 4000:
        return rf"(?:{_number_re(chapter)}|{_roman(int(chapter))}\b)"
    return _number_re(chapter)


def chunks_in_section(store: "Store", *, chapter: str | None = None,
                      section: str | None = None) -> list[int]:
    """Chunks whose heading path has a chapter heading `chapter` ('3', 'iii') and/or a
    heading numbered `section` ('3.5', or '5' inside the chapter)."""
    likes = [f"%{section or chapter}%"]
    if not section and chapter and chapter.isdigit() and 0 < int(chapter) < 4000:
        likes.append(f"%{_roman(int(chapter))}%")          # LIKE ignores ASCII case
    rows = store.db.execute("SELECT id, section FROM chunks WHERE "
                            + " OR ".join(["section LIKE ?"] * len(likes)), likes).fetchall()
    chap = re.compile(rf"^\s*(?:chapter|ch\.?|part)\s+{_chapter_re(chapter)}|^\s*{_number_re(chapter)}[\s.:)]",
                      re.I) if chapter else None
    sec = None
    if section:
        full = section if chapter is None or "." in section else f"{chapter}.{section}"
        sec = re.compile(rf"^\s*(?:section\s+|§\s*)?(?:{_number_re(full)}|{_number_re(section)})"
                         rf"(?:[\s.:)]|$)", re.I)
    out = []
    for cid, raw in rows:
        path = json.loads(raw) if raw else []
        if chap is not None and not any(chap.search(h) for h in path):
            continue
        if sec is not None:
            inner = path[1:] if chap is not None else path
            if not any(sec.search(h) for h in inner):
                continue
        out.append(int(cid))
    return out


def chunks_in_file(store: "Store", name: str) -> list[int]:
    """Chunks of documents whose path ends with `name` (a file name or a path tail)."""
    tail = "/" + name.lstrip("/")
    rows = store.db.execute(
        "SELECT c.id FROM chunks c JOIN documents d ON d.id = c.doc_id"
        " WHERE d.path = ? OR substr(d.path, -?) = ?", [name, len(tail), tail]).fetchall()
    return [int(r[0]) for r in rows]


def chunks_at_time(store: "Store", seconds: float, *, slack: float = 20.0) -> list[int]:
    """Timed chunks (subtitle scenes) overlapping `seconds` ± `slack`."""
    rows = store.db.execute("SELECT id FROM chunks WHERE start_s IS NOT NULL AND start_s <= ?"
                      " AND coalesce(end_s, start_s) >= ?",
                      [seconds + slack, seconds - slack]).fetchall()
    return [int(r[0]) for r in rows]


def chunks_on_page(store: "Store", page: int) -> list[int]:
    rows = store.db.execute("SELECT id FROM chunks WHERE page = ? OR page_label = ?",
                      [page, str(page)]).fetchall()
    return [int(r[0]) for r in rows]
