"""Scoring single sentences of recalled evidence the way recall scored their chunks.

Why: recall ranks a chunk by its best key (chunk or sentence; centred, less its hub) plus
credit for the question's informative words and for their WordNet bridges. The sentence an
answer quotes must be judged by that same rule, or a sentence that merely shares two of the
question's words beats the one that made its passage rank first.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from engine.recall.fusion import CARRIED_WEIGHT, bridge_credit, fuse
from engine.recall.hubness import HUB_WEIGHT
from engine.recall.query import Query
from engine.store.projection import centred
from engine.store.text_match import words_held

__all__ = ["Sentence", "score_sentences"]


@dataclass(frozen=True)
class Sentence:
    text: str
    key: np.ndarray | None = None     # its stored key; None: encode it now
    hub: float = 0.0                  # its stored hub (0 when encoded now)
    # A sentence with no key of its own in a chunk keyed whole (one sentence long): it is
    # scored as recall scored that chunk's key, less how much worse it matches than the
    # chunk's best-matching sentence.
    chunk: int | None = None


def score_sentences(searcher, query: Query, sentences: Sequence[Sentence]
                    ) -> tuple[np.ndarray, np.ndarray]:
    """(recall's score of each sentence for `query`: dense (centred, less hub) + keyword
    credit + bridge credit; the plain cosine of each sentence to the asked words), both
    [N] float32. The query is the one recall ranked by: nothing about it is worked out
    again, and only sentences without a stored key are encoded."""
    if not sentences:
        return np.zeros(0, np.float32), np.zeros(0, np.float32)
    store = searcher.store
    q = query.key
    fresh = [i for i, s in enumerate(sentences) if s.key is None]
    keys = np.zeros((len(sentences), len(q)), np.float32)
    if fresh:
        keys[fresh] = searcher.encoder.encode([sentences[i].text for i in fresh])
    for i, s in enumerate(sentences):
        if s.key is not None:
            keys[i] = s.key
    proj = store.projection()
    hubs = np.array([s.hub for s in sentences], np.float32)
    dense = centred(proj, keys) @ centred(proj, q) - HUB_WEIGHT * hubs
    whole = [i for i in fresh if sentences[i].chunk is not None]
    if whole:
        routed = searcher.similarity(query, sorted({sentences[i].chunk for i in whole}))
        best: dict[int, float] = {}
        for i in whole:
            c = sentences[i].chunk
            best[c] = max(best.get(c, -np.inf), float(dense[i]))
        for i in whole:
            c = sentences[i].chunk
            if c in routed:
                dense[i] = routed[c] + dense[i] - best[c]
    term_idf = query.term_idf
    weights = {w: idf for bs in query.bridges.by_term.values() for w, idf in bs.items()}
    held = words_held([s.text for s in sentences], [*term_idf, *weights])
    matched = {i: h & term_idf.keys() for i, h in enumerate(held) if h & term_idf.keys()}
    scores = fuse({i: float(d) for i, d in enumerate(dense)}, matched, term_idf,
                  weight=query.keyword_weight)
    if weights:
        rarest = {i: max(weights[w] for w in h & weights.keys())
                  for i, h in enumerate(held) if h & weights.keys()}
        scores = bridge_credit(scores, rarest)
    if query.carried:
        found = words_held([s.text for s in sentences], list(query.carried))
        rarest = {i: max(query.carried[w] for w in h) for i, h in enumerate(found) if h}
        scores = bridge_credit(scores, rarest, weight=CARRIED_WEIGHT)
    plain = keys / np.maximum(np.linalg.norm(keys, axis=1, keepdims=True), 1e-6)
    cosine = plain @ query.plain
    return np.array([scores[i] for i in range(len(sentences))], np.float32), cosine.astype(np.float32)
