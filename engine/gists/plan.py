"""The gist tree of one document: which gists to write and what each covers.

Leaves are the memory blocks; a section gist covers the consecutive blocks under one
heading path; a chapter gist the consecutive sections under one top-level heading; the
document gist everything. Each level therefore covers every block exactly once, in order.
A node with a single child that covers the same blocks (a chapter with one section, a
short file with one block) copies that child's text instead of asking the model again.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Callable, Sequence

from engine.store.gists import LEVELS, BlockSpan

__all__ = ["Node", "plan_tree"]


@dataclass(frozen=True)
class Node:
    level: str
    ordinal: int                     # position within its level, in document order
    first_chunk: int
    last_chunk: int
    blocks: tuple[int, ...]          # block ids covered, in order
    section: tuple[str, ...]         # the heading path it summarises (() = the document)
    children: tuple[int, ...] = ()   # ordinals of the level below

    @property
    def copies_child(self) -> bool:
        return len(self.children) == 1 and self.level != "block"


def _group(nodes: Sequence[Node], level: str, key: Callable[[Node], tuple]) -> list[Node]:
    out: list[Node] = []
    for k, run in groupby(nodes, key=key):
        run = list(run)
        out.append(Node(level, len(out), run[0].first_chunk, run[-1].last_chunk,
                        tuple(b for n in run for b in n.blocks), k,
                        tuple(n.ordinal for n in run)))
    return out


def plan_tree(spans: Sequence[BlockSpan]) -> dict[str, list[Node]]:
    """{level: nodes} for a document's blocks in order (empty levels for no blocks)."""
    if not spans:
        return {level: [] for level in LEVELS}
    leaves = [Node("block", i, s.first_chunk, s.last_chunk, (s.id,), s.section)
              for i, s in enumerate(spans)]
    sections = _group(leaves, "section", lambda n: n.section)
    chapters = _group(sections, "chapter", lambda n: n.section[:1])
    whole = _group(chapters, "document", lambda n: ())
    return {"block": leaves, "section": sections, "chapter": chapters, "document": whole}
