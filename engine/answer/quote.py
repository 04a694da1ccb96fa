"""Choosing the verbatim evidence sentence that best answers a question.

Small local models paraphrase badly and invent; an answer that opens with the source's
own sentence, cited, stays trustworthy whatever the model adds after it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from engine.model.encoder import Encoder
from engine.recall.hit import Hit
from engine.recall.keyword import query_terms
from ingest.prose.split import sentence_spans
from ingest.code import CODE_SUFFIXES

__all__ = ["Quote", "best_quote", "best_quotes", "split_sentences"]

@dataclass(frozen=True)
class Quote:
    text: str
    tag: int        # 1-based evidence number
    score: float


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


def _pieces(hit: Hit) -> list[str]:
    """Sentences of prose; whole source lines of code (a '.' in code ends no sentence)."""
    if Path(hit.location.path).suffix.lower() in CODE_SUFFIXES:
        return [ln.strip() for ln in hit.text.splitlines() if len(ln.strip()) >= 12]
    return split_sentences(hit.text)


def best_quote(question: str, evidence: Sequence[Hit], encoder: Encoder) -> Quote | None:
    """Score each evidence sentence by cosine to the question plus shared rare words."""
    quotes = best_quotes(question, evidence, encoder, limit=1)
    return quotes[0] if quotes else None


def best_quotes(question: str, evidence: Sequence[Hit], encoder: Encoder, *, limit: int = 2,
                margin: float = 0.04, among: set[int] | None = None,
                key: np.ndarray | None = None) -> list[Quote]:
    """The best sentence, and up to `limit - 1` more scoring within `margin` of it from
    other evidence (a question answered by two places gets both). `among` limits the tags
    considered; `key` replaces the question's own key (a follow-up's resolved key)."""
    sentences: list[tuple[int, str]] = []
    for tag, hit in enumerate(evidence, start=1):
        if among is None or tag in among:
            sentences += [(tag, s) for s in _pieces(hit) if len(s) <= 600]
    if not sentences:
        return []
    keys = encoder.encode([s for _, s in sentences])
    cos = keys @ (key if key is not None else encoder.encode_query(question))
    terms = set(query_terms(question))
    overlap = np.array([
        len(terms & set(query_terms(s))) / max(1, len(terms)) for _, s in sentences
    ], dtype=np.float32)
    score = cos + 0.15 * overlap
    order = np.argsort(-score, kind="stable")
    best = float(score[order[0]])
    out: list[Quote] = []
    for i in order:
        tag, text = sentences[int(i)]
        if len(out) >= limit or float(score[i]) < best - margin:
            break
        if any(q.tag == tag or " ".join(q.text.split()) == " ".join(text.split()) for q in out):
            continue                  # one quote a place, and the same words only once
        out.append(Quote(text=text, tag=tag, score=float(score[i])))
    return out
