"""Tracing a name through the library: where code defines and uses it, where prose
mentions it.

Code comes from the symbol graph (definitions, then every call, import and inherited base
with the enclosing unit's qualified name); prose from the keyword index (each chunk of a
book or note that mentions the term, with its page and section). Results are ordered by
document, then by page/line, so the list reads like following the term through the
material.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from engine.store import Store, symbols
from ingest.records import SECTION_SEP

__all__ = ["Occurrence", "trace", "known_name"]

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
    return [Occurrence(d.path, None, d.line_start, d.line_end, None, d.qualname, "definition",
                       d.signature or d.qualname) for d in symbols.definitions(store, term)]


def _references(store: Store, term: str) -> list[Occurrence]:
    return [Occurrence(u.path, None, u.line, u.line, None, u.scope, "reference", u.text)
            for u in symbols.uses(store, term)]


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
    return [Occurrence(m.path, m.page, m.line_start, m.line_end, SECTION_SEP.join(m.section) or None,
                       None, "mention", _snippet(m.text, term))
            for m in symbols.mentions(store, match)]


def trace(store: Store, term: str, *, limit: int | None = None) -> list[Occurrence]:
    """Every occurrence of `term` (a name, `Class.method`, or a prose term), in document
    order, then page/line; at most `limit` when given."""
    term = term.strip()
    if not term:
        return []
    found = _definitions(store, term) + _references(store, term) + _mentions(store, term)
    found.sort(key=lambda o: (o.path, o.page or 0, o.line_start or 0, _KIND_ORDER[o.kind]))
    return found[:limit] if limit is not None else found


def known_name(store: Store, name: str) -> str | None:
    """The name as the library defines or uses it: as asked, or without the module or
    alias in front ("nx.has_path" → "has_path"); None when the library has neither."""
    for candidate in dict.fromkeys([name, name.split(".", 1)[-1], name.rsplit(".", 1)[-1]]):
        if symbols.definitions(store, candidate) or symbols.uses(store, candidate):
            return candidate
    return None
