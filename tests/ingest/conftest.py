"""Helpers shared by the ingest tests: read a whole document, find a sentence's chunk."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest import Chunk, Document, open_document


def read_all(path: str | Path, **kw) -> tuple[Document, list[Chunk]]:
    """Open a document and drain its chunk stream."""
    doc = open_document(path, **kw)
    return doc, list(doc.chunks)


def chunk_with(chunks: list[Chunk], needle: str) -> Chunk:
    """The one chunk whose text contains `needle` (fails the test otherwise)."""
    hits = [c for c in chunks if needle in c.text]
    assert len(hits) == 1, f"{needle!r} found in {len(hits)} chunks"
    return hits[0]


def assert_stream_invariants(chunks: list[Chunk], budget: int) -> None:
    """Ordinals 0..n-1, every chunk within budget and non-empty."""
    from ingest import estimate_tokens
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    for c in chunks:
        assert c.text.strip()
        assert estimate_tokens(c.text) <= budget, (estimate_tokens(c.text), c.text[:80])


@pytest.fixture
def write(tmp_path):
    """write(name, text_or_bytes, encoding="utf-8") -> Path, inside tmp_path."""
    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return p
    return _write
