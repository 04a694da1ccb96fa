"""open_document: reader choice by extension and content, and the cheap checks."""
from __future__ import annotations

import pymupdf
import pytest

from ingest import SUPPORTED_SUFFIXES, IngestError, open_document
from tests.makers import make_epub, make_pdf

from .conftest import read_all


def reason_of(path, **kw) -> str:
    with pytest.raises(IngestError) as e:
        open_document(path, **kw)
    assert e.value.path == str(path.resolve()) or e.value.path == str(path.absolute())
    return e.value.reason


def test_supported_suffixes():
    from ingest.code import CODE_SUFFIXES
    prose = {".txt", ".text", ".md", ".markdown", ".pdf", ".epub"}
    media = {".srt", ".vtt", ".ass", ".ssa", ".mp4", ".m4v", ".mkv", ".webm", ".mov", ".avi"}
    assert SUPPORTED_SUFFIXES == prose | media | CODE_SUFFIXES
    assert {".py", ".js", ".ts", ".tsx", ".c", ".cpp", ".go", ".rs", ".java"} <= CODE_SUFFIXES


@pytest.mark.parametrize("name,modality,unit", [
    ("a.txt", "text", "line"), ("a.text", "text", "line"), ("a.TXT", "text", "line"),
    ("a.md", "markdown", "line"), ("a.markdown", "markdown", "line"),
    ("a.pdf", "pdf", "page"), ("a.PDF", "pdf", "page"), ("a.epub", "epub", "page"),
])
def test_reader_by_extension(tmp_path, name, modality, unit):
    p = tmp_path / name
    if modality == "pdf":
        make_pdf(p, [[("Hello from a PDF.", 11)]])
    elif modality == "epub":
        make_epub(p, [("One", "Hello from an EPUB.")])
    else:
        p.write_text("Hello from a note.\n")
    doc, chunks = read_all(p)
    assert (doc.modality, doc.unit_name) == (modality, unit)
    assert chunks[0].text.startswith("Hello from")


def test_missing_folder_and_unsupported(tmp_path):
    assert reason_of(tmp_path / "nope.txt") == "the file does not exist"
    assert reason_of(tmp_path) == "this is a folder, not a file"
    doc = tmp_path / "report.docx"
    doc.write_bytes(b"PK\x03\x04rest")
    assert reason_of(doc).startswith("'.docx' files are not supported (Memex reads ")


def test_empty_file(tmp_path):
    for name in ("e.txt", "e.pdf", "e.epub", "e.md"):
        (tmp_path / name).touch()
        assert reason_of(tmp_path / name) == "the file is empty"


@pytest.mark.parametrize("name,size,reason", [
    ("huge.txt", 64 * 2**20 + 1,
     "the file is 67,108,865 bytes, over the 67,108,864 bytes limit for text files"),
    ("huge.md", int(3.2 * 2**30), "the file is 3.2 GB, over the 64 MB limit for Markdown files"),
    ("huge.pdf", 2**30 + 2**29, "the file is 1.5 GB, over the 1 GB limit for PDF files"),
    ("huge.epub", 2**30 + 2**27, "the file is 1.1 GB, over the 1 GB limit for EPUB files"),
])
def test_size_limit_checked_before_reading(tmp_path, name, size, reason):
    p = tmp_path / name
    with open(p, "wb") as f:
        f.truncate(size)            # sparse: no disk used, would be slow to read
    assert reason_of(p) == reason


def test_max_bytes_overrides(tmp_path):
    p = tmp_path / "small.txt"
    p.write_text("x" * 2000)
    assert reason_of(p, max_bytes=1000) == \
        "the file is 2 KB, over the 1000 bytes limit for text files"
    assert open_document(p, max_bytes=5000).units == 1


def test_binary_named_txt(tmp_path):
    p = tmp_path / "data.txt"
    p.write_bytes(bytes(range(256)) * 8)
    assert reason_of(p) == "looks like binary data, not text"
    png = tmp_path / "image.md"
    png.write_bytes(pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 4, 4), 0).tobytes("png"))
    assert reason_of(png) == "looks like binary data (a PNG image), not text"


def test_text_starting_like_magic_is_still_text(tmp_path):
    p = tmp_path / "mz.txt"
    p.write_text("MZ is how old programs begin; this note mentions %PDF- too.\n")
    assert list(open_document(p).chunks)[0].text.startswith("MZ is how")


def test_pdf_saved_as_txt_is_read_as_pdf(tmp_path):
    p = make_pdf(tmp_path / "paper.txt", [[("Really a PDF inside.", 11)]])
    doc, chunks = read_all(p)
    assert doc.modality == "pdf" and chunks[0].text == "Really a PDF inside."
    assert chunks[0].location.page == 1


def test_epub_named_pdf(tmp_path):
    p = make_epub(tmp_path / "book.pdf", [("One", "Text.")])
    assert reason_of(p) == "the file is an EPUB, not a PDF"


def test_budget_must_be_sane(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("hello\n")
    with pytest.raises(ValueError):
        open_document(p, budget=3)


def test_relative_path_and_symlink_resolve(tmp_path, monkeypatch):
    real = tmp_path / "real.txt"
    real.write_text("Resolved path wins.\n")
    (tmp_path / "link.txt").symlink_to(real)
    monkeypatch.chdir(tmp_path)
    doc, chunks = read_all("link.txt")
    assert doc.path == str(real.resolve()) == chunks[0].location.path
