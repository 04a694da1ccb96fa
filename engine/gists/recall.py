"""Recall over the gist levels: a broad question is answered from gists at the level that
fits it, a narrow one stays on chunks, and one may get both.

- "What is this book about?" — the document gist, then its chapters' gists in order.
- "Summarise chapter 7" — that chapter's gist and its sections' gists.
- "Which chapters discuss beekeeping?" — the chapters engine/gists/chapters.py names
  (scored by their passages), each by its chapter gist.
- "How does Alice's view of the Queen change?" — the chapter gists nearest the question,
  in book order.
A question is also broad when its chunk hits are spread evenly over many blocks: no
passage answers it, so the chapters that hold them do (`spread`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from engine.gists.chapters import ChapterHit
from engine.recall.hit import GistSpan, Hit, spanning
from engine.store import Store
from engine.gists.terms import without_key_words
from engine.store.gists import StoredGist, gist_title

__all__ = ["Broad", "broad_question", "gist_hits", "gist_line", "spread", "theme_of"]

SPREAD_BLOCKS, SPREAD_GAP = 5, 0.04     # top hits from this many blocks, this close in score

_WHOLE = re.compile(
    r"\bwhat\s+(?:is|'s)\s+(?:this|the)\s+(?:whole\s+)?(?:book|document|story|novel|text|paper|"
    r"file|report|talk|video|play|poem|library|code(?:base)?|project)\s+(?:all\s+)?about\b|"
    r"\b(?:summar(?:y|ise|ize)|overview|outline|gist)\s+(?:of\s+)?(?:this|the)\s+(?:whole\s+)?"
    r"(?:book|document|story|novel|text|paper|file|report|play|library|code(?:base)?|project)\b|"
    r"\b(?:summar(?:ise|ize)|sum up)\s+(?:it|everything)\b|\bmain\s+(?:ideas?|themes?|points?|"
    r"arguments?|events?|topics?)\b", re.I)
_WHICH = re.compile(
    r"\b(?:which|what)\s+(?:chapters?|sections?|parts?)\b[^?]*?\b(?:discuss|mention|talk about|"
    r"deal with|are about|is about|cover|describe|feature|concern)s?\b\s*(?P<theme>[^?]+)", re.I)
_PLACE = re.compile(r"\b(?:summar(?:y|ise|ize)|sum up|overview|gist|what happens|what is|"
                    r"what's)\b", re.I)
_CHANGE = re.compile(r"\bhow\s+(?:does|do|did)\b.+\b(?:change|develop|evolve|grow|shift)s?\b|"
                     r"\b(?:throughout|over the course of|across)\s+the\s+(?:book|story|chapters|"
                     r"document|novel)\b", re.I)


@dataclass(frozen=True)
class Broad:
    kind: str            # 'whole' | 'which' | 'place' | 'change' | 'spread'
    theme: str = ""      # what a 'which' question looks for


def theme_of(question: str) -> str | None:
    m = _WHICH.search(question)
    return m.group("theme").strip(" .?!") if m else None


def broad_question(question: str, *, place: bool = False) -> Broad | None:
    """The kind of broad question this is, from its words (None: a narrow question).
    `place`: the question names a chapter or section ("summarise chapter 7")."""
    if (theme := theme_of(question)) is not None:
        return Broad("which", theme)
    if place and _PLACE.search(question):
        return Broad("place")
    if _WHOLE.search(question):
        return Broad("whole")
    if _CHANGE.search(question):
        return Broad("change")
    return None


def spread(hits: Sequence[Hit], block_of: Callable[[int], int | None]) -> bool:
    """Whether the best chunk hits are spread evenly over many blocks: no one passage
    stands out, so the question is about something larger than a passage."""
    top = [h for h in hits if h.gist is None][:8]
    if len(top) < SPREAD_BLOCKS:
        return False
    blocks = {block_of(h.chunk_id) for h in top[:SPREAD_BLOCKS]}
    return (len(blocks - {None}) >= SPREAD_BLOCKS
            and top[0].score - top[SPREAD_BLOCKS - 1].score <= SPREAD_GAP)


def _as_hits(store: Store, gists: Sequence[StoredGist], scores: Sequence[float]) -> list[Hit]:
    ids = [g.first_chunk for g in gists] + [g.last_chunk for g in gists]
    chunks = store.chunks(ids)
    out = []
    for g, s in zip(gists, scores):
        first, last = chunks.get(g.first_chunk), chunks.get(g.last_chunk)
        if first is None or last is None:
            continue
        title = gist_title(g.level, g.section, Path(first.location.path).name)
        loc = spanning(first.location, last.location, g.section)
        # the answer shows and the model reads what the gist says, not its key words
        out.append(Hit(g.first_chunk, without_key_words(g.text), loc, float(s),
                       gist=GistSpan(g.id, g.level, title, g.last_chunk, last.location)))
    return out


def _cosines(gists: Sequence[StoredGist], query: np.ndarray) -> np.ndarray:
    if not gists:
        return np.zeros(0, np.float32)
    return np.stack([g.key for g in gists]) @ query


def gist_hits(store: Store, query: np.ndarray, broad: Broad, *, within: Sequence[int] | None = None,
              k: int = 6, named: Sequence[ChapterHit] = ()) -> list[Hit]:
    """The gists that answer a broad question, best first (empty when the library has
    no gists yet: the question then stays on chunks); `query` is the question's key. A
    'which' question gets the gists of the chapters it `named`
    (engine/gists/chapters.py), scored as they were."""
    if broad.kind == "which":
        score = {(c.doc_id, c.heading): c.score for c in named}
        chosen = [g for g in store.all_gists(("chapter",))
                  if g.key is not None and (g.doc_id, g.section[:1]) in score]
        return _as_hits(store, chosen, [score[g.doc_id, g.section[:1]] for g in chosen])
    gists = [g for g in store.all_gists() if g.key is not None]
    if not gists:
        return []
    if within is not None:                       # a named place: gists inside it
        inside = set(within)
        gists = [g for g in gists if g.first_chunk in inside and g.last_chunk in inside]
        if not gists:
            return []
    if broad.kind == "place":
        # the widest gists inside the place first (the chapter), then its sections
        rank = {"document": 0, "chapter": 1, "section": 2, "block": 3}
        gists.sort(key=lambda g: (rank[g.level], g.first_chunk))
        seen: set[tuple[int, int]] = set()
        pick = []
        for g in gists:
            if (g.first_chunk, g.last_chunk) not in seen:   # a copied level says it once
                seen.add((g.first_chunk, g.last_chunk))
                pick.append(g)
        pick = pick[:k]
        return _as_hits(store, pick, _cosines(pick, query))
    if broad.kind == "whole":
        docs = [g for g in gists if g.level == "document"]
        if not docs:
            return []
        scores = _cosines(docs, query)
        doc = docs[int(np.argmax(scores))]
        chapters = [g for g in gists if g.doc_id == doc.doc_id and g.level == "chapter"
                    and (g.first_chunk, g.last_chunk) != (doc.first_chunk, doc.last_chunk)]
        pick = [doc] + chapters[: k - 1]
        return _as_hits(store, pick, _cosines(pick, query))
    # 'change' or 'spread': the nearest chapter gists, shown in book order
    chapters = [g for g in gists if g.level == "chapter"]
    scores = _cosines(chapters, query)
    order = np.argsort(-scores)[:k]
    pick = sorted((chapters[i] for i in order), key=lambda g: (g.doc_id, g.first_chunk))
    return _as_hits(store, pick, _cosines(pick, query))


def gist_line(gists: Sequence[tuple[int, Hit]]):
    """The answer line of a question answered from gists: the widest gist's first sentence."""
    from engine.answer.answer_line import AnswerLine
    from engine.gists.writer import first_sentences

    widest = {"document": 0, "chapter": 1, "section": 2, "block": 3}
    tag, hit = min(gists, key=lambda g: (widest[g[1].gist.level], g[0]))
    return AnswerLine(first_sentences(hit.text, limit=1), tag, "gist")
