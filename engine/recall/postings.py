"""Which chunks hold a word: the keyword index's answers, kept until the library changes.

Why: a question's bridges (engine/recall/bridges.py) are dozens of words, each needing its
document frequency and the candidates that hold it. Asked of FTS5 one candidate set at a
time that is a hundred queries a search; a rare word's few chunks, kept once read, turn
that into set lookups, and a common word's count is read once."""
from __future__ import annotations

from engine.recall.fusion import idf
from engine.recall.keyword import phrase
from engine.store import Store

__all__ = ["Postings"]

KEEP = 2000   # a word in more chunks than this keeps only its count


class Postings:
    def __init__(self, store: Store):
        self.store = store
        self._gen = -1
        self._chunks = 0
        self._held: dict[str, frozenset[int] | int] = {}   # word → its chunks, or their count

    def refresh(self) -> None:
        """Drop what was read once the library has changed; call once per search."""
        gen = self.store.generation()
        if gen != self._gen:
            self._gen, self._chunks, self._held = gen, self.store.chunk_count(), {}

    def _holders(self, word: str) -> frozenset[int] | int:
        if word not in self._held:
            ids = self.store.match_ids(phrase(word), KEEP + 1)
            self._held[word] = (frozenset(ids) if len(ids) <= KEEP
                                else self.store.match_count(phrase(word)))
        return self._held[word]

    def idf(self, word: str) -> float | None:
        """IDF of a word (or phrase) in the library; None where no chunk holds it."""
        held = self._holders(word)
        df = held if isinstance(held, int) else len(held)
        return idf(df, self._chunks) if df else None

    def among(self, word: str, candidates: list[int]) -> set[int]:
        held = self._holders(word)
        if isinstance(held, int):
            return set(self.store.match_among(phrase(word), candidates))
        return held.intersection(candidates)
