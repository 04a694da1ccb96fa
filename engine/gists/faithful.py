"""Whether a gist says only what its text says: its names and numbers must occur there.

A small model summarises fluently and invents names. The writer keeps a gist's sentences
whose names and numbers all occur in the text it covers; the bench measures the same share
(`claim_support`) for model gists and for a first-sentences baseline.
"""
from __future__ import annotations

import re

from engine.answer.check import claims, contains, norm
from engine.answer.quote import split_sentences

__all__ = ["claim_support", "faithful_sentences", "grounded"]


def claim_support(gist: str, source: str) -> tuple[int, int]:
    """(names and numbers of `gist` found in `source`, all of them)."""
    text = norm(source)
    found = claims(gist)
    return sum(contains(text, norm(c)) for c in found), len(found)


def faithful_sentences(gist: str, source: str) -> list[str]:
    """The sentences of `gist` whose every name and number occurs in `source`, each once."""
    text, kept = norm(source), []
    for sentence in split_sentences(gist) or ([gist.strip()] if gist.strip() else []):
        sentence = " ".join(sentence.split())
        if sentence in kept or len(sentence.split()) < 4:
            continue
        if all(contains(text, norm(c)) for c in claims(sentence)):
            kept.append(sentence)
    return kept


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def grounded(gist: str, source: str) -> str:
    """The words of `gist` that occur in `source` (compared by their first six letters,
    so 'sailing' meets 'sail'), in order: what a gist's key is made of. A small model's
    summary invents a boat in a chapter with none; the invented word must not make the
    chapter match a question about boats."""
    seen = {w.lower()[:6] for w in _WORD.findall(source)}
    return " ".join(w for w in _WORD.findall(gist) if w.lower()[:6] in seen)
