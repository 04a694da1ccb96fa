"""Damaged PDFs are stored with what could be read and a warning naming the pages lost.

The PDFs are generated, then truncated inside a page's content, or have bytes
overwritten inside one page's content stream, the way a broken download or a bad disk
leaves them. The pages cut are found from the file's own structure, not guessed.
"""
from __future__ import annotations

import pytest

from ingest import IngestError, open_document
from ingest.prose.damage import page_list
from tests.makers import make_pdf

PAGES = 8


@pytest.fixture
def book(tmp_path):
    pages = [[(f"Page {i} says that keeper {i} guarded lamp {i} through the night.", 11)]
             for i in range(1, PAGES + 1)]
    return make_pdf(tmp_path / "book.pdf", pages)


def content_offset(path, page: int) -> int:
    """Byte offset of the start of `page`'s (1-based) content stream data."""
    import pymupdf
    with pymupdf.open(path) as doc:
        xref = doc[page - 1].get_contents()[0]
    data = path.read_bytes()
    obj = data.index(f"\n{xref} 0 obj".encode())
    return data.index(b"stream", obj) + len(b"stream\n")


def read(path):
    doc = open_document(path)
    chunks = list(doc.chunks)
    return doc, sorted({c.location.page for c in chunks})


def test_truncated_pdf_keeps_the_pages_before_and_names_the_rest(book):
    data = book.read_bytes()
    book.write_bytes(data[:content_offset(book, 5) + 10])
    doc, pages = read(book)
    lost = sorted(set(range(1, PAGES + 1)) - set(pages))
    assert 1 in pages and 5 in lost
    assert any(page_list(lost) in w and "could not be read" in w for w in doc.warnings), \
        doc.warnings


def test_bytes_overwritten_in_one_page_name_that_page(book):
    data = bytearray(book.read_bytes())
    at = content_offset(book, 3)
    data[at:at + 24] = b"\xff" * 24
    book.write_bytes(bytes(data))
    doc, pages = read(book)
    assert pages == [p for p in range(1, PAGES + 1) if p != 3]
    assert doc.warnings == ["the PDF is damaged (truncated or corrupted): page 3 could not "
                            "be read and was left out"]


def test_sound_pdf_has_no_damage_warning(book):
    doc, pages = read(book)
    assert pages == list(range(1, PAGES + 1)) and doc.warnings == []


def test_pdf_cut_before_any_text_is_refused(book):
    book.write_bytes(book.read_bytes()[:content_offset(book, 1) - 20])
    with pytest.raises(IngestError, match="damaged"):
        read(book)


@pytest.mark.parametrize("pages,words", [
    ([4], "page 4"), ([4, 5, 6, 7, 8], "pages 4–8"), ([2, 5, 7, 8, 9], "pages 2, 5 and 7–9"),
], ids=["one", "run", "mixed"])
def test_page_list(pages, words):
    assert page_list(pages) == words
