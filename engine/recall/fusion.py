"""Fusing keyword and dense evidence into one ranking.

Reciprocal rank fusion lets BM25 noise push out a strong dense match when a paraphrased
question shares no rare word with its answer. So keyword evidence counts by how
informative the matched terms are (their share of the query's IDF mass), and is added to
the dense cosine on one scale instead of being fused by rank alone.
"""
from __future__ import annotations

import math

__all__ = ["KEYWORD_WEIGHT", "fuse", "rrf", "idf"]

# A chunk containing every informative query term gains this much (hub-corrected) cosine.
# Calibrated on both recall benches with hubs subtracted (hubness.py), evidence@5:
#   weight           0.06   0.10   0.15   0.20
#   needle para      0.79   0.79   0.75   0.71    (1 M tokens, paraphrases)
#   book quotes      0.93   0.96   1.00   1.00    (bench/recall.py, exact-quote questions)
#   book para        0.71   0.71   0.71   0.71
# A reader who types the book's own words must find them, so keyword evidence may break
# more than near-ties: 0.15.
KEYWORD_WEIGHT = 0.15


def rrf(rankings: list[list[int]], k: int = 60) -> dict[int, float]:
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, cid in enumerate(ranking):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (k + rank + 1)
    return scores


def idf(df: int, n_chunks: int) -> float:
    return math.log((n_chunks - df + 0.5) / (df + 0.5) + 1.0)


def fuse(
    cosine: dict[int, float],
    matched: dict[int, set[str]],
    term_idf: dict[str, float],
    weight: float = KEYWORD_WEIGHT,
) -> dict[int, float]:
    """score(c) = cosine(c) + weight · Σ idf(matched terms of c) / Σ idf(query terms)."""
    out = dict(cosine)
    mass = sum(term_idf.values())
    if mass <= 0:
        return out
    for cid, terms in matched.items():
        share = sum(term_idf.get(t, 0.0) for t in terms) / mass
        out[cid] = out.get(cid, 0.0) + weight * share
    return out
