"""A question's bridges: the library's own words for what the reader named in plain words.

Why: a paraphrased question shares no rare word with its answer, so keyword search cannot
help and the dense score of the answer sits barely above prose about nothing in particular.
But "safe" → "strongbox", "metalworker" → "blacksmith", "tavern" → "inn" are one WordNet step
apart (engine/recall/thesaurus.py). A bridge is such a related word that occurs in the
library; a chunk holding a bridge gains credit in proportion to how rare the bridge is
there, so a rare "strongbox" counts and a common "man" does not (engine/recall/fusion.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from engine.recall.thesaurus import Thesaurus

__all__ = ["Bridges", "find_bridges", "MAX_PER_TERM"]

MAX_PER_TERM = 12   # the rarest bridges of a query word kept: the rest are common noise


@dataclass
class Bridges:
    """For each query word (or two-word phrase): its bridges with their IDF."""

    by_term: dict[str, dict[str, float]] = field(default_factory=dict)

    def words(self) -> list[str]:
        return sorted({b for bs in self.by_term.values() for b in bs})

    def __bool__(self) -> bool:
        return bool(self.by_term)          # only terms with bridges are kept


def find_bridges(terms: list[str], thesaurus: Thesaurus | None,
                 idf_of: Callable[[str], float | None]) -> Bridges:
    """Bridges of each query term and of each adjacent pair ("record keeper").

    `idf_of(word)` is the word's IDF in the library, None where it does not occur. A query
    word's own forms are not bridges (keyword search already has them)."""
    out = Bridges()
    if thesaurus is None:
        return out
    spans = list(terms) + [f"{a} {b}" for a, b in zip(terms, terms[1:])]
    asked = set(terms)
    for span in spans:
        found: dict[str, float] = {}
        for word in thesaurus.related(span):
            if word in asked or any(word.startswith(t[:5]) and len(t) >= 5 for t in asked):
                continue
            weight = idf_of(word)
            if weight is not None:
                found[word] = weight
        if found:
            keep = sorted(found.items(), key=lambda kv: -kv[1])[:MAX_PER_TERM]
            out.by_term[span] = dict(keep)
    return out
