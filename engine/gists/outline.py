"""A document's outline with its gists: the readable "map" of a book the app shows, each
entry able to open its first page.

The tree follows the gist plan: the document, its chapters, their sections, their
blocks. A level that only repeats the one below (a chapter with a single section) is
folded into it, so the map shows each summary once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engine.recall.hit import GistSpan, Hit, describe, spanning
from engine.store import Store
from engine.store.gists import StoredGist, gist_title

__all__ = ["OutlineEntry", "outline"]


@dataclass
class OutlineEntry:
    level: str                       # 'document' | 'chapter' | 'section' | 'block'
    title: str                       # 'CHAPTER III', 'pages 12–14', the document's name
    text: str                        # the gist
    where: str                       # 'alice.pdf, pages 12–20, CHAPTER III'
    hit: Hit                         # opens the source at the entry's first chunk
    children: list["OutlineEntry"] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"level": self.level, "title": self.title, "text": self.text,
                "where": self.where, "location": self.hit.to_json(),
                "children": [c.to_json() for c in self.children]}


def _entry(g: StoredGist, name: str, chunks: dict) -> OutlineEntry:
    first, last = chunks[g.first_chunk], chunks[g.last_chunk]
    title = name if g.level == "block" else gist_title(g.level, g.section, name)
    span = GistSpan(g.id, g.level, title, g.last_chunk, last.location)
    hit = Hit(g.first_chunk, g.text, spanning(first.location, last.location, g.section), 0.0,
              gist=span)
    where = describe(hit).removesuffix(f" (summary of the {g.level})")
    if g.level == "block":       # a block is named by where it is
        title = where.removeprefix(name + ", ") or name
    return OutlineEntry(g.level, title, g.text, where, hit)


def outline(store: Store, path: str) -> OutlineEntry | None:
    """The document's gist tree, or None until its whole-document gist is written."""
    doc = store.document(path)
    if doc is None:
        return None
    gists = store.gists(doc.id)
    top = [g for g in gists if g.level == "document"]
    if not top:
        return None
    chunks = store.chunks([g.first_chunk for g in gists] + [g.last_chunk for g in gists])
    name = Path(doc.path).name
    entries = {g.id: _entry(g, name, chunks) for g in gists}
    by_level = {lv: [g for g in gists if g.level == lv]
                for lv in ("document", "chapter", "section", "block")}
    order = ["document", "chapter", "section", "block"]
    for upper, lower in zip(order, order[1:]):
        for child in by_level[lower]:
            parent = next(p for p in by_level[upper]
                          if p.first_chunk <= child.first_chunk and child.last_chunk <= p.last_chunk)
            entries[parent.id].children.append(entries[child.id])
    root = entries[top[0].id]
    return _fold(root)


def _fold(entry: OutlineEntry) -> OutlineEntry:
    """Drop a level that only repeats its one child (same span, same words)."""
    entry.children = [_fold(c) for c in entry.children]
    out = []
    for c in entry.children:
        if len(c.children) == 1 and c.children[0].text == c.text:
            grandchild = c.children[0]
            c.children = grandchild.children
        out.append(c)
    if len(out) == 1 and out[0].text == entry.text:
        entry.children = out[0].children
    else:
        entry.children = out
    return entry
