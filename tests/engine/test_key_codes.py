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
    # dense recall alone: the coded keys of the new document must find it (asked without
    # "watch", which ties it with Alice's "What a funny watch!" under centred scores)
    hits = library.search("How much did the repairer charge for the metal fittings?", k=3, mode="dense")
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

    # the router scores codes as centred cosines, the same as their decoded keys would score
    from engine.recall.hubness import HUB_WEIGHT
    from engine.store.projection import centred
    ids, keys = zip(*store.iter_keys())
    ids, keys = np.concatenate(ids), np.concatenate(keys)
    hub_ids, hubs = store.key_hubs()
    qkey = library.encoder.encode_query(QUESTIONS[0])
    expect = centred(proj, keys) @ centred(proj, qkey) - HUB_WEIGHT * hubs[np.searchsorted(hub_ids, ids)]
    routed = library.searcher.memory.similarity(qkey, ids.tolist())
    hot = set(library.searcher.memory.hot_ids.tolist())
    warm = [int(c) for c in ids if int(c) not in hot]
    assert np.allclose([routed[c] for c in warm], expect[np.searchsorted(ids, warm)], atol=2e-3)

    # its best evidence survives
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


def test_hubs_are_measured_centred_and_again_after_an_upgrade(library, tmp_path, encoder):
    from engine.library import Library
    from engine.recall.hubness import hubs, hubs_pending, measure_hubs
    from engine.store.adapters import save_adapter
    from engine.store.keys import encode_bank
    book = tmp_path / "alice.txt"
    book.write_bytes(ALICE.read_bytes())
    library.ingest([book])
    store = library.store
    compact_sentence_keys(store, min_keys=500)
    compact_chunk_keys(store, min_keys=100)
    bank = encoder.encode(QUESTIONS * 4)          # a question bank, as a fit would store
    save_adapter(store, encoder.name, None, {"kept": False}, 0,
                 bank=encode_bank(bank))
    assert measure_hubs(store, encoder.name) > 0 and not hubs_pending(store)
    proj = store.projection()
    ids, owners, keys = store.sentence_key_matrix()
    stored = np.asarray([h for (h,) in store.db.execute("SELECT hub FROM sentence_keys ORDER BY id")])
    want = hubs(proj.centre(quantize_round_trip(bank)), proj.centre(keys))
    assert np.allclose(stored, want, atol=1e-4)   # measured in the centred space

    # an upgrade resets hubs; the next search measures them again, as they were
    with store.atomic() as db:
        db.execute("UPDATE sentence_keys SET hub = NULL")
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('hubs_pending', '1')")
    library.close()
    again = Library(library.path, encoder=encoder)
    try:
        assert hubs_pending(again.store)
        again.searcher.search(QUESTIONS[0], k=3)
        assert not hubs_pending(again.store)
        now = np.asarray([h for (h,) in again.store.db.execute("SELECT hub FROM sentence_keys ORDER BY id")])
        assert np.allclose(now, stored, atol=1e-6)
    finally:
        again.close()


def quantize_round_trip(keys: np.ndarray) -> np.ndarray:
    from engine.store.keys import dequantize, quantize
    return dequantize(*quantize(keys))
