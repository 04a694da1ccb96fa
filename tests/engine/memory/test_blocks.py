"""Blocks in a real library: never across a section, rebuilt only for a changed document."""
from __future__ import annotations

import json

import numpy as np

from engine.library import Library
from engine.store.keys import dequantize, quantize
from tests.engine.memory.topics import topic_paragraphs


def _markdown(path, sections: list[tuple[str, list[str]]]):
    body = "\n\n".join(f"## {title}\n\n" + "\n\n".join(paras) for title, paras in sections)
    path.write_text("# A generated notebook\n\n" + body + "\n", encoding="utf-8")
    return path


def _blocks(lib: Library, path) -> list[tuple]:
    doc = lib.store.document(str(path.resolve()))
    return lib.store.db.execute(
        "SELECT id, first_chunk, last_chunk, cut, centroid, reps FROM blocks WHERE doc_id = ?"
        " ORDER BY first_chunk", [doc.id]).fetchall()


def test_blocks_never_cross_a_section_boundary(library, planted_pdf, tmp_path):
    paras = topic_paragraphs(["sailing", "baking", "chess"], 6, seed=3)
    md = _markdown(tmp_path / "notes.md", [("Harbour", paras[:5]), ("Kitchen", paras[5:13]),
                                           ("Club", paras[13:])])
    library.ingest([md, planted_pdf])
    rows = library.store.db.execute(
        "SELECT b.id, c.section FROM blocks b JOIN chunks c ON c.id BETWEEN b.first_chunk"
        " AND b.last_chunk AND c.doc_id = b.doc_id").fetchall()
    sections: dict[int, set] = {}
    for block_id, section in rows:
        sections.setdefault(block_id, set()).add(section)
    assert len(sections) >= 4 and all(len(s) == 1 for s in sections.values())
    covered = library.store.db.execute(
        "SELECT count(*) FROM chunks c WHERE EXISTS (SELECT 1 FROM blocks b WHERE"
        " c.id BETWEEN b.first_chunk AND b.last_chunk)").fetchone()[0]
    assert covered == library.store.chunk_count()           # every chunk is in a block
    cuts = {r[0] for r in library.store.db.execute("SELECT cut FROM blocks")}
    assert "section" in cuts


def test_changed_document_rebuilds_only_its_blocks(library, tmp_path):
    a = _markdown(tmp_path / "a.md", [("Sea", topic_paragraphs(["sailing", "astronomy"], 6, seed=1))])
    b = _markdown(tmp_path / "b.md", [("Bread", topic_paragraphs(["baking"], 8, seed=2))])
    library.ingest([a, b])
    before_a, before_b = _blocks(library, a), _blocks(library, b)
    b.write_text(b.read_text() + "\n## Board games\n\n" + "\n\n".join(
        topic_paragraphs(["chess"], 6, seed=4)) + "\n")
    summary = library.ingest([a, b])
    assert summary.skipped == [str(a.resolve())] and summary.stored == [str(b.resolve())]
    assert _blocks(library, a) == before_a                    # same rows, same ids
    after_b = _blocks(library, b)
    assert len(after_b) > len(before_b) and after_b[-1][3] == "section"   # the new section
    doc_b = library.store.document(str(b.resolve()))
    ids = [c.id for c in library.store.document_chunks(doc_b.id)]
    assert (after_b[0][1], after_b[-1][2]) == (ids[0], ids[-1])          # covers the new chunks


def test_surprise_and_state_are_stored(library, tmp_path):
    a = _markdown(tmp_path / "a.md", [("Sea", topic_paragraphs(["sailing", "chess"], 5))])
    library.ingest([a])
    doc = library.store.document(str(a.resolve()))
    surprise = [r[0] for r in library.store.db.execute(
        "SELECT surprise FROM chunks WHERE doc_id = ? ORDER BY ordinal", [doc.id])]
    assert len(surprise) == doc.chunks and all(s is not None for s in surprise)
    dk, dv, m, steps = library.store.db.execute(
        "SELECT dk, dv, m, steps FROM doc_memory WHERE doc_id = ?", [doc.id]).fetchone()
    assert (dk, dv, steps) == (128, 128, doc.chunks) and len(m) == 128 * 128 * 2
    reps = [json.loads(r[5]) for r in _blocks(library, a)]
    assert all(1 <= len(r) <= 3 for r in reps)


def test_int8_keys_keep_the_cosine():
    rng = np.random.default_rng(0)
    keys = rng.standard_normal((200, 384)).astype(np.float32)
    keys /= np.linalg.norm(keys, axis=1, keepdims=True)
    q, scale = quantize(keys)
    assert q.dtype == np.int8 and q.nbytes == 200 * 384
    query = keys[0] + 0.3 * keys[1]
    err = np.abs(dequantize(q, scale) @ query - keys @ query).max()
    assert err < 0.01
