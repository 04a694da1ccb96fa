"""The shared chunking rule: merge up to the budget, never across section or page, split
oversized paragraphs at lines, sentences, words, then characters."""
from __future__ import annotations

import pytest

from ingest import estimate_tokens
from ingest.prose.chunker import Mark, Para, chunk_paragraphs
from ingest.prose.lines import count_lines, iter_lines, para_from_lines
from ingest.prose.split import sentence_spans, split_spans

from .conftest import assert_stream_invariants


def sentence(i: int) -> str:
    return f"Sentence number {i} tells a small story about a lighthouse keeper."


def test_merges_paragraphs_up_to_budget():
    paras = [Para(text=sentence(i), section=("A",)) for i in range(10)]
    per = estimate_tokens(paras[0].text)
    chunks = list(chunk_paragraphs(paras, "/x", budget=3 * per))
    assert [c.text.count("\n\n") + 1 for c in chunks] == [3, 3, 3, 1]
    assert chunks[0].text == "\n\n".join(p.text for p in paras[:3])
    assert_stream_invariants(chunks, 3 * per)


@pytest.mark.parametrize("key", ["section", "page"], ids=["section", "page"])
def test_never_crosses_section_or_page(key):
    def para(i: int) -> Para:
        if key == "section":
            return Para(text=sentence(i), section=("Ch 1",) if i < 2 else ("Ch 2",), page=1)
        return Para(text=sentence(i), section=("Ch 1",), page=1 if i < 2 else 2)
    chunks = list(chunk_paragraphs([para(i) for i in range(4)], "/x", budget=1000))
    assert len(chunks) == 2
    assert "number 1" in chunks[0].text and "number 2" in chunks[1].text
    assert getattr(chunks[1].location, key) == (("Ch 2",) if key == "section" else 2)


def test_oversized_paragraph_splits_at_sentences_with_exact_spans():
    text = "\n".join([sentence(0), sentence(1), sentence(2) + " " + sentence(3)])
    paras = [para_from_lines(text, list(iter_lines(text)), ("S",))]
    budget = estimate_tokens(sentence(0)) + 2
    chunks = list(chunk_paragraphs(paras, "/x", budget=budget))
    assert [c.text for c in chunks] == [sentence(i) for i in range(4)]
    assert [(c.location.line_start, c.location.line_end) for c in chunks] == \
        [(1, 1), (2, 2), (3, 3), (3, 3)]
    for c in chunks:
        assert text[c.location.char_start:c.location.char_end] == c.text
    assert_stream_invariants(chunks, budget)


def test_sentences_never_cross_a_blank_line():
    text = ("You to a love that your true faith doth merit:\n\n[To OLIVER]\n\n"
            "The archivist kept the combination inside his case. He told nobody.")
    got = [text[a:b] for a, b in sentence_spans(text)]
    assert got == ["You to a love that your true faith doth merit:", "[To OLIVER]",
                   "The archivist kept the combination inside his case.", "He told nobody."]


def test_sentence_split_skips_abbreviations():
    text = "Mr. Darcy met Dr. Watson, e.g. at noon. Then J. Smith left! Did he? Yes."
    got = [text[a:b] for a, b in sentence_spans(text)]
    assert got == ["Mr. Darcy met Dr. Watson, e.g. at noon.", "Then J. Smith left!",
                   "Did he?", "Yes."]


def test_verse_splits_at_line_starts():
    lines = [f"line {i} of the poem" for i in range(12)]
    text = " ".join(lines)
    marks = []
    off = 0
    for i, ln in enumerate(lines):
        marks.append(Mark(off, i + 1, off))
        off += len(ln) + 1
    para = Para(text=text, marks=tuple(marks), lined=True)
    budget = 3 * estimate_tokens(lines[0]) + 1
    chunks = list(chunk_paragraphs([para], "/x", budget=budget))
    assert [c.text for c in chunks][:2] == [" ".join(lines[0:3]), " ".join(lines[3:6])]
    assert [c.location.line_start for c in chunks] == [1, 4, 7, 10]


def test_word_and_hard_splits_respect_budget():
    words = " ".join(f"w{i}" for i in range(300))            # one "sentence", no stops
    blob = "x" * 5000                                         # one word, 626 tokens
    for text, budget in ((words, 50), (blob, 40), (words + " " + blob, 64)):
        pieces = split_spans(text, budget)
        assert all(estimate_tokens(text[a:b]) == n <= budget for a, b, n in pieces)
        spans = [(a, b) for a, b, _ in pieces]
        # nothing lost: pieces put back together give the text (whitespace aside)
        assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(" ", "")


def test_lines_count_like_an_editor():
    text = "a\r\nb\rc\n\x0cd\n"
    assert [(ln.no, text[ln.start:ln.end]) for ln in iter_lines(text)] == \
        [(1, "a"), (2, "b"), (3, "c"), (4, "\x0cd")]
    assert count_lines(text) == 4 and count_lines("x") == 1 and count_lines("x\n\ny") == 3
