"""A text file that is one enormous line is cut into bounded chunks in bounded memory.

The files are generated: a few MB of words on a single line (a book saved with no line
breaks, a dump). Every chunk must fit the budget, cite its exact span of line 1, and
nothing may be lost; the reading process's peak memory must stay a small multiple of the
file (it was ~30 times the file: a 16 MB line peaked 470 MB above idle).
"""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from ingest import open_document
from ingest.prose.windows import windows
from tests.peak import peak_above_idle

from .conftest import assert_stream_invariants

MB = 1024 * 1024
WORDS = "the keeper of the harbour lamp watched gulls circle the mast at dawn".split()


def one_line(path: Path, size: int, *, sentences: bool = False) -> Path:
    """`size` bytes of words on one line, written in pieces (never built whole twice)."""
    with open(path, "w", encoding="utf-8") as f:
        written = 0
        for i, word in enumerate(itertools.cycle(WORDS)):
            if written >= size:
                break
            piece = (word.capitalize() if sentences and i % 13 == 0 else word) + \
                ("." if sentences and i % 13 == 12 else "") + " "
            f.write(piece)
            written += len(piece)
    return path


@pytest.mark.parametrize("sentences", [False, True], ids=["no-sentence-ends", "sentences"])
def test_one_huge_line_becomes_bounded_located_chunks(tmp_path, sentences):
    path = one_line(tmp_path / "line.txt", 3 * MB, sentences=sentences)
    text = path.read_text(encoding="utf-8")
    doc = open_document(path)
    chunks = list(doc.chunks)
    assert doc.units == 1
    assert_stream_invariants(chunks, 240)
    assert max(len(c.text) for c in chunks) <= 8 * 240
    assert " ".join(c.text for c in chunks).split() == text.split()   # nothing lost
    for c in chunks:
        loc = c.location
        assert (loc.line_start, loc.line_end) == (1, 1)
        assert text[loc.char_start:loc.char_end].split() == c.text.split()


def test_a_line_without_spaces_is_cut_too(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_text("QUJD" * (MB // 4), encoding="ascii")   # 1 MB of base64-like text
    chunks = list(open_document(path).chunks)
    assert_stream_invariants(chunks, 240)
    assert "".join(c.text for c in chunks) == path.read_text(encoding="ascii")


def test_peak_memory_stays_a_small_multiple_of_the_file(tmp_path):
    size = 6 * MB
    path = one_line(tmp_path / "big.txt", size)
    out = peak_above_idle("from ingest import open_document",
                          "result = sum(1 for _ in open_document(sys.argv[1]).chunks)",
                          str(path))
    assert out["result"] > 1000
    assert out["above_idle"] <= 6 * size, out   # text, its paragraph, the chunks


def test_windows_cover_the_text_and_prefer_sentence_ends():
    text = "One two three. Four five six. " * 100 + "x" * 5000
    spans = list(windows(text, 1000))
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(b == c for (_, b), (c, _) in zip(spans, spans[1:]))   # contiguous
    assert all(0 < b - a <= 1000 for a, b in spans)
    assert text[:spans[0][1]].endswith("six. ")                        # a sentence end
    tail = [(a, b) for a, b in spans if a >= text.index("xx")]            # no space at all:
    assert tail and all(b - a == 1000 for a, b in tail[:-1])             # cut at the limit
