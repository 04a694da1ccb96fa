"""Moving blocks between tiers on a real library: cold keys leave the dense index and come
back byte for byte; hot blocks get float16 keys; events are recorded where use happens."""
from __future__ import annotations

from engine.store.tiers import TierMove, block_tier, dense_index_size, move_tiers
from engine.store.usage import blocks_of_chunks


def _key_bytes(store, first, last):
    return (store.db.execute("SELECT chunk_id, vec, scale FROM keys WHERE chunk_id BETWEEN ? AND ?"
                             " ORDER BY chunk_id", [first, last]).fetchall(),
            store.db.execute("SELECT chunk_id, char_start, char_end, vec FROM sentence_keys"
                             " WHERE chunk_id BETWEEN ? AND ? ORDER BY chunk_id, char_start",
                             [first, last]).fetchall())


def test_cold_round_trip_and_hot_keys(aged):
    lib, clock = aged
    store = lib.store
    hits = lib.search("What was written on the label of the little bottle?", k=1, record=False)
    cid = hits[0].chunk_id
    block = blocks_of_chunks(store, [cid])[cid]
    first, last = store.db.execute("SELECT first_chunk, last_chunk FROM blocks WHERE id = ?",
                                   [block]).fetchone()
    keys, sentences = _key_bytes(store, first, last)
    rows, size = dense_index_size(store)
    move_tiers(store, [TierMove(block, first, last, "warm", "cold")], clock.now())
    assert _key_bytes(store, first, last) == ([], [])
    assert dense_index_size(store)[1] < size
    assert store.missing_keys() == []          # parked keys are not "missing"
    dense = lib.search("the little bottle labelled drink me", k=20, mode="dense", record=False)
    assert all(not first <= h.chunk_id <= last for h in dense)
    assert cid in {h.chunk_id for h in lib.search("DRINK ME bottle", k=10, mode="bm25", record=False)}
    # fused search: keyword finds the cold chunk, its parked keys rank it beside dense hits
    fused = lib.search("the bottle labelled DRINK ME", k=5, record=False)
    assert cid in {h.chunk_id for h in fused}
    assert block_tier(store, block) == "cold"            # record=False: not a use
    move_tiers(store, [TierMove(block, first, last, "cold", "hot")], clock.now(),
               {c: v for c, v in zip(range(first, last + 1),
                                     lib.encoder.encode([store.chunks([c])[c].text for c in range(first, last + 1)]))})
    assert _key_bytes(store, first, last) == (keys, sentences)
    assert store.db.execute("SELECT count(*) FROM hot_keys").fetchone()[0] == last - first + 1
    assert block_tier(store, block) == "hot"
    top = lib.search("What was written on the label of the little bottle?", k=1, record=False)
    assert top[0].chunk_id == cid


def test_search_records_recalled_and_hooks_record_their_events(aged):
    lib, clock = aged
    hits = lib.search("Who won the Caucus-race?", k=3)
    lib.citation_opened(hits[0].chunk_id)
    lib.answer_copied([hits[0].chunk_id])
    lib.document_opened(hits[0].location.path)
    lib.search("Who won the Caucus-race?", k=3, record=False)
    kinds = lib.store.db.execute("SELECT kind, count(*) FROM usage_events GROUP BY kind").fetchall()
    assert dict(kinds) == {"recalled": 3, "citation_opened": 1, "answer_copied": 1,
                           "document_opened": 1}
    at = {r[0] for r in lib.store.db.execute("SELECT at FROM usage_events")}
    assert at == {clock.now()}


def test_ask_records_its_evidence_as_recalled_and_its_citations_as_cited(aged):
    lib, _ = aged
    ans = lib.ask("What did the Dodo present to Alice as her prize?", max_tokens=8)
    assert ans.evidence and ans.citations          # the opening quote is always cited
    rows = lib.store.db.execute("SELECT kind, chunk_id FROM usage_events").fetchall()
    assert {c for k, c in rows if k == "recalled"} == {h.chunk_id for h in ans.evidence}
    assert {c for k, c in rows if k == "cited"} == {h.chunk_id for _, h in ans.citations}
