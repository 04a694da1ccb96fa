"""Looking a name up: its definitions and uses in the code graph (engine/store/graph.py
writes it), the definitions a chunk of code calls, and prose chunks that mention a term.

Why here: these are joins over the graph's and the keyword index's tables; `engine/recall/trace.py`
and `engine/recall/callees.py` decide what to do with what they find.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from engine.store.store import Store

__all__ = ["Definition", "Use", "Unit", "Mention", "definitions", "uses", "units", "mentions",
           "called_chunks", "chunks_at_lines", "chunks_between", "has_code"]


class Definition(NamedTuple):
    path: str
    line_start: int
    line_end: int
    qualname: str
    signature: str | None
    doc: str = ""               # its docstring's first line, or the comment above it


class Use(NamedTuple):
    path: str
    line: int
    scope: str | None           # the enclosing unit's qualified name
    text: str                   # the source line
    kind: str = "call"          # 'call' | 'import' | 'inherit'


class Unit(NamedTuple):
    """A defined function, class or method with what describes it."""
    path: str
    name: str
    qualname: str
    kind: str
    line_start: int
    line_end: int
    signature: str | None
    doc: str                    # its docstring's first line, or the comment above it


class Mention(NamedTuple):
    path: str
    page: int | None
    line_start: int | None
    line_end: int | None
    section: tuple[str, ...]
    text: str                   # the whole chunk


def _named(term: str) -> tuple[str, list]:
    """SQL condition on symbol `s` for a name or a dotted `Class.method` tail."""
    if "." in term:
        return "s.qualname = ? OR substr(s.qualname, -?) = ?", [term, len(term) + 1, "." + term]
    return "1", []


def definitions(store: "Store", term: str) -> list[Definition]:
    """Definitions of `term` (a name, or a dotted tail of a qualified name)."""
    cond, args = _named(term)
    rows = store.db.execute(
        "SELECT d.path, s.line_start, s.line_end, s.qualname, s.signature, coalesce(s.doc, '')"
        " FROM symbols s"
        f" JOIN documents d ON d.id = s.doc_id WHERE s.name = ? AND ({cond})",
        [term.rsplit(".", 1)[-1], *args]).fetchall()
    return [Definition(*r) for r in rows]


def uses(store: "Store", term: str) -> list[Use]:
    """Calls, imports and bases naming `term`: for a dotted term, those resolved to its
    definition and the unresolved uses of its last name."""
    sql = ("SELECT d.path, r.line, r.scope, r.text, r.kind FROM refs r"
           " JOIN documents d ON d.id = r.doc_id")
    name = term.rsplit(".", 1)[-1]
    if "." in term:
        cond, args = _named(term)
        rows = store.db.execute(
            sql + f" LEFT JOIN symbols s ON s.id = r.target_id WHERE r.name = ?"
            f" AND (r.target_id IS NULL OR {cond})", [name, *args]).fetchall()
    else:
        rows = store.db.execute(sql + " WHERE r.name = ?", [name]).fetchall()
    return [Use(*r) for r in rows]


def mentions(store: "Store", match: str) -> list[Mention]:
    """Chunks of prose (not code) matching an FTS5 expression."""
    rows = store.db.execute(
        "SELECT d.path, c.page, c.line_start, c.line_end, c.section, c.text"
        " FROM chunks_fts f JOIN chunks c ON c.id = f.rowid JOIN documents d ON d.id = c.doc_id"
        " WHERE chunks_fts MATCH ? AND d.modality != 'code'", [match]).fetchall()
    return [Mention(p, page, a, b, tuple(json.loads(s)) if s else (), text)
            for p, page, a, b, s, text in rows]


def called_chunks(store: "Store", chunk_id: int, line_start: int, line_end: int) -> list[int]:
    """The chunks holding the definitions that resolved calls on lines [line_start,
    line_end] of a code chunk call, in call order."""
    rows = store.db.execute(
        "SELECT DISTINCT s.doc_id, s.line_start FROM chunks c"
        " JOIN refs r ON r.doc_id = c.doc_id AND r.line BETWEEN ? AND ?"
        " JOIN symbols s ON s.id = r.target_id"
        " WHERE c.id = ? AND r.kind = 'call' ORDER BY r.line",
        [line_start, line_end, chunk_id]).fetchall()
    out = []
    for doc_id, line in rows:
        row = store.db.execute(
            "SELECT id FROM chunks WHERE doc_id = ? AND line_start <= ? AND line_end >= ?"
            " ORDER BY ordinal LIMIT 1", [doc_id, line, line]).fetchone()
        if row is not None:
            out.append(int(row[0]))
    return out


def units(store: "Store") -> list[Unit]:
    """Every defined unit of code in the library, with its signature and docstring line."""
    rows = store.db.execute(
        "SELECT d.path, s.name, s.qualname, s.kind, s.line_start, s.line_end, s.signature,"
        " coalesce(s.doc, '') FROM symbols s JOIN documents d ON d.id = s.doc_id"
        " ORDER BY d.path, s.line_start").fetchall()
    return [Unit(*r) for r in rows]


def has_code(store: "Store") -> bool:
    """Whether the library holds any defined unit of code."""
    return store.db.execute("SELECT 1 FROM symbols LIMIT 1").fetchone() is not None


def chunks_at_lines(store: "Store", places: list[tuple[str, int]]) -> dict[tuple[str, int], int]:
    """The chunk holding each (document path, line): the first by position whose lines
    cover it. Places in no chunk (a blank line between units) are absent."""
    out: dict[tuple[str, int], int] = {}
    for path, line in dict.fromkeys(places):
        row = store.db.execute(
            "SELECT c.id FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE d.path = ?"
            " AND c.line_start <= ? AND c.line_end >= ? ORDER BY c.ordinal LIMIT 1",
            [path, line, line]).fetchone()
        if row is not None:
            out[(path, line)] = int(row[0])
    return out


def chunks_between(store: "Store", path: str, line_start: int, line_end: int) -> list[int]:
    """The chunks of a document whose lines overlap [line_start, line_end], in order."""
    rows = store.db.execute(
        "SELECT c.id FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE d.path = ?"
        " AND c.line_start <= ? AND c.line_end >= ? ORDER BY c.ordinal",
        [path, line_end, line_start]).fetchall()
    return [int(r[0]) for r in rows]
