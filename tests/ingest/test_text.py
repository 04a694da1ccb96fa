"""Plain-text books: line and character spans, Gutenberg headings, encodings."""
from __future__ import annotations

import pytest

from ingest import IngestError, open_document

from .conftest import assert_stream_invariants, chunk_with, read_all

BOOK = """\
The Project Gutenberg eBook of A Test Book

Title: A Test Book

Contents

 CHAPTER I.     Down the Rabbit-Hole
 CHAPTER II.    The Pool of Tears


CHAPTER I.
Down the Rabbit-Hole


Alice was beginning to get very tired of sitting by her sister on the
bank, and of having nothing to do.

The rabbit took a watch out of its waistcoat-pocket and hurried on.


CHAPTER II.
The Pool of Tears

Curiouser and curiouser, cried Alice.

BOOK I

Chapter 3

A numbered chapter inside the first book.

PART TWO

ACT II

SCENE III. A room in the castle.

To be, or not to be, that is the question.

SCENE IV.

Exit, pursued by a bear.
"""


@pytest.fixture
def book(write):
    return write("book.txt", BOOK)


def test_document_fields(book):
    doc, chunks = read_all(book)
    assert doc.modality == "text" and doc.unit_name == "line"
    assert doc.units == BOOK.count("\n")
    assert doc.title == "A Test Book"
    assert doc.path == str(book.resolve())
    assert all(c.location.path == str(book.resolve()) for c in chunks)
    assert_stream_invariants(chunks, 240)


def test_line_and_char_spans_of_known_sentences(book):
    _, chunks = read_all(book)
    c = chunk_with(chunks, "Alice was beginning")
    lines = BOOK.splitlines()
    start = lines.index("Alice was beginning to get very tired of sitting by her sister on the") + 1
    assert c.location.line_start == start
    assert c.location.section == ("CHAPTER I. Down the Rabbit-Hole",)
    # hard wraps become spaces; the char span is the exact source text
    assert "on the bank, and" in c.text
    span = BOOK[c.location.char_start:c.location.char_end]
    assert span.startswith("Alice was beginning") and span.endswith("and hurried on.")
    assert c.location.line_end == start + 3
    assert c.text == span.replace("\n\n", "\0").replace("\n", " ").replace("\0", "\n\n")


def test_headings_nest_and_are_not_chunk_text(book):
    _, chunks = read_all(book)
    sections = {c.text.split()[0]: c.location.section for c in chunks}
    assert sections["Curiouser"] == ("CHAPTER II. The Pool of Tears",)
    assert sections["A"] == ("BOOK I", "Chapter 3")
    assert sections["To"] == ("BOOK I", "PART TWO", "ACT II", "SCENE III. A room in the castle.")
    assert sections["Exit,"] == ("BOOK I", "PART TWO", "ACT II", "SCENE IV.")
    assert not any(c.text.startswith(("CHAPTER I.\n", "SCENE", "ACT", "BOOK I")) for c in chunks)
    # the contents list (several headings in one paragraph) stays text, not sections
    first = chunks[0]
    assert first.location.section == () and "CHAPTER II.    The Pool of Tears" in first.text


def test_chunks_never_cross_sections(book):
    _, chunks = read_all(book, budget=1000)
    assert len({c.location.section for c in chunks}) == len(chunks)


def test_prose_lines_are_not_headings(write):
    p = write("prose.txt", "Part two of the plan was simple.\n\nChapter 3 begins tomorrow, he said.\n")
    _, chunks = read_all(p)
    assert all(c.location.section == () for c in chunks)
    assert "Part two of the plan" in chunks[0].text


def test_budget_splits_long_paragraph_with_line_spans(write):
    lines = [f"This is line {i} of a very long paragraph that keeps going." for i in range(60)]
    p = write("long.txt", "\n".join(lines) + "\n")
    _, chunks = read_all(p, budget=50)
    assert len(chunks) > 5
    assert_stream_invariants(chunks, 50)
    text = p.read_text()
    for c in chunks:
        assert text[c.location.char_start:c.location.char_end].replace("\n", " ") == c.text
        assert 1 <= c.location.line_start <= c.location.line_end <= 60
    assert chunks[0].location.line_start == 1 and chunks[-1].location.line_end == 60


SENTENCE = "“Smart quotes” and café — déjà vu."


@pytest.mark.parametrize("encoding,prefix", [
    ("utf-8", b""),
    ("utf-8", b"\xef\xbb\xbf"),
    ("utf-16-le", b"\xff\xfe"),
    ("utf-16-be", b"\xfe\xff"),
    ("utf-16-le", b""),          # no BOM: spotted by its NUL pattern
    ("cp1252", b""),
], ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le-nobom", "cp1252"])
def test_encodings(write, encoding, prefix):
    body = f"Opening line.\n\n{SENTENCE}\nSecond line.\n"
    p = write("enc.txt", prefix + body.encode(encoding))
    _, chunks = read_all(p)
    assert len(chunks) == 1
    c = chunks[0]
    assert c.text == f"Opening line.\n\n{SENTENCE} Second line."
    assert (c.location.line_start, c.location.line_end) == (1, 4)
    assert body[c.location.char_start:c.location.char_end] == body.strip()


def test_latin1_fallback(write):
    # 0x81 is undefined in cp1252, so only latin-1 can decode this file
    p = write("l1.txt", b"caf\xe9 \x81 ok\n")
    _, chunks = read_all(p)
    assert chunks[0].text == "caf\xe9 \x81 ok"


@pytest.mark.parametrize("content,reason", [
    (b"\x00\x01\x02binary\x00" * 100, "binary"),
    (bytes(range(1, 9)) * 200, "binary"),
    (b"   \n\n\t \n", "no text"),
], ids=["nul", "controls", "blank"])
def test_rejects_non_text(write, content, reason):
    p = write("bad.txt", content)
    with pytest.raises(IngestError) as e:
        open_document(p)
    assert reason in e.value.reason and e.value.path == str(p.resolve())


@pytest.mark.parametrize("line,kind", [
    ("CHAPTER I. Down the Rabbit-Hole", "CHAPTER"),
    ("Chapter 3", "CHAPTER"),
    ("CHAPTER XLII", "CHAPTER"),
    ("Chapter Twenty-One", "CHAPTER"),
    ("BOOK I", "BOOK"),
    ("PART TWO", "PART"),
    ("BOOK FIRST—A JUST MAN", "BOOK"),
    ("ACT II", "ACT"),
    ("SCENE III.", "SCENE"),
    ("PREFACE", "PREFACE"),
    ("Part two of the plan was simple.", None),
    ("Chapter 3 begins tomorrow", None),
    ("The CHAPTER I read", None),
    ("Book I read yesterday was long", None),
    ("CHAPTER I. " + "x" * 90, None),
])
def test_heading_lines(line, kind):
    from ingest.prose.text import heading_kind
    assert heading_kind(line) == kind


def test_indented_lines_are_stripped_but_spans_exact(write):
    body = "Heading text here.\n\n    Indented first line of a quote\n      and its second line.  \n"
    p = write("indent.txt", body)
    _, chunks = read_all(p)
    c = chunks[0]
    assert c.text == "Heading text here.\n\nIndented first line of a quote and its second line."
    assert body[c.location.char_start:c.location.char_end] == body.strip()
    from ingest.prose.text import text_paragraphs
    q = list(text_paragraphs(body))[1]
    assert body[q.char_start:q.char_end] == \
        "Indented first line of a quote\n      and its second line."
    assert (q.line_start, q.line_end) == (3, 4)


def test_crlf_and_lone_cr_line_numbers(write):
    body = "First para line one\r\nline two.\r\n\r\nSecond para.\rThird line.\r\n"
    p = write("crlf.txt", body)
    doc, chunks = read_all(p)
    assert doc.units == 5 and len(chunks) == 1
    loc = chunks[0].location
    assert chunks[0].text == "First para line one line two.\n\nSecond para. Third line."
    assert (loc.line_start, loc.line_end) == (1, 5)
    assert body[loc.char_start:loc.char_end] == body.rstrip()
    from ingest.prose.text import text_paragraphs
    second = list(text_paragraphs(body))[1]
    assert (second.line_start, second.line_end) == (4, 5)
    assert body[second.char_start:second.char_end] == "Second para.\rThird line."


def test_huge_block_without_blank_lines_streams(write):
    from ingest.prose.lines import MAX_PARA_LINES
    n = 3 * MAX_PARA_LINES + 7
    p = write("log.txt", "".join(f"CHAPTER {i} entry of a log file, line {i}.\n" for i in range(n)))
    doc, chunks = read_all(p, budget=64)
    assert doc.units == n
    assert_stream_invariants(chunks, 64)
    assert all(c.location.section == () for c in chunks)   # headings only open a block
    assert chunks[-1].location.line_end == n
    ends = [c.location.line_end for c in chunks]
    assert ends == sorted(ends)


def test_bare_headings_open_sections_without_blank_lines(write):
    """A text whose blank lines were stripped (sentencepiece's copy of Botchan) still has
    chapters: a line that is only a heading opens one, a run of them (contents) does not."""
    from ingest.prose.lines import MAX_PARA_LINES
    prose = "Because of an hereditary recklessness I have been playing a losing game.\n"
    body = ("BOTCHAN\nCONTENTS\nCHAPTER I\nCHAPTER II.\nBOTCHAN\n" + "CHAPTER I\n" + prose * 3
            + "CHAPTER II.\n" + prose * (MAX_PARA_LINES + 5) + "CHAPTER III.\n" + prose * 2)
    doc, chunks = read_all(write("botchan.txt", body), budget=64)
    sections = [c.location.section for c in chunks]
    assert sections[0] == ()                         # the contents list stays text
    assert "CHAPTER II." in chunks[0].text
    assert [s for s in dict.fromkeys(sections) if s] == [("CHAPTER I",), ("CHAPTER II.",),
                                                          ("CHAPTER III.",)]
    assert not any("CHAPTER III." in c.text for c in chunks)
