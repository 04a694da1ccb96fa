"""Resolving a follow-up question against the conversation.

"And how did those hold up in chapter 8?" names nothing by itself. Recall therefore uses a
gated mix of the question's key and a compressed conversation memory, in the spirit of
Infini-attention's β gate (arXiv 2404.07143): `key = normalise((1 − β)·q + β·M)`, where
`M` is a fixed-size memory (one encoder vector) updated after every turn from the
question and the evidence it cited, with older turns decaying. β is set per question from
what it says: words that point back ("it", "those", "why?"), few content words of its own,
and a leading "and"/"what about". The keyword side gets the rarest words of the previous
turn's quote, so names the pronoun stands for are searched too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from engine.store.conversations import Conversation
from engine.recall.hit import Hit
from engine.recall.keyword import query_terms

__all__ = ["Resolved", "gate", "resolve", "update_memory", "keep_evidence", "DECAY"]

DECAY = 0.5            # weight of the old memory when a turn is added
_POINTERS = re.compile(
    r"\b(it|its|they|them|their|theirs|those|these|that|this|he|him|his|she|her|hers|"
    r"there|then|such|the same|the former|the latter|former|latter)\b", re.I)
_LEADS = re.compile(r"^\s*(and|but|so|also|what about|how about|why|then|and why|same for)\b", re.I)


@dataclass(frozen=True)
class Resolved:
    question: str
    text: str                  # the keyword query: the question plus carried words
    key: np.ndarray            # float32 [dim], L2-normalised dense query (mixed)
    own: np.ndarray            # float32 [dim], the question's own key
    beta: float                # 0: standalone question; up to 0.85: mostly the conversation
    carried: tuple[str, ...]   # words carried over from the previous turn


def gate(question: str, conversation: Conversation | None) -> float:
    """How much of the conversation memory this question needs (0..0.85)."""
    if conversation is None or conversation.memory is None or not conversation.turns:
        return 0.0
    own = len(query_terms(question))
    beta = 0.1
    if _POINTERS.search(question):
        beta += 0.4
    if _LEADS.search(question):
        beta += 0.2
    if own <= 2:
        beta += 0.25
    elif own <= 4:
        beta += 0.1
    return float(min(beta, 0.85))


def _rare_words(text: str, avoid: set[str], limit: int) -> list[str]:
    """Capitalised names and long words of `text`, in order, not already asked about."""
    words = []
    for m in re.finditer(r"[A-Za-z][\w'-]+", text):
        w = m.group(0)
        lw = w.lower()
        if lw in avoid or lw not in query_terms(lw) or lw in (x.lower() for x in words):
            continue
        if w[0].isupper() and m.start() > 0 or len(w) >= 9:
            words.append(w)
    return words[:limit]


def resolve(question: str, conversation: Conversation | None, plain: np.ndarray) -> Resolved:
    """The recall query for `question` in `conversation` (unchanged when standalone);
    `plain` is the question's own key, encoded once for the whole answer."""
    q = np.asarray(plain, np.float32)
    beta = gate(question, conversation)
    if beta <= 0.0:
        return Resolved(question, question, q, q, 0.0, ())
    mixed = (1.0 - beta) * q + beta * conversation.memory
    mixed /= max(float(np.linalg.norm(mixed)), 1e-8)
    carried: list[str] = []
    last = conversation.last
    if beta >= 0.5 and last is not None:
        source = " ".join(qt.get("text", "") for qt in last.quotes) or last.query
        carried = _rare_words(source, set(query_terms(question)), 6)
    text = question + (" " + " ".join(carried) if carried else "")
    return Resolved(question, text, mixed.astype(np.float32), q, beta, tuple(carried))


def update_memory(memory: np.ndarray | None, question_key: np.ndarray,
                  cited_keys: np.ndarray | None) -> np.ndarray:
    """M ← normalise(DECAY·M + (1 − DECAY)·normalise(q + mean(cited evidence keys)))."""
    new = question_key.astype(np.float32).copy()
    if cited_keys is not None and len(cited_keys):
        new = new + cited_keys.mean(axis=0)
    new /= max(float(np.linalg.norm(new)), 1e-8)
    if memory is None:
        return new
    out = DECAY * memory + (1.0 - DECAY) * new
    return (out / max(float(np.linalg.norm(out)), 1e-8)).astype(np.float32)


def keep_evidence(previous: Sequence[Hit], fresh: Sequence[Hit], own: np.ndarray, encoder,
                  beta: float, *, question: str = "", keep_at: float = 0.5, top: int = 3,
                  margin: float = 0.02) -> tuple[list[Hit], bool]:
    """The evidence for a follow-up: the previous turn's evidence stays when the question
    is a follow-up (β ≥ `keep_at`); fresh hits (the best `top`) join only when they are
    closer (by `margin`) to the question's own key than anything already in working
    memory — recall found something new to say. A question with no content word of its
    own ("Why?", "Why was that?") asks about what is already there. Returns (evidence, same) with
    `same` true when working memory is unchanged, so the model's read of it can be reused."""
    if beta < keep_at or not previous:
        return list(fresh), False
    if question and not query_terms(question):
        return list(previous), True
    held = {h.chunk_id for h in previous}
    new = [h for h in fresh[:top] if h.chunk_id not in held]
    if not new:
        return list(previous), True
    keys = encoder.encode([h.text for h in previous] + [h.text for h in new])
    sims = keys @ own
    best_kept = float(sims[:len(previous)].max())
    joining = [h for h, s in zip(new, sims[len(previous):]) if float(s) > best_kept + margin]
    if not joining:
        return list(previous), True
    return joining + list(previous), False
