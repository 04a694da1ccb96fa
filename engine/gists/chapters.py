"""Which chapters discuss a theme ("which chapters mention the lighthouse?").

A chapter is what the gist tree calls one (engine/gists/plan.py: the consecutive blocks
under one top-level heading), so this works as soon as a document is understood, before
any gist is written; gists then add what each named chapter is about.

Why a chapter is scored by its best passage with sentences counted as passages: a
subject a chapter takes up is often a few sentences among pages about other things, and
a chunk's key averages them away. On the planted-theme book (bench/gists.py, calibration
themes) chunk keys alone named exactly the right chapters for under half the questions,
sentence keys for most. Where the digest has written a chapter's gists, the best of them
(chapter, section or block) takes a small share of the score: what a small model says a
chapter is about drifts more than what the chapter's own sentences say, and at larger
shares it lowered the calibration figure (the sweep is in the bench's output).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

from engine.gists.plan import plan_tree
from engine.store import Store

__all__ = ["ChapterHit", "chapter_scores", "chapters_named", "named_by_reach", "CHAPTER_REACH",
           "GIST_SHARE"]

# A chapter is named when its score stands out from the book's median chapter at least
# this share as far as the best chapter's does. Relative, because how far apart
# scores lie depends on the book: a planted theme among filler scores 0.3-0.5 with
# chapters a hair apart, a character in a novel 0.6-0.9 with wide gaps. Fitted on
# calibration questions about two books (bench/gists.py prints the sweep), reported on
# held-out ones.
CHAPTER_REACH = 0.5
# Scores closer than this are the same score: the same sentence in two books is keyed in
# two batches of different shapes, and bfloat16 sums rounded differently left its two
# scores 1e-4 apart, which the median (itself one of them when most chapters hold the
# theme) turned into "named" and "not named".
TIE = 1e-3
# the share of a chapter's score its best gist takes, where it has gists (fitted on the
# planted-theme book's calibration themes at CHAPTER_REACH: the sample book has none there)
GIST_SHARE = 0.1


@dataclass(frozen=True)
class ChapterHit:
    doc_id: int
    heading: tuple[str, ...]   # (its top-level heading,)
    first_chunk: int
    last_chunk: int
    best_chunk: int            # the chunk holding its best passage
    passage: float             # that passage's cosine to the theme
    gist: float | None = None  # its best gist's cosine to the theme (None: no gists yet)

    @property
    def score(self) -> float:
        """What names it: its passage, with its gist's share where it has gists."""
        if self.gist is None:
            return self.passage
        return (1 - GIST_SHARE) * self.passage + GIST_SHARE * self.gist


def chapter_scores(store: Store, doc_ids: Iterable[int], query: np.ndarray) -> list[ChapterHit]:
    """Every chapter of the given documents scored against `query`, documents in the
    order given, chapters in book order. A document with fewer than two chapters has
    none to tell apart and is left out, as is text before the first heading (a title
    page, a contents list)."""
    out: list[ChapterHit] = []
    for doc_id in doc_ids:
        chapters = [c for c in plan_tree(store.block_spans(doc_id))["chapter"] if c.section]
        if len(chapters) < 2:
            continue
        ids, keys, _ = store.document_keys(doc_id)
        owners, sentence_keys = store.document_sentence_keys(doc_id)
        where = np.concatenate([np.asarray(ids, np.int64), owners])
        parts = [k @ query for k in (keys, sentence_keys) if len(k)]
        if not parts:
            continue
        cos = np.concatenate(parts)
        gists: dict[tuple[str, ...], float] = {}
        for g in store.gists(doc_id):
            if g.key is not None and g.level != "document" and g.section:
                gists[g.section[:1]] = max(gists.get(g.section[:1], -1.0), float(g.key @ query))
        for c in chapters:
            inside = np.flatnonzero((where >= c.first_chunk) & (where <= c.last_chunk))
            if len(inside):
                best = inside[int(np.argmax(cos[inside]))]
                out.append(ChapterHit(doc_id, c.section[:1], c.first_chunk, c.last_chunk,
                                      int(where[best]), float(cos[best]),
                                      gists.get(c.section[:1])))
    return out


def named_by_reach(scores: Sequence[float], reach: float = CHAPTER_REACH) -> list[int]:
    """Indices of the scores that stand out from their median at least `reach` times as
    far as the best one does (the best always, and any that ties it; all of them when
    none stands out)."""
    values = np.asarray(scores, np.float64)
    if not len(values):
        return []
    top, base = values.max(), float(np.median(values))
    return [i for i, v in enumerate(values)
            if v >= top - TIE or v - base >= reach * (top - base) - 1e-9]


def chapters_named(store: Store, doc_ids: Iterable[int], query: np.ndarray,
                   reach: float = CHAPTER_REACH) -> list[ChapterHit]:
    """The chapters a 'which chapters' question names (`named_by_reach` over every
    chapter of the given documents), in the order `chapter_scores` gives."""
    scored = chapter_scores(store, doc_ids, query)
    return [scored[i] for i in named_by_reach([c.score for c in scored], reach)]
