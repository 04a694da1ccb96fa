"""How likely a model finds each of a few short replies to a prompt, and that it stops there.

Why: choosing an answer among given spans needs the model's judgement, not its words. A
reply's log-likelihood is read from one pass over its tokens after the prompt; replies that
start alike share that pass (every span starting at the same word is a prefix of the
longest one), so a sentence's spans cost about one short pass per starting word.

This needs every position's logits, which the answering context does not keep (at its
context size they would take hundreds of megabytes), so the scorer runs in a small second
llama.cpp context over the same weights (memory-mapped, not loaded twice).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from engine.errors import ModelError

__all__ = ["ReplyScore", "ReplyScorer"]


@dataclass(frozen=True)
class ReplyScore:
    logprob: float      # log P(reply tokens | prompt)
    stop: float         # log P(the reply ends here | prompt + reply)
    tokens: int


def _log_softmax(row: np.ndarray) -> np.ndarray:
    top = float(row.max())
    return row - top - float(np.log(np.exp(row - top).sum()))


class ReplyScorer:
    def __init__(self, model_path: str | Path, *, n_threads: int, n_ctx: int = 768,
                 end_texts: Sequence[str] = ()):
        from llama_cpp import Llama

        try:
            self._llm = Llama(model_path=str(model_path), n_ctx=n_ctx, n_threads=n_threads,
                              logits_all=True, verbose=False)
        except Exception as exc:
            raise ModelError(f"llama.cpp could not load {model_path} to score answers: {exc}") from exc
        self.n_ctx = n_ctx
        self._lock = threading.Lock()
        # what "the reply ends here" looks like to this model: its end of text, the chat
        # template's end of turn, or a line break
        ends = {self._llm.token_eos()}
        for text in (*end_texts, "\n"):
            toks = self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=True)
            if len(toks) == 1:
                ends.add(toks[0])
        self._ends = sorted(t for t in ends if t >= 0)

    def tokenize(self, text: str, *, first: bool) -> list[int]:
        return self._llm.tokenize(text.encode("utf-8"), add_bos=first, special=True)

    def _read(self, prompt: Sequence[int]) -> bool:
        """Make the context end with exactly `prompt` (read again only when it changed);
        False when it does not fit."""
        llm, prompt = self._llm, list(prompt)
        if len(prompt) + 2 >= self.n_ctx:
            return False
        if llm.n_tokens >= len(prompt) and list(llm.input_ids[:len(prompt)]) == prompt:
            llm.n_tokens = len(prompt)            # its logits rows are still in place
            return True
        llm.reset()
        llm.eval(prompt)
        return True

    def first_tokens(self, prompt: Sequence[int], replies: Sequence[str]) -> list[float | None]:
        """log P(each reply's first token | prompt): one read of the prompt, no pass per
        reply, so many candidates can be pruned before they are scored whole."""
        llm = self._llm
        toks = [llm.tokenize(r.encode("utf-8"), add_bos=False, special=False) for r in replies]
        with self._lock:
            if not self._read(prompt):
                return [None] * len(replies)
            row = _log_softmax(np.asarray(llm.scores[len(prompt) - 1], np.float64))
        return [float(row[t[0]]) if t else None for t in toks]

    def score(self, prompt: Sequence[int], replies: Sequence[str]) -> list[ReplyScore | None]:
        """Each reply's score after the prompt tokens; None for a reply that does not fit."""
        llm = self._llm
        toks = [llm.tokenize(r.encode("utf-8"), add_bos=False, special=False) for r in replies]
        out: list[ReplyScore | None] = [None] * len(replies)
        # longest first, so a reply whose tokens begin another's is read from that pass
        order = sorted(range(len(replies)), key=lambda i: -len(toks[i]))
        with self._lock:
            if not self._read(prompt):
                return out
            base = llm.n_tokens
            passes: list[tuple[list[int], np.ndarray]] = []    # (tokens, log-probs [n+1, V])
            for i in order:
                t = toks[i]
                if not t or base + len(t) >= self.n_ctx:
                    continue
                found = next((lp for p, lp in passes if p[:len(t)] == t), None)
                if found is None:
                    llm.n_tokens = base           # back to the end of the prompt
                    llm.eval(t)
                    rows = llm.scores[base - 1: base + len(t)]
                    found = np.stack([_log_softmax(np.asarray(r, np.float64)) for r in rows])
                    passes.append((t, found))
                lp = found
                logprob = float(sum(lp[k][tok] for k, tok in enumerate(t)))
                stop = float(np.logaddexp.reduce([lp[len(t)][e] for e in self._ends]))
                out[i] = ReplyScore(logprob, stop, len(t))
            llm.n_tokens = base
        return out
