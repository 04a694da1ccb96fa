"""Choosing the verbatim evidence sentences an answer opens with.

Small local models paraphrase badly and invent; an answer that opens with the source's own
sentence, cited, stays trustworthy whatever the model adds after it. The sentence is taken
from the passage recall ranked first, scored by the rule that ranked it
(engine/recall/sentence_scores.py): a lower-ranked passage is quoted first only when one
of its sentences clearly scores higher by that same rule.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from engine.recall.hit import Hit
from engine.recall.query import Query
from engine.recall.sentence_scores import Sentence, score_sentences
from engine.store.evidence_sentences import StoredSentence, stored_sentences
from ingest.code import CODE_SUFFIXES
from ingest.prose.split import sentence_spans

__all__ = ["Quote", "best_quotes", "split_sentences", "CLEARLY_BETTER"]

# How much higher a lower-ranked passage's best sentence must score than the first-ranked
# passage's best before it is quoted first (the scale of recall's fused scores).
CLEARLY_BETTER = 0.1
_LONGEST = 600        # characters: longer "sentences" are unpunctuated runs, not quotable


@dataclass(frozen=True)
class Quote:
    text: str
    tag: int        # 1-based evidence number
    score: float    # recall's score of this sentence for the question
    # its plain cosine to the question: unlike `score`, on one scale in every library
    # (centring and hubs only exist once a library is large enough to learn them)
    cosine: float = 0.0


def split_sentences(text: str) -> list[str]:
    """Sentences, never across a blank line: a paragraph cut short (a heading, a truncated
    line) must not glue itself to the next paragraph's first sentence."""
    out = []
    for para in re.split(r"\n\s*\n", text):
        for a, b in sentence_spans(para):
            s = " ".join(para[a:b].split())
            if len(s) >= 12 and len(s.split()) >= 3:
                out.append(s)
    return out


def _quotable(text: str) -> bool:
    return 12 <= len(text) <= _LONGEST and len(text.split()) >= 3


def _sentences(hit: Hit, stored: list[StoredSentence] | None) -> list[Sentence]:
    """A hit's quotable sentences with the keys recall scored them by, where stored.
    Code is quoted by whole source lines (a '.' in code ends no sentence)."""
    if Path(hit.location.path).suffix.lower() in CODE_SUFFIXES:
        return [Sentence(ln.strip()) for ln in hit.text.splitlines() if len(ln.strip()) >= 12]
    if stored:
        out = [Sentence(" ".join(hit.text[s.char_start:s.char_end].split()), s.key, s.hub)
               for s in stored]
        return [s for s in out if _quotable(s.text)]
    return [Sentence(s, chunk=hit.chunk_id) for s in split_sentences(hit.text) if len(s) <= _LONGEST]


def best_quotes(query: Query, evidence: Sequence[Hit], searcher, *, limit: int = 2,
                margin: float = 0.04, among: set[int] | None = None) -> list[Quote]:
    """The first quote: the best sentence of the best-ranked passage (by `Hit.score`),
    unless another passage's best sentence beats it by `CLEARLY_BETTER`; then up to
    `limit - 1` more from other passages scoring within `margin` of it (a question
    answered by two places gets both). Sentences are scored for `query`, the question as
    recall worked it out (`Searcher.query`); `among` limits the tags considered."""
    tags = [t for t in range(1, len(evidence) + 1) if among is None or t in among]
    stored = stored_sentences(searcher.store, [evidence[t - 1].chunk_id for t in tags])
    pieces: list[tuple[int, Sentence]] = []
    for t in tags:
        pieces += [(t, s) for s in _sentences(evidence[t - 1], stored.get(evidence[t - 1].chunk_id))]
    if not pieces:
        return []
    scores, cosine = score_sentences(searcher, query, [s for _, s in pieces])
    best: dict[int, int] = {}                    # tag → index of its best sentence
    for i, (t, _) in enumerate(pieces):
        if t not in best or scores[i] > scores[best[t]]:
            best[t] = i
    ranked = sorted(best, key=lambda t: -evidence[t - 1].score)   # recall's order; stable
    first = best[ranked[0]]
    rival = max((best[t] for t in ranked[1:]), key=lambda i: scores[i], default=None)
    if rival is not None and scores[rival] > scores[first] + CLEARLY_BETTER:
        first = rival
    out = [Quote(pieces[first][1].text, pieces[first][0], float(scores[first]), float(cosine[first]))]
    for i in sorted(best.values(), key=lambda i: -scores[i]):
        tag, sentence = pieces[i]
        if len(out) >= limit or scores[i] < out[0].score - margin:
            break
        if any(q.tag == tag or q.text == sentence.text for q in out):
            continue                  # one quote a place, and the same words only once
        out.append(Quote(sentence.text, tag, float(scores[i]), float(cosine[i])))
    return out
