"""Packing evidence into the model's context under a token budget, with numbered tags."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from engine.recall.hit import Hit, describe

__all__ = ["Packed", "pack", "describe", "history_budget", "SYSTEM"]

SYSTEM = (
    "You answer questions about the user's documents using only the numbered evidence. "
    "After each statement, cite the evidence it comes from as [n]. "
    "If the evidence does not answer the question, say that it does not. Be brief."
)


@dataclass(frozen=True)
class Packed:
    messages: list[dict]
    evidence: list[Hit]          # evidence[i] carries tag [i + 1]
    omitted: list[Hit]
    stable: str = ""             # the evidence text every follow-up over it shares (KV prefix)
    history: int = 0             # earlier turns that fit beside the evidence
    tokens: int = 0              # exact prompt tokens counted with the model's tokenizer


QUESTION_RESERVE = 64   # tokens kept for the question, so evidence does not depend on it


def history_budget(n_ctx: int) -> int:
    """Tokens for earlier turns: an eighth of the context, at most 600 — evidence first."""
    return min(600, n_ctx // 8)


def _source_order(h: Hit) -> tuple:
    loc = h.location
    # a gist goes before the chunks it summarises, a wider gist before a narrower one
    width = -(h.gist.last_chunk - h.chunk_id + 1) if h.gist is not None else 0
    return (loc.path, loc.page or 0, loc.line_start or 0, loc.char_start or 0,
            loc.start_s or 0.0, h.chunk_id, width)


def pack(question: str, hits: Sequence[Hit], *, budget: int, count: Callable[[str], int],
         history: Sequence[tuple[str, str]] = (), history_tokens: int = 0) -> Packed:
    """Keep the best-ranked evidence that fits `budget` tokens (deduplicated, each with its
    tag and location header), shown in source order, then as many of the latest earlier
    turns `(question, answer)` as fit `history_tokens`. The evidence comes first and the
    conversation after it, so the evidence part stays a stable prefix across follow-ups."""
    seen: set[tuple] = set()       # a chunk, and a gist that starts at it, are both kept
    unique = [h for h in hits if not ((ident := (h.chunk_id, h.gist and h.gist.id)) in seen
                                      or seen.add(ident))]
    turns: list[str] = []
    spent = 0
    for q, a in reversed(list(history)):
        line = f"Q: {q}\nA: {' '.join(a.split())[:400]}"
        cost = count(line) + 4
        if spent + cost > history_tokens:
            break
        turns.insert(0, line)
        spent += cost
    kept: list[Hit] = []
    omitted: list[Hit] = []
    # The conversation's share is reserved whether or not it is used yet, so the evidence
    # that fits does not shrink as the conversation grows: a follow-up over the same
    # evidence keeps the same prefix and its KV state.
    used = count(SYSTEM) + max(count(question), QUESTION_RESERVE) + max(spent, history_tokens) + 32
    for hit in unique:
        cost = count(f"[{len(kept) + 1}] ({describe(hit)})\n{hit.text}\n\n")
        if used + cost <= budget:
            kept.append(hit)
            used += cost
        else:
            omitted.append(hit)
    kept.sort(key=_source_order)
    blocks = [f"[{i + 1}] ({describe(h)})\n{h.text}" for i, h in enumerate(kept)]
    stable = "Evidence:\n\n" + "\n\n".join(blocks) + "\n\n"
    talk = ("Earlier in this conversation:\n" + "\n".join(turns) + "\n\n") if turns else ""
    user = stable + talk + f"Question: {question}"
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]
    return Packed(messages=messages, evidence=kept, omitted=omitted, stable=stable,
                  history=len(turns), tokens=count(SYSTEM) + count(user))
