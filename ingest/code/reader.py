"""`open_code`: a source file -> located unit chunks plus its definitions and references.

Parsing happens when `chunks` is first consumed (like every reader), and fills
`Document.definitions` and `Document.references` on the way. A file the grammar cannot
make sense of is still stored, cut at lines, with a warning saying so.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ingest.records import Chunk, Document, Location

from .languages import grammar
from .refs import find_references
from .screen import decode_code, screen_code
from .source import Source
from .symbols import find_definitions
from .units import cut_units

__all__ = ["open_code", "LANGUAGE_NAMES"]

LANGUAGE_NAMES = {"python": "Python", "javascript": "JavaScript", "typescript": "TypeScript",
                  "tsx": "TSX", "c": "C", "cpp": "C++", "go": "Go", "rust": "Rust",
                  "java": "Java"}


def _first_error_row(root) -> int | None:
    todo = [root]
    while todo:
        n = todo.pop()
        if n.is_error or n.is_missing:
            return n.start_point.row
        todo.extend(reversed([c for c in n.children if c.has_error or c.is_error or c.is_missing]))
    return None


def open_code(path: Path, language: str, data: bytes, *, budget: int = 240) -> Document:
    """Open source text already read as `data` (the opener checked size and kind)."""
    where = str(path)
    screen_code(where, data)
    text = decode_code(where, data)
    lines = [ln.removesuffix("\r") for ln in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    doc = Document(path=where, modality="code", title=path.name, units=len(lines),
                   unit_name="line")
    doc.chunks = _chunks(doc, language, text, lines, budget)
    return doc


def _chunks(doc: Document, language: str, text: str, lines: list[str],
            budget: int) -> Iterator[Chunk]:
    g = grammar(language)
    src = text.encode("utf-8")
    tree = g.parser.parse(src)
    s = Source(language, src, lines, tree)
    if tree.root_node.has_error:
        row = _first_error_row(tree.root_node)
        where = f" near line {row + 1}" if row is not None else ""
        doc.warnings.append(f"the {LANGUAGE_NAMES[language]} parser found syntax errors{where}; "
                            "units there follow the recovered structure")
    roots, doc.definitions = find_definitions(s, g.defs)
    doc.references = find_references(s, g.refs, roots)
    for ordinal, (a, b, symbol) in enumerate(cut_units(s, roots, budget)):
        yield Chunk("\n".join(lines[a:b + 1]),
                    Location(path=doc.path, line_start=a + 1, line_end=b + 1, symbol=symbol),
                    ordinal)
