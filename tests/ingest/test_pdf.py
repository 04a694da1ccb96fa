"""PDF reading: pages, labels, outline and font-size sections, spans, and bad files."""
from __future__ import annotations

import os

import pymupdf
import pytest

from ingest import IngestError, open_document
from tests.makers import make_pdf

from .conftest import assert_stream_invariants, chunk_with, read_all

LABELS = [{"startpage": 0, "prefix": "", "style": "r", "firstpagenum": 1},
          {"startpage": 2, "prefix": "", "style": "D", "firstpagenum": 1}]


def body(tag: str, n: int = 3) -> str:
    return " ".join(f"The {tag} sentence number {i} is plain body text." for i in range(n))


PAGES = [
    [("Preface", 18), ("This preface explains why the book was written.", 11)],
    [("The preface goes on for a second page of thoughts.", 11)],
    [("Chapter One", 18), ("The lighthouse stood on the northern cliff.", 11),
     (body("keeper"), 11), ("Night came and the lamp was lit at dusk.", 11)],
    [("The storm broke against the rocks all night long.", 11)],
    [("Notes gathered at the end of the book.", 11)],
]


def night_y(tmp_path) -> float:
    """Top of the "Night came" item on page 3, read from a PDF without an outline."""
    probe = make_pdf(tmp_path / "probe.pdf", PAGES)
    with pymupdf.open(probe) as doc:
        return doc[2].search_for("Night came")[0].y0


@pytest.fixture
def outlined(tmp_path):
    toc = [[1, "Preface", 1], [1, "Chapter One", 3],
           [2, "The Watch", 3, night_y(tmp_path)],   # title not printed: starts at its y
           [1, "Appendix", 5]]                          # title not printed: page top
    return make_pdf(tmp_path / "book.pdf", PAGES, toc=toc, labels=LABELS, title="Lamp Book")


def test_document_fields(outlined):
    doc, chunks = read_all(outlined)
    assert (doc.modality, doc.unit_name, doc.units, doc.title) == ("pdf", "page", 5, "Lamp Book")
    assert doc.path == str(outlined.resolve()) and doc.warnings == []
    assert_stream_invariants(chunks, 240)


def test_page_label_and_outline_sections(outlined):
    _, chunks = read_all(outlined)
    want = {
        "This preface explains": (1, "i", ("Preface",)),
        "goes on for a second page": (2, "ii", ("Preface",)),
        "The lighthouse stood": (3, "1", ("Chapter One",)),
        "keeper sentence number 2": (3, "1", ("Chapter One",)),
        "Night came": (3, "1", ("Chapter One", "The Watch")),
        "The storm broke": (4, "2", ("Chapter One", "The Watch")),
        "Notes gathered": (5, "3", ("Appendix",)),
    }
    for needle, (page, label, section) in want.items():
        loc = chunk_with(chunks, needle).location
        assert (loc.page, loc.page_label, loc.section) == (page, label, section), needle
    # outline titles matched on the page are the section, not body text
    assert not any("Chapter One" in c.text or c.text.startswith("Preface") for c in chunks)


def test_chunks_never_cross_pages_or_sections(outlined):
    _, chunks = read_all(outlined, budget=2000)
    keys = [(c.location.page, c.location.section) for c in chunks]
    assert len(keys) == len(set(keys))          # with a huge budget: one chunk per key
    assert len(chunks) == 6


def test_char_span_indexes_page_text(outlined):
    _, chunks = read_all(outlined)
    with pymupdf.open(outlined) as pdf:
        for c in chunks:
            page_text = pdf[c.location.page - 1].get_text()
            span = page_text[c.location.char_start:c.location.char_end]
            assert " ".join(span.split()) == " ".join(c.text.split())


def test_budget_splits_paragraph_within_page(tmp_path):
    p = make_pdf(tmp_path / "long.pdf", [[(body("long", 30), 10)]])
    _, chunks = read_all(p, budget=50)
    assert len(chunks) >= 5
    assert_stream_invariants(chunks, 50)
    with pymupdf.open(p) as pdf:
        text = pdf[0].get_text()
    for c in chunks:
        assert c.location.page == 1
        first_words = " ".join(c.text.split()[:3])
        assert " ".join(text[c.location.char_start:].split()).startswith(first_words)


def test_font_size_headings_without_outline(tmp_path):
    pages = [
        [("Part One", 24), ("Getting Started", 16), (body("start"), 11), (body("more"), 11),
         ("Installing", 16), (body("install"), 11)],
        [(body("install page two"), 11), ("Part Two", 24), ("Advanced Use", 16),
         (body("advanced"), 11)],
    ]
    p = make_pdf(tmp_path / "fonts.pdf", pages)
    _, chunks = read_all(p)
    assert chunk_with(chunks, "start sentence number 0").location.section == \
        ("Part One", "Getting Started")
    loc = chunk_with(chunks, "install sentence number 0").location
    assert (loc.page, loc.section) == (1, ("Part One", "Installing"))
    loc = chunk_with(chunks, "install page two sentence number 0").location
    assert (loc.page, loc.section) == (2, ("Part One", "Installing"))
    assert chunk_with(chunks, "advanced sentence").location.section == ("Part Two", "Advanced Use")
    assert all(c.location.page_label is None for c in chunks)
    assert not any("Getting Started" in c.text for c in chunks)


def test_dehyphenates_line_breaks(tmp_path):
    p = make_pdf(tmp_path / "hy.pdf", [[("The experi-\nment worked, said the well-\nknown "
                                         "Smith-\nJones.", 11)]])
    _, chunks = read_all(p)
    assert chunks[0].text == "The experiment worked, said the wellknown Smith- Jones."


def test_pages_stream_lazily(tmp_path, monkeypatch):
    import ingest.prose.paged as paged
    p = make_pdf(tmp_path / "big.pdf", [[(f"Page {i} has its own sentence.", 11)]
                                         for i in range(300)])
    calls = []
    real = paged.page_lines
    monkeypatch.setattr(paged, "page_lines", lambda page: calls.append(page.number) or real(page))
    doc = open_document(p)
    assert doc.units == 300 and calls == []
    first = next(doc.chunks)
    assert first.text == "Page 0 has its own sentence."
    assert calls == [0, 1]    # a chunk is closed when the next page's text arrives
    rest = list(doc.chunks)
    assert len(rest) == 299 and rest[-1].location.page == 300


def test_damaged_page_is_skipped_with_warning(tmp_path, monkeypatch):
    import ingest.prose.paged as paged
    p = make_pdf(tmp_path / "d.pdf", [[(f"Page {i} text.", 11)] for i in range(3)])
    real = paged.page_lines

    def flaky(page):
        if page.number == 1:
            raise RuntimeError("MuPDF error: syntax error in content stream")
        return real(page)
    monkeypatch.setattr(paged, "page_lines", flaky)
    doc, chunks = read_all(p)
    assert [c.location.page for c in chunks] == [1, 3]
    assert doc.warnings == ["page 2 is damaged and was skipped"]


def test_all_pages_damaged_raises(tmp_path, monkeypatch):
    import ingest.prose.paged as paged
    p = make_pdf(tmp_path / "d.pdf", [[("Some text.", 11)]])
    monkeypatch.setattr(paged, "page_lines", lambda page: 1 / 0)
    doc = open_document(p)
    with pytest.raises(IngestError, match="no page could be read"):
        list(doc.chunks)


# ---- bad files -------------------------------------------------------------------------

def test_corrupt_pdf(tmp_path):
    p = tmp_path / "random.pdf"
    p.write_bytes(b"%PDF-1.7\n" + os.urandom(4000))
    with pytest.raises(IngestError, match="damaged"):
        list(open_document(p).chunks)


def test_random_bytes_pdf_has_no_header(tmp_path):
    p = tmp_path / "noise.pdf"
    p.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(IngestError, match="not a PDF"):
        open_document(p)


def test_truncated_pdf_is_error_or_readable_part(tmp_path):
    full = make_pdf(tmp_path / "full.pdf", [[(f"Intact page {i} sentence.", 11)] for i in range(6)])
    half = tmp_path / "half.pdf"
    half.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    try:
        chunks = list(open_document(half).chunks)
    except IngestError as e:
        assert "damaged" in e.reason
    else:
        assert chunks and chunks[0].text == "Intact page 0 sentence."
        assert all(c.text == f"Intact page {c.location.page - 1} sentence." for c in chunks)


def test_encrypted_pdf(tmp_path):
    p = make_pdf(tmp_path / "locked.pdf", PAGES, password="x")
    with pytest.raises(IngestError) as e:
        open_document(p)
    assert e.value.reason == "the PDF is encrypted and needs a password"


def test_png_named_pdf(tmp_path):
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 4, 4), 0)
    p = tmp_path / "picture.pdf"
    p.write_bytes(pix.tobytes("png"))
    with pytest.raises(IngestError) as e:
        open_document(p)
    assert e.value.reason == "the file is a PNG image, not a PDF"


def test_scanned_pdf_without_text_layer(tmp_path):
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 50, 50), 0)
    pix.clear_with(200)
    doc = pymupdf.open()
    for _ in range(3):
        doc.new_page().insert_image(pymupdf.Rect(50, 50, 500, 700), pixmap=pix)
    p = tmp_path / "scan.pdf"
    doc.save(p)
    with pytest.raises(IngestError, match=r"no text layer \(scanned PDF\?\)"):
        open_document(p)


def test_running_headers_and_page_numbers_are_dropped(tmp_path):
    pages = [[("Lamp Book", 9), (f"Body text of page {n} goes here.", 11), (str(n), 9)]
             for n in range(1, 5)]
    p = make_pdf(tmp_path / "furniture.pdf", pages)
    _, chunks = read_all(p, budget=2000)
    assert [c.text for c in chunks] == ["Lamp Book\n\nBody text of page 1 goes here."] + \
        [f"Body text of page {n} goes here." for n in range(2, 5)]


@pytest.mark.parametrize("raw,label", [
    ("xii", "xii"), ("<FEFF0031>", "1"), ("<FEFF0041>-3", "A-3"), ("", None), (None, None)])
def test_page_labels_are_cleaned(raw, label):
    from ingest.prose.furniture import clean_label
    assert clean_label(raw) == label


def test_outline_title_wrapped_over_two_lines(tmp_path):
    pages = [[("Chapter Two:\nThe Storm", 16), ("Rain fell for nine days.", 11)],
             [("Epilogue", 16), ("All was calm again.", 11)]]
    toc = [[1, "Chapter Two: The Storm", 1], [1, "EPILOGUE", 2]]   # case differs on page
    _, chunks = read_all(make_pdf(tmp_path / "wrap.pdf", pages, toc=toc))
    assert [(c.text, c.location.section) for c in chunks] == [
        ("Rain fell for nine days.", ("Chapter Two: The Storm",)),
        ("All was calm again.", ("EPILOGUE",))]
