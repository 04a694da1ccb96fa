"""Which words a few texts hold, matched exactly as the library's keyword index matches.

Why: an answer's quote is scored sentence by sentence with the keyword credit recall gave
whole chunks; a sentence must count as holding "rowed" for the question word "row" exactly
when the index would say its chunk does (porter stemming, diacritics folded).
"""
from __future__ import annotations

import sqlite3
from typing import Sequence

from engine.store.schema import KEYWORD_TOKENIZER

__all__ = ["words_held"]


def words_held(texts: Sequence[str], words: Sequence[str]) -> list[set[str]]:
    """For each text, the given words (or phrases) the keyword index would match in it."""
    out: list[set[str]] = [set() for _ in texts]
    if not texts or not words:
        return out
    con = sqlite3.connect(":memory:")
    try:
        con.execute(f"CREATE VIRTUAL TABLE t USING fts5(text, tokenize='{KEYWORD_TOKENIZER}')")
        con.executemany("INSERT INTO t(rowid, text) VALUES (?, ?)", enumerate(texts))
        for word in dict.fromkeys(words):
            quoted = '"' + word.replace('"', '""') + '"'
            try:
                rows = con.execute("SELECT rowid FROM t WHERE t MATCH ?", [quoted]).fetchall()
            except sqlite3.OperationalError:
                continue                  # a word FTS5 cannot parse matches nothing
            for (row,) in rows:
                out[row].add(word)
    finally:
        con.close()
    return out
