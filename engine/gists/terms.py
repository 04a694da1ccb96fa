"""The words that set a stretch of a document apart from the rest of it.

A small model's summary of a block drifts to what the whole book is about (a gist of any
chapter of Alice says "Alice"); what a reader looking for a theme needs is what is
particular to the place. Each gist therefore ends with its key words: those the covered
chunks keep returning to and the rest of the document rarely uses (how many covered
chunks hold the word, times its idf over the document's chunks). Picked chunk by chunk
instead, they were the one-off words of each chunk ("antipathies", "it'll") rather than
the bees a chapter is about. They are the text's own words, so they are faithful by
construction.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import Sequence

__all__ = ["KeyTerms", "KEY_WORDS", "KEY_WORDS_MARK", "with_key_words", "without_key_words"]

KEY_WORDS = 8
KEY_WORDS_MARK = " Key words: "
_WORD = re.compile(r"[A-Za-z][a-z'’]{3,}")
_STOP = frozenset("""
about above after again against also among another around away back because been before
being below between both came come could does doing done down during each even every from
further gave gone good great have having here herself himself however into itself just
know like little long looked made make many might more most much must myself never nothing
once only other ought over quite rather said same says seemed shall should some such
than that their them themselves then there these they thing things think this those
though through thought till time told took toward under until upon very want well went
were what when where whether which while whom whose will with without would your yours
again began going just last left look next once round still sure tell took turned
""".split())


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)
            if w.lower() not in _STOP and not w.lower().endswith("'s")]


class KeyTerms:
    """Document frequencies of one document's chunks, asked for any run of them."""

    def __init__(self, chunk_texts: Sequence[str]):
        self.n = max(1, len(chunk_texts))
        self.df: Counter[str] = Counter()
        for text in chunk_texts:
            self.df.update(set(_words(text)))

    def top(self, chunks: Sequence[str], k: int = KEY_WORDS) -> list[str]:
        """Up to `k` words rare in the document and common in `chunks` (most distinctive
        chunk first): scored by how many of the chunks hold the word times its idf over the
        document, so a subject the place keeps returning to outranks the one-off words
        around it; among equals, the word met first in the most distinctive chunk. A word
        in half of the document's chunks or more says nothing about this place."""
        rare = self.n > 2
        held: Counter[str] = Counter()
        first: dict[str, int] = {}
        for part in chunks:
            for w in dict.fromkeys(_words(part)):
                held[w] += 1
                first.setdefault(w, len(first))
        ranked = sorted((-n * math.log((self.n + 1) / (self.df.get(w, 0) + 1)), first[w], w)
                        for w, n in held.items() if not (rare and self.df.get(w, 0) * 2 >= self.n))
        return [w for _, _, w in ranked[:k]]


def with_key_words(gist: str, words: Sequence[str]) -> str:
    return gist.rstrip() + (KEY_WORDS_MARK + ", ".join(words) + "." if words else "")


def without_key_words(gist: str) -> str:
    """The summary part of a gist (what the model or the extract wrote)."""
    return gist.split(KEY_WORDS_MARK, 1)[0]
