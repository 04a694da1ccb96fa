"""Tracing a name through the library: where code defines and uses it, where prose
mentions it.

Code comes from the symbol graph (definitions, then every call, import and inherited base
with the enclosing unit's qualified name); prose from the keyword index (each chunk of a
book or note that mentions the term, with its page and section). Results are ordered by
document, then by page/line, so the list reads like following the term through the
material.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass

from engine.store import Store
from ingest.records import SECTION_SEP

__all__ = ["Occurrence", "trace"]

_KIND_ORDER = {"definition": 0, "reference": 1, "mention": 2}
_SNIPPET = 200


@dataclass(frozen=True)
class Occurrence:
    path: str
    page: int | None
    line_start: int | None
    line_end: int | None
    section: str | None
    symbol: str | None          # code: the definition's or the enclosing unit's qualname
    kind: str                   # "definition" | "reference" | "mention"
    text: str                   # signature, source line, or the sentence mentioning it

    def to_json(self) -> dict:
        return asdict(self)


def _definitions(store: Store, term: str) -> list[Occurrence]:
    name = term.rsplit(".", 1)[-1]
    if "." in term:
        where, args = "s.name = ? AND (s.qualname = ? OR substr(s.qualname, -?) = ?)", \
            [name, term, len(term) + 1, "." + term]
    else:
        where, args = "s.name = ?", [name]
    rows = store.db.execute(
        "SELECT d.path, s.line_start, s.line_end, s.qualname, s.signature FROM symbols s"
        f" JOIN documents d ON d.id = s.doc_id WHERE {where}", args).fetchall()
    return [Occurrence(p, None, a, b, None, q, "definition", sig or q) for p, a, b, q, sig in rows]


def _references(store: Store, term: str) -> list[Occurrence]:
    name = term.rsplit(".", 1)[-1]
    sql = ("SELECT d.path, r.line, r.scope, r.text FROM refs r"
           " JOIN documents d ON d.id = r.doc_id")
    if "." in term:   # resolved to that definition, or an unresolved use of the name
        rows = store.db.execute(
            sql + " LEFT JOIN symbols s ON s.id = r.target_id WHERE r.name = ?"
            " AND (r.target_id IS NULL OR s.qualname = ? OR substr(s.qualname, -?) = ?)",
            [name, term, len(term) + 1, "." + term]).fetchall()
    else:
        rows = store.db.execute(sql + " WHERE r.name = ?", [name]).fetchall()
    return [Occurrence(p, None, ln, ln, None, scope, "reference", text) for p, ln, scope, text in rows]


def _snippet(text: str, term: str) -> str:
    flat = " ".join(text.split())
    m = re.search(re.escape(term), flat, re.IGNORECASE) or \
        re.search(re.escape(term[: max(4, len(term) - 3)]), flat, re.IGNORECASE)
    if m is None or len(flat) <= _SNIPPET:
        return flat[:_SNIPPET]
    a = max(0, m.start() - _SNIPPET // 3)
    b = min(len(flat), a + _SNIPPET)
    return ("…" if a else "") + flat[a:b] + ("…" if b < len(flat) else "")


def _mentions(store: Store, term: str) -> list[Occurrence]:
    words = re.findall(r"\w+", term)
    if not words:
        return []
    match = '"' + " ".join(words).replace('"', '""') + '"'
    rows = store.db.execute(
        "SELECT d.path, c.page, c.line_start, c.line_end, c.section, c.text"
        " FROM chunks_fts f JOIN chunks c ON c.id = f.rowid JOIN documents d ON d.id = c.doc_id"
        " WHERE chunks_fts MATCH ? AND d.modality != 'code'", [match]).fetchall()
    out = []
    for path, page, ls, le, section, text in rows:
        heads = json.loads(section) if section else []
        out.append(Occurrence(path, page, ls, le, SECTION_SEP.join(heads) or None, None, "mention",
                              _snippet(text, term)))
    return out


def trace(store: Store, term: str, *, limit: int | None = None) -> list[Occurrence]:
    """Every occurrence of `term` (a name, `Class.method`, or a prose term), in document
    order, then page/line; at most `limit` when given."""
    term = term.strip()
    if not term:
        return []
    found = _definitions(store, term) + _references(store, term) + _mentions(store, term)
    found.sort(key=lambda o: (o.path, o.page or 0, o.line_start or 0, _KIND_ORDER[o.kind]))
    return found[:limit] if limit is not None else found
