"""Recall with a given query key and, optionally, only among some chunks.

`Searcher.search` takes text; a follow-up recalls with a key mixed from the question and
the conversation memory, and a place-restricted question only inside that place. This thin
helper reuses the searcher's own scoring steps (dense + keyword, fused) so the two paths
rank alike; if the searcher's internals change shape it falls back to `search` + filter.
"""
from __future__ import annotations

from typing import Collection

import numpy as np

from engine.recall import Hit, Searcher
from engine.recall.fusion import fuse
from engine.recall.keyword import fts_query

__all__ = ["recall"]

_POOL = 50


def recall(searcher: Searcher, text: str, *, k: int, key: np.ndarray | None = None,
           within: Collection[int] | None = None, exact: bool = False,
           keyword_weight: float | None = None) -> list[Hit]:
    """Top `k` evidence for `text` (keyword side) and `key` (dense side; the text's own key
    when None), restricted to chunk ids `within` when given. `keyword_weight` raises the
    weight of shared rare words (a second hop searches for names the encoder never saw)."""
    text = text.strip()
    if not text or k <= 0 or (within is not None and not within):
        return []
    if key is None and within is None and keyword_weight is None:
        return searcher.search(text, k=k, mode="exact" if exact else "fused")
    qkey = key if key is not None else searcher.encoder.encode_query(text)
    try:
        dense_top, cosine_of = searcher._dense(qkey, max(_POOL, k), exact=exact)
        if within is not None:
            candidates = sorted(set(within))
        else:
            match = fts_query(text)
            keyword = searcher.store.keyword(match, max(_POOL, k)) if match else []
            candidates = sorted({c for c, _ in dense_top} | {c for c, _ in keyword})
        cosine = cosine_of(candidates)
        term_idf, matched = searcher._matches(text, candidates)
        weight = {} if keyword_weight is None else {"weight": keyword_weight}
        return searcher._hits(fuse(cosine, matched, term_idf, **weight), k)
    except AttributeError:       # the searcher changed shape: filter its ordinary results
        allowed = set(within) if within is not None else None
        hits = searcher.search(text, k=k * 20 if allowed else k)
        return [h for h in hits if allowed is None or h.chunk_id in allowed][:k]
