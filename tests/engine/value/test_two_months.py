"""Two months of use over a real library on a settable clock (issue 7's "done when").

Each simulated week the reader asks about chapter I (the bottle, the key) and chapter III
(the Caucus-race), opens the top citation of each, and the library consolidates. Chapters
II, IV and V are never asked about; one block of chapter IV is pinned on day 0. At the end
the used blocks are hot, the never-touched blocks cold, the pinned block is not, a cold
chapter asked about again is found by keyword and promoted, no text or location is lost,
and the scorer's weights survive a restart.
"""
from __future__ import annotations

import torch

from engine.library import Library
from engine.store.tiers import block_tier
from engine.store.usage import blocks_of_chunks
from engine.value import Scorer

FREQUENT = [
    "What was written on the label of the little bottle?",
    "Where did Alice find the tiny golden key?",
    "Who won the Caucus-race and what prizes were given?",
    "What did the Dodo present to Alice as her prize?",
]
COLD_QUESTION = "Caterpillar hookah"   # chapter V, never asked about during the two months
WEEKS = 8


def _chunk_rows(lib: Library) -> list[tuple]:
    return lib.store.db.execute(
        "SELECT id, doc_id, ordinal, text, page, line_start, line_end, section, char_start,"
        " char_end FROM chunks ORDER BY id").fetchall()


def _section_blocks(lib: Library, word: str) -> list[int]:
    return [r[0] for r in lib.store.db.execute(
        "SELECT b.id FROM blocks b JOIN chunks c ON c.id = b.first_chunk"
        " WHERE c.section LIKE ? ORDER BY b.id", [f"%{word}%"]).fetchall()]


def test_two_months_of_use(aged):
    lib, clock = aged
    before_rows = _chunk_rows(lib)
    keys_before = lib.store.db.execute("SELECT count(*) FROM keys").fetchone()[0]
    pinned = _section_blocks(lib, "Little Bill")[0]      # chapter IV, never asked about
    lib.pin([pinned])
    frequent: set[int] = set()
    for week in range(WEEKS):
        clock.advance(days=7)
        for question in FREQUENT:
            hits = lib.search(question, k=3)
            assert hits, question
            lib.citation_opened(hits[0].chunk_id)          # the app's hook when a citation opens
            frequent.add(blocks_of_chunks(lib.store, [hits[0].chunk_id])[hits[0].chunk_id])
        lib.consolidate()

    touched = {r[0] for r in lib.store.db.execute(
        "SELECT DISTINCT b.id FROM usage_events e JOIN blocks b ON e.chunk_id BETWEEN"
        " b.first_chunk AND b.last_chunk")}
    never = set(lib.store.db.execute("SELECT id FROM blocks").fetchall())
    never = {b for (b,) in never} - touched
    assert frequent and never, (frequent, never)
    assert {block_tier(lib.store, b) for b in frequent} == {"hot"}
    assert {block_tier(lib.store, b) for b in never} == {"cold"}
    assert block_tier(lib.store, pinned) != "cold"
    assert lib.memory().to_json()["tiers"]["cold"]["blocks"] == len(never)

    # the dense index shrank; nothing of the text, its locations or keyword index was lost
    assert lib.store.db.execute("SELECT count(*) FROM keys").fetchone()[0] < keys_before
    assert _chunk_rows(lib) == before_rows
    assert lib.store.integrity() == "ok"

    # a cold chapter asked about again: found by keyword, then promoted by the use
    clock.advance(days=3)
    cold_hits = lib.search(COLD_QUESTION, k=3, mode="bm25", record=False)
    assert cold_hits and "CHAPTER V." in cold_hits[0].location.section_path
    block = blocks_of_chunks(lib.store, [cold_hits[0].chunk_id])[cold_hits[0].chunk_id]
    assert block_tier(lib.store, block) == "cold"
    assert cold_hits[0].chunk_id not in {c for c, _ in lib.searcher.memory.search(
        lib.encoder.encode_query(COLD_QUESTION), 200)}
    lib.search(COLD_QUESTION, k=3, mode="bm25")        # shown to the person: a use
    lib.citation_opened(cold_hits[0].chunk_id)
    assert block_tier(lib.store, block) == "warm"
    dense = lib.search("What was the Caterpillar smoking?", k=5, mode="dense", record=False)
    assert block in set(blocks_of_chunks(lib.store, [h.chunk_id for h in dense]).values())
    lib.consolidate()
    assert block_tier(lib.store, block) != "cold"       # not straight back down

    # the scorer learned, and its weights survive a restart
    state = Scorer.load(lib.store).state()
    prior = Scorer().state()
    assert any(not torch.equal(state[k], prior[k]) for k in state)
    path, encoder = lib.path, lib.encoder
    lib.close()
    with Library(path, encoder=encoder, clock=clock) as again:
        after = Scorer.load(again.store).state()
        assert _chunk_rows(again) == before_rows
    assert all(torch.equal(state[k], after[k]) for k in state)
