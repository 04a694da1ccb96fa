"""The gist tree (engine/gists): planned from a document's blocks, written by the real
model into the real store, resumed after a cancel or a kill, rebuilt when the document
changes (also when it changes while its digest runs), and used to answer broad questions with citations that open at real pages.

One small themed book (tests/themed_book.py: three chapters of two pages, each a PDF
outline entry) is read once for the module (`ingested`) and digested once (`digested`);
tests that change a library work on a copy of its folder. The one digest of the module is
itself cut short by a cancel and resumed, so the resume is checked without a second full
digest, and every other test then checks the tree a resumed digest left.
"""
from __future__ import annotations

import re
import shutil
import signal
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from engine.errors import Cancelled
from engine.gists.plan import Node, plan_tree
from engine.jobs import CancelToken
from engine.store import Store
from engine.store.gists import LEVELS, BlockSpan, StoredGist
from ingest.records import SECTION_SEP
from tests.engine.cli import kill_at_line, memex_json
from tests.themed_book import ThemedBook, make_themed_book

PAGES_PER_CHAPTER = 2
PLAN = {1: ("bees",), 2: ("lighthouse",), 3: ("bees",)}
PAGES = PAGES_PER_CHAPTER * len(PLAN)
STOP = 2                 # the module's digest is cancelled once this many gists are done
SOURCES = {"model", "extract", "copy"}


def chapter_pages(n: int) -> tuple[int, int]:
    """First and last page of chapter n (make_themed_book starts each on a new page)."""
    return (n - 1) * PAGES_PER_CHAPTER + 1, n * PAGES_PER_CHAPTER


def nodes(tree: dict[str, list[Node]]) -> int:
    return sum(len(v) for v in tree.values())


def by_place(gists: list[StoredGist]) -> dict[tuple[str, int], StoredGist]:
    return {(g.level, g.ordinal): g for g in gists}


def copy_library(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def open_library(folder: Path, encoder):
    from engine.library import Library
    return Library(folder, encoder=encoder)


@dataclass
class Digested:
    folder: Path               # the library, digested (after a cancel and a resume)
    doc_id: int
    total: int                 # gists the plan asks for
    before: list[StoredGist]   # what the cancelled run had written
    cancelled: bool            # the first run ended with Cancelled
    listed_midway: bool        # to_digest() still listed the document after the cancel
    outline_midway: object     # lib.outline() after the cancel (None: no map yet)
    summary: object            # the resumed run's DigestSummary


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> ThemedBook:
    path = tmp_path_factory.mktemp("gists_book") / "crafts.pdf"
    return make_themed_book(path, pages_per_chapter=PAGES_PER_CHAPTER, plan=PLAN)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, book, encoder) -> Path:
    """A library that has read and understood the book, not digested it."""
    folder = tmp_path_factory.mktemp("gists_ingested") / "lib"
    lib = open_library(folder, encoder)
    try:
        summary = lib.ingest([book.path])
        assert summary.stored == [str(book.path.resolve())], summary.failed
        assert [d.path for d in lib.to_digest()] == [str(book.path.resolve())]
    finally:
        lib.close()
    return folder


@pytest.fixture(scope="module")
def digested(tmp_path_factory, ingested, book, encoder) -> Digested:
    """A copy of `ingested`, digested by a run cancelled after STOP gists and a second
    run that finishes it (the module's only full digest)."""
    folder = copy_library(ingested, tmp_path_factory.mktemp("gists_digested") / "lib")
    lib = open_library(folder, encoder)
    try:
        doc = lib.store.document(str(book.path.resolve()))
        total = nodes(plan_tree(lib.store.block_spans(doc.id)))
        assert total > STOP + 1
        token = CancelToken()

        def report(done: int, total: int, label: str = "") -> None:
            if done >= STOP:
                token.cancel()

        cancelled = False
        try:
            lib.digest(cancel=token, report=report)
        except Cancelled:
            cancelled = True
        before = lib.store.gists(doc.id)
        listed = doc.id in [d.id for d in lib.to_digest()]
        midway = lib.outline(book.path)
        summary = lib.digest()
    finally:
        lib.close()
    return Digested(folder, doc.id, total, before, cancelled, listed, midway, summary)


@pytest.fixture(scope="module")
def reader(digested, encoder):
    """The digested library, open for questions and outlines (nothing else changes it)."""
    lib = open_library(digested.folder, encoder)
    yield lib
    lib.close()


# -- the plan -----------------------------------------------------------------------------

def test_plan_tree_groups_blocks_into_sections_chapters_and_the_document():
    spans = [
        BlockSpan(10, 1, 2, ()),                        # before the first heading
        BlockSpan(11, 3, 4, ("Part I", "Bees")),
        BlockSpan(12, 5, 6, ("Part I", "Bees")),
        BlockSpan(13, 7, 9, ("Part I", "Hives")),
        BlockSpan(14, 10, 12, ("Part II", "Honey")),    # a chapter with one section
        BlockSpan(15, 13, 13, ("Part II", "Honey")),
    ]
    tree = plan_tree(spans)
    assert list(tree) == list(LEVELS)

    def shape(level):
        return [(n.ordinal, n.first_chunk, n.last_chunk, n.blocks, n.section, n.children)
                for n in tree[level]]

    assert all(n.level == lv for lv in LEVELS for n in tree[lv])
    assert shape("block") == [(i, s.first_chunk, s.last_chunk, (s.id,), s.section, ())
                              for i, s in enumerate(spans)]
    assert shape("section") == [
        (0, 1, 2, (10,), (), (0,)),
        (1, 3, 6, (11, 12), ("Part I", "Bees"), (1, 2)),
        (2, 7, 9, (13,), ("Part I", "Hives"), (3,)),
        (3, 10, 13, (14, 15), ("Part II", "Honey"), (4, 5)),
    ]
    assert shape("chapter") == [
        (0, 1, 2, (10,), (), (0,)),
        (1, 3, 9, (11, 12, 13), ("Part I",), (1, 2)),
        (2, 10, 13, (14, 15), ("Part II",), (3,)),
    ]
    assert shape("document") == [(0, 1, 13, (10, 11, 12, 13, 14, 15), (), (0, 1, 2))]
    # a node with one child copies it; a block never does
    assert [n.copies_child for n in tree["block"]] == [False] * 6
    assert [n.copies_child for n in tree["section"]] == [True, False, True, False]
    assert [n.copies_child for n in tree["chapter"]] == [True, False, True]
    assert [n.copies_child for n in tree["document"]] == [False]

    # a heading that comes back after another is a new run, not the earlier one
    again = plan_tree(spans[1:2] + spans[4:5] + spans[2:3])
    assert [n.section for n in again["chapter"]] == [("Part I",), ("Part II",), ("Part I",)]
    assert [n.blocks for n in again["chapter"]] == [(11,), (14,), (12,)]
    assert plan_tree([]) == {lv: [] for lv in LEVELS}


# -- the tree a digest writes ---------------------------------------------------------------

def check_tree(store: Store, doc_id: int, chapters: list[str]) -> list[StoredGist]:
    """Every level covers every block of the document once, in order, as planned."""
    spans = store.block_spans(doc_id)
    chunks = [c.id for c in store.document_chunks(doc_id)]
    at = {c: i for i, c in enumerate(chunks)}
    span_of = {s.id: s for s in spans}
    block_ids = [s.id for s in spans]
    assert block_ids and len(set(block_ids)) == len(block_ids)
    plan = plan_tree(spans)
    gists = store.gists(doc_id)
    assert {g.level for g in gists} == set(LEVELS)
    assert len(gists) == nodes(plan) == store.gist_counts()[doc_id]
    for level in LEVELS:
        row = [g for g in gists if g.level == level]
        assert [g.ordinal for g in row] == list(range(len(row))), level
        assert [b for g in row for b in g.blocks] == block_ids, level     # each once, in order
        assert at[row[0].first_chunk] == 0 and at[row[-1].last_chunk] == len(chunks) - 1
        for g, nxt in zip(row, row[1:]):                                  # contiguous
            assert at[nxt.first_chunk] == at[g.last_chunk] + 1, (level, g.ordinal)
        for g, node in zip(row, plan[level]):
            assert at[g.first_chunk] <= at[g.last_chunk]
            assert (g.first_chunk, g.last_chunk) == (span_of[g.blocks[0]].first_chunk,
                                                     span_of[g.blocks[-1]].last_chunk)
            assert (g.first_chunk, g.last_chunk, g.blocks, g.section) == \
                (node.first_chunk, node.last_chunk, node.blocks, node.section)
    for g in gists:
        assert g.doc_id == doc_id and g.text.strip(), (g.level, g.ordinal)
        assert g.source in SOURCES
        assert g.key is not None and g.key.dtype == np.float32
        assert abs(float(np.linalg.norm(g.key)) - 1.0) < 0.02
        assert g.prompt_s >= 0.0 and g.generate_s >= 0.0
    placed = by_place(gists)
    for level, below in zip(LEVELS[1:], LEVELS):
        for node in plan[level]:
            g = placed[(level, node.ordinal)]
            if node.copies_child:          # a node with one child says what the child says
                assert g.source == "copy" and g.text == placed[(below, node.children[0])].text
            else:
                assert g.source in {"model", "extract"}
    whole = [g for g in gists if g.level == "document"]
    assert len(whole) == 1 and whole[0].section == ()
    assert (whole[0].first_chunk, whole[0].last_chunk) == (chunks[0], chunks[-1])
    assert whole[0].blocks == tuple(block_ids)
    assert [g.section for g in gists if g.level == "chapter"] == [(t,) for t in chapters]
    return gists


def test_the_tree_covers_every_block_once_on_every_level(digested, book):
    store = Store(digested.folder)
    try:
        assert store.integrity() == "ok"
        check_tree(store, digested.doc_id, book.chapters)
        assert store.documents_to_digest() == []
        assert [g.id for g in store.all_gists()] == sorted(g.id for g in store.gists(digested.doc_id))
    finally:
        store.close()


def test_an_interrupted_digest_resumes_where_it_stopped(digested, book):
    assert digested.cancelled
    assert [(g.level, g.ordinal) for g in digested.before] == [("block", i) for i in range(STOP)]
    assert digested.listed_midway and digested.outline_midway is None   # no map until done
    s = digested.summary
    assert s.documents == [str(book.path.resolve())]
    assert s.kept == STOP and s.gists == digested.total - STOP
    assert s.model + s.extract + s.copies == s.gists
    assert s.seconds > 0 and s.prompt_s >= 0 and s.generate_s >= 0
    store = Store(digested.folder)
    try:
        after = by_place(store.gists(digested.doc_id))
    finally:
        store.close()
    for g in digested.before:                         # kept as they were, not rewritten
        a = after[(g.level, g.ordinal)]
        assert (a.id, a.text, a.source, a.first_chunk, a.last_chunk, a.blocks, a.section) == \
            (g.id, g.text, g.source, g.first_chunk, g.last_chunk, g.blocks, g.section)
        assert np.allclose(a.key, g.key, atol=1e-6)
        assert a.prompt_s == pytest.approx(g.prompt_s) and a.generate_s == pytest.approx(g.generate_s)


def test_a_killed_digest_leaves_the_library_intact_and_the_next_keeps_its_gists(
        ingested, book, tmp_path, encoder):
    folder = copy_library(ingested, tmp_path / "lib")
    store = Store(folder)
    try:
        doc = store.document(str(book.path.resolve()))
        chunk_ids = [c.id for c in store.document_chunks(doc.id)]
        total = nodes(plan_tree(store.block_spans(doc.id)))
    finally:
        store.close()

    # kill -9 at the first progress line after a gist was written (the first line comes
    # before any: "crafts.pdf: block 1/3")
    def after_a_gist(line: str) -> bool:
        m = re.search(r": (block|section|chapter|document) (\d+)/\d+", line)
        return m is not None and (m.group(1), m.group(2)) != ("block", "1")
    code, seen = kill_at_line("digest", "--library", folder, when=after_a_gist)
    assert code == -signal.SIGKILL, "".join(seen)

    store = Store(folder)
    try:
        assert store.integrity() == "ok"
        assert [c.id for c in store.document_chunks(doc.id)] == chunk_ids
        written = store.gists(doc.id)
        assert 1 <= len(written) < total
        assert store.documents_to_digest() == [doc.id]
    finally:
        store.close()

    lib = open_library(folder, encoder)
    try:
        s = lib.digest()
        assert s.documents == [doc.path]
        assert s.kept == len(written) and s.gists == total - len(written)
        assert lib.to_digest() == []
        after = by_place(lib.store.gists(doc.id))
        assert all((after[(g.level, g.ordinal)].id, after[(g.level, g.ordinal)].text)
                   == (g.id, g.text) for g in written)
        check_tree(lib.store, doc.id, book.chapters)
    finally:
        lib.close()


def test_a_changed_document_gets_a_new_tree(digested, book, tmp_path, encoder):
    folder = copy_library(digested.folder, tmp_path / "lib")
    original = book.path.read_bytes()
    lib = open_library(folder, encoder)
    try:
        path = str(book.path.resolve())
        old = lib.store.document(path)
        assert old.id == digested.doc_id and lib.store.gists(old.id)
        changed = make_themed_book(book.path, pages_per_chapter=1,
                                   plan={1: ("clocks",), 2: ("lighthouse",)})
        summary = lib.ingest([book.path])
        assert summary.stored == [path], summary.failed

        new = lib.store.document(path)       # a new row (SQLite may give it the old id)
        assert new.hash != old.hash and new.chunks != old.chunks
        assert lib.store.gist_counts() == {}                  # the old gists died with it
        assert lib.store.gists(new.id) == [] and lib.store.all_gists() == []
        assert [d.id for d in lib.to_digest()] == [new.id]
        assert lib.outline(path) is None

        s = lib.digest()
        assert s.documents == [path] and s.kept == 0
        assert s.gists == nodes(plan_tree(lib.store.block_spans(new.id)))
        new_chunks = {c.id for c in lib.store.document_chunks(new.id)}
        gists = check_tree(lib.store, new.id, changed.chapters)
        assert all(g.first_chunk in new_chunks and g.last_chunk in new_chunks for g in gists)
        assert lib.to_digest() == []
        assert [g.doc_id for g in lib.store.all_gists()] == [new.id] * len(gists)
    finally:
        lib.close()
        book.path.write_bytes(original)


def test_a_document_re_read_during_its_digest_does_not_get_the_old_text_s_gists(
        ingested, book, tmp_path, encoder):
    """Another process re-reads the file between two gists (the app's watcher did, while
    the idle digest ran): the digest must notice the document is gone and write none of
    the old text's gists on the new version (store.write_gist returns False for a gist
    whose document was re-read meanwhile)."""
    folder = copy_library(ingested, tmp_path / "lib")
    original = book.path.read_bytes()
    lib = open_library(folder, encoder)
    try:
        path = str(book.path.resolve())
        old = lib.store.document(path)
        old_text = [c.text for c in lib.store.document_chunks(old.id)]
        reread: dict = {}

        def report(done: int, total: int, label: str = "") -> None:
            if done == STOP and not reread:
                reread["book"] = make_themed_book(
                    book.path, pages_per_chapter=PAGES_PER_CHAPTER,
                    plan={1: ("clocks",), 2: ("sailing",), 3: ("chess",)})
                other = open_library(folder, encoder)     # as another process would
                try:
                    reread["summary"] = other.ingest([book.path])
                finally:
                    other.close()

        s = lib.digest(report=report)
        assert reread.get("summary") is not None and reread["summary"].stored == [path]
        new = lib.store.document(path)
        assert new.hash != old.hash
        assert [c.text for c in lib.store.document_chunks(new.id)] != old_text
        stale = [(g.level, g.ordinal, g.text[:60]) for g in lib.store.gists(new.id)]
        assert path not in s.documents, f"the old text's gists were written on the new version: {stale}"
        assert [d.id for d in lib.to_digest()] == [new.id]    # its own tree is still to write
        plan = plan_tree(lib.store.block_spans(new.id))
        for g in lib.store.gists(new.id):                     # none planned from the old text
            node = plan[g.level][g.ordinal]
            assert (g.first_chunk, g.last_chunk, g.blocks) == \
                (node.first_chunk, node.last_chunk, node.blocks), (g.level, g.ordinal)
    finally:
        lib.close()
        book.path.write_bytes(original)


# -- answering from gists ---------------------------------------------------------------------

def chapter_number(citation: dict) -> int:
    m = re.fullmatch(r"Chapter (\d+)", (citation["section"] or "").split(SECTION_SEP)[0])
    assert m, citation["section"]
    return int(m.group(1))


def check_gist_citations(ans) -> list[dict]:
    """Every gist the answer cites opens at an integer page and spans pages of its place."""
    cited = [c for c in ans.to_json()["citations"] if "gist" in c]
    assert cited, ans.text
    for c in cited:
        page, end = c["page"], c["gist"]["page_end"]
        assert isinstance(page, int) and isinstance(end, int), c
        assert 1 <= page <= end <= PAGES, c
        if c["gist"]["level"] == "document":
            assert (page, end) == (1, PAGES)
            continue
        n = chapter_number(c)
        first, last = chapter_pages(n)
        assert first <= page <= end <= last, c
        if c["gist"]["level"] == "chapter":
            assert c["gist"]["title"] == f"Chapter {n}" and (page, end) == (first, last)
    return cited


def test_which_chapters_are_named_and_cited_by_their_pages(reader, book):
    ans = reader.ask("Which chapters discuss keeping bees?", max_tokens=16)
    assert ans.broad == "which" and ans.to_json()["broad"] == "which"
    cited = check_gist_citations(ans)
    assert {c["gist"]["level"] for c in cited} == {"chapter"}
    named = re.findall(r"Chapter \d+", ans.line.text)
    assert named, ans.text
    assert set(named) <= {c["gist"]["title"] for c in cited}
    assert set(named) & {f"Chapter {n}" for n in book.where["bees"]}, ans.text


def test_key_words_are_what_a_place_keeps_returning_to():
    from engine.gists.terms import KeyTerms

    elsewhere = [f"Alice met the {w} by the river and the {w} spoke of pies." for w in
                 ("walrus", "carpenter", "oyster", "lobster", "herring", "whiting")]
    place = ["Antipathies aside, the keeper opened the hive; the bees were calm.",
             "Smoke drifted over the hive while the keeper hummed a tune.",
             "Honey dripped from the hive and the keeper sealed the jars."]
    terms = KeyTerms(elsewhere + place)
    words = terms.top(place, k=3)
    # in every chunk of the place and nowhere else, before a word said once
    assert words[:2] == ["keeper", "hive"], words
    assert words[2] == "antipathies"                    # the first one-off, in the first chunk
    assert "alice" not in terms.top(place + elsewhere)  # in half the chunks or more: says nothing


def test_chapters_are_named_by_how_far_they_stand_out_from_the_median():
    from engine.gists.chapters import named_by_reach

    assert named_by_reach([0.9, 0.5, 0.4, 0.45, 0.8], reach=0.5) == [0, 4]   # median 0.5
    assert named_by_reach([0.9, 0.5, 0.4, 0.45, 0.8], reach=1.0) == [0]
    # the same gaps on a compressed scale name the same chapters
    assert named_by_reach([0.39, 0.35, 0.34, 0.345, 0.38], reach=0.5) == [0, 4]
    assert named_by_reach([0.6, 0.6, 0.2], reach=0.9) == [0, 1]
    # the same passage in three chapters, its scores a rounding apart: the median is one of
    # them, and all three are named
    assert named_by_reach([0.5994, 0.2046, 0.5994, 0.3012, 0.5993]) == [0, 2, 4]
    assert named_by_reach([]) == []


def test_which_chapters_are_named_before_any_gist_exists(ingested, book, encoder, tmp_path):
    """An understood book answers 'which chapters' at once: each chapter named is cited
    by its best passage, on that chapter's pages, and the model adds nothing to the list."""
    lib = open_library(copy_library(ingested, tmp_path / "lib"), encoder)
    try:
        assert not lib.store.all_gists()
        ans = lib.ask("Which chapters discuss keeping bees?", max_tokens=16, record=False)
    finally:
        lib.close()
    assert ans.broad == "which" and not ans.synthesis
    named = re.findall(r"Chapter (\d+) \[(\d+)\]", ans.line.text)
    assert {int(n) for n, _ in named} == set(book.where["bees"]), ans.text
    citations = ans.to_json()["citations"]
    for n, tag in named:
        cited = next(c for c in citations if c["n"] == int(tag))
        first, last = chapter_pages(int(n))
        assert "gist" not in cited and first <= cited["page"] <= last, cited
        assert chapter_number(cited) == int(n)
    quoted = {chapter_number(next(c for c in citations if c["n"] == q.tag)) for q in ans.quotes}
    assert quoted == set(book.where["bees"]), ans.text


def test_a_book_at_two_paths_names_its_chapters_once(ingested, book, encoder, tmp_path):
    lib = open_library(copy_library(ingested, tmp_path / "lib"), encoder)
    try:
        twin = tmp_path / "twin.pdf"
        shutil.copy(book.path, twin)
        lib.ingest([twin])
        assert len(lib.store.documents()) == 2
        ans = lib.ask("Which chapters discuss keeping bees?", max_tokens=16, record=False)
    finally:
        lib.close()
    named = [int(n) for n in re.findall(r"Chapter (\d+) \[", ans.line.text)]
    assert sorted(named) == sorted(book.where["bees"]), ans.text
    assert len(ans.quotes) == len(named), ans.text
    assert len({ans.evidence[q.tag - 1].location.path for q in ans.quotes}) == 1, ans.text


def test_chapters_of_two_books_say_which_book_they_are_in(ingested, book, encoder, tmp_path):
    other = make_themed_book(tmp_path / "hives.pdf", pages_per_chapter=PAGES_PER_CHAPTER,
                             plan={1: ("lighthouse",), 2: ("bees",)})
    lib = open_library(copy_library(ingested, tmp_path / "lib"), encoder)
    try:
        lib.ingest([other.path])
        ans = lib.ask("Which chapters discuss keeping bees?", max_tokens=16, record=False)
    finally:
        lib.close()
    named = set(re.findall(r"(\w+\.pdf): Chapter (\d+) \[", ans.line.text))
    want = {("crafts.pdf", str(n)) for n in book.where["bees"]} | \
        {("hives.pdf", str(n)) for n in other.where["bees"]}
    assert named == want, ans.text


def test_what_the_book_is_about_is_answered_from_the_document_and_chapter_gists(reader):
    ans = reader.ask("What is this book about?", max_tokens=16)
    assert ans.broad == "whole"
    cited = check_gist_citations(ans)
    assert "document" in {c["gist"]["level"] for c in cited}
    first = ans.evidence[0]
    assert first.gist is not None and first.gist.level == "document"
    assert all(q.tag - 1 < len(ans.evidence) and ans.evidence[q.tag - 1].gist is None
               for q in ans.quotes)          # a gist is no one's words: never quoted


def test_a_narrow_question_stays_on_passages(reader):
    ans = reader.ask("What did the keeper use to calm the bees?", max_tokens=16)
    assert ans.broad is None and ans.to_json()["broad"] is None
    assert ans.evidence and all(h.gist is None for h in ans.evidence)
    assert ans.quotes and all(ans.evidence[q.tag - 1].gist is None for q in ans.quotes)
    assert all("gist" not in c for c in ans.to_json()["citations"])


def walk(entry):
    yield entry
    for c in entry.children:
        yield from walk(c)


def test_the_outline_is_the_document_then_its_chapters(reader, book):
    root = reader.outline(book.path)
    assert root is not None
    assert root.level == "document" and root.title == book.path.name and root.text.strip()
    assert [c.title for c in root.children] == book.chapters
    assert [c.level for c in root.children] == ["chapter"] * len(book.chapters)
    for entry in walk(root):
        loc, gist = entry.hit.location, entry.hit.gist
        assert isinstance(loc.page, int) and gist is not None and isinstance(gist.end.page, int)
        assert entry.text.strip() and entry.where.startswith(book.path.name)
    assert (root.hit.location.page, root.hit.gist.end.page) == (1, PAGES)
    for n, chapter in enumerate(root.children, start=1):
        assert (chapter.hit.location.page, chapter.hit.gist.end.page) == chapter_pages(n)
    assert reader.outline(book.path.parent / "not-read.pdf") is None


def test_memex_outline_prints_the_chapters_as_json(digested, book):
    out = memex_json("outline", book.path, "--library", digested.folder, "--json")
    assert out["level"] == "document" and out["title"] == book.path.name
    assert [c["title"] for c in out["children"]] == book.chapters
    for n, chapter in enumerate(out["children"], start=1):
        loc = chapter["location"]
        assert chapter["level"] == "chapter" and chapter["text"].strip()
        assert (loc["page"], loc["gist"]["page_end"]) == chapter_pages(n)
    listed = memex_json("list", "--library", digested.folder, "--json")["documents"]
    assert [(d["path"], d["gists"]) for d in listed] == [(str(book.path.resolve()), digested.total)]
