"""Sentence and chunk keys compressed to projected int8 codes: smaller, still found, still located."""
from __future__ import annotations

import numpy as np

from engine.store.key_codes import compact_chunk_keys, compact_sentence_keys
from engine.store.tiers import TierMove, move_tiers
from tests.engine.conftest import ALICE

QUESTIONS = [
    "Why did the small girl weep so much that she almost drowned?",
    "Who was late and kept checking a pocket watch?",
    "What did the hookah-smoking insect ask the girl?",
]


def test_codes_shrink_keys_keep_recall_and_apply_to_later_documents(library, tmp_path):
    book = tmp_path / "alice.txt"
    book.write_bytes(ALICE.read_bytes())
    library.ingest([book])          # too few sentence keys for a projection: float16 kept
    store = library.store
    assert store.projection() is None
    before = {q: [h.chunk_id for h in library.search(q, k=5, mode="exact")] for q in QUESTIONS}
    float_bytes = store.key_bytes()["sentence_keys"]

    coded = compact_sentence_keys(store, min_keys=500)
    assert coded > 500 and store.projection() is not None
    left = store.db.execute("SELECT count(*) FROM sentence_keys WHERE code IS NULL"
                            " OR length(vec) > 0").fetchone()[0]
    assert left == 0
    assert store.key_bytes()["sentence_keys"] * 5 < float_bytes     # 132 bytes instead of 768
    for q in QUESTIONS:
        after = [h.chunk_id for h in library.search(q, k=5, mode="exact")]
        assert after[0] in before[q][:3], q       # the best evidence survives compression

    # every coded sentence key still points at a span inside its chunk
    for text, a, b in store.db.execute(
            "SELECT c.text, s.char_start, s.char_end FROM sentence_keys s"
            " JOIN chunks c ON c.id = s.chunk_id LIMIT 200"):
        assert 0 <= a < b <= len(text) and text[a:b].strip()

    later = tmp_path / "later.txt"
    later.write_text("The clockmaker of Lisbon repaired the admiral's telescope twice. "
                     "He charged nine guineas for the brass fittings and nothing for the glass.\n\n"
                     "Nobody in the harbour knew where he had learnt the trade.", encoding="utf-8")
    library.ingest([later])
    fresh = store.db.execute(
        "SELECT count(*), sum(code IS NOT NULL) FROM sentence_keys s JOIN chunks c"
        " ON c.id = s.chunk_id JOIN documents d ON d.id = c.doc_id WHERE d.path = ?",
        [str(later.resolve())]).fetchone()
    assert fresh[0] >= 2 and fresh[1] == fresh[0]       # coded as written
    # dense recall alone: the coded keys of the new document must find it
    hits = library.search("How much did the watch mender ask for the metal parts?", k=3, mode="dense")
    assert hits and hits[0].location.path == str(later.resolve())


def test_chunk_codes_keep_the_router_and_tiers_working(library, tmp_path):
    book = tmp_path / "alice.txt"
    book.write_bytes(ALICE.read_bytes())
    library.ingest([book])          # 191 chunk keys: too few to learn a projection by default
    store = library.store
    assert store.chunk_projection() is None
    full_width = store.key_bytes()["chunk_keys"]
    _, before = zip(*store.iter_keys())
    before = np.concatenate(before)
    top = {q: [h.chunk_id for h in library.search(q, k=5, mode="dense")] for q in QUESTIONS}

    # park a block cold first: parked keys must be coded too, and come back coded
    block = store.db.execute("SELECT id, first_chunk, last_chunk FROM blocks LIMIT 1").fetchone()
    move_tiers(store, [TierMove(block[0], block[1], block[2], "warm", "cold")], now=0.0)
    coded = compact_chunk_keys(store, min_keys=100)
    proj = store.chunk_projection()
    assert coded == len(before) and proj is not None
    widths = {w for t in ("keys", "cold_keys")
              for (w,) in store.db.execute(f"SELECT DISTINCT length(vec) FROM {t}")}
    assert widths == {proj.width} and proj.width < 384
    assert store.key_bytes()["chunk_keys"] < 0.6 * full_width

    # decoded keys stay close to the originals (cosine), in id order
    _, after = zip(*store.iter_keys())
    after = np.concatenate(after)
    assert len(after) == len(before) - (block[2] - block[1] + 1)
    move_tiers(store, [TierMove(block[0], block[1], block[2], "cold", "hot")], now=1.0)
    _, after = zip(*store.iter_keys())
    after = np.concatenate(after)
    cos = (after * before).sum(1) / np.linalg.norm(after, axis=1) / np.linalg.norm(before, axis=1)
    assert cos.min() > 0.9, cos.min()

    # the router scores codes with the question projected: its best evidence survives
    for q in QUESTIONS:
        now = [h.chunk_id for h in library.search(q, k=5, mode="dense")]
        assert now[0] in top[q][:3], q

    # later documents are coded as they are written
    later = tmp_path / "later.txt"
    later.write_text("The lamplighter of Bruges counted forty-one lanterns on the canal bridge "
                     "and polished each one with a rag soaked in vinegar.", encoding="utf-8")
    library.ingest([later])
    width = store.db.execute(
        "SELECT length(k.vec) FROM keys k JOIN chunks c ON c.id = k.chunk_id JOIN documents d"
        " ON d.id = c.doc_id WHERE d.path = ?", [str(later.resolve())]).fetchone()[0]
    assert width == proj.width
    hits = library.search("Who cleaned the street lights along the waterway?", k=3, mode="dense")
    assert hits and hits[0].location.path == str(later.resolve())
