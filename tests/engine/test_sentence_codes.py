"""Sentence keys compressed to projected int8 codes: smaller, still found, still located."""
from __future__ import annotations

from engine.store.sentence_codes import compact_sentence_keys
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
