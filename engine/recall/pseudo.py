"""Pseudo-queries: questions a reader might ask, made from the library's own sentences.

Why: people ask in their own words. They leave out the names and rare words they do not
remember and say "doctor" where the book says "physician". The query adapter
(`adapter.py`) learns this library's version of that gap from pairs
(pseudo-query → source sentence), with no labelled data (test-time training, DESIGN
section 1). A pseudo-query is the sentence with:
- most rare words (names, numbers, the library's high-IDF terms) dropped,
- some content words swapped for a related word the encoder itself knows
  (`Encoder.related_words`: nearest input embeddings, other stems only),
- some other words dropped, the order kept,
- often put as a question ("What … ?").
"""
from __future__ import annotations

import random
import re
from typing import Callable, Sequence

from engine.recall.keyword import STOPWORDS

__all__ = ["pseudo_query", "pseudo_queries"]

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.:]*")
_NUMBER_WORDS = frozenset("""one two three four five six seven eight nine ten eleven twelve
thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty
seventy eighty ninety hundred thousand million first second third""".split())
_WH = ("What", "Who", "How", "Where", "When", "Why", "Which", "What did", "How did", "Who was")


def pseudo_query(sentence: str, rng: random.Random, *, rare: Callable[[str], bool],
                 related: Callable[[str], Sequence[str]]) -> str | None:
    """One pseudo-query for `sentence`, or None when too little of it is left."""
    words = _TOKEN.findall(sentence)
    out: list[str] = []
    for i, word in enumerate(words):
        low = word.lower()
        if low in STOPWORDS:
            if rng.random() < 0.8:          # keep most function words: questions have them
                out.append(low)
            continue
        name = word[0].isupper() and i > 0
        if (name or word[0].isdigit() or rare(low) or any(
                part in _NUMBER_WORDS for part in low.split("-"))) and rng.random() < 0.85:
            continue                        # the reader does not remember it
        if rng.random() < 0.35 and (swaps := related(low)):
            out.append(rng.choice(list(swaps)[:4]))
        elif rng.random() < 0.2:
            continue
        else:
            out.append(low)
    content = [w for w in out if w not in STOPWORDS]
    if len(content) < 2:
        return None
    text = " ".join(out)
    if rng.random() < 0.7:
        text = f"{rng.choice(_WH)} {text}?"
    return text


def pseudo_queries(sentences: Sequence[str], *, seed: int, rare: Callable[[str], bool],
                   related: Callable[[str], Sequence[str]]) -> list[tuple[int, str]]:
    """(index of the source sentence, pseudo-query) for every sentence that yields one."""
    rng = random.Random(seed)
    out = []
    for i, sentence in enumerate(sentences):
        q = pseudo_query(sentence, rng, rare=rare, related=related)
        if q:
            out.append((i, q))
    return out
