"""Recall on a real library: paraphrased questions find the planted page."""
from __future__ import annotations

import pytest

from tests.engine.conftest import FACTS


@pytest.mark.parametrize("fact", FACTS, ids=lambda f: f"page{f.page}")
def test_paraphrased_question_finds_the_planted_page(planted_library, fact):
    hits = planted_library.search(fact.question, k=5)
    assert fact.page in [h.location.page for h in hits]


def test_modes_return_located_hits(planted_library):
    for mode in ("bm25", "dense", "fused", "rrf"):
        hits = planted_library.search("lighthouse key rye bread", k=3, mode=mode)
        assert hits and hits[0].location.page == 3, mode
        assert hits[0].to_json()["page"] == 3
        assert set(hits[0].to_json()) >= {"path", "page", "line_start", "line_end", "start_s",
                                           "end_s", "section", "text", "score"}


def test_results_are_deduplicated_and_ranked(planted_library):
    hits = planted_library.search("Alice and the White Rabbit", k=10)
    ids = [h.chunk_id for h in hits]
    assert len(ids) == len(set(ids)) == 10
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_empty_query_returns_nothing(planted_library):
    assert planted_library.search("   ", k=5) == []


def test_a_plain_word_bridges_to_the_books_rarer_word(planted_library):
    """"beacon" and "lighthouse" are one WordNet step apart; only page 3 says lighthouse."""
    from engine.recall.fusion import BRIDGE_RARE, BRIDGE_WEIGHT
    from engine.recall.search import Searcher
    lib = planted_library
    question = "Where was the beacon tower's key concealed?"
    plain = {h.chunk_id: h.score for h in
             Searcher(lib.store, lib.encoder, bridges=False).search(question, k=30)}
    searcher = Searcher(lib.store, lib.encoder)
    bridged = searcher.search(question, k=30)
    top = bridged[0]
    assert top.location.page == 3 and "lighthouse" in top.text
    rarity = max(searcher.postings.idf(w) or 0 for w in ("lighthouse", "hidden", "hide"))
    assert rarity > 0
    assert top.score >= plain[top.chunk_id] + BRIDGE_WEIGHT * min(1.0, rarity / BRIDGE_RARE) - 1e-6
    unbridged = [h for h in bridged if "lighthouse" not in h.text.lower()
                 and "hid" not in h.text.lower() and h.chunk_id in plain]
    assert unbridged and all(abs(h.score - plain[h.chunk_id]) < 1e-6 or h.score > plain[h.chunk_id]
                             for h in unbridged)
