"""Choosing the verbatim evidence sentence that best answers a question.

Small local models paraphrase badly and invent; an answer that opens with the source's
own sentence, cited, stays trustworthy whatever the model adds after it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from engine.model.encoder import Encoder
from engine.recall.hit import Hit
from engine.recall.keyword import query_terms
from ingest.prose.split import sentence_spans
from ingest.code import CODE_SUFFIXES

__all__ = ["Quote", "best_quote", "split_sentences"]

@dataclass(frozen=True)
class Quote:
    text: str
    tag: int        # 1-based evidence number
    score: float


def split_sentences(text: str) -> list[str]:
    out = []
    for a, b in sentence_spans(text):
        s = " ".join(text[a:b].split())
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
    sentences: list[tuple[int, str]] = []
    for tag, hit in enumerate(evidence, start=1):
        sentences += [(tag, s) for s in _pieces(hit) if len(s) <= 600]
    if not sentences:
        return None
    keys = encoder.encode([s for _, s in sentences])
    cos = keys @ encoder.encode_query(question)
    terms = set(query_terms(question))
    overlap = np.array([
        len(terms & set(query_terms(s))) / max(1, len(terms)) for _, s in sentences
    ], dtype=np.float32)
    score = cos + 0.15 * overlap
    best = int(np.argmax(score))
    tag, text = sentences[best]
    return Quote(text=text, tag=tag, score=float(score[best]))
