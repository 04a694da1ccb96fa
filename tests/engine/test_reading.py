"""Reading files into a real library: locations, no-op re-ingest, replace, bad input."""
from __future__ import annotations

import os
import shutil
import zipfile

import pymupdf
import pytest

from tests.engine.conftest import FACTS
from tests.makers import make_pdf


def _rows(lib):
    """Everything stored, to compare before/after a batch."""
    db = lib.store.db
    return (db.execute("SELECT path, hash, chunks, status FROM documents WHERE status='ready' ORDER BY path").fetchall(),
            db.execute("SELECT id, doc_id, text, page FROM chunks ORDER BY id").fetchall(),
            db.execute("SELECT count(*) FROM keys").fetchone()[0])


def test_planted_sentences_keep_their_page_and_section(planted_library, planted_pdf):
    store = planted_library.store
    doc = store.document(str(planted_pdf.resolve()))
    assert doc.status == "ready" and doc.unit_name == "page" and doc.units == 11
    chunks = store.document_chunks(doc.id)
    for fact in FACTS:
        holding = [c for c in chunks if fact.fact in c.text]
        assert len(holding) == 1, fact.fact
        loc = holding[0].location
        assert loc.page == fact.page
        expected = "Part One" if fact.page < 5 else "Part Two" if fact.page < 8 else "Part Three"
        assert loc.section == (expected,)
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))


def test_reingest_unchanged_is_a_noop_and_changed_file_replaces(library, tmp_path):
    note = tmp_path / "note.md"
    note.write_text("# Garden\n\nThe tortoise buried a silver thimble under the quince tree.\n")
    first = library.ingest([note])
    assert len(first.stored) == 1
    before = _rows(library)
    second = library.ingest([note])
    assert second.stored == [] and second.skipped == [str(note.resolve())]
    assert _rows(library) == before

    note.write_text("# Garden\n\nThe heron hid a brass compass inside the rain barrel.\n")
    third = library.ingest([note])
    assert third.stored == [str(note.resolve())]
    assert library.search("thimble", k=3, mode="bm25") == []
    hit = library.search("compass", k=1, mode="bm25")[0]
    assert hit.location.line_start == 3 and hit.location.section == ("Garden",)


def _bad_files(folder):
    good = make_pdf(folder / "good.pdf", [[("A perfectly good page about lanterns and moths.", 11)]])
    (folder / "corrupt.pdf").write_bytes(os.urandom(4096))
    whole = make_pdf(folder / "whole.pdf", [[("Page text " * 40, 11)]] * 3).read_bytes()
    (folder / "truncated.pdf").write_bytes(whole[: len(whole) // 3])
    os.remove(folder / "whole.pdf")
    make_pdf(folder / "locked.pdf", [[("secret", 11)]], password="pw")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "image.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    with open(folder / "huge.txt", "wb") as f:
        f.truncate(3 * 1024 ** 3)  # sparse: costs no disk
    with zipfile.ZipFile(folder / "broken.epub", "w") as z:
        z.writestr("hello.txt", "not an epub")
    return good


def test_bad_input_is_named_and_the_rest_continues(library, tmp_path, planted_pdf):
    library.ingest([planted_pdf])
    before = _rows(library)
    folder = tmp_path / "batch"
    folder.mkdir()
    good = _bad_files(folder)
    (folder / "latin.txt").write_bytes("Caf\xe9 cr\xe8me at the d\xe9j\xe0 vu inn.".encode("cp1252"))
    summary = library.ingest([folder])
    failed = dict(summary.failed)
    names = {os.path.basename(p) for p in failed}
    assert {"corrupt.pdf", "locked.pdf", "empty.txt", "binary.txt", "image.pdf", "huge.txt",
            "broken.epub"} <= names
    for path, reason in failed.items():
        assert reason and len(reason) > 8 and "Traceback" not in reason, (path, reason)
    assert "password" in failed[str(folder / "locked.pdf")] or "encrypt" in failed[str(folder / "locked.pdf")]
    assert str(good.resolve()) in summary.stored
    assert str((folder / "latin.txt").resolve()) in summary.stored
    assert "café" in library.search("cafe creme", k=1, mode="bm25")[0].text.lower()
    # the truncated file is either read from what survives or refused with a reason
    trunc = str((folder / "truncated.pdf").resolve())
    assert trunc in summary.stored or trunc in failed
    # nothing stored earlier changed
    after = _rows(library)
    assert [r for r in after[0] if r[0] == before[0][0][0]] == before[0]
    assert library.store.integrity() == "ok"


def test_a_stored_file_that_turns_bad_keeps_its_good_version(library, tmp_path):
    pdf = make_pdf(tmp_path / "book.pdf", [[("The walrus counted seventeen oysters.", 11)]])
    library.ingest([pdf])
    before = _rows(library)
    pdf.write_bytes(os.urandom(3000))
    summary = library.ingest([pdf])
    assert summary.failed and summary.failed[0][0] == str(pdf.resolve())
    assert _rows(library) == before


def test_forget_removes_a_document(library, tmp_path):
    note = tmp_path / "n.txt"
    note.write_text("The dormouse slept in the teapot all afternoon.\n")
    library.ingest([note])
    assert library.forget(note)
    assert library.documents() == []
    assert library.search("dormouse teapot", k=3) == []


def test_sentence_keys_point_into_their_chunks(planted_library, planted_pdf):
    db = planted_library.store.db
    rows = db.execute("SELECT c.text, s.char_start, s.char_end, length(s.vec) FROM sentence_keys s"
                      " JOIN chunks c ON c.id = s.chunk_id").fetchall()
    assert rows
    spans = [text[a:b] for text, a, b, _ in rows]
    assert all(0 <= a < b <= len(text) for text, a, b, _ in rows)
    assert {n for *_, n in rows} == {384 * 2}  # float16 keys of the 384-d encoder
    for fact in FACTS:
        assert fact.fact in spans


def test_a_large_folder_read_by_worker_processes_stores_what_a_serial_read_does(tmp_path, monkeypatch):
    """Phase 1 of a repository runs in worker processes (engine/reading/parse.py); the
    library must not tell which way it was read, bad files included."""
    from engine.catalog import Catalog
    from engine.reading.parse import MIN_POOL_FILES

    folder = tmp_path / "repo"
    (folder / "pkg").mkdir(parents=True)
    for i in range(MIN_POOL_FILES + 8):
        (folder / "pkg" / f"mod{i}.py").write_text(
            f"def helper_{i}(x):\n    return x + {i}\n\n\ndef caller_{i}(y):\n"
            f"    return helper_{i}(y) * helper_{(i + 1) % 5}(y)\n", encoding="utf-8")
    (folder / "notes.txt").write_text("Workers read the notes too.\n\nA second paragraph.\n")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "blank.py").write_text("\n\n\n")
    seen = {}
    for workers in ("1", "2"):
        monkeypatch.setenv("MEMEX_READ_WORKERS", workers)
        with Catalog(tmp_path / f"lib{workers}") as cat:
            summary = cat.read([folder])
            db = cat.store.db
            seen[workers] = (
                sorted((r.path, r.status, r.reason, r.chunks) for r in summary.results),
                db.execute("SELECT d.path, c.ordinal, c.text, c.line_start, c.symbol FROM chunks c"
                           " JOIN documents d ON d.id = c.doc_id ORDER BY d.path, c.ordinal").fetchall(),
                db.execute("SELECT path, hash, chunks, tokens, phase FROM documents"
                           " ORDER BY path").fetchall(),
                [(o.kind, o.path) for o in cat.trace("helper_3")])
    serial, pooled = seen["1"], seen["2"]
    assert pooled == serial
    statuses = {os.path.basename(p): s for p, s, _, _ in serial[0]}
    assert statuses["binary.txt"] == "failed" and statuses["blank.py"] == "ignored"
    assert statuses["notes.txt"] == statuses["mod3.py"] == "stored"
    assert ("definition", str((folder / "pkg" / "mod3.py").resolve())) in serial[3]
