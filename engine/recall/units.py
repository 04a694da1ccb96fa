"""Which unit of code does what a description says: "which function returns the shortest
path between two nodes?"

Why not chunks: a code unit is split into chunks by the token budget (its docstring in one,
its body in the next), and chunk recall ranks a body that uses the question's words above
the docstring that says them; in a package of a few hundred thousand lines the unit was in
search's top five for about half the questions that quoted its own docstring. A unit is
described by its name, its signature and the first line of its docstring; a description
is matched against those: by the informative words they share (weighed by how rare each
is among the library's units, both ways: how much of the description the unit covers and
how much of the unit the description covers), and then, for the best candidates and the
units chunk recall found, by the encoder's cosine between the description and the
docstring line.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from engine.recall.keyword import query_terms
from engine.store import Store, symbols
from engine.store.symbols import Unit

__all__ = ["UnitIndex", "UnitHit", "words_of", "DENSE_WEIGHT", "CANDIDATES"]

CANDIDATES = 40       # units read by the encoder per question: the best by shared words
# The cosine's weight beside the shared words' score (both 0..1). Fitted on the calibration
# half of bench/answers.py's docstring questions (networkx): top-1 0.90 from no weight up
# to 1, 0.95 at 2 and 4; the sweep is in its output.
DENSE_WEIGHT = 2.0
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def words_of(text: str) -> list[str]:
    """Informative words of a name or a sentence, stemmed by their first five letters
    (a description says "computes", the docstring "Compute"); names split at underscores
    and capitals."""
    text = _CAMEL.sub(" ", text.replace("_", " "))
    return [w[:5] for w in query_terms(text)]


@dataclass(frozen=True)
class UnitHit:
    unit: Unit
    score: float
    words: float          # the shared words' score
    cosine: float | None  # the encoder's cosine to the docstring line (None: not read)


class UnitIndex:
    """The library's units with their words, rebuilt when the library changes."""

    def __init__(self, store: Store):
        self.store = store
        self._gen = -1
        self.units: list[Unit] = []
        self._words: list[dict[str, float]] = []
        self._idf: dict[str, float] = {}

    def _refresh(self) -> None:
        gen = self.store.generation()
        if gen == self._gen:
            return
        self.units = [u for u in symbols.units(self.store) if not u.name.startswith("__")]
        bags = [set(words_of(u.name) + words_of(u.doc)) for u in self.units]
        df: dict[str, int] = {}
        for bag in bags:
            for w in bag:
                df[w] = df.get(w, 0) + 1
        n = max(1, len(bags))
        self._idf = {w: math.log(1 + n / c) for w, c in df.items()}
        self._words = [{w: self._idf[w] for w in bag} for bag in bags]
        self._gen = gen

    def __len__(self) -> int:
        self._refresh()
        return len(self.units)

    def by_words(self, description: str) -> list[tuple[int, float]]:
        """(unit index, score) of units sharing informative words with the description,
        best first: the harmonic mean of the description's word weight the unit holds and
        the unit's word weight the description holds."""
        self._refresh()
        asked = {w: self._idf.get(w, 0.0) for w in set(words_of(description))}
        mass = sum(asked.values())
        if mass <= 0:
            return []
        out = []
        for i, bag in enumerate(self._words):
            shared = sum(asked[w] for w in asked if w in bag)
            if shared <= 0:
                continue
            recall, precision = shared / mass, shared / max(sum(bag.values()), 1e-9)
            out.append((i, 2 * recall * precision / (recall + precision)))
        out.sort(key=lambda x: -x[1])
        return out

    def match(self, description: str, plain: np.ndarray, encode, *,
              also: Sequence[tuple[str, str]] = (), kind: str = "", k: int = 5) -> list[UnitHit]:
        """The `k` units best matching a description: the best `CANDIDATES` by shared
        words and the units named in `also` ((path, qualname) of code chunk recall found),
        scored by shared words plus `DENSE_WEIGHT` × the cosine between `plain` (the
        description's key) and each one's docstring line (`encode(texts)` keys them).
        `kind` 'class' or 'function' keeps units of that kind (methods are functions)."""
        self._refresh()

        def fits(i: int) -> bool:
            u = self.units[i].kind
            return not kind or (u == "class") == (kind == "class")
        scored = dict([(i, s) for i, s in self.by_words(description) if fits(i)][:CANDIDATES])
        where = {(u.path, u.qualname): i for i, u in enumerate(self.units)}
        for key in also:
            if key in where and fits(where[key]):
                scored.setdefault(where[key], 0.0)
        if not scored:
            return []
        order = list(scored)
        texts = [self.units[i].doc or self.units[i].name.replace("_", " ") for i in order]
        cos = np.asarray(encode(texts), np.float32) @ np.asarray(plain, np.float32)
        hits = [UnitHit(self.units[i], scored[i] + DENSE_WEIGHT * float(c), scored[i], float(c))
                for i, c in zip(order, cos)]
        hits.sort(key=lambda h: -h.score)
        return hits[:k]
