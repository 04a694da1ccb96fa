"""Fusing keyword and dense evidence into one ranking.

Reciprocal rank fusion lets BM25 noise push out a strong dense match when a paraphrased
question shares no rare word with its answer. So keyword evidence counts by how
informative the matched terms are (their share of the query's IDF mass, counted only
beyond a floor), and is added to the dense cosine on one scale instead of being fused by
rank alone.
"""
from __future__ import annotations

import math

__all__ = ["KEYWORD_WEIGHT", "KEYWORD_FLOOR", "BRIDGE_WEIGHT", "BRIDGE_RARE", "CARRIED_WEIGHT", "fuse",
           "bridge_credit", "rrf", "idf", "stand_in_cosine"]

# A chunk containing every informative query term gains KEYWORD_WEIGHT (hub-corrected,
# centred) cosine; one containing at most KEYWORD_FLOOR of the query's IDF mass gains
# nothing, linearly between. A paraphrase shares only common words with its answer, and
# partial matches of those are noise; a quote matches nearly all of them. The floor keeps
# that noise from costing paraphrases, and the weight is large enough that a reader who
# types the book's own words finds them. Calibrated with centred scores
# (engine/store/projection.py) on both recall benches' paraphrases and the long book's
# quotes (bench/needle.py and bench/recall.py print them).
KEYWORD_WEIGHT = 0.2
KEYWORD_FLOOR = 0.5

# A chunk holding a bridge (engine/recall/bridges.py) of a query word gains BRIDGE_WEIGHT
# cosine when the bridge is at least BRIDGE_RARE rare (IDF; ~a dozen chunks of a million
# tokens), proportionally less when commoner; the best bridge counts, not their sum, so a
# chunk full of common relatives gains little. Calibrated on the needle bench's paraphrases
# and its control of questions about ordinary sentences (bench/needle.py prints both, with
# and without bridges): a larger weight lifts the paraphrases further but starts to cost
# the control. Summing all bridged words instead of the best one lifts the paraphrases as
# much but costs the control more at every weight.
BRIDGE_WEIGHT = 0.08
BRIDGE_RARE = 8.0

# A second hop carries the rarest words of what the first hop found: the names the second
# part's "it" stands for. A passage holding the rarest of them gains this much (scaled by
# rarity as a bridge is), whatever share of the query's words it holds: the floor above
# would give a passage naming only "Ashdown" among a dozen carried words nothing. Fitted
# on the calibration half of bench/answers.py's chained questions.
CARRIED_WEIGHT = 0.15


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
    floor: float = KEYWORD_FLOOR,
) -> dict[int, float]:
    """score(c) = cosine(c) + weight · max(0, share(c) − floor) / (1 − floor), where
    share(c) = Σ idf(matched terms of c) / Σ idf(query terms)."""
    out = dict(cosine)
    mass = sum(term_idf.values())
    if mass <= 0:
        return out
    for cid, terms in matched.items():
        share = sum(term_idf.get(t, 0.0) for t in terms) / mass
        out[cid] = out.get(cid, 0.0) + weight * max(0.0, share - floor) / (1.0 - floor)
    return out


def stand_in_cosine(cosine: dict[int, float], unkeyed: list[int],
                    matched: dict[int, set[str]], term_idf: dict[str, float]) -> dict[int, float]:
    """`cosine` plus a stand-in for chunks that have no key yet (their document is readable,
    not yet understood): the best cosine among the candidates times the chunk's share of
    the query's IDF mass.

    Why: keyword credit alone is a small bonus on top of a cosine, so without a stand-in a
    document dropped a minute ago could never outrank an understood one, even when it holds
    every word of the question. A chunk holding all of them now ties the best dense match
    before its keyword credit; one holding half of them counts half as much. With every
    document understood, nothing changes."""
    if not unkeyed:
        return cosine
    out = dict(cosine)
    best = max(cosine.values(), default=1.0)
    mass = sum(term_idf.values())
    for cid in unkeyed:
        share = sum(term_idf.get(t, 0.0) for t in matched.get(cid, ())) / mass if mass > 0 else 0.0
        out[cid] = best * share
    return out


def bridge_credit(scores: dict[int, float], bridged: dict[int, float],
                  weight: float = BRIDGE_WEIGHT, rare: float = BRIDGE_RARE) -> dict[int, float]:
    """scores(c) + weight · min(1, idf(best bridge in c) / rare); `bridged` maps a chunk
    to the IDF of the rarest bridge it holds."""
    out = dict(scores)
    for cid, best in bridged.items():
        out[cid] = out.get(cid, 0.0) + weight * min(1.0, best / rare)
    return out
