"""Reranking a short list with the local model: query likelihood.

Why: the encoder compares a question and a passage as two points; a language model can
read them together. Each of the top hits is scored by the mean log-probability the
answering model (SmolLM2-135M by default) gives the question's tokens after the passage,
and the short list is reordered by it. Measured on `bench/needle.py --rerank` against its
latency, and off by default while it does not pay (README, "How recall finds a paraphrase").
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from engine.model.bundled import bundled_gguf
from engine.model.llm import check_gguf
from engine.recall.hit import Hit

__all__ = ["Reranker", "SHORT_LIST"]

SHORT_LIST = 10          # hits read by the model; the rest keep their order below them
_PASSAGE_CHARS = 1200    # a chunk is ~250 tokens; longer text is cut, not the question


class Reranker:
    def __init__(self, model_path: str | Path | None = None, *, n_ctx: int = 1024):
        from llama_cpp import Llama

        path = check_gguf(model_path) if model_path else bundled_gguf()
        self._llm = Llama(model_path=str(path), n_ctx=n_ctx, logits_all=True,
                          n_threads=os.cpu_count(), verbose=False)

    def likelihood(self, question: str, passage: str) -> float:
        """Mean log-probability of the question's tokens following the passage."""
        llm = self._llm
        head = llm.tokenize(f"Passage: {passage[:_PASSAGE_CHARS]}\nQuestion it answers:".encode(),
                            add_bos=True)
        asked = llm.tokenize((" " + question.strip()).encode(), add_bos=False)
        room = llm.n_ctx() - len(asked)
        head = head[: max(1, room)]
        llm.reset()
        llm.eval(head + asked)
        logits = np.asarray(llm.scores[len(head) - 1: len(head) + len(asked) - 1], dtype=np.float64)
        top = logits.max(axis=1, keepdims=True)
        logp = logits - top - np.log(np.exp(logits - top).sum(axis=1, keepdims=True))
        return float(logp[np.arange(len(asked)), asked].mean())

    def rerank(self, question: str, hits: list[Hit], short: int = SHORT_LIST) -> list[Hit]:
        """The first `short` hits reordered by likelihood (ties keep search order)."""
        head = hits[:short]
        scored = sorted(((-self.likelihood(question, h.text), i) for i, h in enumerate(head)))
        return [head[i] for _, i in scored] + hits[short:]
