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
