"""A question worked out once: its words, their weights, its keys, its bridges, its place.

Why: the words a question is searched by, its key, and the WordNet bridges of its words
were each worked out again by every step that needed them (recall, the second hop, the
quote chooser, the "does the library say" floor): the question was encoded four times
per answer and the same words weighed five times, and a step that worked them out its
own way ranked by a rule of its own. A `Query` is made once per question (or per hop)
by `Searcher.query` and passed down, so every step ranks by the same rule.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Collection

import numpy as np

from engine.recall.bridges import Bridges
from engine.recall.fusion import KEYWORD_WEIGHT

__all__ = ["Query"]


@dataclass(frozen=True, eq=False)
class Query:
    text: str                     # what keyword search reads: the asked words, plus any
                                  # carried over from a conversation or a first hop
    plain: np.ndarray             # float32 [dim]: the encoder's key of the asked words, so
                                  # cosines are on one scale in every library
    key: np.ndarray               # float32 [dim]: the key dense recall ranks by (through the
                                  # library's query adapter, or mixed with a conversation)
    terms: tuple[str, ...]        # the informative words of `text`
    term_idf: dict[str, float]    # those the library holds, with their IDF
    bridges: Bridges = field(default_factory=Bridges)   # the library's words for them
    within: frozenset[int] | None = None    # the chunks recall is restricted to (a place)
    keyword_weight: float = KEYWORD_WEIGHT  # a second hop searches for names the encoder
                                            # may never have seen: their words count more
    carried: dict[str, float] = field(default_factory=dict)   # words a first hop found
    # (names the second part's "it" stands for), with their IDF: a passage holding the
    # rarest of them is credited like a bridge, whatever share of the query it holds

    def inside(self, chunk_ids: Collection[int] | None) -> "Query":
        """This query restricted to `chunk_ids` (None: anywhere)."""
        return replace(self, within=None if chunk_ids is None else frozenset(chunk_ids))
