"""Checking the model's synthesis against the evidence it cites.

A small model writes fluent sentences with wrong names and numbers. A sentence is flagged
when a name or number in it occurs in none of the evidence it cites (or, when it cites
nothing, in none of the evidence shown); the reader sees the flag beside the sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from engine.answer.citations import cited_numbers
from engine.answer.prompt import describe
from engine.answer.quote import split_sentences
from engine.recall.hit import Hit

__all__ = ["Flag", "check_synthesis", "claims", "contains", "norm"]

_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])")
_NAME = re.compile(r"\b[A-Z][a-zA-Z'’-]+(?:\s+[A-Z][a-zA-Z'’-]+)*")
_COMMON = frozenset("""The A An This That These Those It Its They Their He She His Her We Our
You Your I In On At For From By With As If When While Because But And Or So Then There Here
Yes No Not However Therefore Also Evidence Question Answer According Based Chapter Section
Page Part""".split())


@dataclass(frozen=True)
class Flag:
    sentence: str
    unsupported: tuple[str, ...]     # names and numbers found in no cited evidence

    def to_json(self) -> dict:
        return {"sentence": self.sentence, "unsupported": list(self.unsupported)}


def claims(sentence: str) -> list[str]:
    """The names and numbers a sentence states (a sentence-initial common word is no name)."""
    plain = re.sub(r"\[\d{1,3}\]", " ", sentence)
    found = [m.group(0).replace(",", "") for m in _NUMBER.finditer(plain)]
    for m in _NAME.finditer(plain):
        words = [w for w in m.group(0).split() if w not in _COMMON]
        if words:
            found.append(" ".join(words))
    return list(dict.fromkeys(found))


def norm(text: str) -> str:
    return " ".join(text.replace(",", "").split()).lower()


def check_synthesis(text: str, evidence: Sequence[Hit]) -> list[Flag]:
    flags = []
    # the model sees each piece of evidence under its place (file, page, section), and may
    # repeat it: a place is cited evidence too, not an invented name or number
    everything = [norm(describe(h) + " " + h.text) for h in evidence]
    for sentence in split_sentences(text) or ([text.strip()] if text.strip() else []):
        tags = [n for n in cited_numbers(sentence) if 1 <= n <= len(evidence)]
        pool = [everything[n - 1] for n in tags] if tags else everything
        missing = [c for c in claims(sentence)
                   if not any(contains(p, norm(c)) for p in pool)]
        if missing:
            flags.append(Flag(sentence, tuple(missing)))
    return flags


def contains(haystack: str, needle: str) -> bool:
    if needle.replace(".", "").isdigit():
        return re.search(rf"(?<![\d.]){re.escape(needle)}(?![\d])", haystack) is not None
    return needle in haystack
