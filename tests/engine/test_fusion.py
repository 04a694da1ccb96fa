"""Fusion and citation plumbing: small pure functions with exact expectations."""
from __future__ import annotations

from engine.answer.citations import CitationFilter, cited_numbers
from engine.recall.fusion import fuse, idf, rrf
from engine.recall.keyword import fts_query, query_terms


def test_query_terms_drop_stopwords_and_duplicates():
    assert query_terms("What did the Queen say to the queen's gardeners?") == ["queen", "queen's", "gardeners"]
    assert fts_query("the of and") is None


def test_fts_query_quotes_user_syntax():
    q = fts_query('rabbit" OR hole*')
    assert q == '"rabbit" OR "hole"'


def test_keyword_noise_never_beats_strong_dense_match():
    # chunk 1: no query term, high similarity; chunk 2: common word only, low similarity
    term_idf = {"rare": idf(1, 1000), "common": idf(600, 1000)}
    scores = fuse({1: 0.62, 2: 0.20}, {2: {"common"}}, term_idf)
    assert scores[1] > scores[2]


def test_rare_term_match_lifts_a_chunk():
    term_idf = {"strongbox": idf(1, 1000), "old": idf(300, 1000)}
    scores = fuse({1: 0.42, 2: 0.45}, {1: {"strongbox"}}, term_idf)
    assert scores[1] > scores[2]


def test_keyword_credit_starts_beyond_the_floor():
    # three equally informative terms: one matched is below the floor, all three is a quote
    term_idf = {"archivist": 5.0, "strongbox": 5.0, "spectacle": 5.0}
    scores = fuse({1: 0.30, 2: 0.30, 3: 0.30}, {2: {"archivist"}, 3: set(term_idf)}, term_idf,
                  weight=0.2, floor=0.5)
    assert scores[2] == 0.30                       # a third of the mass: no credit
    assert abs(scores[3] - 0.50) < 1e-9            # the whole query: the full weight


def test_rrf_sums_reciprocal_ranks():
    s = rrf([[1, 2], [2, 3]], k=60)
    assert s[2] > s[1] > s[3]


def test_citation_filter_drops_invented_tags_even_when_split():
    f = CitationFilter(2)
    out = f.feed("Alice grew [1") + f.feed("] and shrank [") + f.feed("7] again [2].") + f.flush()
    assert out == "Alice grew [1] and shrank  again [2]."
    assert cited_numbers(out) == [1, 2]


def test_citation_filter_passes_plain_brackets():
    f = CitationFilter(3)
    assert f.feed("a [note] and [") + f.feed("x]") + f.flush() == "a [note] and [x]"


def test_a_bridge_lifts_a_near_tie_but_not_over_a_strong_match():
    from engine.recall.fusion import BRIDGE_RARE, BRIDGE_WEIGHT, bridge_credit
    scores = {1: 0.40, 2: 0.38, 3: 0.30}
    out = bridge_credit(scores, {2: BRIDGE_RARE + 3.0, 3: 2.0})
    assert out[2] > out[1]                                   # a rare bridge wins a near tie
    assert abs(out[2] - (0.38 + BRIDGE_WEIGHT)) < 1e-9       # capped at the full weight
    assert abs(out[3] - (0.30 + BRIDGE_WEIGHT * 2.0 / BRIDGE_RARE)) < 1e-9
    assert out[1] == 0.40 and bridge_credit({1: 0.62}, {2: 20.0})[1] == 0.62
    assert bridge_credit({1: 0.62, 2: 0.2}, {2: 20.0})[1] > bridge_credit({1: 0.62, 2: 0.2}, {2: 20.0})[2]
