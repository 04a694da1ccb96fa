"""Keyword recall: a question → an FTS5 query over the chunks' text.

Questions are natural language, so the query ORs the informative words (stopwords
dropped) and lets BM25 rank; quoting each word keeps FTS5 syntax out of user input.
"""
from __future__ import annotations

import re

__all__ = ["fts_query", "query_terms", "phrase", "any_of"]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)

STOPWORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its itself
just me more most my myself no nor not now of off on once only or other our ours ourselves out
over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves tell say said says
does did many much whose also ever one get got make made
""".split())


def query_terms(text: str) -> list[str]:
    seen: list[str] = []
    for m in _WORD.finditer(text.lower()):
        word = m.group(0).replace("’", "'")
        if word in STOPWORDS or len(word) < 2 or word in seen:
            continue
        seen.append(word)
    return seen


def phrase(word: str) -> str:
    """A word or phrase as one quoted FTS5 term, user syntax neutralised."""
    return '"' + word.replace('"', '""') + '"'


def any_of(words: list[str]) -> str:
    """An FTS5 expression matching any of the words."""
    return " OR ".join(phrase(w) for w in words)


def fts_query(text: str) -> str | None:
    terms = query_terms(text)
    return any_of(terms) if terms else None
