"""EPUB reading through PyMuPDF's page layout: pages, TOC sections, fallbacks, bad zips."""
from __future__ import annotations

import zipfile

import pymupdf
import pytest

from ingest import IngestError, open_document
from tests.makers import add_encryption, make_epub, with_ncx_link_not_utf8

from .conftest import assert_stream_invariants, chunk_with, read_all

LONG = "\n\n".join(f"Harbour paragraph {i} describes the boats that come and go each day."
                   for i in range(40))
CHAPTERS = [
    ("The Arrival", "The ship reached the harbour at dawn.\n\nGulls circled the mast."),
    ("The Harbour", LONG),
    ("Departure", "They sailed away at night and never came back."),
]


def pymupdf_page_of(path, needle: str) -> int:
    """1-based page on which PyMuPDF's own layout shows `needle`."""
    with pymupdf.open(path) as doc:
        return next(p.number + 1 for p in doc if needle in p.get_text())


@pytest.mark.parametrize("toc", [True, False], ids=["toc", "no-toc"])
def test_pages_and_sections(tmp_path, toc):
    p = make_epub(tmp_path / "sea.epub", CHAPTERS, title="Sea Stories", toc=toc)
    doc, chunks = read_all(p)
    assert (doc.modality, doc.unit_name, doc.title) == ("epub", "page", "Sea Stories")
    assert doc.units >= 4                       # the long chapter fills several pages
    assert_stream_invariants(chunks, 240)
    first = chunk_with(chunks, "The ship reached the harbour")
    assert (first.location.page, first.location.section) == (1, ("The Arrival",))
    assert first.text == "The ship reached the harbour at dawn.\n\nGulls circled the mast."
    last_para = chunk_with(chunks, "Harbour paragraph 39 ")
    assert last_para.location.section == ("The Harbour",)
    assert last_para.location.page == pymupdf_page_of(p, "Harbour paragraph 39 ") > 2
    end = chunk_with(chunks, "They sailed away")
    assert end.location.section == ("Departure",) and end.location.page == doc.units
    assert not any(c.text.startswith(("The Arrival", "The Harbour")) for c in chunks)
    assert all(c.location.page_label is None for c in chunks)


def test_chunks_stay_on_one_page_and_span_page_text(tmp_path):
    p = make_epub(tmp_path / "sea.epub", CHAPTERS)
    _, chunks = read_all(p, budget=5000)
    pages = [c.location.page for c in chunks]
    assert pages == sorted(set(pages))           # one chunk per page with a huge budget
    with pymupdf.open(p) as doc:
        for c in chunks:
            text = doc[c.location.page - 1].get_text()
            span = text[c.location.char_start:c.location.char_end]
            assert " ".join(span.split()) == " ".join(c.text.split())


def test_paragraph_split_by_page_break(tmp_path):
    huge = " ".join(f"word{i}" for i in range(1500))   # one <p> longer than a page
    p = make_epub(tmp_path / "one.epub", [("Only", huge)])
    _, chunks = read_all(p, budget=5000)
    assert len(chunks) >= 2 and [c.location.page for c in chunks] == list(range(1, len(chunks) + 1))
    assert " ".join(c.text for c in chunks).split() == huge.split()


def write_zip(path, entries: dict[str, bytes | str]):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize("entries,reason", [
    ({"hello.txt": "hi"}, "META-INF/container.xml is missing"),
    ({"mimetype": "application/zip", "META-INF/container.xml": "<x/>"}, "wrong mimetype"),
    ({"mimetype": "application/epub+zip", "META-INF/container.xml": "<container/>"},
     "the EPUB is damaged and cannot be opened"),
], ids=["no-container", "bad-mimetype", "no-package"])
def test_invalid_epub_zip(tmp_path, entries, reason):
    p = write_zip(tmp_path / "bad.epub", entries)
    with pytest.raises(IngestError) as e:
        list(open_document(p).chunks)
    assert reason in e.value.reason


def test_not_a_zip(tmp_path):
    p = tmp_path / "junk.epub"
    p.write_bytes(b"This is plain text pretending to be a book.\n" * 20)
    with pytest.raises(IngestError, match="not an EPUB"):
        open_document(p)
    p.write_bytes(b"PK\x03\x04" + b"\x00" * 200)           # zip magic, broken archive
    with pytest.raises(IngestError, match="not a valid zip"):
        open_document(p)


def test_drm_epub(tmp_path):
    p = add_encryption(make_epub(tmp_path / "drm.epub", CHAPTERS),
                       "http://www.w3.org/2001/04/xmlenc#aes128-cbc")
    with pytest.raises(IngestError, match="DRM-protected"):
        open_document(p)


def test_outline_link_that_is_not_utf8_prints_nothing(tmp_path, capfd):
    """Found by tests/fuzz.py: an NCX entry whose target is not UTF-8 made PyMuPDF print a
    Python traceback on stdout (its `resolve_link` swallows the error but logs it), in the
    middle of `memex ... --json`. The book is read, silently, without that entry."""
    seed = make_epub(tmp_path / "seed.epub", [("One", "Some text here. " * 5),
                                              ("Two", "More text. " * 5)])
    path = with_ncx_link_not_utf8(seed, tmp_path / "book.epub")
    pymupdf.set_messages(fd=1)   # where memex's stdout is; under pytest PyMuPDF would
    pymupdf.set_log(fd=1)        # otherwise print to the capture object of its import
    capfd.readouterr()
    _, chunks = read_all(path)
    assert chunk_with(chunks, "More text.")
    out, err = capfd.readouterr()
    assert out == "" and err == ""
